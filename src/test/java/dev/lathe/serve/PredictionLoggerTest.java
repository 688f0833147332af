package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.server.ServerMetrics;
import dev.lathe.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PredictionLoggerTest {
    private static PredictionLog row(int i) {
        return new PredictionLog("e1", "1234567890", "d.m", "1", Instant.now(), "r" + i, "{\"instances\": [" + i + "]}", "{\"predictions\": []}");
    }

    @Test
    void aFullQueueDropsSamplesAndCountsThemWithoutBlocking() throws Exception {
        ServerMetrics registry = new ServerMetrics();
        EndpointMetrics metrics = new EndpointMetrics(registry);
        try (Warehouse warehouse = Warehouse.inMemory()) {
            PredictionLogger logger = new PredictionLogger(warehouse, 2, metrics);
            int accepted = 0;
            for (int i = 0; i < 5; i++) {
                accepted += logger.offer(row(i)) ? 1 : 0;
            }
            assertThat(accepted).isEqualTo(2);
            assertThat(metrics.logDropped.labels("e1").value()).isEqualTo(3);
            assertThat(registry.scrape()).contains("lathe_prediction_log_dropped_total{endpoint=\"e1\"} 3");
            logger.start();
            assertThat(logger.awaitWritten(30, TimeUnit.SECONDS)).isTrue();
            logger.close();
            try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT COUNT(*), MIN(request_id), MAX(logging_time) IS NOT NULL "
                            + "FROM lathe_logs.request_response_logging WHERE endpoint = 'e1'")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(2);
                assertThat(rows.getString(2)).isEqualTo("r0");
                assertThat(rows.getBoolean(3)).isTrue();
            }
        }
    }

    /** Probe qd: 10,000 queued rows of 2 MB filled the heap; the queue is bounded in payload characters as well. */
    @Test
    void theQueueIsBoundedInPayloadAsWellAsRows() throws Exception {
        EndpointMetrics metrics = new EndpointMetrics(new ServerMetrics());
        try (Warehouse warehouse = Warehouse.inMemory()) {
            PredictionLogger logger = new PredictionLogger(warehouse, 100, 3_000, metrics, java.util.Optional.empty(), java.time.Duration.ZERO);
            String big = "{\"instances\": [\"" + "x".repeat(2_000) + "\"]}";
            PredictionLog large = new PredictionLog("e1", "1234567890", "d.m", "1", Instant.now(), "big", big, "{}");
            assertThat(logger.offer(large)).isTrue();
            assertThat(logger.offer(large)).as("over the payload budget").isFalse();
            assertThat(logger.offer(row(1))).as("a small row still fits").isTrue();
            assertThat(metrics.logDropped.labels("e1").value()).isEqualTo(1);
            logger.start();
            assertThat(logger.awaitWritten(30, TimeUnit.SECONDS)).isTrue();
            assertThat(logger.offer(large)).as("room again once written").isTrue();
            logger.close();
        }
    }

    @Test
    void closeWritesWhatIsQueuedFullQueueOrNotAndNothingElse() throws Exception {
        for (int capacity : new int[] {3, 100}) {
            try (Warehouse warehouse = Warehouse.inMemory()) {
                PredictionLogger logger = new PredictionLogger(warehouse, capacity, new EndpointMetrics(new ServerMetrics()));
                logger.start();
                for (int i = 0; i < 3; i++) {
                    assertThat(logger.offer(row(i))).isTrue();
                }
                logger.close(); // at once: the writer may be waiting for a row, or writing
                assertThat(logger.offer(row(9))).as("closed").isFalse();
                try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
                        ResultSet rows = statement.executeQuery("SELECT COUNT(*), COUNT(*) FILTER (WHERE endpoint = 'e1') "
                                + "FROM lathe_logs.request_response_logging")) {
                    rows.next();
                    assertThat(rows.getLong(1)).as("capacity %d", capacity).isEqualTo(3);
                    assertThat(rows.getLong(2)).isEqualTo(3);
                }
            }
        }
    }

    /**
     * Probe qd: an ALTER TABLE of the log table committed while the logger appended lost the appended rows (40-57 an
     * ALTER) without an error; a table change now waits for the append in flight, and the append for it.
     */
    @Test
    void rowsLoggedWhileTheLogTableIsAlteredAreAllKept(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) throws Exception {
        EndpointMetrics metrics = new EndpointMetrics(new ServerMetrics());
        try (dev.lathe.engine.Platform platform = dev.lathe.engine.Platform.open(directory)) {
            PredictionLogger logger = new PredictionLogger(platform.warehouse(), 100_000, metrics);
            logger.start();
            assertThat(logger.offer(row(0))).isTrue();
            assertThat(logger.awaitWritten(30, TimeUnit.SECONDS)).isTrue();
            java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicInteger accepted = new java.util.concurrent.atomic.AtomicInteger(1);
            Thread load = new Thread(() -> {
                for (int i = 1; !stop.get(); i++) {
                    accepted.addAndGet(logger.offer(row(i)) ? 1 : 0);
                    if (i % 50 == 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                    }
                }
            });
            load.start();
            dev.lathe.engine.Engine session = platform.session(line -> {});
            for (int round = 0; round < 3; round++) {
                Thread.sleep(150);
                session.execute("ALTER TABLE lathe_logs.request_response_logging ADD COLUMN note" + round + " VARCHAR", (t, r) -> {});
                Thread.sleep(150);
                session.execute("ALTER TABLE lathe_logs.request_response_logging DROP COLUMN note" + round, (t, r) -> {});
            }
            stop.set(true);
            load.join();
            assertThat(logger.awaitWritten(60, TimeUnit.SECONDS)).isTrue();
            logger.close();
            assertThat(metrics.logFailed.labels("e1").value()).isZero();
            try (Connection connection = platform.warehouse().connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT count(*) FROM lathe_logs.request_response_logging")) {
                rows.next();
                assertThat(rows.getLong(1)).isEqualTo(accepted.get());
            }
            // inside a transaction the change would take effect at COMMIT, out of the lock's reach: refused there
            session.execute("BEGIN", (t, r) -> {});
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> session.execute(
                    "ALTER TABLE lathe_logs.request_response_logging ADD COLUMN late VARCHAR", (t, r) -> {})))
                    .hasMessageContaining("inside a transaction").hasMessageContaining("outside the transaction");
            session.execute("ROLLBACK", (t, r) -> {});
            session.close();
        }
    }

    /**
     * Probe sb F5: every ALTER or DROP, of any table, waited for the log's append in flight and held the next ones: a
     * long ALTER of an unrelated 20M-row table filled the queue and dropped 37,000 sampled rows. Only a change that names
     * the log's dataset, or reaches it through the default dataset, waits; others run beside the appends.
     */
    @Test
    void onlyAChangeThatMayReachTheLogTablesWaitsForAnAppend(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory)
            throws Exception {
        try (dev.lathe.engine.Platform platform = dev.lathe.engine.Platform.open(directory);
                dev.lathe.engine.Engine session = platform.session(line -> {})) {
            PredictionLogger logger = new PredictionLogger(platform.warehouse(), 10, new EndpointMetrics(new ServerMetrics()));
            logger.start();
            assertThat(logger.offer(row(0))).isTrue();
            assertThat(logger.awaitWritten(30, TimeUnit.SECONDS)).isTrue();
            logger.close(); // the log table exists
            session.execute("CREATE SCHEMA d; CREATE TABLE d.other AS SELECT 1 AS i", (t, r) -> {});

            Runnable release = holdAnAppend(platform.warehouse());
            try {
                java.util.concurrent.CompletableFuture.runAsync(() -> session.execute("ALTER TABLE d.other ADD COLUMN j INTEGER;"
                        + " ALTER TABLE d.other RENAME TO renamed; DROP TABLE d.renamed", (t, r) -> {})).get(30, TimeUnit.SECONDS);
            } finally {
                release.run();
            }

            for (String change : new String[] {"ALTER TABLE lathe_logs.request_response_logging ADD COLUMN k INTEGER",
                    "USE lathe_logs; ALTER TABLE request_response_logging DROP COLUMN k"}) {
                release = holdAnAppend(platform.warehouse());
                java.util.concurrent.CompletableFuture<Void> waiting;
                try {
                    waiting = java.util.concurrent.CompletableFuture.runAsync(() -> session.execute(change, (t, r) -> {}));
                    Thread.sleep(300);
                    assertThat(waiting).as(change).isNotDone();
                } finally {
                    release.run();
                }
                waiting.get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Holds the warehouse's append lock as an append in flight does, until the returned action runs. */
    private static Runnable holdAnAppend(Warehouse warehouse) throws InterruptedException {
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread append = Thread.ofPlatform().start(() -> {
            try {
                warehouse.appending(() -> {
                    held.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return null;
                });
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();
        return () -> {
            release.countDown();
            try {
                append.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void aFailingWarehouseNeverReachesTheCallerAndIsCounted() throws Exception {
        EndpointMetrics metrics = new EndpointMetrics(new ServerMetrics());
        Warehouse warehouse = Warehouse.inMemory();
        warehouse.close();
        PredictionLogger logger = new PredictionLogger(warehouse, 10, metrics);
        logger.start();
        assertThat(logger.offer(row(1))).isTrue();
        assertThat(logger.awaitWritten(30, TimeUnit.SECONDS)).isTrue();
        logger.close();
        assertThat(metrics.logFailed.labels("e1").value()).isEqualTo(1);
    }

    @Test
    void aUsersOwnColumnsInTheLogTableNeverStopLogging() throws Exception {
        EndpointMetrics metrics = new EndpointMetrics(new ServerMetrics());
        try (Warehouse warehouse = Warehouse.inMemory()) {
            PredictionLogger logger = new PredictionLogger(warehouse, 10, metrics);
            logger.start();
            assertThat(logger.offer(row(1))).isTrue();
            assertThat(logger.awaitWritten(30, TimeUnit.SECONDS)).isTrue();
            try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement()) {
                // While the logger's connection is open: a column of the user's own first (with a default), one at the
                // end, and one of Lathe's moved to the end.
                statement.execute("ALTER TABLE lathe_logs.request_response_logging ADD COLUMN reviewed BOOLEAN DEFAULT false");
                statement.execute("ALTER TABLE lathe_logs.request_response_logging ADD COLUMN note VARCHAR");
                statement.execute("ALTER TABLE lathe_logs.request_response_logging DROP COLUMN model_version");
                statement.execute("ALTER TABLE lathe_logs.request_response_logging ADD COLUMN model_version VARCHAR");
            }
            assertThat(logger.offer(row(2))).isTrue();
            assertThat(logger.awaitWritten(30, TimeUnit.SECONDS)).isTrue();
            logger.close();
            assertThat(metrics.logFailed.labels("e1").value()).isZero();
            assertThat(metrics.logWritten.labels("e1").value()).isEqualTo(2);
            try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT request_id, model, model_version, reviewed, note, request_payload "
                            + "FROM lathe_logs.request_response_logging ORDER BY request_id")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("r1");
                assertThat(rows.getString(3)).as("dropped, then added again").isNull();
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("r2");
                assertThat(rows.getString(2)).isEqualTo("d.m");
                assertThat(rows.getString(3)).isEqualTo("1");
                assertThat(rows.getBoolean(4)).isFalse();
                assertThat(rows.wasNull()).as("the column's default").isFalse();
                assertThat(rows.getString(5)).isNull();
                assertThat(rows.getString(6)).isEqualTo("{\"instances\": [2]}");
                assertThat(rows.next()).isFalse();
            }
        }
    }
}
