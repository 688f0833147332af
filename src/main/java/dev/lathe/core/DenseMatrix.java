package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * The encoded feature matrix an estimator sees: row-major values, NaN for a missing value (only tree
 * models ever see NaN; linear models and k-means get imputed values). Column names are the
 * processed-input names (e.g. {@code species_Adelie}, {@code _TS_DOW_ts}).
 *
 * <p>Held as doubles, or, for tree models' training input (XGBoost takes floats), as floats ({@link #ofFloats}):
 * then {@link #toFloats} hands them over without a copy and {@link #data} widens them once, on first use.
 * Immutable by contract: the arrays returned must not be modified.
 */
public final class DenseMatrix {
    private final int rows;
    private final int cols;
    private final List<String> columnNames;
    private final float[] floats; // null when held as doubles
    private volatile double[] data; // null until first asked for when held as floats

    public DenseMatrix(int rows, int cols, double[] data, List<String> columnNames) {
        this(rows, cols, requireNonNull(data, "data is null"), null, data.length, columnNames);
    }

    private DenseMatrix(int rows, int cols, double[] data, float[] floats, int length, List<String> columnNames) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.floats = floats;
        this.columnNames = List.copyOf(columnNames);
        if ((long) rows * cols != length) {
            throw new IllegalArgumentException(rows + " x " + cols + " matrix needs " + ((long) rows * cols) + " values, got " + length);
        }
        if (this.columnNames.size() != cols) {
            throw new IllegalArgumentException(cols + " columns but " + this.columnNames.size() + " names");
        }
    }

    /** A matrix held as floats, NaN for missing (see the class comment). */
    public static DenseMatrix ofFloats(int rows, int cols, float[] data, List<String> columnNames) {
        return new DenseMatrix(rows, cols, null, requireNonNull(data, "data is null"), data.length, columnNames);
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public List<String> columnNames() {
        return columnNames;
    }

    /** The values as doubles, row-major (widened from the floats once, for a matrix held as floats). */
    public double[] data() {
        double[] values = data;
        if (values == null) {
            synchronized (this) {
                values = data;
                if (values == null) {
                    values = new double[floats.length];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = floats[i];
                    }
                    data = values;
                }
            }
        }
        return values;
    }

    public double get(int row, int col) {
        return floats != null ? floats[row * cols + col] : data[row * cols + col];
    }

    /** Rows {@code [from, to)} as a new matrix, held as this one is. */
    public DenseMatrix rows(int from, int to) {
        if (floats != null) {
            float[] slice = new float[(to - from) * cols];
            System.arraycopy(floats, from * cols, slice, 0, slice.length);
            return ofFloats(to - from, cols, slice, columnNames);
        }
        double[] slice = new double[(to - from) * cols];
        System.arraycopy(data, from * cols, slice, 0, slice.length);
        return new DenseMatrix(to - from, cols, slice, columnNames);
    }

    /** Rows {@code [from, to)} as floats, NaN kept: one copy, narrowed from the doubles when held as doubles. */
    public float[] toFloats(int fromRow, int toRow) {
        int start = fromRow * cols;
        int end = toRow * cols;
        if (floats != null) {
            return Arrays.copyOfRange(floats, start, end);
        }
        float[] converted = new float[end - start];
        for (int i = 0; i < converted.length; i++) {
            converted[i] = (float) data[start + i];
        }
        return converted;
    }

    /** The values as floats, NaN kept (XGBoost's input format): a copy, or for a matrix held as floats the floats themselves. */
    public float[] toFloats() {
        if (floats != null) {
            return floats;
        }
        float[] converted = new float[data.length];
        for (int i = 0; i < converted.length; i++) {
            converted[i] = (float) data[i];
        }
        return converted;
    }

    @Override
    public String toString() {
        return "DenseMatrix[" + rows + " x " + cols + (floats != null ? " floats" : "") + ", " + columnNames + "]";
    }
}
