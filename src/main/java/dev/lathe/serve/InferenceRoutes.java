package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.registry.ModelManifest;
import dev.lathe.registry.ModelReference;
import dev.lathe.server.ApiException;
import dev.lathe.server.ApiRequest;
import dev.lathe.server.ApiResponse;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.RouteHandler;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Open Inference Protocol v2 (KServe, Triton, MLServer) REST routes. A model {@code name} is an endpoint id
 * (served by its traffic split, with its metrics and logging; a {@code version} is a deployed model id) or,
 * when no endpoint has that id, a registry model {@code dataset.model} (a {@code version} is a version number or
 * alias; none means the default). Errors answer {@code {"error": "..."}} as the protocol says.
 */
final class InferenceRoutes {
    private final Deployments deployments;

    InferenceRoutes(Deployments deployments) {
        this.deployments = requireNonNull(deployments, "deployments is null");
    }

    void register(LatheServer.Builder builder) {
        Map<String, Object> server = new LinkedHashMap<>(); // the protocol's order, on every server and run
        server.put("name", "lathe");
        server.put("version", Optional.ofNullable(InferenceRoutes.class.getPackage().getImplementationVersion()).orElse("development"));
        server.put("extensions", List.of());
        builder.route("GET", "/v2", guard(request -> ApiResponse.json(200, server)));
        builder.route("GET", "/v2/health/live", request -> new ApiResponse(200, ApiResponse.JSON, new byte[0]));
        builder.route("GET", "/v2/health/ready", request -> serverReady(builder));
        for (String prefix : List.of("/v2/models/{name}", "/v2/models/{name}/versions/{version}")) {
            builder.nonBlockingRoute("GET", prefix, guard(this::metadata));
            builder.nonBlockingRoute("GET", prefix + "/ready", guard(this::ready));
            builder.nonBlockingRoute("POST", prefix + "/infer", guard(this::infer));
        }
    }

    /**
     * The protocol's server readiness, "all models are ready": every start-up hook completed (as {@code /readyz}) and no
     * endpoint is left without a router because its deployed models failed to load. It answered 200 on a replica whose
     * storage lacked a deployed version's files, so a load balancer routed that endpoint's traffic to a server that could
     * only fail it (probe tc F8). {@code /readyz} stays the process's readiness: one damaged artifact does not take the
     * server's other endpoints, SQL and management out of service (probe D).
     */
    private ApiResponse serverReady(LatheServer.Builder builder) {
        if (!builder.readyNow()) {
            return ApiResponse.json(503, Map.of("error", "the server is starting: its start-up hooks (loading the deployed models"
                    + " among them) have not all completed; see /readyz"));
        }
        java.util.SortedMap<String, String> failing = deployments.notLoaded();
        if (failing.isEmpty()) {
            return new ApiResponse(200, ApiResponse.JSON, new byte[0]);
        }
        java.util.StringJoiner error = new java.util.StringJoiner("; ", "not every deployed model is loaded: ", "");
        failing.forEach((endpoint, cause) -> error.add("endpoint " + endpoint + ": " + cause));
        return ApiResponse.json(503, Map.of("error", error.toString()));
    }

    /** What a request's name and version address: an endpoint (and maybe one deployed model) or a registry model. */
    private sealed interface Target permits EndpointTarget, ModelTarget {}

    private record EndpointTarget(TrafficRouter router, Optional<String> deployedModelId) implements Target {}

    private record ModelTarget(ModelReference reference, ModelRuntime runtime) implements Target {}

    private Target target(ApiRequest request) {
        return target(request, false);
    }

    /** {@code prediction}: for infer, whose answer from an endpoint whose models failed to load is counted as a prediction. */
    private Target target(ApiRequest request, boolean prediction) {
        String name = request.pathParam("name");
        Optional<String> version = request.path().contains("/versions/") ? Optional.of(request.pathParam("version")) : Optional.empty();
        // An endpoint in memory is answered on the network thread; anything else needs the metadata store.
        Optional<TrafficRouter> cached = deployments.cachedRouter(name);
        if (cached.isPresent()) {
            return new EndpointTarget(cached.get(), version);
        }
        request.requireRequestThread();
        // dataset.model is a registry model: an endpoint id has no '.', so the store is not asked for one
        if (!name.contains(".") && deployments.store().get(name).isPresent()) {
            return new EndpointTarget(prediction ? deployments.predictionRouter(name) : deployments.router(name), version);
        }
        if (!name.contains(".")) {
            throw ApiException.notFound("Model '" + name + "' not found: it is neither an endpoint id nor a registry model dataset.model");
        }
        ModelReference reference = ModelReference.parse(name + version.map(v -> "@" + v).orElse(""));
        return new ModelTarget(reference, deployments.runtime(reference));
    }

    private ApiResponse metadata(ApiRequest request) {
        Target target = target(request);
        String name = request.pathParam("name");
        List<ModelRuntime> runtimes;
        List<String> versions;
        switch (target) {
            case EndpointTarget e -> {
                versions = e.router().routes().stream().map(r -> r.deployed().id()).toList();
                if (e.deployedModelId().isPresent()) {
                    runtimes = List.of(deployments.choose(e.router(), e.deployedModelId()).runtime());
                } else {
                    // Every model a request may reach (those with traffic; all when none has any), not one picked by the
                    // split: a client sending what this lists is served by each of them, which ignore inputs they do not
                    // read. One chosen at random left KServe clients failing on the versions with other inputs (probe D).
                    Map<String, Integer> split = e.router().endpoint().trafficSplit();
                    List<TrafficRouter.Route> reached = e.router().routes().stream()
                            .filter(r -> split.getOrDefault(r.deployed().id(), 0) > 0).toList();
                    runtimes = (reached.isEmpty() ? e.router().routes() : reached).stream().map(TrafficRouter.Route::runtime).toList();
                }
                if (runtimes.isEmpty()) {
                    throw ApiException.notFound("Endpoint '" + name + "' has no deployed model to describe");
                }
            }
            case ModelTarget m -> {
                runtimes = List.of(m.runtime());
                versions = deployments.versionIds(m.runtime().manifest().dataset(), m.runtime().manifest().name());
            }
        }
        Map<String, Map<String, Object>> inputs = new LinkedHashMap<>();
        Map<String, Map<String, Object>> outputs = new LinkedHashMap<>();
        for (ModelRuntime runtime : runtimes) {
            runtime.inputColumns().forEach(c -> inputs.putIfAbsent(c.name(), tensor(c.name(), Tensors.datatype(c.type()), List.of(-1))));
            outputs(runtime.manifest()).forEach(o -> outputs.putIfAbsent(String.valueOf(o.get("name")), o));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("versions", versions);
        json.put("platform", "lathe");
        json.put("inputs", List.copyOf(inputs.values()));
        json.put("outputs", List.copyOf(outputs.values()));
        return ApiResponse.json(200, json);
    }

    private ApiResponse ready(ApiRequest request) {
        String name = request.pathParam("name");
        if (deployments.cachedRouter(name).isEmpty() && deployments.loading()) {
            request.requireRequestThread();
            if (deployments.store().get(name).isPresent()) {
                // An endpoint whose models are not in memory yet (start-up loads them): not ready, said at once. Loading
                // them here waited for the whole start-up load, past a readiness probe's timeout (1 s in Kubernetes; probe qd).
                return ApiResponse.json(503, Map.of("error", "Endpoint '" + name + "' is not ready: its deployed models are loading"));
            }
        }
        Target target;
        try {
            target = target(request);
        } catch (LatheException e) {
            if (ApiException.of(e).httpStatus() < 500) {
                throw e;
            }
            // A model that cannot be loaded is not ready: a probe gets 503 and the reason, not a server error.
            return ApiResponse.json(503, Map.of("error", String.valueOf(e.getMessage())));
        } catch (ApiException e) {
            if (e.httpStatus() < 500) {
                throw e;
            }
            // an endpoint's load failure, as it answers it from memory (Deployments.router)
            return ApiResponse.json(503, Map.of("error", e.getMessage()));
        }
        boolean ready = switch (target) {
            // a version the endpoint does not have is a 404, as metadata and infer answer it (it was a 503: probe qd)
            case EndpointTarget e -> e.deployedModelId().map(id -> {
                if (e.router().route(id).isEmpty()) {
                    throw new LatheException(ErrorCode.DEPLOYED_MODEL_NOT_FOUND, "Endpoint '" + e.router().endpoint().id()
                            + "' has no deployed model '" + id + "'; deployed model ids are "
                            + e.router().routes().stream().map(r -> r.deployed().id()).toList());
                }
                return true;
            }).orElse(!e.router().endpoint().trafficSplit().isEmpty());
            case ModelTarget m -> true;
        };
        return new ApiResponse(ready ? 200 : 503, ApiResponse.JSON, new byte[0]);
    }

    private ApiResponse infer(ApiRequest request) {
        long start = System.nanoTime();
        Target target = target(request, true);
        String requestId;
        ObjectNode body;
        double threshold;
        try {
            requestId = RequestIds.of(request);
            body = request.jsonObject();
            Json.onlyFields(body, Set.of("id", "parameters", "inputs", "outputs"));
            JsonNode id = body.get("id");
            if (id != null && !id.isNull() && !id.isTextual() && !id.isNumber()) {
                throw ApiException.badField("id", "must be a string (the request's identifier, echoed in the response), got "
                        + Instances.describe(id));
            }
            threshold = threshold(body.get("parameters"));
        } catch (RuntimeException e) {
            if (target instanceof EndpointTarget endpoint) { // refused before a model was chosen, as :predict counts it
                deployments.refused(endpoint.router());
            }
            throw e;
        }
        JsonNode outputs = body.get("outputs");
        if (outputs != null && !outputs.isNull() && !outputs.isArray()) {
            throw ApiException.badField("outputs", "must be an array of the outputs to answer, e.g. [{\"name\": \"predicted_label\"}], got "
                    + Instances.describe(outputs));
        }
        Set<String> wanted = new HashSet<>();
        int index = 0;
        for (JsonNode output : body.path("outputs")) {
            if (!output.path("name").isTextual()) {
                throw ApiException.badField("outputs[" + index + "].name", "required; give the output's name as a string, e.g."
                        + " {\"name\": \"predicted_label\"}");
            }
            if (!wanted.add(output.path("name").asText())) { // as a repeated input tensor is refused
                throw ApiException.badField("outputs[" + index + "].name", "'" + output.path("name").asText() + "' is requested twice;"
                        + " request each output once");
            }
            index++;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_name", request.pathParam("name"));
        List<Map<String, Object>> rows;
        Optional<Prediction> prediction = Optional.empty();
        switch (target) {
            case EndpointTarget e -> {
                TrafficRouter.Route route = request.carry(() -> deployments.choose(e.router(), e.deployedModelId())); // drawn once
                if (route.runtime().needsConnection()) {
                    request.requireRequestThread(); // a TRANSFORM model predicts through DuckDB
                }
                List<Map<String, Object>> instances;
                try {
                    instances = Tensors.rows(body.get("inputs"), route.runtime().inputColumns());
                } catch (RuntimeException failure) {
                    deployments.failed(e.router(), route, true);
                    throw failure;
                }
                try {
                    prediction = Optional.of(deployments.predict(e.router(), route, instances, threshold, start));
                } catch (LatheException failure) {
                    throw inTensorTerms(failure, body.get("inputs"));
                }
                rows = prediction.get().rows();
                json.put("model_version", route.deployed().id());
            }
            case ModelTarget m -> {
                try {
                    rows = deployments.run(m.runtime(), Tensors.rows(body.get("inputs"), m.runtime().inputColumns()), threshold);
                } catch (LatheException failure) {
                    throw inTensorTerms(failure, body.get("inputs"));
                }
                json.put("model_version", Integer.toString(m.runtime().manifest().version()));
            }
        }
        // the request's id, else the request id the log and the X-Request-Id header give it (spec 8.1's response has an
        // id; a KServe client reading it got none: probe R)
        // a number given as the id is echoed as its text (it was replaced by a random id without a word: probe qd)
        json.put("id", body.path("id").isTextual() ? body.get("id").textValue()
                : body.path("id").isNumber() ? body.get("id").asText() : requestId);
        List<Map<String, Object>> tensors = Tensors.outputs(rows, wanted);
        if (tensors.size() < wanted.size()) { // a requested output the model does not have: say so rather than drop it
            List<String> names = Tensors.outputs(rows, Set.of()).stream().map(t -> String.valueOf(t.get("name"))).toList();
            int i = 0;
            for (JsonNode output : body.path("outputs")) {
                if (!names.contains(output.path("name").asText())) {
                    throw ApiException.badField("outputs[" + i + "].name", "'" + output.path("name").asText()
                            + "' is not an output of the model; outputs are " + names);
                }
                i++;
            }
        }
        json.put("outputs", tensors);
        byte[] bytes = Json.bytes(json);
        prediction.ifPresent(p -> deployments.log(p.router(), p.route(), requestId, request.body(), bytes));
        return ApiResponse.jsonBytes(200, bytes).withHeaders(Map.of(RequestIds.HEADER, requestId));
    }

    private static double threshold(JsonNode parameters) {
        if (parameters == null || parameters.isNull()) {
            return 0.5;
        }
        if (!parameters.isObject()) { // the protocol's $parameters is an object; a 5 was ignored, :predict refuses it (probe tb F8)
            throw ApiException.badField("parameters", "must be an object such as {\"threshold\": 0.5}, got " + Instances.describe(parameters));
        }
        if (!parameters.has("threshold")) {
            return 0.5;
        }
        JsonNode threshold = parameters.get("threshold");
        if (!threshold.isNumber() || !(threshold.doubleValue() >= 0 && threshold.doubleValue() <= 1)) {
            throw ApiException.badField("parameters.threshold", "must be a number from 0 to 1, got " + Instances.describe(threshold));
        }
        return threshold.doubleValue();
    }

    private static final java.util.regex.Pattern INSTANCE_FIELD = java.util.regex.Pattern.compile("instances\\[(\\d+)\\]\\.(\\S+)");

    /**
     * A value failure the prediction path reports as {@code instances[r].column ...} (its :predict terms), told in this
     * protocol's: {@code inputs[t] (column) element r ...}, t being the tensor that carried the column.
     */
    private static LatheException inTensorTerms(LatheException failure, JsonNode inputs) {
        java.util.regex.Matcher field = INSTANCE_FIELD.matcher(String.valueOf(failure.getMessage()));
        if (!field.lookingAt() || inputs == null) {
            return failure;
        }
        for (int t = 0; t < inputs.size(); t++) {
            if (field.group(2).equals(inputs.get(t).path("name").asText())) {
                return new LatheException(failure.code(), "inputs[" + t + "] (" + field.group(2) + ") element " + field.group(1)
                        + failure.getMessage().substring(field.end()));
            }
        }
        return failure;
    }

    private static List<Map<String, Object>> outputs(ModelManifest manifest) {
        if (manifest.importedFile() != null) {
            // an array output (class probabilities) is a [N, K] tensor of its elements' datatype, as infer answers it
            return manifest.importedFile().outputColumns().stream().map(c -> c.type().startsWith("ARRAY<")
                    ? tensor(c.name(), Tensors.datatype(c.type().substring(6, c.type().length() - 1)), List.of(-1, -1))
                    : tensor(c.name(), Tensors.datatype(c.type()), List.of(-1))).toList();
        }
        return switch (manifest.task()) {
            case "REGRESSION" -> List.of(tensor("predicted_" + manifest.label().name(), "FP64", List.of(-1)));
            case "CLASSIFICATION" -> {
                String label = "predicted_" + manifest.label().name();
                String type = Tensors.datatype(manifest.label().type());
                yield List.of(tensor(label, type, List.of(-1)), tensor(label + "_probs.label", type, List.of(-1, manifest.classLabels().size())),
                        tensor(label + "_probs.prob", "FP64", List.of(-1, manifest.classLabels().size())));
            }
            default -> {
                // every answer has a distance to each of the model's clusters
                int k = manifest.options() != null && manifest.options().get("num_clusters") instanceof Number n ? n.intValue() : -1;
                yield List.of(tensor("CENTROID_ID", "INT64", List.of(-1)), tensor("NEAREST_CENTROIDS_DISTANCE.CENTROID_ID", "INT64", List.of(-1, k)),
                        tensor("NEAREST_CENTROIDS_DISTANCE.DISTANCE", "FP64", List.of(-1, k)));
            }
        };
    }

    private static Map<String, Object> tensor(String name, String datatype, List<Integer> shape) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", name);
        json.put("datatype", datatype);
        json.put("shape", shape);
        return json;
    }

    /**
     * Lathe's errors in the API's terms; the server writes them as the protocol does under /v2 ({@code {"error":
     * "<message>"}} with the HTTP status) and counts them in lathe_http_errors_total, which answering them here missed.
     */
    private static RouteHandler guard(RouteHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (LatheException e) {
                throw Errors.translate(e);
            }
        };
    }
}
