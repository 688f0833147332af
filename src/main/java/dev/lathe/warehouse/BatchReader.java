package dev.lathe.warehouse;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DataType;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import org.duckdb.DuckDBResultSet;

/**
 * Streams a relation out of DuckDB as columnar {@link Batch}es of at most {@code batchSize} rows. Each
 * column is converted in SQL to the form its {@link DataType} needs (numbers to DOUBLE, categoricals
 * to VARCHAR, timestamps to epoch microseconds), and the result is read as Arrow vectors (DuckDB's
 * Arrow export), so Java copies primitive buffers and dictionary-encodes text without a String per
 * cell. Where Arrow cannot run in this JVM (java.nio not opened to it), rows are read through JDBC.
 */
public final class BatchReader implements AutoCloseable {
    public static final int DEFAULT_BATCH_SIZE = 65_536;

    /** Where batches come from: Arrow vectors, or JDBC rows. */
    interface Source extends AutoCloseable {
        Optional<Batch> next();

        @Override
        void close();
    }

    private final Schema schema;
    private final Source source;

    private BatchReader(Schema schema, Source source) {
        this.schema = schema;
        this.source = source;
    }

    /** Reads {@code fields} (by name) from {@code relationSql}, in the relation's row order. */
    public static BatchReader open(Connection connection, String relationSql, List<Field> fields, int batchSize) {
        return open(connection, relationSql, fields, batchSize, ArrowSupport.available());
    }

    /** As {@link #open(Connection, String, List, int)}, through Arrow or (for tests and fallback) JDBC. */
    static BatchReader open(Connection connection, String relationSql, List<Field> fields, int batchSize, boolean arrow) {
        return open(connection, relationSql, fields, batchSize, arrow, 0);
    }

    /** As {@link #open(Connection, String, List, int, boolean)}; {@code expectedRows}: how many rows to make room for at first (0: unknown). */
    static BatchReader open(Connection connection, String relationSql, List<Field> fields, int batchSize, boolean arrow,
            long expectedRows) {
        String sql = readQuery(relationSql, fields);
        Schema schema = new Schema(fields);
        try {
            Statement statement = connection.createStatement();
            try {
                ResultSet rows = statement.executeQuery(sql);
                Source source = arrow && rows instanceof DuckDBResultSet duck
                        ? ArrowBatchSource.open(schema, statement, duck, batchSize, expectedRows, sql)
                        : new JdbcBatchSource(schema, statement, rows, batchSize);
                return new BatchReader(schema, source);
            } catch (SQLException | RuntimeException e) {
                statement.close();
                throw e;
            }
        } catch (SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    /**
     * As {@link #open(Connection, String, List, int)}, DuckDB streaming its result to the reader instead of first copying
     * every row into its result buffer: memory that grows with the rows no longer (10M rows of ML.EVALUATE's input were
     * about 400 MB of DuckDB's result buffer; probe ta F4). The connection must run nothing else until the reader is
     * closed, as a streamed result ends when it does; closing it turns streaming off again.
     */
    public static BatchReader openStreaming(Connection connection, String relationSql, List<Field> fields, int batchSize) {
        streamResults(connection, true);
        BatchReader reader;
        try {
            reader = open(connection, relationSql, fields, batchSize);
        } catch (RuntimeException e) {
            streamResults(connection, false);
            throw e;
        }
        Source source = reader.source;
        return new BatchReader(reader.schema, new Source() {
            @Override
            public Optional<Batch> next() {
                return source.next();
            }

            @Override
            public void close() {
                try {
                    source.close();
                } finally {
                    streamResults(connection, false);
                }
            }
        });
    }

    /**
     * The SQL expressions that convert {@code fields} (by name) to what their types are read as, one per
     * field, two for a sparse vector (indices, values).
     */
    public static List<String> projections(List<Field> fields) {
        List<String> projections = new ArrayList<>();
        for (Field field : fields) {
            String column = Sql.quote(field.name());
            switch (field.type()) {
                case INT64, FLOAT64, NUMERIC -> projections.add("CAST(" + column + " AS DOUBLE)");
                case STRING, BOOL, BYTES, DATE, DATETIME, TIME -> projections.add("CAST(" + column + " AS VARCHAR)");
                case TIMESTAMP -> projections.add("epoch_us(" + column + ")");
                case ARRAY_STRING -> projections.add("CAST(" + column + " AS VARCHAR[])");
                case SPARSE_VECTOR -> {
                    projections.add("list_transform(" + column + ", e -> CAST(e.\"index\" AS BIGINT))");
                    projections.add("list_transform(" + column + ", e -> CAST(e.\"value\" AS DOUBLE))");
                }
                case ARRAY_FLOAT64 -> { // ARRAY<FLOAT64> or ARRAY<INT64>: element i is feature i, read as a sparse vector
                    projections.add("list_transform(" + column + ", lambda e, i: i - 1)");
                    projections.add("CAST(" + column + " AS DOUBLE[])");
                }
                case STRUCT, OTHER -> throw new LatheException(ErrorCode.INVALID_DATA, "Column '" + field.name()
                        + "' has type " + field.duckDbType() + ", which cannot be used as a model input; accepted are numbers, "
                        + "STRING, BOOL, BYTES, DATE, DATETIME, TIME, TIMESTAMP, ARRAY<STRING>, ARRAY of numbers and"
                        + " ARRAY<STRUCT<index, value>>");
            }
        }
        return projections;
    }

    /** The query {@link #open} runs for {@code relationSql}: each field converted to what it is read as ({@link #projections}). */
    public static String readQuery(String relationSql, List<Field> fields) {
        return "SELECT " + String.join(", ", projections(fields)) + " FROM (" + relationSql + ") AS __lathe_read";
    }

    /**
     * Reads the whole result of {@code statement}, a prepared {@link #readQuery} with its parameters set, into one batch,
     * as {@link #readAll(Connection, String, List)} does; the statement stays open for its next run. {@code sql} is the
     * statement's text, for errors. Through JDBC, not Arrow: for the few rows of an online request Arrow's set-up per
     * result (an allocator, the schema's import) cost more than it saved (a one-instance TRANSFORM :predict, 4
     * connections: 3,400-3,450 requests/s through Arrow, 3,580-3,950 through JDBC).
     */
    public static Batch readAll(PreparedStatement statement, String sql, List<Field> fields) {
        Schema schema = new Schema(fields);
        try {
            ResultSet rows = statement.executeQuery();
            try (BatchReader reader = new BatchReader(schema, new JdbcBatchSource(schema, null, rows, Integer.MAX_VALUE))) {
                return reader.next().orElseGet(reader::empty);
            }
        } catch (SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    /** Reads the whole relation into one batch (training data). */
    public static Batch readAll(Connection connection, String relationSql, List<Field> fields) {
        try (BatchReader reader = open(connection, relationSql, fields, Integer.MAX_VALUE)) {
            return reader.next().orElseGet(reader::empty);
        }
    }

    /**
     * Reads the whole relation into one batch, as {@link #readAll}, for training: DuckDB streams its result instead of
     * first copying every row into a result buffer (Adult's training read 30 -> 25 ms; 1M flights rows unchanged), and
     * each column's array is sized once, for the planner's estimate of the row count ({@link Warehouse#estimatedRows}),
     * instead of grown by doubling and trimmed (1M flights rows: 88-100 -> 60 ms). Not for small, frequent reads (an
     * online prediction's TRANSFORM): the statements around it cost more than they save there.
     */
    public static Batch readTraining(Connection connection, String relationSql, List<Field> fields) {
        long expectedRows = Warehouse.estimatedRows(connection, relationSql).orElse(0);
        streamResults(connection, true);
        try (BatchReader reader = open(connection, relationSql, fields, Integer.MAX_VALUE, ArrowSupport.available(), expectedRows)) {
            return reader.next().orElseGet(reader::empty);
        } finally {
            streamResults(connection, false); // a streamed result ends when the connection runs anything else: not for others
        }
    }

    private static void streamResults(Connection connection, boolean on) {
        String sql = "SET jdbc_stream_results = " + on;
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    public Schema schema() {
        return schema;
    }

    /** The next batch, or empty at the end. */
    public Optional<Batch> next() {
        return source.next();
    }

    private Batch empty() {
        List<Column> columns = new ArrayList<>();
        for (Field field : schema.fields()) {
            columns.add(switch (field.type()) {
                case TIMESTAMP -> new TimestampColumn(new long[0], new BitSet());
                case STRING, BOOL, BYTES, DATE, DATETIME, TIME -> new StringColumn(new int[0], List.of());
                case ARRAY_STRING -> new StringArrayColumn(new int[] {0}, new int[0], List.of(), new BitSet());
                case SPARSE_VECTOR, ARRAY_FLOAT64 -> new SparseVectorColumn(new int[] {0}, new int[0], new double[0], new BitSet());
                default -> new DoubleColumn(new double[0], new BitSet());
            });
        }
        return new Batch(schema, 0, columns);
    }

    @Override
    public void close() {
        source.close();
    }
}
