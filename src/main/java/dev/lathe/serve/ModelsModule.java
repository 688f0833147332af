package dev.lathe.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.registry.ModelVersion;
import dev.lathe.registry.Registry;
import dev.lathe.registry.RegistryJson;
import dev.lathe.registry.RegistryService;
import dev.lathe.serve.store.EndpointStore;
import dev.lathe.server.ApiException;
import dev.lathe.server.ApiRequest;
import dev.lathe.server.ApiResponse;
import dev.lathe.server.LatheServer;
import dev.lathe.server.QueryParameters;
import dev.lathe.server.ServerModule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The model registry over REST, in Vertex AI's ModelService shapes (spec 2.2): list and search models
 * with paging, get a version ({@code dataset.model}, {@code @3} or {@code @champion}), list versions,
 * merge version aliases ({@code "-alias"} removes), delete a version or a model. The logic is
 * {@link RegistryService}'s, shared with {@code lathe models}.
 */
public final class ModelsModule implements ServerModule {
    private static final String BASE = "/v1/projects/{project}/locations/{location}/models";

    @Override
    public void configure(LatheServer.Builder builder) {
        RegistryService service = new RegistryService(builder.platform().registry());
        EndpointStore endpoints = new EndpointStore(builder.platform().metadataStore());
        // Custom-verb routes first: the first matching template wins, and {model} alone would match "d.m:verb".
        builder.route("GET", BASE + "/{model}:listVersions", request -> versions(service, endpoints, request));
        builder.route("POST", BASE + "/{model}:mergeVersionAliases", request -> mergeAliases(service, endpoints, request));
        builder.route("DELETE", BASE + "/{model}:deleteVersion", request -> deleteVersion(service, request));
        builder.route("GET", BASE, request -> list(service, request));
        builder.route("GET", BASE + "/{model}", request -> ApiResponse.json(200, resource(request, service, endpoints, RegistryJson.version(service.show(model(request))))));
        builder.route("DELETE", BASE + "/{model}", request -> deleteModel(service, request));
        builder.route("PATCH", BASE + "/{model}", request -> update(service, endpoints, request));
    }

    private static ApiResponse list(RegistryService service, ApiRequest request) {
        QueryParameters query = new QueryParameters(request.queryString(), Set.of("pageSize", "pageToken", "filter", "dataset", "orderBy",
                "order_by"));
        int pageSize = query.pageSize(Registry.DEFAULT_PAGE_SIZE, 1000);
        return ApiResponse.json(200, RegistryJson.page("models",
                service.list(query.get("dataset"), query.get("filter"), query.orderBy(Registry.MODEL_ORDER_FIELDS)
                        .within(query.get("filter").orElse("") + "\n" + query.get("dataset").orElse("")), pageSize, query.get("pageToken")),
                model -> listed(request, model)));
    }

    private static ApiResponse versions(RegistryService service, EndpointStore endpoints, ApiRequest request) {
        QueryParameters query = new QueryParameters(request.queryString(), Set.of("pageSize", "pageToken", "filter", "orderBy", "order_by"));
        int pageSize = query.pageSize(Registry.DEFAULT_PAGE_SIZE, 1000);
        dev.lathe.registry.ModelReference model = dev.lathe.registry.ModelReference.parse(model(request));
        // one read of the model's deployments for the page, not one per version
        Map<Integer, List<Map.Entry<String, String>>> deployments = endpoints.deploymentsOf(model.dataset(), model.name());
        Optional<dev.lathe.registry.RegisteredModel> registered = service.registry().getModel(model.dataset(), model.name());
        return ApiResponse.json(200, RegistryJson.page("models", service.versions(model(request), pageSize, query.get("pageToken"),
                query.get("filter"), query.orderBy(Registry.VERSION_ORDER_FIELDS).within(query.get("filter").orElse(""))),
                version -> resource(request, deployments, RegistryJson.version(version), registered)));
    }

    /** {@code {"versionAliases": ["champion", "-challenger"]}} on {@code dataset.model@version}. */
    private static ApiResponse mergeAliases(RegistryService service, EndpointStore endpoints, ApiRequest request) {
        String reference = model(request);
        if (!reference.contains("@")) {
            throw ApiException.badField("name", "mergeVersionAliases needs a version: models/dataset.model@<version or alias>");
        }
        ObjectNode body = request.jsonObject();
        JsonNode aliases = body.get("versionAliases");
        if (aliases == null || !aliases.isArray() || aliases.isEmpty()) {
            throw ApiException.badField("versionAliases", "a non-empty array of alias names; prefix '-' removes an alias");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode alias : aliases) {
            if (!alias.isTextual() || alias.asText().isEmpty()) {
                throw ApiException.badField("versionAliases", "every element must be a non-empty string, got " + alias);
            }
            names.add(alias.asText());
        }
        String plain = reference.substring(0, reference.indexOf('@'));
        ModelVersion version = service.mergeAliases(reference, names);
        return ApiResponse.json(200, resource(request, service, endpoints, RegistryJson.version(service.show(plain + "@" + version.version()))));
    }

    /** Fields a PATCH may change (updateMask names them, camelCase or snake_case); description is the version's. */
    private static final Set<String> UPDATABLE = Set.of("description", "versionDescription", "labels");
    /** The resource's other fields, which a client sending the whole resource back includes; they are left as they are. */
    private static final Set<String> OUTPUT_ONLY = Set.of("name", "dataset", "model", "versionId", "versionAliases", "modelType", "task",
            "metrics", "provenance", "lineage", "versionCreateTime", "versionUpdateTime", "createTime", "updateTime", "etag",
            "defaultVersionId", "latestVersionId", "versionCount", "aliasVersions", "deployedModels");

    /**
     * Vertex AI's UpdateModel: {@code PATCH .../models/d.m[@v]?updateMask=labels,description} with the fields in the body
     * (a client may send the whole resource: with a mask only the named fields change; without one, each updatable field
     * the body gives). A named field the body lacks is cleared. Labels replace the version's labels.
     */
    private static ApiResponse update(RegistryService service, EndpointStore endpoints, ApiRequest request) {
        ObjectNode body = request.jsonObject();
        for (var names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            String plain = model(request).replaceFirst("@.*$", "");
            if (field.equals("displayName") && body.get(field).isTextual() && body.get(field).asText().equalsIgnoreCase(plain)) {
                continue; // the resource sent back whole, its display name unchanged
            }
            if (field.equals("displayName")) {
                throw ApiException.badField("displayName", "a model's name is its dataset.model and cannot be changed; updatable: "
                        + String.join(", ", new java.util.TreeSet<>(UPDATABLE)));
            }
            if (!UPDATABLE.contains(field) && !OUTPUT_ONLY.contains(field)) {
                throw ApiException.badField(field, "not a field of a model version; updatable: " + String.join(", ", new java.util.TreeSet<>(UPDATABLE)));
            }
        }
        Optional<String> mask = new QueryParameters(request.queryString(), Set.of("updateMask")).get("updateMask");
        Set<String> fields = new java.util.LinkedHashSet<>();
        if (mask.isPresent()) {
            for (String path : mask.get().split(",")) {
                String camel = java.util.regex.Pattern.compile("_([a-z])").matcher(path.strip())
                        .replaceAll(m -> m.group(1).toUpperCase(java.util.Locale.ROOT));
                if (!UPDATABLE.contains(camel)) {
                    throw ApiException.badField("updateMask", "'" + path.strip() + "' is not a field that can be updated; accepted: "
                            + String.join(", ", new java.util.TreeSet<>(UPDATABLE)));
                }
                fields.add(camel);
            }
        } else {
            UPDATABLE.stream().filter(body::has).forEach(fields::add);
            if (fields.isEmpty()) {
                throw ApiException.badField("updateMask", "nothing to update: give labels, description or versionDescription"
                        + " (and updateMask to name them)");
            }
        }
        if (fields.contains("description") && fields.contains("versionDescription") && mask.isEmpty()) {
            // The resource sent back whole: both name the version's description; the one that differs from it is the change
            String current = service.show(model(request)).description();
            if (body.path("description").asText("").equals(current)) {
                fields.remove("description");
            } else if (body.path("versionDescription").asText("").equals(current)) {
                fields.remove("versionDescription");
            }
        }
        if (fields.contains("description") && fields.contains("versionDescription")) {
            throw ApiException.badField("updateMask", "description and versionDescription both set the version's description; give one");
        }
        Optional<String> description = Optional.empty();
        Optional<Map<String, String>> labels = Optional.empty();
        for (String field : fields) {
            JsonNode value = body.get(field);
            if (field.equals("labels")) {
                Map<String, String> map = new java.util.TreeMap<>();
                if (value != null && !value.isNull()) {
                    if (!value.isObject()) {
                        throw ApiException.badField("labels", "an object of string keys and values, e.g. {\"team\": \"risk\"}");
                    }
                    for (var entry : value.properties()) {
                        if (!entry.getValue().isTextual()) {
                            throw ApiException.badField("labels." + entry.getKey(), "a label's value must be a string");
                        }
                        map.put(entry.getKey(), entry.getValue().asText());
                    }
                }
                labels = Optional.of(map);
            } else {
                if (value != null && !value.isNull() && !value.isTextual()) {
                    throw ApiException.badField(field, "a string");
                }
                description = Optional.of(value == null || value.isNull() ? "" : value.asText());
            }
        }
        Optional<String> etag = body.path("etag").isTextual() ? Optional.of(body.get("etag").textValue()) : Optional.empty();
        return ApiResponse.json(200, resource(request, service, endpoints, RegistryJson.version(service.update(model(request), description, labels, etag))));
    }

    /**
     * A version as Vertex AI's Model resource (spec 2.1): {@code name} the model's resource name without {@code @} (the
     * version is {@code versionId}), {@code displayName} the dataset.model, {@code description} the version's, and create
     * and update times; Lathe's own fields ({@code dataset}, {@code model}, {@code metrics}, ...) stay. {@code name} was
     * {@code d.m@2}, from which the SDK built {@code d.m@2@2} (probe R).
     */
    static Map<String, Object> resource(ApiRequest request, RegistryService service, EndpointStore endpoints, Map<String, Object> version) {
        String dataset = String.valueOf(version.get("dataset"));
        String name = String.valueOf(version.get("model"));
        return resource(request, endpoints.deploymentsOf(dataset, name), version, service.registry().getModel(dataset, name));
    }

    /**
     * As {@link #resource(ApiRequest, RegistryService, EndpointStore, Map)}, with the model's deployments and the model read
     * already. {@code createTime} and {@code updateTime} are the model's, as in Vertex AI ("when this Model was uploaded")
     * and as the list gives them; {@code versionCreateTime} and {@code versionUpdateTime} the version's (GET gave the
     * version's times as the model's: probe pw).
     */
    static Map<String, Object> resource(ApiRequest request, Map<Integer, List<Map.Entry<String, String>>> deployments,
            Map<String, Object> version, Optional<dev.lathe.registry.RegisteredModel> model) {
        Map<String, Object> json = new LinkedHashMap<>();
        String qualified = version.get("dataset") + "." + version.get("model");
        String parent = EndpointJson.parent(request.pathParam("project"), request.pathParam("location"));
        json.put("name", parent + "/models/" + qualified);
        json.put("displayName", qualified);
        json.put("description", version.get("versionDescription"));
        version.forEach((key, value) -> {
            if (!key.equals("name")) {
                json.put(key, value);
            }
        });
        json.put("createTime", model.<Object>map(m -> m.createdAt()).orElse(version.get("versionCreateTime")));
        json.put("updateTime", model.<Object>map(m -> m.updatedAt()).orElse(version.get("versionUpdateTime")));
        // Vertex's DeployedModelRef list: where this version serves (the SDK reads it before undeploying or deleting)
        List<Map<String, Object>> deployed = new ArrayList<>();
        for (Map.Entry<String, String> ref : deployments.getOrDefault(Integer.parseInt(String.valueOf(version.get("versionId"))), List.of())) {
            Map<String, Object> entry = new java.util.LinkedHashMap<>(); // the order registry.md gives, on every server
            entry.put("endpoint", parent + "/endpoints/" + ref.getKey());
            entry.put("deployedModelId", ref.getValue());
            deployed.add(entry);
        }
        json.put("deployedModels", deployed);
        return json;
    }

    /**
     * A ListModels item: a Model resource of the default version (spec 2.2: the list's elements are Models; its
     * versionAliases were a map of every alias, which no Vertex client could read), with Lathe's summary of the versions.
     */
    private static Map<String, Object> listed(ApiRequest request, dev.lathe.registry.RegisteredModel model) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", EndpointJson.parent(request.pathParam("project"), request.pathParam("location")) + "/models/" + model.qualifiedName());
        json.put("displayName", model.qualifiedName());
        json.put("description", model.description());
        json.put("dataset", model.dataset());
        json.put("model", model.name());
        json.put("versionId", Integer.toString(model.defaultVersion()));
        json.put("versionAliases", model.aliases().entrySet().stream().filter(e -> e.getValue() == model.defaultVersion())
                .map(Map.Entry::getKey).toList());
        json.put("modelType", model.modelType());
        json.put("labels", model.labels()); // the default version's, as GET of the model gives them
        json.put("defaultVersionId", Integer.toString(model.defaultVersion()));
        json.put("latestVersionId", Integer.toString(model.latestVersion()));
        json.put("versionCount", model.versionCount());
        Map<String, String> aliases = new java.util.TreeMap<>();
        model.aliases().forEach((alias, version) -> aliases.put(alias, Integer.toString(version)));
        json.put("aliasVersions", aliases); // every alias of every version: Lathe's, by another name than Vertex's list
        json.put("createTime", model.createdAt());
        json.put("updateTime", model.updatedAt());
        return json;
    }

    private static ApiResponse deleteVersion(RegistryService service, ApiRequest request) {
        String reference = model(request);
        if (!reference.contains("@")) {
            throw ApiException.badField("name", "deleteVersion needs a version: models/dataset.model@<version or alias>");
        }
        service.delete(reference);
        return ApiResponse.json(200, EndpointJson.deleted(request.pathParam("project"), request.pathParam("location")));
    }

    private static ApiResponse deleteModel(RegistryService service, ApiRequest request) {
        String reference = model(request);
        if (reference.contains("@")) {
            throw ApiException.badField("name", "DELETE on a version: use models/dataset.model@<version>:deleteVersion");
        }
        service.delete(reference);
        return ApiResponse.json(200, EndpointJson.deleted(request.pathParam("project"), request.pathParam("location")));
    }

    private static String model(ApiRequest request) {
        String model = request.pathParam("model");
        if (model.isBlank()) {
            throw ApiException.badField("model", "a model name: dataset.model, optionally @version or @alias");
        }
        return model;
    }
}
