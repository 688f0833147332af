package dev.lathe.features;

import dev.lathe.core.model.EncodedColumn;
import java.util.List;

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
}
