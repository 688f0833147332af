package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One ML.FEATURE_INFO row, computed over the training rows when the pipeline is fitted.
 *
 * @param input the input column name
 * @param min numeric inputs only, as are {@code max}, {@code mean}, {@code median} (the lower median: an actual
 *     training value) and {@code stddev} (sample standard deviation; empty with fewer than two values)
 * @param categoryCount categorical and array inputs only: distinct non-NULL training values (elements for arrays)
 * @param nullCount NULL training rows
 * @param dimension sparse-vector inputs only: 1 + the largest index seen in training
 */
public record FeatureInfo(
        String input,
        Optional<Double> min,
        Optional<Double> max,
        Optional<Double> mean,
        Optional<Double> median,
        Optional<Double> stddev,
        Optional<Long> categoryCount,
        long nullCount,
        Optional<Long> dimension) {
    public FeatureInfo {
        requireNonNull(input, "input is null");
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
        requireNonNull(mean, "mean is null");
        requireNonNull(median, "median is null");
        requireNonNull(stddev, "stddev is null");
        requireNonNull(categoryCount, "categoryCount is null");
        requireNonNull(dimension, "dimension is null");
        if (nullCount < 0) {
            throw new IllegalArgumentException("nullCount is negative: " + nullCount);
        }
    }

    static FeatureInfo nonNumeric(String input, Optional<Long> categoryCount, long nullCount, Optional<Long> dimension) {
        return new FeatureInfo(input, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), categoryCount, nullCount, dimension);
    }
}
