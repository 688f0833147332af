package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DoubleColumn;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.model.EncodedColumn;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An ARRAY of numbers (an embedding): element i is feature i, each encoded as a number column is ({@link NumericEncoder}:
 * a NULL or NaN element becomes the element's training mean, then standardized where the policy standardizes). A NULL
 * array is every element's mean. The length is fixed at training; an array of another length is refused, naming the
 * column, the array and both lengths: it was read as a sparse vector, so a shorter one took zeros and a longer one lost
 * its tail without a word, and a constant element, never centered, took the intercept's place (a NULL array predicted 0).
 */
record NumericArrayEncoder(String feature, List<NumericEncoder> elements) implements FeatureEncoder {
    NumericArrayEncoder {
        requireNonNull(feature, "feature is null");
        elements = List.copyOf(elements);
    }

    /**
     * Fits each element on its non-NULL, non-NaN training values. Every non-NULL array must have the length of the first;
     * an element missing in every row is refused as a column NULL in every row is.
     */
    static NumericArrayEncoder fit(String feature, SparseVectorColumn arrays, boolean standardize, boolean center) {
        int length = -1;
        for (int row = 0; row < arrays.size() && length < 0; row++) {
            if (!arrays.isNull(row)) {
                length = arrays.offsets()[row + 1] - arrays.offsets()[row];
            }
        }
        requireLength(feature, arrays, length, true);
        List<NumericEncoder> elements = new ArrayList<>(length);
        for (int index = 0; index < length; index++) {
            double[] values = new double[arrays.size()];
            BitSet nulls = new BitSet(arrays.size());
            for (int row = 0; row < arrays.size(); row++) {
                if (arrays.isNull(row)) {
                    nulls.set(row);
                } else {
                    values[row] = arrays.values()[arrays.offsets()[row] + index];
                }
            }
            NumericEncoder.Moments moments = NumericEncoder.Moments.of(new DoubleColumn(values, nulls));
            if (moments.count() == 0) {
                throw LatheException.invalidData("Element " + index + " of feature column '" + feature + "' is NULL or NaN in every"
                        + " training row; an array feature's elements are features, and each needs a value in some row");
            }
            NumericEncoder element = NumericEncoder.of(feature, feature, moments, standardize);
            elements.add(standardize && !center ? element.uncentered() : element);
        }
        return new NumericArrayEncoder(feature, elements);
    }

    @Override
    public List<EncodedColumn> columns() {
        List<EncodedColumn> columns = new ArrayList<>(elements.size());
        for (int index = 0; index < elements.size(); index++) {
            NumericEncoder element = elements.get(index);
            columns.add(new EncodedColumn(feature, feature, EncodedColumn.Kind.VECTOR_ELEMENT, Optional.of(Integer.toString(index)),
                    element.center(), element.scale()));
        }
        return columns;
    }

    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        SparseVectorColumn arrays = input.sparseVector();
        requireLength(input.actual().name(), arrays, elements.size(), false);
        for (int row = 0; row < arrays.size(); row++) {
            int start = arrays.offsets()[row];
            boolean absent = arrays.isNull(row);
            for (int index = 0; index < elements.size(); index++) {
                out[row * stride + offset + index] = elements.get(index).encodeValue(absent ? Double.NaN : arrays.values()[start + index]);
            }
        }
    }

    /**
     * Fails where a non-NULL array of {@code arrays} does not hold {@code length} elements. A training row is named by its
     * number; an input row by its array ({@link ArrayLengthException}, whose row the caller may name).
     */
    private static void requireLength(String feature, SparseVectorColumn arrays, int length, boolean training) {
        for (int row = 0; row < arrays.size(); row++) {
            int start = arrays.offsets()[row];
            int size = arrays.offsets()[row + 1] - start;
            if (!arrays.isNull(row) && size != length) {
                if (!training) {
                    throw new ArrayLengthException(feature, row, size, preview(arrays, start, size), length);
                }
                throw new LatheException(ErrorCode.INVALID_DATA, String.format(Locale.ROOT, "Column '%s' holds an array of %,d"
                        + " elements in training row %,d, %s, but the first training array has %,d elements: %s", feature, size,
                        row + 1, preview(arrays, start, size), length, ArrayLengthException.rule(length)));
            }
        }
    }

    /** The array's first elements as text, for an error. */
    private static String preview(SparseVectorColumn arrays, int start, int size) {
        StringBuilder text = new StringBuilder("[");
        for (int i = 0; i < Math.min(size, 5); i++) {
            double value = arrays.values()[start + i];
            text.append(i == 0 ? "" : ", ").append(Double.isNaN(value) ? "NULL" : Double.toString(value));
        }
        return text.append(size > 5 ? ", ...]" : "]").toString();
    }
}
