package dev.lathe.features;

import dev.lathe.core.model.EncodedColumn;
import java.util.List;
import java.util.Optional;

/**
 * The frozen encoding of one input feature: the encoded columns it contributes, in matrix order, and how to
 * compute them from a column of new rows.
 */
sealed interface FeatureEncoder
        permits NumericEncoder, OneHotEncoder, LabelEncoder, TargetEncoder, TimestampEncoder, MultiHotEncoder,
                SparseVectorEncoder {
    String feature();

    List<EncodedColumn> columns();

    /**
     * Writes {@code columns().size()} values of each row into {@code out}, row-major with {@code stride} values
     * per row, starting at column {@code offset}. Cells it does not write must already be 0.
     */
    void encode(InputColumn input, double[] out, int stride, int offset);

    /**
     * For a categorical encoder, every value it tells apart: it encodes any other non-NULL value exactly as it
     * encodes a value unseen in training. Empty for encoders that read values otherwise (numbers, timestamps).
     */
    default Optional<List<String>> vocabulary() {
        return Optional.empty();
    }
}
