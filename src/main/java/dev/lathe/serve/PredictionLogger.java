package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import dev.lathe.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
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
 */
final class PredictionLogger implements AutoCloseable {
    static final String DATASET = PredictionLogs.DATASET;
    static final String TABLE = PredictionLogs.TABLE;
    private static final Logger LOG = Logger.getLogger(PredictionLogger.class.getName());
    private static final int BATCH = 1024;

    private final Warehouse warehouse;
    private final ArrayBlockingQueue<PredictionLog> queue;
    private final EndpointMetrics metrics;
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final Thread writer;
    private volatile boolean closing;

    PredictionLogger(Warehouse warehouse, int capacity, EndpointMetrics metrics) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
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
        writer.start();
    }

    /** Queues a row without blocking; false (and a counted drop) when the queue is full or the logger closed. */
    boolean offer(PredictionLog row) {
        if (!closing && queue.offer(row)) {
            accepted.incrementAndGet();
            return true;
        }
        metrics.logDropped.labels(row.endpoint()).inc();
        return false;
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
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                if (connection == null) {
                    connection = open();
                }
                write(connection, batch);
                for (PredictionLog row : batch) {
                    metrics.logWritten.labels(row.endpoint()).inc();
                }
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
                done.addAndGet(batch.size());
                batch.clear();
            }
        }
        closeQuietly(connection);
    }

    private Connection open() throws SQLException {
        Connection connection = warehouse.connect();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + DATASET);
            statement.execute("""
                    CREATE TABLE IF NOT EXISTS %s.%s (
                        endpoint VARCHAR, deployed_model_id VARCHAR, logging_time TIMESTAMP, request_id VARCHAR,
                        request_payload VARCHAR, response_payload VARCHAR, model VARCHAR, model_version VARCHAR)""".formatted(DATASET, TABLE));
        }
        return connection;
    }

    private static void write(Connection connection, List<PredictionLog> batch) throws SQLException {
        try (DuckDBAppender appender = ((DuckDBConnection) connection).createAppender(DATASET, TABLE)) {
            for (PredictionLog row : batch) {
                appender.beginRow();
                appender.append(row.endpoint());
                appender.append(row.deployedModelId());
                appender.appendEpochMicros(ChronoUnit.MICROS.between(java.time.Instant.EPOCH, row.loggingTime()));
                appender.append(row.requestId());
                appender.append(row.requestPayload());
                appender.append(row.responsePayload());
                appender.append(row.model());
                appender.append(row.modelVersion());
                appender.endRow();
            }
        }
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

    /** Stops accepting rows, writes the queued ones (up to 10 s), and stops the writer. */
    @Override
    public void close() {
        closing = true;
        if (!writer.isAlive()) {
            return;
        }
        try {
            writer.join(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
