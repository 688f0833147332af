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
 */
public record EncodingPolicy(boolean standardizeNumeric, CategoryEncoding categoryEncoding, boolean timestampComponents) {
    public EncodingPolicy {
        requireNonNull(categoryEncoding, "categoryEncoding is null");
    }

    public static EncodingPolicy linear(CategoryEncoding encoding) {
        return new EncodingPolicy(true, encoding, true);
    }

    public static EncodingPolicy trees(CategoryEncoding encoding) {
        return new EncodingPolicy(false, encoding, false);
    }
}
