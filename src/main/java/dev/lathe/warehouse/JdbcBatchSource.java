package dev.lathe.warehouse;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DataType;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@link BatchReader}'s projection row by row through JDBC: the fallback when Arrow cannot run
 * in this JVM (java.nio not opened to it), and the reference the Arrow path is tested against.
 */
final class JdbcBatchSource implements BatchReader.Source {
    private final Schema schema;
    private final Statement statement;
    private final ResultSet rows;
    private final int batchSize;
    private boolean exhausted;

    JdbcBatchSource(Schema schema, Statement statement, ResultSet rows, int batchSize) {
        this.schema = schema;
        this.statement = statement;
        this.rows = rows;
        this.batchSize = batchSize;
    }

    @Override
    public Optional<Batch> next() {
        if (exhausted) {
            return Optional.empty();
        }
        try {
            List<ColumnBuilder> builders = new ArrayList<>();
            for (dev.lathe.core.Field field : schema.fields()) {
                builders.add(builderFor(field.type()));
            }
            int count = 0;
            while (count < batchSize) {
                if (!rows.next()) {
                    exhausted = true;
                    break;
                }
                int index = 1;
                for (ColumnBuilder builder : builders) {
                    index = builder.append(rows, index);
                }
                count++;
            }
            if (count == 0) {
                return Optional.empty();
            }
            List<Column> columns = new ArrayList<>();
            for (ColumnBuilder builder : builders) {
                columns.add(builder.build());
            }
            return Optional.of(new Batch(schema, count, columns));
        } catch (SQLException e) {
            throw LatheException.internal("Reading rows from DuckDB failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            rows.close();
            if (statement != null) { // null: the caller keeps its statement (a cached one)
                statement.close();
            }
        } catch (SQLException e) {
            throw LatheException.internal("Closing a DuckDB result failed: " + e.getMessage(), e);
        }
    }

    private static ColumnBuilder builderFor(DataType type) {
        return switch (type) {
            case INT64, FLOAT64, NUMERIC -> new DoubleBuilder();
            case STRING, BOOL, BYTES, DATE, DATETIME, TIME -> new StringBuilderColumn();
            case TIMESTAMP -> new TimestampBuilder();
            case ARRAY_STRING -> new StringArrayBuilder();
            case SPARSE_VECTOR -> new SparseBuilder(0.0);
            case ARRAY_FLOAT64 -> new SparseBuilder(Double.NaN); // a numeric array is read as indices and values, a NULL element as NaN
            case STRUCT, OTHER -> throw new IllegalStateException("unreadable type " + type);
        };
    }

    private interface ColumnBuilder {
        /** Appends the value(s) starting at result column {@code index}; returns the next index. */
        int append(ResultSet rows, int index) throws SQLException;

        Column build();
    }

    private static final class DoubleBuilder implements ColumnBuilder {
        private double[] values = new double[1024];
        private final BitSet nulls = new BitSet();
        private int size;

        @Override
        public int append(ResultSet rows, int index) throws SQLException {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            double value = rows.getDouble(index);
            if (rows.wasNull()) {
                nulls.set(size);
                value = Double.NaN;
            }
            values[size++] = value;
            return index + 1;
        }

        @Override
        public Column build() {
            return new DoubleColumn(Arrays.copyOf(values, size), nulls);
        }
    }

    private static final class StringBuilderColumn implements ColumnBuilder {
        private int[] codes = new int[1024];
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> dictionary = new ArrayList<>();
        private int size;

        @Override
        public int append(ResultSet rows, int column) throws SQLException {
            if (size == codes.length) {
                codes = Arrays.copyOf(codes, size * 2);
            }
            String value = rows.getString(column);
            codes[size++] = value == null ? -1 : index.computeIfAbsent(value, v -> {
                dictionary.add(v);
                return dictionary.size() - 1;
            });
            return column + 1;
        }

        @Override
        public Column build() {
            return new StringColumn(Arrays.copyOf(codes, size), dictionary);
        }
    }

    private static final class TimestampBuilder implements ColumnBuilder {
        private long[] values = new long[1024];
        private final BitSet nulls = new BitSet();
        private int size;

        @Override
        public int append(ResultSet rows, int index) throws SQLException {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            long value = rows.getLong(index);
            if (rows.wasNull()) {
                nulls.set(size);
                value = 0;
            }
            values[size++] = value;
            return index + 1;
        }

        @Override
        public Column build() {
            return new TimestampColumn(Arrays.copyOf(values, size), nulls);
        }
    }

    private static final class StringArrayBuilder implements ColumnBuilder {
        private final List<Integer> offsets = new ArrayList<>(List.of(0));
        private int[] codes = new int[1024];
        private int count;
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> dictionary = new ArrayList<>();
        private final BitSet nulls = new BitSet();

        @Override
        public int append(ResultSet rows, int column) throws SQLException {
            Array array = rows.getArray(column);
            if (array == null) {
                nulls.set(offsets.size() - 1);
            } else {
                for (Object element : (Object[]) array.getArray()) {
                    if (count == codes.length) {
                        codes = Arrays.copyOf(codes, count * 2);
                    }
                    codes[count++] = element == null ? -1 : index.computeIfAbsent(element.toString(), v -> {
                        dictionary.add(v);
                        return dictionary.size() - 1;
                    });
                }
            }
            offsets.add(count);
            return column + 1;
        }

        @Override
        public Column build() {
            return new StringArrayColumn(offsets.stream().mapToInt(Integer::intValue).toArray(), Arrays.copyOf(codes, count),
                    dictionary, nulls);
        }
    }

    private static final class SparseBuilder implements ColumnBuilder {
        private final List<Integer> offsets = new ArrayList<>(List.of(0));
        private int[] indices = new int[1024];
        private double[] values = new double[1024];
        private int count;
        private final BitSet nulls = new BitSet();
        private final double nullElement;

        /** {@code nullElement}: what a NULL value becomes (NaN, missing, for a numeric array's element; 0 in a sparse vector). */
        SparseBuilder(double nullElement) {
            this.nullElement = nullElement;
        }

        @Override
        public int append(ResultSet rows, int column) throws SQLException {
            Array indexArray = rows.getArray(column);
            Array valueArray = rows.getArray(column + 1);
            if (indexArray == null) {
                nulls.set(offsets.size() - 1);
            } else {
                Object[] indexObjects = (Object[]) indexArray.getArray();
                Object[] valueObjects = (Object[]) valueArray.getArray();
                for (int i = 0; i < indexObjects.length; i++) {
                    if (count == indices.length) {
                        indices = Arrays.copyOf(indices, count * 2);
                        values = Arrays.copyOf(values, count * 2);
                    }
                    indices[count] = ((Number) indexObjects[i]).intValue();
                    values[count] = valueObjects[i] == null ? nullElement : ((Number) valueObjects[i]).doubleValue();
                    count++;
                }
            }
            offsets.add(count);
            return column + 2;
        }

        @Override
        public Column build() {
            return new SparseVectorColumn(offsets.stream().mapToInt(Integer::intValue).toArray(), Arrays.copyOf(indices, count),
                    Arrays.copyOf(values, count), nulls);
        }
    }
}
