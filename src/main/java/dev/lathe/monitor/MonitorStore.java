package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.metadata.Parameters;
import dev.lathe.server.Json;
import java.io.IOException;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Monitors and their alerts in the metadata store (tables {@code monitors} and {@code monitor_alerts}, migration
 * V004); thread-safe, one transaction per call. The alert table's unique key (monitor, window start, window end)
 * makes {@link #createAlert} answer empty for a window that already has its alert.
 */
public final class MonitorStore {
    private static final String COLUMNS = "id, display_name, endpoint_id, spec, state, next_window_end, created_at, updated_at";
    private static final String ALERT_COLUMNS = "id, monitor_id, window_start, window_end, run_id, anomalies, webhook_url, delivery_state, "
            + "delivery_attempts, last_error, delivered_at, created_at";

    private final MetadataStore metadata;
    private final Clock clock;

    public MonitorStore(MetadataStore metadata, Clock clock) {
        this.metadata = requireNonNull(metadata, "metadata is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    // ---- monitors ------------------------------------------------------------------------------------

    /** Stores a new ACTIVE monitor whose first window ends at the first interval boundary after now. */
    public Monitor create(String id, MonitorSpec spec) {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
        String now = now();
        Instant next = Monitor.alignedEndAtOrAfter(clock.instant().plusNanos(1), spec.interval());
        return metadata.inTransaction(c -> {
            if (read(c, id).isPresent()) {
                throw new LatheException(ErrorCode.ALREADY_EXISTS, "Monitor '" + id + "' already exists; choose another modelDeploymentMonitoringJobId");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO monitors (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
                insert.setString(1, id);
                insert.setString(2, spec.displayName());
                insert.setString(3, spec.endpointId());
                insert.setString(4, MonitorJson.specJson(spec, "").toString());
                insert.setString(5, MonitorState.ACTIVE.name());
                insert.setString(6, next.toString());
                insert.setString(7, now);
                insert.setString(8, now);
                insert.executeUpdate();
            }
            return read(c, id).orElseThrow();
        });
    }

    public Optional<Monitor> get(String id) {
        return metadata.inTransaction(c -> read(c, id));
    }

    /** The monitor, or a NOT_FOUND error naming it. */
    public Monitor require(String id) {
        return get(id).orElseThrow(() -> new LatheException(ErrorCode.TABLE_NOT_FOUND, "Monitor '" + id
                + "' does not exist; list the monitors with GET .../modelDeploymentMonitoringJobs or `lathe monitors list`"));
    }

    /** Monitors in id order after {@code after} (exclusive), at most {@code limit}. */
    public List<Monitor> list(int limit, String after) {
        return metadata.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM monitors WHERE id > ? ORDER BY id LIMIT ?", after, limit));
    }

    public List<Monitor> active() {
        return metadata.inTransaction(c -> query(c, "SELECT " + COLUMNS + " FROM monitors WHERE state = ? ORDER BY id", MonitorState.ACTIVE.name()));
    }

    /**
     * Pauses or resumes. Resuming restarts the schedule at the next interval boundary: windows that passed while
     * the monitor was paused are not run (run them with {@code :run} and a windowEndTime if needed).
     */
    public Monitor setState(String id, MonitorState state) {
        Monitor monitor = require(id);
        if (monitor.state() == state) {
            return monitor;
        }
        Instant next = state == MonitorState.ACTIVE ? Monitor.alignedEndAtOrAfter(clock.instant().plusNanos(1), monitor.spec().interval())
                : monitor.nextWindowEnd();
        update("UPDATE monitors SET state = ?, next_window_end = ?, updated_at = ? WHERE id = ?", state.name(), next.toString(), now(), id);
        return require(id);
    }

    /** Moves the schedule on from {@code expected} to {@code next}; false when another writer moved it first. */
    boolean advance(String id, Instant expected, Instant next) {
        return update("UPDATE monitors SET next_window_end = ? WHERE id = ? AND next_window_end = ?", next.toString(), id, expected.toString()) == 1;
    }

    /** Deletes the monitor and its alerts in one transaction. */
    public void delete(String id) {
        require(id);
        metadata.inTransaction(c -> {
            Parameters.execute(c, "DELETE FROM monitor_alerts WHERE monitor_id = ?", id);
            Parameters.execute(c, "DELETE FROM monitors WHERE id = ?", id);
            return null;
        });
    }

    // ---- alerts --------------------------------------------------------------------------------------

    /**
     * Records the alert of a run's window, unless the window already has one (then empty: a re-run never raises a
     * second alert). Delivery starts PENDING with a webhook, NOT_CONFIGURED without.
     */
    public Optional<Alert> createAlert(MonitorRun run, List<Finding> anomalies, Optional<URI> webhook) {
        String now = now();
        return metadata.inTransaction(c -> {
            // Checked first so that a concurrent duplicate on PostgreSQL (unique violation, retried by the store) ends here.
            if (!alerts(c, " WHERE monitor_id = ? AND window_start = ? AND window_end = ?", run.monitorId(), run.windowStart().toString(),
                    run.windowEnd().toString()).isEmpty()) {
                return Optional.<Alert>empty();
            }
            long id;
            try (PreparedStatement max = c.prepareStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM monitor_alerts"); ResultSet rows = max.executeQuery()) {
                rows.next();
                id = rows.getLong(1);
            }
            Parameters.execute(c, "INSERT INTO monitor_alerts (" + ALERT_COLUMNS + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, NULL, ?, ?)", id,
                    run.monitorId(), run.windowStart().toString(), run.windowEnd().toString(), run.id(), findingsJson(anomalies).toString(),
                    webhook.map(URI::toString).orElse(null), (webhook.isPresent() ? DeliveryState.PENDING : DeliveryState.NOT_CONFIGURED).name(),
                    now, now);
            return Optional.of(alerts(c, " WHERE id = ?", id).get(0));
        });
    }

    public Alert requireAlert(long id) {
        List<Alert> found = metadata.inTransaction(c -> alerts(c, " WHERE id = ?", id));
        if (found.isEmpty()) {
            throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Alert " + id + " does not exist");
        }
        return found.get(0);
    }

    /** Alerts newest first, of one monitor or (empty) of all; {@code offset} skips that many. */
    public List<Alert> alerts(Optional<String> monitorId, int limit, long offset) {
        return metadata.inTransaction(c -> monitorId.isPresent()
                ? alerts(c, " WHERE monitor_id = ? ORDER BY id DESC LIMIT ? OFFSET ?", monitorId.get(), limit, offset)
                : alerts(c, " ORDER BY id DESC LIMIT ? OFFSET ?", limit, offset));
    }

    /** Alerts whose webhook delivery has not ended (for resuming after a restart). */
    public List<Alert> pendingDeliveries() {
        return metadata.inTransaction(c -> alerts(c, " WHERE delivery_state = ? ORDER BY id", DeliveryState.PENDING.name()));
    }

    /** Records one delivery attempt's outcome. */
    void recordDelivery(long alertId, DeliveryState state, int attempts, Optional<String> lastError, Optional<Instant> deliveredAt) {
        update("UPDATE monitor_alerts SET delivery_state = ?, delivery_attempts = ?, last_error = ?, delivered_at = ?, updated_at = ? WHERE id = ?",
                state.name(), attempts, lastError.map(dev.lathe.core.StoredText::escapeNul).orElse(null), deliveredAt.map(Instant::toString).orElse(null), now(), alertId);
    }

    // ---- rows ----------------------------------------------------------------------------------------

    private Optional<Monitor> read(Connection c, String id) throws SQLException {
        List<Monitor> found = query(c, "SELECT " + COLUMNS + " FROM monitors WHERE id = ?", id);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    private static List<Monitor> query(Connection c, String sql, Object... values) throws SQLException {
        List<Monitor> monitors = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            Parameters.bind(statement, values);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    MonitorSpec spec = MonitorJson.parseSpec((ObjectNode) parse(rows.getString("spec")));
                    monitors.add(new Monitor(rows.getString("id"), spec, MonitorState.valueOf(rows.getString("state")),
                            Instant.parse(rows.getString("next_window_end")), Instant.parse(rows.getString("created_at")),
                            Instant.parse(rows.getString("updated_at"))));
                }
            }
        }
        return monitors;
    }

    private static List<Alert> alerts(Connection c, String where, Object... values) throws SQLException {
        List<Alert> alerts = new ArrayList<>();
        try (PreparedStatement statement = c.prepareStatement("SELECT " + ALERT_COLUMNS + " FROM monitor_alerts" + where)) {
            Parameters.bind(statement, values);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    alerts.add(new Alert(rows.getLong("id"), rows.getString("monitor_id"), Instant.parse(rows.getString("window_start")),
                            Instant.parse(rows.getString("window_end")), rows.getLong("run_id"), findings(parse(rows.getString("anomalies"))),
                            Optional.ofNullable(rows.getString("webhook_url")).map(URI::create), DeliveryState.valueOf(rows.getString("delivery_state")),
                            rows.getInt("delivery_attempts"), Optional.ofNullable(rows.getString("last_error")),
                            Optional.ofNullable(rows.getString("delivered_at")).map(Instant::parse), Instant.parse(rows.getString("created_at"))));
                }
            }
        }
        return alerts;
    }

    /** Findings as compact JSON (the alert's anomalies, the webhook body's). */
    static ArrayNode findingsJson(List<Finding> findings) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        findings.forEach(f -> array.add(MonitorJson.finding(f)));
        return array;
    }

    static List<Finding> findings(JsonNode array) {
        List<Finding> findings = new ArrayList<>();
        for (JsonNode f : array) {
            findings.add(new Finding(f.get("deployedModelId").textValue(), f.get("model").textValue(), ObjectiveType.valueOf(f.get("objective").textValue()),
                    text(f, "featureDisplayName"), text(f, "metric"), f.has("metricValue") ? number(f, "metricValue") : number(f, "distributionDeviation"),
                    number(f, "anomalyDetectionThreshold"), f.has("isAnomaly") ? Optional.of(f.get("isAnomaly").booleanValue()) : Optional.empty(),
                    FindingStatus.valueOf(f.get("dataStatus").textValue()), text(f, "message"), count(f, "predictionCount"),
                    count(f, "matchedPredictionCount")));
        }
        return findings;
    }

    private static OptionalLong count(JsonNode node, String field) {
        return node.has(field) ? OptionalLong.of(node.get(field).asLong()) : OptionalLong.empty();
    }

    private static Optional<String> text(JsonNode node, String field) {
        return node.has(field) ? Optional.of(node.get(field).textValue()) : Optional.empty();
    }

    private static OptionalDouble number(JsonNode node, String field) {
        return node.has(field) ? OptionalDouble.of(node.get(field).doubleValue()) : OptionalDouble.empty();
    }

    private int update(String sql, Object... values) {
        return metadata.inTransaction(c -> Parameters.execute(c, sql, values));
    }

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw LatheException.internal("A stored monitor holds invalid JSON: " + e.getMessage(), e);
        }
    }

    private String now() {
        return clock.instant().toString();
    }
}
