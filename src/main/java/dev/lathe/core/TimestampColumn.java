package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.BitSet;

/** TIMESTAMP values as microseconds since the Unix epoch (UTC). */
public record TimestampColumn(long[] epochMicros, BitSet nulls) implements Column {
    public TimestampColumn {
        requireNonNull(epochMicros, "epochMicros is null");
        requireNonNull(nulls, "nulls is null");
    }

    @Override
    public int size() {
        return epochMicros.length;
    }

    @Override
    public boolean isNull(int row) {
        return nulls.get(row);
    }
}
