package dev.lathe.profile;

import java.util.Optional;

/**
 * The distinct values of a run of numbers with how often each occurs, when there are few of them. A numeric column of a
 * training table often has a few hundred values over a million rows (a delay in minutes, a distance, an age, a code),
 * and the profile's sketches then take each value once with its count instead of once per row: KLL's weighted update is
 * exactly that many updates of the value, and a HyperLogLog register only ever keeps a value's largest rank. A run with
 * more distinct values than the limit gives up as soon as it sees one too many.
 */
final class ValueCounts {
    private final double[] values;
    private final long[] counts;

    private ValueCounts(double[] values, long[] counts) {
        this.values = values;
        this.counts = counts;
    }

    /**
     * Counts {@code values[from .. from + count)} (no NaN), -0.0 as 0.0; empty when they hold more than {@code limit}
     * distinct values.
     */
    static Optional<ValueCounts> of(double[] values, int from, int count, int limit) {
        int capacity = Integer.highestOneBit(Math.max(limit, 1)) << 2; // at most half full
        int shift = 64 - Integer.numberOfTrailingZeros(capacity);
        int mask = capacity - 1;
        long[] keys = new long[capacity];
        long[] counted = new long[capacity]; // 0: an empty slot
        int distinct = 0;
        int to = from + count;
        for (int i = from; i < to; i++) {
            long bits = Double.doubleToRawLongBits(values[i] + 0.0); // -0.0 + 0.0 is 0.0
            int slot = (int) ((bits * 0x9E3779B97F4A7C15L) >>> shift);
            while (true) {
                long seen = counted[slot];
                if (seen == 0) {
                    if (++distinct > limit) {
                        return Optional.empty();
                    }
                    keys[slot] = bits;
                    counted[slot] = 1;
                    break;
                }
                if (keys[slot] == bits) {
                    counted[slot] = seen + 1;
                    break;
                }
                slot = (slot + 1) & mask;
            }
        }
        double[] distinctValues = new double[distinct];
        long[] distinctCounts = new long[distinct];
        for (int slot = 0, n = 0; slot < capacity; slot++) {
            if (counted[slot] > 0) {
                distinctValues[n] = Double.longBitsToDouble(keys[slot]);
                distinctCounts[n++] = counted[slot];
            }
        }
        return Optional.of(new ValueCounts(distinctValues, distinctCounts));
    }

    int size() {
        return values.length;
    }

    double value(int i) {
        return values[i];
    }

    long count(int i) {
        return counts[i];
    }
}
