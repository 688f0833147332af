package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.Batch;
import dev.lathe.core.LatheException;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.profile.DataProfile;
import dev.lathe.serve.PredictionLogs;
import dev.lathe.serve.store.DeployedModel;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one deployed model's logged requests in a window and profiles their instances, streaming: payloads are
 * decoded a row at a time and converted to primitive columns in chunks of {@link #CHUNK} instances, so a window is
 * never held in the heap. The sample is deterministic (a hash of the request id), so re-running a window reads the
 * same rows. A row whose payload cannot be decoded into the model's input features (not JSON, neither request shape,
 * a feature missing or of the wrong type) is skipped and counted by reason, never fatal.
 */
final class WindowReader {
    /** Instances per converted chunk. */
    static final int CHUNK = 4096;
    /** At most this many instances of a window are explained for the attribution objectives. */
    static final int EXPLAINED_INSTANCES = 1000;
    /** Distinct skip reasons kept per window; the rest are counted under one "other" reason. */
    static final int MAX_REASONS = 20;
    private static final long SAMPLE_SCALE = 1_000_000;

    private final Connection connection;
    private final ModelRuntime runtime;
    private final int explainLimit;
    private final boolean profiled;
    private final DataProfile.Builder profile;
    private final Map<String, Long> reasons = new LinkedHashMap<>();
    private final List<List<Map<String, Object>>> pendingRows = new ArrayList<>();
    private final List<Map<String, Object>> sample = new ArrayList<>();
    private int pendingInstances;
    private long rowsRead;
    private long rowsSkipped;
    private long instances;

    private WindowReader(Connection connection, ModelRuntime runtime, int explainLimit, boolean profiled) {
        this.connection = connection;
        this.runtime = runtime;
        this.explainLimit = explainLimit;
        this.profiled = profiled;
        this.profile = new DataProfile.Builder(runtime.featureFields());
    }

    /** Whether the prediction log table exists yet (it is created with the first logged request). */
    static boolean logExists(Connection connection) {
        return Warehouse.relationExists(connection, PredictionLogs.DATASET, PredictionLogs.TABLE);
    }

    /**
     * Reads [start, end) of {@code deployed}'s log rows on {@code endpointId}, keeping {@code sampleRate} of them, and
     * the first {@code explainLimit} instances for explanation; unless {@code profiled}, the instances are counted but
     * not profiled (the window's profile is then empty).
     */
    static WindowData read(Connection connection, String endpointId, DeployedModel deployed, ModelRuntime runtime, Instant start, Instant end,
            double sampleRate, int explainLimit, boolean profiled) {
        requireNonNull(connection, "connection is null");
        WindowReader reader = new WindowReader(connection, runtime, explainLimit, profiled);
        if (logExists(connection)) {
            reader.scan(endpointId, deployed.id(), start, end, sampleRate);
        }
        return new WindowData(reader.rowsRead, reader.rowsSkipped, reader.instances, reader.reasons, reader.profile.build(), reader.sample);
    }

    private void scan(String endpointId, String deployedModelId, Instant start, Instant end, double sampleRate) {
        String sql = "SELECT request_payload FROM " + Sql.qualified(PredictionLogs.DATASET, PredictionLogs.TABLE) + """
                 WHERE endpoint = ? AND deployed_model_id = ? AND logging_time >= make_timestamp(?) AND logging_time < make_timestamp(?)
                  AND hash(request_id) % ? < ? ORDER BY logging_time, request_id""";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, endpointId);
            statement.setString(2, deployedModelId);
            statement.setLong(3, RunStore.micros(start));
            statement.setLong(4, RunStore.micros(end));
            statement.setLong(5, SAMPLE_SCALE);
            statement.setLong(6, Math.round(sampleRate * SAMPLE_SCALE));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    rowsRead++;
                    add(rows.getString(1));
                }
            }
            flush();
        } catch (SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    private void add(String payload) {
        if (payload == null) {
            skip("the request payload is NULL");
            return;
        }
        List<Map<String, Object>> decoded;
        try {
            decoded = PredictionLogs.instances(payload, runtime);
        } catch (RuntimeException e) {
            skip(e.getMessage());
            return;
        }
        pendingRows.add(decoded);
        pendingInstances += decoded.size();
        if (pendingInstances >= CHUNK) {
            flush();
        }
    }

    /** Converts the pending rows as one batch; when that fails, row by row, skipping the rows that fail. */
    private void flush() {
        if (pendingRows.isEmpty()) {
            return;
        }
        List<Map<String, Object>> all = new ArrayList<>(pendingInstances);
        pendingRows.forEach(all::addAll);
        try {
            accept(runtime.featureBatch(all), all);
        } catch (LatheException chunkFailed) {
            for (List<Map<String, Object>> row : pendingRows) {
                try {
                    accept(runtime.featureBatch(row), row);
                } catch (LatheException e) {
                    skip(e.getMessage());
                }
            }
        }
        pendingRows.clear();
        pendingInstances = 0;
    }

    private void accept(Batch batch, List<Map<String, Object>> decoded) {
        if (profiled) {
            profile.add(batch);
        }
        instances += batch.rowCount();
        for (int i = 0; i < decoded.size() && sample.size() < explainLimit; i++) {
            sample.add(decoded.get(i));
        }
    }

    private void skip(String message) {
        rowsSkipped++;
        // "instances[3] lacks field 'sex'" and "instances[0].sex is 1" read the same for every row: count them as one reason.
        String reason = String.valueOf(message).replaceAll("instances\\[\\d+\\]", "instance").replaceAll("inputs\\[\\d+\\]", "input");
        if (!reasons.containsKey(reason) && reasons.size() >= MAX_REASONS) {
            reason = "other reasons";
        }
        reasons.merge(reason, 1L, Long::sum);
    }
}
