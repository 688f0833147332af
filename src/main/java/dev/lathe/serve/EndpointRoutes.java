package dev.lathe.serve;

import dev.lathe.server.QueryParameters;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.registry.ModelReference;
import dev.lathe.registry.Page;
import dev.lathe.serve.store.Endpoint;
import dev.lathe.serve.store.EndpointSpec;
import dev.lathe.serve.store.EndpointStore;
import dev.lathe.serve.store.EndpointUpdate;
import dev.lathe.server.ApiException;
import dev.lathe.server.ApiRequest;
import dev.lathe.server.ApiResponse;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.serve.store.DeployedModel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Locale;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Vertex AI's EndpointService and PredictionService over HTTP: thin handlers that parse and validate the JSON,
 * call {@link Deployments}, and answer in Vertex's shape. The project and location are accepted and echoed.
 */
final class EndpointRoutes {
    static final String COLLECTION = "/v1/projects/{project}/locations/{location}/endpoints";
    static final String ENDPOINT = COLLECTION + "/{endpoint}";
    private static final Set<String> CREATE_FIELDS = Set.of("displayName", "description", "labels", "predictRequestResponseLoggingConfig");
    private static final Set<String> UPDATE_FIELDS = Set.of("displayName", "description", "labels", "predictRequestResponseLoggingConfig",
            "trafficSplit", "etag", "name", "deployedModels", "createTime", "updateTime");
    private static final Set<String> PREDICT_FIELDS = Set.of("instances", "parameters", "labels");

    private final Deployments deployments;

    EndpointRoutes(Deployments deployments) {
        this.deployments = requireNonNull(deployments, "deployments is null");
    }

    void register(LatheServer.Builder builder) {
        builder.route("POST", COLLECTION, Errors.guard(this::create));
        builder.route("GET", COLLECTION, Errors.guard(this::list));
        builder.route("GET", ENDPOINT, Errors.guard(this::get));
        builder.route("DELETE", ENDPOINT, Errors.guard(this::delete));
        builder.route("PATCH", ENDPOINT, Errors.guard(request -> ApiResponse.json(200, endpointJson(request, update(request)))));
        builder.route("POST", COLLECTION + "/{endpoint}:update", Errors.guard(request -> operation(request, EndpointJson.ENDPOINT_TYPE,
                endpointJson(request, update(request)), "UpdateEndpointOperationMetadata")));
        builder.route("POST", COLLECTION + "/{endpoint}:deployModel", Errors.guard(this::deploy));
        builder.route("POST", COLLECTION + "/{endpoint}:mutateDeployedModel", Errors.guard(this::mutate));
        builder.route("GET", "/v1/projects/{project}/locations/{location}/operations/{operation}", Errors.guard(request -> {
            String name = "projects/" + request.pathParam("project") + "/locations/" + request.pathParam("location") + "/operations/"
                    + request.pathParam("operation");
            return ApiResponse.json(200, EndpointJson.recalled(name).orElseThrow(() -> ApiException.notFound("Operation " + name
                    + " is not known: Lathe's operations finish within their request, and this server keeps its last "
                    + EndpointJson.KEPT_OPERATIONS + " (since it started) to be read again")));
        }));
        builder.route("POST", COLLECTION + "/{endpoint}:undeployModel", Errors.guard(this::undeploy));
        builder.nonBlockingRoute("POST", COLLECTION + "/{endpoint}:predict", Errors.guard(request -> predict(request, false)));
        builder.nonBlockingRoute("POST", COLLECTION + "/{endpoint}:rawPredict", Errors.guard(request -> predict(request, true)));
        builder.route("POST", COLLECTION + "/{endpoint}:explain", Errors.guard(this::explain));
    }

    private ApiResponse create(ApiRequest request) {
        QueryParameters query = new QueryParameters(request.queryString(), Set.of("endpointId"));
        ObjectNode body = request.jsonObject();
        Json.onlyFields(body, CREATE_FIELDS);
        String displayName = Json.requiredString(body, "displayName");
        String id = query.get("endpointId").orElseGet(() -> Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 10_000_000_000L)));
        Optional<Logging> logging = logging(body);
        Endpoint endpoint = deployments.create(new EndpointSpec(id, displayName, Json.optionalString(body, "description").orElse(""),
                labels(body).orElse(Map.of()), logging.map(Logging::createRate).orElse(0.0), logging.map(Logging::enabled).orElse(false)));
        return operation(request, EndpointJson.ENDPOINT_TYPE, endpointJson(request, endpoint), "CreateEndpointOperationMetadata");
    }

    private ApiResponse list(ApiRequest request) {
        QueryParameters query = new QueryParameters(request.queryString(), Set.of("pageSize", "pageToken", "filter", "orderBy", "order_by"));
        int pageSize = query.pageSize(dev.lathe.serve.store.EndpointStore.DEFAULT_PAGE_SIZE, dev.lathe.serve.store.EndpointStore.MAX_PAGE_SIZE);
        Page<Endpoint> page = deployments.list(pageSize, query.get("pageToken"),
                filter(query.get("filter")), query.orderBy(dev.lathe.serve.store.EndpointStore.ORDER_FIELDS).within(query.get("filter").orElse("")));
        return ApiResponse.json(200, EndpointJson.list(request.pathParam("project"), request.pathParam("location"), page.items(), page.nextPageToken()));
    }

    /**
     * ListEndpoints' AIP-160 {@code filter} (spec 0; it was a 400): {@code labels.key=value}, {@code labels.key:*} or
     * {@code labels:key}, {@code display_name="shop"} (exact, case included, as for models and batch jobs), joined by AND, or
     * free text (part of the id or display name, any case).
     */
    private static java.util.function.Predicate<Endpoint> filter(Optional<String> text) {
        dev.lathe.registry.ModelFilter filter;
        try {
            filter = dev.lathe.registry.ModelFilter.parse(text);
        } catch (dev.lathe.core.LatheException e) {
            throw ApiException.badField("filter", "'" + text.orElse("") + "' is not supported; accepted: labels.<key>=<value>,"
                    + " labels.<key>:* or labels:<key> (has the label), display_name=\"<name>\", joined by AND, or free text (part of the"
                    + " id or display name)");
        }
        return endpoint -> filter.labels().entrySet().stream().allMatch(l -> l.getValue().equals(endpoint.labels().get(l.getKey())))
                && endpoint.labels().keySet().containsAll(filter.labelKeys())
                && filter.displayName().map(name -> name.equals(endpoint.displayName())).orElse(true) // exact, AIP-160's = (probe ub F8)
                && filter.text().map(t -> (endpoint.id() + " " + endpoint.displayName()).toLowerCase(java.util.Locale.ROOT)
                        .contains(t.toLowerCase(java.util.Locale.ROOT))).orElse(true);
    }

    private ApiResponse get(ApiRequest request) {
        return ApiResponse.json(200, endpointJson(request, deployments.get(request.pathParam("endpoint"))));
    }

    private ApiResponse delete(ApiRequest request) {
        deployments.delete(request.pathParam("endpoint"));
        return operation(request, "type.googleapis.com/google.protobuf.Empty", Map.of(), "DeleteOperationMetadata");
    }

    /** Fields a PATCH's updateMask may name (camelCase, or snake_case as the Python SDK writes them). */
    private static final Set<String> MASKABLE = Set.of("displayName", "description", "labels", "trafficSplit",
            "predictRequestResponseLoggingConfig");

    private Endpoint update(ApiRequest request) {
        ObjectNode body = request.jsonObject();
        Optional<String> mask = new QueryParameters(request.queryString(), Set.of("updateMask")).get("updateMask");
        if (request.path().endsWith(":update") && body.get("endpoint") instanceof ObjectNode endpoint) {
            // Vertex's UpdateEndpointLongRunningRequest, {"endpoint": {...}}, as its clients send it; the bare Endpoint too
            Json.onlyFields(body, Set.of("endpoint", "updateMask"));
            Optional<String> inBody = Json.optionalString(body, "updateMask");
            if (inBody.isPresent() && mask.isPresent()) {
                throw ApiException.badField("updateMask", "is given both in the query and in the body; give it once");
            }
            mask = mask.or(() -> inBody);
            body = endpoint;
        }
        Json.onlyFields(body, UPDATE_FIELDS);
        if (mask.isPresent()) {
            body = masked(body, mask.get());
        }
        Optional<Logging> logging = logging(body);
        return deployments.update(request.pathParam("endpoint"), new EndpointUpdate(Json.optionalString(body, "displayName"),
                Json.optionalString(body, "description"), labels(body), trafficSplit(body), logging.flatMap(Logging::samplingRate),
                logging.map(Logging::enabled), Json.optionalString(body, "etag")));
    }

    /**
     * Vertex AI's FieldMask: only the named fields change, whatever else the body holds (clients send the whole resource).
     * A named field the body lacks is cleared where it may be empty (description, labels) and refused otherwise.
     */
    private static ObjectNode masked(ObjectNode body, String mask) {
        Set<String> paths = new java.util.LinkedHashSet<>();
        for (String path : mask.split(",")) {
            String camel = java.util.regex.Pattern.compile("_([a-z])").matcher(path.strip()).replaceAll(m -> m.group(1).toUpperCase(Locale.ROOT));
            if (!MASKABLE.contains(camel)) {
                throw ApiException.badField("updateMask", "'" + path.strip() + "' is not a field that can be updated; accepted: "
                        + String.join(", ", new java.util.TreeSet<>(MASKABLE)));
            }
            paths.add(camel);
        }
        ObjectNode kept = Json.MAPPER.createObjectNode();
        for (String path : paths) {
            if (body.has(path)) {
                kept.set(path, body.get(path));
            } else if (path.equals("description")) {
                kept.put(path, "");
            } else if (path.equals("labels")) {
                kept.putObject(path);
            } else {
                throw ApiException.badField(path, "updateMask names " + path + ", so the body must give it");
            }
        }
        if (body.has("etag")) {
            kept.set("etag", body.get("etag"));
        }
        return kept;
    }

    /**
     * DeployedModel fields that size or route a Vertex deployment (spec 1.3). gcloud sends a resource block with every
     * deploy, and the SDK one whenever a machine type is given; refusing them failed those deploys (probe R). A Lathe
     * server (and its replicas) serves every deployed model in-process, so they are accepted and have no effect.
     */
    private static final Set<String> SERVING_RESOURCES = Set.of("dedicatedResources", "automaticResources", "sharedResources",
            "disableExplanations", "serviceAccount", "disableContainerLogging", "enableAccessLogging", "enableContainerLogging");

    /**
     * Vertex AI's MutateDeployedModel (spec 1.3): it changes a deployed model's serving resources (replica counts,
     * autoscaling, container logging), which one Lathe process does not have; so it checks the request, changes nothing,
     * and answers the deployed model (it was a 404: no route). Any other field of the deployed model is refused.
     */
    private ApiResponse mutate(ApiRequest request) {
        ObjectNode body = request.jsonObject();
        Json.onlyFields(body, Set.of("deployedModel", "updateMask"));
        if (!(body.get("deployedModel") instanceof ObjectNode model) || !model.path("id").isTextual()) {
            throw ApiException.badField("deployedModel.id", "required: the deployed model's id (lathe endpoints list)");
        }
        for (Iterator<String> names = model.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("id") && !SERVING_RESOURCES.contains(name)) {
                throw ApiException.badField("deployedModel." + name, "not a field MutateDeployedModel changes; accepted (taken, not used: one"
                        + " process serves every deployed model): " + String.join(", ", new java.util.TreeSet<>(SERVING_RESOURCES)));
            }
        }
        String id = model.get("id").textValue();
        Endpoint endpoint = deployments.get(request.pathParam("endpoint"));
        DeployedModel deployed = endpoint.deployedModel(id).orElseThrow(() -> new LatheException(ErrorCode.DEPLOYED_MODEL_NOT_FOUND,
                "Endpoint '" + endpoint.id() + "' has no deployed model '" + id + "'"));
        return operation(request, "type.googleapis.com/google.cloud.aiplatform.v1.MutateDeployedModelResponse",
                Map.of("deployedModel", EndpointJson.deployedModel(request.pathParam("project"), request.pathParam("location"), deployed)),
                "MutateDeployedModelOperationMetadata");
    }

    private ApiResponse deploy(ApiRequest request) {
        ObjectNode body = request.jsonObject();
        Json.onlyFields(body, Set.of("deployedModel", "trafficSplit"));
        JsonNode deployed = body.get("deployedModel");
        if (!(deployed instanceof ObjectNode model)) {
            throw ApiException.badField("deployedModel", "required; give an object {\"model\": \"dataset.model[@version_or_alias]\", \"displayName\": ...}");
        }
        for (Iterator<String> names = model.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("model", "displayName").contains(name) && !SERVING_RESOURCES.contains(name)) {
                throw ApiException.badField("deployedModel." + name, "unknown field; accepted: model, displayName, and (taken, not used: one"
                        + " process serves every deployed model) " + String.join(", ", new java.util.TreeSet<>(SERVING_RESOURCES)));
            }
        }
        if (!model.path("model").isTextual()) {
            throw ApiException.badField("deployedModel.model", "required; give \"dataset.model\", \"dataset.model@3\", \"dataset.model@alias\" "
                    + "or \"projects/p/locations/l/models/dataset.model@3\"");
        }
        ModelReference reference;
        try {
            reference = ModelReference.parse(model.get("model").textValue().replaceFirst("^projects/[^/]+/locations/[^/]+/models/", ""));
        } catch (LatheException e) {
            throw ApiException.badField("deployedModel.model", e.getMessage());
        }
        Optional<String> displayName = Json.optionalString(model, "displayName");
        if (displayName.filter(dev.lathe.core.StoredText::hasNul).isPresent()) {
            throw ApiException.badField("deployedModel.displayName", dev.lathe.core.StoredText.NO_NUL);
        }
        EndpointStore.Deployment deployment = deployments.deploy(request.pathParam("endpoint"), reference, displayName, trafficSplit(body));
        Map<String, Object> response = new LinkedHashMap<>();
        response.put("deployedModel", EndpointJson.deployedModel(request.pathParam("project"), request.pathParam("location"),
                deployment.endpoint().deployedModel(deployment.deployedModelId()).orElseThrow()));
        return operation(request, "type.googleapis.com/google.cloud.aiplatform.v1.DeployModelResponse", response, "DeployModelOperationMetadata");
    }

    private ApiResponse undeploy(ApiRequest request) {
        ObjectNode body = request.jsonObject();
        Json.onlyFields(body, Set.of("deployedModelId", "trafficSplit"));
        String id = Json.requiredString(body, "deployedModelId");
        deployments.undeploy(request.pathParam("endpoint"), id, trafficSplit(body));
        return operation(request, "type.googleapis.com/google.cloud.aiplatform.v1.UndeployModelResponse", Map.of(),
                "UndeployModelOperationMetadata");
    }

    private ApiResponse predict(ApiRequest request, boolean raw) {
        long start = System.nanoTime();
        String endpointId = request.pathParam("endpoint");
        // On the network thread only what is in memory: an endpoint not yet cached is looked up in the metadata
        // store, and a model with a TRANSFORM predicts through DuckDB, both on a request thread.
        TrafficRouter router = deployments.cachedRouter(endpointId).orElseGet(() -> {
            request.requireRequestThread();
            return deployments.predictionRouter(endpointId);
        });
        TrafficRouter.Route route = request.carry(() -> deployments.choose(router, Optional.empty())); // drawn once, not per thread
        if (route.runtime().needsConnection()) {
            request.requireRequestThread();
        }
        List<Map<String, Object>> instances = null;
        Optional<Instances.One> one;
        double threshold;
        String requestId;
        try {
            requestId = RequestIds.of(request);
            // One instance of the model's fields, the usual online request, is read straight into its row's slots.
            one = route.runtime().rowInput().flatMap(input -> Instances.readOne(request.body(), input));
            if (one.isPresent()) {
                threshold = one.get().threshold();
            } else {
                Optional<Instances.Common> common = Instances.readCommon(request.body());
                if (common.isPresent()) {
                    threshold = common.get().threshold();
                    instances = common.get().instances();
                } else {
                    ObjectNode body = request.jsonObject();
                    Json.onlyFields(body, PREDICT_FIELDS);
                    threshold = threshold(body.get("parameters"));
                    instances = Instances.read(body.get("instances"), route.runtime());
                }
            }
        } catch (RuntimeException e) {
            deployments.failed(router, route, true);
            throw e;
        }
        byte[] rows = one.isPresent() ? deployments.predictJsonRow(router, route, one.get().values(), threshold, start)
                : deployments.predictJson(router, route, instances, threshold, start);
        // {"predictions": [...], then the deployed model's fields, written once per deployment and path, not per request}
        byte[] rest = raw ? END_OBJECT : responseFields(request.pathParam("project"), request.pathParam("location"),
                route.deployed());
        byte[] bytes = new byte[PREDICTIONS.length + rows.length + rest.length];
        System.arraycopy(PREDICTIONS, 0, bytes, 0, PREDICTIONS.length);
        System.arraycopy(rows, 0, bytes, PREDICTIONS.length, rows.length);
        System.arraycopy(rest, 0, bytes, PREDICTIONS.length + rows.length, rest.length);
        deployments.log(router, route, requestId, request.body(), bytes);
        return new ApiResponse(200, ApiResponse.JSON, bytes, raw ? Map.of(RequestIds.HEADER, requestId, "X-Vertex-AI-Endpoint-Id", endpointId,
                "X-Vertex-AI-Deployed-Model-Id", route.deployed().id()) : Map.of(RequestIds.HEADER, requestId));
    }

    private static final byte[] PREDICTIONS = "{\"predictions\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] END_OBJECT = {'}'};
    /** Bounds {@link #responseFields}' cache: project and location come from the path, so any client can add keys. */
    private static final int RESPONSE_FIELDS_CACHED = 1_024;
    private final Map<String, byte[]> responseFields = new ConcurrentHashMap<>();

    /** {@code ,"deployedModelId":...,"model":...,"modelVersionId":...,"modelDisplayName":...}} for :predict's response. */
    private byte[] responseFields(String project, String location, DeployedModel deployed) {
        String key = deployed.id() + '/' + project + '/' + location;
        byte[] cached = responseFields.get(key);
        if (cached != null) {
            return cached;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("deployedModelId", deployed.id());
        json.put("model", EndpointJson.modelName(project, location, deployed));
        json.put("modelVersionId", Integer.toString(deployed.version()));
        json.put("modelDisplayName", deployed.dataset() + "." + deployed.model());
        byte[] fields = Json.bytes(json);
        fields[0] = ','; // the object's '{' becomes the comma after "predictions"
        if (responseFields.size() >= RESPONSE_FIELDS_CACHED) {
            responseFields.clear();
        }
        responseFields.put(key, fields);
        return fields;
    }

    /**
     * Vertex AI's Explain: {@code {instances, parameters?, deployedModelId?}} to {@code {explanations: [{attributions:
     * [{baselineOutputValue, instanceOutputValue, featureAttributions, outputIndex?, outputDisplayName?,
     * approximationError}]}], deployedModelId, predictions}}; {@code deployedModelId} bypasses the traffic split.
     */
    private ApiResponse explain(ApiRequest request) {
        long start = System.nanoTime();
        TrafficRouter router = deployments.predictionRouter(request.pathParam("endpoint"));
        ObjectNode body = request.jsonObject();
        Json.onlyFields(body, Set.of("instances", "parameters", "deployedModelId"));
        TrafficRouter.Route route = deployments.choose(router, Json.optionalString(body, "deployedModelId"));
        List<Map<String, Object>> instances;
        double threshold;
        String requestId;
        try {
            requestId = RequestIds.of(request);
            threshold = threshold(body.get("parameters"));
            instances = Instances.read(body.get("instances"), route.runtime());
        } catch (RuntimeException e) {
            deployments.failed(router, route, true);
            throw e;
        }
        List<ModelRuntime.Explained> explained = deployments.explain(router, route, instances, threshold, start);
        List<Map<String, Object>> explanations = new java.util.ArrayList<>();
        List<Map<String, Object>> predictions = new java.util.ArrayList<>();
        for (ModelRuntime.Explained e : explained) {
            Map<String, Object> attribution = new LinkedHashMap<>();
            attribution.put("baselineOutputValue", e.baselineOutputValue());
            attribution.put("instanceOutputValue", e.instanceOutputValue());
            attribution.put("featureAttributions", e.featureAttributions());
            e.outputIndex().ifPresent(i -> attribution.put("outputIndex", List.of(i)));
            e.outputDisplayName().ifPresent(n -> attribution.put("outputDisplayName", n));
            attribution.put("approximationError", e.approximationError());
            explanations.add(Map.of("attributions", List.of(attribution)));
            predictions.add(e.prediction());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("explanations", explanations);
        json.put("deployedModelId", route.deployed().id());
        json.put("predictions", predictions);
        return ApiResponse.json(200, json).withHeaders(Map.of(RequestIds.HEADER, requestId));
    }

    private static double threshold(JsonNode parameters) {
        if (parameters == null || parameters.isNull()) {
            return 0.5;
        }
        if (!(parameters instanceof ObjectNode object)) {
            throw ApiException.badField("parameters", "must be an object such as {\"threshold\": 0.5}, got " + Instances.describe(parameters));
        }
        Json.onlyFields(object, "parameters", Set.of("threshold"));
        JsonNode threshold = object.get("threshold");
        if (threshold == null || threshold.isNull()) {
            return 0.5;
        }
        if (!threshold.isNumber() || !(threshold.doubleValue() >= 0 && threshold.doubleValue() <= 1)) {
            throw ApiException.badField("parameters.threshold", "must be a number from 0 to 1, got " + Instances.describe(threshold));
        }
        return threshold.doubleValue();
    }

    private static Optional<Map<String, Integer>> trafficSplit(ObjectNode body) {
        JsonNode node = body.get("trafficSplit");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw ApiException.badField("trafficSplit", "must be an object {\"deployedModelId\": percent, ...}, got " + Instances.describe(node));
        }
        Map<String, Integer> split = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            // proto3's JSON takes an int32 as a number, a whole float (30.0) or a decimal string ("30"), as Vertex does
            java.math.BigDecimal number = value.isNumber() ? value.decimalValue()
                    : value.isTextual() && value.textValue().strip().matches("-?\\d+(\\.0*)?") ? new java.math.BigDecimal(value.textValue().strip())
                    : null;
            if (number == null || number.stripTrailingZeros().scale() > 0 || number.abs().compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                throw ApiException.badField("trafficSplit." + field.getKey(), "a percentage must be an integer from 0 to 100, got "
                        + Instances.describe(value));
            }
            split.put(field.getKey(), number.intValueExact());
        }
        return Optional.of(split);
    }

    private static Optional<Map<String, String>> labels(ObjectNode body) {
        JsonNode node = body.get("labels");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw ApiException.badField("labels", "must be an object of strings, got " + Instances.describe(node));
        }
        Map<String, String> labels = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            if (!field.getValue().isTextual()) {
                throw ApiException.badField("labels." + field.getKey(), "must be a string, got " + Instances.describe(field.getValue()));
            }
            String problem = dev.lathe.core.ResourceLabels.problem(field.getKey(), field.getValue().textValue()).orElse(null);
            if (problem != null) {
                throw ApiException.badField("labels." + field.getKey(), problem);
            }
            labels.put(field.getKey(), field.getValue().textValue());
        }
        return Optional.of(labels);
    }

    /**
     * A {@code predictRequestResponseLoggingConfig}: whether logging is on (without {@code enabled}, it is) and the rate given.
     * The two are kept apart, as Vertex AI keeps them: {@code {"enabled": false, "samplingRate": 0.3}} keeps 0.3 for later
     * and logs nothing (it was stored as 0: probe sb).
     */
    private record Logging(boolean enabled, Optional<Double> samplingRate) {
        /** The rate a new endpoint gets: the one given, else every request when logging is on and none when it is off. */
        double createRate() {
            return samplingRate.orElse(enabled ? 1.0 : 0.0);
        }
    }

    /** {@code predictRequestResponseLoggingConfig: {enabled, samplingRate}}, checked; empty when the body has none. */
    private static Optional<Logging> logging(ObjectNode body) {
        JsonNode node = body.get("predictRequestResponseLoggingConfig");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!(node instanceof ObjectNode config)) {
            throw ApiException.badField("predictRequestResponseLoggingConfig", "must be an object {\"enabled\": true, \"samplingRate\": 0.1}");
        }
        for (Iterator<String> names = config.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!Set.of("enabled", "samplingRate", "bigqueryDestination").contains(name)) {
                throw ApiException.badField("predictRequestResponseLoggingConfig." + name,
                        "unknown field; accepted: enabled, samplingRate, bigqueryDestination");
            }
        }
        JsonNode enabled = config.get("enabled");
        if (enabled != null && !enabled.isNull() && !enabled.isBoolean()) {
            throw ApiException.badField("predictRequestResponseLoggingConfig.enabled", "must be true or false, got " + Instances.describe(enabled));
        }
        JsonNode rate = config.get("samplingRate");
        if (rate != null && !rate.isNull() && (!rate.isNumber() || !(rate.doubleValue() >= 0 && rate.doubleValue() <= 1))) {
            // checked whether or not logging is enabled: a rate kept for later must be one that could be used
            throw ApiException.badField("predictRequestResponseLoggingConfig.samplingRate", "must be a number from 0 to 1, got " + Instances.describe(rate));
        }
        destination(config.get("bigqueryDestination"));
        return Optional.of(new Logging(enabled == null || enabled.isNull() || enabled.booleanValue(),
                rate == null || rate.isNull() ? Optional.empty() : Optional.of(rate.doubleValue())));
    }

    /** Vertex's {@code bq://project[.dataset[.table]]} forms, refused unless they name the one log table Lathe writes. */
    private static final java.util.regex.Pattern LOG_DESTINATION = java.util.regex.Pattern.compile(
            "bq://(?:[A-Za-z0-9_-]+\\.)?" + PredictionLogs.DATASET + "(?:\\." + PredictionLogs.TABLE + ")?|bq://[A-Za-z0-9_-]+");

    private static void destination(JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        String field = "predictRequestResponseLoggingConfig.bigqueryDestination";
        String rule = "Lathe writes every endpoint's logs to one table, " + PredictionLogs.DATASET + "." + PredictionLogs.TABLE
                + "; give {\"outputUri\": \"bq://" + PredictionLogs.DATASET + "." + PredictionLogs.TABLE + "\"} (or a project alone,"
                + " bq://project), or leave the field out";
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badField(field, "must be an object {\"outputUri\": ...}, got " + Instances.describe(node) + "; " + rule);
        }
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("outputUri")) {
                throw ApiException.badField(field + "." + name, "unknown field; accepted: outputUri");
            }
        }
        JsonNode uri = object.get("outputUri");
        if (uri != null && !uri.isNull() && !(uri.isTextual() && LOG_DESTINATION.matcher(uri.textValue()).matches())) {
            throw ApiException.badField(field + ".outputUri", "got " + Instances.describe(uri) + "; " + rule);
        }
    }

    private static Map<String, Object> endpointJson(ApiRequest request, Endpoint endpoint) {
        return EndpointJson.endpoint(request.pathParam("project"), request.pathParam("location"), endpoint);
    }

    private static ApiResponse operation(ApiRequest request, String type, Map<String, Object> response, String metadataType) {
        return ApiResponse.json(200, EndpointJson.operation(request.pathParam("project"), request.pathParam("location"), type, response,
                metadataType));
    }
}
