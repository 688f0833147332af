package dev.lathe.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.registry.ModelVersion;
import dev.lathe.registry.Registry;
import dev.lathe.registry.RegistryJson;
import dev.lathe.registry.RegistryService;
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
        // Custom-verb routes first: the first matching template wins, and {model} alone would match "d.m:verb".
        builder.route("GET", BASE + "/{model}:listVersions", request -> versions(service, request));
        builder.route("POST", BASE + "/{model}:mergeVersionAliases", request -> mergeAliases(service, request));
        builder.route("DELETE", BASE + "/{model}:deleteVersion", request -> deleteVersion(service, request));
        builder.route("GET", BASE, request -> list(service, request));
        builder.route("GET", BASE + "/{model}", request -> ApiResponse.json(200, RegistryJson.version(service.show(model(request)))));
        builder.route("DELETE", BASE + "/{model}", request -> deleteModel(service, request));
    }

    private static ApiResponse list(RegistryService service, ApiRequest request) {
        QueryParameters query = new QueryParameters(request.queryString(), Set.of("pageSize", "pageToken", "filter", "dataset"));
        int pageSize = (int) query.integer("pageSize", Registry.DEFAULT_PAGE_SIZE, 1, 1000);
        return ApiResponse.json(200, RegistryJson.page("models",
                service.list(query.get("dataset"), query.get("filter"), pageSize, query.get("pageToken")), RegistryJson::model));
    }

    private static ApiResponse versions(RegistryService service, ApiRequest request) {
        QueryParameters query = new QueryParameters(request.queryString(), Set.of("pageSize", "pageToken"));
        int pageSize = (int) query.integer("pageSize", Registry.DEFAULT_PAGE_SIZE, 1, 1000);
        return ApiResponse.json(200, RegistryJson.page("models", service.versions(model(request), pageSize, query.get("pageToken")),
                RegistryJson::version));
    }

    /** {@code {"versionAliases": ["champion", "-challenger"]}} on {@code dataset.model@version}. */
    private static ApiResponse mergeAliases(RegistryService service, ApiRequest request) {
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
        return ApiResponse.json(200, RegistryJson.version(service.show(plain + "@" + version.version())));
    }

    private static ApiResponse deleteVersion(RegistryService service, ApiRequest request) {
        String reference = model(request);
        if (!reference.contains("@")) {
            throw ApiException.badField("name", "deleteVersion needs a version: models/dataset.model@<version or alias>");
        }
        return done(service.delete(reference));
    }

    private static ApiResponse deleteModel(RegistryService service, ApiRequest request) {
        String reference = model(request);
        if (reference.contains("@")) {
            throw ApiException.badField("name", "DELETE on a version: use models/dataset.model@<version>:deleteVersion");
        }
        return done(service.delete(reference));
    }

    /** A finished long-running operation, as Vertex answers deletions. */
    private static ApiResponse done(String message) {
        Map<String, Object> operation = new LinkedHashMap<>();
        operation.put("done", true);
        operation.put("metadata", Map.of("message", message));
        return ApiResponse.json(200, operation);
    }

    private static String model(ApiRequest request) {
        String model = request.pathParam("model");
        if (model.isBlank()) {
            throw ApiException.badField("model", "a model name: dataset.model, optionally @version or @alias");
        }
        return model;
    }
}
