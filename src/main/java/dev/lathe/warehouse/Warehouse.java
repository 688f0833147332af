package dev.lathe.warehouse;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.lathe.core.DataType;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.duckdb.DuckDBConnection;

/**
 * The embedded DuckDB warehouse: one database file in the data directory. BigQuery datasets are
 * DuckDB schemas. Each thread that needs the database uses its own connection ({@link #connect()}).
 */
public final class Warehouse implements AutoCloseable {
    public static final String FILE_NAME = "warehouse.duckdb";

    private final Path file;
    private final DuckDBConnection root;

    private Warehouse(Path file, DuckDBConnection root) {
        this.file = file;
        this.root = root;
    }

    /** Opens (creating if needed) {@code <dataDirectory>/warehouse.duckdb}. */
    public static Warehouse open(Path dataDirectory) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        ArrowSupport.warmUpInBackground(); // while DuckDB opens the file
        try {
            Files.createDirectories(dataDirectory);
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Cannot create data directory " + dataDirectory + ": " + e.getMessage(), e);
        }
        Path file = dataDirectory.resolve(FILE_NAME).toAbsolutePath();
        try {
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:" + file);
            try {
                configure(connection);
            } catch (SQLException | RuntimeException e) {
                connection.close();
                throw e;
            }
            return new Warehouse(file, connection);
        } catch (SQLException e) {
            throw openFailure(file, e);
        }
    }

    /** An in-memory warehouse, for tests and scratch work. */
    public static Warehouse inMemory() {
        try {
            DuckDBConnection connection = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
            configure(connection);
            return new Warehouse(null, connection);
        } catch (SQLException e) {
            throw LatheException.internal("Cannot open an in-memory DuckDB: " + e.getMessage(), e);
        }
    }

    /** Why the warehouse file did not open, in the user's terms: held by another process, not writable, or else internal. */
    static LatheException openFailure(Path file, SQLException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (message.contains("lock")) {
            java.util.regex.Matcher pid = java.util.regex.Pattern.compile("PID (\\d+)").matcher(message);
            return new LatheException(ErrorCode.WAREHOUSE_BUSY, "The warehouse " + file + " is in use by another Lathe process"
                    + (pid.find() ? " (PID " + pid.group(1) + ")" : "") + "; DuckDB lets one process open it at a time", e);
        }
        if (message.contains("Read-only file system") || message.contains("Permission denied")) {
            // the environment, not Lathe: exit code 4 with what to do, not 1 "internal" (probe sc)
            return new LatheException(ErrorCode.FAILED_PRECONDITION, "Cannot open the warehouse " + file + ": " + message.strip()
                    + "; the data directory must be writable (give a writable --data-dir, or make it writable)", e);
        }
        return LatheException.internal("Cannot open the warehouse " + file + ": " + message, e);
    }

    /**
     * BigQuery's session rules on every connection of the database: NULLs sort first ascending and last descending
     * (DuckDB sorts them last both ways), and time zone functions use UTC (DuckDB takes the host's zone, so
     * {@code EXTRACT(HOUR FROM ts)} or {@code DATE(ts)} would depend on the machine), and expressions nest at most
     * {@link #MAX_EXPRESSION_DEPTH} levels. Then Lathe's own functions.
     */
    /**
     * How deep DuckDB lets an expression nest (calls, operators and parentheses inside one another); its default, 1,000, is
     * past what a Java thread's stack (1 MB unless -Xss says otherwise) holds while DuckDB binds it on that thread: an
     * expression 800 levels deep, under the limit, overflowed it, and the JVM ended with a segmentation fault, a server
     * with every request in flight. 700 levels bound; at 500 an error says so before DuckDB's binder recurses.
     */
    public static final int MAX_EXPRESSION_DEPTH = 500;

    private static void configure(DuckDBConnection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SET GLOBAL default_null_order = 'nulls_first_on_asc_last_on_desc'");
            statement.execute("SET GLOBAL TimeZone = 'UTC'");
            statement.execute("SET GLOBAL max_expression_depth = " + MAX_EXPRESSION_DEPTH);
        }
        WarehouseFunctions.register(connection);
    }

    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * Appends to a table (the prediction log's) and changes to tables' shape are serialized in this process: an ALTER TABLE
     * committed beside a concurrent append lost the appended rows without an error (DuckDB rebuilds the table from the
     * ALTER's snapshot; probe qd lost 40-57 logged rows at each ALTER while a server logged).
     */
    private final java.util.concurrent.locks.ReadWriteLock tableChanges = new java.util.concurrent.locks.ReentrantReadWriteLock();

    /** Work that may fail in SQL, run under one of the warehouse's locks. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work}, an append, while no statement changes a table's shape ({@link #changingTables}). */
    public <T> T appending(SqlWork<T> work) throws SQLException {
        return under(tableChanges.readLock(), work);
    }

    /** Runs {@code work}, a statement that may change a table's shape (ALTER, DROP), while no append runs. */
    public <T> T changingTables(SqlWork<T> work) throws SQLException {
        return under(tableChanges.writeLock(), work);
    }

    private static <T> T under(java.util.concurrent.locks.Lock lock, SqlWork<T> work) throws SQLException {
        lock.lock();
        try {
            return work.run();
        } finally {
            lock.unlock();
        }
    }

    /** A new connection to the same database (DuckDB's {@code duplicate()}); the caller closes it. */
    public Connection connect() {
        try {
            return root.duplicate();
        } catch (SQLException e) {
            throw LatheException.internal("Cannot open a warehouse connection: " + e.getMessage(), e);
        }
    }

    /** The columns a relation (table name or query text usable in FROM) produces, without running it. */
    public static Schema describe(Connection connection, String relationSql) {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM (" + relationSql + ") AS __lathe_described LIMIT 0")) {
            ResultSetMetaData meta = rows.getMetaData();
            List<Field> fields = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                String typeName = meta.getColumnTypeName(i);
                fields.add(new Field(meta.getColumnLabel(i), DataType.fromDuckDb(typeName), typeName));
            }
            return new Schema(fields);
        } catch (SQLException e) {
            throw Sql.error(e, relationSql);
        }
    }

    /**
     * DuckDB's planner estimate of how many rows {@code relationSql} returns (the root operator's "Estimated Cardinality"
     * in {@code EXPLAIN (FORMAT json)}), without running it: exact for a table scan, a guess after filters and joins.
     * Empty where the plan gives none or cannot be made (the query itself then reports why).
     */
    public static OptionalLong estimatedRows(Connection connection, String relationSql) {
        StringBuilder plan = new StringBuilder();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("EXPLAIN (FORMAT json) SELECT * FROM (" + relationSql + ") AS __lathe_estimated")) {
            while (rows.next()) {
                plan.append(rows.getString(2));
            }
        } catch (SQLException e) {
            return OptionalLong.empty();
        }
        return rootEstimate(plan.toString());
    }

    /** The root operator's estimate in an {@code EXPLAIN (FORMAT json)} plan: an array of one operator object. */
    static OptionalLong rootEstimate(String plan) {
        try (JsonParser parser = PLAN_JSON.createParser(plan)) {
            if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.START_OBJECT) {
                return OptionalLong.empty();
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (name.equals("extra_info") && value == JsonToken.START_OBJECT) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String key = parser.currentName();
                        parser.nextToken();
                        if (key.equals("Estimated Cardinality")) {
                            String digits = parser.getText().replaceAll("[^0-9]", "");
                            return digits.isEmpty() || digits.length() > 18 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(digits));
                        }
                        parser.skipChildren();
                    }
                    return OptionalLong.empty();
                }
                parser.skipChildren();
            }
            return OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    private static final JsonFactory PLAN_JSON = new JsonFactory();

    /**
     * Whether {@code dataset.name} is a table or view of the warehouse (not a temporary one). DuckDB's catalog functions
     * rather than {@code information_schema.tables}, a view over them that costs twice as much (1.0 against 0.5 ms; every
     * CREATE MODEL asks).
     */
    public static boolean relationExists(Connection connection, String dataset, String name) {
        String sql = """
                SELECT 1 FROM duckdb_tables()
                WHERE database_name = current_database() AND lower(schema_name) = lower($1) AND lower(table_name) = lower($2)
                UNION ALL SELECT 1 FROM duckdb_views()
                WHERE database_name = current_database() AND lower(schema_name) = lower($1) AND lower(view_name) = lower($2)
                """;
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, dataset);
            statement.setString(2, name);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw LatheException.internal("Cannot look up table " + dataset + "." + name + ": " + e.getMessage(), e);
        }
    }

    /** Whether a dataset (DuckDB schema) exists: {@code duckdb_schemas()}, cheaper than {@code information_schema.schemata}. */
    public static boolean datasetExists(Connection connection, String dataset) {
        String sql = "SELECT 1 FROM duckdb_schemas() WHERE database_name = current_database() AND lower(schema_name) = lower(?)";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, dataset);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw LatheException.internal("Cannot look up dataset " + dataset + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            root.close();
        } catch (SQLException e) {
            throw LatheException.internal("Cannot close the warehouse: " + e.getMessage(), e);
        }
    }
}
