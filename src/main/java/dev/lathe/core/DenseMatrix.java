package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The encoded feature matrix an estimator sees: row-major values, NaN for a missing value (only tree
 * models ever see NaN; linear models and k-means get imputed values). Column names are the
 * processed-input names (e.g. {@code species_Adelie}, {@code _TS_DOW_ts}).
 *
 * <p>Held as doubles, or, for tree models' training input (XGBoost takes floats), as floats ({@link #ofFloats}):
 * then {@link #toFloats} hands them over without a copy and {@link #data} widens them once, on first use. A tree
 * model's training matrix is held as its encoding ({@link #ofFloatEncoding}): {@link #writeFloats} encodes it into the
 * caller's sink (XGBoost's native memory), and anything else asking for its values gets floats encoded once. For linear
 * models' training input, one-hot groups may be held as the column each row sets ({@link #ofOneHotRows}): then
 * {@link #data} writes the dense values once, on first use, for whatever asks for them.
 * Immutable by contract: the arrays returned must not be modified.
 */
public final class DenseMatrix {
    private final int rows;
    private final int cols;
    private final List<String> columnNames;
    private final OneHotRows oneHot; // null unless held as one-hot rows
    private final float[] floats; // null unless held as floats
    private final Consumer<FloatSink> encoding; // null unless held as an encoding
    private volatile float[] encoded; // an encoding's floats, null until first asked for
    private volatile double[] data; // null until first asked for when held as floats, one-hot rows or an encoding

    public DenseMatrix(int rows, int cols, double[] data, List<String> columnNames) {
        this(rows, cols, requireNonNull(data, "data is null"), null, null, null, data.length, columnNames);
    }

    private DenseMatrix(int rows, int cols, double[] data, float[] floats, OneHotRows oneHot, Consumer<FloatSink> encoding,
            long length, List<String> columnNames) {
        this.rows = rows;
        this.cols = cols;
        this.data = data;
        this.floats = floats;
        this.oneHot = oneHot;
        this.encoding = encoding;
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
        return new DenseMatrix(rows, cols, null, requireNonNull(data, "data is null"), null, null, data.length, columnNames);
    }

    /**
     * A matrix held as its encoding (see the class comment): {@code encoding} writes every one of the
     * {@code rows * cols} floats into the sink it is given, row-major, NaN for missing, the same floats each time.
     */
    public static DenseMatrix ofFloatEncoding(int rows, int cols, Consumer<FloatSink> encoding, List<String> columnNames) {
        return new DenseMatrix(rows, cols, null, null, null, requireNonNull(encoding, "encoding is null"), (long) rows * cols,
                columnNames);
    }

    /**
     * A matrix of {@code cols} columns held as one-hot rows (see the class comment). The rows' value columns and set
     * columns are below {@code cols}; the value columns are checked here, the set columns (one per row and group) not.
     */
    public static DenseMatrix ofOneHotRows(int cols, OneHotRows rows, List<String> columnNames) {
        requireNonNull(rows, "rows is null");
        for (int column : rows.valueColumns()) {
            if (column < 0 || column >= cols) {
                throw new IllegalArgumentException("value column " + column + " outside " + cols + " columns");
            }
        }
        return new DenseMatrix(rows.rows(), cols, null, null, rows, null, (long) rows.rows() * cols, columnNames);
    }

    /** The rows as one-hot rows, for a matrix held so ({@link #ofOneHotRows}); empty otherwise. */
    public Optional<OneHotRows> oneHotRows() {
        return Optional.ofNullable(oneHot);
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

    /**
     * The values as doubles, row-major (widened from the floats or written from the one-hot rows once, for a matrix
     * held so).
     */
    public double[] data() {
        double[] values = data;
        if (values == null) {
            synchronized (this) {
                values = data;
                if (values == null) {
                    values = new double[Math.multiplyExact(rows, cols)];
                    float[] held = heldFloats();
                    if (held != null) {
                        for (int i = 0; i < values.length; i++) {
                            values[i] = held[i];
                        }
                    } else {
                        oneHot.densify(values, cols);
                    }
                    data = values;
                }
            }
        }
        return values;
    }

    public double get(int row, int col) {
        float[] held = heldFloats();
        if (held != null) {
            return held[row * cols + col];
        }
        if (oneHot != null && data == null) {
            return oneHot.get(row, col); // one value: no dense copy
        }
        return data()[row * cols + col];
    }

    /** Rows {@code [from, to)} as a new matrix, held as this one is. */
    public DenseMatrix rows(int from, int to) {
        if (oneHot != null) {
            return ofOneHotRows(cols, oneHot.slice(from, to), columnNames);
        }
        float[] held = heldFloats();
        if (held != null) {
            float[] slice = new float[(to - from) * cols];
            System.arraycopy(held, from * cols, slice, 0, slice.length);
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
        float[] held = heldFloats();
        if (held != null) {
            return Arrays.copyOfRange(held, start, end);
        }
        double[] values = data();
        float[] converted = new float[end - start];
        for (int i = 0; i < converted.length; i++) {
            converted[i] = (float) values[start + i];
        }
        return converted;
    }

    /**
     * The values as floats, NaN kept (XGBoost's input format): a copy, or for a matrix held as floats or as its encoding
     * the floats themselves.
     */
    public float[] toFloats() {
        float[] held = heldFloats();
        if (held != null) {
            return held;
        }
        double[] values = data();
        float[] converted = new float[values.length];
        for (int i = 0; i < converted.length; i++) {
            converted[i] = (float) values[i];
        }
        return converted;
    }

    /**
     * Writes the values as floats, row-major, NaN kept, into {@code sink}, which holds exactly {@code rows * cols}: a
     * matrix held as its encoding is encoded into it (its floats never held on the heap unless something else asked
     * for them), one held otherwise is copied or narrowed. Every float of the sink is written.
     */
    public void writeFloats(FloatSink sink) {
        if (sink.length() != (long) rows * cols) {
            throw new IllegalArgumentException(rows + " x " + cols + " matrix written into a sink of " + sink.length() + " floats");
        }
        if (encoding != null && encoded == null) {
            encoding.accept(sink);
            return;
        }
        float[] held = heldFloats();
        if (held != null) {
            sink.set(0, held);
            return;
        }
        double[] values = data();
        for (int i = 0; i < values.length; i++) {
            sink.set(i, (float) values[i]);
        }
    }

    /** The floats, for a matrix held as floats or as an encoding (encoded on first use, once); null otherwise. */
    private float[] heldFloats() {
        if (floats != null || encoding == null) {
            return floats;
        }
        float[] values = encoded;
        if (values == null) {
            synchronized (this) {
                values = encoded;
                if (values == null) {
                    values = new float[Math.multiplyExact(rows, cols)];
                    encoding.accept(FloatSink.of(values));
                    encoded = values;
                }
            }
        }
        return values;
    }

    @Override
    public String toString() {
        return "DenseMatrix[" + rows + " x " + cols + (encoding != null ? " float encoding" : floats != null ? " floats"
                : oneHot != null ? " one-hot rows" : "") + ", " + columnNames + "]";
    }
}
