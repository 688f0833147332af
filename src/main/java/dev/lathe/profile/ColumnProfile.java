package dev.lathe.profile;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DataType;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.datasketches.frequencies.ErrorType;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.quantilescommon.DoublesSortedView;
import org.apache.datasketches.quantilescommon.QuantileSearchCriteria;

/**
 * The profile of one column: exact counts and moments plus mergeable sketches (KLL quantiles for numbers,
 * frequent items for categories, HyperLogLog distinct count for both). Mutable while it is built; merged
 * profiles are new objects.
 */
public final class ColumnProfile {
    /** KLL accuracy parameter: about 1.65% normalized rank error. */
    static final int KLL_K = 200;
    /**
     * A batch of numbers with at most this many distinct values, each occurring {@link #COUNTED_MIN_AVERAGE} times on
     * average, updates the sketches once per value with its count ({@link ValueCounts}): a 1M-row column of a few
     * hundred values took 67 ms of KLL updates and 17 ms of distinct counting on C1's code, against about 10 ms to count.
     * KLL takes a large weight by merging a sketch of it (3-5 us, compiled), and a row costs it ~45 ns, so counting pays
     * only where values repeat a few hundred times: 16 batches of 64k rows with 300 distinct values 45 -> 13 ms, with 1,000
     * (65 rows each) 47 -> 82 ms had the bound been 16; with 256, such a batch is sketched row by row as before.
     */
    static final int COUNTED_MAX_DISTINCT = 4096;
    static final int COUNTED_MIN_AVERAGE = 256;
    private static final int COUNTED_MIN_ROWS = 1024;
    /** Frequent-items map size: categories are counted exactly up to 768 distinct values. */
    static final int ITEMS_MAP_SIZE = 1024;

    /** How a column is profiled. */
    public enum Kind { NUMERIC, CATEGORICAL }

    private final String name;
    private final DataType type;
    private final Kind kind;
    private long rows;
    private long nulls;
    private long zeros;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double mean;
    private double m2;
    private long totalLength;
    private final KllDoublesSketch quantiles = KllDoublesSketch.newHeapInstance(KLL_K);
    private final ItemsSketch<String> items = new ItemsSketch<>(ITEMS_MAP_SIZE);
    private final DistinctCounter distinct;

    ColumnProfile(String name, DataType type) {
        this(name, type, new DistinctCounter());
    }

    private ColumnProfile(String name, DataType type, DistinctCounter distinct) {
        this.name = requireNonNull(name, "name is null");
        this.type = requireNonNull(type, "type is null");
        this.kind = kindOf(type).orElseThrow(() -> new IllegalArgumentException("column '" + name + "' of type " + type
                + " cannot be profiled"));
        this.distinct = distinct;
    }

    /** NUMERIC for numbers and timestamps (epoch microseconds), CATEGORICAL for text-like types; empty otherwise. */
    public static Optional<Kind> kindOf(DataType type) {
        if (type.isNumeric() || type == DataType.TIMESTAMP) {
            return Optional.of(Kind.NUMERIC);
        }
        return type.isCategorical() ? Optional.of(Kind.CATEGORICAL) : Optional.empty();
    }

    void addNulls(long count) {
        rows += count;
        nulls += count;
    }

    /**
     * Adds {@code count} non-null, non-NaN numbers {@code values[from .. from + count)} in one pass per statistic: the
     * batch's own mean and squared deviations (two passes, no division per value) merge into the running moments as
     * {@link #merge} does, and the KLL sketch takes the batch in one bulk update.
     */
    void addNumbers(double[] values, int from, int count) {
        if (count == 0) {
            return;
        }
        int to = from + count;
        double sum = 0;
        long batchZeros = 0;
        double lo = min;
        double hi = max;
        for (int i = from; i < to; i++) {
            double value = values[i];
            sum += value;
            if (value == 0) {
                batchZeros++;
            }
            lo = Math.min(lo, value);
            hi = Math.max(hi, value);
        }
        double batchMean = sum / count;
        double batchM2 = 0;
        for (int i = from; i < to; i++) {
            double deviation = values[i] - batchMean;
            batchM2 += deviation * deviation;
        }
        long before = values();
        rows += count;
        zeros += batchZeros;
        min = lo;
        max = hi;
        addMoments(before, count, batchMean, batchM2);
        Optional<ValueCounts> counted = count >= COUNTED_MIN_ROWS
                ? ValueCounts.of(values, from, count, Math.min(COUNTED_MAX_DISTINCT, count / COUNTED_MIN_AVERAGE))
                : Optional.empty();
        if (counted.isPresent()) {
            ValueCounts counts = counted.get();
            for (int i = 0; i < counts.size(); i++) {
                quantiles.update(counts.value(i), counts.count(i));
                distinct.addNumber(counts.value(i));
            }
        } else {
            quantiles.update(values, from, count);
            distinct.addNumbers(values, from, count);
        }
    }

    void addCategory(String value, long count) {
        rows += count;
        totalLength += (long) value.length() * count;
        items.update(value, count);
        distinct.addString(value);
    }

    public String name() {
        return name;
    }

    public DataType type() {
        return type;
    }

    public Kind kind() {
        return kind;
    }

    public long rows() {
        return rows;
    }

    public long nulls() {
        return nulls;
    }

    /** Non-null values. */
    public long values() {
        return rows - nulls;
    }

    public long zeros() {
        return zeros;
    }

    public long distinctCount() {
        return values() == 0 ? 0 : Math.min(distinct.estimate(), values());
    }

    public OptionalDouble min() {
        return kind == Kind.NUMERIC && values() > 0 ? OptionalDouble.of(min) : OptionalDouble.empty();
    }

    public OptionalDouble max() {
        return kind == Kind.NUMERIC && values() > 0 ? OptionalDouble.of(max) : OptionalDouble.empty();
    }

    public OptionalDouble mean() {
        return kind == Kind.NUMERIC && values() > 0 ? OptionalDouble.of(mean) : OptionalDouble.empty();
    }

    /** Sample standard deviation (n - 1), as SQL's STDDEV; empty below two values. */
    public OptionalDouble stddev() {
        return kind == Kind.NUMERIC && values() > 1 ? OptionalDouble.of(Math.sqrt(m2 / (values() - 1))) : OptionalDouble.empty();
    }

    public OptionalDouble averageLength() {
        return kind == Kind.CATEGORICAL && values() > 0 ? OptionalDouble.of((double) totalLength / values()) : OptionalDouble.empty();
    }

    /** The approximate value at normalized rank {@code rank} (inclusive rank, as PERCENTILE_DISC). */
    public OptionalDouble quantile(double rank) {
        return quantiles.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(quantiles.getQuantile(rank));
    }

    /** {@code count + 1} boundaries: min, the count - 1 interior quantiles, max (BigQuery's APPROX_QUANTILES shape). */
    public List<Double> quantiles(int count) {
        List<Double> result = new ArrayList<>();
        if (quantiles.isEmpty()) {
            return result;
        }
        for (int i = 0; i <= count; i++) {
            result.add(i == 0 ? min : i == count ? max : quantiles.getQuantile((double) i / count));
        }
        return result;
    }

    /**
     * Bin edges from the quantiles at {@code i / buckets} with exclusive ranks (so equal-mass bins
     * {@code [edges[i-1], edges[i])} on exact data), plus min and just above max; strictly increasing.
     */
    double[] binEdges(int buckets) {
        if (quantiles.isEmpty()) {
            return new double[0];
        }
        java.util.TreeSet<Double> edges = new java.util.TreeSet<>();
        edges.add(min);
        for (int i = 1; i < buckets; i++) {
            edges.add(quantiles.getQuantile((double) i / buckets, QuantileSearchCriteria.EXCLUSIVE));
        }
        edges.add(Math.nextUp(max));
        return edges.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * The share of non-null values in each bin {@code [edges[i-1], edges[i])}, with an open bin below the first edge and above
     * the last: {@code edges.length + 1} masses summing to 1. Empty without numeric values.
     */
    double[] mass(double[] edges) {
        if (quantiles.isEmpty()) {
            return new double[0];
        }
        return quantiles.getPMF(edges, QuantileSearchCriteria.EXCLUSIVE);
    }

    /** Category counts, most frequent first (ties by value); exact up to 768 distinct values, estimates beyond. */
    public List<Map.Entry<String, Long>> topValues(int limit) {
        List<Map.Entry<String, Long>> all = new ArrayList<>(categoryCounts().entrySet());
        all.sort(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()).thenComparing(Map.Entry.comparingByKey()));
        return all.subList(0, Math.min(limit, all.size()));
    }

    Map<String, Long> categoryCounts() {
        Map<String, Long> counts = new LinkedHashMap<>();
        if (items.isEmpty()) {
            return counts;
        }
        for (ItemsSketch.Row<String> row : items.getFrequentItems(0, ErrorType.NO_FALSE_NEGATIVES)) {
            counts.put(row.getItem(), row.getEstimate());
        }
        return counts;
    }

    /** A new profile of both columns' data; the caller has checked that name and kind agree. */
    ColumnProfile merge(ColumnProfile other) {
        ColumnProfile merged = copy();
        long n1 = merged.values();
        long n2 = other.values();
        merged.rows += other.rows;
        merged.nulls += other.nulls;
        merged.zeros += other.zeros;
        merged.min = Math.min(merged.min, other.min);
        merged.max = Math.max(merged.max, other.max);
        if (n1 + n2 > 0) {
            merged.addMoments(n1, n2, other.mean, other.m2);
        }
        merged.totalLength += other.totalLength;
        merged.quantiles.merge(other.quantiles);
        merged.items.merge(other.items);
        merged.distinct.merge(other.distinct);
        return merged;
    }

    /**
     * Chan et al.'s pairwise update: folds {@code n2} values with mean {@code mean2} and squared deviations
     * {@code m2_2} into this column's {@code n1} values' moments, giving the exact moments of the union.
     */
    private void addMoments(long n1, long n2, double mean2, double m2_2) {
        double delta = mean2 - mean;
        long total = n1 + n2;
        mean += delta * n2 / total;
        m2 += m2_2 + delta * delta * n1 * n2 / total;
    }

    private ColumnProfile copy() {
        ColumnProfile copy = new ColumnProfile(name, type, DistinctCounter.fromRegisters(distinct.registers()));
        copy.rows = rows;
        copy.nulls = nulls;
        copy.zeros = zeros;
        copy.min = min;
        copy.max = max;
        copy.mean = mean;
        copy.m2 = m2;
        copy.totalLength = totalLength;
        copy.quantiles.merge(quantiles);
        copy.items.merge(items);
        return copy;
    }

    // ---- serialization: sketch contents in Lathe's own layout (see DataProfile#toBytes) ------------

    void write(DataOutputStream out) throws IOException {
        writeString(out, name);
        out.writeUTF(type.name());
        out.writeLong(rows);
        out.writeLong(nulls);
        out.writeLong(zeros);
        out.writeDouble(min);
        out.writeDouble(max);
        out.writeDouble(mean);
        out.writeDouble(m2);
        out.writeLong(totalLength);
        out.write(distinct.registers());
        // KLL: the retained items with their weights; re-inserting them rebuilds a sketch of the same weighted stream.
        if (quantiles.isEmpty()) {
            out.writeInt(0);
        } else {
            DoublesSortedView view = quantiles.getSortedView();
            double[] values = view.getQuantiles();
            long[] cumulative = view.getCumulativeWeights();
            // The sorted view folds equal items into the last of them, leaving zero weights, which are dropped.
            List<double[]> retained = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                long weight = cumulative[i] - (i == 0 ? 0 : cumulative[i - 1]);
                if (weight > 0) {
                    retained.add(new double[] {values[i], weight});
                }
            }
            out.writeInt(retained.size());
            for (double[] item : retained) {
                out.writeDouble(item[0]);
                out.writeLong((long) item[1]);
            }
        }
        Map<String, Long> counts = categoryCounts();
        out.writeInt(counts.size());
        for (Map.Entry<String, Long> e : counts.entrySet()) {
            writeString(out, e.getKey());
            out.writeLong(e.getValue());
        }
    }

    static ColumnProfile read(DataInputStream in) throws IOException {
        String name = readString(in);
        DataType type = DataType.valueOf(in.readUTF());
        ColumnProfile profile = new ColumnProfile(name, type);
        profile.rows = in.readLong();
        profile.nulls = in.readLong();
        profile.zeros = in.readLong();
        profile.min = in.readDouble();
        profile.max = in.readDouble();
        profile.mean = in.readDouble();
        profile.m2 = in.readDouble();
        profile.totalLength = in.readLong();
        byte[] registers = new byte[1 << DistinctCounter.LG_REGISTERS];
        in.readFully(registers);
        profile.distinct.merge(DistinctCounter.fromRegisters(registers));
        int retained = dev.lathe.core.StoredBytes.count(in, 16, "quantile sketch item count");
        for (int i = 0; i < retained; i++) {
            double value = in.readDouble();
            profile.quantiles.update(value, in.readLong());
        }
        int categories = dev.lathe.core.StoredBytes.count(in, 12, "frequent item count");
        for (int i = 0; i < categories; i++) {
            String value = readString(in);
            profile.items.update(value, in.readLong());
        }
        return profile;
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] bytes = new byte[dev.lathe.core.StoredBytes.count(in, 1, "string length")];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
