package dev.lathe.core.model;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One column of the encoded feature matrix and where it came from, so weights, centroids and
 * importances can be reported per input feature.
 *
 * @param feature the input (or TRANSFORM output) column it derives from, e.g. {@code island}
 * @param processedInput the name ML.WEIGHTS shows for it: the feature name for numbers and for the
 *     one-hot group, {@code _TS_DOW_ts} for timestamp parts
 * @param kind what the value is
 * @param category for one-hot columns, the category value; empty for the NULL category and others
 * @param mean the training mean subtracted (0 when not standardized)
 * @param scale the training standard deviation divided by (1 when not standardized)
 */
public record EncodedColumn(String feature, String processedInput, Kind kind, Optional<String> category, double mean, double scale) {
    public EncodedColumn {
        requireNonNull(feature, "feature is null");
        requireNonNull(processedInput, "processedInput is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(category, "category is null");
    }

    public enum Kind {
        /** A number, possibly standardized. */
        NUMERIC,
        /** One category of a one-hot group (category empty = the NULL category). */
        ONE_HOT,
        /** The single label- or target-encoded column of a categorical feature. */
        ORDINAL,
        /** One entry of a sparse vector or multi-hot feature, passed as is. */
        VECTOR_ELEMENT
    }
}
