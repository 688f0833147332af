package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DoubleColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import dev.lathe.core.model.EncodedColumn;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A TIMESTAMP: Unix seconds as a number (NULL becomes the mean time), then one encoder per {@link TimestampPart}
 * in enum order. Parts are one-hot over the training values (numeric order) with their own NULL category, or,
 * for tree models, plain numbers with NULL as the training mean (standardized if the policy standardizes).
 */
record TimestampEncoder(String feature, NumericEncoder seconds, List<FeatureEncoder> parts) implements FeatureEncoder {
    TimestampEncoder {
        requireNonNull(feature, "feature is null");
        requireNonNull(seconds, "seconds is null");
        parts = List.copyOf(parts);
        if (parts.size() != TimestampPart.values().length) {
            throw new IllegalArgumentException("one encoder per timestamp part expected, got " + parts.size());
        }
        for (FeatureEncoder part : parts) {
            if (!(part instanceof NumericEncoder) && !(part instanceof OneHotEncoder)) {
                throw new IllegalArgumentException("timestamp parts are numeric or one-hot, got " + part.getClass().getSimpleName());
            }
        }
    }

    static TimestampEncoder fit(String feature, TimestampColumn values, boolean standardize, boolean oneHotParts) {
        NumericEncoder seconds = NumericEncoder.fit(feature, feature, unixSeconds(values), standardize);
        List<FeatureEncoder> parts = new ArrayList<>();
        DoubleColumn[] extracted = extractAll(values);
        for (TimestampPart part : TimestampPart.values()) {
            String processedInput = part.processedInput(feature);
            DoubleColumn partValues = extracted[part.ordinal()];
            if (oneHotParts) {
                TreeSet<Integer> seen = new TreeSet<>();
                for (int row = 0; row < partValues.size(); row++) {
                    if (!partValues.isNull(row)) {
                        seen.add((int) partValues.get(row));
                    }
                }
                List<String> categories = seen.stream().map(String::valueOf).toList();
                parts.add(new OneHotEncoder(feature, processedInput, categories, Optional.empty()));
            } else {
                parts.add(NumericEncoder.fit(feature, processedInput, partValues, standardize));
            }
        }
        return new TimestampEncoder(feature, seconds, parts);
    }

    @Override
    public List<EncodedColumn> columns() {
        List<EncodedColumn> columns = new ArrayList<>(seconds.columns());
        parts.forEach(part -> columns.addAll(part.columns()));
        return columns;
    }

    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        TimestampColumn values = input.timestamp();
        seconds.encodeValues(unixSeconds(values), out, stride, offset);
        int column = offset + 1;
        DoubleColumn[] extracted = extractAll(values);
        for (int i = 0; i < extracted.length; i++) {
            DoubleColumn partValues = extracted[i];
            switch (parts.get(i)) {
                case NumericEncoder numeric -> numeric.encodeValues(partValues, out, stride, column);
                case OneHotEncoder oneHot -> oneHot.encodeValues(asCategories(partValues), out, stride, column);
                default -> throw new IllegalStateException("checked in the constructor");
            }
            column += parts.get(i).columns().size();
        }
    }

    /** Whole seconds since the epoch, like UNIX_SECONDS (which truncates toward the earlier second). */
    static DoubleColumn unixSeconds(TimestampColumn values) {
        double[] seconds = new double[values.size()];
        for (int row = 0; row < seconds.length; row++) {
            seconds[row] = values.isNull(row) ? Double.NaN : Math.floorDiv(values.epochMicros()[row], 1_000_000L);
        }
        return new DoubleColumn(seconds, (BitSet) values.nulls().clone());
    }

    /**
     * Every part of every row, indexed by {@link TimestampPart#ordinal()}, in one pass. The date parts are
     * computed once per distinct UTC day (consecutive rows mostly share a day), the time parts from the
     * second of the day; the values equal {@link TimestampPart#extract} of {@link #utc}.
     */
    static DoubleColumn[] extractAll(TimestampColumn values) {
        TimestampPart[] kinds = TimestampPart.values();
        int rows = values.size();
        double[][] parts = new double[kinds.length][rows];
        long[] micros = values.epochMicros();
        long cachedDay = Long.MIN_VALUE;
        int[] dayParts = new int[kinds.length];
        for (int row = 0; row < rows; row++) {
            if (values.isNull(row)) {
                for (double[] part : parts) {
                    part[row] = Double.NaN;
                }
                continue;
            }
            long second = Math.floorDiv(micros[row], 1_000_000L);
            long day = Math.floorDiv(second, 86_400L);
            if (day != cachedDay) {
                LocalDateTime midnight = LocalDateTime.ofEpochSecond(day * 86_400L, 0, ZoneOffset.UTC);
                for (TimestampPart kind : kinds) {
                    dayParts[kind.ordinal()] = kind.extract(midnight);
                }
                cachedDay = day;
            }
            int secondOfDay = (int) Math.floorMod(second, 86_400L);
            for (int k = 0; k < kinds.length; k++) {
                parts[k][row] = switch (kinds[k]) {
                    case HOUR_OF_DAY -> secondOfDay / 3600;
                    case MINUTE_OF_HOUR -> secondOfDay % 3600 / 60;
                    default -> dayParts[k];
                };
            }
        }
        DoubleColumn[] columns = new DoubleColumn[kinds.length];
        for (int k = 0; k < kinds.length; k++) {
            columns[k] = new DoubleColumn(parts[k], (BitSet) values.nulls().clone());
        }
        return columns;
    }

    static LocalDateTime utc(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        int nanos = (int) Math.floorMod(epochMicros, 1_000_000L) * 1000;
        return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }

    private static StringColumn asCategories(DoubleColumn values) {
        String[] rendered = new String[values.size()];
        for (int row = 0; row < rendered.length; row++) {
            rendered[row] = values.isNull(row) ? null : String.valueOf((int) values.get(row));
        }
        return StringColumn.of(rendered);
    }
}
