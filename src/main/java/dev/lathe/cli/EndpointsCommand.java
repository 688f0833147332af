package dev.lathe.cli;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.LatheException;
import dev.lathe.serve.store.TrafficSplit;
import dev.lathe.server.Json;
import dev.lathe.server.ServerModules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lathe endpoints create|list|get|delete|deploy|undeploy|split|predict}. Every command is one call of the
 * endpoints REST API through {@link RestCall}: to the data directory's running server when there is one, otherwise
 * to a server started in this process for the call, so both ways behave and print the same.
 */
@Command(
        name = "endpoints",
        mixinStandardHelpOptions = true,
        description = "Creates endpoints, deploys model versions to them with a traffic split, and predicts.",
        subcommands = {
            EndpointsCommand.Create.class, EndpointsCommand.ListEndpoints.class, EndpointsCommand.Get.class, EndpointsCommand.Delete.class,
            EndpointsCommand.Deploy.class, EndpointsCommand.Undeploy.class, EndpointsCommand.Split.class, EndpointsCommand.Predict.class
        })
final class EndpointsCommand implements Callable<Integer> {
    static final String BASE = "/v1/projects/local/locations/local/endpoints";

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Main.missingSubcommand(spec);
    }

    int run(CommandSpec command, RestCall.Action action) {
        return RestCall.run(main, command, ServerModules::forOneCall, action);
    }

    static String pretty(JsonNode json) throws IOException {
        return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json) + "\n";
    }

    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        EndpointsCommand endpoints;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            return endpoints.run(spec, this::run);
        }

        abstract String run(RestCall.Http http) throws Exception;
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Creates an endpoint named NAME (its id).")
    static final class Create extends Subcommand {
        @Parameters(paramLabel = "NAME", description = "Endpoint id: lower-case letters, digits and hyphens.")
        String name;

        @Option(names = "--display-name", paramLabel = "TEXT", description = "Default: NAME.")
        Optional<String> displayName = Optional.empty();

        @Option(names = "--logging-rate", paramLabel = "R", defaultValue = "0",
                description = "Fraction of requests logged to lathe_logs.request_response_logging (0 to 1). Default: ${DEFAULT-VALUE}.")
        double loggingRate;

        @Override
        String run(RestCall.Http http) throws Exception {
            Map<String, Object> body = new java.util.LinkedHashMap<>();
            body.put("displayName", displayName.orElse(name));
            body.put("predictRequestResponseLoggingConfig", Map.of("enabled", loggingRate > 0, "samplingRate", loggingRate));
            JsonNode endpoint = http.call("POST", BASE + "?endpointId=" + name, body).path("response");
            return "Created endpoint " + endpoint.path("name").asText() + "\n";
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists endpoints, a row per deployed model with its id, version and traffic share.")
    static final class ListEndpoints extends Subcommand {
        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "table", converter = OutputFormat.Converter.class,
                description = "table or json ({\"endpoints\": [...]}, Vertex's list). Default: ${DEFAULT-VALUE}.")
        OutputFormat format = OutputFormat.TABLE;

        @Override
        String run(RestCall.Http http) throws Exception {
            boolean json = ModelsCommand.requireTableOrJson(format, "endpoints") == OutputFormat.JSON;
            List<List<String>> rows = new ArrayList<>();
            com.fasterxml.jackson.databind.node.ArrayNode all = dev.lathe.server.Json.MAPPER.createArrayNode();
            Optional<String> token = Optional.empty();
            do {
                JsonNode page = http.call("GET", BASE + "?pageSize=1000" + token.map(t -> "&pageToken=" + t).orElse(""), null);
                page.path("endpoints").forEach(all::add);
                for (JsonNode endpoint : page.path("endpoints")) {
                    String id = endpoint.path("name").asText().replaceFirst(".*/", "");
                    String name = endpoint.path("displayName").asText();
                    JsonNode logging = endpoint.path("predictRequestResponseLoggingConfig");
                    // the rate logged at now: a disabled endpoint's kept rate is not what it logs
                    String rate = Double.toString(logging.path("enabled").asBoolean(true) ? logging.path("samplingRate").asDouble() : 0.0);
                    // A row per deployed model: its id is what split and undeploy take, and a list of them in one cell was cut
                    // off with '…' past the table's 80 columns (probe L).
                    if (endpoint.path("deployedModels").isEmpty()) {
                        rows.add(List.of(id, name, "", "", "", rate));
                    }
                    for (JsonNode model : endpoint.path("deployedModels")) {
                        rows.add(List.of(id, name, model.path("id").asText(), model.path("model").asText().replaceFirst(".*/", "") + "@"
                                + model.path("modelVersionId").asText(), endpoint.path("trafficSplit").path(model.path("id").asText()).asInt(0) + "%",
                                rate));
                    }
                }
                token = Optional.ofNullable(page.get("nextPageToken")).map(JsonNode::asText);
            } while (token.isPresent());
            if (json) { // as models list and jobs list take --format json (probe re: only models commands did)
                return dev.lathe.server.Json.MAPPER.createObjectNode().set("endpoints", all) + "\n";
            }
            return ModelsCommand.table(List.of("endpoint", "display_name", "deployed_model_id", "model", "traffic", "logging_rate"), rows);
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Shows one endpoint as JSON.")
    static final class Get extends Subcommand {
        @Parameters(paramLabel = "ENDPOINT", description = "The endpoint's id (its NAME at create).")
        String endpoint;

        @Override
        String run(RestCall.Http http) throws Exception {
            return pretty(http.call("GET", BASE + "/" + endpoint, null));
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Deletes an endpoint that has no deployed models.")
    static final class Delete extends Subcommand {
        @Parameters(paramLabel = "ENDPOINT", description = "The endpoint's id (its NAME at create).")
        String endpoint;

        @Override
        String run(RestCall.Http http) throws Exception {
            http.call("DELETE", BASE + "/" + endpoint, null);
            return "Deleted endpoint " + endpoint + "\n";
        }
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true, description = {
        "Deploys a model version. --traffic N gives it N%% and scales the other models to the rest (as gcloud does)."})
    static final class Deploy extends Subcommand {
        @Parameters(paramLabel = "ENDPOINT", description = "The endpoint's id (its NAME at create).")
        String endpoint;

        @Option(names = "--model", required = true, paramLabel = "MODEL", description = "The model version to deploy: dataset.model[@version|@alias] (plain: its default version).")
        String model;

        @Option(names = "--traffic", paramLabel = "N", defaultValue = "100", description = "Percent of traffic for the new model. Default: ${DEFAULT-VALUE}.")
        int traffic;

        @Option(names = "--display-name", paramLabel = "TEXT", description = "The deployed model's display name (default: dataset.model).")
        Optional<String> displayName = Optional.empty();

        @Override
        String run(RestCall.Http http) throws Exception {
            Map<String, Integer> current = split(http.call("GET", BASE + "/" + endpoint, null).path("trafficSplit"));
            Map<String, Object> deployed = new java.util.LinkedHashMap<>();
            deployed.put("model", model);
            displayName.ifPresent(name -> deployed.put("displayName", name));
            JsonNode response = http.call("POST", BASE + "/" + endpoint + ":deployModel",
                    Map.of("deployedModel", deployed, "trafficSplit", TrafficSplit.withNewModel(current, traffic))).path("response").path("deployedModel");
            return "Deployed " + model + " (version " + response.path("modelVersionId").asText() + ") to " + endpoint + " as deployed model "
                    + response.path("id").asText() + "\n";
        }
    }

    @Command(name = "undeploy", mixinStandardHelpOptions = true, description = "Undeploys a model; its traffic must be 0 (see split).")
    static final class Undeploy extends Subcommand {
        @Parameters(paramLabel = "ENDPOINT", description = "The endpoint's id (its NAME at create).")
        String endpoint;

        @Option(names = "--deployed-model-id", required = true, paramLabel = "ID", description = "The deployed model to take off (its id in lathe endpoints list); it must receive no traffic (move it with lathe endpoints split).")
        String deployedModelId;

        @Override
        String run(RestCall.Http http) throws Exception {
            http.call("POST", BASE + "/" + endpoint + ":undeployModel", Map.of("deployedModelId", deployedModelId));
            return "Undeployed " + deployedModelId + " from " + endpoint + "\n";
        }
    }

    @Command(name = "split", mixinStandardHelpOptions = true, description = "Sets the traffic split: --traffic ID=PCT ... summing to 100.")
    static final class Split extends Subcommand {
        @Parameters(paramLabel = "ENDPOINT", description = "The endpoint's id (its NAME at create).")
        String endpoint;

        @Option(names = "--traffic", required = true, paramLabel = "ID=PCT", split = ",", description = "Each deployed model's share in percent, summing to 100, e.g. 1234567890=80,9876543210=20 (ids from lathe endpoints list).")
        List<String> traffic = new ArrayList<>();

        @Override
        String run(RestCall.Http http) throws Exception {
            JsonNode updated = http.call("PATCH", BASE + "/" + endpoint, Map.of("trafficSplit", parse(traffic)));
            // every deployed model with its share, not a Java map of the ids given (probe re: one left out got 0 unsaid)
            List<String> shares = new ArrayList<>();
            for (JsonNode deployed : updated.path("deployedModels")) {
                String id = deployed.path("id").asText();
                String model = deployed.path("model").asText();
                shares.add(id + " (" + model.substring(model.lastIndexOf('/') + 1) + "@" + deployed.path("modelVersionId").asText() + ") "
                        + updated.path("trafficSplit").path(id).asInt(0) + "%");
            }
            return "Traffic split of " + endpoint + ": " + String.join(", ", shares) + "\n";
        }
    }

    /** {@code ID=PCT} pairs as the split's map, each id once (picocli's map option kept the last of a repeated id). */
    static Map<String, Integer> parse(List<String> pairs) {
        Map<String, Integer> split = new TreeMap<>();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw LatheException.userError("--traffic takes DEPLOYED_MODEL_ID=PERCENT pairs separated by commas, got '" + pair + "'");
            }
            String id = pair.substring(0, equals).strip();
            int percent;
            try {
                percent = Integer.parseInt(pair.substring(equals + 1).strip());
            } catch (NumberFormatException e) {
                throw LatheException.userError("--traffic: the percentage of " + id + " must be an integer from 0 to 100, got '"
                        + pair.substring(equals + 1) + "'");
            }
            if (split.put(id, percent) != null) {
                throw LatheException.userError("--traffic names deployed model " + id + " twice; give each id once");
            }
        }
        return split;
    }

    @Command(name = "predict", mixinStandardHelpOptions = true, description = "Predicts for instances given as a JSON array or a JSONL file.")
    static final class Predict extends Subcommand {
        @Parameters(paramLabel = "ENDPOINT", description = "The endpoint's id (its NAME at create).")
        String endpoint;

        @Option(names = "--instances", paramLabel = "JSON", description = "A JSON array of instances, e.g. '[{\"island\": \"Dream\", ...}]'.")
        Optional<String> instances = Optional.empty();

        @Option(names = "--file", paramLabel = "FILE", description = "JSON Lines, one instance per line; or one JSON value: a "
                + "request body {\"instances\": [...], \"parameters\": {...}} (as gcloud's --json-request), an array of "
                + "instances or one instance.")
        Optional<Path> file = Optional.empty();

        @Override
        String run(RestCall.Http http) throws Exception {
            if (instances.isPresent() == file.isPresent()) {
                throw LatheException.userError("Give exactly one of --instances JSON or --file instances.jsonl");
            }
            ObjectNode body;
            if (instances.isPresent()) {
                JsonNode parsed;
                try {
                    parsed = Json.parse(instances.get().getBytes(StandardCharsets.UTF_8));
                } catch (dev.lathe.server.ApiException e) { // "The request body is ...": here it is the option's value
                    throw LatheException.userError("--instances " + e.getMessage().replaceFirst("^The request body ", ""));
                }
                if (!parsed.isArray()) {
                    throw LatheException.userError("--instances must be a JSON array of instances, e.g. '[{\"island\": \"Dream\"}]'");
                }
                body = Json.MAPPER.createObjectNode();
                body.set("instances", parsed);
            } else {
                body = request(file.get());
            }
            return pretty(http.call("POST", BASE + "/" + endpoint + ":predict", body));
        }

        /**
         * The request body a {@code --file} holds: read as one JSON value first (a request body with an {@code instances}
         * array, an array of instances, or one instance, however it is laid out), else as JSON Lines, where a line that
         * is not JSON is named by its number.
         */
        static ObjectNode request(Path file) throws IOException {
            String text = UserFiles.text(file, "Instances file", "--file", "give the path of a JSON Lines file of instances or of one request body");
            ObjectNode body = Json.MAPPER.createObjectNode();
            JsonNode whole = wholeValue(text);
            if (whole instanceof ObjectNode request && request.get("instances") instanceof ArrayNode) {
                return request;
            }
            if (whole instanceof ArrayNode array) {
                body.set("instances", array);
                return body;
            }
            ArrayNode lines = body.putArray("instances");
            if (whole != null) {
                lines.add(whole);
                return body;
            }
            List<String> all = text.lines().toList();
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).isBlank()) {
                    continue;
                }
                try {
                    lines.add(Json.MAPPER.readTree(all.get(i)));
                } catch (JsonProcessingException e) {
                    JsonLocation at = e.getLocation();
                    throw LatheException.userError(file + ", line " + (i + 1) + (at == null ? "" : ", column " + at.getColumnNr())
                            + ": not valid JSON (" + Json.firstLine(e.getOriginalMessage()) + "); --file takes one "
                            + "JSON instance per line, or one JSON value: {\"instances\": [...]}, an array of instances or an instance");
                }
            }
            if (lines.isEmpty()) {
                throw LatheException.userError(file + " holds no instances; give one JSON instance per line");
            }
            return body;
        }

        /** The file's text as one JSON value, or null when it is not exactly one (JSON Lines of two or more instances). */
        private static JsonNode wholeValue(String text) {
            try (JsonParser parser = Json.MAPPER.createParser(text)) {
                JsonNode value = Json.MAPPER.readTree(parser);
                return value == null || parser.nextToken() != null ? null : value;
            } catch (IOException e) {
                return null;
            }
        }
    }

    static Map<String, Integer> split(JsonNode node) {
        Map<String, Integer> split = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            split.put(field.getKey(), field.getValue().asInt());
        }
        return split;
    }
}
