package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import ml.dmlc.xgboost4j.java.util.BigDenseMatrix;

/**
 * Where a matrix's floats are written, row-major: a {@code float[]}, or native memory the caller owns (a tree model's
 * training matrix, which XGBoost copies into its own rows: written there directly, no Java array of it and no copy of
 * that array for the native call). Native memory is written through XGBoost4J's own accessor
 * ({@link BigDenseMatrix#setDirect}), as the matrices it is for are XGBoost's. Every write is checked against the sink's
 * length. Threads writing different indices (one feature's columns each) need nothing more.
 */
public final class FloatSink {
    private final float[] array; // null for native memory
    private final long address;
    private final long length;

    private FloatSink(float[] array, long address, long length) {
        this.array = array;
        this.address = address;
        this.length = length;
    }

    public static FloatSink of(float[] array) {
        return new FloatSink(requireNonNull(array, "array is null"), 0, array.length);
    }

    /**
     * {@code length} floats at {@code address}, native memory the caller allocated and frees, and keeps while the sink is
     * written.
     */
    public static FloatSink atAddress(long address, long length) {
        if (address == 0 || length < 0) {
            throw new IllegalArgumentException("native floats need an address and a length >= 0, got " + address + ", " + length);
        }
        return new FloatSink(null, address, length);
    }

    public long length() {
        return length;
    }

    public void set(long index, float value) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("float " + index + " of " + length);
        }
        if (array != null) {
            array[(int) index] = value;
        } else {
            BigDenseMatrix.setDirect(address + (index << 2), value);
        }
    }

    public float get(long index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("float " + index + " of " + length);
        }
        return array != null ? array[(int) index] : BigDenseMatrix.getDirect(address + (index << 2));
    }

    /** Writes {@code values} from index {@code at} on. */
    public void set(long at, float[] values) {
        if (at < 0 || at > length - values.length) {
            throw new IndexOutOfBoundsException(values.length + " floats at " + at + " of " + length);
        }
        if (array != null) {
            System.arraycopy(values, 0, array, (int) at, values.length);
        } else {
            for (int i = 0; i < values.length; i++) {
                BigDenseMatrix.setDirect(address + ((at + i) << 2), values[i]);
            }
        }
    }
}
