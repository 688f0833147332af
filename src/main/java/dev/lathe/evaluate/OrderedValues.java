package dev.lathe.evaluate;

import java.util.Arrays;

/**
 * The distinct values of a number each row of {@link ScoredRows} has (a score, an absolute error), in ascending order
 * with how many rows of each are positive and how many are not: what the rank metrics (AUC, the median absolute error,
 * ROC points and their default thresholds) read, exactly as from the sorted array of every row's value. The order is
 * {@link Arrays#sort(double[])}'s ({@code -0.0} before {@code 0.0}, each a value of its own; every NaN one value, last).
 *
 * <p>At most {@code capacity} values are held at a time. More rows than that are read in passes: one counts the rows
 * by the top 16 bits of their order-preserving 64-bit key, consecutive runs of those buckets that together hold at most
 * {@code capacity} rows are then read, sorted and visited one run a pass, and a bucket that alone holds more is split by
 * its next 16 bits the same way (its last level, the key's lowest 16 bits, is one value per bucket, counted, not held).
 * So the memory is bounded whatever the rows, and each pass reads the rows once, in order.
 */
final class OrderedValues {
    private static final int DIGIT_BITS = 16;
    private static final int BUCKETS = 1 << DIGIT_BITS;

    private OrderedValues() {}

    /** Row {@code row}'s value of a chunk ({@link ScoredRows.Chunk}). */
    @FunctionalInterface
    interface Value {
        double of(double[] labels, double[] predictions, int row);
    }

    /** Whether row {@code row} of a chunk counts as positive. */
    @FunctionalInterface
    interface Positive {
        boolean test(double[] labels, int row);
    }

    /** Receives the distinct values in ascending order. */
    @FunctionalInterface
    interface Group {
        void accept(double value, long positives, long negatives);
    }

    /** The values the heap holds for one sorted run: a sixteenth of the maximum heap, in 8-byte keys. */
    static int defaultCapacity() {
        return (int) Math.max(BUCKETS, Math.min(Runtime.getRuntime().maxMemory() / 16 / 8, Integer.MAX_VALUE - 16));
    }

    /** Visits the distinct values of {@code value} over {@code rows} in ascending order, holding at most {@code capacity}. */
    static void ascending(ScoredRows rows, Value value, Positive positive, int capacity, Group group) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity is " + capacity);
        }
        long count = rows.count();
        if (count == 0) {
            return;
        }
        long[] keys = new long[(int) Math.min(count, capacity)];
        if (count <= capacity) {
            collect(rows, value, positive, 0, -1L, keys, (int) count, group);
        } else {
            refine(rows, value, positive, 0L, 0, keys, group);
        }
    }

    /**
     * The order-preserving key of {@code value}, as an unsigned number: {@link Double#doubleToLongBits} (every NaN the
     * same bits, above infinity) with a negative number's other bits flipped, then the sign bit flipped.
     */
    static long key(double value) {
        long bits = Double.doubleToLongBits(value);
        return (bits ^ ((bits >> 63) & Long.MAX_VALUE)) ^ Long.MIN_VALUE;
    }

    /** The value of an unsigned {@link #key}. */
    static double value(long key) {
        long signed = key ^ Long.MIN_VALUE;
        return Double.longBitsToDouble(signed ^ ((signed >> 63) & Long.MAX_VALUE));
    }

    /**
     * Visits the values whose key starts with the {@code bits} bits of {@code prefix}: counts them by their next 16 bits,
     * then visits runs of those buckets of at most {@code keys.length} rows a pass, refining a larger bucket.
     */
    private static void refine(ScoredRows rows, Value value, Positive positive, long prefix, int bits, long[] keys, Group group) {
        long[] positives = new long[BUCKETS];
        long[] negatives = new long[BUCKETS];
        int shift = 64 - bits - DIGIT_BITS;
        rows.forEachChunk((first, labels, predictions, count) -> {
            for (int row = 0; row < count; row++) {
                long key = key(value.of(labels, predictions, row));
                if (bits == 0 || key >>> (64 - bits) == prefix) {
                    int digit = (int) (key >>> shift) & (BUCKETS - 1);
                    if (positive.test(labels, row)) {
                        positives[digit]++;
                    } else {
                        negatives[digit]++;
                    }
                }
            }
        });
        long base = bits == 0 ? 0 : prefix << (64 - bits);
        int start = -1;
        long held = 0;
        for (int digit = 0; digit < BUCKETS; digit++) {
            long rowsOf = positives[digit] + negatives[digit];
            if (rowsOf == 0) {
                continue;
            }
            if (shift == 0) { // the key's last bits: one value per bucket
                group.accept(value(base | digit), positives[digit], negatives[digit]);
                continue;
            }
            if (held + rowsOf > keys.length && start >= 0) {
                collectRange(rows, value, positive, base, shift, start, digit - 1, keys, (int) held, group);
                start = -1;
                held = 0;
            }
            if (rowsOf > keys.length) {
                refine(rows, value, positive, (base | ((long) digit << shift)) >>> shift, bits + DIGIT_BITS, keys, group);
            } else {
                if (start < 0) {
                    start = digit;
                }
                held += rowsOf;
            }
        }
        if (start >= 0) {
            collectRange(rows, value, positive, base, shift, start, BUCKETS - 1, keys, (int) held, group);
        }
    }

    private static void collectRange(ScoredRows rows, Value value, Positive positive, long base, int shift, int from, int to, long[] keys,
            int expected, Group group) {
        long low = base | ((long) from << shift);
        long high = base | ((long) to << shift) | ((1L << shift) - 1);
        collect(rows, value, positive, low, high, keys, expected, group);
    }

    /**
     * Visits the values whose unsigned keys lie in {@code [low, high]}, {@code expected} rows: positives' keys are read
     * into the front of {@code keys}, negatives' into the back, each part sorted, then merged.
     */
    private static void collect(ScoredRows rows, Value value, Positive positive, long low, long high, long[] keys, int expected,
            Group group) {
        int[] fill = {0, expected}; // the next positive's slot, the last negative's
        rows.forEachChunk((first, labels, predictions, count) -> {
            for (int row = 0; row < count; row++) {
                long key = key(value.of(labels, predictions, row));
                if (Long.compareUnsigned(key, low) >= 0 && Long.compareUnsigned(key, high) <= 0) {
                    if (fill[0] >= fill[1]) {
                        throw new IllegalStateException("more than the " + expected + " rows counted in a range; do the rows change between passes?");
                    }
                    // held signed (the sign bit flipped back), so Arrays.sort orders them as unsigned keys
                    if (positive.test(labels, row)) {
                        keys[fill[0]++] = key ^ Long.MIN_VALUE;
                    } else {
                        keys[--fill[1]] = key ^ Long.MIN_VALUE;
                    }
                }
            }
        });
        if (fill[0] != fill[1]) {
            throw new IllegalStateException((fill[0] + expected - fill[1]) + " rows in a range counted " + expected
                    + " before; do the rows change between passes?");
        }
        int positives = fill[0];
        Arrays.sort(keys, 0, positives);
        Arrays.sort(keys, positives, expected);
        int p = 0;
        int n = positives;
        while (p < positives || n < expected) {
            long next = p == positives ? keys[n] : n == expected ? keys[p] : Math.min(keys[p], keys[n]);
            int positiveStart = p;
            while (p < positives && keys[p] == next) {
                p++;
            }
            int negativeStart = n;
            while (n < expected && keys[n] == next) {
                n++;
            }
            group.accept(value(next ^ Long.MIN_VALUE), p - positiveStart, n - negativeStart);
        }
    }
}
