package dev.lathe.serve;

import dev.lathe.serve.store.DeployedModel;
import dev.lathe.serve.store.Endpoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Endpoints, deployed models and long-running operations in Vertex AI's JSON shape, under one project and location. */
public final class EndpointJson {
    static final String ENDPOINT_TYPE = "type.googleapis.com/google.cloud.aiplatform.v1.Endpoint";

    private EndpointJson() {}

    static String parent(String project, String location) {
        return "projects/" + project + "/locations/" + location;
    }

    static String modelName(String project, String location, DeployedModel deployed) {
        return parent(project, location) + "/models/" + deployed.dataset() + "." + deployed.model();
    }

    static Map<String, Object> endpoint(String project, String location, Endpoint endpoint) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", parent(project, location) + "/endpoints/" + endpoint.id());
        json.put("displayName", endpoint.displayName());
        json.put("description", endpoint.description());
        json.put("deployedModels", endpoint.deployedModels().stream().map(m -> deployedModel(project, location, m)).toList());
        json.put("trafficSplit", new TreeMap<>(endpoint.trafficSplit()));
        json.put("labels", new TreeMap<>(endpoint.labels()));
        Map<String, Object> logging = new LinkedHashMap<>();
        logging.put("enabled", endpoint.loggingEnabled());
        logging.put("samplingRate", endpoint.loggingSamplingRate());
        logging.put("bigqueryDestination", Map.of("outputUri", "bq://" + PredictionLogs.DATASET + "." + PredictionLogs.TABLE));
        json.put("predictRequestResponseLoggingConfig", logging);
        json.put("createTime", endpoint.createTime());
        json.put("updateTime", endpoint.updateTime());
        json.put("etag", endpoint.etag());
        return json;
    }

    static Map<String, Object> deployedModel(String project, String location, DeployedModel deployed) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", deployed.id());
        json.put("model", modelName(project, location, deployed));
        json.put("modelVersionId", Integer.toString(deployed.version()));
        json.put("displayName", deployed.displayName());
        json.put("createTime", deployed.createTime());
        return json;
    }

    /** A finished google.longrunning.Operation: Lathe applies changes synchronously, so {@code done} is always true. */
    /**
     * A finished delete operation: its response google.protobuf.Empty, its metadata a typed DeleteOperationMetadata (an
     * Any without {@code @type} made clients fail to parse the whole operation: probe R).
     */
    public static Map<String, Object> deleted(String project, String location) {
        return operation(project, location, "type.googleapis.com/google.protobuf.Empty", Map.of(), "DeleteOperationMetadata");
    }

    /**
     * A finished operation with {@code response} typed {@code type} and Vertex's metadata of that kind of operation
     * ({@code CreateEndpointOperationMetadata}, {@code DeployModelOperationMetadata}, ...) with its genericMetadata: an
     * endpoint's operations had none, and a client reading {@code metadata.genericMetadata.createTime} found nothing (probe re).
     */
    static Map<String, Object> operation(String project, String location, String type, Map<String, Object> response, String metadataType) {
        String now = java.time.Instant.now().toString();
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("@type", "type.googleapis.com/google.cloud.aiplatform.v1." + metadataType);
        Map<String, Object> generic = new LinkedHashMap<>();
        generic.put("createTime", now);
        generic.put("updateTime", now);
        metadata.put("genericMetadata", generic);
        return operation(project, location, type, response, metadata);
    }

    /** A finished operation with {@code response} typed {@code type}, and {@code metadata} (typed itself) unless null. */
    private static Map<String, Object> operation(String project, String location, String type, Map<String, Object> response,
            Map<String, Object> metadata) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", parent(project, location) + "/operations/" + UUID.randomUUID());
        if (metadata != null) {
            json.put("metadata", metadata);
        }
        json.put("done", true);
        Map<String, Object> typed = new LinkedHashMap<>();
        typed.put("@type", type);
        typed.putAll(response);
        json.put("response", typed);
        synchronized (OPERATIONS) {
            OPERATIONS.put((String) json.get("name"), json);
        }
        return json;
    }

    /** How many finished operations a server keeps to be read again with GET .../operations/{id}. */
    static final int KEPT_OPERATIONS = 1_000;

    /**
     * The last operations answered, by name: every change finishes within its request, but a client may still read its
     * operation by name (gcloud's waiter polls it; the name led nowhere: probe R). Bounded, oldest first out.
     */
    private static final Map<String, Map<String, Object>> OPERATIONS = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Map<String, Object>> eldest) {
            return size() > KEPT_OPERATIONS;
        }
    };

    /** A finished operation this process answered, by its name. */
    static java.util.Optional<Map<String, Object>> recalled(String name) {
        synchronized (OPERATIONS) {
            return java.util.Optional.ofNullable(OPERATIONS.get(name)).map(LinkedHashMap::new);
        }
    }

    static Map<String, Object> list(String project, String location, List<Endpoint> endpoints, java.util.Optional<String> next) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("endpoints", endpoints.stream().map(e -> endpoint(project, location, e)).toList());
        next.ifPresent(token -> json.put("nextPageToken", token));
        return json;
    }
}
