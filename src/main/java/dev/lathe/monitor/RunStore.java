package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.lathe.core.LatheException;
import dev.lathe.server.Json;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Monitoring runs in the warehouse, the one place they are kept: {@code lathe_monitoring.runs} (one row per run)
 * and {@code lathe_monitoring.feature_stats} (one row per finding), next to the prediction log they are computed
 * from, so SQL reads them like any table and REST reads them from here. A run and its findings are written in one
 * DuckDB transaction. Times are UTC TIMESTAMPs, like the log's {@code logging_time}.
 */
public final class RunStore {
    public static final String DATASET = "lathe_monitoring";
    public static final String RUNS = "runs";
    public static final String FEATURE_STATS = "feature_stats";
    private static final String RUN_COLUMNS = "run_id, monitor_id, endpoint, window_start, window_end, run_trigger, state, rows_read, rows_skipped, "
            + "instances_profiled, anomaly_count, skipped_reasons, notes, error, start_time, end_time";
    private static final String STAT_COLUMNS = "run_id, monitor_id, window_start, window_end, deployed_model_id, model, objective, feature, metric, "
            + "value, threshold, is_anomaly, data_status, message, prediction_count, matched_prediction_count";

    private final Warehouse warehouse;

    public RunStore(Warehouse warehouse) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
    }

    /**
     * Creates the dataset and tables when missing, and adds the columns later versions added to tables an older
     * version created (idempotent: a data directory of any earlier version opens, its runs intact).
     */
    public void initialize() {
        try (Connection connection = warehouse.connect()) {
            Sql.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + DATASET);
            Sql.execute(connection, "CREATE SEQUENCE IF NOT EXISTS " + DATASET + ".run_ids START 1");
            Sql.execute(connection, """
                    CREATE TABLE IF NOT EXISTS %s.%s (
                        run_id BIGINT PRIMARY KEY, monitor_id VARCHAR NOT NULL, endpoint VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL,
                        window_end TIMESTAMP NOT NULL, run_trigger VARCHAR NOT NULL, state VARCHAR NOT NULL, rows_read BIGINT NOT NULL,
                        rows_skipped BIGINT NOT NULL, instances_profiled BIGINT NOT NULL, anomaly_count INTEGER NOT NULL,
                        skipped_reasons VARCHAR NOT NULL, notes VARCHAR NOT NULL, error VARCHAR, start_time TIMESTAMP NOT NULL,
                        end_time TIMESTAMP NOT NULL)""".formatted(DATASET, RUNS));
            Sql.execute(connection, """
                    CREATE TABLE IF NOT EXISTS %s.%s (
                        run_id BIGINT NOT NULL, monitor_id VARCHAR NOT NULL, window_start TIMESTAMP NOT NULL, window_end TIMESTAMP NOT NULL,
                        deployed_model_id VARCHAR NOT NULL, model VARCHAR NOT NULL, objective VARCHAR NOT NULL, feature VARCHAR, metric VARCHAR,
                        value DOUBLE, threshold DOUBLE, is_anomaly BOOLEAN, data_status VARCHAR NOT NULL, message VARCHAR)""".formatted(DATASET,
                    FEATURE_STATS));
            // Prediction quality findings count the window's logged predictions and those matched with a label.
            for (String column : List.of("prediction_count", "matched_prediction_count")) {
                Sql.execute(connection, "ALTER TABLE " + DATASET + "." + FEATURE_STATS + " ADD COLUMN IF NOT EXISTS " + column + " BIGINT");
            }
        } catch (SQLException e) {
            throw LatheException.internal("Cannot create the monitoring tables in " + DATASET + ": " + e.getMessage(), e);
        }
    }

    /** Stores a finished run and its findings in one transaction; answers it with its new id. */
    public MonitorRun save(MonitorRun run) {
        try (Connection connection = warehouse.connect()) {
            connection.setAutoCommit(false);
            try {
                long id;
                try (PreparedStatement next = connection.prepareStatement("SELECT nextval('" + DATASET + ".run_ids')");
                        ResultSet rows = next.executeQuery()) {
                    rows.next();
                    id = rows.getLong(1);
                }
                MonitorRun stored = run.withId(id);
                ArrayNode reasons = Json.MAPPER.createArrayNode();
                stored.skipReasons().forEach((reason, count) -> reasons.addObject().put("reason", reason).put("count", count));
                ArrayNode notes = Json.MAPPER.createArrayNode();
                stored.notes().forEach(notes::add);
                execute(connection, "INSERT INTO " + DATASET + "." + RUNS + " (" + RUN_COLUMNS + ") VALUES (?, ?, ?, make_timestamp(?), "
                        + "make_timestamp(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, make_timestamp(?), make_timestamp(?))", id, stored.monitorId(),
                        stored.endpointId(), micros(stored.windowStart()), micros(stored.windowEnd()), stored.trigger().name(), stored.state().name(),
                        stored.rowsRead(), stored.rowsSkipped(), stored.instances(), stored.anomalies().size(), reasons.toString(), notes.toString(),
                        stored.error().orElse(null), micros(stored.startTime()), micros(stored.endTime()));
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + DATASET + "." + FEATURE_STATS + " (" + STAT_COLUMNS
                        + ") VALUES (?, ?, make_timestamp(?), make_timestamp(?), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Finding f : stored.findings()) {
                        bind(insert, id, stored.monitorId(), micros(stored.windowStart()), micros(stored.windowEnd()), f.deployedModelId(), f.model(),
                                f.objective().name(), f.feature().orElse(null), f.metric().orElse(null), boxed(f.value()), boxed(f.threshold()),
                                f.isAnomaly().orElse(null), f.status().name(), f.message().orElse(null), boxed(f.predictions()),
                                boxed(f.matchedPredictions()));
                        insert.addBatch();
                    }
                    insert.executeBatch();
                }
                connection.commit();
                return stored;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw LatheException.internal("Storing a monitoring run of monitor " + run.monitorId() + " failed: " + e.getMessage(), e);
        }
    }

    /** A monitor's runs, newest first; {@code offset} skips that many. */
    public List<MonitorRun> list(String monitorId, int limit, long offset) {
        return query(" WHERE monitor_id = ? ORDER BY run_id DESC LIMIT ? OFFSET ?", monitorId, limit, offset);
    }

    public Optional<MonitorRun> get(String monitorId, long runId) {
        List<MonitorRun> runs = query(" WHERE monitor_id = ? AND run_id = ?", monitorId, runId);
        return runs.isEmpty() ? Optional.empty() : Optional.of(runs.get(0));
    }

    /**
     * Deletes a monitor's runs and findings in one transaction, running {@code withinTransaction} (the metadata side of
     * the delete) before it commits; if that throws, nothing is deleted.
     */
    public void delete(String monitorId, Runnable withinTransaction) {
        try (Connection connection = warehouse.connect()) {
            connection.setAutoCommit(false);
            try {
                execute(connection, "DELETE FROM " + DATASET + "." + FEATURE_STATS + " WHERE monitor_id = ?", monitorId);
                execute(connection, "DELETE FROM " + DATASET + "." + RUNS + " WHERE monitor_id = ?", monitorId);
                withinTransaction.run();
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw LatheException.internal("Deleting the runs of monitor " + monitorId + " failed: " + e.getMessage(), e);
        }
    }

    private List<MonitorRun> query(String where, Object... values) {
        try (Connection connection = warehouse.connect()) {
            List<MonitorRun> runs = new ArrayList<>();
            String select = "SELECT run_id, monitor_id, endpoint, epoch_us(window_start) AS ws, epoch_us(window_end) AS we, run_trigger, state, rows_read, "
                    + "rows_skipped, instances_profiled, skipped_reasons, notes, error, epoch_us(start_time) AS st, epoch_us(end_time) AS et FROM "
                    + DATASET + "." + RUNS + where;
            try (PreparedStatement statement = connection.prepareStatement(select)) {
                bind(statement, values);
                try (ResultSet rows = statement.executeQuery()) {
                    while (rows.next()) {
                        Map<String, Long> reasons = new LinkedHashMap<>();
                        for (JsonNode reason : parse(rows.getString("skipped_reasons"))) {
                            reasons.put(reason.get("reason").textValue(), reason.get("count").longValue());
                        }
                        List<String> notes = new ArrayList<>();
                        parse(rows.getString("notes")).forEach(n -> notes.add(n.textValue()));
                        long id = rows.getLong("run_id");
                        runs.add(new MonitorRun(id, rows.getString("monitor_id"), rows.getString("endpoint"), instant(rows.getLong("ws")),
                                instant(rows.getLong("we")), RunTrigger.valueOf(rows.getString("run_trigger")), RunState.valueOf(rows.getString("state")),
                                rows.getLong("rows_read"), rows.getLong("rows_skipped"), rows.getLong("instances_profiled"), reasons, notes,
                                Optional.ofNullable(rows.getString("error")), findings(connection, id), instant(rows.getLong("st")),
                                instant(rows.getLong("et"))));
                    }
                }
            }
            return runs;
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("does not exist")) {
                return List.of();
            }
            throw LatheException.internal("Reading monitoring runs failed: " + e.getMessage(), e);
        }
    }

    private static List<Finding> findings(Connection connection, long runId) throws SQLException {
        List<Finding> findings = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement("SELECT deployed_model_id, model, objective, feature, metric, value, threshold, "
                + "is_anomaly, data_status, message, prediction_count, matched_prediction_count FROM " + DATASET + "." + FEATURE_STATS + " WHERE run_id = ? ORDER BY rowid")) {
            statement.setLong(1, runId);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    double value = rows.getDouble("value");
                    OptionalDouble v = rows.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(value);
                    double threshold = rows.getDouble("threshold");
                    OptionalDouble t = rows.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(threshold);
                    boolean anomaly = rows.getBoolean("is_anomaly");
                    Optional<Boolean> a = rows.wasNull() ? Optional.empty() : Optional.of(anomaly);
                    long predictions = rows.getLong("prediction_count");
                    OptionalLong p = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(predictions);
                    long matched = rows.getLong("matched_prediction_count");
                    OptionalLong m = rows.wasNull() ? OptionalLong.empty() : OptionalLong.of(matched);
                    findings.add(new Finding(rows.getString("deployed_model_id"), rows.getString("model"), ObjectiveType.valueOf(rows.getString("objective")),
                            Optional.ofNullable(rows.getString("feature")), Optional.ofNullable(rows.getString("metric")), v, t, a,
                            FindingStatus.valueOf(rows.getString("data_status")), Optional.ofNullable(rows.getString("message")), p, m));
                }
            }
        }
        return findings;
    }

    private static void execute(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, values);
            statement.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, Object... values) throws SQLException {
        for (int i = 0; i < values.length; i++) {
            statement.setObject(i + 1, values[i]);
        }
    }

    private static Double boxed(OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }

    private static Long boxed(OptionalLong value) {
        return value.isPresent() ? value.getAsLong() : null;
    }

    static long micros(Instant instant) {
        return ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    }

    private static Instant instant(long micros) {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
    }

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw LatheException.internal("A stored monitoring run holds invalid JSON: " + e.getMessage(), e);
        }
    }
}
