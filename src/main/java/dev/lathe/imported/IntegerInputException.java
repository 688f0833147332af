package dev.lathe.imported;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.Locale;

/**
 * A value an ONNX integer tensor cannot take: NULL (the tensor has no missing value), a fraction, or a number outside what the
 * tensor's type holds exactly. It knows the row of the batch it came from, so that ML.PREDICT can name the row of its input
 * ({@link #inRow}) and :predict the instance ({@link #row}, {@link #rule}): both said "in a row" alone (probe sa).
 */
public final class IntegerInputException extends LatheException {
    private final int row;
    private final String column;
    private final double value;
    private final String type;
    private final double min;
    private final double max;

    IntegerInputException(int row, String column, double value, String type, double min, double max) {
        super(ErrorCode.INVALID_DATA, message(column, value, type, min, max, "a row"));
        this.row = row;
        this.column = column;
        this.value = value;
        this.type = type;
        this.min = min;
        this.max = max;
    }

    /** The row of the batch predicted, from 0. */
    public int row() {
        return row;
    }

    /** The input column, named as the model's signature names it. */
    public String column() {
        return column;
    }

    /** This failure naming the row of the input ({@code number}, from 1). */
    public LatheException inRow(long number) {
        return new LatheException(code(), message(column, value, type, min, max, "row " + number + " of the input"), this);
    }

    /** What the input takes, for a message about the value given: "a whole number from ... (...)". */
    public String rule() {
        return String.format(Locale.ROOT, "a whole number from %.0f to %.0f: the ONNX model reads %s as an %s tensor%s", min, max,
                column, type, Double.isNaN(value) ? ", which has no missing value" : "");
    }

    private static String message(String column, double value, String type, double min, double max, String where) {
        if (Double.isNaN(value)) {
            return "Input column " + column + " is NULL in " + where + ", but the ONNX model reads it as an " + type + " tensor, which has"
                    + " no missing value; filter or fill NULLs (e.g. COALESCE) first";
        }
        if (value != Math.rint(value)) {
            return "Input column " + column + " holds " + value + " in " + where + ", but the ONNX model reads it as an " + type + " tensor,"
                    + " which takes whole numbers; round it in the query (CAST(ROUND(" + column + ") AS INT64)) first";
        }
        return "Input column " + column + " holds " + String.format(Locale.ROOT, "%.0f", value) + " in " + where
                + (Math.abs(value) > OnnxEstimator.MAX_EXACT ? " (as the DOUBLE it passes through holds it)" : "")
                + ", outside what the ONNX model's " + type + " tensor takes exactly (" + String.format(Locale.ROOT, "%.0f", min) + " to "
                + String.format(Locale.ROOT, "%.0f", max) + ")";
    }
}
