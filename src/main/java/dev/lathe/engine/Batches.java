package dev.lathe.engine;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.Parallel;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;

/** Row selection on columnar batches (splitting training data into training and evaluation rows). */
final class Batches {
    private Batches() {}

    /** The rows whose index is set in {@code keep}, in order. */
    static Batch filter(Batch batch, BitSet keep) {
        int[] rows = new int[keep.cardinality()];
        for (int row = keep.nextSetBit(0), i = 0; row >= 0; row = keep.nextSetBit(row + 1)) {
            rows[i++] = row;
        }
        int width = batch.columns().size();
        List<Column> columns = Parallel.map(Parallel.worthIt(rows.length, width), width, c -> filter(batch.column(c), rows));
        return new Batch(batch.schema(), rows.length, columns);
    }

    /** The NULL mask of the kept rows. */
    private static BitSet filter(BitSet nulls, int[] rows) {
        BitSet kept = new BitSet(rows.length);
        if (nulls.isEmpty()) {
            return kept;
        }
        for (int i = 0; i < rows.length; i++) {
            if (nulls.get(rows[i])) {
                kept.set(i);
            }
        }
        return kept;
    }

    private static Column filter(Column column, int[] rows) {
        return switch (column) {
            // The arrays are taken out of the columns once and the null masks visited only where there are NULLs: a
            // one-shot CREATE MODEL runs these loops interpreted, where every call per row counts.
            case DoubleColumn c -> {
                double[] source = c.values();
                double[] values = new double[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    values[i] = source[rows[i]];
                }
                yield new DoubleColumn(values, filter(c.nulls(), rows));
            }
            case StringColumn c -> {
                int[] source = c.codes();
                int[] codes = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    codes[i] = source[rows[i]];
                }
                yield new StringColumn(codes, c.dictionary());
            }
            case TimestampColumn c -> {
                long[] source = c.epochMicros();
                long[] values = new long[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    values[i] = source[rows[i]];
                }
                yield new TimestampColumn(values, filter(c.nulls(), rows));
            }
            case StringArrayColumn c -> {
                int[] offsets = new int[rows.length + 1];
                int[] codes = new int[c.codes().length];
                BitSet nulls = new BitSet(rows.length);
                int count = 0;
                for (int i = 0; i < rows.length; i++) {
                    int from = c.offsets()[rows[i]];
                    int to = c.offsets()[rows[i] + 1];
                    System.arraycopy(c.codes(), from, codes, count, to - from);
                    count += to - from;
                    offsets[i + 1] = count;
                    if (c.isNull(rows[i])) {
                        nulls.set(i);
                    }
                }
                yield new StringArrayColumn(offsets, Arrays.copyOf(codes, count), c.dictionary(), nulls);
            }
            case SparseVectorColumn c -> {
                int[] offsets = new int[rows.length + 1];
                int[] indices = new int[c.indices().length];
                double[] values = new double[c.values().length];
                BitSet nulls = new BitSet(rows.length);
                int count = 0;
                for (int i = 0; i < rows.length; i++) {
                    int from = c.offsets()[rows[i]];
                    int to = c.offsets()[rows[i] + 1];
                    System.arraycopy(c.indices(), from, indices, count, to - from);
                    System.arraycopy(c.values(), from, values, count, to - from);
                    count += to - from;
                    offsets[i + 1] = count;
                    if (c.isNull(rows[i])) {
                        nulls.set(i);
                    }
                }
                yield new SparseVectorColumn(offsets, Arrays.copyOf(indices, count), Arrays.copyOf(values, count), nulls);
            }
        };
    }
}
