package dev.lathe.serve.store;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.registry.DeploymentLookup;
import dev.lathe.registry.OrderBy;
import dev.lathe.registry.Page;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Endpoints and deployed models in the metadata store. Every change is one transaction that reads the endpoint,
 * applies the rules and writes it with a new etag, so a failed change leaves nothing behind and concurrent
 * changes serialize (a lost race on PostgreSQL is retried by the store). It is also the registry's
 * {@link DeploymentLookup}: a deployed version cannot be deleted.
 */
public final class EndpointStore implements DeploymentLookup {
    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<TreeMap<String, String>> LABELS = new TypeReference<>() {};
    private static final TypeReference<TreeMap<String, Integer>> SPLIT = new TypeReference<>() {};

    private final MetadataStore metadata;

    public EndpointStore(MetadataStore metadata) {
        this.metadata = requireNonNull(metadata, "metadata is null");
    }

    public Endpoint create(EndpointSpec spec) {
        requireNonNull(spec, "spec is null");
        return metadata.inTransaction(c -> {
            if (read(c, spec.id()).isPresent()) {
                throw new LatheException(ErrorCode.ALREADY_EXISTS, "Endpoint '" + spec.id() + "' already exists; choose another endpointId");
            }
            String now = Instant.now().toString();
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO endpoints (id, display_name, description, labels, traffic_split, logging_sampling_rate, created_at, updated_at, etag,
                        logging_enabled, logging_kept_rate)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, spec.id());
                insert.setString(2, spec.displayName());
                insert.setString(3, spec.description());
                insert.setString(4, json(new TreeMap<>(spec.labels())));
                insert.setString(5, "{}");
                insert.setDouble(6, loggedRate(spec.loggingEnabled(), spec.loggingSamplingRate()));
                insert.setString(7, now);
                insert.setString(8, now);
                insert.setString(9, newEtag());
                insert.setBoolean(10, spec.loggingEnabled());
                insert.setDouble(11, spec.loggingSamplingRate());
                insert.executeUpdate();
            }
            return read(c, spec.id()).orElseThrow();
        });
    }

    public Optional<Endpoint> get(String id) {
        requireNonNull(id, "id is null");
        return metadata.read(c -> read(c, id));
    }

    /** The endpoint, or ENDPOINT_NOT_FOUND naming it and the endpoints that exist. */
    public Endpoint require(String id) {
        return metadata.read(c -> require(c, id));
    }

    /** Endpoints in id order; the page token is the last id of the previous page, so paging survives changes. */
    public Page<Endpoint> list(int pageSize, Optional<String> pageToken) {
        return list(pageSize, pageToken, endpoint -> true);
    }

    /** As {@link #list(int, Optional)}, of the endpoints {@code filter} keeps (a page is full unless none are left). */
    public Page<Endpoint> list(int pageSize, Optional<String> pageToken, java.util.function.Predicate<Endpoint> filter) {
        return list(pageSize, pageToken, filter, OrderBy.NONE);
    }

    /** The fields an endpoint list can be ordered by (ListEndpoints' order_by), and their columns. */
    public static final List<String> ORDER_FIELDS = List.of("display_name", "create_time", "update_time");
    private static final java.util.Map<String, String> ORDER_COLUMNS = java.util.Map.of("display_name", "display_name",
            "create_time", "created_at", "update_time", "updated_at");

    /** As {@link #list(int, Optional, java.util.function.Predicate)}, in {@code order} where one is given (paged by key too). */
    public Page<Endpoint> list(int pageSize, Optional<String> pageToken, java.util.function.Predicate<Endpoint> filter, OrderBy order) {
        if (pageSize < 0 || pageSize > MAX_PAGE_SIZE) {
            throw new FieldViolationException("pageSize", "must be from 0 to " + MAX_PAGE_SIZE + " (0 means " + DEFAULT_PAGE_SIZE + "), got " + pageSize);
        }
        int size = pageSize == 0 ? DEFAULT_PAGE_SIZE : pageSize;
        Optional<List<String>> afterOrdered = afterToken(order, pageToken);
        List<String> orderColumns = order.terms().stream().map(t -> ORDER_COLUMNS.get(t.field())).toList();
        return metadata.inTransaction(c -> {
            java.util.Map<String, List<String>> values = new java.util.LinkedHashMap<>(); // id -> the order's values, then the id
            String keyset = afterOrdered.isPresent() ? " AND " + order.afterSql(ORDER_COLUMNS, List.of(OrderBy.Column.of("id"))) : "";
            try (PreparedStatement q = c.prepareStatement("SELECT id" + orderColumns.stream().map(e -> ", " + e).reduce("", String::concat)
                    + " FROM endpoints WHERE 1 = 1" + keyset + " ORDER BY " + order.sql(ORDER_COLUMNS, "id"))) {
                List<String> parameters = afterOrdered.map(OrderBy::afterParameters).orElse(List.of());
                for (int i = 0; i < parameters.size(); i++) {
                    q.setString(1 + i, parameters.get(i));
                }
                try (ResultSet rows = q.executeQuery()) {
                    while (rows.next()) {
                        List<String> row = new ArrayList<>();
                        for (int i = 0; i < orderColumns.size(); i++) {
                            row.add(rows.getString(2 + i));
                        }
                        row.add(rows.getString(1));
                        values.put(rows.getString(1), row);
                    }
                }
            }
            List<Endpoint> endpoints = new ArrayList<>();
            boolean more = false;
            for (String id : values.keySet()) {
                Optional<Endpoint> endpoint = read(c, id).filter(filter);
                if (endpoint.isPresent() && endpoints.size() == size) {
                    more = true;
                    break;
                }
                endpoint.ifPresent(endpoints::add);
            }
            Optional<String> next = more ? Optional.of(order.token(values.get(endpoints.get(size - 1).id()))) : Optional.empty();
            return new Page<>(endpoints, next);
        });
    }

    /** Every endpoint, for loading the routers at start-up. */
    public List<Endpoint> all() {
        return metadata.read(c -> {
            List<Endpoint> endpoints = new ArrayList<>();
            for (String id : ids(c)) {
                read(c, id).ifPresent(endpoints::add);
            }
            return endpoints;
        });
    }

    /** Deletes an endpoint that has no deployed models (Vertex refuses otherwise: undeploy first). */
    public void delete(String id) {
        metadata.inTransaction(c -> {
            Endpoint endpoint = require(c, id);
            if (!endpoint.deployedModels().isEmpty()) {
                throw new LatheException(ErrorCode.FAILED_PRECONDITION, "Endpoint '" + id + "' still has deployed models "
                        + endpoint.deployedModels().stream().map(m -> m.id() + " (" + m.reference() + ")").toList()
                        + "; undeploy them first");
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM endpoints WHERE id = ?")) {
                delete.setString(1, id);
                delete.executeUpdate();
            }
            return null;
        });
    }

    /**
     * Deploys {@code dataset.model@version} (already resolved to a number, and loadable) with a new id; {@code split}
     * follows {@link TrafficSplit#afterDeploy}. Returns the endpoint after the change and the new id.
     */
    public Deployment deploy(String endpointId, String dataset, String model, int version, Optional<String> displayName,
            Optional<Map<String, Integer>> split) {
        return metadata.inTransaction(c -> {
            Endpoint endpoint = require(c, endpointId);
            String newId = newDeployedModelId(c);
            List<String> ids = endpoint.deployedModels().stream().map(DeployedModel::id).toList();
            Map<String, Integer> newSplit = TrafficSplit.afterDeploy(endpoint.trafficSplit(), split, newId, ids);
            String now = Instant.now().toString();
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO deployed_models (endpoint_id, deployed_model_id, dataset, model, version, display_name, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, endpointId);
                insert.setString(2, newId);
                insert.setString(3, dataset.toLowerCase(Locale.ROOT));
                insert.setString(4, model);
                insert.setInt(5, version);
                insert.setString(6, displayName.filter(s -> !s.isBlank()).orElse(dataset.toLowerCase(Locale.ROOT) + "." + model));
                insert.setString(7, now);
                try {
                    insert.executeUpdate();
                } catch (SQLException e) {
                    if (MetadataStore.foreignKeyViolation(e)) { // the version was deleted since it was resolved
                        throw new LatheException(ErrorCode.MODEL_NOT_FOUND, "Model " + dataset.toLowerCase(Locale.ROOT) + "." + model
                                + " version " + version + " was deleted while it was being deployed; nothing was deployed", e);
                    }
                    throw e;
                }
            }
            writeSplit(c, endpoint, newSplit, now);
            return new Deployment(read(c, endpointId).orElseThrow(), newId);
        });
    }

    /** An endpoint after a deploy, and the id the new deployed model got. */
    public record Deployment(Endpoint endpoint, String deployedModelId) {
        public Deployment {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(deployedModelId, "deployedModelId is null");
        }
    }

    /** Undeploys one model; {@code split} follows {@link TrafficSplit#afterUndeploy}. */
    public Endpoint undeploy(String endpointId, String deployedModelId, Optional<Map<String, Integer>> split) {
        return metadata.inTransaction(c -> {
            Endpoint endpoint = require(c, endpointId);
            List<String> ids = endpoint.deployedModels().stream().map(DeployedModel::id).toList();
            if (!ids.contains(deployedModelId)) {
                throw new LatheException(ErrorCode.DEPLOYED_MODEL_NOT_FOUND, "Endpoint '" + endpointId + "' has no deployed model '" + deployedModelId
                        + "'; " + (ids.isEmpty() ? "it has none" : "deployed model ids are " + ids));
            }
            Map<String, Integer> newSplit = TrafficSplit.afterUndeploy(endpoint.trafficSplit(), split, deployedModelId, ids);
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM deployed_models WHERE endpoint_id = ? AND deployed_model_id = ?")) {
                delete.setString(1, endpointId);
                delete.setString(2, deployedModelId);
                delete.executeUpdate();
            }
            writeSplit(c, endpoint, newSplit, Instant.now().toString());
            return read(c, endpointId).orElseThrow();
        });
    }

    /** Changes display name, description, labels, traffic split or logging rate in one transaction. */
    public Endpoint update(String endpointId, EndpointUpdate update) {
        requireNonNull(update, "update is null");
        return metadata.inTransaction(c -> {
            Endpoint endpoint = require(c, endpointId);
            if (update.etag().isPresent() && !update.etag().get().equals(endpoint.etag())) {
                // AIP-154: a stale etag is ABORTED (409), as Vertex AI answers it
                throw new LatheException(ErrorCode.ABORTED, "Endpoint '" + endpointId + "' changed since it was read (etag '"
                        + update.etag().get() + "', now '" + endpoint.etag() + "'); read it again and retry");
            }
            List<String> ids = endpoint.deployedModels().stream().map(DeployedModel::id).toList();
            Map<String, Integer> split = update.trafficSplit().map(s -> TrafficSplit.validate(s, ids)).orElse(endpoint.trafficSplit());
            String now = Instant.now().toString();
            try (PreparedStatement write = c.prepareStatement("""
                    UPDATE endpoints SET display_name = ?, description = ?, labels = ?, logging_sampling_rate = ?, logging_enabled = ?,
                        logging_kept_rate = ?
                    WHERE id = ?""")) {
                boolean enabled = update.loggingEnabled().orElse(endpoint.loggingEnabled());
                // turned on without a rate: the rate kept while it was off (probe sb), or every request where none was kept
                boolean turnedOn = enabled && update.loggingEnabled().isPresent() && endpoint.loggingSamplingRate() == 0;
                write.setString(1, update.displayName().orElse(endpoint.displayName()));
                write.setString(2, update.description().orElse(endpoint.description()));
                write.setString(3, json(new TreeMap<>(update.labels().orElse(endpoint.labels()))));
                double rate = update.loggingSamplingRate().orElse(turnedOn ? 1.0 : endpoint.loggingSamplingRate());
                write.setDouble(4, loggedRate(enabled, rate));
                write.setBoolean(5, enabled);
                write.setDouble(6, rate);
                write.setString(7, endpointId);
                write.executeUpdate();
            }
            writeSplit(c, endpoint, split, now);
            return read(c, endpointId).orElseThrow();
        });
    }

    /** Where a model's versions are deployed: version -> each (endpoint id, deployed model id), by endpoint then id. */
    public Map<Integer, List<Map.Entry<String, String>>> deploymentsOf(String dataset, String model) {
        return metadata.read(c -> {
            Map<Integer, List<Map.Entry<String, String>>> refs = new java.util.HashMap<>();
            try (PreparedStatement q = c.prepareStatement("""
                    SELECT version, endpoint_id, deployed_model_id FROM deployed_models WHERE dataset = ? AND model = ?
                    ORDER BY endpoint_id, deployed_model_id""")) {
                q.setString(1, dataset.toLowerCase(Locale.ROOT));
                q.setString(2, model);
                try (ResultSet rows = q.executeQuery()) {
                    while (rows.next()) {
                        refs.computeIfAbsent(rows.getInt(1), v -> new ArrayList<>()).add(Map.entry(rows.getString(2), rows.getString(3)));
                    }
                }
            }
            return refs;
        });
    }

    @Override
    public List<String> endpointsServing(String dataset, String model, int version) {
        return metadata.read(c -> {
            List<String> endpoints = new ArrayList<>();
            try (PreparedStatement q = c.prepareStatement("""
                    SELECT DISTINCT endpoint_id FROM deployed_models WHERE dataset = ? AND model = ? AND version = ? ORDER BY endpoint_id""")) {
                q.setString(1, dataset.toLowerCase(Locale.ROOT));
                q.setString(2, model);
                q.setInt(3, version);
                try (ResultSet rows = q.executeQuery()) {
                    while (rows.next()) {
                        endpoints.add(rows.getString(1));
                    }
                }
            }
            return endpoints;
        });
    }

    /** Writes the split and a new etag; the etag compare makes a concurrent change on another connection lose and retry. */
    private static void writeSplit(Connection c, Endpoint before, Map<String, Integer> split, String now) throws SQLException {
        try (PreparedStatement write = c.prepareStatement("UPDATE endpoints SET traffic_split = ?, updated_at = ?, etag = ? WHERE id = ? AND etag = ?")) {
            write.setString(1, json(new TreeMap<>(split)));
            write.setString(2, now);
            write.setString(3, newEtag());
            write.setString(4, before.id());
            write.setString(5, before.etag());
            if (write.executeUpdate() != 1) {
                // SQLSTATE 40001 (serialization failure): the metadata store runs the whole change again.
                throw new SQLException("Endpoint '" + before.id() + "' was changed concurrently", "40001");
            }
        }
    }

    private Endpoint require(Connection c, String id) throws SQLException {
        Optional<Endpoint> endpoint = read(c, id);
        if (endpoint.isPresent()) {
            return endpoint.get();
        }
        List<String> ids = ids(c);
        throw new LatheException(ErrorCode.ENDPOINT_NOT_FOUND, "Endpoint '" + id + "' not found"
                + (ids.isEmpty() ? " (there are no endpoints yet; create one first)" : Suggestions.withChoices(id, ids, "Endpoints")));
    }

    private static List<String> ids(Connection c) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT id FROM endpoints ORDER BY id"); ResultSet rows = q.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    private static Optional<Endpoint> read(Connection c, String id) throws SQLException {
        List<DeployedModel> models = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("""
                SELECT deployed_model_id, dataset, model, version, display_name, created_at FROM deployed_models
                WHERE endpoint_id = ? ORDER BY created_at, deployed_model_id""")) {
            q.setString(1, id);
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    models.add(new DeployedModel(rows.getString(1), rows.getString(2), rows.getString(3), rows.getInt(4), rows.getString(5),
                            rows.getString(6)));
                }
            }
        }
        try (PreparedStatement q = c.prepareStatement("""
                SELECT display_name, description, labels, traffic_split, logging_sampling_rate, created_at, updated_at, etag, logging_enabled,
                    logging_kept_rate
                FROM endpoints WHERE id = ?""")) {
            q.setString(1, id);
            try (ResultSet rows = q.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                double rate = rows.getDouble(5);
                boolean enabled = rows.getBoolean(9);
                if (rows.wasNull()) { // stored before logging_enabled: the rate alone said whether it logged
                    enabled = rate > 0;
                }
                double kept = rows.getDouble(10);
                if (!rows.wasNull()) { // written since V009: logging_sampling_rate is the rate logged at, 0 while off
                    rate = kept;
                }
                return Optional.of(new Endpoint(id, rows.getString(1), rows.getString(2), parse(rows.getString(3), LABELS),
                        parse(rows.getString(4), SPLIT), rate, enabled, models, rows.getString(6), rows.getString(7), rows.getString(8)));
            }
        }
    }

    /**
     * What {@code logging_sampling_rate} holds: the rate requests are logged at, 0 while logging is off. The configured rate
     * is kept in {@code logging_kept_rate}; a replica of a Lathe from before V007 reads the first alone, and logged at the
     * kept rate after logging was turned off (probe ua F1).
     */
    private static double loggedRate(boolean enabled, double rate) {
        return enabled ? rate : 0;
    }

    /** A random 10-digit id not used by any endpoint (Vertex: 1 to 10 digits, server-generated). */
    private static String newDeployedModelId(Connection c) throws SQLException {
        while (true) {
            String id = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 10_000_000_000L));
            try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM deployed_models WHERE deployed_model_id = ?")) {
                q.setString(1, id);
                try (ResultSet rows = q.executeQuery()) {
                    if (!rows.next()) {
                        return id;
                    }
                }
            }
        }
    }

    private static String newEtag() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }

    /** The last listed row's values a page token carries; a token of another list, order or filter is refused, naming the field. */
    private static Optional<List<String>> afterToken(OrderBy order, Optional<String> pageToken) {
        try {
            return order.after(pageToken, order.terms().size() + 1);
        } catch (dev.lathe.core.LatheException e) {
            throw new FieldViolationException("pageToken", "is not a token a previous list call with this orderBy and filter returned: '"
                    + pageToken.orElse("") + "'; pass its nextPageToken unchanged, or no token for the first page");
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw LatheException.internal("Cannot write endpoint metadata as JSON: " + e.getMessage(), e);
        }
    }

    private static <T> T parse(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw LatheException.internal("Stored endpoint metadata is not valid JSON: " + text, e);
        }
    }
}
