package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Vertex AI's :explain over real HTTP equals ML.EXPLAIN_PREDICT for the same rows. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExplainHttpTest {
    private static final String BASE = "/v1/projects/p/locations/us-central1/endpoints";
    private Platform platform;
    private Engine session;
    private LatheServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        Path csv = directory.resolve("penguins.csv");
        try (var in = ExplainHttpTest.class.getResourceAsStream("/dev/lathe/samples/penguins.csv")) {
            Files.copy(in, csv);
        }
        platform = Platform.open(directory.resolve("data"));
        session = platform.session(line -> {});
        session.execute("""
                CREATE SCHEMA d;
                LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['%s']);
                CREATE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.trees OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['species'],
                  max_iterations = 5) AS SELECT * EXCEPT (year) FROM d.penguins;
                """.formatted(csv), (text, result) -> {});
        LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withMaxRequestBytes(64 * 1024))
                .accessLog(line -> {}).log(line -> {});
        new EndpointsModule(EndpointsModule.DEFAULT_LOG_QUEUE).configure(builder);
        server = builder.start();
        assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.stop();
        }
        session.close();
        platform.close();
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.MAPPER.readTree(response.body());
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

    @ParameterizedTest
    @ValueSource(strings = {"mass", "trees"})
    void explainOverHttpEqualsExplainPredict(String model) throws Exception {
        String endpoint = "explain-" + model;
        post(BASE + "?endpointId=" + endpoint, "{\"displayName\": \"" + endpoint + "\"}");
        JsonNode deployed = post(BASE + "/" + endpoint + ":deployModel", "{\"deployedModel\": {\"model\": \"d." + model
                + "\"}, \"trafficSplit\": {\"0\": 100}}");
        String id = deployed.path("response").path("deployedModel").path("id").asText();
        String query = "SELECT * EXCLUDE (year) FROM d.penguins ORDER BY ALL LIMIT 20";
        String instances = new String(Json.bytes(rows(query)), java.nio.charset.StandardCharsets.UTF_8);
        JsonNode response = post(BASE + "/" + endpoint + ":explain", "{\"instances\": " + instances + ", \"deployedModelId\": \"" + id + "\"}");
        assertThat(response.path("deployedModelId").asText()).isEqualTo(id);
        assertThat(response.path("predictions")).hasSize(20);
        List<Map<String, Object>> expected = rows("SELECT to_json(top_feature_attributions)::VARCHAR AS top, baseline_prediction_value,"
                + " prediction_value FROM ML.EXPLAIN_PREDICT(MODEL d." + model + ", (" + query + "), STRUCT(10 AS top_k_features))");
        for (int r = 0; r < 20; r++) {
            JsonNode attribution = response.path("explanations").get(r).path("attributions").get(0);
            assertThat(attribution.path("baselineOutputValue").asDouble())
                    .isCloseTo((double) expected.get(r).get("baseline_prediction_value"), within(1e-9));
            assertThat(attribution.path("instanceOutputValue").asDouble())
                    .isCloseTo((double) expected.get(r).get("prediction_value"), within(1e-9));
            double sum = 0;
            for (JsonNode top : Json.MAPPER.readTree((String) expected.get(r).get("top"))) {
                double value = attribution.path("featureAttributions").path(top.path("feature").asText()).asDouble();
                assertThat(value).isCloseTo(top.path("attribution").asDouble(), within(1e-9));
                sum += value;
            }
            assertThat(sum).isCloseTo(attribution.path("instanceOutputValue").asDouble() - attribution.path("baselineOutputValue").asDouble(),
                    within(1e-4));
            assertThat(attribution.has("approximationError")).isTrue();
            assertThat(attribution.has("outputDisplayName")).isEqualTo(model.equals("trees"));
            if (model.equals("trees")) { // outputIndex points into the prediction's own probabilities
                JsonNode probs = response.path("predictions").get(r).path("predicted_species_probs");
                assertThat(probs.get(attribution.path("outputIndex").get(0).asInt()).path("label").asText())
                        .isEqualTo(attribution.path("outputDisplayName").asText());
            }
        }
    }
}
