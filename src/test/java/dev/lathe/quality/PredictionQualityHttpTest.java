package dev.lathe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.registry.ModelManifest;
import dev.lathe.serve.EndpointsModule;
import dev.lathe.server.Json;
import dev.lathe.testing.PenguinsServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prediction quality end to end on a real server (port 0): predictions sent to endpoints with request-response
 * logging at rate 1.0 and client request ids (Vertex :predict and :rawPredict, Open Inference Protocol infer, one
 * and several instances per request), labels loaded afterwards, and the evaluation through SQL, REST and Java equal
 * to ML.EVALUATE over the same rows.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionQualityHttpTest {
    private static final String BASE = "/v1/projects/p/locations/l/endpoints";
    /** Which label each model predicts, and the ground-truth table (and its column names) the tests load for it. */
    private static final Map<String, String> LABELS = Map.of("mass", "body_mass_g", "species", "species", "sex", "sex");

    private PenguinsServer server;
    private Instant start;
    private Instant end;

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        server = PenguinsServer.start(directory, PenguinsServer.NUMBERED_ROWS_AND_MASS_MODEL + """
                CREATE MODEL d.species OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species']) AS
                  SELECT * EXCEPT (year) FROM d.penguins;
                CREATE MODEL d.sex OPTIONS (model_type = 'logistic_reg', input_label_cols = ['sex']) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE sex IS NOT NULL;
                CREATE TABLE d.requests (endpoint VARCHAR, request_id VARCHAR, instance_index BIGINT, instances BIGINT, id BIGINT);
                """, new EndpointsModule());
        start = Instant.now().minusSeconds(1);
        for (String model : LABELS.keySet()) {
            String endpoint = "q-" + model;
            server.ok("POST", BASE + "?endpointId=" + endpoint, "{\"displayName\": \"" + endpoint
                    + "\", \"predictRequestResponseLoggingConfig\": {\"enabled\": true, \"samplingRate\": 1.0}}");
            server.ok("POST", BASE + "/" + endpoint + ":deployModel", "{\"deployedModel\": {\"model\": \"d." + model + "\"}, \"trafficSplit\": {\"0\": 100}}");
            // 40 single-instance :predict requests, 10 :rawPredict requests of 3 instances, 2 infer requests of 5: 80 instances.
            for (int id = 1; id <= 40; id++) {
                vertex(endpoint, ":predict", id, 1, endpoint + "-s" + id);
            }
            for (int k = 0; k < 10; k++) {
                vertex(endpoint, ":rawPredict", 41 + 3 * k, 3, endpoint + "-m" + k);
            }
            for (int k = 0; k < 2; k++) {
                infer(endpoint, model, 71 + 5 * k, 5, endpoint + "-o" + k, List.of());
            }
            server.awaitLogged(endpoint, 52);
        }
        end = Instant.now().plusSeconds(1);
        // Labels arrive later: every instance but those of rows whose id is a multiple of 5. A single-instance request's
        // label carries no index (NULL), as a client that sends one instance at a time would store it.
        String labelled = """
                SELECT q.endpoint, q.request_id, CASE WHEN q.instances > 1 THEN q.instance_index END AS instance_index, r.*
                FROM d.requests q JOIN d.rows r ON r.id = q.id WHERE r.id % 5 <> 0""";
        server.rows("""
                CREATE TABLE d.truth_mass AS SELECT request_id, instance_index, body_mass_g FROM (%s) WHERE endpoint = 'q-mass';
                CREATE TABLE d.truth_species AS SELECT request_id, instance_index, species AS label FROM (%s) WHERE endpoint = 'q-species';
                CREATE TABLE d.truth_sex AS SELECT request_id AS rid, instance_index AS idx, sex AS truth FROM (%s) WHERE endpoint = 'q-sex';
                """.formatted(labelled, labelled, labelled));
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** Sends rows {@code first .. first + count - 1} of d.rows as one Vertex request and records which instance is which row. */
    private void vertex(String endpoint, String verb, int first, int count, String requestId) throws Exception {
        String instances = new String(Json.bytes(instances(first, count)), java.nio.charset.StandardCharsets.UTF_8);
        HttpResponse<String> response = server.send("POST", BASE + "/" + endpoint + verb, "{\"instances\": " + instances + "}",
                "X-Request-Id", requestId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue(requestId);
        record(endpoint, requestId, first, count);
    }

    /** As {@link #vertex} through the Open Inference Protocol, one tensor per model input; {@code outputs} restricts the answer. */
    private void infer(String endpoint, String model, int first, int count, String requestId, List<String> outputs) throws Exception {
        ModelRuntime runtime = server.platform().runtime("d", model, Optional.empty());
        List<Map<String, Object>> rows = instances(first, count);
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (ModelManifest.Column column : runtime.inputColumns()) {
            List<Object> data = rows.stream().map(r -> r.get(column.name())).toList();
            tensors.add(Map.of("name", column.name(), "shape", List.of(count), "datatype", data.getFirst() instanceof String ? "BYTES" : "FP64",
                    "data", data));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("inputs", tensors);
        if (!outputs.isEmpty()) {
            body.put("outputs", outputs.stream().map(name -> Map.of("name", name)).toList());
        }
        HttpResponse<String> response = server.send("POST", "/v2/models/" + endpoint + "/infer", Json.MAPPER.writeValueAsString(body),
                "X-Request-Id", requestId);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue(requestId);
        record(endpoint, requestId, first, count);
    }

    private List<Map<String, Object>> instances(int first, int count) {
        return server.rows("SELECT * EXCLUDE (id) FROM d.rows WHERE id BETWEEN " + first + " AND " + (first + count - 1) + " ORDER BY id");
    }

    private void record(String endpoint, String requestId, int first, int count) {
        server.rows("INSERT INTO d.requests SELECT '%s', '%s', i, %d, %d + i FROM range(%d) AS t(i)".formatted(endpoint, requestId, count,
                first, count));
    }

    private String range() {
        return "'" + start + "' AS start_time, '" + end + "' AS end_time";
    }

    private String truth(String model) {
        return "d.truth_" + model;
    }

    private String settings(String model) {
        return switch (model) {
            case "sex" -> ", 'rid' AS request_id_column, 'truth' AS label_column, 'idx' AS instance_index_column";
            default -> "";
        };
    }

    /** ML.EVALUATE over the labelled rows of an endpoint's requests selected by {@code where} (on d.requests q). */
    private Map<String, Object> mlEvaluate(String model, String where, String settings) {
        return server.rows("SELECT * FROM ML.EVALUATE(MODEL d." + model + ", (SELECT r.* FROM d.rows r JOIN d.requests q ON q.id = r.id"
                + " WHERE q.endpoint = 'q-" + model + "' AND r.id % 5 <> 0 AND " + where + ")" + settings + ")").getFirst();
    }

    private static void assertMetricsEqual(Map<String, ?> actual, Map<String, Object> expected) {
        assertThat(expected).isNotEmpty();
        for (Map.Entry<String, Object> metric : expected.entrySet()) {
            double want = ((Number) metric.getValue()).doubleValue();
            Object value = actual.get(metric.getKey());
            assertThat(value).as(metric.getKey()).isNotNull();
            // JSON has no NaN: the REST answer writes it as the string "NaN", as protobuf's JSON mapping does.
            double got = value instanceof JsonNode node ? (node.isTextual() ? Double.parseDouble(node.textValue()) : node.doubleValue())
                    : ((Number) value).doubleValue();
            if (Double.isNaN(want)) {
                assertThat(got).as(metric.getKey()).isNaN();
            } else {
                assertThat(got).as(metric.getKey()).isCloseTo(want, within(1e-9 * Math.max(1, Math.abs(want))));
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mass", "species", "sex"})
    void sqlRestAndJavaEqualMlEvaluateOverTheSameRows(String model) throws Exception {
        Map<String, Object> expected = mlEvaluate(model, "TRUE", "");
        if (!model.equals("mass")) {
            assertThat(((Number) expected.get("roc_auc")).doubleValue()).as("the labelled rows hold every class").isNotNaN();
        }
        List<Map<String, Object>> sql = server.rows("SELECT * FROM ML.EVALUATE_PREDICTION_LOG(TABLE " + truth(model) + ", STRUCT('q-" + model
                + "' AS endpoint, " + range() + settings(model) + "))");
        assertThat(sql).hasSize(1);
        Map<String, Object> row = sql.getFirst();
        assertThat(row).containsEntry("rows_logged", 80L).containsEntry("rows_matched", 64L).containsEntry("rows_without_label", 16L)
                .containsEntry("rows_without_prediction", 0L).containsEntry("status", "OK").containsEntry("reason", null);
        assertThat(row.keySet()).containsSubsequence("window_start", "window_end", "rows_logged");
        assertMetricsEqual(row, expected);

        String columns = model.equals("sex") ? ", \"requestIdColumn\": \"rid\", \"labelColumn\": \"truth\", \"instanceIndexColumn\": \"idx\"" : "";
        JsonNode rest = server.ok("POST", BASE + "/q-" + model + ":evaluatePredictions", "{\"groundTruth\": {\"table\": \"" + truth(model)
                + "\"}, \"startTime\": \"" + start + "\", \"endTime\": \"" + end + "\"" + columns + "}");
        assertThat(rest.path("models").get(0).asText()).isEqualTo("d." + model + "@1");
        JsonNode window = rest.path("windows").get(0);
        assertThat(window.path("status").asText()).isEqualTo("OK");
        assertThat(window.path("rowsMatched").asLong()).isEqualTo(64);
        Map<String, JsonNode> restMetrics = new LinkedHashMap<>();
        window.path("metrics").fields().forEachRemaining(e -> restMetrics.put(e.getKey(), e.getValue()));
        assertMetricsEqual(restMetrics, expected);

        QualitySpec spec = QualitySpec.of("q-" + model, GroundTruth.query("SELECT * FROM " + truth(model)));
        if (model.equals("sex")) {
            spec = spec.withRequestIdColumn("rid").withLabelColumn("truth").withInstanceIndexColumn("idx");
        }
        WindowQuality java = server.platform().predictionQuality().evaluate(spec, start, end);
        assertThat(java.rowsLogged()).isEqualTo(80);
        assertThat(java.rowsMatched()).isEqualTo(64);
        assertMetricsEqual(java.metrics(), expected);
    }

    @Test
    void aBinaryThresholdAppliesToTheLoggedProbabilitiesAsInMlEvaluate() {
        Map<String, Object> expected = mlEvaluate("sex", "TRUE", ", STRUCT(0.3 AS threshold)");
        Map<String, Object> row = server.rows("SELECT * FROM ML.EVALUATE_PREDICTION_LOG(TABLE d.truth_sex, STRUCT('q-sex' AS endpoint, "
                + range() + settings("sex") + ", 0.3 AS threshold))").getFirst();
        assertMetricsEqual(row, expected);
        assertThat(row.get("precision")).isNotEqualTo(mlEvaluate("sex", "TRUE", "").get("precision"));
    }

    @Test
    void windowsSplitTheLogAndAWindowWithoutPredictionsSaysSo() {
        // The same log rows moved to known times: single-instance requests at 00:xx, :rawPredict at 01:xx, infer at 02:xx.
        server.rows("""
                CREATE OR REPLACE TABLE d.shifted AS SELECT * REPLACE (TIMESTAMP '2025-03-01 00:00:00'
                  + to_hours(CASE WHEN request_id LIKE 'q-mass-s%' THEN 0 WHEN request_id LIKE 'q-mass-m%' THEN 1 ELSE 2 END)
                  + to_seconds(CAST(hash(request_id) % 3000 AS BIGINT)) AS logging_time)
                FROM lathe_logs.request_response_logging WHERE endpoint = 'q-mass'""");
        List<Map<String, Object>> windows = server.rows("""
                SELECT * FROM ML.EVALUATE_PREDICTION_LOG(TABLE d.truth_mass, STRUCT('q-mass' AS endpoint, TIMESTAMP '2025-03-01 00:00:00' AS
                  start_time, TIMESTAMP '2025-03-01 03:30:00' AS end_time, '1h' AS window_size, 'd.shifted' AS log_table))
                ORDER BY window_start""");
        assertThat(windows).hasSize(4);
        assertThat(windows).extracting(w -> w.get("rows_logged")).containsExactly(40L, 30L, 10L, 0L);
        assertThat(windows).extracting(w -> w.get("status")).containsExactly("OK", "OK", "OK", "NO_PREDICTIONS");
        assertThat(windows.get(3).get("window_end").toString()).startsWith("2025-03-01 03:30");
        assertThat(windows.get(3).get("mean_absolute_error")).isNull();
        assertThat((String) windows.get(3).get("reason")).contains("No prediction of endpoint 'q-mass'");
        String[] kinds = {"q.request_id LIKE 'q-mass-s%'", "q.request_id LIKE 'q-mass-m%'", "q.request_id LIKE 'q-mass-o%'"};
        for (int w = 0; w < 3; w++) {
            assertMetricsEqual(windows.get(w), mlEvaluate("mass", kinds[w], ""));
        }

        QualityReport report = server.platform().predictionQuality().evaluate(QualitySpec.of("q-mass", GroundTruth.table("d", "truth_mass"))
                .withLogTable(new TableName("d", "shifted")), new Windows(Instant.parse("2025-03-01T01:00:00Z"),
                Instant.parse("2025-03-01T03:00:00Z"), Duration.ofHours(1)));
        assertThat(report.windows()).extracting(WindowQuality::rowsLogged).containsExactly(30L, 10L);
        assertThat(report.models()).containsExactly("d.mass@1");
    }

    @Test
    void labelsWithoutAnIndexMatchOnlySingleInstanceRequests() {
        // One label per request, without an index: it addresses single-instance requests only.
        Map<String, Object> row = server.rows("SELECT * FROM ML.EVALUATE_PREDICTION_LOG((SELECT request_id, body_mass_g FROM d.truth_mass"
                + " WHERE instance_index IS NULL OR instance_index = 1), STRUCT('q-mass' AS endpoint, " + range() + "))").getFirst();
        assertThat(row).containsEntry("rows_matched", 32L).containsEntry("rows_without_label", 48L);
        assertMetricsEqual(row, mlEvaluate("mass", "q.instances = 1", ""));
    }

    @Test
    void aWindowWithoutLabelsHasAStatusAndNoMetrics() {
        Map<String, Object> row = server.rows("SELECT * FROM ML.EVALUATE_PREDICTION_LOG((SELECT 'someone-else' AS request_id, 1.0 AS label),"
                + " STRUCT('q-mass' AS endpoint, " + range() + "))").getFirst();
        assertThat(row).containsEntry("status", "NO_LABELS").containsEntry("rows_logged", 80L).containsEntry("rows_matched", 0L)
                .containsEntry("r2_score", null);
        assertThat((String) row.get("reason")).contains("80 predicted instances were logged but none has a label");
    }

    @Test
    void anOpenInferenceRequestThatAskedForOtherOutputsCountsAsWithoutPrediction() throws Exception {
        server.ok("POST", BASE + "?endpointId=q-narrow", "{\"displayName\": \"narrow\", \"predictRequestResponseLoggingConfig\": {\"enabled\": true}}");
        server.ok("POST", BASE + "/q-narrow:deployModel", "{\"deployedModel\": {\"model\": \"d.species\"}, \"trafficSplit\": {\"0\": 100}}");
        infer("q-narrow", "species", 1, 2, "narrow-1", List.of("predicted_species"));
        infer("q-narrow", "species", 3, 2, "narrow-2", List.of());
        server.awaitLogged("q-narrow", 2);
        Map<String, Object> row = server.rows("""
                SELECT * FROM ML.EVALUATE_PREDICTION_LOG((SELECT q.request_id, q.instance_index, r.species FROM d.requests q
                  JOIN d.rows r ON r.id = q.id WHERE q.endpoint = 'q-narrow'), STRUCT('q-narrow' AS endpoint, %s, TIMESTAMP '2100-01-01' AS end_time))
                """.formatted("'" + start + "' AS start_time")).getFirst();
        assertThat(row).containsEntry("rows_logged", 4L).containsEntry("rows_matched", 2L).containsEntry("rows_without_prediction", 2L)
                .containsEntry("status", "OK");
    }

    @Test
    void requestIdsRoundTripAndBadOnesAreRefused() throws Exception {
        server.ok("POST", BASE + "?endpointId=q-ids", "{\"displayName\": \"ids\", \"predictRequestResponseLoggingConfig\": {\"enabled\": true}}");
        server.ok("POST", BASE + "/q-ids:deployModel", "{\"deployedModel\": {\"model\": \"d.mass\"}, \"trafficSplit\": {\"0\": 100}}");
        String body = "{\"instances\": " + new String(Json.bytes(instances(1, 1)), java.nio.charset.StandardCharsets.UTF_8) + "}";
        HttpResponse<String> given = server.send("POST", BASE + "/q-ids:predict", body, "X-Request-Id", "order-42:a/b=c@d~e+f_g.h");
        assertThat(given.headers().firstValue("X-Request-Id")).hasValue("order-42:a/b=c@d~e+f_g.h");
        HttpResponse<String> generated = server.send("POST", BASE + "/q-ids:predict", body);
        String id = generated.headers().firstValue("X-Request-Id").orElseThrow();
        assertThat(id).matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        server.awaitLogged("q-ids", 2);
        assertThat(server.rows("SELECT request_id FROM lathe_logs.request_response_logging WHERE endpoint = 'q-ids' ORDER BY request_id"))
                .extracting(r -> r.get("request_id")).containsExactlyInAnyOrder("order-42:a/b=c@d~e+f_g.h", id);
        assertThat(server.send("POST", BASE + "/q-ids:explain", body, "X-Request-Id", "e-1").headers().firstValue("X-Request-Id")).hasValue("e-1");

        for (String bad : List.of("has space", "x".repeat(129), "comma,separated", "")) {
            JsonNode error = PenguinsServer.error(server.send("POST", BASE + "/q-ids:predict", body, "X-Request-Id", bad), 400);
            assertThat(error.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("X-Request-Id");
            assertThat(error.path("message").asText()).contains("1 to 128 characters");
        }
        HttpResponse<String> oip = server.send("POST", "/v2/models/q-ids/infer", "{\"inputs\": []}", "X-Request-Id", "bad id");
        assertThat(oip.statusCode()).isEqualTo(400);
        assertThat(oip.body()).contains("X-Request-Id");
        assertThat(server.rows("SELECT COUNT(*) AS n FROM lathe_logs.request_response_logging WHERE endpoint = 'q-ids'").getFirst().get("n"))
                .as("refused requests are not logged").isEqualTo(2L);
    }

    @Test
    void badInputIsRefusedNamingWhatIsWrong() throws Exception {
        String call = "SELECT * FROM ML.EVALUATE_PREDICTION_LOG(%s, STRUCT(%s AS endpoint, " + range() + "%s))";
        assertThatThrownBy(() -> server.rows(call.formatted("TABLE d.truth_mass", "'q-mas'", "")))
                .isInstanceOf(LatheException.class).hasMessageContaining("Endpoint 'q-mas' not found").hasMessageContaining("did you mean 'q-mass'");
        assertThatThrownBy(() -> server.rows(call.formatted("TABLE d.truth_mass", "'q-mass'", ", 'weight' AS label_column")))
                .hasMessageContaining("lacks the label column 'weight'").hasMessageContaining("request_id, instance_index, body_mass_g");
        assertThatThrownBy(() -> server.rows(call.formatted("TABLE d.truth_mass", "'q-mass'", ", 'rid' AS request_id_column")))
                .hasMessageContaining("lacks the request id column 'rid'");
        assertThatThrownBy(() -> server.rows(call.formatted("TABLE d.truth_species", "'q-mass'", "")))
                .hasMessageContaining("label column 'label' is VARCHAR").hasMessageContaining("must be numbers");
        assertThatThrownBy(() -> server.rows(call.formatted("(SELECT 'q-species-s1' AS request_id, 'Emperor' AS label)", "'q-species'", "")))
                .hasMessageContaining("request_id 'q-species-s1' instance_index 0 is 'Emperor'").hasMessageContaining("Adelie, Chinstrap, Gentoo");
        assertThatThrownBy(() -> server.rows(call.formatted("(SELECT * FROM d.truth_mass UNION ALL SELECT * FROM d.truth_mass)", "'q-mass'", "")))
                .hasMessageContaining("2 labels for request_id");
        assertThatThrownBy(() -> server.rows(call.formatted("TABLE d.truth_mass", "'q-mass'", ", '1x' AS window_size")))
                .hasMessageContaining("window_size '1x'").hasMessageContaining("'15m'");
        assertThatThrownBy(() -> server.rows(call.formatted("TABLE d.truth_mass", "'q-mass'", ", 'd.nothing' AS log_table")))
                .hasMessageContaining("Prediction log table d.nothing not found");
        assertThatThrownBy(() -> server.rows("SELECT * FROM ML.EVALUATE_PREDICTION_LOG(TABLE d.truth_mass, STRUCT('q-mass' AS endpoint,"
                + " '2025-02-01' AS start_time, '2025-01-01' AS end_time))")).hasMessageContaining("must be before its end");
        assertThatThrownBy(() -> server.rows("SELECT * FROM ML.EVALUATE_PREDICTION_LOG(TABLE d.truth_mass, STRUCT('q-mass' AS endpoint,"
                + " 'yesterday' AS start_time, '2025-01-01' AS end_time))")).hasMessageContaining("start_time 'yesterday' is not a timestamp");
        assertThatThrownBy(() -> server.rows("SELECT * FROM ML.EVALUATE_PREDICTION_LOG(TABLE d.truth_mass, STRUCT('q-mass' AS endpoint))"))
                .hasMessageContaining("needs the setting start_time");

        String path = BASE + "/q-mass:evaluatePredictions";
        String times = ", \"startTime\": \"" + start + "\", \"endTime\": \"" + end + "\"";
        assertThat(PenguinsServer.error(server.send("POST", BASE + "/nope:evaluatePredictions", "{\"groundTruth\": {\"table\": \"d.truth_mass\"}"
                + times + "}"), 404).path("message").asText()).contains("Endpoint 'nope' not found");
        assertThat(PenguinsServer.error(server.send("POST", path, "{\"startTime\": \"x\"}"), 400).path("details").get(0).path("fieldViolations").get(0).path("field").asText())
                .isEqualTo("groundTruth");
        assertThat(PenguinsServer.error(server.send("POST", path, "{\"groundTruth\": {\"table\": \"d.truth_mass\"}, \"startTime\": \"soon\","
                + " \"endTime\": \"2025-01-01\"}"), 400).path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("startTime");
        JsonNode missing = PenguinsServer.error(server.send("POST", path, "{\"groundTruth\": {\"table\": \"d.no_labels\"}" + times + "}"), 400);
        assertThat(missing.path("message").asText()).contains("Ground-truth table d.no_labels not found");
        JsonNode column = PenguinsServer.error(server.send("POST", path, "{\"groundTruth\": {\"query\": \"SELECT request_id AS id FROM d.truth_mass\"}"
                + times + "}"), 400);
        assertThat(column.path("message").asText()).contains("lacks the request id column 'request_id'");
    }
}
