package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.BitSet;

/** Numbers (INT64, FLOAT64, NUMERIC) as doubles; {@code values[i]} is NaN where {@code nulls} is set. */
public record DoubleColumn(double[] values, BitSet nulls) implements Column {
    public DoubleColumn {
        requireNonNull(values, "values is null");
        requireNonNull(nulls, "nulls is null");
    }

    public static DoubleColumn of(double... values) {
        BitSet nulls = new BitSet(values.length);
        for (int i = 0; i < values.length; i++) {
            if (Double.isNaN(values[i])) {
                nulls.set(i);
            }
        }
        return new DoubleColumn(values, nulls);
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isNull(int row) {
        return nulls.get(row);
    }

    public double get(int row) {
        return values[row];
    }
}
