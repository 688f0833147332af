package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The encoded feature matrix an estimator sees: row-major doubles, NaN for a missing value (only tree
 * models ever see NaN; linear models and k-means get imputed values). Column names are the
 * processed-input names (e.g. {@code species_Adelie}, {@code _TS_DOW_ts}).
 */
public record DenseMatrix(int rows, int cols, double[] data, List<String> columnNames) {
    public DenseMatrix {
        requireNonNull(data, "data is null");
        columnNames = List.copyOf(columnNames);
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " matrix needs " + ((long) rows * cols) + " values, got " + data.length);
        }
        if (columnNames.size() != cols) {
            throw new IllegalArgumentException(cols + " columns but " + columnNames.size() + " names");
        }
    }

    public double get(int row, int col) {
        return data[row * cols + col];
    }

    /** Rows {@code [from, to)} as a new matrix. */
    public DenseMatrix rows(int from, int to) {
        double[] slice = new double[(to - from) * cols];
        System.arraycopy(data, from * cols, slice, 0, slice.length);
        return new DenseMatrix(to - from, cols, slice, columnNames);
    }

    /** The values as floats, NaN kept (XGBoost's input format). */
    public float[] toFloats() {
        float[] floats = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            floats[i] = (float) data[i];
        }
        return floats;
    }
}
