package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

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
 * the {@link RowEntries} of its set columns, ascending. Summing a row's products over its terms in this order adds
 * what a sum over every column of the dense row adds, in the same order, less the zeros, so results are bit-identical.
 * Immutable by contract: the arrays returned must not be modified.
 */
public final class OneHotRows {
    private final int rows;
    private final int[] terms;
    private final int[] valueColumns;
    private final int groups;
    private final double[] values;
    private final int[] hot;
    private final RowEntries[] lists;

    public OneHotRows(int rows, int[] terms, int[] valueColumns, int groups, double[] values, int[] hot) {
        this(rows, terms, valueColumns, groups, values, hot, List.of());
    }

    /** With lists (see the class comment), each of {@code rows} rows. */
    public OneHotRows(int rows, int[] terms, int[] valueColumns, int groups, double[] values, int[] hot, List<RowEntries> lists) {
        this.rows = rows;
        this.terms = requireNonNull(terms, "terms is null");
        this.valueColumns = requireNonNull(valueColumns, "valueColumns is null");
        this.groups = groups;
        this.values = requireNonNull(values, "values is null");
        this.hot = requireNonNull(hot, "hot is null");
        this.lists = requireNonNull(lists, "lists is null").toArray(RowEntries[]::new);
        for (int list = 0; list < this.lists.length; list++) {
            if (this.lists[list].rows() != rows) {
                throw new IllegalArgumentException("list " + list + " has " + this.lists[list].rows() + " rows, not " + rows);
            }
        }
        if (terms.length != valueColumns.length + groups + this.lists.length) {
            throw new IllegalArgumentException(terms.length + " terms for " + valueColumns.length + " value columns, " + groups
                    + " groups and " + this.lists.length + " lists");
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
        return lists.length;
    }

    /** List {@code list}'s entries: per row the matrix columns it sets, ascending, with their values. */
    public RowEntries list(int list) {
        return lists[list];
    }

    /** Receives a row's entries from {@link #forEachEntry}. */
    @FunctionalInterface
    public interface EntryConsumer {
        void accept(int column, double value);
    }

    /**
     * Row {@code row}'s entries in column order (its terms' order): each value column with its value, each group's set
     * column with 1 (none for -1), each list's columns with their values. The columns a dense row holds zeros in are left
     * out.
     */
    public void forEachEntry(int row, EntryConsumer consumer) {
        int count = valueColumns.length;
        for (int term : terms) {
            if (term >= 0) {
                consumer.accept(valueColumns[term], values[row * count + term]);
            } else if (term >= -groups) {
                int column = hot[row * groups - term - 1];
                if (column >= 0) {
                    consumer.accept(column, 1);
                }
            } else {
                RowEntries list = lists[-term - 1 - groups];
                for (int j = list.offsets()[row], end = list.offsets()[row + 1]; j < end; j++) {
                    consumer.accept(list.columns()[j], list.values()[j]);
                }
            }
        }
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
        for (RowEntries list : lists) {
            for (int j = list.offsets()[row]; j < list.offsets()[row + 1]; j++) {
                if (list.columns()[j] == column) {
                    return list.values()[j];
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
        for (RowEntries list : lists) {
            for (int j = list.offsets()[row]; j < list.offsets()[row + 1]; j++) {
                out[offset + list.columns()[j]] = list.values()[j];
            }
        }
    }

    /** Rows {@code [from, to)}. */
    OneHotRows slice(int from, int to) {
        return new OneHotRows(to - from, terms, valueColumns, groups,
                Arrays.copyOfRange(values, from * valueColumns.length, to * valueColumns.length),
                Arrays.copyOfRange(hot, from * groups, to * groups),
                Arrays.stream(lists).map(list -> list.slice(from, to)).toList());
    }
}
