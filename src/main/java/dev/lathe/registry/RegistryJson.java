package dev.lathe.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry's records as JSON-ready maps, with Vertex AI's field names where Vertex has one
 * ({@code versionId}, {@code versionAliases}, {@code versionCreateTime}, ...); shared by the CLI and the HTTP API.
 */
public final class RegistryJson {
    private RegistryJson() {}

    public static Map<String, Object> model(RegisteredModel model) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", model.qualifiedName());
        json.put("dataset", model.dataset());
        json.put("model", model.name());
        json.put("defaultVersionId", Integer.toString(model.defaultVersion()));
        json.put("latestVersionId", Integer.toString(model.latestVersion()));
        json.put("versionCount", model.versionCount());
        Map<String, String> aliases = new LinkedHashMap<>();
        model.aliases().forEach((alias, version) -> aliases.put(alias, Integer.toString(version)));
        // every alias to its version: REST's list calls it aliasVersions, and versionAliases is a version's list of its
        // own (models show), so one name did not mean two shapes (probe re)
        json.put("aliasVersions", aliases);
        json.put("modelType", model.modelType());
        json.put("description", model.description());
        json.put("createTime", model.createdAt());
        json.put("updateTime", model.updatedAt());
        return json;
    }

    public static Map<String, Object> version(ModelVersion version) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", version.reference());
        json.put("dataset", version.dataset());
        json.put("model", version.name());
        json.put("versionId", Integer.toString(version.version()));
        json.put("versionAliases", version.aliases());
        json.put("modelType", version.modelType());
        json.put("task", version.task());
        json.put("versionDescription", version.description());
        json.put("labels", version.labels());
        json.put("metrics", version.metrics());
        Provenance provenance = version.provenance();
        Map<String, Object> provenanceJson = new LinkedHashMap<>();
        provenanceJson.put("trainingSql", provenance.trainingSql());
        provenanceJson.put("statementSql", provenance.statementSql());
        provenanceJson.put("inputRows", provenance.inputRows());
        provenanceJson.put("inputHash", provenance.inputHash());
        provenanceJson.put("options", provenance.options());
        provenanceJson.put("platformVersion", provenance.platformVersion());
        provenanceJson.put("trainTime", provenance.trainedAt());
        json.put("provenance", provenanceJson);
        Map<String, Object> lineage = new LinkedHashMap<>();
        lineage.put("sourceTables", version.lineage().sourceTables());
        lineage.put("parentVersionId", version.lineage().parentVersion().isPresent()
                ? Integer.toString(version.lineage().parentVersion().getAsInt()) : null);
        json.put("lineage", lineage);
        json.put("versionCreateTime", version.createdAt());
        json.put("versionUpdateTime", version.updatedAt());
        json.put("etag", version.etag());
        return json;
    }

    /** A list response: {@code {"<items>": [...], "nextPageToken": "..."}} (the token only when there is a next page). */
    public static <T> Map<String, Object> page(String itemsField, Page<T> page, java.util.function.Function<T, Map<String, Object>> item) {
        Map<String, Object> json = new LinkedHashMap<>();
        List<Map<String, Object>> items = page.items().stream().map(item).toList();
        json.put(itemsField, items);
        page.nextPageToken().ifPresent(token -> json.put("nextPageToken", token));
        return json;
    }
}
