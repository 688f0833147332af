package dev.lathe.warehouse;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Parallel;
import dev.lathe.core.Schema;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.ValueVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBResultSet;

/**
 * Reads {@link BatchReader}'s projection as Arrow record batches (DuckDB's Arrow export): numbers and
 * epoch microseconds are bulk-copied out of the vectors' buffers, text is dictionary-encoded from its
 * UTF-8 bytes. The batches it returns are identical to those of {@link JdbcBatchSource}.
 */
final class ArrowBatchSource implements BatchReader.Source {
    /** Rows per Arrow record batch: large enough that per-batch costs vanish, small enough to stay in cache-sized chunks. */
    private static final int ARROW_BATCH = 65_536;
    /**
     * At most how many bytes of Java arrays a read makes room for up front on the planner's word
     * ({@link BatchReader#readTraining}); beyond it columns grow as rows arrive, so an estimate far above the truth (a
     * join's) cannot take the heap.
     */
    private static final long EXPECTED_BYTES_MAX = 1L << 30;

    private final Schema schema;
    private final Statement statement;
    private final DuckDBResultSet rows;
    private final BufferAllocator allocator;
    private final ArrowReader reader;
    private final int batchSize;
    /** The query read, to place a failure DuckDB meets while the rows stream (a conversion error). */
    private final String sql;
    /** Rows to make room for when the first Arrow batch arrives: the expected row count, bounded; 0 when unknown. */
    private final int firstReserve;
    private int position;
    private int loaded;
    private boolean exhausted;

    private static final java.util.regex.Pattern DUCKDB_FAILURE =
            java.util.regex.Pattern.compile("CDataJniException\\{errno=-?\\d+, message=(.*)}\\s*$", java.util.regex.Pattern.DOTALL);

    private ArrowBatchSource(Schema schema, Statement statement, DuckDBResultSet rows, BufferAllocator allocator,
            ArrowReader reader, int batchSize, int firstReserve, String sql) {
        this.sql = sql;
        this.schema = schema;
        this.statement = statement;
        this.rows = rows;
        this.allocator = allocator;
        this.reader = reader;
        this.batchSize = batchSize;
        this.firstReserve = firstReserve;
    }

    /**
     * {@code expectedRows}: how many rows the result probably has (0: unknown). Arrow batches stay at 64k rows whatever
     * the read: DuckDB's Arrow appender makes room for a whole batch up front, and a million-row batch's fresh buffers
     * (88 MB for 1M flights rows, faulted in as huge pages) made DuckDB's side of the read 147 ms against 53 ms in 64k
     * batches, whose buffers the C heap reuses while they are still in cache.
     */
    static ArrowBatchSource open(Schema schema, Statement statement, DuckDBResultSet rows, int batchSize, long expectedRows,
            String sql) throws SQLException {
        BufferAllocator allocator = ArrowSupport.allocator();
        try {
            ArrowReader reader = (ArrowReader) rows.arrowExportStream(allocator, Math.min(batchSize, ARROW_BATCH));
            return new ArrowBatchSource(schema, statement, rows, allocator, reader, batchSize, firstReserve(schema, expectedRows), sql);
        } catch (SQLException | RuntimeException e) {
            allocator.close();
            throw e;
        }
    }

    /** The rows to make room for at first: the expected count, at most {@link #EXPECTED_BYTES_MAX} of 8-byte values. */
    private static int firstReserve(Schema schema, long expectedRows) {
        long vectors = 0;
        for (Field field : schema.fields()) {
            vectors += builderFor(field).vectors();
        }
        return (int) Math.min(expectedRows, Math.min(Integer.MAX_VALUE - 8, EXPECTED_BYTES_MAX / (Long.BYTES * Math.max(1, vectors))));
    }

    @Override
    public Optional<Batch> next() {
        if (exhausted) {
            return Optional.empty();
        }
        try {
            List<ColumnBuilder> builders = new ArrayList<>();
            for (Field field : schema.fields()) {
                builders.add(builderFor(field));
            }
            int[] firstVectors = new int[builders.size()];
            for (int b = 1; b < builders.size(); b++) {
                firstVectors[b] = firstVectors[b - 1] + builders.get(b - 1).vectors();
            }
            int count = 0;
            while (count < batchSize) {
                if (position == loaded) {
                    if (!reader.loadNextBatch()) {
                        exhausted = true;
                        break;
                    }
                    position = 0;
                    loaded = reader.getVectorSchemaRoot().getRowCount();
                    int reserve = count + Math.min(loaded, batchSize - count);
                    if (count == 0) {
                        reserve = Math.max(reserve, Math.min(firstReserve, batchSize));
                    }
                    for (ColumnBuilder builder : builders) {
                        builder.reserve(reserve);
                    }
                    continue;
                }
                int take = Math.min(loaded - position, batchSize - count);
                VectorSchemaRoot root = reader.getVectorSchemaRoot();
                int from = position;
                // columns are independent: a large batch's are converted in parallel
                Parallel.forEach(Parallel.worthIt(take, builders.size()), builders.size(),
                        b -> builders.get(b).append(root, firstVectors[b], from, take));
                position += take;
                count += take;
            }
            if (count == 0) {
                return Optional.empty();
            }
            List<Column> columns = new ArrayList<>();
            for (ColumnBuilder builder : builders) {
                columns.add(builder.build());
            }
            return Optional.of(new Batch(schema, count, columns));
        } catch (IOException e) {
            // DuckDB's own failure while the rows stream comes wrapped ("[errno -1] CDataJniException{errno=-1, message=...}"):
            // it is the query's error (a cast in row 10^6), placed in the user's text as one at execute is
            java.util.regex.Matcher duckdb = DUCKDB_FAILURE.matcher(String.valueOf(e.getMessage()));
            if (duckdb.find()) {
                throw Sql.error(new java.sql.SQLException(duckdb.group(1), e), sql);
            }
            throw LatheException.internal("Reading rows from DuckDB as Arrow failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
            rows.close();
            statement.close();
        } catch (IOException | SQLException e) {
            throw LatheException.internal("Closing a DuckDB result failed: " + e.getMessage(), e);
        } finally {
            allocator.close();
        }
    }

    private static ColumnBuilder builderFor(Field field) {
        return switch (field.type()) {
            case INT64, FLOAT64, NUMERIC -> new DoubleBuilder();
            case STRING, BOOL, BYTES, DATE, DATETIME, TIME -> new StringBuilderColumn();
            case TIMESTAMP -> new TimestampBuilder();
            case ARRAY_STRING -> new StringArrayBuilder();
            case SPARSE_VECTOR -> new SparseBuilder(0.0);
            case ARRAY_FLOAT64 -> new SparseBuilder(Double.NaN); // a numeric array is read as indices and values, a NULL element as NaN
            case STRUCT, OTHER -> throw new IllegalStateException("unreadable type " + field.type());
        };
    }

    /** {@code length} values of a fixed-width buffer starting at row {@code from}, as little-endian bytes. */
    private static ByteBuffer slice(ArrowBuf buffer, int from, int length, int width) {
        return buffer.nioBuffer((long) from * width, length * width).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** A column's new array length for {@code rows} rows: exact for the first batch, at least doubling after. */
    private static int capacity(int length, int rows) {
        return length == 0 ? rows : Math.max(rows, length * 2);
    }

    private static int[] readOffsets(ArrowBuf buffer, int from, int length) {
        int[] offsets = new int[length + 1];
        slice(buffer, from, length + 1, Integer.BYTES).asIntBuffer().get(offsets);
        return offsets;
    }

    private interface ColumnBuilder {
        /** Appends rows {@code [from, from + length)} of the vector(s) starting at {@code vector}. */
        void append(VectorSchemaRoot root, int vector, int from, int length);

        /** Makes room for {@code rows} rows in all. */
        default void reserve(int rows) {
        }

        /** How many vectors of the projection the column is read from. */
        default int vectors() {
            return 1;
        }

        Column build();
    }

    private static final class DoubleBuilder implements ColumnBuilder {
        private double[] values = new double[0];
        private final BitSet nulls = new BitSet();
        private int size;

        @Override
        public void reserve(int rows) {
            if (values.length < rows) {
                values = Arrays.copyOf(values, capacity(values.length, rows));
            }
        }

        @Override
        public void append(VectorSchemaRoot root, int vector, int from, int length) {
            FieldVector column = root.getVector(vector);
            if (values.length < size + length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + length));
            }
            if (column instanceof org.apache.arrow.vector.Float8Vector doubles) {
                slice(doubles.getDataBuffer(), from, length, Double.BYTES).asDoubleBuffer().get(values, size, length);
            } else {
                for (int i = 0; i < length; i++) {
                    Object value = column.getObject(from + i);
                    values[size + i] = value == null ? Double.NaN : ((Number) value).doubleValue();
                }
            }
            if (column.getNullCount() > 0) {
                for (int i = 0; i < length; i++) {
                    if (column.isNull(from + i)) {
                        nulls.set(size + i);
                        values[size + i] = Double.NaN;
                    }
                }
            }
            size += length;
        }

        @Override
        public Column build() {
            return new DoubleColumn(values.length == size ? values : Arrays.copyOf(values, size), nulls);
        }
    }

    private static final class TimestampBuilder implements ColumnBuilder {
        private long[] values = new long[0];
        private final BitSet nulls = new BitSet();
        private int size;

        @Override
        public void reserve(int rows) {
            if (values.length < rows) {
                values = Arrays.copyOf(values, capacity(values.length, rows));
            }
        }

        @Override
        public void append(VectorSchemaRoot root, int vector, int from, int length) {
            FieldVector column = root.getVector(vector);
            if (values.length < size + length) {
                values = Arrays.copyOf(values, Math.max(values.length * 2, size + length));
            }
            if (column instanceof BigIntVector longs) {
                slice(longs.getDataBuffer(), from, length, Long.BYTES).asLongBuffer().get(values, size, length);
            } else {
                for (int i = 0; i < length; i++) {
                    Object value = column.getObject(from + i);
                    values[size + i] = value == null ? 0 : ((Number) value).longValue();
                }
            }
            if (column.getNullCount() > 0) {
                for (int i = 0; i < length; i++) {
                    if (column.isNull(from + i)) {
                        nulls.set(size + i);
                        values[size + i] = 0;
                    }
                }
            }
            size += length;
        }

        @Override
        public Column build() {
            return new TimestampColumn(values.length == size ? values : Arrays.copyOf(values, size), nulls);
        }
    }

    /** Appends codes of text values to an int array, through one dictionary for the whole batch. */
    private static final class TextCodes {
        private final ByteDictionary dictionary = new ByteDictionary();
        private byte[] scratch = new byte[4096];
        private int[] codes = new int[0];
        private int size;

        void reserve(int rows) {
            if (codes.length < rows) {
                codes = Arrays.copyOf(codes, capacity(codes.length, rows));
            }
        }

        /** Appends the codes of elements {@code [from, from + length)} of {@code vector} (text, -1 for NULL). */
        void append(ValueVector vector, int from, int length) {
            if (codes.length < size + length) {
                codes = Arrays.copyOf(codes, Math.max(codes.length * 2, size + length));
            }
            if (vector instanceof VarCharVector text) {
                int[] offsets = readOffsets(text.getOffsetBuffer(), from, length);
                int start = offsets[0];
                int bytes = offsets[length] - start;
                if (scratch.length < bytes) {
                    scratch = new byte[Math.max(scratch.length * 2, bytes)];
                }
                text.getDataBuffer().getBytes(start, scratch, 0, bytes);
                boolean anyNull = text.getNullCount() > 0;
                for (int i = 0; i < length; i++) {
                    codes[size + i] = anyNull && text.isNull(from + i) ? -1
                            : dictionary.code(scratch, offsets[i] - start, offsets[i + 1] - offsets[i]);
                }
            } else {
                for (int i = 0; i < length; i++) {
                    Object value = vector.getObject(from + i);
                    byte[] utf8 = value == null ? null : value.toString().getBytes(StandardCharsets.UTF_8);
                    codes[size + i] = utf8 == null ? -1 : dictionary.code(utf8, 0, utf8.length);
                }
            }
            size += length;
        }

        int size() {
            return size;
        }

        int[] codes() {
            return codes.length == size ? codes : Arrays.copyOf(codes, size);
        }

        List<String> dictionary() {
            return dictionary.values();
        }
    }

    private static final class StringBuilderColumn implements ColumnBuilder {
        private final TextCodes codes = new TextCodes();

        @Override
        public void reserve(int rows) {
            codes.reserve(rows);
        }

        @Override
        public void append(VectorSchemaRoot root, int vector, int from, int length) {
            codes.append(root.getVector(vector), from, length);
        }

        @Override
        public Column build() {
            return new StringColumn(codes.codes(), codes.dictionary());
        }
    }

    /** Row offsets into the elements of a list column, and its NULL lists. */
    private static final class ListOffsets {
        private int[] offsets = new int[1025];
        private int rows;
        private final BitSet nulls = new BitSet();

        /**
         * Appends rows {@code [from, from + length)} of {@code list}, whose elements start at {@code base} in the
         * builder's element arrays; returns the element range {@code [first, last)} of the vector to copy.
         */
        int[] append(ListVector list, int from, int length, int base) {
            if (offsets.length < rows + length + 1) {
                offsets = Arrays.copyOf(offsets, Math.max(offsets.length * 2, rows + length + 1));
            }
            int[] source = readOffsets(list.getOffsetBuffer(), from, length);
            for (int i = 0; i < length; i++) {
                if (list.isNull(from + i)) {
                    nulls.set(rows + i);
                }
                offsets[rows + i + 1] = base + source[i + 1] - source[0];
            }
            rows += length;
            return new int[] {source[0], source[length]};
        }

        int[] offsets() {
            return Arrays.copyOf(offsets, rows + 1);
        }
    }

    private static final class StringArrayBuilder implements ColumnBuilder {
        private final ListOffsets lists = new ListOffsets();
        private final TextCodes elements = new TextCodes();

        @Override
        public void append(VectorSchemaRoot root, int vector, int from, int length) {
            ListVector list = (ListVector) root.getVector(vector);
            int[] range = lists.append(list, from, length, elements.size());
            elements.append(list.getDataVector(), range[0], range[1] - range[0]);
        }

        @Override
        public Column build() {
            return new StringArrayColumn(lists.offsets(), elements.codes(), elements.dictionary(), lists.nulls);
        }
    }

    private static final class SparseBuilder implements ColumnBuilder {
        private final ListOffsets lists = new ListOffsets();
        private final double nullElement;
        private int[] indices = new int[1024];
        private double[] values = new double[1024];
        private int count;

        /** {@code nullElement}: what a NULL value becomes (NaN, missing, for a numeric array's element; 0 in a sparse vector). */
        SparseBuilder(double nullElement) {
            this.nullElement = nullElement;
        }

        @Override
        public void append(VectorSchemaRoot root, int vector, int from, int length) {
            ListVector indexList = (ListVector) root.getVector(vector);
            ListVector valueList = (ListVector) root.getVector(vector + 1);
            int[] range = lists.append(indexList, from, length, count);
            int elements = range[1] - range[0];
            if (indices.length < count + elements) {
                indices = Arrays.copyOf(indices, Math.max(indices.length * 2, count + elements));
                values = Arrays.copyOf(values, Math.max(values.length * 2, count + elements));
            }
            // Both lists come from the same column, so their element ranges coincide.
            ValueVector indexVector = indexList.getDataVector();
            ValueVector valueVector = valueList.getDataVector();
            for (int i = 0; i < elements; i++) {
                Object index = indexVector.getObject(range[0] + i);
                Object value = valueVector.getObject(range[0] + i);
                indices[count + i] = index == null ? 0 : ((Number) index).intValue();
                values[count + i] = value == null ? nullElement : ((Number) value).doubleValue();
            }
            count += elements;
        }

        @Override
        public int vectors() {
            return 2; // indices, values
        }

        @Override
        public Column build() {
            return new SparseVectorColumn(lists.offsets(), Arrays.copyOf(indices, count), Arrays.copyOf(values, count), lists.nulls);
        }
    }
}
