package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.engine.Result;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Endpoints over real HTTP on a real server (port 0), with models trained on the penguins sample. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointsHttpTest {
    private static final String BASE = "/v1/projects/p/locations/us-central1/endpoints";
    private Platform platform;
    private Engine session;
    private LatheServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        Path csv = directory.resolve("penguins.csv");
        try (var in = EndpointsHttpTest.class.getResourceAsStream("/dev/lathe/samples/penguins.csv")) {
            Files.copy(in, csv);
        }
        platform = Platform.open(directory.resolve("data"));
        session = platform.session(line -> {});
        session.execute("""
                CREATE SCHEMA d;
                LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['%s']);
                CREATE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE OR REPLACE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'], l2_reg = 1.0) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.species OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species']) AS
                  SELECT * EXCEPT (year) FROM d.penguins;
                CREATE MODEL d.scaled
                  TRANSFORM (ML.STANDARD_SCALER(flipper_length_mm) OVER () AS flipper, island, body_mass_g)
                  OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.onnx OPTIONS (model_type = 'ONNX', model_path = '%s');
                CREATE MODEL d.ints OPTIONS (model_type = 'ONNX', model_path = '%s');
                CREATE MODEL d.km OPTIONS (model_type = 'kmeans', num_clusters = 3) AS SELECT bill_length_mm, flipper_length_mm FROM d.penguins;
                CREATE MODEL d.tags OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS
                  SELECT (i %% 5) * 2.0 + (i %% 3) AS y, ['t' || (i %% 3)::VARCHAR] AS tags, [(i %% 5)::DOUBLE] AS v FROM range(600) t(i);
                """.formatted(csv, Path.of("src/test/resources/imported/logistic_regression.onnx").toAbsolutePath(),
                Path.of("src/test/resources/imported/integer_sum.onnx").toAbsolutePath()), (text, result) -> {});
        server = start(new EndpointsModule(EndpointsModule.DEFAULT_LOG_QUEUE));
    }

    private LatheServer start(EndpointsModule module) throws InterruptedException {
        LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withMaxRequestBytes(64 * 1024))
                .accessLog(line -> {}).log(line -> {});
        module.configure(builder);
        LatheServer started = builder.start();
        assertThat(started.awaitReady(60, TimeUnit.SECONDS)).isTrue();
        return started;
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
        session.close();
        platform.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> response = send(method, path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
    }

    private JsonNode error(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        return Json.MAPPER.readTree(response.body()).path("error");
    }

    /** Probe ub F5: a NUL in an endpoint's text was a 500 on PostgreSQL (its text cannot hold one) and kept on SQLite; both refuse it. */
    @Test
    void aNulInAnEndpointsTextIsRefusedNamingTheField() throws Exception {
        String rule = "must not contain the NUL character (U+0000), which the metadata store cannot keep";
        assertThat(error(send("POST", BASE + "?endpointId=nul1", "{\"displayName\": \"a\\u0000b\"}"), 400).path("message").asText())
                .isEqualTo("Invalid value for 'displayName': " + rule);
        assertThat(error(send("POST", BASE + "?endpointId=nul2", "{\"displayName\": \"ok\", \"description\": \"a\\u0000b\"}"), 400)
                .path("message").asText()).isEqualTo("Invalid value for 'description': " + rule);
        assertThat(send("GET", BASE + "/nul1", null).statusCode()).isEqualTo(404);
        createEndpoint("nul3", "");
        assertThat(error(send("PATCH", BASE + "/nul3", "{\"description\": \"a\\u0000b\"}"), 400).path("message").asText())
                .isEqualTo("Invalid value for 'description': " + rule);
        assertThat(error(send("PATCH", BASE + "/nul3", "{\"displayName\": \"a\\u0000b\"}"), 400).path("message").asText())
                .isEqualTo("Invalid value for 'displayName': " + rule);
        assertThat(error(send("POST", BASE + "/nul3:deployModel", "{\"deployedModel\": {\"model\": \"d.mass@1\", \"displayName\":"
                + " \"a\\u0000b\"}}"), 400).path("message").asText()).isEqualTo("Invalid value for 'deployedModel.displayName': " + rule);
        assertThat(ok("GET", BASE + "/nul3", null).path("displayName").asText()).isEqualTo("nul3");
        assertThat(ok("GET", BASE + "/nul3", null).path("deployedModels")).isEmpty();
    }

    private void createEndpoint(String id, String extra) throws Exception {
        JsonNode operation = ok("POST", BASE + "?endpointId=" + id, "{\"displayName\": \"" + id + "\"" + extra + "}");
        assertThat(operation.at("/metadata/@type").asText()).endsWith(".CreateEndpointOperationMetadata");
    }

    private String deploy(String endpoint, String model, String split) throws Exception {
        JsonNode operation = ok("POST", BASE + "/" + endpoint + ":deployModel", "{\"deployedModel\": {\"model\": \"" + model + "\"}"
                + (split == null ? "" : ", \"trafficSplit\": " + split) + "}");
        assertThat(operation.at("/metadata/@type").asText()).endsWith(".DeployModelOperationMetadata");
        return operation.path("response").path("deployedModel").path("id").asText();
    }

    private List<Map<String, Object>> rows(String sql) {
        List<Map<String, Object>> rows = new ArrayList<>();
        session.execute(sql, (text, result) -> {
            if (result instanceof Result.Rows r) {
                ResultSet set = r.rows();
                ResultSetMetaData meta = set.getMetaData();
                while (set.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), set.getObject(c));
                    }
                    rows.add(row);
                }
            }
        });
        return rows;
    }

    /** The penguin rows as a JSON instances array (objects by column name), straight from the warehouse. */
    private String instances(int limit) {
        List<Map<String, Object>> rows = rows("SELECT * EXCLUDE (year) FROM d.penguins ORDER BY ALL LIMIT " + limit);
        return new String(Json.bytes(rows), java.nio.charset.StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"mass", "species", "scaled"})
    void predictionOverHttpEqualsMlPredictToTheLastDigit(String model) throws Exception {
        String endpoint = "parity-" + model;
        createEndpoint(endpoint, "");
        String id = deploy(endpoint, "d." + model, "{\"0\": 100}");
        JsonNode response = ok("POST", BASE + "/" + endpoint + ":predict", "{\"instances\": " + instances(40) + "}");
        assertThat(response.path("deployedModelId").asText()).isEqualTo(id);
        assertThat(response.path("model").asText()).isEqualTo("projects/p/locations/us-central1/models/d." + model);
        List<Map<String, Object>> expected = rows("SELECT * FROM ML.PREDICT(MODEL d." + model
                + ", (SELECT * EXCLUDE (year) FROM d.penguins ORDER BY ALL LIMIT 40))");
        JsonNode predictions = response.path("predictions");
        assertThat(predictions).hasSize(40);
        String label = model.equals("species") ? "predicted_species" : "predicted_body_mass_g";
        for (int i = 0; i < 40; i++) {
            JsonNode online = predictions.get(i).path(label);
            if (model.equals("species")) {
                assertThat(online.asText()).isEqualTo(expected.get(i).get(label));
                JsonNode probs = predictions.get(i).path(label + "_probs");
                Object[] sql = (Object[]) ((java.sql.Array) expected.get(i).get(label + "_probs")).getArray();
                for (int c = 0; c < sql.length; c++) {
                    Object[] struct = ((java.sql.Struct) sql[c]).getAttributes();
                    assertThat(probs.get(c).path("label").asText()).isEqualTo(struct[0]);
                    assertThat(probs.get(c).path("prob").doubleValue()).isEqualTo((Double) struct[1]);
                }
            } else {
                assertThat(online.doubleValue()).as("row %d", i).isEqualTo((Double) expected.get(i).get(label));
            }
        }
    }

    /**
     * A TRANSFORM model's instances reach DuckDB as prepared parameters (up to 16 instances) or written into the query
     * (more): either way every digit of a double arrives, as it does in ML.PREDICT.
     */
    @Test
    void aTransformModelSeesEveryDigitOfItsInstancesFewOrMany() throws Exception {
        // bill_length_mm is a DOUBLE column (flipper_length_mm a BIGINT one, to which an instance's value is cast).
        session.execute("""
                CREATE MODEL d.billed TRANSFORM (ML.STANDARD_SCALER(bill_length_mm) OVER () AS bill, island, body_mass_g)
                  OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL""", (text, result) -> {});
        createEndpoint("digits", "");
        deploy("digits", "d.billed", "{\"0\": 100}");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            // Shortest texts of 17 significant digits (CachedStatementsTest checks such a literal reads back bit for bit).
            values.add(Double.toString(0.0036446298831652236 * (1 + i / 7.0)));
        }
        assertThat(values.get(0)).isEqualTo("0.0036446298831652236");
        List<String> instances = values.stream().map(v -> "{\"island\": \"Dream\", \"bill_length_mm\": " + v + "}").toList();
        List<Map<String, Object>> expected = rows("SELECT i, predicted_body_mass_g FROM ML.PREDICT(MODEL d.billed, (SELECT * FROM (VALUES "
                + String.join(", ", values.stream().map(v -> "('Dream', CAST('" + v + "' AS DOUBLE), " + values.indexOf(v) + ")").toList())
                + ") AS v(island, bill_length_mm, i))) ORDER BY i");
        JsonNode many = ok("POST", BASE + "/digits:predict", "{\"instances\": [" + String.join(", ", instances) + "]}").path("predictions");
        for (int i = 0; i < values.size(); i++) {
            double sql = (Double) expected.get(i).get("predicted_body_mass_g");
            assertThat(many.get(i).path("predicted_body_mass_g").doubleValue()).as("instance %d of 20", i).isEqualTo(sql);
            JsonNode alone = ok("POST", BASE + "/digits:predict", "{\"instances\": [" + instances.get(i) + "]}").path("predictions");
            assertThat(alone.get(0).path("predicted_body_mass_g").doubleValue()).as("instance %d alone", i).isEqualTo(sql);
        }
    }

    /**
     * A one-instance request is read into the model's row without a map when its fields allow it (exact names, other
     * fields skipped), and through the instance's map otherwise (names in other case); either way each prediction equals
     * the one the same row gets within a batch, which the test above compares with ML.PREDICT.
     */
    @ParameterizedTest
    @ValueSource(strings = {"mass", "species", "scaled"})
    void oneInstanceRequestsPredictAsTheSameRowInABatchWhicheverWayTheyAreRead(String model) throws Exception {
        String endpoint = "single-" + model;
        createEndpoint(endpoint, "");
        deploy(endpoint, "d." + model, "{\"0\": 100}");
        String path = BASE + "/" + endpoint + ":predict";
        assertThat(platform.runtime("d", model, java.util.Optional.empty()).rowInput().isPresent())
                .as("one instance read into a row without a map (not through a TRANSFORM)").isEqualTo(!model.equals("scaled"));
        List<Map<String, Object>> rows = rows("SELECT * EXCLUDE (year) FROM d.penguins ORDER BY sex NULLS FIRST, species, island,"
                + " bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g LIMIT 12");
        assertThat(rows).anyMatch(row -> row.containsValue(null));
        JsonNode batch = ok("POST", path, "{\"instances\": " + new String(Json.bytes(rows), java.nio.charset.StandardCharsets.UTF_8) + "}")
                .path("predictions");
        for (int i = 0; i < rows.size(); i++) {
            Map<String, Object> row = rows.get(i);
            Map<String, Object> inputsOnly = new java.util.LinkedHashMap<>(row);
            inputsOnly.remove(model.equals("species") ? "species" : "body_mass_g"); // the label
            Map<String, Object> upperCase = new java.util.LinkedHashMap<>();
            row.forEach((name, value) -> upperCase.put(name.toUpperCase(java.util.Locale.ROOT), value));
            // inputsOnly: without the label, which prediction does without, a TRANSFORM passing it through included
            for (Map<String, Object> instance : List.of(row, inputsOnly, upperCase)) {
                String body = "{\"instances\": [" + Json.MAPPER.writeValueAsString(instance) + "], \"parameters\": {\"threshold\": 0.5}}";
                JsonNode alone = ok("POST", path, body).path("predictions");
                assertThat(alone).hasSize(1);
                assertThat(alone.get(0)).as("row %d as %s", i, instance.keySet()).isEqualTo(batch.get(i));
            }
        }
        Map<String, Object> twice = new java.util.LinkedHashMap<>(rows.get(0));
        String duplicated = Json.MAPPER.writeValueAsString(twice).replaceFirst("\\{", "{\"island\": \"Dream\", ");
        assertThat(error(send("POST", path, "{\"instances\": [" + duplicated + "]}"), 400).path("message").asText()).contains("island");
    }

    @Test
    void lifecycleCreatesDeploysSplitsUndeploysAndDeletes() throws Exception {
        createEndpoint("life", ", \"labels\": {\"team\": \"ml\"}");
        String first = deploy("life", "d.mass@1", "{\"0\": 100}");
        String second = deploy("life", "projects/p/locations/l/models/d.mass@2", null);
        JsonNode endpoint = ok("GET", BASE + "/life", null);
        assertThat(endpoint.path("trafficSplit").path(first).asInt()).isEqualTo(100);
        assertThat(endpoint.path("trafficSplit").has(second)).isFalse();
        assertThat(endpoint.path("deployedModels")).hasSize(2);
        assertThat(endpoint.path("labels").path("team").asText()).isEqualTo("ml");
        assertThat(ok("GET", BASE + "?pageSize=1000", null).path("endpoints").findValuesAsText("displayName")).contains("life");
        // the rule names the real default (probe re: "the default, 0")
        assertThat(error(send("GET", BASE + "?pageSize=-1", null), 400).path("message").asText()).contains("(the default, 50)");

        JsonNode split = error(send("PATCH", BASE + "/life", "{\"trafficSplit\": {\"" + first + "\": 50, \"" + second + "\": 40}}"), 400);
        assertThat(split.path("message").asText()).contains("trafficSplit").contains("sum to 100").contains("90");
        assertThat(split.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("trafficSplit");

        // updateMask: only the named fields change, though the body holds the whole resource (as the Python SDK sends it).
        JsonNode masked = ok("PATCH", BASE + "/life?updateMask=description", "{\"description\": \"hello\", \"trafficSplit\": {}}");
        assertThat(masked.path("description").asText()).isEqualTo("hello");
        assertThat(masked.path("trafficSplit").path(first).asInt()).isEqualTo(100);
        assertThat(ok("PATCH", BASE + "/life?updateMask=labels,display_name", "{\"displayName\": \"life2\", \"description\": \"x\"}")
                .path("labels").size()).isZero();
        assertThat(ok("GET", BASE + "/life", null).path("description").asText()).isEqualTo("hello");
        assertThat(error(send("PATCH", BASE + "/life?updateMask=deployedModels", "{}"), 400).path("details").get(0).path("fieldViolations").get(0).path("field").asText())
                .isEqualTo("updateMask");
        assertThat(error(send("PATCH", BASE + "/life?updateMask=traffic_split", "{}"), 400).path("message").asText())
                .contains("the body must give it");
        assertThat(send("PATCH", BASE + "/life?foo=bar", "{\"description\": \"x\"}").statusCode()).isEqualTo(400);

        JsonNode refused = error(send("POST", BASE + "/life:undeployModel", "{\"deployedModelId\": \"" + first + "\"}"), 400);
        assertThat(refused.path("message").asText()).contains(first).contains("100%");
        assertThat(ok("GET", BASE + "/life", null).path("deployedModels")).as("nothing half-applied").hasSize(2);

        JsonNode deleteEndpoint = error(send("DELETE", BASE + "/life", null), 400);
        assertThat(deleteEndpoint.path("message").asText()).contains("undeploy them first");

        ok("POST", BASE + "/life:undeployModel", "{\"deployedModelId\": \"" + first + "\", \"trafficSplit\": {\"" + second + "\": 100}}");
        JsonNode predicted = ok("POST", BASE + "/life:predict", "{\"instances\": " + instances(1) + "}");
        assertThat(predicted.path("deployedModelId").asText()).isEqualTo(second);
        assertThat(predicted.path("modelVersionId").asText()).isEqualTo("2");

        JsonNode undeployed = ok("POST", BASE + "/life:undeployModel", "{\"deployedModelId\": \"" + second + "\"}");
        JsonNode deleted = ok("DELETE", BASE + "/life", null);
        // each operation carries Vertex's metadata of its kind (probe re: an endpoint's had none)
        assertThat(undeployed.at("/metadata/@type").asText()).isEqualTo("type.googleapis.com/google.cloud.aiplatform.v1.UndeployModelOperationMetadata");
        assertThat(undeployed.at("/metadata/genericMetadata/createTime").asText()).isNotEmpty();
        assertThat(deleted.at("/metadata/@type").asText()).isEqualTo("type.googleapis.com/google.cloud.aiplatform.v1.DeleteOperationMetadata");
        JsonNode gone = error(send("GET", BASE + "/life", null), 404);
        assertThat(gone.path("message").asText()).contains("'life' not found");
    }

    @Test
    void trafficIsSplitByWeightAndAZeroPercentModelIsNeverChosen() throws Exception {
        createEndpoint("canary", "");
        String a = deploy("canary", "d.mass@1", "{\"0\": 100}");
        String b = deploy("canary", "d.mass@2", "{\"0\": 25, \"" + a + "\": 75}");
        String c = deploy("canary", "d.mass@2", null);
        String body = "{\"instances\": " + instances(1) + "}";
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            counts.merge(ok("POST", BASE + "/canary:predict", body).path("deployedModelId").asText(), 1, Integer::sum);
        }
        assertThat(counts.getOrDefault(c, 0)).isZero();
        assertThat(counts.get(b)).isBetween(350, 650);
        assertThat(counts.get(a)).isBetween(1350, 1650);
    }

    /**
     * A model with a TRANSFORM predicts on a request thread, where the handler runs again: the split was drawn once more
     * there, so such a canary at 30 % took 9 % (p², probe qd). The draw is carried to the second run.
     */
    @Test
    void aSplitBetweenModelsWithAndWithoutATransformKeepsItsWeights() throws Exception {
        createEndpoint("mixed", "");
        String plain = deploy("mixed", "d.mass@1", "{\"0\": 100}");
        String transformed = deploy("mixed", "d.scaled", "{\"0\": 30, \"" + plain + "\": 70}");
        String body = "{\"instances\": " + instances(1) + "}";
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            counts.merge(ok("POST", BASE + "/mixed:predict", body).path("deployedModelId").asText(), 1, Integer::sum);
        }
        assertThat(counts.get(transformed)).as("%s", counts).isBetween(480, 720); // 600 expected, sd 20.5; p² gave ~180
        assertThat(counts.get(plain)).isBetween(1280, 1520);
    }

    /** Fields the model does not read are ignored whatever they hold (probe qd: an object or a list of objects was a 400). */
    @Test
    void fieldsTheModelDoesNotReadAreIgnoredWhateverTheyHold() throws Exception {
        createEndpoint("extra", "");
        deploy("extra", "d.mass@1", "{\"0\": 100}");
        String plain = instances(2);
        String extra = plain.replace("{", "{\"note\": {\"a\": 1}, \"tags\": [{\"x\": 1}], ");
        JsonNode expected = ok("POST", BASE + "/extra:predict", "{\"instances\": " + plain + "}").path("predictions");
        assertThat(ok("POST", BASE + "/extra:predict", "{\"instances\": " + extra + "}").path("predictions")).isEqualTo(expected);
        String one = instances(1).replace("{", "{\"note\": {\"a\": 1}, ");
        assertThat(ok("POST", BASE + "/extra:predict", "{\"instances\": " + one + "}").path("predictions").get(0))
                .isEqualTo(expected.get(0));
    }

    /** proto3's JSON takes an int32 as a whole float or a decimal string too, as Vertex does (probe qd: they were 400s). */
    @Test
    void aPercentageIsTakenAsProto3JsonWritesAnInt32() throws Exception {
        createEndpoint("proto", "");
        String a = deploy("proto", "d.mass@1", "{\"0\": \"100\"}");
        String b = deploy("proto", "d.mass@2", "{\"0\": 25.0, \"" + a + "\": \"75\"}");
        assertThat(ok("GET", BASE + "/proto", null).path("trafficSplit").path(b).asInt()).isEqualTo(25);
        for (String bad : List.of("\"30.5\"", "30.5", "\"thirty\"", "true")) {
            JsonNode refused = error(send("PATCH", BASE + "/proto", "{\"trafficSplit\": {\"" + a + "\": " + bad + ", \"" + b + "\": 70}}"), 400);
            assertThat(refused.path("message").asText()).contains("a percentage must be an integer from 0 to 100");
        }
    }

    /** Probe D's findings on the management API: each refusal names the request's own terms and the right status. */
    @Test
    void refusalsNameTheRequestsTermsAndTheRightStatus() throws Exception {
        createEndpoint("rules", "");
        String a = deploy("rules", "d.mass@1", "{\"0\": 100}");
        // a bad split in a deploy names the request's keys, not the id the failed deploy would have had
        JsonNode unknownKey = error(send("POST", BASE + "/rules:deployModel", "{\"deployedModel\": {\"model\": \"d.mass@2\"},"
                + " \"trafficSplit\": {\"1\": 100}}"), 400);
        assertThat(unknownKey.path("message").asText()).isEqualTo("Invalid value for 'trafficSplit': key '1' is not a model deployed to"
                + " this endpoint; keys are '0' for the model being deployed and the deployed model ids [" + a + "]");
        JsonNode badSum = error(send("POST", BASE + "/rules:deployModel", "{\"deployedModel\": {\"model\": \"d.mass@2\"},"
                + " \"trafficSplit\": {\"0\": 50}}"), 400);
        assertThat(badSum.path("message").asText()).endsWith("got 50 in {0=50}");
        assertThat(ok("GET", BASE + "/rules", null).path("deployedModels")).hasSize(1); // nothing half-applied
        // the endpoint's state forbids undeploying a model with traffic (not the last one): FAILED_PRECONDITION, as deleting the
        // endpoint is
        deploy("rules", "d.mass@2", null);
        JsonNode withTraffic = error(send("POST", BASE + "/rules:undeployModel", "{\"deployedModelId\": \"" + a + "\"}"), 400);
        assertThat(withTraffic.path("status").asText()).isEqualTo("FAILED_PRECONDITION");
        assertThat(withTraffic.path("message").asText()).startsWith("Deployed model " + a + " still receives 100% of the traffic");
        JsonNode unknownModel = error(send("POST", BASE + "/rules:undeployModel", "{\"deployedModelId\": \"9999999999\"}"), 404);
        assertThat(unknownModel.path("details").findValuesAsText("reason")).containsExactly("DEPLOYED_MODEL_NOT_FOUND");
        // a nested unknown field is named with its path
        JsonNode parameter = error(send("POST", BASE + "/rules:predict", "{\"instances\": " + instances(1)
                + ", \"parameters\": {\"confidenceThreshold\": 0.5}}"), 400);
        assertThat(parameter.path("message").asText()).startsWith("Invalid value for 'parameters.confidenceThreshold': unknown field");
        // a sampling rate is checked whether or not logging is enabled
        JsonNode rate = error(send("PATCH", BASE + "/rules", "{\"predictRequestResponseLoggingConfig\": {\"enabled\": false,"
                + " \"samplingRate\": 7}}"), 400);
        assertThat(rate.path("message").asText()).isEqualTo("Invalid value for 'predictRequestResponseLoggingConfig.samplingRate': must"
                + " be a number from 0 to 1, got a number (7)");
        // the logs' destination is the one table Lathe writes, or it is refused (it was accepted and replaced)
        JsonNode elsewhere = error(send("PATCH", BASE + "/rules", "{\"predictRequestResponseLoggingConfig\": {\"enabled\": true,"
                + " \"samplingRate\": 0.5, \"bigqueryDestination\": {\"outputUri\": \"bq://mydataset.mytable\"}}}"), 400);
        assertThat(elsewhere.path("message").asText()).startsWith("Invalid value for"
                + " 'predictRequestResponseLoggingConfig.bigqueryDestination.outputUri': got a string (\"bq://mydataset.mytable\");"
                + " Lathe writes every endpoint's logs to one table, lathe_logs.request_response_logging");
        error(send("PATCH", BASE + "/rules", "{\"predictRequestResponseLoggingConfig\": {\"bigqueryDestination\": 42}}"), 400);
        for (String uri : List.of("bq://lathe_logs.request_response_logging", "bq://my-project.lathe_logs.request_response_logging",
                "bq://my-project", "bq://my-project.lathe_logs")) {
            JsonNode updated = ok("PATCH", BASE + "/rules", "{\"predictRequestResponseLoggingConfig\": {\"enabled\": true,"
                    + " \"samplingRate\": 0.5, \"bigqueryDestination\": {\"outputUri\": \"" + uri + "\"}}}");
            assertThat(updated.path("predictRequestResponseLoggingConfig").path("samplingRate").doubleValue()).isEqualTo(0.5);
        }
        assertThat(error(send("GET", BASE + "/rules:predict", null), 405).path("status").asText()).isEqualTo("UNIMPLEMENTED");
        // OIP: nested data must follow the shape, an output is requested once, k-means distances are [N, K] (probe D)
        HttpResponse<String> ragged = send("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [2, 2],"
                + " \"datatype\": \"FP64\", \"data\": [[40.1, 180, 41.0], [190]]}]}");
        assertThat(ragged.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(ragged.body()).path("error").asText()).contains("inputs[0].data").contains("nested as 3");
        HttpResponse<String> twice = send("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2],"
                + " \"datatype\": \"FP64\", \"data\": [[40.1, 180]]}], \"outputs\": [{\"name\": \"CENTROID_ID\"}, {\"name\": \"CENTROID_ID\"}]}");
        assertThat(Json.MAPPER.readTree(twice.body()).path("error").asText()).contains("outputs[1].name").contains("requested twice");
        assertThat(ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP64\","
                + " \"data\": [[40.1, 180]]}]}").path("outputs").findValuesAsText("name")).contains("CENTROID_ID");
        assertThat(ok("GET", "/v2/models/d.km", null).path("outputs").get(2).path("shape").toString()).isEqualTo("[-1,3]");
        // tensor names match columns regardless of case, as :predict's fields and ML.PREDICT's columns do (probe H)
        assertThat(ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"BILL_LENGTH_MM\", \"shape\": [1], \"datatype\": \"FP64\","
                + " \"data\": [40.1]}, {\"name\": \"Flipper_Length_MM\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [180]}]}")
                .path("outputs").get(0).path("data")).isEqualTo(ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\","
                + " \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [[40.1, 180]]}]}").path("outputs").get(0).path("data"));
        // the non-finite FLOAT64s as BigQuery's JSON (and Lathe's answers) write them, in a tensor and in an instance (probe H)
        assertThat(ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP64\","
                + " \"data\": [[\"NaN\", 180]]}]}").path("outputs").findValuesAsText("name")).contains("CENTROID_ID");
        assertThat(ok("POST", BASE + "/rules:predict", "{\"instances\": [{\"species\": \"Adelie\", \"island\": \"Dream\", \"bill_length_mm\": 39.1,"
                + " \"bill_depth_mm\": \"NaN\", \"flipper_length_mm\": 181, \"sex\": \"male\"}]}").path("predictions")).hasSize(1);
        assertThat(error(send("GET", BASE + "?pageToken=garbage", null), 400).path("message").asText()).contains("pageToken");
        // :update takes Vertex's UpdateEndpointLongRunningRequest, {"endpoint": {...}}, and the bare Endpoint
        assertThat(ok("POST", BASE + "/rules:update", "{\"endpoint\": {\"displayName\": \"wrapped\"}}").path("response")
                .path("displayName").asText()).isEqualTo("wrapped");
        assertThat(ok("POST", BASE + "/rules:update", "{\"displayName\": \"bare\"}").path("response").path("displayName").asText())
                .isEqualTo("bare");
    }

    @Test
    void changingTheSplitWhileRequestsRunFailsNoRequest() throws Exception {
        createEndpoint("swap", "");
        String a = deploy("swap", "d.mass@1", "{\"0\": 100}");
        String b = deploy("swap", "d.mass@2", null);
        String body = "{\"instances\": " + instances(2) + "}";
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<Integer>> failures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            failures.add(clients.submit(() -> {
                int failed = 0;
                while (running.get()) {
                    if (send("POST", BASE + "/swap:predict", body).statusCode() != 200) {
                        failed++;
                    }
                }
                return failed;
            }));
        }
        for (int i = 0; i < 20; i++) {
            String split = i % 2 == 0 ? "{\"" + a + "\": 30, \"" + b + "\": 70}" : "{\"" + a + "\": 100, \"" + b + "\": 0}";
            ok("PATCH", BASE + "/swap", "{\"trafficSplit\": " + split + "}");
        }
        running.set(false);
        for (Future<Integer> failed : failures) {
            assertThat(failed.get()).isZero();
        }
        clients.shutdown();
    }

    /**
     * Probe O: racing management calls answered 500 for changes that had committed: a deploy whose model another client
     * undeployed at once (NoSuchElementException), an update of an endpoint another client deleted (NullPointerException),
     * and, on a busy endpoint, a change that lost to others on every retry. Each answers what its own transaction did, a
     * 404 for an endpoint or model gone before it ran, or 409 ABORTED; never 500.
     */
    @Test
    void racingManagementCallsAnswerWhatTheyDidAndNever500() throws Exception {
        createEndpoint("race", "");
        deploy("race", "d.mass@1", null);
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> results = new ArrayList<>();
        java.util.function.Predicate<HttpResponse<String>> failed = r -> r.statusCode() >= 500;
        // deploys without traffic, and undeploys of whatever takes none
        results.add(repeat(clients, running, failed, () -> List.of(send("POST", BASE + "/race:deployModel",
                "{\"deployedModel\": {\"model\": \"d.mass@2\"}, \"trafficSplit\": {}}"))));
        results.add(repeat(clients, running, failed, () -> {
            List<HttpResponse<String>> answers = new ArrayList<>();
            JsonNode endpoint = Json.MAPPER.readTree(send("GET", BASE + "/race", null).body());
            for (JsonNode model : endpoint.path("deployedModels")) {
                if (endpoint.path("trafficSplit").path(model.path("id").asText()).asInt(0) == 0) {
                    answers.add(send("POST", BASE + "/race:undeployModel", "{\"deployedModelId\": \"" + model.path("id").asText() + "\"}"));
                }
            }
            return answers;
        }));
        // updates of an endpoint that another client deletes and creates again
        results.add(repeat(clients, running, r -> r.statusCode() != 200 && r.statusCode() != 404 && r.statusCode() != 409,
                () -> List.of(send("PATCH", BASE + "/gone?updateMask=displayName", "{\"displayName\": \"x\"}"))));
        results.add(repeat(clients, running, failed, () -> {
            send("POST", BASE + "?endpointId=gone", "{\"displayName\": \"gone\"}");
            return List.of(send("DELETE", BASE + "/gone", null));
        }));
        Thread.sleep(4_000);
        running.set(false);
        for (Future<List<String>> bad : results) {
            assertThat(bad.get()).isEmpty();
        }
        clients.shutdown();
        // a stale etag is AIP-154's ABORTED, 409
        JsonNode endpoint = ok("GET", BASE + "/race", null);
        ok("PATCH", BASE + "/race?updateMask=displayName", "{\"displayName\": \"r1\"}");
        JsonNode stale = error(send("PATCH", BASE + "/race?updateMask=displayName", "{\"displayName\": \"r2\", \"etag\": \""
                + endpoint.path("etag").asText() + "\"}"), 409);
        assertThat(stale.path("status").asText()).isEqualTo("ABORTED");
    }

    /** Runs {@code step} until {@code running} is cleared; answers the status and body of each answer {@code bad} picks. */
    private static Future<List<String>> repeat(ExecutorService clients, AtomicBoolean running,
            java.util.function.Predicate<HttpResponse<String>> bad, java.util.concurrent.Callable<List<HttpResponse<String>>> step) {
        return clients.submit(() -> {
            List<String> failures = new ArrayList<>();
            while (running.get()) {
                for (HttpResponse<String> answer : step.call()) {
                    if (bad.test(answer)) {
                        failures.add(answer.statusCode() + " " + answer.body());
                    }
                }
            }
            return failures;
        });
    }

    /** Probe R: gcloud sends a resource block with every deploy; labels follow Vertex's rule (they were not checked at all). */
    @Test
    void deployTakesVertexResourceBlocksAndLabelsFollowVertexsRule() throws Exception {
        createEndpoint("sized", ", \"labels\": {\"équipe\": \"zoé\"}");
        JsonNode operation = ok("POST", BASE + "/sized:deployModel", "{\"deployedModel\": {\"model\": \"d.mass@1\", \"dedicatedResources\":"
                + " {\"machineSpec\": {\"machineType\": \"n1-standard-2\"}, \"minReplicaCount\": 1}, \"disableExplanations\": true}}");
        assertThat(operation.path("response").path("deployedModel").path("id").asText()).hasSize(10);
        // MutateDeployedModel (spec 1.3) takes resource changes, which have no effect here, and answers the deployed model
        String sizedId = operation.path("response").path("deployedModel").path("id").asText();
        JsonNode mutated = ok("POST", BASE + "/sized:mutateDeployedModel", "{\"deployedModel\": {\"id\": \"" + sizedId
                + "\", \"dedicatedResources\": {\"minReplicaCount\": 2}}, \"updateMask\": \"dedicated_resources.min_replica_count\"}");
        assertThat(mutated.path("response").path("deployedModel").path("id").asText()).isEqualTo(sizedId);
        assertThat(error(send("POST", BASE + "/sized:mutateDeployedModel", "{\"deployedModel\": {\"id\": \"" + sizedId
                + "\", \"model\": \"d.mass@2\"}}"), 400).path("message").asText()).contains("not a field MutateDeployedModel changes");
        assertThat(send("POST", BASE + "/sized:mutateDeployedModel", "{\"deployedModel\": {\"id\": \"1\"}}").statusCode()).isEqualTo(404);
        // the operation can be read again by its name (gcloud's waiter polls it)
        assertThat(ok("GET", "/v1/" + operation.path("name").asText(), null)).isEqualTo(operation);
        assertThat(error(send("GET", "/v1/projects/p/locations/us-central1/operations/nope", null), 404).path("message").asText())
                .contains("is not known");
        assertThat(ok("GET", BASE + "/sized?%24alt=json%3Benum-encoding%3Dint", null).path("labels").path("équipe").asText()).isEqualTo("zoé");
        // ListEndpoints' AIP-160 filter (it was a 400)
        java.util.function.Function<String, List<String>> listed = filter -> {
            try {
                return ok("GET", BASE + "?pageSize=1&filter=" + java.net.URLEncoder.encode(filter, java.nio.charset.StandardCharsets.UTF_8), null)
                        .path("endpoints").valueStream().map(e -> e.path("displayName").asText()).toList();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertThat(listed.apply("labels.équipe=zoé")).containsExactly("sized");
        assertThat(listed.apply("labels:équipe AND display_name=\"sized\"")).containsExactly("sized");
        assertThat(listed.apply("labels.équipe=other")).isEmpty();
        // display_name="..." is exact (AIP-160 =), as for models and batch jobs; it ignored case (probe ub F8)
        assertThat(listed.apply("display_name=\"sized\"")).containsExactly("sized");
        assertThat(listed.apply("display_name=\"SIZED\"")).isEmpty();
        assertThat(listed.apply("SIZED")).containsExactly("sized"); // free text still ignores case
        assertThat(error(send("GET", BASE + "?filter=create_time%3E1", null), 400).path("message").asText()).contains("labels.<key>=<value>");
        JsonNode bad = error(send("POST", BASE + "?endpointId=badlabels", "{\"displayName\": \"x\", \"labels\": {\"Team\": \"x\"}}"), 400);
        assertThat(bad.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("labels.Team");
        assertThat(error(send("POST", BASE + "/sized:deployModel", "{\"deployedModel\": {\"model\": \"d.mass@1\", \"machine\": 1}}"), 400)
                .path("message").asText()).contains("dedicatedResources");
    }

    /** An array feature of another length than training's is a 400 naming the instance's field, not "an input row". */
    @Test
    void anArrayOfAnotherLengthNamesItsInstance() throws Exception {
        createEndpoint("arrays", "");
        deploy("arrays", "d.tags", "{\"0\": 100}");
        JsonNode wrong = error(send("POST", BASE + "/arrays:predict", "{\"instances\": [{\"tags\": [\"t1\"], \"v\": [1.0]},"
                + " {\"tags\": [\"t0\"], \"v\": [1.0, 2.0]}]}"), 400);
        assertThat(wrong.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(wrong.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("instances[1].v");
        assertThat(wrong.path("message").asText()).startsWith("instances[1].v is an array of 2 elements, [1.0, 2.0], but must have 1");
    }

    @Test
    void badInputAnswers4xxNamingTheFieldAndTheServerStaysUp() throws Exception {
        createEndpoint("strict", "");
        deploy("strict", "d.mass", "{\"0\": 100}");
        String path = BASE + "/strict:predict";
        assertThat(error(send("POST", path, "{\"instances\": [{"), 400).path("message").asText()).contains("not valid JSON").contains("line 1")
                .contains("start marker at line 1, column 16").doesNotContain("Source:");
        JsonNode missing = error(send("POST", path, "{\"instances\": [{\"island\": \"Dream\"}]}"), 400);
        assertThat(missing.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).startsWith("instances[0].");
        Map<String, Object> row = new HashMap<>(rows("SELECT * EXCLUDE (year) FROM d.penguins ORDER BY ALL LIMIT 1").get(0));
        row.put("flipper_length_mm", "long");
        JsonNode wrongType = error(send("POST", path, "{\"instances\": [" + Json.MAPPER.writeValueAsString(row) + "]}"), 400);
        assertThat(wrongType.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("instances[0].flipper_length_mm");
        assertThat(wrongType.path("message").asText()).contains("must be a number");
        String instance = Json.MAPPER.writeValueAsString(rows("SELECT * EXCLUDE (year) FROM d.penguins ORDER BY ALL LIMIT 1").get(0));
        JsonNode infinite = error(send("POST", path, "{\"instances\": [" + instance.replaceFirst("\"flipper_length_mm\":[0-9.]+",
                "\"flipper_length_mm\":1e400") + "]}"), 400);
        assertThat(infinite.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("instances[0].flipper_length_mm");
        assertThat(infinite.path("message").asText()).contains("beyond the range of a FLOAT64").contains("must be a finite number");
        assertThat(error(send("POST", path, "{\"instances\": []}"), 400).path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("instances");
        assertThat(error(send("POST", BASE + "/nowhere:predict", "{\"instances\": [{}]}"), 404).path("message").asText()).contains("nowhere");
        JsonNode unknownModel = error(send("POST", BASE + "/strict:deployModel", "{\"deployedModel\": {\"model\": \"d.nope\"}}"), 404);
        assertThat(unknownModel.path("message").asText()).contains("d.nope");
        String big = "{\"instances\": [" + ("{\"island\": \"" + "x".repeat(1000) + "\"},").repeat(80) + "{}]}";
        assertThat(send("POST", path, big).statusCode()).isEqualTo(413);
        // Under /v2 the server's own errors have the Open Inference Protocol's shape too: {"error": "<message>"}.
        HttpResponse<String> oversized = send("POST", "/v2/models/strict/infer", big);
        assertThat(oversized.statusCode()).isEqualTo(413);
        assertThat(Json.MAPPER.readTree(oversized.body()).path("error").isTextual()).isTrue();
        HttpResponse<String> wrongMethod = send("POST", "/v2/models/d.mass", "{}");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(Json.MAPPER.readTree(wrongMethod.body()).path("error").asText()).contains("not allowed");
        assertThat(send("GET", "/healthz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void deletingADeployedVersionIsRefusedNamingTheEndpoint() throws Exception {
        createEndpoint("guard", "");
        deploy("guard", "d.species", "{\"0\": 100}");
        assertThatThrownBy(() -> session.execute("DROP MODEL d.species", (text, result) -> {}))
                .isInstanceOf(LatheException.class).hasMessageContaining("guard").hasMessageContaining("undeploy");
        assertThatThrownBy(() -> platform.registry().deleteVersion("d", "species", 1)).hasMessageContaining("guard");
    }

    @Test
    void rawPredictAnswersWithoutEnvelopeButWithHeaders() throws Exception {
        createEndpoint("raw", "");
        String id = deploy("raw", "d.mass", "{\"0\": 100}");
        HttpResponse<String> response = send("POST", BASE + "/raw:rawPredict", "{\"instances\": " + instances(2) + "}");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Vertex-AI-Deployed-Model-Id")).hasValue(id);
        assertThat(response.headers().firstValue("X-Vertex-AI-Endpoint-Id")).hasValue("raw");
        JsonNode body = Json.MAPPER.readTree(response.body());
        assertThat(body.path("predictions")).hasSize(2);
        assertThat(body.has("deployedModelId")).isFalse();
    }

    /** Probe D: an endpoint splitting between models with other inputs describes what every one of them needs. */
    @Test
    void openInferenceMetadataOfASplitEndpointListsEveryInputItsModelsRead() throws Exception {
        createEndpoint("mix", "");
        String mass = deploy("mix", "d.mass", "{\"0\": 100}");
        String species = deploy("mix", "d.species", "{\"0\": 50, \"" + mass + "\": 50}");
        JsonNode metadata = ok("GET", "/v2/models/mix", null);
        assertThat(metadata.path("inputs").findValuesAsText("name")).containsExactlyInAnyOrder("species", "island", "bill_length_mm",
                "bill_depth_mm", "flipper_length_mm", "sex", "body_mass_g");
        assertThat(metadata.path("outputs").findValuesAsText("name")).contains("predicted_body_mass_g", "predicted_species");
        assertThat(ok("GET", "/v2/models/mix/versions/" + species, null).path("inputs").findValuesAsText("name")).doesNotContain("species");
        List<Map<String, Object>> rows = rows("SELECT * EXCLUDE (year) FROM d.penguins WHERE sex IS NOT NULL ORDER BY ALL LIMIT 1");
        StringBuilder inputs = new StringBuilder();
        for (JsonNode input : metadata.path("inputs")) {
            String column = input.path("name").asText();
            inputs.append(inputs.isEmpty() ? "" : ",").append("{\"name\": \"").append(column).append("\", \"shape\": [1], \"datatype\": \"")
                    .append(input.path("datatype").asText()).append("\", \"data\": ")
                    .append(Json.MAPPER.writeValueAsString(List.of(rows.get(0).get(column)))).append("}");
        }
        java.util.Set<String> answered = new java.util.HashSet<>();
        for (int i = 0; i < 40; i++) { // what the metadata lists is served by both models
            answered.add(ok("POST", "/v2/models/mix/infer", "{\"inputs\": [" + inputs + "]}").path("model_version").asText());
        }
        assertThat(answered).containsExactlyInAnyOrder(mass, species);
    }

    @Test
    void openInferenceProtocolInferEqualsVertexPredict() throws Exception {
        createEndpoint("oip", "");
        deploy("oip", "d.mass", "{\"0\": 100}");
        JsonNode vertex = ok("POST", BASE + "/oip:predict", "{\"instances\": " + instances(3) + "}");
        List<Map<String, Object>> rows = rows("SELECT * EXCLUDE (year) FROM d.penguins ORDER BY ALL LIMIT 3");
        StringBuilder inputs = new StringBuilder();
        for (String column : List.of("species", "island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "sex")) {
            boolean text = rows.get(0).get(column) instanceof String;
            inputs.append(inputs.isEmpty() ? "" : ",").append("{\"name\": \"").append(column).append("\", \"shape\": [3], \"datatype\": \"")
                    .append(text ? "BYTES" : "FP64").append("\", \"data\": ")
                    .append(Json.MAPPER.writeValueAsString(rows.stream().map(r -> r.get(column)).toList())).append("}");
        }
        String body = "{\"id\": \"r1\", \"inputs\": [" + inputs + "]}";
        for (String name : List.of("oip", "d.mass")) {
            JsonNode infer = ok("POST", "/v2/models/" + name + "/infer", body);
            assertThat(infer.path("id").asText()).isEqualTo("r1");
            // without an id the answer carries the request's own (its X-Request-Id), as KServe's servers do
            HttpResponse<String> unnamed = send("POST", "/v2/models/" + name + "/infer", body.replace("\"id\": \"r1\", ", ""));
            assertThat(Json.MAPPER.readTree(unnamed.body()).path("id").asText()).isNotEmpty()
                    .isEqualTo(unnamed.headers().firstValue("X-Request-Id").orElseThrow());
            // a number is echoed as its text; an object is refused, not replaced without a word (probe qd)
            assertThat(ok("POST", "/v2/models/" + name + "/infer", body.replace("\"r1\"", "42")).path("id").asText()).isEqualTo("42");
            HttpResponse<String> objectId = send("POST", "/v2/models/" + name + "/infer", body.replace("\"r1\"", "{\"n\": 1}"));
            assertThat(objectId.statusCode()).isEqualTo(400);
            assertThat(objectId.body()).contains("'id'", "must be a string");
            JsonNode output = infer.path("outputs").get(0);
            assertThat(output.path("name").asText()).isEqualTo("predicted_body_mass_g");
            assertThat(output.path("datatype").asText()).isEqualTo("FP64");
            for (int i = 0; i < 3; i++) {
                assertThat(output.path("data").get(i).doubleValue()).isEqualTo(vertex.path("predictions").get(i).path("predicted_body_mass_g").doubleValue());
            }
        }
        // A TRANSFORM model predicts through DuckDB, so its request leaves the network thread first: same answers.
        createEndpoint("oipt", "");
        deploy("oipt", "d.scaled", "{\"0\": 100}");
        JsonNode scaledVertex = ok("POST", BASE + "/oipt:predict", "{\"instances\": " + instances(3) + "}");
        StringBuilder scaledInputs = new StringBuilder();
        // Its TRANSFORM passes the label through; the model's inputs leave it out, as ML.PREDICT's input may.
        assertThat(ok("GET", "/v2/models/d.scaled", null).path("inputs").findValuesAsText("name")).containsExactly("island", "flipper_length_mm");
        for (String column : List.of("island", "flipper_length_mm")) {
            boolean text = rows.get(0).get(column) instanceof String;
            scaledInputs.append(scaledInputs.isEmpty() ? "" : ",").append("{\"name\": \"").append(column).append("\", \"shape\": [3], ")
                    .append("\"datatype\": \"").append(text ? "BYTES" : "FP64").append("\", \"data\": ")
                    .append(Json.MAPPER.writeValueAsString(rows.stream().map(r -> r.get(column)).toList())).append("}");
        }
        JsonNode scaledInfer = ok("POST", "/v2/models/oipt/infer", "{\"inputs\": [" + scaledInputs + "]}").path("outputs").get(0);
        for (int i = 0; i < 3; i++) {
            assertThat(scaledInfer.path("data").get(i).doubleValue())
                    .isEqualTo(scaledVertex.path("predictions").get(i).path("predicted_body_mass_g").doubleValue());
        }
        // Array features: a BYTES tensor of JSON arrays as text, as the metadata's BYTES [-1] says (probe rc: no form was taken)
        JsonNode tagged = ok("POST", "/v2/models/d.tags/infer", "{\"inputs\": [{\"name\": \"tags\", \"shape\": [2], \"datatype\": \"BYTES\","
                + " \"data\": [\"[\\\"t1\\\"]\", \"[\\\"t2\\\", \\\"t0\\\"]\"]}, {\"name\": \"v\", \"shape\": [2], \"datatype\": \"BYTES\","
                + " \"data\": [\"[3]\", \"[1.5]\"]}]}").path("outputs").get(0).path("data");
        assertThat(tagged.get(0).doubleValue()).isEqualTo((Double) rows("SELECT predicted_y FROM ML.PREDICT(MODEL d.tags,"
                + " (SELECT ['t1'] AS tags, [3.0] AS v))").get(0).get("predicted_y"));
        assertThat(tagged.get(1).doubleValue()).isEqualTo((Double) rows("SELECT predicted_y FROM ML.PREDICT(MODEL d.tags,"
                + " (SELECT ['t2', 't0'] AS tags, [1.5] AS v))").get(0).get("predicted_y"));
        HttpResponse<String> notJson = send("POST", "/v2/models/d.tags/infer", "{\"inputs\": [{\"name\": \"tags\", \"shape\": [1],"
                + " \"datatype\": \"BYTES\", \"data\": [\"t1\"]}, {\"name\": \"v\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"[1]\"]}]}");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("element 0 of 'tags' (ARRAY<STRING>) must be a JSON array as text in a BYTES tensor");
        // A wrong value is named in this protocol's terms: the tensor and element, not :predict's instances[i].field.
        String numericSex = body.replaceFirst("\\{\"name\": \"sex\"[^}]*\\}",
                "{\"name\": \"sex\", \"shape\": [3], \"datatype\": \"FP64\", \"data\": [1, 2, 3]}");
        HttpResponse<String> numeric = send("POST", "/v2/models/oip/infer", numericSex);
        assertThat(numeric.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(numeric.body()).path("error").asText()).startsWith("inputs[5] (sex) element 0 is 1")
                .doesNotContain("instances[");
        // A requested output the model lacks, a tensor given twice and an empty batch are refused, naming the field.
        HttpResponse<String> unknownOutput = send("POST", "/v2/models/oip/infer", body.replaceFirst("\\}$", ", \"outputs\": [{\"name\": \"nope\"}]}"));
        assertThat(unknownOutput.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(unknownOutput.body()).path("error").asText()).contains("outputs[0].name").contains("'nope'");
        String twice = body.replaceFirst("\\]\\}$", ", {\"name\": \"island\", \"shape\": [3], \"datatype\": \"BYTES\", \"data\": [\"a\", \"b\", \"c\"]}]}");
        assertThat(Json.MAPPER.readTree(send("POST", "/v2/models/oip/infer", twice).body()).path("error").asText()).contains("given twice");
        assertThat(Json.MAPPER.readTree(send("POST", "/v2/models/oip/infer", "{\"inputs\": [{\"name\": \"island\", \"shape\": [0],"
                + " \"datatype\": \"BYTES\", \"data\": []}]}").body()).path("error").asText()).contains("no rows");
        // Tensors the model does not read are ignored, as :predict ignores such instance fields.
        assertThat(ok("POST", "/v2/models/oipt/infer", body).path("outputs").get(0).path("data")).isEqualTo(scaledInfer.path("data"));
        JsonNode metadata = ok("GET", "/v2/models/d.species", null);
        assertThat(metadata.path("platform").asText()).isEqualTo("lathe");
        assertThat(metadata.path("inputs").findValuesAsText("name")).contains("island", "body_mass_g");
        // A registry model's metadata lists every version (each is addressable as /versions/{n}), not the default only.
        assertThat(ok("GET", "/v2/models/d.mass", null).path("versions").toString()).isEqualTo("[\"1\",\"2\"]");
        assertThat(send("GET", "/v2/models/oip/ready", null).statusCode()).isEqualTo(200);
        // a version the endpoint does not have: 404 as on metadata and infer, not "not ready yet" (probe qd)
        assertThat(send("GET", "/v2/models/oip/versions/123/ready", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/models/oip/versions/123", null).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/v2/health/ready", null).statusCode()).isEqualTo(200);
        HttpResponse<String> bad = send("POST", "/v2/models/oip/infer", "{\"inputs\": [{\"name\": \"island\", \"shape\": [1], \"datatype\": \"BYTES\", \"data\": [\"Dream\"]}]}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(bad.body()).path("error").asText()).contains("lacks input");
        // An integer tensor holds whole numbers its datatype can hold.
        for (String datatype : List.of("INT64\", \"data\": [181.7]", "UINT8\", \"data\": [300]", "INT8\", \"data\": [-129]")) {
            HttpResponse<String> wrong = send("POST", "/v2/models/oipt/infer", "{\"inputs\": [{\"name\": \"island\", \"shape\": [1],"
                    + " \"datatype\": \"BYTES\", \"data\": [\"Dream\"]}, {\"name\": \"flipper_length_mm\", \"shape\": [1], \"datatype\": \""
                    + datatype + "}]}");
            assertThat(wrong.statusCode()).as(datatype).isEqualTo(400);
            assertThat(Json.MAPPER.readTree(wrong.body()).path("error").asText()).contains("inputs[1].data").contains("is a whole number in");
        }
        assertThat(send("POST", "/v2/models/oipt/infer", "{\"inputs\": [{\"name\": \"island\", \"shape\": [1], \"datatype\": \"BYTES\","
                + " \"data\": [\"Dream\"]}, {\"name\": \"flipper_length_mm\", \"shape\": [1], \"datatype\": \"UINT8\", \"data\": [181.0]}]}")
                .statusCode()).isEqualTo(200);
    }

    /** Probe sa: a missing INT64 input of an imported model was said to be FLOAT64, and to take null, which it refuses. */
    @Test
    void aMissingImportedInputIsNamedWithTheModelsType() throws Exception {
        createEndpoint("ints", "");
        deploy("ints", "d.ints", "{\"0\": 100}");
        String path = BASE + "/ints:predict";
        assertThat(ok("POST", path, "{\"instances\": [{\"a\": 2, \"B\": -3}]}").path("predictions").get(0).path("sum").asDouble())
                .isEqualTo(-1.0);
        JsonNode missing = error(send("POST", path, "{\"instances\": [{\"a\": 2, \"b\": 1}, {\"a\": 1}]}"), 400);
        assertThat(missing.path("message").asText()).isEqualTo("instances[1] lacks field 'b' (INT64); send a whole number from"
                + " -2147483648 to 2147483647 (the model reads it as an integer tensor, which has no missing value)");
        assertThat(missing.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("instances[1].b");
    }

    /** Probe sa: a value an ONNX integer tensor refuses (null, 2.5) was a 400 saying "in a row", naming no instance or field. */
    @Test
    void aValueAnIntegerTensorRefusesIsNamedAsTheInstancesField() throws Exception {
        createEndpoint("wholes", "");
        deploy("wholes", "d.ints", "{\"0\": 100}");
        String path = BASE + "/wholes:predict";
        JsonNode empty = error(send("POST", path, "{\"instances\": [{\"a\": 2, \"b\": 1}, {\"a\": 1, \"b\": null}]}"), 400);
        assertThat(empty.path("message").asText()).isEqualTo("instances[1].b is null but must be a whole number from -2147483648 to"
                + " 2147483647: the ONNX model reads b as an INT32 tensor, which has no missing value (column type INT64)");
        assertThat(empty.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("instances[1].b");
        JsonNode fraction = error(send("POST", path, "{\"instances\": [{\"A\": 2.5, \"b\": 1}]}"), 400);
        assertThat(fraction.path("message").asText()).startsWith("instances[0].a is 2.5 but must be a whole number from -2147483648");
        assertThat(fraction.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("instances[0].a");
        // the Open Inference Protocol names the tensor and element instead
        HttpResponse<String> infer = send("POST", "/v2/models/d.ints/infer", "{\"inputs\": [{\"name\": \"a\", \"shape\": [2],"
                + " \"datatype\": \"FP64\", \"data\": [1, 2]}, {\"name\": \"b\", \"shape\": [2], \"datatype\": \"FP64\", \"data\": [3, 4e9]}]}");
        assertThat(infer.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(infer.body()).path("error").asText())
                .startsWith("inputs[1] (b) element 1 is 4.0E9 but must be a whole number from -2147483648 to 2147483647");
    }

    /** Array features travel as JSON arrays; a field the model does not read may hold one too. */
    @Test
    void arrayFeaturesArePredictedOnline() throws Exception {
        createEndpoint("tagged", "");
        deploy("tagged", "d.tags", "{\"0\": 100}");
        JsonNode predicted = ok("POST", BASE + "/tagged:predict",
                "{\"instances\": [{\"tags\": [\"t2\"], \"v\": [4], \"note\": [1, 2]}, {\"tags\": null, \"v\": [null]}]}");
        double online = predicted.path("predictions").get(0).path("predicted_y").asDouble();
        double sql = (double) rows("SELECT predicted_y FROM ML.PREDICT(MODEL d.tags, (SELECT ['t2'] AS tags, [4.0] AS v))").get(0)
                .get("predicted_y");
        assertThat(online).isEqualTo(sql);
        assertThat(error(send("POST", BASE + "/tagged:predict", "{\"instances\": [{\"tags\": [[\"t2\"]], \"v\": [4]}]}"), 400)
                .path("message").asText()).contains("instances[0].tags[0]");
    }

    /**
     * Probe tb F3: an instance naming one input twice in different case is refused, naming both, on every :predict path
     * (one instance, several, a TRANSFORM's, an imported model's) and on :explain, as OIP refuses two such tensors and
     * :predict an exactly repeated field. One of the two was used, picked by the instance map's hash order.
     */
    @Test
    void anInstanceGivingOneInputInTwoCasesIsRefused() throws Exception {
        for (String model : List.of("species", "scaled", "onnx")) {
            createEndpoint("cased-" + model, "");
            deploy("cased-" + model, "d." + model, "{\"0\": 100}");
        }
        String rest = "\"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7, \"flipper_length_mm\": 181, \"body_mass_g\": 3750, \"sex\": \"male\"";
        for (String fields : List.of("\"ISLAND\": \"Dream\", \"Island\": \"Biscoe\"", "\"island\": \"Dream\", \"ISLAND\": \"Biscoe\"",
                "\"Island\": \"Biscoe\", \"island\": \"Dream\"")) {
            String instance = "{" + fields + ", " + rest + "}";
            for (String endpoint : List.of("cased-species", "cased-scaled")) {
                for (String instances : List.of("[" + instance + "]", "[{\"island\": \"Torgersen\", " + rest + "}, " + instance + "]")) {
                    for (String verb : List.of(":predict", ":explain")) {
                        JsonNode error = error(send("POST", BASE + "/" + endpoint + verb, "{\"instances\": " + instances + "}"), 400);
                        int row = instances.startsWith("[{\"island\": \"Torgersen\"") ? 1 : 0;
                        assertThat(error.path("message").asText()).as(endpoint + verb + " " + instances)
                                .startsWith("instances[" + row + "].island is given 2 times, as '")
                                .contains("regardless of case").contains("give it once");
                        for (String name : fields.replaceAll("\"([A-Za-z]+)\": \"[A-Za-z]+\"", "$1").split(", ")) {
                            assertThat(error.path("message").asText()).contains("'" + name + "'");
                        }
                        assertThat(error.at("/details/0/fieldViolations/0/field").asText()).isEqualTo("instances[" + row + "].island");
                    }
                }
            }
        }
        // an imported model's input, and a field given in another case alone still matches
        assertThat(error(send("POST", BASE + "/cased-onnx:predict", "{\"instances\": [{" + rest + ", \"BILL_LENGTH_MM\": 40}]}"), 400)
                .path("message").asText()).startsWith("instances[0].bill_length_mm is given 2 times, as 'BILL_LENGTH_MM' and 'bill_length_mm'");
        JsonNode upper = ok("POST", BASE + "/cased-species:predict", "{\"instances\": [{\"ISLAND\": \"Dream\", " + rest + "}]}");
        JsonNode exact = ok("POST", BASE + "/cased-species:predict", "{\"instances\": [{\"island\": \"Dream\", " + rest + "}]}");
        assertThat(upper.path("predictions")).isEqualTo(exact.path("predictions"));
        // probe tb F9: a bare NaN is told the strings that stand for it, in Google's error shape and in OIP's
        assertThat(error(send("POST", BASE + "/cased-species:predict", "{\"instances\": [{\"island\": NaN}]}"), 400).path("message").asText())
                .contains("a bare NaN is not a JSON value").contains("\"NaN\", \"Infinity\" or \"-Infinity\"");
        assertThat(oipError(inferMatrix("d.km", "[1, 2]", "[40, -Infinity]"), 400)).contains("a bare -Infinity is not a JSON value");
        // fields the model does not read are ignored, whatever their case
        assertThat(ok("POST", BASE + "/cased-species:predict", "{\"instances\": [{\"island\": \"Dream\", \"note\": 1, \"NOTE\": 2, " + rest + "}]}")
                .path("predictions")).isEqualTo(exact.path("predictions"));
    }

    /** One [N, F] tensor, d.km's two inputs or d.scaled's (a TRANSFORM), with {@code shape} and {@code data}. */
    private HttpResponse<String> inferMatrix(String model, String shape, String data) throws Exception {
        return send("POST", "/v2/models/" + model + "/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": " + shape
                + ", \"datatype\": \"FP64\", \"data\": " + data + "}]}");
    }

    /** The OIP error's message, checking the status and that it is OIP's {"error": "..."}. */
    private String oipError(HttpResponse<String> response, int status) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode error = Json.MAPPER.readTree(response.body()).path("error");
        assertThat(error.isTextual()).as(response.body()).isTrue();
        return error.textValue();
    }

    /** Probe tb F4: a load balancer's or uptime checker's HEAD on the OIP GET routes is answered as GET, without the body. */
    @Test
    void openInferenceProtocolGetRoutesAnswerHead() throws Exception {
        for (String path : List.of("/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/d.km", "/v2/models/d.km/ready",
                "/v2/models/d.km/versions/1", "/v2/models/nowhere", BASE + "/nowhere")) {
            HttpResponse<String> get = send("GET", path, null);
            HttpResponse<String> head = send("HEAD", path, null);
            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValueAsLong("Content-Length")).as(path).hasValue(get.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
        }
        assertThat(send("HEAD", "/v2/models/d.km/infer", null).headers().firstValue("Allow")).contains("POST");
    }

    /** Probe tb F5: a gzip body (as Triton's clients send one) is predicted as the plain one; a br body is a 415 in OIP's shape. */
    @Test
    void aCompressedPredictionRequestIsAnsweredAsThePlainOne() throws Exception {
        createEndpoint("zipped", "");
        deploy("zipped", "d.species", "{\"0\": 100}");
        for (String path : List.of(BASE + "/zipped:predict", "/v2/models/d.km/infer")) {
            String body = path.startsWith("/v2") ? "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP64\", \"data\": [40.1, 180]}]}"
                    : "{\"instances\": " + instances(3) + "}";
            java.io.ByteArrayOutputStream zipped = new java.io.ByteArrayOutputStream();
            try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(zipped)) {
                out.write(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            HttpResponse<String> gzip = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                    .header("Content-Type", "application/json").header("Content-Encoding", "gzip")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(zipped.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(gzip.statusCode()).as(gzip.body()).isEqualTo(200);
            String field = path.startsWith("/v2") ? "outputs" : "predictions";
            assertThat(Json.MAPPER.readTree(gzip.body()).path(field)).isEqualTo(ok("POST", path, body).path(field));
        }
        HttpResponse<String> brotli = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v2/models/d.km/infer"))
                .header("Content-Encoding", "br").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(oipError(brotli, 415)).contains("Content-Encoding 'br' is not supported");
    }

    /** Probe tb F1: the single [N, F] tensor form refuses an empty batch as the per-column form does. */
    @Test
    void openInferenceProtocolMatrixOfNoRowsIsRefused() throws Exception {
        createEndpoint("oip-empty", "");
        deploy("oip-empty", "d.km", "{\"0\": 100}");
        for (String model : List.of("d.km", "oip-empty")) { // it answered 200 with no output tensors
            assertThat(oipError(inferMatrix(model, "[0, 2]", "[]"), 400)).contains("inputs[0].shape").contains("no rows")
                    .contains("[N, 2] with N >= 1");
        }
        // a TRANSFORM model answered DuckDB's parser error for its "(VALUES )"
        assertThat(oipError(inferMatrix("d.scaled", "[0, 2]", "[]"), 400)).contains("no rows").doesNotContain("Parser Error");
        assertThat(ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP64\","
                + " \"data\": [40.1, 180]}]}").path("outputs").get(0).path("shape").toString()).isEqualTo("[1]");
    }

    /**
     * Probe tb F2: a shape's element count is compared exactly. In a long, [2^62, 4] wrapped to 0 elements (and
     * [2^62 + 1, 4] to 4), passed the check and failed as a 500; a dimension past a long (the protocol's are unsigned
     * 64-bit) was called negative.
     */
    @Test
    void openInferenceProtocolShapeOfMoreElementsThanALongIsCountedExactly() throws Exception {
        assertThat(oipError(inferMatrix("d.onnx", "[4611686018427387904, 4]", "[]"), 400)) // d.onnx reads 4 inputs
                .isEqualTo("Invalid value for 'inputs[0].data': holds 0 elements but the shape [4611686018427387904,4] needs 18446744073709551616");
        assertThat(oipError(inferMatrix("d.onnx", "[4611686018427387905, 4]", "[1, 2, 3, 4]"), 400))
                .contains("holds 4 elements").contains("needs 18446744073709551620");
        assertThat(oipError(inferMatrix("d.km", "[18446744073709551615, 2]", "[1, 2]"), 400))
                .contains("holds 2 elements").contains("needs 36893488147419103230");
        assertThat(oipError(send("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"bill_length_mm\", \"shape\":"
                + " [18446744073709551616], \"datatype\": \"FP64\", \"data\": [1]}, {\"name\": \"flipper_length_mm\", \"shape\": [1],"
                + " \"datatype\": \"FP64\", \"data\": [1]}]}"), 400)).contains("inputs[0].data").contains("needs 18446744073709551616");
        assertThat(oipError(inferMatrix("d.km", "[18446744073709551615, 2]", "[[1, 2]]"), 400)) // nested: the shape's own number
                .contains("where the shape [18446744073709551615,2] has 18446744073709551615");
        assertThat(oipError(inferMatrix("d.km", "[-1, 2]", "[]"), 400)).contains("dimensions are non-negative integers");
    }

    /** Probe tb F8: the request's structure is the protocol's; each of these answered 200. */
    @Test
    void openInferenceProtocolRequestStructureIsChecked() throws Exception {
        String flipper = "{\"name\": \"flipper_length_mm\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [180]}";
        String bill = "{\"name\": \"bill_length_mm\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [40.1]}";
        // a bare scalar as the data
        assertThat(oipError(send("POST", "/v2/models/d.km/infer", "{\"inputs\": [" + bill.replace("[40.1]", "40.1") + ", " + flipper + "]}"), 400))
                .contains("inputs[0].data").contains("must be an array").contains("a number (40.1)");
        // nesting that follows the shape for some elements only: [1, [2]] for [2, 1]
        assertThat(oipError(send("POST", "/v2/models/d.km/infer", "{\"inputs\": [" + bill.replace("[1]", "[2, 1]").replace("[40.1]", "[40.1, [41]]")
                + ", " + flipper.replace("[1]", "[2]").replace("[180]", "[180, 181]") + "]}"), 400))
                .contains("inputs[0].data[0]").contains("nested as a single element at depth 1");
        assertThat(oipError(inferMatrix("d.km", "[2, 2]", "[40.1, 180, [41, 181]]"), 400)).contains("inputs[0].data").contains("nested as 3");
        // parameters, outputs and tensors of the wrong kind
        String inputs = "\"inputs\": [" + bill + ", " + flipper + "]";
        assertThat(oipError(send("POST", "/v2/models/d.km/infer", "{\"parameters\": 5, " + inputs + "}"), 400))
                .contains("'parameters'").contains("must be an object").contains("a number (5)");
        assertThat(oipError(send("POST", "/v2/models/d.km/infer", "{\"outputs\": {\"name\": \"CENTROID_ID\"}, " + inputs + "}"), 400))
                .contains("'outputs'").contains("must be an array");
        assertThat(oipError(send("POST", "/v2/models/d.km/infer", "{\"outputs\": [\"CENTROID_ID\"], " + inputs + "}"), 400))
                .contains("outputs[0].name").contains("required");
        assertThat(oipError(send("POST", "/v2/models/d.km/infer", "{\"inputs\": [" + bill + ", 5]}"), 400))
                .contains("inputs[1]").contains("must be a tensor");
        assertThat(oipError(send("POST", "/v2/models/d.km/infer", "{\"inputs\": [" + bill.replace("\"bill_length_mm\"", "7") + ", " + flipper + "]}"), 400))
                .contains("inputs[0].name").contains("must be a string");
        assertThat(oipError(send("POST", "/v2/models/d.km/infer", "{\"inputs\": " + bill + "}"), 400))
                .contains("'inputs'").contains("must be a non-empty array").contains("an object");
        // what they should have been is served
        assertThat(ok("POST", "/v2/models/d.km/infer", "{\"parameters\": {}, \"outputs\": [{\"name\": \"CENTROID_ID\"}], " + inputs + "}")
                .path("outputs")).hasSize(1);
        assertThat(ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [" + bill.replace("[1]", "[2, 1]").replace("[40.1]", "[[40.1], [41]]")
                + ", " + flipper.replace("[1]", "[2]").replace("[180]", "[180, 181]") + "]}").path("outputs").get(0).path("shape").toString())
                .isEqualTo("[2]");
    }

    /**
     * Probe tb F7: an FP32, FP16 or BF16 element is what that type holds, as an integer tensor's is: rounded to its
     * precision, refused beyond its range. They were taken at a FLOAT64's (1e300 in an FP32 was used as 1e300).
     */
    @Test
    void openInferenceProtocolNarrowFloatElementsAreRoundedToTheirTypeAndRangeChecked() throws Exception {
        for (String[] beyond : new String[][] {{"FP32", "1e300"}, {"FP32", "-3.5e38"}, {"FP16", "1e6"}, {"FP16", "65520"}, {"BF16", "3.4e38"}}) {
            HttpResponse<String> response = send("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2],"
                    + " \"datatype\": \"" + beyond[0] + "\", \"data\": [40, " + beyond[1] + "]}]}");
            assertThat(oipError(response, 400)).as(beyond[0] + " " + beyond[1]).contains("inputs[0].data").contains("element 1 is")
                    .contains("but " + beyond[0] + " holds numbers up to").contains("FP64");
        }
        // rounded as the type rounds: the distances equal those of the rounded value sent as FP64
        for (String[] rounded : new String[][] {{"FP32", "0.1", "0.10000000149011612"}, {"FP16", "65519", "65504"},
                {"FP16", "1.0001", "1"}, {"BF16", "1.1", "1.1015625"}, {"FP16", "1e-8", "0"}, {"FP16", "\"NaN\"", "\"NaN\""}}) {
            JsonNode narrow = ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \""
                    + rounded[0] + "\", \"data\": [40, " + rounded[1] + "]}]}").path("outputs");
            JsonNode wide = ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP64\","
                    + " \"data\": [40, " + rounded[2] + "]}]}").path("outputs");
            assertThat(narrow).as(rounded[0] + " " + rounded[1]).isEqualTo(wide);
        }
        JsonNode fp32 = ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP32\","
                + " \"data\": [40, 0.1]}]}").path("outputs");
        JsonNode fp64 = ok("POST", "/v2/models/d.km/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1, 2], \"datatype\": \"FP64\","
                + " \"data\": [40, 0.1]}]}").path("outputs");
        assertThat(fp32).isNotEqualTo(fp64); // FP64 keeps every digit
    }

    /** An imported model's array output is described as infer answers it: FP64 of shape [N, K], not BYTES [N]. */
    @Test
    void openInferenceProtocolMetadataOfAnImportedArrayOutputMatchesInfer() throws Exception {
        JsonNode metadata = ok("GET", "/v2/models/d.onnx", null);
        StringBuilder inputs = new StringBuilder();
        for (JsonNode input : metadata.path("inputs")) {
            inputs.append(inputs.isEmpty() ? "" : ",").append("{\"name\": \"").append(input.path("name").asText())
                    .append("\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [40.0]}");
        }
        JsonNode infer = ok("POST", "/v2/models/d.onnx/infer", "{\"inputs\": [" + inputs + "]}");
        for (JsonNode output : infer.path("outputs")) {
            JsonNode described = null;
            for (JsonNode candidate : metadata.path("outputs")) {
                described = candidate.path("name").asText().equals(output.path("name").asText()) ? candidate : described;
            }
            assertThat(described).as(output.path("name").asText()).isNotNull();
            assertThat(described.path("datatype").asText()).isEqualTo(output.path("datatype").asText());
            assertThat(described.path("shape").size()).isEqualTo(output.path("shape").size());
        }
    }

    @Test
    void sampledRequestsLandInAQueryableTableAndMetricsShowPerEndpointSeries() throws Exception {
        createEndpoint("logged", ", \"predictRequestResponseLoggingConfig\": {\"enabled\": true, \"samplingRate\": 1.0}");
        String id = deploy("logged", "d.mass", "{\"0\": 100}");
        for (int i = 0; i < 5; i++) {
            ok("POST", BASE + "/logged:predict", "{\"instances\": " + instances(1) + "}");
        }
        // The module's logger is private to the server; wait through SQL until the rows are there.
        List<Map<String, Object>> logged = List.of();
        for (int attempt = 0; attempt < 200 && logged.size() < 5; attempt++) {
            Thread.sleep(25);
            if (!rows("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'lathe_logs'").get(0).get("n").equals(0L)) {
                logged = rows("SELECT * FROM lathe_logs.request_response_logging WHERE endpoint = 'logged'");
            }
        }
        assertThat(logged).hasSize(5);
        assertThat(logged.get(0).get("deployed_model_id")).isEqualTo(id);
        assertThat(logged.get(0).get("model")).isEqualTo("d.mass");
        assertThat((String) logged.get(0).get("request_payload")).contains("instances");
        assertThat((String) logged.get(0).get("response_payload")).contains("predicted_body_mass_g");
        String metrics = send("GET", "/metrics", null).body();
        assertThat(metrics).contains("lathe_predictions_total{endpoint=\"logged\",deployed_model=\"" + id + "\",status=\"ok\"} 5");
        assertThat(metrics).contains("lathe_prediction_latency_seconds_count{endpoint=\"logged\",deployed_model=\"" + id + "\"} 5");
        assertThat(metrics).contains("lathe_model_load_seconds_count{model=\"d.mass\"}");
        assertThat(metrics).contains("lathe_prediction_log_written_total{endpoint=\"logged\"} 5");
        // A request refused before any model is chosen (no traffic) is counted for the endpoint too.
        createEndpoint("idle", "");
        assertThat(send("POST", BASE + "/idle:predict", "{\"instances\": " + instances(1) + "}").statusCode()).isEqualTo(400);
        assertThat(send("GET", "/metrics", null).body())
                .contains("lathe_predictions_total{endpoint=\"idle\",deployed_model=\"\",status=\"invalid\"} 1");
        // OIP errors are counted like the others (they were answered past the server's error count), and a malformed infer
        // body for the endpoint (probe D)
        HttpResponse<String> malformed = send("POST", "/v2/models/logged/infer", "{bad");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(malformed.body()).path("error").asText()).startsWith("The request body is not valid JSON");
        assertThat(send("POST", "/v2/models/nowhere/infer", "{\"inputs\": []}").statusCode()).isEqualTo(404);
        assertThat(send("GET", "/metrics", null).body())
                .contains("lathe_predictions_total{endpoint=\"logged\",deployed_model=\"\",status=\"invalid\"} 1")
                .contains("lathe_http_errors_total{route=\"/v2/models/{name}/infer\",reason=\"INVALID_ARGUMENT\"} ") // other tests' too
                .contains("lathe_http_errors_total{route=\"/v2/models/{name}/infer\",reason=\"NOT_FOUND\"} ");
    }

    /**
     * Probe sb: {@code {"enabled": false, "samplingRate": 0.3}} was stored and answered as samplingRate 0.0, so turning
     * logging on again came back at 1.0. The rate is kept, as Vertex AI keeps it, and nothing is logged while it is off.
     */
    @Test
    void aDisabledLoggingConfigKeepsItsRateAndLogsNothingUntilEnabled() throws Exception {
        createEndpoint("lg-off", ", \"predictRequestResponseLoggingConfig\": {\"enabled\": false, \"samplingRate\": 0.3}");
        JsonNode created = ok("GET", BASE + "/lg-off", null).path("predictRequestResponseLoggingConfig");
        assertThat(created.path("enabled").booleanValue()).isFalse();
        assertThat(created.path("samplingRate").doubleValue()).isEqualTo(0.3);
        // probe ua F1: a replica of a Lathe from before V007 reads logging_sampling_rate alone, and logged at the kept rate
        assertThat(storedRate("lg-off")).as("the rate logged at, all an older replica reads").isEqualTo(0.0);
        JsonNode masked = ok("PATCH", BASE + "/lg-off?updateMask=predictRequestResponseLoggingConfig",
                "{\"predictRequestResponseLoggingConfig\": {\"enabled\": false, \"samplingRate\": 1.0}}").path("predictRequestResponseLoggingConfig");
        assertThat(masked.path("enabled").booleanValue()).isFalse();
        assertThat(masked.path("samplingRate").doubleValue()).isEqualTo(1.0);
        deploy("lg-off", "d.mass", "{\"0\": 100}");
        for (int i = 0; i < 5; i++) { // off: not logged, though the kept rate is 1
            ok("POST", BASE + "/lg-off:predict", "{\"instances\": " + instances(1) + "}");
        }
        JsonNode enabled = ok("PATCH", BASE + "/lg-off", "{\"predictRequestResponseLoggingConfig\": {\"enabled\": true}}")
                .path("predictRequestResponseLoggingConfig");
        assertThat(enabled.path("enabled").booleanValue()).isTrue();
        assertThat(enabled.path("samplingRate").doubleValue()).as("the kept rate").isEqualTo(1.0);
        assertThat(storedRate("lg-off")).isEqualTo(1.0);
        for (int i = 0; i < 3; i++) {
            ok("POST", BASE + "/lg-off:predict", "{\"instances\": " + instances(1) + "}");
        }
        // rows are written in order: once the later three are there, any of the earlier five would be too
        long logged = 0;
        for (int attempt = 0; attempt < 200 && logged < 3; attempt++) {
            Thread.sleep(25);
            if (!rows("SELECT COUNT(*) AS n FROM information_schema.tables WHERE table_schema = 'lathe_logs'").get(0).get("n").equals(0L)) {
                logged = (Long) rows("SELECT COUNT(*) AS n FROM lathe_logs.request_response_logging WHERE endpoint = 'lg-off'").get(0).get("n");
            }
        }
        assertThat(logged).isEqualTo(3);
        JsonNode off = ok("PATCH", BASE + "/lg-off", "{\"predictRequestResponseLoggingConfig\": {\"enabled\": false}}")
                .path("predictRequestResponseLoggingConfig");
        assertThat(off.path("enabled").booleanValue()).isFalse();
        assertThat(off.path("samplingRate").doubleValue()).isEqualTo(1.0);
        assertThat(storedRate("lg-off")).isEqualTo(0.0);
    }

    /** The endpoint's logging_sampling_rate column as stored. */
    private double storedRate(String endpoint) {
        return platform.metadataStore().read(c -> {
            try (java.sql.PreparedStatement q = c.prepareStatement("SELECT logging_sampling_rate FROM endpoints WHERE id = ?")) {
                q.setString(1, endpoint);
                try (java.sql.ResultSet rows = q.executeQuery()) {
                    rows.next();
                    return rows.getDouble(1);
                }
            }
        });
    }

    /** ListEndpoints takes order_by (spec 0 "List calls"; it was a 400). */
    @Test
    void listsEndpointsInTheOrderAsked() throws Exception {
        for (String[] e : new String[][] {{"o-c", "charlie"}, {"o-a", "alpha"}, {"o-b", "bravo"}}) {
            ok("POST", BASE + "?endpointId=" + e[0], "{\"displayName\": \"" + e[1] + "\", \"labels\": {\"batch\": \"order\"}}");
        }
        java.util.function.Function<String, List<String>> listed = query -> {
            try {
                return ok("GET", BASE + "?filter=labels.batch%3Dorder&" + query, null).path("endpoints").valueStream()
                        .map(e -> e.path("displayName").asText()).toList();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        };
        assertThat(listed.apply("orderBy=display_name")).containsExactly("alpha", "bravo", "charlie");
        assertThat(listed.apply("orderBy=create_time%20desc")).containsExactly("bravo", "alpha", "charlie");
        assertThat(listed.apply("")).containsExactly("alpha", "bravo", "charlie"); // by id: o-a, o-b, o-c
        ok("PATCH", BASE + "/o-a?updateMask=description", "{\"description\": \"touched\"}");
        assertThat(listed.apply("order_by=updateTime%20desc")).containsExactly("alpha", "bravo", "charlie");
        JsonNode first = ok("GET", BASE + "?filter=labels.batch%3Dorder&orderBy=display_name%20desc&pageSize=2", null);
        assertThat(first.path("endpoints").valueStream().map(e -> e.path("displayName").asText())).containsExactly("charlie", "bravo");
        assertThat(listed.apply("orderBy=display_name%20desc&pageSize=2&pageToken=" + first.path("nextPageToken").asText()))
                .containsExactly("alpha");
        assertThat(error(send("GET", BASE + "?orderBy=traffic", null), 400).path("message").asText())
                .contains("'traffic'", "display_name, create_time, update_time");
        // the token goes on after the last item listed: one deleted between pages shifts nothing (probe pw: one was skipped)
        JsonNode one = ok("GET", BASE + "?filter=labels.batch%3Dorder&orderBy=display_name&pageSize=1", null);
        assertThat(one.path("endpoints").get(0).path("displayName").asText()).isEqualTo("alpha");
        ok("DELETE", BASE + "/o-a", null);
        assertThat(listed.apply("orderBy=display_name&pageSize=1&pageToken=" + one.path("nextPageToken").asText())).containsExactly("bravo");
    }

    @Test
    void aRestartedServerLoadsDeployedModelsBeforeItIsReady() throws Exception {
        createEndpoint("warm", "");
        deploy("warm", "d.scaled", "{\"0\": 100}");
        LatheServer second = start(new EndpointsModule(4));
        try {
            HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port() + "/readyz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ready.statusCode()).isEqualTo(200);
            assertThat(ready.body()).contains("load deployed models");
            assertThat(second.metrics().scrape()).contains("lathe_model_load_seconds_count{model=\"d.scaled\"} 1");
        } finally {
            second.stop();
        }
    }
}
