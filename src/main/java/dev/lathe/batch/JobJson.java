package dev.lathe.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.LatheException;
import dev.lathe.server.ApiException;
import dev.lathe.server.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Vertex-shaped JSON of a job: the request body of {@code POST .../batchPredictionJobs} (parsed with a 400
 * naming the field and rule for anything wrong) and the BatchPredictionJob resource answered. The stored spec
 * uses the same inputConfig/outputConfig shape.
 */
public final class JobJson {
    static final Set<String> FIELDS = Set.of("displayName", "model", "inputConfig", "outputConfig", "modelParameters");
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private JobJson() {}

    /** The request body as a spec; the model version is resolved later. */
    public static JobSpec parseRequest(ObjectNode body) {
        if (body.path("generateExplanation").asBoolean(false) || body.has("explanationSpec")) {
            // Vertex's batch explanations: a gap, said as one (it was "unknown field"; probe pt); false is what it means anyway
            throw ApiException.badField(body.has("explanationSpec") ? "explanationSpec" : "generateExplanation", "batch explanations are"
                    + " not supported yet; explain rows with ML.EXPLAIN_PREDICT (SQL) or an endpoint's :explain");
        }
        body.remove("generateExplanation");
        Json.onlyFields(body, FIELDS);
        // Vertex's full name, projects/p/locations/l/models/d.m[@v], as the SDK always sends it, or the short form (probe R)
        String model = Json.requiredString(body, "model").replaceFirst("^projects/[^/]+/locations/[^/]+/models/", "");
        if (!model.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*(@[A-Za-z0-9_-]+)?")) {
            throw ApiException.badField("model", "must be dataset.model, dataset.model@version or dataset.model@alias, got '" + model + "'");
        }
        String displayName = Json.optionalString(body, "displayName").orElse("");
        if (displayName.length() > 128) {
            throw ApiException.badField("displayName", "at most 128 characters, got " + displayName.length());
        }
        if (dev.lathe.core.StoredText.hasNul(displayName)) {
            throw ApiException.badField("displayName", dev.lathe.core.StoredText.NO_NUL);
        }
        // paths are checked as a request is taken, not when a stored job is read back
        JobInput input = parseInput(object(body, "inputConfig", true).orElseThrow());
        if (input instanceof JobInput.Files files) {
            List<String> uris = new ArrayList<>();
            for (int i = 0; i < files.uris().size(); i++) {
                uris.add(localPath(files.uris().get(i), "inputConfig.gcsSource.uris[" + i + "]"));
            }
            input = new JobInput.Files(files.format(), uris);
        }
        JobOutput output = parseOutput(object(body, "outputConfig", true).orElseThrow());
        if (output instanceof JobOutput.Files files) {
            output = new JobOutput.Files(files.format(), localPath(files.directory(), "outputConfig.gcsDestination.outputUriPrefix"));
        }
        double threshold = 0.5;
        Optional<ObjectNode> parameters = object(body, "modelParameters", false);
        if (parameters.isPresent()) {
            Json.onlyFields(parameters.get(), "modelParameters", Set.of("threshold"));
            JsonNode t = parameters.get().get("threshold");
            if (t != null && !t.isNull()) {
                if (!t.isNumber() || !(t.doubleValue() >= 0 && t.doubleValue() <= 1)) {
                    throw ApiException.badField("modelParameters.threshold", "must be a number from 0 to 1, got " + t);
                }
                threshold = t.doubleValue();
            }
        }
        return new JobSpec(displayName, model, Optional.empty(), input, output, threshold);
    }

    static JobInput parseInput(ObjectNode config) {
        Json.onlyFields(config, Set.of("instancesFormat", "bigquerySource", "query", "gcsSource"));
        String format = field(config, "inputConfig", "instancesFormat");
        boolean table = config.has("bigquerySource");
        boolean query = config.has("query");
        boolean files = config.has("gcsSource");
        if ((table ? 1 : 0) + (query ? 1 : 0) + (files ? 1 : 0) != 1) {
            throw ApiException.badField("inputConfig", "give exactly one of bigquerySource, query or gcsSource");
        }
        if (format.equals("bigquery")) {
            if (files) {
                throw ApiException.badField("inputConfig.instancesFormat", "bigquery reads bigquerySource or query, not gcsSource");
            }
            if (query) {
                JsonNode sql = config.get("query");
                if (!sql.isTextual() || sql.textValue().isBlank()) {
                    throw ApiException.badField("inputConfig.query", "must be a non-empty SELECT statement");
                }
                JobInput.Query input = new JobInput.Query(sql.textValue());
                try {
                    input.readOnlySql();
                } catch (LatheException e) {
                    throw ApiException.badField("inputConfig.query", e.getMessage());
                }
                return input;
            }
            ObjectNode source = object(config, "bigquerySource", true).orElseThrow();
            if (source.has("query")) {
                throw ApiException.badField("inputConfig.bigquerySource.query", "a query goes in inputConfig.query, beside"
                        + " instancesFormat: {\"instancesFormat\": \"bigquery\", \"query\": \"SELECT ...\"}");
            }
            Json.onlyFields(source, java.util.Set.of("inputUri"));
            String[] name = tableName(field(source, "inputConfig.bigquerySource", "inputUri"), "inputConfig.bigquerySource.inputUri");
            return new JobInput.Table(name[0], name[1]);
        }
        FileFormat fileFormat = fileFormat(format, "inputConfig.instancesFormat");
        if (!files) {
            throw ApiException.badField("inputConfig.gcsSource", "required for instancesFormat " + format + ": {\"uris\": [\"/path/a." + format + "\"]}");
        }
        ObjectNode source = object(config, "gcsSource", true).orElseThrow();
        JsonNode uris = source.get("uris");
        if (!(uris instanceof ArrayNode array) || array.isEmpty()) {
            throw ApiException.badField("inputConfig.gcsSource.uris", "must be a non-empty array of file paths");
        }
        List<String> paths = new ArrayList<>();
        for (JsonNode uri : array) {
            if (!uri.isTextual() || uri.textValue().isBlank()) {
                throw ApiException.badField("inputConfig.gcsSource.uris[" + paths.size() + "]", "must be a non-empty string, got " + uri);
            }
            paths.add(uri.textValue());
        }
        return new JobInput.Files(fileFormat, paths);
    }

    static JobOutput parseOutput(ObjectNode config) {
        Json.onlyFields(config, Set.of("predictionsFormat", "bigqueryDestination", "gcsDestination"));
        String format = field(config, "outputConfig", "predictionsFormat");
        if (format.equals("bigquery")) {
            ObjectNode destination = object(config, "bigqueryDestination", false).orElseThrow(() -> ApiException.badField(
                    "outputConfig.bigqueryDestination", "required for predictionsFormat bigquery: {\"outputUri\": \"dataset.table\"}"));
            String[] name = tableName(field(destination, "outputConfig.bigqueryDestination", "outputUri"),
                    "outputConfig.bigqueryDestination.outputUri");
            return new JobOutput.Table(name[0], name[1]);
        }
        FileFormat fileFormat = fileFormat(format, "outputConfig.predictionsFormat");
        ObjectNode destination = object(config, "gcsDestination", false).orElseThrow(() -> ApiException.badField(
                "outputConfig.gcsDestination", "required for predictionsFormat " + format + ": {\"outputUriPrefix\": \"/path/dir\"}"));
        return new JobOutput.Files(fileFormat, field(destination, "outputConfig.gcsDestination", "outputUriPrefix"));
    }

    /**
     * A file path of the server's machine: {@code file://} is taken off, a remote URI (gs://, s3://) is refused (it was
     * written under the server's working directory as a folder named "gs:"), and so is a relative path, which would be
     * relative to the server's working directory, not the client's (the CLI sends absolute paths). A NUL character, which
     * no file path holds, is refused by name; it was a 500 INTERNAL from the path's parsing (probe ub F5).
     */
    static String localPath(String uri, String field) {
        int nul = uri.indexOf('\0');
        if (nul >= 0) {
            throw ApiException.badField(field, "holds a NUL character (U+0000) at position " + (nul + 1) + ", which no file path can hold;"
                    + " give an absolute path such as /data/batch/out");
        }
        String path = uri.regionMatches(true, 0, "file://", 0, 7) ? uri.substring(7) : uri;
        if (path.toLowerCase(java.util.Locale.ROOT).matches("^[a-z][a-z0-9+.-]*://.*")) {
            throw ApiException.badField(field, "'" + uri + "' is a remote URI" + (path.regionMatches(true, 0, "gs://", 0, 5)
                    ? " (Cloud Storage)" : "") + "; Lathe reads and writes files of the server's machine: give an absolute path such as"
                    + " /data/batch/out");
        }
        if (!java.nio.file.Path.of(path).isAbsolute()) {
            throw ApiException.badField(field, "'" + uri + "' is a relative path, which the server would resolve against its own working"
                    + " directory; give an absolute path such as /data/batch/out (lathe jobs submit makes paths absolute)");
        }
        return path;
    }

    private static FileFormat fileFormat(String format, String field) {
        for (FileFormat f : FileFormat.values()) {
            if (f.id().equals(format)) {
                return f;
            }
        }
        throw ApiException.badField(field, "must be one of bigquery, csv, jsonl, parquet, got '" + format + "'");
    }

    private static String[] tableName(String uri, String field) {
        String name = uri.startsWith("bq://") ? uri.substring(5) : uri;
        String[] parts = name.split("\\.");
        if (uri.startsWith("bq://") && parts.length < 3) {
            // Vertex reads bq://a.b as project a, dataset b (and bq://a as a project): taken as dataset a, table b, a job
            // written for Vertex put its predictions into a dataset named after the project (probe re).
            throw ApiException.badField(field, "'" + uri + "' is Vertex's bq://project" + (parts.length == 2 ? ".dataset" : "")
                    + " form, where Vertex makes the table; Lathe needs the table named: give dataset.table or bq://project.dataset.table");
        }
        if (parts.length == 3) {
            parts = new String[] {parts[1], parts[2]};
        }
        if (parts.length != 2 || !NAME.matcher(parts[0]).matches() || !NAME.matcher(parts[1]).matches()) {
            throw ApiException.badField(field, "must be dataset.table (or bq://project.dataset.table), got '" + uri + "'");
        }
        return parts;
    }

    private static String field(ObjectNode object, String where, String name) {
        JsonNode node = object.get(name);
        if (node == null || node.isNull()) {
            throw ApiException.badField(where + "." + name, "required; give a string");
        }
        if (!node.isTextual() || node.textValue().isBlank()) {
            throw ApiException.badField(where + "." + name, "must be a non-empty string, got " + node);
        }
        return node.textValue();
    }

    private static Optional<ObjectNode> object(ObjectNode parent, String name, boolean required) {
        JsonNode node = parent.get(name);
        if (node == null || node.isNull()) {
            if (required) {
                throw ApiException.badField(name, "required; give an object");
            }
            return Optional.empty();
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badField(name, "must be an object, got " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return Optional.of(object);
    }

    static ObjectNode inputConfig(JobInput input) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        switch (input) {
            case JobInput.Table t -> {
                config.put("instancesFormat", "bigquery");
                config.putObject("bigquerySource").put("inputUri", t.display());
            }
            case JobInput.Query q -> config.put("instancesFormat", "bigquery").put("query", q.sql());
            case JobInput.Files f -> {
                config.put("instancesFormat", f.format().id());
                ArrayNode uris = config.putObject("gcsSource").putArray("uris");
                f.uris().forEach(uris::add);
            }
        }
        return config;
    }

    static ObjectNode outputConfig(JobOutput output) {
        ObjectNode config = Json.MAPPER.createObjectNode();
        switch (output) {
            case JobOutput.Table t -> {
                config.put("predictionsFormat", "bigquery");
                config.putObject("bigqueryDestination").put("outputUri", t.display());
            }
            case JobOutput.Files f -> {
                config.put("predictionsFormat", f.format().id());
                config.putObject("gcsDestination").put("outputUriPrefix", f.directory());
            }
        }
        return config;
    }

    /** The BatchPredictionJob resource; int64 counts are strings, as in Google's JSON. */
    public static ObjectNode resource(BatchPredictionJob job, String parent) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("name", parent + "/batchPredictionJobs/" + job.id());
        json.put("displayName", job.spec().displayName());
        json.put("model", parent + "/models/" + job.spec().model()); // the full name, as the endpoints' answers give it
        job.spec().modelVersion().ifPresent(v -> json.put("modelVersionId", Integer.toString(v)));
        json.set("inputConfig", inputConfig(job.spec().input()));
        json.set("outputConfig", outputConfig(job.spec().output()));
        json.putObject("modelParameters").put("threshold", job.spec().threshold());
        json.put("state", job.state().vertexName());
        job.error().ifPresent(e -> json.putObject("error").put("code", job.errorCode()).put("message", e));
        ArrayNode failures = json.putArray("partialFailures");
        for (RowFailure failure : job.partialFailures()) {
            ObjectNode f = failures.addObject().put("code", 3).put("message", failure.describe()).put("rowNumber", failure.rowNumber());
            failure.source().ifPresent(s -> f.put("source", s));
            failure.column().ifPresent(c -> f.put("column", c));
        }
        json.putObject("completionStats")
                .put("successfulCount", Long.toString(job.successfulCount()))
                .put("failedCount", Long.toString(job.failedCount()))
                .put("incompleteCount", Long.toString(job.incompleteCount()));
        json.putObject("progress").put("rowsProcessed", Long.toString(job.rowsProcessed())).put("rowsTotal", Long.toString(job.rowsTotal()));
        job.outputLocation().filter(location -> job.state() == JobState.SUCCEEDED).ifPresent(location -> { // recorded before the commit
            ObjectNode info = json.putObject("outputInfo");
            if (job.spec().output() instanceof JobOutput.Table table) {
                // bigqueryOutputDataset as Vertex names it (the SDK's iter_outputs reads it), and the table in it
                info.put("bigqueryOutputDataset", "bq://" + parent.split("/")[1] + "." + table.dataset());
                info.put("bigqueryOutputTable", location);
            } else {
                info.put("gcsOutputDirectory", location);
            }
        });
        json.put("createTime", job.createTime().toString());
        job.startTime().ifPresent(t -> json.put("startTime", t.toString()));
        job.endTime().ifPresent(t -> json.put("endTime", t.toString()));
        return json;
    }
}
