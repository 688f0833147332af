package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Writes sampled requests and responses into the warehouse table {@code lathe_logs.request_response_logging}
 * off the request path: {@link #offer} never blocks (a full queue drops the row and counts it), and one
 * background thread appends batches through its own DuckDB connection. A write failure is counted and logged,
 * never seen by a prediction. {@link #close} writes what is queued.
 *
 * <p>On a serving replica the warehouse is the replica's own in-memory DuckDB, so the same thread also ships the
 * table at least every {@code shipInterval}: its rows go to one Parquet file in the shared data directory's
 * {@code prediction-logs/incoming/} (written under a hidden name, then renamed, so a reader never sees half a file)
 * and leave the table in the same transaction; the primary's {@link PredictionLogIngester} moves them into its
 * warehouse. A failed ship keeps the rows for the next one.
 */
final class PredictionLogger implements AutoCloseable {
    static final String DATASET = PredictionLogs.DATASET;
    static final String TABLE = PredictionLogs.TABLE;
    private static final Logger LOG = Logger.getLogger(PredictionLogger.class.getName());
    private static final int BATCH = 1024;
    /** Put in the queue by {@link #close} to wake the writer from its wait at once; never written. */
    private static final PredictionLog WAKE_UP = new PredictionLog("", "", "", "", Instant.EPOCH, "", "", "");

    private final Warehouse warehouse;
    private final ArrayBlockingQueue<PredictionLog> queue;
    private final EndpointMetrics metrics;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final Thread writer;
    private final Optional<Path> shipDirectory;
    private final long shipIntervalNanos;
    private final String shipPrefix = "replica-" + UUID.randomUUID().toString().substring(0, 8) + "-";
    private long lastShip = System.nanoTime();
    private long unshipped;
    private int shipped;
    /** A shipped file whose rename failed (its rows are in it only), retried before the next ship; null when none. */
    private Move pendingMove;
    /**
     * For each column of the log table, in the table's order, which of the logged fields goes there ({@link #FIELDS}'s
     * index), or -1 for a column of the user's own (its default, else NULL). Read when the connection opens and again
     * when an append fails, so a user's {@code ALTER TABLE ... ADD COLUMN} never stops logging.
     */
    private int[] layout;
    private volatile boolean closing;

    /**
     * The queue's bound in characters of payload, besides its rows: a row holds a whole request and response (up to
     * --max-request-bytes each), so 10,000 rows of 2 MB filled the heap, failed predictions with OutOfMemoryError and
     * killed the writer (probe qd). An eighth of the heap, at most 256 MiB.
     */
    static final long DEFAULT_QUEUE_CHARS = Math.min(256L << 20, Runtime.getRuntime().maxMemory() / 8);

    /** Payload characters a queued row is counted as, beyond its payloads (its ids, names and time). */
    private static final int ROW_OVERHEAD = 256;

    private final long queueChars;
    private final java.util.concurrent.atomic.AtomicLong queuedChars = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean started;

    PredictionLogger(Warehouse warehouse, int capacity, EndpointMetrics metrics) {
        this(warehouse, capacity, DEFAULT_QUEUE_CHARS, metrics, Optional.empty(), Duration.ZERO);
    }

    /** With {@code shipDirectory}: a replica's logger, shipping its rows there as Parquet files (see the class comment). */
    PredictionLogger(Warehouse warehouse, int capacity, EndpointMetrics metrics, Optional<Path> shipDirectory, Duration shipInterval) {
        this(warehouse, capacity, DEFAULT_QUEUE_CHARS, metrics, shipDirectory, shipInterval);
    }

    /** As above, the queue bounded to {@code capacity} rows and {@code queueChars} characters of payload. */
    PredictionLogger(Warehouse warehouse, int capacity, long queueChars, EndpointMetrics metrics, Optional<Path> shipDirectory,
            Duration shipInterval) {
        this.queueChars = queueChars;
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.shipDirectory = requireNonNull(shipDirectory, "shipDirectory is null");
        this.shipIntervalNanos = shipInterval.toNanos();
        if (capacity < 1) {
            throw new IllegalArgumentException("prediction log queue capacity must be >= 1, got " + capacity);
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.writer = new Thread(this::run, "lathe-prediction-log");
        this.writer.setDaemon(true);
    }

    /** Starts the writer thread; rows offered before wait in the queue. */
    void start() {
        started = true;
        writer.start();
    }

    /**
     * Queues a row without blocking; false (and a counted drop) when the queue is full (in rows or in payload characters),
     * the logger closed or its writer gone (a row it would never write must not count as accepted).
     */
    boolean offer(PredictionLog row) {
        long size = chars(row);
        if (!closing && (!started || writer.isAlive())) {
            if (queuedChars.addAndGet(size) <= queueChars && queue.offer(row)) {
                accepted.incrementAndGet();
                return true;
            }
            queuedChars.addAndGet(-size);
        }
        metrics.logDropped.labels(row.endpoint()).inc();
        return false;
    }

    private static long chars(PredictionLog row) {
        return (long) row.requestPayload().length() + row.responsePayload().length() + ROW_OVERHEAD;
    }

    /** Waits until every accepted row was written (or failed); false when the time passed first. */
    boolean awaitWritten(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (done.get() < accepted.get()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(5);
        }
        return true;
    }

    private void run() {
        Connection connection = null;
        List<PredictionLog> batch = new ArrayList<>(BATCH);
        while (!(closing && queue.isEmpty())) {
            try {
                PredictionLog first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null || first == WAKE_UP) {
                    connection = shipIfDue(connection, closing);
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                batch.removeIf(row -> row == WAKE_UP);
                if (connection == null) {
                    connection = open();
                }
                try {
                    Connection c = connection;
                    warehouse.appending(() -> write(c, batch, layout));
                } catch (SQLException e) {
                    // The table may have changed under the connection (a column added, dropped or moved): when its
                    // layout did, the batch is written again in the new one; else the failure stands.
                    int[] now = layout(connection);
                    if (java.util.Arrays.equals(now, layout)) {
                        throw e;
                    }
                    layout = now;
                    Connection c = connection;
                    warehouse.appending(() -> write(c, batch, now));
                }
                unshipped += batch.size();
                for (PredictionLog row : batch) {
                    metrics.logWritten.labels(row.endpoint()).inc();
                }
                connection = shipIfDue(connection, closing && queue.isEmpty());
            } catch (InterruptedException e) {
                closing = true;
            } catch (Exception | Error e) {
                // Catch everything: the log must never take serving down; the rows are counted as failed.
                LOG.log(Level.WARNING, "Writing " + batch.size() + " prediction log rows failed", e);
                for (PredictionLog row : batch) {
                    metrics.logFailed.labels(row.endpoint()).inc();
                }
                connection = closeQuietly(connection);
            } finally {
                long written = 0;
                for (PredictionLog row : batch) {
                    written += chars(row);
                }
                queuedChars.addAndGet(-written);
                done.addAndGet(batch.size());
                batch.clear();
            }
        }
        closeQuietly(shipIfDue(connection, true));
    }

    private Connection open() throws SQLException {
        Connection connection = warehouse.connect();
        try (Statement statement = connection.createStatement()) {
            createTable(statement);
        }
        layout = layout(connection);
        return connection;
    }

    /** The logged fields, in the order {@link #write} has them and {@link #createTable} creates the table's columns. */
    static final List<String> FIELDS = List.of("endpoint", "deployed_model_id", "logging_time", "request_id", "request_payload",
            "response_payload", "model", "model_version");

    /**
     * The log table's columns mapped to the logged fields by name (case-insensitive, as DuckDB's names are). A field whose
     * column a user dropped is not written; a column of the user's own gets its default.
     */
    static int[] layout(Connection connection) throws SQLException {
        List<Integer> columns = new ArrayList<>();
        try (var statement = connection.prepareStatement("SELECT column_name FROM information_schema.columns"
                + " WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ? ORDER BY ordinal_position")) {
            statement.setString(1, DATASET);
            statement.setString(2, TABLE);
            try (var result = statement.executeQuery()) {
                while (result.next()) {
                    columns.add(FIELDS.indexOf(result.getString(1).toLowerCase(java.util.Locale.ROOT)));
                }
            }
        }
        if (!columns.containsAll(java.util.stream.IntStream.range(0, FIELDS.size()).boxed().toList())) {
            List<String> missing = FIELDS.stream().filter(f -> !columns.contains(FIELDS.indexOf(f))).toList();
            LOG.warning(DATASET + "." + TABLE + " lacks the column" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing)
                    + "; logged requests are written without " + (missing.size() == 1 ? "it" : "them"));
        }
        return columns.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Creates the log table (and its dataset) unless it exists. */
    static void createTable(Statement statement) throws SQLException {
        statement.execute("CREATE SCHEMA IF NOT EXISTS " + DATASET);
        statement.execute("""
                CREATE TABLE IF NOT EXISTS %s.%s (
                    endpoint VARCHAR, deployed_model_id VARCHAR, logging_time TIMESTAMP, request_id VARCHAR,
                    request_payload VARCHAR, response_payload VARCHAR, model VARCHAR, model_version VARCHAR)""".formatted(DATASET, TABLE));
    }

    /**
     * A replica's ship ({@link #shipDirectory} set): when rows wait and the interval passed (or {@code force}), moves them
     * into a new Parquet file. Returns the connection to go on with: null after a failed transaction, so the next write
     * opens a fresh one (the rows live in the in-memory database, not in the connection).
     */
    private Connection shipIfDue(Connection connection, boolean force) {
        if (shipDirectory.isEmpty() || connection == null || !deliverPending()
                || unshipped == 0 || (!force && System.nanoTime() - lastShip < shipIntervalNanos)) {
            return connection;
        }
        lastShip = System.nanoTime();
        Path directory = shipDirectory.get();
        String name = shipPrefix + System.currentTimeMillis() + "-" + (shipped++) + ".parquet";
        Path hidden = directory.resolve("." + name + ".tmp");
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot create " + directory + "; " + unshipped + " prediction log rows wait for the next try", e);
            metrics.logShipFailures.labels().inc();
            return connection;
        }
        try {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("COPY " + DATASET + "." + TABLE + " TO " + Sql.literal(hidden.toString()) + " (FORMAT parquet)");
                statement.execute("DELETE FROM " + DATASET + "." + TABLE);
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.WARNING, "Shipping " + unshipped + " prediction log rows to " + directory + " failed; they wait for the next try", e);
            metrics.logShipFailures.labels().inc();
            try {
                Files.deleteIfExists(hidden);
            } catch (IOException ignored) {
                // a hidden .tmp file is never read
            }
            return closeQuietly(connection);
        }
        // The rows are in the hidden file only now: until it is renamed, every later ship first retries the rename.
        metrics.logShipped.labels().inc(unshipped);
        unshipped = 0;
        pendingMove = new Move(hidden, directory.resolve(name));
        deliverPending();
        try {
            connection.setAutoCommit(true);
            return connection;
        } catch (SQLException e) {
            return closeQuietly(connection);
        }
    }

    /** Renames a shipped file that could not be renamed before; whether nothing is pending any more. */
    private boolean deliverPending() {
        if (pendingMove == null) {
            return true;
        }
        try {
            Files.move(pendingMove.from(), pendingMove.to(), StandardCopyOption.ATOMIC_MOVE);
            pendingMove = null;
            return true;
        } catch (IOException e) {
            LOG.log(Level.WARNING, "Cannot rename the shipped prediction log " + pendingMove.from() + " to " + pendingMove.to()
                    + "; retrying at the next ship", e);
            return false;
        }
    }

    private record Move(Path from, Path to) {}

    private static Void write(Connection connection, List<PredictionLog> batch, int[] layout) throws SQLException {
        try (DuckDBAppender appender = ((DuckDBConnection) connection).createAppender(DATASET, TABLE)) {
            for (PredictionLog row : batch) {
                appender.beginRow();
                for (int field : layout) {
                    switch (field) {
                        case 0 -> appender.append(row.endpoint());
                        case 1 -> appender.append(row.deployedModelId());
                        case 2 -> appender.appendEpochMicros(ChronoUnit.MICROS.between(Instant.EPOCH, row.loggingTime()));
                        case 3 -> appender.append(row.requestId());
                        case 4 -> appender.append(row.requestPayload());
                        case 5 -> appender.append(row.responsePayload());
                        case 6 -> appender.append(row.model());
                        case 7 -> appender.append(row.modelVersion());
                        default -> appender.appendDefault();
                    }
                }
                appender.endRow();
            }
        }
        return null;
    }

    private static Connection closeQuietly(Connection connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.log(Level.FINE, "Closing the prediction log connection failed", e);
            }
        }
        return null;
    }

    /** How long a stop waits for the queued rows to be written before it gives them up, saying how many. */
    static final long CLOSE_LIMIT_SECONDS = 600;

    /**
     * Stops accepting rows, writes every queued one, and stops the writer. A stop with a full queue of large requests takes
     * a while: it says so every 5 s; after {@link #CLOSE_LIMIT_SECONDS} the rows still queued are given up, counted as
     * failed and named in a warning (a stop that cut them off after 10 s lost them without a word).
     */
    @Override
    public void close() {
        closing = true;
        if (!writer.isAlive()) {
            return;
        }
        // Without this the writer notices only when its wait for a row times out: up to 0.1 s of every server stop,
        // and of every CLI command that starts a server for one call. A full queue has no room for it, and needs none.
        queue.offer(WAKE_UP);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(CLOSE_LIMIT_SECONDS);
        try {
            while (writer.isAlive() && System.nanoTime() < deadline) {
                writer.join(TimeUnit.SECONDS.toMillis(5));
                long left = accepted.get() - done.get();
                if (writer.isAlive() && left > 0) {
                    LOG.info("Writing the prediction log before stopping: " + left + " queued request" + (left == 1 ? "" : "s") + " left");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long lost = accepted.get() - done.get();
        if (writer.isAlive() && lost > 0) {
            LOG.warning(lost + " logged prediction request" + (lost == 1 ? " was" : "s were") + " not written to " + DATASET
                    + " before the stop gave up after " + CLOSE_LIMIT_SECONDS + " s");
        }
    }
}
