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

    private static Column filter(Column column, int[] rows) {
        return switch (column) {
            case DoubleColumn c -> {
                double[] values = new double[rows.length];
                BitSet nulls = new BitSet(rows.length);
                for (int i = 0; i < rows.length; i++) {
                    values[i] = c.values()[rows[i]];
                    if (c.isNull(rows[i])) {
                        nulls.set(i);
                    }
                }
                yield new DoubleColumn(values, nulls);
            }
            case StringColumn c -> {
                int[] codes = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    codes[i] = c.codes()[rows[i]];
                }
                yield new StringColumn(codes, c.dictionary());
            }
            case TimestampColumn c -> {
                long[] values = new long[rows.length];
                BitSet nulls = new BitSet(rows.length);
                for (int i = 0; i < rows.length; i++) {
                    values[i] = c.epochMicros()[rows[i]];
                    if (c.isNull(rows[i])) {
                        nulls.set(i);
                    }
                }
                yield new TimestampColumn(values, nulls);
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
