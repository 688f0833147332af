package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.DoubleSupplier;
import java.util.regex.Pattern;

/**
 * A small Prometheus registry: counters, gauges and histograms with labels, written in the text exposition
 * format (version 0.0.4). Hot paths should keep the child returned by {@code labels(...)}: looking one up
 * allocates a key, incrementing a kept child allocates nothing.
 */
public final class ServerMetrics {
    /** Latency buckets in seconds: OpenTelemetry's advised HTTP buckets with sub-millisecond ones added for predictions. */
    public static final double[] LATENCY_BUCKETS = {
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30, 60
    };

    private static final Pattern NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
    private static final Pattern LABEL = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");

    private final Map<String, Family<?>> families = new ConcurrentHashMap<>();
    private final List<Family<?>> order = new ArrayList<>();

    /** A counter (name should end in {@code _total}); registering the same name twice returns the first. */
    public Counter counter(String name, String help, String... labelNames) {
        return (Counter) register(name, () -> new Counter(name, help, labelNames));
    }

    public Gauge gauge(String name, String help, String... labelNames) {
        return (Gauge) register(name, () -> new Gauge(name, help, labelNames));
    }

    /** A gauge without labels whose value is read from {@code value} at every scrape. */
    public void gauge(String name, String help, DoubleSupplier value) {
        requireNonNull(value, "value is null");
        register(name, () -> new Callback(name, help, value));
    }

    /** A histogram; {@code buckets} are upper bounds in increasing order (+Inf is added). */
    public Histogram histogram(String name, String help, double[] buckets, String... labelNames) {
        return (Histogram) register(name, () -> new Histogram(name, help, buckets, labelNames));
    }

    private synchronized Family<?> register(String name, java.util.function.Supplier<Family<?>> create) {
        Family<?> existing = families.get(name);
        if (existing != null) {
            return existing;
        }
        Family<?> family = create.get();
        families.put(name, family);
        order.add(family);
        return family;
    }

    /** The whole registry in Prometheus text format. */
    public String scrape() {
        StringBuilder text = new StringBuilder(4096);
        List<Family<?>> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(order);
        }
        for (Family<?> family : snapshot) {
            family.write(text);
        }
        return text.toString();
    }

    /** One metric name with its help, type, label names and children by label values. */
    public abstract static sealed class Family<C> permits Counter, Gauge, Histogram, Callback {
        final String name;
        final String help;
        final String type;
        final String[] labelNames;
        final Map<List<String>, C> children = new ConcurrentHashMap<>();

        Family(String name, String help, String type, String[] labelNames) {
            this.name = requireNonNull(name, "name is null");
            this.help = requireNonNull(help, "help is null");
            this.type = type;
            this.labelNames = labelNames.clone();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("Metric name '" + name + "' must match " + NAME.pattern());
            }
            for (String label : labelNames) {
                if (!LABEL.matcher(label).matches() || label.startsWith("__") || label.equals("le")) {
                    throw new IllegalArgumentException("Label name '" + label + "' of metric " + name + " must match "
                            + LABEL.pattern() + ", not start with __ and not be 'le'");
                }
            }
        }

        abstract C newChild();

        /** The child for these label values, in the order of the label names. */
        public C labels(String... values) {
            if (values.length != labelNames.length) {
                throw new IllegalArgumentException("Metric " + name + " takes " + labelNames.length + " label values "
                        + Arrays.toString(labelNames) + ", got " + values.length);
            }
            return child(List.of(values));
        }

        private C child(List<String> key) {
            C child = children.get(key);
            return child != null ? child : children.computeIfAbsent(key, k -> newChild());
        }

        void write(StringBuilder text) {
            text.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
            text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            for (Map.Entry<List<String>, C> entry : children.entrySet()) {
                writeChild(text, entry.getKey(), entry.getValue());
            }
        }

        abstract void writeChild(StringBuilder text, List<String> values, C child);

        void sample(StringBuilder text, String suffix, List<String> values, String extraName, String extraValue, double value) {
            text.append(name).append(suffix);
            if (!values.isEmpty() || extraName != null) {
                text.append('{');
                for (int i = 0; i < values.size(); i++) {
                    text.append(i == 0 ? "" : ",").append(labelNames[i]).append("=\"");
                    escapeLabel(text, values.get(i));
                    text.append('"');
                }
                if (extraName != null) {
                    text.append(values.isEmpty() ? "" : ",").append(extraName).append("=\"").append(extraValue).append('"');
                }
                text.append('}');
            }
            text.append(' ').append(number(value)).append('\n');
        }
    }

    public static final class Counter extends Family<Counter.Child> {
        Counter(String name, String help, String[] labelNames) {
            super(name, help, "counter", labelNames);
        }

        @Override
        Child newChild() {
            return new Child();
        }

        @Override
        void writeChild(StringBuilder text, List<String> values, Child child) {
            sample(text, "", values, null, null, child.value.sum());
        }

        public static final class Child {
            private final LongAdder value = new LongAdder();

            public void inc() {
                value.increment();
            }

            public void inc(long amount) {
                if (amount < 0) {
                    throw new IllegalArgumentException("A counter only goes up; got an increment of " + amount);
                }
                value.add(amount);
            }

            public long value() {
                return value.sum();
            }
        }
    }

    public static final class Gauge extends Family<Gauge.Child> {
        Gauge(String name, String help, String[] labelNames) {
            super(name, help, "gauge", labelNames);
        }

        @Override
        Child newChild() {
            return new Child();
        }

        @Override
        void writeChild(StringBuilder text, List<String> values, Child child) {
            sample(text, "", values, null, null, child.value());
        }

        public static final class Child {
            private final DoubleAdder value = new DoubleAdder();

            public void inc() {
                value.add(1);
            }

            public void dec() {
                value.add(-1);
            }

            public synchronized void set(double newValue) {
                value.reset();
                value.add(newValue);
            }

            public double value() {
                return value.sum();
            }
        }
    }

    public static final class Histogram extends Family<Histogram.Child> {
        private final double[] buckets;

        Histogram(String name, String help, double[] buckets, String[] labelNames) {
            super(name, help, "histogram", labelNames);
            for (int i = 0; i < buckets.length; i++) {
                if (!Double.isFinite(buckets[i]) || (i > 0 && buckets[i] <= buckets[i - 1])) {
                    throw new IllegalArgumentException("Histogram " + name + " buckets must be finite and increasing, got " + Arrays.toString(buckets));
                }
            }
            this.buckets = buckets.clone();
        }

        @Override
        Child newChild() {
            return new Child(buckets);
        }

        @Override
        void writeChild(StringBuilder text, List<String> values, Child child) {
            long cumulative = 0;
            for (int i = 0; i < buckets.length; i++) {
                cumulative += child.counts[i].sum();
                sample(text, "_bucket", values, "le", number(buckets[i]), cumulative);
            }
            cumulative += child.counts[buckets.length].sum();
            sample(text, "_bucket", values, "le", "+Inf", cumulative);
            sample(text, "_sum", values, null, null, child.sum.sum());
            sample(text, "_count", values, null, null, cumulative);
        }

        public static final class Child {
            private final double[] bounds;
            private final LongAdder[] counts;
            private final DoubleAdder sum = new DoubleAdder();

            Child(double[] bounds) {
                this.bounds = bounds;
                this.counts = new LongAdder[bounds.length + 1];
                for (int i = 0; i < counts.length; i++) {
                    counts[i] = new LongAdder();
                }
            }

            public void observe(double value) {
                int i = 0;
                while (i < bounds.length && value > bounds[i]) {
                    i++;
                }
                counts[i].increment();
                sum.add(value);
            }

            /** Observes the seconds elapsed since {@code startNanos} (a {@link System#nanoTime()} reading). */
            public void observeSince(long startNanos) {
                observe((System.nanoTime() - startNanos) / 1e9);
            }

            public long count() {
                long total = 0;
                for (LongAdder count : counts) {
                    total += count.sum();
                }
                return total;
            }
        }
    }

    static final class Callback extends Family<DoubleSupplier> {
        private final DoubleSupplier value;

        Callback(String name, String help, DoubleSupplier value) {
            super(name, help, "gauge", new String[0]);
            this.value = value;
            labels();
        }

        @Override
        DoubleSupplier newChild() {
            return () -> value.getAsDouble();
        }

        @Override
        void writeChild(StringBuilder text, List<String> values, DoubleSupplier child) {
            sample(text, "", values, null, null, child.getAsDouble());
        }
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    private static String escapeHelp(String help) {
        return help.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static void escapeLabel(StringBuilder text, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '"' -> text.append("\\\"");
                case '\n' -> text.append("\\n");
                default -> text.append(c);
            }
        }
    }
}
