package dev.lathe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.lathe.serve.EndpointsModule;
import dev.lathe.server.Json;
import dev.lathe.testing.LogCapture;
import dev.lathe.testing.PenguinsServer;
import dev.lathe.testing.TestingClock;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * PREDICTION_QUALITY monitors end to end on a real server (port 0): penguins models deployed with request logging at
 * rate 1.0, real predictions sent with client request ids, labels loaded afterwards, a real local webhook receiver,
 * and a {@link TestingClock} that the scheduler follows instead of sleeping. Metric values are checked against
 * {@code :evaluatePredictions} over the same window (which PredictionQualityHttpTest checks against ML.EVALUATE).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictionQualityMonitorTest {
    private static final String ENDPOINTS = "/v1/projects/p/locations/l/endpoints";
    private static final String MONITORS = "/v1/projects/p/locations/l/modelDeploymentMonitoringJobs";
    private static final String CONFIG = "modelDeploymentMonitoringObjectiveConfigs[0].objectiveConfig.predictionQualityConfig";
    private static final int REQUESTS = 40;

    private final TestingClock clock = new TestingClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    private final List<String> hookBodies = new CopyOnWriteArrayList<>();
    private final LogCapture alertLogHandler = new LogCapture();
    private final List<LogRecord> alertLog = alertLogHandler.records();
    private PenguinsServer server;
    private HttpServer webhooks;
    private Instant start;
    private Instant end;

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        server = PenguinsServer.start(directory, PenguinsServer.NUMBERED_ROWS_AND_MASS_MODEL + """
                CREATE MODEL d.sex OPTIONS (model_type = 'logistic_reg', input_label_cols = ['sex']) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE sex IS NOT NULL;
                CREATE TABLE d.truth_empty (request_id VARCHAR, body_mass_g DOUBLE);
                """, new EndpointsModule(), new MonitoringModule(clock, Optional.of(Duration.ofMillis(50)),
                new WebhookPolicy(3, Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(5))));
        webhooks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhooks.createContext("/hook", exchange -> {
            hookBodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhooks.start();
        Logger.getLogger(Alerter.class.getName()).addHandler(alertLogHandler);
        start = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(1);
        for (String model : List.of("mass", "sex")) {
            String endpoint = "q-" + model;
            server.ok("POST", ENDPOINTS + "?endpointId=" + endpoint, "{\"displayName\": \"" + endpoint
                    + "\", \"predictRequestResponseLoggingConfig\": {\"enabled\": true, \"samplingRate\": 1.0}}");
            server.ok("POST", ENDPOINTS + "/" + endpoint + ":deployModel", "{\"deployedModel\": {\"model\": \"d." + model
                    + "\"}, \"trafficSplit\": {\"0\": 100}}");
            for (int id = 1; id <= REQUESTS; id++) {
                String instance = new String(Json.bytes(server.rows("SELECT * EXCLUDE (id) FROM d.rows WHERE id = " + id)),
                        StandardCharsets.UTF_8);
                HttpResponse<String> response = server.send("POST", ENDPOINTS + "/" + endpoint + ":predict", "{\"instances\": " + instance + "}",
                        "X-Request-Id", endpoint + "-" + id);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }
            server.awaitLogged(endpoint, REQUESTS);
        }
        end = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        // The labels arrive later, for every request but those of rows whose id is a multiple of 4.
        server.rows("""
                CREATE TABLE d.truth_mass AS SELECT 'q-mass-' || id AS request_id, body_mass_g FROM d.rows WHERE id <= %d AND id %% 4 <> 0;
                CREATE TABLE d.truth_sex AS SELECT 'q-sex-' || id AS request_id, sex AS label FROM d.rows WHERE id <= %d AND id %% 4 <> 0;
                """.formatted(REQUESTS, REQUESTS));
        // Manual runs judge [start, end) with labelDelay 0: the clock is past it.
        clock.set(end.plus(Duration.ofHours(1)));
    }

    @AfterAll
    void stop() {
        Logger.getLogger(Alerter.class.getName()).removeHandler(alertLogHandler);
        if (webhooks != null) {
            webhooks.stop(0);
        }
        if (server != null) {
            server.close();
        }
    }

    // ---- fixtures ------------------------------------------------------------------------------------

    /** A monitor of one endpoint with one prediction quality config; the window covers the logged predictions. */
    private String monitor(String endpoint, String quality, String extra) {
        long window = Duration.between(start, end).getSeconds() + 60;
        return "{\"displayName\": \"quality\", \"endpoint\": \"projects/p/locations/l/endpoints/" + endpoint + "\", "
                + "\"modelDeploymentMonitoringObjectiveConfigs\": [{\"objectiveConfig\": {\"predictionQualityConfig\": " + quality + "}}], "
                + "\"modelDeploymentMonitoringScheduleConfig\": {\"monitorInterval\": \"3600s\", \"monitorWindow\": \"" + Math.max(window, 60) + "s\"}"
                + extra + "}";
    }

    private static String quality(String table, String metric, double threshold, String extra) {
        return "{\"groundTruth\": {\"table\": \"" + table + "\"}, \"metric\": \"" + metric + "\", \"metricThreshold\": {\"value\": " + threshold
                + "}" + extra + "}";
    }

    /** The window that ends at {@code end} and holds every logged prediction. */
    private JsonNode run(String monitor) throws Exception {
        return server.ok("POST", MONITORS + "/" + monitor + ":run", "{\"windowEndTime\": \"" + end + "\"}");
    }

    private static JsonNode onlyQuality(JsonNode run) {
        List<JsonNode> found = new ArrayList<>();
        run.path("featureStats").forEach(s -> {
            if (s.path("objective").asText().equals("PREDICTION_QUALITY")) {
                found.add(s);
            }
        });
        assertThat(found).as(run.toString()).hasSize(1);
        return found.getFirst();
    }

    /** What :evaluatePredictions says of the run's window. */
    private JsonNode evaluated(String endpoint, String table, JsonNode run) throws Exception {
        return server.ok("POST", ENDPOINTS + "/" + endpoint + ":evaluatePredictions", "{\"groundTruth\": {\"table\": \"" + table + "\"}, "
                + "\"startTime\": \"" + run.path("windowStartTime").asText() + "\", \"endTime\": \"" + run.path("windowEndTime").asText() + "\"}")
                .path("windows").get(0);
    }

    private JsonNode awaitJson(String path, Predicate<JsonNode> done) throws Exception {
        JsonNode last = null;
        for (int attempt = 0; attempt < 1200; attempt++) {
            last = server.ok("GET", path, null);
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("never reached the expected state: " + last);
    }

    private JsonNode badRequest(String body) throws Exception {
        return PenguinsServer.error(server.send("POST", MONITORS, body), 400);
    }

    // ---- tests ---------------------------------------------------------------------------------------

    @Test
    void aClassifierBelowItsRocAucThresholdRaisesOneAlertDeliveredToTheWebhook() throws Exception {
        String webhook = "http://127.0.0.1:" + webhooks.getAddress().getPort() + "/hook";
        JsonNode created = server.ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=sexq", monitor("q-sex", quality("d.truth_sex", "roc_auc",
                0.999, ""), ", \"modelMonitoringAlertConfig\": {\"webhookConfig\": {\"uri\": \"" + webhook + "\"}}"));
        try {
            JsonNode config = created.path("modelDeploymentMonitoringObjectiveConfigs").get(0).path("objectiveConfig").path("predictionQualityConfig");
            assertThat(config.path("metric").asText()).isEqualTo("roc_auc");
            assertThat(config.path("labelDelay").asText()).as("the default").isEqualTo("0s");
            assertThat(config.path("groundTruth").path("table").asText()).isEqualTo("d.truth_sex");

            JsonNode run = run("sexq");
            assertThat(run.path("state").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
            JsonNode finding = onlyQuality(run);
            JsonNode expected = evaluated("q-sex", "d.truth_sex", run);
            assertThat(finding.path("dataStatus").asText()).isEqualTo("OK");
            assertThat(finding.path("metric").asText()).isEqualTo("roc_auc");
            assertThat(finding.path("metricValue").doubleValue()).isCloseTo(expected.path("metrics").path("roc_auc").doubleValue(), within(1e-12))
                    .isBetween(0.5, 0.999);
            assertThat(finding.path("anomalyDetectionThreshold").doubleValue()).isEqualTo(0.999);
            assertThat(finding.path("isAnomaly").booleanValue()).isTrue();
            assertThat(finding.path("predictionCount").asText()).isEqualTo(Integer.toString(REQUESTS));
            assertThat(finding.path("matchedPredictionCount").asText()).isEqualTo(Integer.toString(REQUESTS - REQUESTS / 4))
                    .isEqualTo(expected.path("rowsMatched").asText());
            assertThat(run.path("anomalyCount").intValue()).isEqualTo(1);

            JsonNode alerts = awaitJson(MONITORS + "/sexq/alerts", a -> a.path("alerts").path(0).path("webhookDelivery").path("state").asText()
                    .equals("DELIVERED"));
            assertThat(alerts.path("alerts")).hasSize(1);
            JsonNode anomaly = alerts.path("alerts").get(0).path("anomalies").get(0);
            assertThat(anomaly.path("objective").asText()).isEqualTo("PREDICTION_QUALITY");
            assertThat(anomaly.path("metricValue").doubleValue()).isEqualTo(finding.path("metricValue").doubleValue());
            assertThat(anomaly.path("matchedPredictionCount").asText()).isEqualTo(finding.path("matchedPredictionCount").asText());
            JsonNode body = Json.MAPPER.readTree(hookBodies.getLast());
            assertThat(body.path("modelDeploymentMonitoringJob").path("name").asText()).endsWith("/modelDeploymentMonitoringJobs/sexq");
            assertThat(body.path("alert").path("anomalies").get(0).path("metric").asText()).isEqualTo("roc_auc");
            assertThat(alertLog).anyMatch(r -> r.getLevel() == Level.WARNING && r.getMessage().contains("Monitor sexq")
                    && r.getMessage().contains("PREDICTION_QUALITY roc_auc"));

            // The same window again: a second run, no second alert.
            run("sexq");
            assertThat(server.ok("GET", MONITORS + "/sexq/alerts", null).path("alerts")).hasSize(1);
            // Runs are tables in SQL, with the counts.
            List<java.util.Map<String, Object>> rows = server.rows("SELECT metric, value, threshold, is_anomaly, data_status, prediction_count,"
                    + " matched_prediction_count FROM lathe_monitoring.feature_stats WHERE monitor_id = 'sexq' AND objective = 'PREDICTION_QUALITY'");
            assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row).containsEntry("metric", "roc_auc").containsEntry("is_anomaly", true)
                    .containsEntry("data_status", "OK").containsEntry("prediction_count", (long) REQUESTS)
                    .containsEntry("matched_prediction_count", (long) (REQUESTS - REQUESTS / 4)));
        } finally {
            server.ok("DELETE", MONITORS + "/sexq", null);
        }
    }

    @Test
    void aMetricThatIsNotWorseThanItsThresholdRaisesNoAlertInEitherDirection() throws Exception {
        // accuracy: higher is better; mean_absolute_error: lower is better.
        server.ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=sexok", monitor("q-sex", quality("d.truth_sex", "accuracy", 0.5,
                ", \"threshold\": 0.5"), ""));
        server.ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=massok", monitor("q-mass", quality("d.truth_mass", "mean_absolute_error",
                2000, ""), ""));
        server.ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=massbad", monitor("q-mass", quality("d.truth_mass", "mean_absolute_error",
                100, ""), ""));
        try {
            JsonNode accuracy = onlyQuality(run("sexok"));
            assertThat(accuracy.path("metricValue").doubleValue()).isGreaterThan(0.5);
            assertThat(accuracy.path("isAnomaly").booleanValue()).isFalse();
            JsonNode massRun = run("massok");
            JsonNode mae = onlyQuality(massRun);
            assertThat(mae.path("metricValue").doubleValue()).isCloseTo(evaluated("q-mass", "d.truth_mass", massRun).path("metrics")
                    .path("mean_absolute_error").doubleValue(), within(1e-9)).isBetween(100.0, 2000.0);
            assertThat(mae.path("isAnomaly").booleanValue()).isFalse();
            assertThat(server.ok("GET", MONITORS + "/sexok/alerts", null).path("alerts")).isEmpty();
            assertThat(server.ok("GET", MONITORS + "/massok/alerts", null).path("alerts")).isEmpty();
            // The same error above a lower threshold is an anomaly: the direction is the metric's.
            JsonNode worse = onlyQuality(run("massbad"));
            assertThat(worse.path("metricValue").doubleValue()).isEqualTo(mae.path("metricValue").doubleValue());
            assertThat(worse.path("isAnomaly").booleanValue()).isTrue();
            assertThat(server.ok("GET", MONITORS + "/massbad/alerts", null).path("alerts")).hasSize(1);
        } finally {
            for (String id : List.of("sexok", "massok", "massbad")) {
                server.ok("DELETE", MONITORS + "/" + id, null);
            }
        }
    }

    @Test
    void windowsWithoutPredictionsOrLabelsSaySoInsteadOfScoring() throws Exception {
        server.ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=nolabels", monitor("q-mass", quality("d.truth_empty", "r2_score", 0.9, ""), ""));
        try {
            JsonNode run = run("nolabels");
            JsonNode finding = onlyQuality(run);
            assertThat(finding.path("dataStatus").asText()).isEqualTo("NO_LABELS");
            assertThat(finding.has("metricValue")).isFalse();
            assertThat(finding.has("isAnomaly")).isFalse();
            assertThat(finding.path("predictionCount").asText()).isEqualTo(Integer.toString(REQUESTS));
            assertThat(finding.path("matchedPredictionCount").asText()).isEqualTo("0");
            assertThat(finding.path("message").asText()).contains("none has a label");
            assertThat(run.path("anomalyCount").intValue()).isZero();

            JsonNode empty = server.ok("POST", MONITORS + "/nolabels:run", "{\"windowEndTime\": \"2001-01-01T00:00:00Z\"}");
            assertThat(empty.path("state").asText()).isEqualTo("NO_DATA");
            JsonNode none = onlyQuality(empty);
            assertThat(none.path("dataStatus").asText()).isEqualTo("NO_PREDICTIONS");
            assertThat(none.path("predictionCount").asText()).isEqualTo("0");
            assertThat(none.has("metricValue")).isFalse();
            assertThat(server.ok("GET", MONITORS + "/nolabels/alerts", null).path("alerts")).isEmpty();
        } finally {
            server.ok("DELETE", MONITORS + "/nolabels", null);
        }
    }

    @Test
    void theSchedulerJudgesAWindowOnlyOnceItsLabelDelayHasPassed() throws Exception {
        Instant base = Instant.parse("2030-01-01T10:00:00Z");
        // The real logged predictions of q-mass again, 30 s into the window [base, base + 60 s), with labels of their own.
        server.rows("""
                INSERT INTO lathe_logs.request_response_logging SELECT * REPLACE (TIMESTAMP '2030-01-01 10:00:30' AS logging_time,
                  'sched-' || request_id AS request_id) FROM lathe_logs.request_response_logging WHERE endpoint = 'q-mass' AND logging_time < TIMESTAMP '2030-01-01';
                CREATE TABLE d.truth_sched AS SELECT 'sched-' || request_id AS request_id, body_mass_g FROM d.truth_mass;
                """);
        Instant saved = clock.instant();
        clock.set(base.minusSeconds(50));
        JsonNode created = server.ok("POST", MONITORS + "?modelDeploymentMonitoringJobId=sched", "{\"displayName\": \"sched\", \"endpoint\": \"q-mass\", "
                + "\"modelDeploymentMonitoringObjectiveConfigs\": [{\"objectiveConfig\": {\"predictionQualityConfig\": "
                + quality("d.truth_sched", "r2_score", 0.99, ", \"labelDelay\": \"300s\"") + "}}], "
                + "\"modelDeploymentMonitoringScheduleConfig\": {\"monitorInterval\": \"60s\"}}");
        try {
            assertThat(created.path("nextScheduleTime").asText()).as("the first window ends at base; its labels are due 300 s later")
                    .isEqualTo(base.plusSeconds(300).toString());
            // A manual run of a window whose labels are not due yet says so rather than judging it.
            JsonNode early = server.ok("POST", MONITORS + "/sched:run", "{\"windowEndTime\": \"" + base.plusSeconds(60) + "\"}");
            assertThat(onlyQuality(early).path("dataStatus").asText()).isEqualTo("LABELS_PENDING");
            assertThat(onlyQuality(early).path("message").asText()).contains(base.plusSeconds(360).toString());

            // At base + 365 s the windows ending at base and base + 60 s are due; those ending at base + 120 s and later
            // have ended but their labels are not: the schedule stops before them.
            clock.set(base.plusSeconds(365));
            JsonNode monitor = awaitJson(MONITORS + "/sched", m -> m.path("nextScheduleTime").asText().equals(base.plusSeconds(420).toString()));
            assertThat(monitor.path("nextScheduleTime").asText()).isEqualTo(base.plusSeconds(120 + 300).toString());
            JsonNode runs = awaitJson(MONITORS + "/sched/runs", r -> r.path("monitoringRuns").size() == 3);
            JsonNode judged = runs.path("monitoringRuns").get(0);
            assertThat(judged.path("trigger").asText()).isEqualTo("SCHEDULE");
            assertThat(judged.path("windowEndTime").asText()).isEqualTo(base.plusSeconds(60).toString());
            JsonNode finding = onlyQuality(judged);
            assertThat(finding.path("dataStatus").asText()).isEqualTo("OK");
            assertThat(finding.path("metricValue").doubleValue()).isLessThan(0.99);
            assertThat(finding.path("isAnomaly").booleanValue()).isTrue();
            assertThat(finding.path("matchedPredictionCount").asText()).isEqualTo(Integer.toString(REQUESTS - REQUESTS / 4));
            JsonNode first = runs.path("monitoringRuns").get(1);
            assertThat(first.path("windowEndTime").asText()).isEqualTo(base.toString());
            assertThat(onlyQuality(first).path("dataStatus").asText()).isEqualTo("NO_PREDICTIONS");
            assertThat(server.ok("GET", MONITORS + "/sched/alerts", null).path("alerts").findValuesAsText("windowEndTime"))
                    .containsExactly(base.plusSeconds(60).toString());

            // Down for 30 minutes: catch-up counts due windows from clock - labelDelay, the last 24 of them run.
            clock.set(base.plusSeconds(300 + 60 * 31 + 5));
            JsonNode after = awaitJson(MONITORS + "/sched/runs?pageSize=100", r -> r.path("monitoringRuns").size() == 3 + 1 + 24);
            assertThat(after.path("monitoringRuns").get(0).path("windowEndTime").asText()).isEqualTo(base.plusSeconds(60 * 31).toString());
            List<JsonNode> skipped = new ArrayList<>();
            after.path("monitoringRuns").forEach(r -> {
                if (r.path("state").asText().equals("SKIPPED")) {
                    skipped.add(r);
                }
            });
            assertThat(skipped).hasSize(1);
            assertThat(skipped.getFirst().path("notes").get(0).asText()).contains("6 window(s)");
            assertThat(awaitJson(MONITORS + "/sched", m -> m.path("nextScheduleTime").asText().equals(base.plusSeconds(60 * 32 + 300).toString())))
                    .isNotNull();
        } finally {
            server.ok("DELETE", MONITORS + "/sched", null);
            clock.set(saved);
        }
    }

    @Test
    void badQualityConfigsAreRejectedNamingTheField() throws Exception {
        JsonNode typo = badRequest(monitor("q-sex", quality("d.truth_sex", "roc_auk", 0.8, ""), ""));
        assertThat(typo.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo(CONFIG + ".metric");
        assertThat(typo.path("message").asText()).contains("did you mean 'roc_auc'").contains("mean_absolute_error");
        JsonNode wrongType = badRequest(monitor("q-mass", quality("d.truth_mass", "roc_auc", 0.8, ""), ""));
        assertThat(wrongType.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo(CONFIG + ".metric");
        assertThat(wrongType.path("message").asText()).contains("d.mass@1").contains("r2_score").doesNotContain("accuracy");
        JsonNode noThreshold = badRequest(monitor("q-sex", "{\"groundTruth\": {\"table\": \"d.truth_sex\"}, \"metric\": \"accuracy\", "
                + "\"threshold\": 0.8}", ""));
        assertThat(noThreshold.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo(CONFIG + ".metricThreshold");
        assertThat(noThreshold.path("message").asText()).contains("below");
        JsonNode delay = badRequest(monitor("q-sex", quality("d.truth_sex", "accuracy", 0.8, ", \"labelDelay\": \"1h\""), ""));
        assertThat(delay.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo(CONFIG + ".labelDelay");
        JsonNode table = badRequest(monitor("q-sex", quality("d.truth_sx", "accuracy", 0.8, ""), ""));
        assertThat(table.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo(CONFIG + ".groundTruth.table");
        assertThat(table.path("message").asText()).contains("d.truth_sx not found").contains("before the monitor");
        JsonNode query = badRequest(monitor("q-sex", "{\"groundTruth\": {\"query\": \"DROP MODEL d.sex\"}, \"metric\": \"accuracy\", "
                + "\"metricThreshold\": {\"value\": 0.8}}", ""));
        assertThat(query.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo(CONFIG + ".groundTruth.query");
        assertThat(query.path("message").asText()).contains("must be a query");
        JsonNode noTruth = badRequest(monitor("q-sex", "{\"metric\": \"accuracy\", \"metricThreshold\": {\"value\": 0.8}}", ""));
        assertThat(noTruth.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo(CONFIG + ".groundTruth");
        JsonNode binary = badRequest(monitor("q-sex", quality("d.truth_sex", "accuracy", 0.8, ", \"threshold\": 2"), ""));
        assertThat(binary.path("details").get(0).path("fieldViolations").get(0).path("field").asText()).isEqualTo(CONFIG + ".threshold");
        JsonNode unknown = badRequest(monitor("q-sex", quality("d.truth_sex", "accuracy", 0.8, ", \"labelColumns\": \"x\""), ""));
        assertThat(unknown.path("message").asText()).contains("labelColumns").contains("labelColumn");
        assertThat(server.ok("GET", MONITORS, null).path("modelDeploymentMonitoringJobs")).as("no failed create left a monitor").isEmpty();
    }
}
