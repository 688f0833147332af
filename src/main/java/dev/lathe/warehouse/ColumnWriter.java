package dev.lathe.warehouse;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.LatheException;
import java.io.IOException;
import java.nio.ByteOrder;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Appends whole columns of primitive values to a DuckDB table, in row order: as one Arrow record batch
 * per call (registered with DuckDB and inserted with one statement) where Arrow runs in this JVM, else
 * through DuckDB's row appender. The table's columns must match the given columns in order and type:
 * {@link Doubles} DOUBLE, {@link Ints} INTEGER, {@link DoubleLists} DOUBLE[], {@link LongLists} BIGINT[].
 */
public final class ColumnWriter implements AutoCloseable {
    /** One column of a batch of rows. */
    public sealed interface Values {
        /** The number of rows this column holds. */
        int rows();
    }

    public record Doubles(double[] values) implements Values {
        public Doubles {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }

    public record Ints(int[] values) implements Values {
        public Ints {
            requireNonNull(values, "values is null");
        }

        @Override
        public int rows() {
            return values.length;
        }
    }

    /** A list of {@code width} values per row, row-major. */
    public record DoubleLists(double[] values, int width) implements Values {
        public DoubleLists {
            requireNonNull(values, "values is null");
            if (width <= 0 || values.length % width != 0) {
                throw new IllegalArgumentException("width " + width + " must be positive and divide the " + values.length + " values");
            }
        }

        @Override
        public int rows() {
            return values.length / width;
        }
    }

    /** A list of {@code width} values per row, row-major. */
    public record LongLists(long[] values, int width) implements Values {
        public LongLists {
            requireNonNull(values, "values is null");
            if (width <= 0 || values.length % width != 0) {
                throw new IllegalArgumentException("width " + width + " must be positive and divide the " + values.length + " values");
            }
        }

        @Override
        public int rows() {
            return values.length / width;
        }
    }

    private final DuckDBConnection connection;
    private final String table;
    private final boolean arrow;
    private DuckDBAppender appender;

    private ColumnWriter(DuckDBConnection connection, String table, boolean arrow) {
        this.connection = connection;
        this.table = table;
        this.arrow = arrow;
    }

    /** A writer into the temporary table {@code table} of {@code connection}. */
    public static ColumnWriter toTempTable(DuckDBConnection connection, String table) {
        return new ColumnWriter(connection, table, ArrowSupport.available());
    }

    /** As {@link #toTempTable}, choosing the path: for tests that compare both. */
    static ColumnWriter toTempTable(DuckDBConnection connection, String table, boolean arrow) {
        return new ColumnWriter(connection, table, arrow);
    }

    /** Appends one row per element (per {@code width} elements for lists) of the columns, which all have the same number of rows. */
    public void append(List<Values> columns) {
        int rows = columns.get(0).rows();
        for (Values column : columns) {
            if (column.rows() != rows) {
                throw new IllegalArgumentException("columns have " + rows + " and " + column.rows() + " rows");
            }
        }
        if (rows == 0) {
            return;
        }
        try {
            if (arrow) {
                appendArrow(columns, rows);
            } else {
                appendRows(columns, rows);
            }
        } catch (SQLException | IOException e) {
            throw LatheException.internal("Writing " + rows + " rows into " + table + " failed: " + e.getMessage(), e);
        }
    }

    private void appendArrow(List<Values> columns, int rows) throws IOException, SQLException {
        String view = "__lathe_arrow_" + table;
        try (BufferAllocator allocator = ArrowSupport.allocator();
                ArrowArrayStream stream = ArrowArrayStream.allocateNew(allocator)) {
            OneBatch reader = new OneBatch(allocator, columns, rows);
            try {
                Data.exportArrayStream(allocator, reader, stream);
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
            // From here the stream owns the reader: its release callback (run by DuckDB after the scan, or by
            // stream.close() when DuckDB never consumed it) closes the reader exactly once. Closing it here too
            // would free its buffers twice.
            connection.registerArrowStream(view, stream);
            try {
                Sql.execute(connection, "INSERT INTO " + Sql.quote(table) + " SELECT * FROM " + Sql.quote(view));
            } finally {
                Sql.execute(connection, "DROP VIEW IF EXISTS " + Sql.quote(view));
            }
        }
    }

    private void appendRows(List<Values> columns, int rows) throws SQLException {
        if (appender == null) {
            appender = connection.createAppender("temp", "main", table);
        }
        for (int r = 0; r < rows; r++) {
            appender.beginRow();
            for (Values column : columns) {
                switch (column) {
                    case Doubles d -> appender.append(d.values()[r]);
                    case Ints i -> appender.append(i.values()[r]);
                    case DoubleLists l -> appender.append(java.util.Arrays.copyOfRange(l.values(), r * l.width(), (r + 1) * l.width()));
                    case LongLists l -> appender.append(java.util.Arrays.copyOfRange(l.values(), r * l.width(), (r + 1) * l.width()));
                }
            }
            appender.endRow();
        }
    }

    @Override
    public void close() {
        if (appender != null) {
            try {
                appender.close();
            } catch (SQLException e) {
                throw LatheException.internal("Writing rows into " + table + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** An Arrow reader of exactly one record batch: the given columns. */
    private static final class OneBatch extends ArrowReader {
        private final List<Values> columns;
        private final int rows;
        private boolean loaded;

        OneBatch(BufferAllocator allocator, List<Values> columns, int rows) {
            super(allocator);
            this.columns = columns;
            this.rows = rows;
        }

        @Override
        public boolean loadNextBatch() throws IOException {
            if (loaded) {
                return false;
            }
            loaded = true;
            VectorSchemaRoot root = getVectorSchemaRoot();
            for (int c = 0; c < columns.size(); c++) {
                fill(root.getVector(c), columns.get(c), rows);
            }
            root.setRowCount(rows);
            return true;
        }

        @Override
        public long bytesRead() {
            return 0;
        }

        @Override
        protected void closeReadSource() {}

        @Override
        protected Schema readSchema() {
            List<Field> fields = new ArrayList<>();
            for (int c = 0; c < columns.size(); c++) {
                String name = "c" + c;
                fields.add(switch (columns.get(c)) {
                    case Doubles d -> Field.nullable(name, DOUBLE);
                    case Ints i -> Field.nullable(name, new ArrowType.Int(32, true));
                    case DoubleLists l -> list(name, DOUBLE);
                    case LongLists l -> list(name, new ArrowType.Int(64, true));
                });
            }
            return new Schema(fields);
        }

        private static final ArrowType DOUBLE = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);

        private static Field list(String name, ArrowType element) {
            return new Field(name, FieldType.nullable(ArrowType.List.INSTANCE), List.of(Field.nullable("item", element)));
        }

        private static void fill(FieldVector vector, Values column, int rows) {
            switch (column) {
                case Doubles d -> fillDoubles((Float8Vector) vector, d.values());
                case Ints i -> {
                    IntVector ints = (IntVector) vector;
                    ints.allocateNew(rows);
                    ints.getDataBuffer().nioBuffer(0, rows * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(i.values());
                    allValid(ints, rows);
                }
                case DoubleLists l -> {
                    ListVector list = (ListVector) vector;
                    fillOffsets(list, rows, l.width());
                    fillDoubles((Float8Vector) list.getDataVector(), l.values());
                }
                case LongLists l -> {
                    ListVector list = (ListVector) vector;
                    fillOffsets(list, rows, l.width());
                    BigIntVector longs = (BigIntVector) list.getDataVector();
                    longs.allocateNew(l.values().length);
                    longs.getDataBuffer().nioBuffer(0, l.values().length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer()
                            .put(l.values());
                    allValid(longs, l.values().length);
                }
            }
        }

        private static void fillDoubles(Float8Vector vector, double[] values) {
            vector.allocateNew(values.length);
            vector.getDataBuffer().nioBuffer(0, values.length * Double.BYTES).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().put(values);
            allValid(vector, values.length);
        }

        private static void allValid(FieldVector vector, int count) {
            vector.getValidityBuffer().setOne(0, (count + 7) / 8);
            vector.setValueCount(count);
        }

        private static void fillOffsets(ListVector list, int rows, int width) {
            list.setInitialCapacity(rows, width);
            list.allocateNew();
            for (int r = 0; r < rows; r++) {
                list.startNewValue(r);
                list.endValue(r, width);
            }
            list.setValueCount(rows);
        }
    }
}
