package dev.lathe.core;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;

/**
 * Reading the counts and lengths of a stored binary file (a model's {@code estimator.bin}, {@code evaluation.bin},
 * {@code profile.bin}) read whole into memory: each one is checked against the bytes left before anything is allocated
 * for it, so a damaged length field is said as such instead of allocating what it claims (probe td F4: an
 * OutOfMemoryError stack trace for a count of 0x7ffffff0, NegativeArraySizeException for -1).
 */
public final class StoredBytes {
    private StoredBytes() {}

    /**
     * Reads a count of items that take at least {@code bytesEach} bytes each; refused when negative or larger than the rest
     * of the input could hold. {@code in} must read from memory (its {@code available()} is what is left).
     */
    public static int count(DataInputStream in, int bytesEach, String what) throws IOException {
        int count = in.readInt();
        check(in, count, bytesEach, what);
        return count;
    }

    /** As {@link #count}, for a count read already (a product of two, say). */
    public static void check(DataInputStream in, long count, int bytesEach, String what) throws IOException {
        int left = in.available();
        if (count < 0 || count * bytesEach > left) {
            throw new IOException("its " + what + " is " + count + ", more than the " + left + " bytes left in the file hold (a damaged"
                    + " count, or a file cut short)");
        }
    }

    /** What a failed read says: a file that ends early is truncated (an EOFException's own message is null). */
    public static String describe(IOException e) {
        return e instanceof EOFException || e.getMessage() == null ? "it ends early, truncated" : e.getMessage();
    }
}
