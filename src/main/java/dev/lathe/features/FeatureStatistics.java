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
            case DoubleColumn numbers -> numeric(input, numbers);
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
        long nulls = 0;
        for (int row = 0; row < column.size(); row++) {
            if (column.isNull(row) || column instanceof DoubleColumn numbers && Double.isNaN(numbers.get(row))) {
                nulls++;
            }
        }
        return nulls;
    }

    private static FeatureInfo numeric(String input, DoubleColumn numbers) {
        double[] present = new double[numbers.size()];
        int count = 0;
        for (int row = 0; row < numbers.size(); row++) {
            if (!NumericEncoder.isMissing(numbers, row)) {
                present[count++] = numbers.get(row);
            }
        }
        if (count == 0) {
            return FeatureInfo.nonNumeric(input, Optional.empty(), numbers.size(), Optional.empty());
        }
        double[] sorted = Arrays.copyOf(present, count);
        Arrays.sort(sorted);
        NumericEncoder.Moments moments = NumericEncoder.Moments.of(numbers);
        // The lower median is an actual training value, as an approximate quantile reports.
        double median = sorted[(count - 1) / 2];
        return new FeatureInfo(input, Optional.of(sorted[0]), Optional.of(sorted[count - 1]), Optional.of(moments.mean()),
                Optional.of(median), moments.sampleStandardDeviation(), Optional.empty(), numbers.size() - count,
                Optional.empty());
    }
}
