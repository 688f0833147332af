package dev.lathe.testing;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DataType;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.Field;
import dev.lathe.core.Schema;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds small batches column by column for tests; {@code null} elements are NULL.
 *
 * <pre>{@code
 * Batch batch = BatchBuilder.create().numbers("x", 1.0, null, 3.0).strings("s", "a", "b", null).build();
 * }</pre>
 */
public final class BatchBuilder {
    private final List<Field> fields = new ArrayList<>();
    private final List<Column> columns = new ArrayList<>();

    private BatchBuilder() {}

    public static BatchBuilder create() {
        return new BatchBuilder();
    }

    /** A FLOAT64 column. */
    public BatchBuilder numbers(String name, Double... values) {
        return numbers(name, DataType.FLOAT64, values);
    }

    /** A numeric column of the given type (INT64, FLOAT64, NUMERIC). */
    public BatchBuilder numbers(String name, DataType type, Double... values) {
        double[] doubles = new double[values.length];
        BitSet nulls = new BitSet(values.length);
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                doubles[i] = Double.NaN;
                nulls.set(i);
            } else {
                doubles[i] = values[i];
            }
        }
        return column(Field.of(name, type), new DoubleColumn(doubles, nulls));
    }

    public BatchBuilder strings(String name, String... values) {
        return column(Field.of(name, DataType.STRING), StringColumn.of(values));
    }

    public BatchBuilder bools(String name, Boolean... values) {
        String[] rendered = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            rendered[i] = values[i] == null ? null : values[i].toString();
        }
        return column(Field.of(name, DataType.BOOL), StringColumn.of(rendered));
    }

    /** TIMESTAMP values from ISO-8601 instants such as {@code 2024-03-10T13:45:00Z}. */
    public BatchBuilder timestamps(String name, String... instants) {
        long[] micros = new long[instants.length];
        BitSet nulls = new BitSet(instants.length);
        for (int i = 0; i < instants.length; i++) {
            if (instants[i] == null) {
                nulls.set(i);
            } else {
                micros[i] = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instants[i]));
            }
        }
        return column(Field.of(name, DataType.TIMESTAMP), new TimestampColumn(micros, nulls));
    }

    /** ARRAY&lt;STRING&gt;; a null row is a NULL array, a null element a NULL element. */
    public BatchBuilder stringArrays(String name, String[]... rows) {
        int[] offsets = new int[rows.length + 1];
        List<Integer> codes = new ArrayList<>();
        List<String> dictionary = new ArrayList<>();
        Map<String, Integer> index = new HashMap<>();
        BitSet nulls = new BitSet(rows.length);
        for (int row = 0; row < rows.length; row++) {
            if (rows[row] == null) {
                nulls.set(row);
            } else {
                for (String element : rows[row]) {
                    codes.add(element == null ? -1 : index.computeIfAbsent(element, e -> {
                        dictionary.add(e);
                        return dictionary.size() - 1;
                    }));
                }
            }
            offsets[row + 1] = codes.size();
        }
        int[] codeArray = codes.stream().mapToInt(Integer::intValue).toArray();
        return column(Field.of(name, DataType.ARRAY_STRING), new StringArrayColumn(offsets, codeArray, dictionary, nulls));
    }

    /**
     * ARRAY&lt;STRUCT&lt;index, value&gt;&gt;; each row is {@code {index, value, index, value, ...}}, a null row is a NULL
     * vector.
     */
    public BatchBuilder sparseVectors(String name, double[]... rows) {
        int[] offsets = new int[rows.length + 1];
        List<Integer> indices = new ArrayList<>();
        List<Double> values = new ArrayList<>();
        BitSet nulls = new BitSet(rows.length);
        for (int row = 0; row < rows.length; row++) {
            if (rows[row] == null) {
                nulls.set(row);
            } else {
                for (int i = 0; i + 1 < rows[row].length; i += 2) {
                    indices.add((int) rows[row][i]);
                    values.add(rows[row][i + 1]);
                }
            }
            offsets[row + 1] = indices.size();
        }
        return column(Field.of(name, DataType.SPARSE_VECTOR), new SparseVectorColumn(offsets,
                indices.stream().mapToInt(Integer::intValue).toArray(),
                values.stream().mapToDouble(Double::doubleValue).toArray(), nulls));
    }

    public BatchBuilder column(Field field, Column column) {
        fields.add(field);
        columns.add(column);
        return this;
    }

    /** The batch; its row count is that of the first column (0 without columns). */
    public Batch build() {
        int rows = columns.isEmpty() ? 0 : columns.getFirst().size();
        return new Batch(new Schema(fields), rows, columns);
    }
}
