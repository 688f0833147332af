package dev.lathe.features;

import java.util.Arrays;

/**
 * A feature's entries per row as one list of {@link dev.lathe.core.OneHotRows}: row {@code r}'s matrix columns
 * {@code columns[offsets[r] .. offsets[r + 1])}, ascending and distinct, with their values. What a multi-hot or sparse
 * vector feature sets of its columns, without the zeros.
 */
record ListEntries(int[] offsets, int[] columns, double[] values) {
    /** Collects entries row by row: {@link #add} a row's entries in any column order, then {@link #endRow}. */
    static final class Builder {
        private final int[] offsets;
        private int[] columns = new int[64];
        private double[] values = new double[64];
        private int count;
        private int row;
        private int rowStart;

        Builder(int rows) {
            this.offsets = new int[rows + 1];
        }

        /** Sets {@code column} to {@code value} in the current row; a column set again keeps the later value. */
        void add(int column, double value) {
            if (count == columns.length) {
                columns = Arrays.copyOf(columns, count * 2);
                values = Arrays.copyOf(values, count * 2);
            }
            columns[count] = column;
            values[count] = value;
            count++;
        }

        /** Ends the current row: its entries sorted by column, stably, and of a column set twice the later kept. */
        void endRow() {
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

        ListEntries build() {
            if (row != offsets.length - 1) {
                throw new IllegalStateException(row + " rows ended of " + (offsets.length - 1));
            }
            return new ListEntries(offsets, Arrays.copyOf(columns, count), Arrays.copyOf(values, count));
        }
    }
}
