package dev.lathe.features;

import dev.lathe.core.FloatSink;
import dev.lathe.core.model.EncodedColumn;
import java.util.List;
import java.util.Optional;

/**
 * The frozen encoding of one input feature: the encoded columns it contributes, in matrix order, and how to
 * compute them from a column of new rows.
 */
sealed interface FeatureEncoder
        permits NumericEncoder, OneHotEncoder, LabelEncoder, TargetEncoder, TimestampEncoder, MultiHotEncoder,
                SparseVectorEncoder, NumericArrayEncoder {
    String feature();

    List<EncodedColumn> columns();

    /**
     * Writes {@code columns().size()} values of each row into {@code out}, row-major with {@code stride} values
     * per row, starting at column {@code offset}. Cells it does not write must already be 0.
     */
    void encode(InputColumn input, double[] out, int stride, int offset);

    /**
     * As {@link #encode}, each value narrowed to a float and written straight into {@code out} (a matrix of floats, for
     * a tree model's training XGBoost's native memory, which nothing zeroed: every cell of this encoder's columns is
     * written), where this encoder computes its columns one value at a time: numbers, label encoding and timestamps whose
     * parts are numbers. Returns false, writing nothing, where it does not; the caller then encodes into doubles and
     * narrows them. Each value written equals {@code (float)} of the double {@link #encode} writes.
     */
    default boolean encodeFloats(InputColumn input, FloatSink out, int stride, int offset) {
        return false;
    }

    /**
     * Whether {@link #encodeOne} covers this encoder: one row's value encoded alone, for online prediction, without
     * making columns of it.
     */
    default boolean encodesOne() {
        return false;
    }

    /**
     * Writes one row's encoding of {@code value} at {@code out[offset..]}, as {@link #encode} writes a one-row column of
     * it of the trained type: a number (NaN for NULL) for a numeric encoder, a String (null for NULL) for a categorical
     * one. Cells it does not write must already be 0. Only where {@link #encodesOne} says so.
     */
    default void encodeOne(Object value, double[] out, int offset) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " encodes whole columns only");
    }

    /**
     * For a categorical encoder, every value it tells apart: it encodes any other non-NULL value exactly as it
     * encodes a value unseen in training. Empty for encoders that read values otherwise (numbers, timestamps).
     */
    default Optional<List<String>> vocabulary() {
        return Optional.empty();
    }
}
