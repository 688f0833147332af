package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * A feature's entries per row, one list of {@link OneHotRows}: row {@code r}'s matrix columns
 * {@code columns[offsets[r] .. offsets[r + 1])}, ascending and distinct, with their values. What a multi-hot or sparse
 * vector feature sets of its columns, without the zeros.
 */
public record RowEntries(int[] offsets, int[] columns, double[] values) {
    public RowEntries {
        requireNonNull(offsets, "offsets is null");
        requireNonNull(columns, "columns is null");
        requireNonNull(values, "values is null");
        if (offsets.length == 0 || offsets[0] != 0 || offsets[offsets.length - 1] != columns.length
                || values.length != columns.length) {
            throw new IllegalArgumentException("row entries need offsets from 0 to their " + columns.length
                    + " columns, as many values; got " + offsets.length + " offsets and " + values.length + " values");
        }
    }

    public int rows() {
        return offsets.length - 1;
    }

    /** Rows {@code [from, to)}. */
    RowEntries slice(int from, int to) {
        int start = offsets[from];
        int[] sliced = new int[to - from + 1];
        for (int row = from; row <= to; row++) {
            sliced[row - from] = offsets[row] - start;
        }
        int end = offsets[to];
        return new RowEntries(sliced, Arrays.copyOfRange(columns, start, end), Arrays.copyOfRange(values, start, end));
    }

    /** Collects entries row by row: {@link #add} a row's entries in any column order, then {@link #endRow}. */
    public static final class Builder {
        private final int[] offsets;
        private int[] columns = new int[64];
        private double[] values = new double[64];
        private int count;
        private int row;
        private int rowStart;

        public Builder(int rows) {
            this.offsets = new int[rows + 1];
        }

        /** Sets {@code column} to {@code value} in the current row; a column set again keeps the later value. */
        public void add(int column, double value) {
            if (count == columns.length) {
                columns = Arrays.copyOf(columns, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            columns[count] = column;
            values[count] = value;
            count++;
        }

        /** Ends the current row: its entries sorted by column, stably, and of a column set twice the later kept. */
        public void endRow() {
            int n = count - rowStart;
            if (n > 1) {
                if (n <= 32) {
                    for (int i = rowStart + 1; i < count; i++) { // insertion sort, stable
                        int column = columns[i];
                        double value = values[i];
                        int j = i - 1;
                        while (j >= rowStart && columns[j] > column) {
                            columns[j + 1] = columns[j];
                            values[j + 1] = values[j];
                            j--;
                        }
                        columns[j + 1] = column;
                        values[j + 1] = value;
                    }
                } else {
                    long[] keys = new long[n]; // column, then position: a stable order
                    for (int i = 0; i < n; i++) {
                        keys[i] = (long) columns[rowStart + i] << 32 | i;
                    }
                    Arrays.sort(keys);
                    double[] held = Arrays.copyOfRange(values, rowStart, count);
                    for (int i = 0; i < n; i++) {
                        columns[rowStart + i] = (int) (keys[i] >>> 32);
                        values[rowStart + i] = held[(int) keys[i]];
                    }
                }
                int kept = rowStart;
                for (int i = rowStart; i < count; i++) {
                    if (i + 1 < count && columns[i + 1] == columns[i]) {
                        continue; // a later entry of the same column follows
                    }
                    columns[kept] = columns[i];
                    values[kept] = values[i];
                    kept++;
                }
                count = kept;
            }
            offsets[++row] = count;
            rowStart = count;
        }

        public RowEntries build() {
            if (row != offsets.length - 1) {
                throw new IllegalStateException(row + " rows ended of " + (offsets.length - 1));
            }
            return new RowEntries(offsets, Arrays.copyOf(columns, count), Arrays.copyOf(values, count));
        }
    }
}
