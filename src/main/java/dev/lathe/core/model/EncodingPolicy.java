package dev.lathe.core.model;

import static java.util.Objects.requireNonNull;

/**
 * The automatic preprocessing a model family asks for.
 *
 * @param standardizeNumeric z-score numbers with the sample standard deviation (linear models, k-means
 *     with STANDARDIZE_FEATURES); NULL always becomes the training mean
 * @param categoryEncoding how STRING/BOOL/DATE/... columns are encoded
 * @param timestampComponents TIMESTAMP becomes Unix seconds plus the {@code _TS_*_} parts (day of month,
 *     day of week, month, hour, minute, week of year, year): one-hot encoded when {@code true} (linear
 *     and logistic, as BigQuery ML does), plain numbers when {@code false} (trees)
 * @param centerNumeric with standardizeNumeric, subtract the mean before dividing by the standard deviation; a linear
 *     model without an intercept (FIT_INTERCEPT = FALSE) only scales, so that it has no intercept on the raw scale either
 */
public record EncodingPolicy(boolean standardizeNumeric, CategoryEncoding categoryEncoding, boolean timestampComponents,
        boolean centerNumeric) {
    public EncodingPolicy {
        requireNonNull(categoryEncoding, "categoryEncoding is null");
    }

    /** A policy that centers what it standardizes. */
    public EncodingPolicy(boolean standardizeNumeric, CategoryEncoding categoryEncoding, boolean timestampComponents) {
        this(standardizeNumeric, categoryEncoding, timestampComponents, standardizeNumeric);
    }

    /** The same policy, centering standardized numbers or not. */
    public EncodingPolicy centering(boolean center) {
        return new EncodingPolicy(standardizeNumeric, categoryEncoding, timestampComponents, standardizeNumeric && center);
    }

    public static EncodingPolicy linear(CategoryEncoding encoding) {
        return new EncodingPolicy(true, encoding, true);
    }

    public static EncodingPolicy trees(CategoryEncoding encoding) {
        return new EncodingPolicy(false, encoding, false);
    }
}
