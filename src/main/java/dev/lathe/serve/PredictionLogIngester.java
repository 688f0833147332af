package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.LatheException;
import dev.lathe.server.ServerMetrics;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The primary's side of replica prediction logs: every {@code interval} it moves the Parquet files replicas shipped to
 * {@code <data-dir>/prediction-logs/incoming/} into {@code lathe_logs.request_response_logging}, where monitoring and
 * SQL read them. Exactly once: the rows and the file names go in in one warehouse transaction
 * ({@code lathe_logs.ingested_log_files}), and a file is deleted only after that commit, so a crash between the two
 * leaves a file that the next round recognizes and deletes without loading it again. A name is needed only while its
 * file may still be there, so each round ends by forgetting the names of files that are gone: the table holds a few
 * rows, not one per file ever shipped. The primary takes in what is waiting before it turns ready, and so does a
 * command that opens the warehouse itself when no server runs ({@link #takeInShipped}), so that SQL over the log never
 * misses what replicas shipped while no primary ran.
 */
public final class PredictionLogIngester implements AutoCloseable {
    static final String INGESTED = "ingested_log_files";
    private static final Logger LOG = Logger.getLogger(PredictionLogIngester.class.getName());

    private final Warehouse warehouse;
    private final Path directory;
    private final Duration interval;
    private final ServerMetrics.Counter ingested;
    private ScheduledExecutorService scheduler;

    /** {@code ingested} counts the rows taken in (a child of {@code lathe_prediction_log_ingested_total}). */
    PredictionLogIngester(Warehouse warehouse, Path directory, Duration interval, ServerMetrics.Counter ingested) {
        this.ingested = requireNonNull(ingested, "ingested is null");
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.directory = requireNonNull(directory, "directory is null");
        this.interval = requireNonNull(interval, "interval is null");
    }

    /** Where replicas of the data directory ship their logs, and where the primary takes them from. */
    static Path incoming(Path dataDirectory) {
        return dataDirectory.resolve("prediction-logs").resolve("incoming");
    }

    /**
     * Takes in every file replicas have shipped to {@code dataDirectory}, once, now: for a process that owns the
     * warehouse without running a server (`lathe sql` when no server runs). Never fails; a failure is logged and the
     * files stay for the next owner. Returns the rows taken in.
     */
    public static long takeInShipped(Warehouse warehouse, Path dataDirectory) {
        PredictionLogIngester ingester = new PredictionLogIngester(warehouse, incoming(dataDirectory), Duration.ofMinutes(1),
                new ServerMetrics().counter("lathe_prediction_log_ingested_total", "Rows of replicas' prediction logs taken in"));
        return ingester.ingestQuietly();
    }

    void start() {
        scheduler = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("lathe-prediction-log-ingest").factory());
        scheduler.scheduleWithFixedDelay(this::ingestQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** {@link #ingestNow}, logging a failure instead of throwing it; returns the rows taken in (0 after a failure). */
    long ingestQuietly() {
        try {
            return ingestNow();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Taking in replicas' prediction logs from " + directory + " failed; the files stay for the next round", e);
            return 0;
        }
    }

    /** Moves every shipped file's rows into the log table now; returns how many rows came in. */
    synchronized long ingestNow() {
        List<Path> files = shippedFiles();
        if (files.isEmpty()) {
            return 0;
        }
        long rows;
        List<Path> done = new ArrayList<>();
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement()) {
            PredictionLogger.createTable(statement);
            statement.execute("CREATE TABLE IF NOT EXISTS " + PredictionLogs.DATASET + "." + INGESTED
                    + " (file VARCHAR PRIMARY KEY, row_count BIGINT, ingested_at TIMESTAMP)");
            // Only the waiting files' names are looked up.
            Set<String> seen = new HashSet<>();
            String names = String.join(", ", files.stream().map(f -> Sql.literal(f.getFileName().toString())).toList());
            try (ResultSet result = statement.executeQuery("SELECT file FROM " + PredictionLogs.DATASET + "." + INGESTED
                    + " WHERE file IN (" + names + ")")) {
                while (result.next()) {
                    seen.add(result.getString(1));
                }
            }
            List<Path> fresh = new ArrayList<>();
            for (Path file : files) {
                (seen.contains(file.getFileName().toString()) ? done : fresh).add(file);
            }
            rows = fresh.isEmpty() ? 0 : warehouse.appending(() -> load(connection, statement, fresh));
            ingested.labels().inc(rows);
            done.addAll(fresh);
        } catch (SQLException e) {
            throw LatheException.internal("Loading replicas' prediction logs failed: " + e.getMessage(), e);
        }
        for (Path file : done) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "Cannot delete the ingested prediction log " + file + "; it is skipped from now on", e);
            }
        }
        forgetDeleted(done);
        return rows;
    }

    /**
     * Forgets the names of this round's files that are gone. Every name still needed is among them: a name is written
     * in the commit that loads its file, and a file that outlives its commit (a crash, a failed delete) is listed, and
     * tried again, in every round until it is gone. A failure here only leaves names for a later round.
     */
    private void forgetDeleted(List<Path> done) {
        List<String> waiting = done.stream().filter(Files::exists).map(f -> Sql.literal(f.getFileName().toString())).toList();
        String sql = "DELETE FROM " + PredictionLogs.DATASET + "." + INGESTED
                + (waiting.isEmpty() ? "" : " WHERE file NOT IN (" + String.join(", ", waiting) + ")");
        try (Connection connection = warehouse.connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            LOG.log(Level.WARNING, "Cannot forget the names of ingested prediction logs; a later round will", e);
        }
    }

    private static long load(Connection connection, Statement statement, List<Path> files) throws SQLException {
        String list = "[" + String.join(", ", files.stream().map(f -> Sql.literal(f.toString())).toList()) + "]";
        connection.setAutoCommit(false);
        try {
            // By name, and only the columns the table still has: a user's own columns get their defaults.
            List<String> columns = java.util.Arrays.stream(PredictionLogger.layout(connection)).filter(i -> i >= 0)
                    .mapToObj(PredictionLogger.FIELDS::get).toList();
            long rows = statement.executeUpdate("INSERT INTO " + PredictionLogs.DATASET + "." + PredictionLogs.TABLE
                    + " BY NAME SELECT " + String.join(", ", columns) + " FROM read_parquet(" + list + ")");
            StringBuilder names = new StringBuilder();
            for (Path file : files) {
                names.append(names.isEmpty() ? "" : ", ").append("(").append(Sql.literal(file.getFileName().toString()))
                        .append(", (SELECT count(*) FROM read_parquet(").append(Sql.literal(file.toString())).append(")), now())");
            }
            statement.execute("INSERT INTO " + PredictionLogs.DATASET + "." + INGESTED + " VALUES " + names);
            connection.commit();
            return rows;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** The complete files waiting, oldest name first (hidden {@code .tmp} files are still being written). */
    private List<Path> shippedFiles() {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(directory, "*.parquet")) {
            for (Path file : stream) {
                if (!file.getFileName().toString().startsWith(".")) {
                    files.add(file);
                }
            }
        } catch (IOException e) {
            throw LatheException.internal("Cannot list " + directory + ": " + e.getMessage(), e);
        }
        files.sort(null);
        return files;
    }

    /** Stops the schedule and takes in what arrived meanwhile. */
    @Override
    public void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        ingestQuietly();
    }
}
