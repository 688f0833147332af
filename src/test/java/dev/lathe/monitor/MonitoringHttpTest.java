package dev.lathe.monitor;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.serve.EndpointsModule;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.testing.LogCapture;
import dev.lathe.testing.TestingClock;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Monitors end to end over real HTTP: a real server on port 0 with endpoints and monitoring, penguins models deployed
 * with request logging at rate 1.0, real predictions in the log (plus rows written straight into the log table where a
 * test needs chosen times or broken payloads), a real local webhook receiver, and a {@link TestingClock} for the
 * scheduler instead of sleeping.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MonitoringHttpTest {
    private static final String ENDPOINTS = "/v1/projects/p/locations/l/endpoints";
    private static final String MONITORS = "/v1/projects/p/locations/l/modelDeploymentMonitoringJobs";
    private static final String SKEW = "trainingPredictionSkewDetectionConfig";
    private static final String DRIFT = "predictionDriftDetectionConfig";

    private Platform platform;
    private Engine session;
    private LatheServer server;
    private HttpServer webhooks;
    private final TestingClock clock = new TestingClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> hookBodies = new CopyOnWriteArrayList<>();
    private final AtomicInteger hookCalls = new AtomicInteger();
    private final AtomicInteger brokenCalls = new AtomicInteger();
    private final LogCapture alertLogHandler = new LogCapture();
    private final List<LogRecord> alertLog = alertLogHandler.records();
    private String flipperId;
    private int loggedRequests;
    private int loggedInstances;

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        Path csv = directory.resolve("penguins.csv");
        try (var in = MonitoringHttpTest.class.getResourceAsStream("/dev/lathe/samples/penguins.csv")) {
            Files.copy(in, csv);
        }
        platform = Platform.open(directory.resolve("data"));
        session = platform.session(line -> {});
        session.execute("""
                CREATE SCHEMA d;
                LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['%s']);
                CREATE MODEL d.flipper OPTIONS (model_type = 'linear_reg', input_label_cols = ['flipper_length_mm'], enable_global_explain = TRUE) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE flipper_length_mm IS NOT NULL;
                CREATE MODEL d.imported OPTIONS (model_type = 'XGBOOST', model_path = '%s');
                """.formatted(csv, Path.of("src/test/resources/imported/xgb_regressor.json").toAbsolutePath()), (text, result) -> {});
        webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhooks.createContext("/hook", exchange -> {
            // Fails the first two attempts of each alert, so delivery needs the retries.
            int call = hookCalls.incrementAndGet();
            hookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(call % 3 == 0 ? 200 : 503, -1);
            exchange.close();
        });
        webhooks.createContext("/broken", exchange -> {
            brokenCalls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(500, -1);
            exchange.close();
        });
        webhooks.start();
        Logger.getLogger(Alerter.class.getName()).addHandler(alertLogHandler);
        LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).accessLog(line -> {}).log(line -> {});
        new EndpointsModule().configure(builder);
        new MonitoringModule(clock, Optional.of(Duration.ofMillis(50)),
                new WebhookPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5))).configure(builder);
        server = builder.start();
        assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();

        ok("POST", ENDPOINTS + "?endpointId=shop", "{\"displayName\": \"shop\", \"predictRequestResponseLoggingConfig\": {\"enabled\": true, "
                + "\"samplingRate\": 1.0}}");
        flipperId = ok("POST", ENDPOINTS + "/shop:deployModel", "{\"deployedModel\": {\"model\": \"d.flipper\"}, \"trafficSplit\": {\"0\": 100}}")
                .path("response").path("deployedModel").path("id").asText();
        // Serving data heavier than training: body_mass_g + 3000 g. Objects in one request, arrays in input column order
        // in another, and an Open Inference Protocol v2 request: every shape the endpoint takes.
        ArrayNode objects = penguins("body_mass_g + 3000", 40);
        ok("POST", ENDPOINTS + "/shop:predict", Json.MAPPER.createObjectNode().set("instances", objects).toString());
        ArrayNode arrays = Json.MAPPER.createArrayNode();
        for (int i = 0; i < 5; i++) {
            ArrayNode row = arrays.addArray();
            for (String column : List.of("species", "island", "bill_length_mm", "bill_depth_mm", "body_mass_g", "sex")) {
                row.add(objects.get(i).get(column));
            }
        }
        ok("POST", ENDPOINTS + "/shop:predict", Json.MAPPER.createObjectNode().set("instances", arrays).toString());
        ok("POST", "/v2/models/shop/infer", """
                {"inputs": [{"name": "species", "shape": [1], "datatype": "BYTES", "data": ["Gentoo"]},
                  {"name": "island", "shape": [1], "datatype": "BYTES", "data": ["Biscoe"]},
                  {"name": "bill_length_mm", "shape": [1], "datatype": "FP64", "data": [47.5]},
                  {"name": "bill_depth_mm", "shape": [1], "datatype": "FP64", "data": [15.0]},
                  {"name": "body_mass_g", "shape": [1], "datatype": "FP64", "data": [8200]},
                  {"name": "sex", "shape": [1], "datatype": "BYTES", "data": ["MALE"]}]}""");
        loggedRequests = 3;
        loggedInstances = 46;
        ok("POST", ENDPOINTS + "?endpointId=imported", "{\"displayName\": \"imported\", \"predictRequestResponseLoggingConfig\": {\"enabled\": true, "
                + "\"samplingRate\": 1.0}}");
        ok("POST", ENDPOINTS + "/imported:deployModel", "{\"deployedModel\": {\"model\": \"d.imported\"}, \"trafficSplit\": {\"0\": 100}}");
        ok("POST", ENDPOINTS + "/imported:predict", "{\"instances\": [{\"bill_length_mm\": 39.1, \"bill_depth_mm\": 18.7, \"flipper_length_mm\": 181, \"year\": 2008}]}");
        awaitLogged(loggedRequests + 1);
    }

    @AfterAll
    void stop() {
        Logger.getLogger(Alerter.class.getName()).removeHandler(alertLogHandler);
        if (server != null) {
            server.stop();
        }
        if (webhooks != null) {
            webhooks.stop(0);
        }
        session.close();
        platform.close();
    }

    // ---- fixtures ------------------------------------------------------------------------------------

    /** Penguin rows as instance objects (the label left out), {@code mass} the SQL expression of body_mass_g. */
    private ArrayNode penguins(String mass, int limit) throws Exception {
        ArrayNode rows = Json.MAPPER.createArrayNode();
        try (Connection connection = platform.warehouse().connect(); Statement statement = connection.createStatement();
                ResultSet set = statement.executeQuery("SELECT species, island, bill_length_mm, bill_depth_mm, " + mass + " AS body_mass_g, sex "
                        + "FROM d.penguins WHERE flipper_length_mm IS NOT NULL AND sex IS NOT NULL ORDER BY ALL LIMIT " + limit)) {
            while (set.next()) {
                ObjectNode row = rows.addObject();
                row.put("species", set.getString(1)).put("island", set.getString(2)).put("bill_length_mm", set.getDouble(3))
                        .put("bill_depth_mm", set.getDouble(4)).put("body_mass_g", set.getDouble(5)).put("sex", set.getString(6));
            }
        }
        return rows;
    }

    /** Writes a row into the prediction log directly, at a chosen time (the server's logger stamps the current time). */
    private void log(String endpoint, String deployedModelId, Instant time, String payload) throws Exception {
        try (Connection connection = platform.warehouse().connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO lathe_logs.request_response_logging VALUES (?, ?, make_timestamp(?), ?, ?, '{}', 'd.flipper', '1')")) {
            insert.setString(1, endpoint);
            insert.setString(2, deployedModelId);
            insert.setLong(3, ChronoUnit.MICROS.between(Instant.EPOCH, time));
            insert.setString(4, UUID.randomUUID().toString());
            insert.setString(5, payload);
            insert.executeUpdate();
        }
    }

    private static String instances(ArrayNode rows) {
        return Json.MAPPER.createObjectNode().set("instances", rows).toString();
    }

    private void awaitLogged(int rows) throws Exception {
        for (int attempt = 0; attempt < 400; attempt++) {
            try (Connection connection = platform.warehouse().connect(); Statement statement = connection.createStatement();
                    ResultSet set = statement.executeQuery("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = 'lathe_logs'")) {
                set.next();
                if (set.getLong(1) > 0) {
                    try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM lathe_logs.request_response_logging")) {
                        count.next();
                        if (count.getLong(1) >= rows) {
                            return;
                        }
                    }
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the prediction log never reached " + rows + " rows");
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

    private static String monitor(String endpoint, String objectiveConfig, String extra) {
        return "{\"displayName\": \"watch\", \"endpoint\": \"projects/p/locations/l/endpoints/" + endpoint + "\", "
                + "\"modelDeploymentMonitoringObjectiveConfigs\": [{\"objectiveConfig\": " + objectiveConfig + "}]" + extra + "}";
    }

    private JsonNode run(String monitor, Instant windowEnd) throws Exception {
        return ok("POST", MONITORS + "/" + monitor + ":run", "{\"windowEndTime\": \"" + windowEnd + "\"}");
    }

    private static List<JsonNode> stats(JsonNode run, Predicate<JsonNode> filter) {
        List<JsonNode> found = new ArrayList<>();
        run.path("featureStats").forEach(s -> {
            if (filter.test(s)) {
                found.add(s);
            }
        });
        return found;
    }

    private static JsonNode stat(JsonNode run, String objective, String feature) {
        List<JsonNode> found = stats(run, s -> s.path("objective").asText().equals(objective) && s.path("featureDisplayName").asText().equals(feature));
        assertThat(found).as(run.toString()).hasSize(1);
        return found.get(0);
    }

    private JsonNode awaitJson(String path, Predicate<JsonNode> done) throws Exception {
        JsonNode last = null;
        for (int attempt = 0; attempt < 1200; attempt++) {
            last = ok("GET", path, null);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("never reached the expected state: " + last);
    }

    private long queryLong(String sql) throws Exception {
        try (Connection connection = platform.warehouse().connect(); Statement statement = connection.createStatement();
                ResultSet set = statement.executeQuery(sql)) {
            set.next();
            return set.getLong(1);
        }
    }

    // ---- tests ---------------------------------------------------------------------------------------

    @Test
    void shiftedServingDataRaisesOneAlertWhoseWebhookIsRetriedUntilDelivered() throws Exception {
        String webhook = "http://127.0.0.1:" + webhooks.getAddress().getPort() + "/hook";
        JsonNode created = ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=watch", monitor("shop", "{\"" + SKEW + "\": {\"skewThresholds\": "
                + "{\"island\": {\"value\": 0.95}}}, \"" + DRIFT + "\": {}, \"explanationConfig\": {\"enableFeatureAttributes\": true}}",
                ", \"modelDeploymentMonitoringScheduleConfig\": {\"monitorInterval\": \"3600s\"}, \"modelMonitoringAlertConfig\": "
                        + "{\"webhookConfig\": {\"uri\": \"" + webhook + "\"}}"));
        try {
            assertThat(created.path("name").asText()).isEqualTo("projects/p/locations/l/modelDeploymentMonitoringJobs/watch");
            assertThat(created.path("state").asText()).isEqualTo("JOB_STATE_RUNNING");
            assertThat(created.path("modelDeploymentMonitoringScheduleConfig").path("monitorWindow").asText()).as("window defaults to the interval")
                    .isEqualTo("3600s");
            assertThat(created.path("nextScheduleTime").asText()).isEqualTo(Monitor.alignedEndAtOrAfter(clock.instant().plusNanos(1),
                    Duration.ofHours(1)).toString());

            Instant end = Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS);
            JsonNode first = run("watch", end);
            assertThat(first.path("state").asText()).as(first.toString()).isEqualTo("SUCCEEDED");
            assertThat(first.path("trigger").asText()).isEqualTo("MANUAL");
            assertThat(first.path("windowEndTime").asText()).isEqualTo(end.toString());
            assertThat(first.path("windowStartTime").asText()).isEqualTo(end.minus(Duration.ofHours(1)).toString());
            assertThat(first.path("rowsRead").asText()).isEqualTo(Integer.toString(loggedRequests));
            assertThat(first.path("rowsSkipped").asText()).isEqualTo("0");
            assertThat(first.path("instancesProfiled").asText()).isEqualTo(Integer.toString(loggedInstances));
            JsonNode mass = stat(first, "RAW_FEATURE_SKEW", "body_mass_g");
            assertThat(mass.path("metric").asText()).isEqualTo("JENSEN_SHANNON_DIVERGENCE");
            assertThat(mass.path("distributionDeviation").doubleValue()).isGreaterThan(0.5);
            assertThat(mass.path("anomalyDetectionThreshold").doubleValue()).isEqualTo(0.3);
            assertThat(mass.path("isAnomaly").booleanValue()).isTrue();
            assertThat(mass.path("deployedModelId").asText()).isEqualTo(flipperId);
            JsonNode island = stat(first, "RAW_FEATURE_SKEW", "island");
            assertThat(island.path("metric").asText()).isEqualTo("L_INFTY");
            assertThat(island.path("anomalyDetectionThreshold").doubleValue()).isEqualTo(0.95);
            assertThat(island.path("isAnomaly").booleanValue()).isFalse();
            // Nothing was logged in the hour before: drift says so instead of scoring 0.
            JsonNode drift = stat(first, "RAW_FEATURE_DRIFT", "body_mass_g");
            assertThat(drift.path("dataStatus").asText()).isEqualTo("NO_BASELINE_DATA");
            assertThat(drift.has("distributionDeviation")).isFalse();
            JsonNode attribution = stat(first, "FEATURE_ATTRIBUTION_SKEW", "body_mass_g");
            assertThat(attribution.path("metric").asText()).isEqualTo("ATTRIBUTION_SHARE_DEVIATION");
            assertThat(attribution.path("dataStatus").asText()).isEqualTo("OK");
            assertThat(attribution.path("distributionDeviation").doubleValue()).isBetween(0.0, 1.0);
            assertThat(stat(first, "FEATURE_ATTRIBUTION_DRIFT", "body_mass_g").path("dataStatus").asText()).isEqualTo("NO_BASELINE_DATA");
            assertThat(first.path("anomalyCount").intValue()).isPositive();

            // One alert, one WARNING line, and the webhook retried (503, 503, 200) until delivered.
            JsonNode alerts = awaitJson(MONITORS + "/watch/alerts", a -> a.path("alerts").path(0).path("webhookDelivery").path("state").asText()
                    .equals("DELIVERED"));
            assertThat(alerts.path("alerts")).hasSize(1);
            JsonNode alert = alerts.path("alerts").get(0);
            assertThat(alert.path("runId").asText()).isEqualTo(first.path("runId").asText());
            assertThat(alert.path("windowEndTime").asText()).isEqualTo(end.toString());
            assertThat(alert.path("webhookDelivery").path("attempts").intValue()).isEqualTo(3);
            assertThat(alert.path("webhookDelivery").has("deliverTime")).isTrue();
            assertThat(alert.path("anomalies").findValuesAsText("featureDisplayName")).contains("body_mass_g");
            assertThat(hookCalls.get()).isEqualTo(3);
            JsonNode body = Json.MAPPER.readTree(hookBodies.get(2));
            assertThat(body.path("modelDeploymentMonitoringJob").path("name").asText()).endsWith("/modelDeploymentMonitoringJobs/watch");
            assertThat(body.path("alert").path("windowStartTime").asText()).isEqualTo(end.minus(Duration.ofHours(1)).toString());
            assertThat(body.path("alert").path("anomalies").findValuesAsText("featureDisplayName")).contains("body_mass_g");
            assertThat(alertLog).anyMatch(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("Monitor watch")
                    && r.getMessage().contains("body_mass_g"));

            // The same window again: a second run is stored, but no second alert and no second webhook.
            JsonNode second = run("watch", end);
            assertThat(second.path("runId").asText()).isNotEqualTo(first.path("runId").asText());
            assertThat(second.path("anomalyCount").intValue()).isEqualTo(first.path("anomalyCount").intValue());
            assertThat(ok("GET", MONITORS + "/watch/alerts", null).path("alerts")).hasSize(1);
            assertThat(ok("GET", MONITORS + "/-/alerts", null).path("alerts").findValuesAsText("windowEndTime")).containsOnlyOnce(end.toString());
            assertThat(hookCalls.get()).isEqualTo(3);

            // Runs are listed newest first over REST, and are tables in SQL.
            JsonNode runs = ok("GET", MONITORS + "/watch/runs?pageSize=1", null);
            assertThat(runs.path("monitoringRuns").get(0).path("runId").asText()).isEqualTo(second.path("runId").asText());
            assertThat(runs.path("nextPageToken").asText()).isEqualTo("1");
            assertThat(ok("GET", MONITORS + "/watch/runs/" + first.path("runId").asText(), null).path("featureStats"))
                    .hasSize(first.path("featureStats").size());
            assertThat(queryLong("SELECT COUNT(*) FROM lathe_monitoring.runs WHERE monitor_id = 'watch' AND state = 'SUCCEEDED'")).isEqualTo(2);
            assertThat(queryLong("SELECT COUNT(*) FROM lathe_monitoring.feature_stats WHERE monitor_id = 'watch' AND is_anomaly "
                    + "AND objective = 'RAW_FEATURE_SKEW' AND feature = 'body_mass_g'")).isEqualTo(2);
        } finally {
            ok("DELETE", MONITORS + "/watch", null);
        }
        assertThat(queryLong("SELECT COUNT(*) FROM lathe_monitoring.runs WHERE monitor_id = 'watch'")).isZero();
        assertThat(error(send("GET", MONITORS + "/watch", null), 404).path("message").asText()).contains("'watch' does not exist");
    }

    @Test
    void aRunWithoutAWindowEndCoversWhatWasLoggedAMomentAgo() throws Exception {
        Instant before = clock.instant();
        Instant now = Instant.parse("2033-03-01T08:00:00.400Z");
        clock.set(now);
        log("shop", flipperId, now.minusMillis(100), instances(penguins("body_mass_g", 10)));
        ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=moment", monitor("shop", "{\"" + SKEW + "\": {}}", ""));
        try {
            JsonNode run = ok("POST", MONITORS + "/moment:run", "{}");
            assertThat(run.path("windowEndTime").asText()).as("now, not the second it began").isEqualTo("2033-03-01T08:00:00.400Z");
            assertThat(run.path("rowsRead").asText()).isEqualTo("1");
        } finally {
            ok("DELETE", MONITORS + "/moment", null);
            clock.set(before);
        }
    }

    @Test
    void anEmptyWindowIsANoDataRunWithoutFindingsOrAlert() throws Exception {
        ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=empty", monitor("shop", "{\"" + SKEW + "\": {}}", ""));
        try {
            JsonNode run = run("empty", Instant.parse("2001-01-01T00:00:00Z"));
            assertThat(run.path("state").asText()).isEqualTo("NO_DATA");
            assertThat(run.path("rowsRead").asText()).isEqualTo("0");
            assertThat(run.path("featureStats")).isEmpty();
            assertThat(run.path("anomalyCount").intValue()).isZero();
            assertThat(ok("GET", MONITORS + "/empty/alerts", null).path("alerts")).isEmpty();
        } finally {
            ok("DELETE", MONITORS + "/empty", null);
        }
    }

    @Test
    void driftComparesWithThePreviousWindowAndAFailingWebhookNeverStopsMonitoring() throws Exception {
        Instant base = Instant.parse("2031-03-01T10:00:00Z");
        for (int i = 0; i < 4; i++) {
            log("shop", flipperId, base.plusSeconds(10 + i), instances(penguins("body_mass_g", 30)));
            log("shop", flipperId, base.plusSeconds(70 + i), instances(penguins("body_mass_g * 2", 30)));
        }
        String webhook = "http://127.0.0.1:" + webhooks.getAddress().getPort() + "/broken";
        ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=drift", monitor("shop", "{\"" + DRIFT + "\": {\"defaultDriftThreshold\": {\"value\": 0.2}}}",
                ", \"modelDeploymentMonitoringScheduleConfig\": {\"monitorInterval\": \"60s\"}, \"modelMonitoringAlertConfig\": "
                        + "{\"webhookConfig\": {\"uri\": \"" + webhook + "\"}}"));
        try {
            JsonNode run = run("drift", base.plusSeconds(120));
            assertThat(run.path("rowsRead").asText()).isEqualTo("4");
            JsonNode mass = stat(run, "RAW_FEATURE_DRIFT", "body_mass_g");
            assertThat(mass.path("isAnomaly").booleanValue()).as(mass.toString()).isTrue();
            assertThat(mass.path("anomalyDetectionThreshold").doubleValue()).isEqualTo(0.2);
            assertThat(stat(run, "RAW_FEATURE_DRIFT", "species").path("isAnomaly").booleanValue()).isFalse();
            assertThat(stats(run, s -> s.path("objective").asText().startsWith("FEATURE_ATTRIBUTION"))).as("attributions not enabled").isEmpty();

            JsonNode failed = awaitJson(MONITORS + "/drift/alerts", a -> a.path("alerts").path(0).path("webhookDelivery").path("state").asText()
                    .equals("FAILED"));
            JsonNode delivery = failed.path("alerts").get(0).path("webhookDelivery");
            assertThat(delivery.path("attempts").intValue()).isEqualTo(3);
            assertThat(delivery.path("lastError").asText()).startsWith("HTTP 500");
            assertThat(brokenCalls.get()).isEqualTo(3);
            assertThat(alertLog).anyMatch(r -> r.getMessage().contains("giving up"));
            // The next window still runs: the same data on both sides now.
            JsonNode next = run("drift", base.plusSeconds(60));
            assertThat(next.path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(next.path("rowsRead").asText()).isEqualTo("4");
        } finally {
            ok("DELETE", MONITORS + "/drift", null);
        }
    }

    @Test
    void badLoggedRowsAreCountedByReasonAndTheRestIsProfiled() throws Exception {
        Instant at = Instant.parse("2032-06-01T12:00:30Z");
        log("shop", flipperId, at, instances(penguins("body_mass_g", 10)));
        log("shop", flipperId, at, "not json at all");
        log("shop", flipperId, at, "{\"rows\": []}");
        log("shop", flipperId, at, "{\"instances\": [{\"species\": \"Adelie\", \"island\": \"Dream\", \"bill_length_mm\": 39.1, "
                + "\"bill_depth_mm\": 18.7, \"body_mass_g\": 3700}]}");
        log("shop", flipperId, at.plusSeconds(1), "{\"instances\": [{\"species\": \"Adelie\", \"island\": \"Dream\", \"bill_length_mm\": 39.1, "
                + "\"bill_depth_mm\": 18.7, \"body_mass_g\": 3700}]}");
        log("shop", flipperId, at, "{\"instances\": [{\"species\": \"Adelie\", \"island\": \"Dream\", \"bill_length_mm\": \"long\", "
                + "\"bill_depth_mm\": 18.7, \"body_mass_g\": 3700, \"sex\": \"MALE\"}]}");
        ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=bad", monitor("shop", "{\"" + SKEW + "\": {}}",
                ", \"modelDeploymentMonitoringScheduleConfig\": {\"monitorInterval\": \"60s\"}"));
        try {
            JsonNode run = run("bad", Instant.parse("2032-06-01T12:01:00Z"));
            assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(run.path("rowsRead").asText()).isEqualTo("6");
            assertThat(run.path("rowsSkipped").asText()).isEqualTo("5");
            assertThat(run.path("instancesProfiled").asText()).isEqualTo("10");
            List<String> reasons = run.path("skippedRowReasons").findValuesAsText("reason");
            assertThat(reasons).anyMatch(r -> r.contains("not JSON"));
            assertThat(reasons).anyMatch(r -> r.contains("neither 'instances'"));
            assertThat(reasons).anyMatch(r -> r.contains("instance lacks field 'sex'"));
            assertThat(reasons).anyMatch(r -> r.contains("bill_length_mm") && r.contains("must be a number"));
            JsonNode lacking = null;
            for (JsonNode reason : run.path("skippedRowReasons")) {
                if (reason.path("reason").asText().contains("lacks field 'sex'")) {
                    lacking = reason;
                }
            }
            assertThat(lacking.path("count").asText()).as("the same reason in two rows counts once with 2").isEqualTo("2");
            assertThat(stat(run, "RAW_FEATURE_SKEW", "sex").path("dataStatus").asText()).isEqualTo("OK");
        } finally {
            ok("DELETE", MONITORS + "/bad", null);
        }
    }

    @Test
    void aDeployedModelWithoutBaselinesSaysSoInsteadOfScoring() throws Exception {
        ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=imported", monitor("imported", "{\"" + SKEW + "\": {}, "
                + "\"explanationConfig\": {\"enableFeatureAttributes\": true}}", ""));
        try {
            JsonNode run = run("imported", Instant.now().plus(Duration.ofMinutes(1)).truncatedTo(ChronoUnit.SECONDS));
            assertThat(run.path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(run.path("featureStats")).hasSize(2);
            JsonNode skew = stats(run, s -> s.path("objective").asText().equals("RAW_FEATURE_SKEW")).get(0);
            assertThat(skew.path("dataStatus").asText()).isEqualTo("NO_BASELINE");
            assertThat(skew.path("message").asText()).contains("has no training profile").contains("imported models have no training data");
            assertThat(skew.has("featureDisplayName")).isFalse();
            JsonNode attribution = stats(run, s -> s.path("objective").asText().equals("FEATURE_ATTRIBUTION_SKEW")).get(0);
            assertThat(attribution.path("dataStatus").asText()).isEqualTo("NO_BASELINE");
            assertThat(attribution.path("message").asText()).contains("ENABLE_GLOBAL_EXPLAIN");
            assertThat(run.path("anomalyCount").intValue()).isZero();
        } finally {
            ok("DELETE", MONITORS + "/imported", null);
        }
    }

    @Test
    void theSchedulerRunsAlignedWindowsAndSkipsWhatIsBeyondTheCatchUpLimit() throws Exception {
        Instant base = Instant.parse("2030-01-01T10:00:00Z");
        clock.set(base.minusSeconds(50));
        log("shop", flipperId, base.plusSeconds(30), instances(penguins("body_mass_g", 20)));
        JsonNode created = ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=sched", monitor("shop", "{\"" + SKEW + "\": {}}",
                ", \"modelDeploymentMonitoringScheduleConfig\": {\"monitorInterval\": \"60s\"}"));
        try {
            assertThat(created.path("nextScheduleTime").asText()).isEqualTo(base.toString());
            clock.set(base.plusSeconds(65));
            JsonNode runs = awaitJson(MONITORS + "/sched/runs", r -> r.path("monitoringRuns").size() == 2);
            JsonNode newest = runs.path("monitoringRuns").get(0);
            assertThat(newest.path("trigger").asText()).isEqualTo("SCHEDULE");
            assertThat(newest.path("windowStartTime").asText()).isEqualTo(base.toString());
            assertThat(newest.path("windowEndTime").asText()).isEqualTo(base.plusSeconds(60).toString());
            assertThat(newest.path("state").asText()).isEqualTo("SUCCEEDED");
            assertThat(newest.path("rowsRead").asText()).isEqualTo("1");
            assertThat(runs.path("monitoringRuns").get(1).path("state").asText()).as("the window ending at 10:00").isEqualTo("NO_DATA");
            assertThat(awaitJson(MONITORS + "/sched", m -> m.path("nextScheduleTime").asText().equals(base.plusSeconds(120).toString()))).isNotNull();

            // Down for 30 minutes: 30 windows are due; the oldest 6 are skipped (recorded once), the last 24 run.
            clock.set(base.plusSeconds(65 + 30 * 60));
            JsonNode after = awaitJson(MONITORS + "/sched/runs?pageSize=100", r -> r.path("monitoringRuns").size() == 2 + 1 + 24);
            List<JsonNode> skipped = new ArrayList<>();
            after.path("monitoringRuns").forEach(r -> {
                if (r.path("state").asText().equals("SKIPPED")) {
                    skipped.add(r);
                }
            });
            assertThat(skipped).hasSize(1);
            assertThat(skipped.get(0).path("notes").get(0).asText()).contains("6 window(s)").contains("at most the last 24");
            assertThat(skipped.get(0).path("windowEndTime").asText()).isEqualTo(base.plusSeconds(60 * 7).toString());
            assertThat(after.path("monitoringRuns").get(0).path("windowEndTime").asText()).isEqualTo(base.plusSeconds(60 * 31).toString());

            // Paused monitors are off the schedule; resuming starts at the next boundary, without catching up.
            ok("POST", MONITORS + "/sched:pause", "{}");
            assertThat(ok("GET", MONITORS + "/sched", null).path("state").asText()).isEqualTo("JOB_STATE_PAUSED");
            clock.set(base.plusSeconds(3600 + 30));
            ok("POST", MONITORS + "/sched:resume", "{}");
            assertThat(ok("GET", MONITORS + "/sched", null).path("nextScheduleTime").asText()).isEqualTo(base.plusSeconds(3660).toString());
        } finally {
            ok("DELETE", MONITORS + "/sched", null);
            clock.set(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        }
    }

    @Test
    void badRequestsNameTheFieldAndTheRule() throws Exception {
        JsonNode unknownFeature = error(send("POST", MONITORS, monitor("shop", "{\"" + SKEW + "\": {\"skewThresholds\": {\"body_mas_g\": "
                + "{\"value\": 0.2}}}}", "")), 400);
        assertThat(unknownFeature.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("modelDeploymentMonitoringObjectiveConfigs[0]"
                + ".objectiveConfig." + SKEW + ".skewThresholds.body_mas_g");
        assertThat(unknownFeature.path("message").asText()).contains("did you mean 'body_mass_g'").contains(flipperId);
        JsonNode unknownAttribution = error(send("POST", MONITORS, monitor("shop", "{\"" + DRIFT + "\": {\"attributionScoreDriftThresholds\": "
                + "{\"island\": {\"value\": 0.2}}}}", "")), 400);
        assertThat(unknownAttribution.path("message").asText()).contains("enableFeatureAttributes");
        JsonNode unknownEndpoint = error(send("POST", MONITORS, monitor("shops", "{\"" + SKEW + "\": {}}", "")), 400);
        assertThat(unknownEndpoint.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("endpoint");
        assertThat(unknownEndpoint.path("message").asText()).contains("'shops' does not exist").contains("did you mean 'shop'");
        JsonNode unknownDeployed = error(send("POST", MONITORS, "{\"displayName\": \"w\", \"endpoint\": \"shop\", "
                + "\"modelDeploymentMonitoringObjectiveConfigs\": [{\"deployedModelId\": \"1\", \"objectiveConfig\": {\"" + SKEW + "\": {}}}]}"), 400);
        assertThat(unknownDeployed.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("modelDeploymentMonitoringObjectiveConfigs[0].deployedModelId");
        assertThat(unknownDeployed.path("message").asText()).contains(flipperId);
        JsonNode interval = error(send("POST", MONITORS, monitor("shop", "{\"" + SKEW + "\": {}}",
                ", \"modelDeploymentMonitoringScheduleConfig\": {\"monitorInterval\": \"1h\"}")), 400);
        assertThat(interval.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("modelDeploymentMonitoringScheduleConfig.monitorInterval");
        JsonNode noObjective = error(send("POST", MONITORS, monitor("shop", "{}", "")), 400);
        assertThat(noObjective.path("message").asText()).contains(SKEW).contains(DRIFT);
        JsonNode threshold = error(send("POST", MONITORS, monitor("shop", "{\"" + SKEW + "\": {\"defaultSkewThreshold\": {\"value\": 3}}}", "")), 400);
        assertThat(threshold.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).endsWith("defaultSkewThreshold.value");
        JsonNode rate = error(send("POST", MONITORS, monitor("shop", "{\"" + SKEW + "\": {}}",
                ", \"loggingSamplingStrategy\": {\"randomSampleConfig\": {\"sampleRate\": 0}}")), 400);
        assertThat(rate.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("loggingSamplingStrategy.randomSampleConfig.sampleRate");
        JsonNode hook = error(send("POST", MONITORS, monitor("shop", "{\"" + SKEW + "\": {}}",
                ", \"modelMonitoringAlertConfig\": {\"webhookConfig\": {\"uri\": \"ftp://x\"}}")), 400);
        assertThat(hook.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo("modelMonitoringAlertConfig.webhookConfig.uri");
        assertThat(error(send("POST", MONITORS, monitor("shop", "{\"trainingDataset\": {}}", "")), 400).path("message").asText())
                .contains("training profile stored with");
        assertThat(ok("GET", MONITORS, null).path("modelDeploymentMonitoringJobs")).as("no failed create left a monitor").isEmpty();
        assertThat(error(send("POST", MONITORS + "/nope:run", "{}"), 404).path("message").asText()).contains("'nope' does not exist");
        assertThat(error(send("GET", MONITORS + "/nope/alerts", null), 404).path("message").asText()).contains("'nope' does not exist");
        ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=strict", monitor("shop", "{\"" + SKEW + "\": {}}", ""));
        try {
            assertThat(error(send("GET", MONITORS + "/strict/runs/12", null), 404).path("message").asText()).contains("has no run 12");
            assertThat(error(send("POST", MONITORS + "/strict:run", "{\"windowEndTime\": \"yesterday\"}"), 400).path("details").get(0).path("fieldViolations").get(0)
                    .path("field").asText()).isEqualTo("windowEndTime");
            assertThat(error(send("POST", MONITORS + "?modelDeploymentMonitoringJobId=strict", monitor("shop", "{\"" + SKEW + "\": {}}", "")), 409)
                    .path("message").asText()).contains("already exists");
        } finally {
            ok("DELETE", MONITORS + "/strict", null);
        }
    }
}
