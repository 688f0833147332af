package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;

/**
 * The rows of an encoded matrix whose one-hot groups are held as the column each row sets, instead of a run of zeros
 * and a one: {@link DenseMatrix#ofOneHotRows}. Every other column is held as a value. Adult's 14 features encode to
 * 116 columns of which a row sets 14, so a linear model reads and stores 14 numbers a row instead of 116.
 *
 * <p>A row's <em>terms</em> are its value columns and its groups, in column order ({@link #terms}): a term {@code t >= 0}
 * is value slot {@code t}, column {@link #valueColumns}{@code [t]}, value {@code values[row * valueCount + t]}; a term
 * {@code t < 0} is group {@code -t - 1}, whose set column is {@code hot[row * groups + (-t - 1)]} (a column of the
 * matrix, -1 for none: an unseen or dropped category). A feature that sets several columns a row, or none (multi-hot
 * ARRAY&lt;STRING&gt;, a sparse vector), is a <em>list</em>: a term {@code t < -groups} is list {@code -t - 1 - groups},
 * whose row {@code r} holds {@code listColumns[l][j]} with value {@code listValues[l][j]} for {@code j} from
 * {@code listOffsets[l][r]} to {@code listOffsets[l][r + 1]}, columns ascending and distinct. Summing a row's products over its terms in this order adds what
 * a sum over every column of the dense row adds, in the same order, less the zeros, so results are bit-identical.
 * Immutable by contract: the arrays returned must not be modified.
 */
public final class OneHotRows {
    private final int rows;
    private final int[] terms;
    private final int[] valueColumns;
    private final int groups;
    private final double[] values;
    private final int[] hot;
    private final int[][] listOffsets;
    private final int[][] listColumns;
    private final double[][] listValues;

    public OneHotRows(int rows, int[] terms, int[] valueColumns, int groups, double[] values, int[] hot) {
        this(rows, terms, valueColumns, groups, values, hot, new int[0][], new int[0][], new double[0][]);
    }

    /** With lists (see the class comment): per list, {@code rows + 1} offsets and its columns and values. */
    public OneHotRows(int rows, int[] terms, int[] valueColumns, int groups, double[] values, int[] hot, int[][] listOffsets,
            int[][] listColumns, double[][] listValues) {
        this.rows = rows;
        this.terms = requireNonNull(terms, "terms is null");
        this.valueColumns = requireNonNull(valueColumns, "valueColumns is null");
        this.groups = groups;
        this.values = requireNonNull(values, "values is null");
        this.hot = requireNonNull(hot, "hot is null");
        this.listOffsets = requireNonNull(listOffsets, "listOffsets is null");
        this.listColumns = requireNonNull(listColumns, "listColumns is null");
        this.listValues = requireNonNull(listValues, "listValues is null");
        if (listColumns.length != listOffsets.length || listValues.length != listOffsets.length) {
            throw new IllegalArgumentException(listOffsets.length + " lists' offsets, " + listColumns.length + " columns and "
                    + listValues.length + " values");
        }
        for (int list = 0; list < listOffsets.length; list++) {
            int[] offsets = listOffsets[list];
            if (offsets.length != rows + 1 || offsets[0] != 0 || offsets[rows] != listColumns[list].length
                    || listValues[list].length != listColumns[list].length) {
                throw new IllegalArgumentException("list " + list + " needs " + (rows + 1) + " offsets from 0 to its "
                        + listColumns[list].length + " columns, as many values");
            }
        }
        if (terms.length != valueColumns.length + groups + listOffsets.length) {
            throw new IllegalArgumentException(terms.length + " terms for " + valueColumns.length + " value columns, " + groups
                    + " groups and " + listOffsets.length + " lists");
        }
        if ((long) rows * valueColumns.length != values.length || (long) rows * groups != hot.length) {
            throw new IllegalArgumentException(rows + " rows need " + ((long) rows * valueColumns.length) + " values and "
                    + ((long) rows * groups) + " set columns, got " + values.length + " and " + hot.length);
        }
    }

    public int rows() {
        return rows;
    }

    /**
     * A row's terms in column order: value slot {@code t} for {@code t >= 0}, group {@code -t - 1} for
     * {@code -groups <= t < 0}, list {@code -t - 1 - groups} below.
     */
    public int[] terms() {
        return terms;
    }

    /** The matrix column of each value slot. */
    public int[] valueColumns() {
        return valueColumns;
    }

    public int valueCount() {
        return valueColumns.length;
    }

    public int groups() {
        return groups;
    }

    /** Row-major values, {@link #valueCount} per row. */
    public double[] values() {
        return values;
    }

    /** Row-major set columns, {@link #groups} per row: a column of the matrix, -1 for none. */
    public int[] hot() {
        return hot;
    }

    public int lists() {
        return listOffsets.length;
    }

    /** Per list, each row's first entry and, after the last row, the entry count. */
    public int[][] listOffsets() {
        return listOffsets;
    }

    /** Per list, the entries' matrix columns, ascending within a row. */
    public int[][] listColumns() {
        return listColumns;
    }

    /** Per list, the entries' values. */
    public double[][] listValues() {
        return listValues;
    }

    /** Writes the rows as dense row-major values of {@code cols} columns into {@code out}, which holds zeros. */
    void densify(double[] out, int cols) {
        for (int row = 0; row < rows; row++) {
            write(row, out, row * cols);
        }
    }

    /** The value of {@code row} in matrix column {@code column}: its value, 1 for a set column, else 0. */
    double get(int row, int column) {
        for (int slot = 0; slot < valueColumns.length; slot++) {
            if (valueColumns[slot] == column) {
                return values[row * valueColumns.length + slot];
            }
        }
        for (int group = 0; group < groups; group++) {
            if (hot[row * groups + group] == column) {
                return 1;
            }
        }
        for (int list = 0; list < listOffsets.length; list++) {
            for (int j = listOffsets[list][row]; j < listOffsets[list][row + 1]; j++) {
                if (listColumns[list][j] == column) {
                    return listValues[list][j];
                }
            }
        }
        return 0;
    }

    /** Row {@code row} as {@code cols} dense values into {@code out[offset ..]}, zeros included. */
    public void denseRow(int row, double[] out, int offset, int cols) {
        Arrays.fill(out, offset, offset + cols, 0.0);
        write(row, out, offset);
    }

    private void write(int row, double[] out, int offset) {
        int count = valueColumns.length;
        for (int slot = 0; slot < count; slot++) {
            out[offset + valueColumns[slot]] = values[row * count + slot];
        }
        for (int group = 0; group < groups; group++) {
            int column = hot[row * groups + group];
            if (column >= 0) {
                out[offset + column] = 1;
            }
        }
        for (int list = 0; list < listOffsets.length; list++) {
            for (int j = listOffsets[list][row]; j < listOffsets[list][row + 1]; j++) {
                out[offset + listColumns[list][j]] = listValues[list][j];
            }
        }
    }

    /** Rows {@code [from, to)}. */
    OneHotRows slice(int from, int to) {
        int lists = listOffsets.length;
        int[][] offsets = new int[lists][];
        int[][] columns = new int[lists][];
        double[][] entries = new double[lists][];
        for (int list = 0; list < lists; list++) {
            int start = listOffsets[list][from];
            int end = listOffsets[list][to];
            offsets[list] = new int[to - from + 1];
            for (int row = from; row <= to; row++) {
                offsets[list][row - from] = listOffsets[list][row] - start;
            }
            columns[list] = Arrays.copyOfRange(listColumns[list], start, end);
            entries[list] = Arrays.copyOfRange(listValues[list], start, end);
        }
        return new OneHotRows(to - from, terms, valueColumns, groups,
                Arrays.copyOfRange(values, from * valueColumns.length, to * valueColumns.length),
                Arrays.copyOfRange(hot, from * groups, to * groups), offsets, columns, entries);
    }
}
