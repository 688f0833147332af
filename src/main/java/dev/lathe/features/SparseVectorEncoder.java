package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DataType;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.RowEntries;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.model.EncodedColumn;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * ARRAY&lt;STRUCT&lt;index, value&gt;&gt; (and, in models trained before {@link NumericArrayEncoder}, an ARRAY of numbers) passed as is: column i holds the value at index i. The dimension is fixed at
 * training (1 + the largest index seen); larger indices at prediction are ignored, a NULL vector is all zeros.
 */
record SparseVectorEncoder(String feature, int dimension) implements FeatureEncoder {
    SparseVectorEncoder {
        requireNonNull(feature, "feature is null");
        if (dimension < 0) {
            throw new IllegalArgumentException("dimension is negative: " + dimension);
        }
    }

    static SparseVectorEncoder fit(String feature, SparseVectorColumn values) {
        return new SparseVectorEncoder(feature, maxIndex(feature, values) + 1);
    }

    static int maxIndex(String feature, SparseVectorColumn values) {
        int max = -1;
        for (int row = 0; row < values.size(); row++) {
            if (values.isNull(row)) {
                continue;
            }
            for (int i = values.offsets()[row]; i < values.offsets()[row + 1]; i++) {
                int index = values.indices()[i];
                if (index < 0) {
                    throw negativeIndex(feature, index, row);
                }
                max = Math.max(max, index);
            }
        }
        return max;
    }

    @Override
    public List<EncodedColumn> columns() {
        List<EncodedColumn> columns = new ArrayList<>(dimension);
        for (int index = 0; index < dimension; index++) {
            columns.add(new EncodedColumn(feature, feature, EncodedColumn.Kind.VECTOR_ELEMENT,
                    Optional.of(Integer.toString(index)), 0, 1));
        }
        return columns;
    }

    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        SparseVectorColumn values = input.sparseVector();
        boolean nullIsZero = input.trained().type() == DataType.ARRAY_FLOAT64;
        for (int row = 0; row < values.size(); row++) {
            if (values.isNull(row)) {
                continue;
            }
            for (int i = values.offsets()[row]; i < values.offsets()[row + 1]; i++) {
                int index = values.indices()[i];
                if (index < 0) {
                    throw negativeIndex(input.actual().name(), index, row);
                }
                if (index < dimension) {
                    out[row * stride + offset + index] = nullIsZero ? elementOfArray(values.values()[i]) : values.values()[i];
                }
            }
        }
    }

    /** As {@link #encode}, each row's values at {@code base} plus their index as list entries (a later duplicate wins). */
    RowEntries encodeList(InputColumn input, int base) {
        SparseVectorColumn values = input.sparseVector();
        boolean nullIsZero = input.trained().type() == DataType.ARRAY_FLOAT64;
        RowEntries.Builder entries = new RowEntries.Builder(values.size());
        for (int row = 0; row < values.size(); row++) {
            if (!values.isNull(row)) {
                for (int i = values.offsets()[row]; i < values.offsets()[row + 1]; i++) {
                    int index = values.indices()[i];
                    if (index < 0) {
                        throw negativeIndex(input.actual().name(), index, row);
                    }
                    if (index < dimension) {
                        entries.add(base + index, nullIsZero ? elementOfArray(values.values()[i]) : values.values()[i]);
                    }
                }
            }
            entries.endRow();
        }
        return entries.build();
    }

    /**
     * An ARRAY of numbers in a model whose pipeline predates {@link NumericArrayEncoder} (pipeline format_version 1): its NULL
     * elements, now read as NaN, are 0 as they were then, so such a model predicts as it did.
     */
    private static double elementOfArray(double value) {
        return Double.isNaN(value) ? 0.0 : value;
    }

    private static LatheException negativeIndex(String feature, int index, int row) {
        return new LatheException(ErrorCode.INVALID_DATA, "Column '" + feature + "' has sparse index " + index + " in row "
                + (row + 1) + "; indices must be 0 or greater");
    }
}
