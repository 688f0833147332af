package dev.lathe.features;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.Locale;

/**
 * A numeric ARRAY feature's array of another length than the model's arrays (element i of such an array is feature i), in
 * row {@link #row} (from 0) of the batch being encoded. ML.PREDICT encodes its input in chunks, whose positions are not the
 * input's, so its message names the array only; a caller that knows what the batch's rows are (an endpoint's instances)
 * names the row with {@link #at}.
 */
public final class ArrayLengthException extends LatheException {
    private final String column;
    private final int row;
    private final int size;
    private final String preview;
    private final int expected;

    ArrayLengthException(String column, int row, int size, String preview, int expected) {
        super(ErrorCode.INVALID_DATA, String.format(Locale.ROOT, "Column '%s' holds an array of %,d elements in an input row, %s, but"
                + " the model was trained on arrays of %,d elements: %s", column, size, preview, expected, rule(expected)));
        this.column = column;
        this.row = row;
        this.size = size;
        this.preview = preview;
        this.expected = expected;
    }

    /** What every array must be, for the messages. */
    static String rule(int length) {
        return String.format(Locale.ROOT, "element i of a numeric array is feature i, so every array must have %,d elements (NULL for a"
                + " missing element or array)", length);
    }

    /** The input column holding the array. */
    public String column() {
        return column;
    }

    /** The array's row in the encoded batch, from 0. */
    public int row() {
        return row;
    }

    /**
     * The same failure told of {@code field}, the place the caller's user gave the array ({@code instances[3].v}), as an
     * INVALID_ARGUMENT: {@code instances[3].v is an array of 2 elements, [1.0, 5.0], but must have 3 ...}.
     */
    public LatheException at(String field) {
        return new LatheException(ErrorCode.INVALID_ARGUMENT, String.format(Locale.ROOT, "%s is an array of %,d elements, %s, but must"
                + " have %,d, as the model's training arrays had: %s", field, size, preview, expected, rule(expected)), this);
    }
}
