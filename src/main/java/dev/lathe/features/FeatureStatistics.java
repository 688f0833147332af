package dev.lathe.features;

import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Optional;

/** Computes the ML.FEATURE_INFO row of one training column. */
final class FeatureStatistics {
    private FeatureStatistics() {}

    static FeatureInfo of(String input, Column column) {
        return switch (column) {
            case DoubleColumn numbers -> numeric(input, numbers, NumericEncoder.Moments.of(numbers));
            case StringColumn strings -> FeatureInfo.nonNumeric(input,
                    Optional.of((long) new HashSet<>(InputColumn.usedValues(strings)).size()), nullCount(strings),
                    Optional.empty());
            case TimestampColumn timestamps -> FeatureInfo.nonNumeric(input, Optional.empty(), nullCount(timestamps),
                    Optional.empty());
            case StringArrayColumn arrays -> FeatureInfo.nonNumeric(input,
                    Optional.of((long) MultiHotEncoder.distinctElements(arrays).size()), nullCount(arrays), Optional.empty());
            case SparseVectorColumn vectors -> FeatureInfo.nonNumeric(input, Optional.empty(), nullCount(vectors),
                    Optional.of((long) SparseVectorEncoder.maxIndex(input, vectors) + 1));
        };
    }

    /** NULL (and NaN, which imputation treats as NULL) rows. */
    static long nullCount(Column column) {
        switch (column) {
            case DoubleColumn numbers -> {
                double[] values = numbers.values();
                long nulls = numbers.nulls().get(0, numbers.size()).cardinality();
                for (int row = 0; row < numbers.size(); row++) {
                    if (Double.isNaN(values[row]) && !numbers.isNull(row)) {
                        nulls++;
                    }
                }
                return nulls;
            }
            case StringColumn strings -> {
                long nulls = 0;
                for (int code : strings.codes()) {
                    if (code < 0) {
                        nulls++;
                    }
                }
                return nulls;
            }
            case TimestampColumn timestamps -> {
                return timestamps.nulls().get(0, timestamps.size()).cardinality();
            }
            default -> { // arrays and vectors: one check per row
                long nulls = 0;
                for (int row = 0; row < column.size(); row++) {
                    if (column.isNull(row)) {
                        nulls++;
                    }
                }
                return nulls;
            }
        }
    }

    /** A number column's row, {@code moments} being {@code Moments.of(numbers)}. */
    static FeatureInfo numeric(String input, DoubleColumn numbers, NumericEncoder.Moments moments) {
        double[] values = numbers.values();
        BitSet nulls = numbers.nulls();
        boolean anyNull = !nulls.isEmpty();
        long[] present = new long[numbers.size()]; // as order keys: the median is found comparing longs
        int count = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int row = 0; row < values.length; row++) {
            double value = values[row];
            if (!(anyNull && nulls.get(row)) && !Double.isNaN(value)) { // NumericEncoder.isMissing
                present[count++] = orderKey(value);
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        if (count == 0) {
            return FeatureInfo.nonNumeric(input, Optional.empty(), numbers.size(), Optional.empty());
        }
        // The lower median is an actual training value, as an approximate quantile reports.
        double median = fromOrderKey(select(present, count, (count - 1) / 2));
        return new FeatureInfo(input, Optional.of(min), Optional.of(max), Optional.of(moments.mean()),
                Optional.of(median), moments.sampleStandardDeviation(), Optional.empty(), numbers.size() - count,
                Optional.empty());
    }

    /**
     * A long that orders as {@link Double#compare} orders the (non-NaN) double: its bits, with the magnitude's bits
     * flipped for negative numbers. Comparing two longs is one instruction where {@code Double.compare} is a call and
     * several tests, which the C1 code of a short command runs as they are.
     */
    static long orderKey(double value) {
        long bits = Double.doubleToRawLongBits(value);
        return bits ^ ((bits >> 63) & Long.MAX_VALUE);
    }

    /** The double whose {@link #orderKey} is {@code key}. */
    static double fromOrderKey(long key) {
        return Double.longBitsToDouble(key ^ ((key >> 63) & Long.MAX_VALUE));
    }

    /**
     * The {@code k}-th smallest of {@code keys[0, n)}: quickselect (expected linear time instead of a sort), reordering
     * the keys. Falls back to sorting the remaining range when partitions keep coming out lopsided.
     */
    static long select(long[] keys, int n, int k) {
        int from = 0;
        int to = n - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(n)) + 8;
        while (from < to) {
            if (budget-- == 0) {
                Arrays.sort(keys, from, to + 1);
                return keys[k];
            }
            int middle = (from + to) >>> 1;
            long pivot = medianOfThree(keys[from], keys[middle], keys[to]);
            int i = from;
            int j = to;
            while (i <= j) {
                while (keys[i] < pivot) {
                    i++;
                }
                while (keys[j] > pivot) {
                    j--;
                }
                if (i <= j) {
                    long swap = keys[i];
                    keys[i++] = keys[j];
                    keys[j--] = swap;
                }
            }
            if (k <= j) {
                to = j;
            } else if (k >= i) {
                from = i;
            } else {
                return keys[k];
            }
        }
        return keys[k];
    }

    private static long medianOfThree(long a, long b, long c) {
        if (a > b) {
            long swap = a;
            a = b;
            b = swap;
        }
        return b <= c ? b : a >= c ? a : c;
    }
}
