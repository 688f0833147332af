package dev.lathe.features;

import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.util.Arrays;
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
        double[] present = new double[numbers.size()];
        int count = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int row = 0; row < numbers.size(); row++) {
            if (!NumericEncoder.isMissing(numbers, row)) {
                double value = numbers.get(row);
                present[count++] = value;
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
        }
        if (count == 0) {
            return FeatureInfo.nonNumeric(input, Optional.empty(), numbers.size(), Optional.empty());
        }
        // The lower median is an actual training value, as an approximate quantile reports.
        double median = select(present, count, (count - 1) / 2);
        return new FeatureInfo(input, Optional.of(min), Optional.of(max), Optional.of(moments.mean()),
                Optional.of(median), moments.sampleStandardDeviation(), Optional.empty(), numbers.size() - count,
                Optional.empty());
    }

    /**
     * The {@code k}-th smallest of {@code values[0, n)} (no NaN) in the order of {@link Arrays#sort(double[])}, so -0.0
     * before 0.0: quickselect (expected linear time instead of a sort), reordering the values. Falls back to sorting
     * the remaining range when partitions keep coming out lopsided.
     */
    static double select(double[] values, int n, int k) {
        int from = 0;
        int to = n - 1;
        int budget = 2 * (32 - Integer.numberOfLeadingZeros(n)) + 8;
        while (from < to) {
            if (budget-- == 0) {
                Arrays.sort(values, from, to + 1);
                return values[k];
            }
            int middle = (from + to) >>> 1;
            double pivot = medianOfThree(values[from], values[middle], values[to]);
            int i = from;
            int j = to;
            while (i <= j) {
                while (Double.compare(values[i], pivot) < 0) {
                    i++;
                }
                while (Double.compare(values[j], pivot) > 0) {
                    j--;
                }
                if (i <= j) {
                    double swap = values[i];
                    values[i++] = values[j];
                    values[j--] = swap;
                }
            }
            if (k <= j) {
                to = j;
            } else if (k >= i) {
                from = i;
            } else {
                return values[k];
            }
        }
        return values[k];
    }

    private static double medianOfThree(double a, double b, double c) {
        if (Double.compare(a, b) > 0) {
            double swap = a;
            a = b;
            b = swap;
        }
        return Double.compare(b, c) <= 0 ? b : Double.compare(a, c) >= 0 ? a : c;
    }
}
