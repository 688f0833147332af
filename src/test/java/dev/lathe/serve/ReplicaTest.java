package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.Platform;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.server.ServerDiscovery;
import dev.lathe.server.ServerModules;
import dev.lathe.testing.PenguinsServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lathe server --replica}: a second server over the same data directory, with the registry and endpoints from
 * the shared metadata store and an in-memory warehouse of its own, serving what the primary deploys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ReplicaTest {
    // PostgresqlReplicaTest runs the same with the metadata in PostgreSQL.
    private static final String BASE = "/v1/projects/p/locations/l/endpoints";
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final String INSTANCE = "{\"instances\": [{\"species\": \"Adelie\", \"island\": \"Biscoe\", \"bill_length_mm\": 39.1,"
            + " \"bill_depth_mm\": 18.7, \"flipper_length_mm\": 181, \"sex\": \"MALE\"}]}";

    private PenguinsServer primary;
    private Platform replicaPlatform;
    private LatheServer replica;
    private final HttpClient http = HttpClient.newHttpClient();

    private String metadataUrl;

    /** Where the primary and the replica keep the registry and endpoints: SQLite in the data directory here. */
    protected String metadataUrl(Path dataDirectory) {
        return MetadataStore.defaultUrl(dataDirectory);
    }

    protected void dropMetadata(String url) {}

    @BeforeAll
    void start(@TempDir Path directory) throws Exception {
        metadataUrl = metadataUrl(directory.resolve("data"));
        primary = PenguinsServer.start(directory, metadataUrl, PenguinsServer.NUMBERED_ROWS_AND_MASS_MODEL + """
                CREATE OR REPLACE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'], l2_reg = 50.0) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.scaled
                  TRANSFORM (ML.STANDARD_SCALER(flipper_length_mm) OVER () AS flipper, ML.QUANTILE_BUCKETIZE(bill_length_mm, 4) OVER () AS bill,
                    island, body_mass_g)
                  OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['body_mass_g'], max_iterations = 5) AS
                  SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL;
                """, new ModelsModule(), new EndpointsModule(EndpointsModule.DEFAULT_LOG_QUEUE, INTERVAL));
        primary.ok("POST", BASE + "?endpointId=before", "{\"displayName\": \"before\"}");
        primary.ok("POST", BASE + "/before:deployModel", "{\"deployedModel\": {\"model\": \"d.mass@1\"}, \"trafficSplit\": {\"0\": 100}}");
        replicaPlatform = Platform.openReplica(primary.platform().dataDirectory(), metadataUrl);
        replica = PenguinsServer.serve(replicaPlatform, ServerConfig.defaults().withPort(0), ServerModules.replica(INTERVAL));
    }

    @AfterAll
    void stop() {
        if (replica != null) {
            replica.stop();
        }
        if (replicaPlatform != null) {
            replicaPlatform.close();
        }
        primary.close();
        dropMetadata(metadataUrl);
    }

    @Test
    void servesWhatThePrimaryDeployedWithTheSameAnswers() throws Exception {
        JsonNode fromReplica = ok("POST", BASE + "/before:predict", INSTANCE);
        JsonNode fromPrimary = primary.ok("POST", BASE + "/before:predict", INSTANCE);
        assertThat(fromReplica.path("predictions")).isEqualTo(fromPrimary.path("predictions"));
        assertThat(fromReplica.path("modelVersionId").asText()).isEqualTo("1");
        assertThat(fromReplica.path("deployedModelId")).isEqualTo(fromPrimary.path("deployedModelId"));
    }

    @Test
    void transformModelsRunInTheReplicasOwnInMemoryWarehouse() throws Exception {
        primary.ok("POST", BASE + "?endpointId=scaled", "{\"displayName\": \"scaled\"}");
        primary.ok("POST", BASE + "/scaled:deployModel", "{\"deployedModel\": {\"model\": \"d.scaled\"}, \"trafficSplit\": {\"0\": 100}}");
        String instances = "{\"instances\": [{\"island\": \"Biscoe\", \"bill_length_mm\": 39.1, \"flipper_length_mm\": 181, \"body_mass_g\": null},"
                + " {\"island\": \"Dream\", \"bill_length_mm\": 50.2, \"flipper_length_mm\": 222, \"body_mass_g\": null}]}";
        JsonNode fromPrimary = primary.ok("POST", BASE + "/scaled:predict", instances);
        JsonNode fromReplica = awaitReplica(BASE + "/scaled:predict", instances, answer -> answer.statusCode() == 200);
        assertThat(fromReplica.path("predictions")).hasSize(2).isEqualTo(fromPrimary.path("predictions"));
    }

    @Test
    void picksUpEndpointsTheirChangesAndDeletionsMadeOnThePrimary() throws Exception {
        primary.ok("POST", BASE + "?endpointId=later", "{\"displayName\": \"later\"}");
        primary.ok("POST", BASE + "/later:deployModel", "{\"deployedModel\": {\"model\": \"d.mass@1\"}, \"trafficSplit\": {\"0\": 100}}");
        JsonNode first = awaitReplica(BASE + "/later:predict", answer -> answer.statusCode() == 200);
        assertThat(first.path("modelVersionId").asText()).isEqualTo("1");

        // Version 2 takes all traffic: the replica moves over once it has read the change.
        JsonNode deployed = primary.ok("POST", BASE + "/later:deployModel", "{\"deployedModel\": {\"model\": \"d.mass@2\"}, "
                + "\"trafficSplit\": {\"0\": 100}}");
        String second = deployed.path("response").path("deployedModel").path("id").asText();
        JsonNode moved = awaitReplica(BASE + "/later:predict", answer -> answer.statusCode() == 200 && answer.body().contains("\"" + second + "\""));
        assertThat(moved.path("modelVersionId").asText()).isEqualTo("2");
        assertThat(moved.path("predictions")).isEqualTo(primary.ok("POST", BASE + "/later:predict", INSTANCE).path("predictions"));

        primary.ok("POST", BASE + "/later:undeployModel", "{\"deployedModelId\": \"" + first.path("deployedModelId").asText() + "\"}");
        primary.ok("POST", BASE + "/later:undeployModel", "{\"deployedModelId\": \"" + second + "\"}");
        primary.ok("DELETE", BASE + "/later", null);
        awaitReplica(BASE + "/later:predict", answer -> answer.statusCode() == 404);
    }

    /**
     * Probe G: a replica kept the model it had loaded as d.m@1 after the primary dropped d.m and created it again (version 1
     * once more), so it answered the new deployment with the dropped model's predictions. A model made again now goes on
     * from the dropped model's numbers (probe td F9), so the new one is version 2, which the replica loads.
     */
    @Test
    void aModelDroppedAndCreatedAgainOnThePrimaryIsLoadedAgainByTheReplica() throws Exception {
        String create = "CREATE MODEL d.again OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";
        primary.ok("POST", "/v1/queries", Json.MAPPER.createObjectNode().put("query", create).toString());
        primary.ok("POST", BASE + "?endpointId=again", "{\"displayName\": \"again\"}");
        String first = primary.ok("POST", BASE + "/again:deployModel", "{\"deployedModel\": {\"model\": \"d.again@1\"},"
                + " \"trafficSplit\": {\"0\": 100}}").path("response").path("deployedModel").path("id").asText();
        String one = "{\"instances\": [{\"flipper_length_mm\": 181}]}";
        JsonNode before = awaitReplica(BASE + "/again:predict", one, answer -> answer.statusCode() == 200);

        primary.ok("POST", BASE + "/again:undeployModel", "{\"deployedModelId\": \"" + first + "\"}");
        primary.ok("POST", "/v1/queries", Json.MAPPER.createObjectNode().put("query", "DROP MODEL d.again; " + create
                + " AND bill_length_mm > 40").toString());
        JsonNode redeployed = primary.ok("POST", BASE + "/again:deployModel", "{\"deployedModel\": {\"model\": \"d.again\"},"
                + " \"trafficSplit\": {\"0\": 100}}").path("response").path("deployedModel");
        assertThat(redeployed.path("modelVersionId").asText()).isEqualTo("2");
        String second = redeployed.path("id").asText();
        JsonNode fromPrimary = primary.ok("POST", BASE + "/again:predict", one);
        assertThat(fromPrimary.path("predictions")).isNotEqualTo(before.path("predictions"));
        JsonNode fromReplica = awaitReplica(BASE + "/again:predict", one, answer -> answer.body().contains("\"" + second + "\""));
        assertThat(fromReplica.path("predictions")).isEqualTo(fromPrimary.path("predictions"));
    }

    /**
     * Probe tc F1, F6: a replica whose storage had not received a deployed version's transform.json yet loaded it without its
     * TRANSFORM, answered wrong predictions with 200 and kept them once the file arrived; an endpoint that could not load
     * logged a stack trace at every refresh, saying it kept "serving as before" what it had never served. It answers the
     * load's error, says so once, and serves the right predictions at the first refresh after the file arrives.
     */
    @Test
    void anEndpointWhoseTransformFileIsLateAnswersTheErrorSaysItOnceAndServesOnceTheFileArrives() throws Exception {
        primary.ok("POST", "/v1/queries", Json.MAPPER.createObjectNode().put("query", "CREATE MODEL d.late"
                + " TRANSFORM (ML.STANDARD_SCALER(flipper_length_mm) OVER () AS flipper_length_mm, body_mass_g)"
                + " OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL").toString());
        String one = "{\"instances\": [{\"flipper_length_mm\": 181}]}";
        // the primary has the model loaded (its cache serves the deploy below), and the replica has the endpoint without one
        primary.ok("POST", "/v2/models/d.late/infer", "{\"inputs\": [{\"name\": \"flipper_length_mm\","
                + " \"shape\": [1], \"datatype\": \"FP64\", \"data\": [181]}]}");
        primary.ok("POST", BASE + "?endpointId=late", "{\"displayName\": \"late\"}");
        awaitReplica(BASE + "/late:predict", one, answer -> answer.body().contains("no model is deployed"));
        Path transform = primary.platform().dataDirectory().resolve("models/d/late/1/transform.json");
        Path away = Files.move(transform, transform.resolveSibling("../transform.json.late"));
        // the file has not reached the replica's storage when the deployment does
        primary.ok("POST", BASE + "/late:deployModel", "{\"deployedModel\": {\"model\": \"d.late\"}, \"trafficSplit\": {\"0\": 100}}");
        dev.lathe.testing.LogCapture logs = new dev.lathe.testing.LogCapture();
        java.util.logging.Logger lathe = java.util.logging.Logger.getLogger("dev.lathe");
        lathe.addHandler(logs);
        try {
            JsonNode failing = awaitReplica(BASE + "/late:predict", one, answer -> answer.statusCode() == 500);
            assertThat(failing.path("error").path("message").asText()).contains("transform.json is missing");
            Thread.sleep(INTERVAL.multipliedBy(5).toMillis()); // five more refreshes, each failing again
            // tc F8: the protocol's server readiness ("all models ready") says so; /readyz, the process's, stays ready
            HttpResponse<String> ready = send("GET", "/v2/health/ready", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(Json.MAPPER.readTree(ready.body()).path("error").asText())
                    .contains("not every deployed model is loaded: endpoint late: ").contains("transform.json is missing");
            assertThat(send("GET", "/readyz", null).statusCode()).isEqualTo(200);
            assertThat(logs.records()).filteredOn(record -> String.valueOf(record.getMessage()).contains("Endpoint late"))
                    .singleElement().satisfies(record -> {
                        // said by the refresh or by the first request, whichever tried first
                        assertThat(record.getMessage()).contains("so it answers with the error").doesNotContain("as before")
                                .contains("transform.json is missing");
                        assertThat(record.getThrown()).isNull();
                    });
        } finally {
            lathe.removeHandler(logs);
            Files.move(away, transform);
        }
        JsonNode healed = awaitReplica(BASE + "/late:predict", one, answer -> answer.statusCode() == 200);
        assertThat(healed.path("predictions")).isEqualTo(primary.ok("POST", BASE + "/late:predict", one).path("predictions"));
        assertThat(send("GET", "/v2/health/ready", null).statusCode()).isEqualTo(200);
    }

    @Test
    void refusesChangesAndSqlNamingThePrimary() throws Exception {
        for (String[] call : new String[][] {
                {"POST", "/v1/queries", "{\"query\": \"SELECT 1\"}"},
                {"POST", BASE + "?endpointId=x", "{\"displayName\": \"x\"}"},
                {"POST", BASE + "/before:deployModel", "{\"deployedModel\": {\"model\": \"d.mass@2\"}}"},
                {"DELETE", BASE + "/before", null},
                {"DELETE", "/v1/projects/p/locations/l/models/d.mass", null}}) {
            HttpResponse<String> answer = send(call[0], call[1], call[2]);
            assertThat(answer.statusCode()).as(call[0] + " " + call[1]).isEqualTo(403);
            JsonNode error = Json.MAPPER.readTree(answer.body()).path("error");
            assertThat(error.path("status").asText()).isEqualTo("PERMISSION_DENIED");
            assertThat(error.path("message").asText()).contains("serving replica").contains("primary server");
        }
        // Batch jobs and monitors are the primary's, reads included: 403 naming it, not 404 "No route" (probe G)
        for (String[] call : new String[][] {
                {"GET", "/v1/projects/p/locations/l/batchPredictionJobs", null},
                {"POST", "/v1/projects/p/locations/l/batchPredictionJobs", "{}"},
                {"GET", "/v1/projects/p/locations/l/modelDeploymentMonitoringJobs/m1/runs", null},
                {"POST", "/v1/projects/p/locations/l/modelDeploymentMonitoringJobs", "{}"}}) {
            HttpResponse<String> answer = send(call[0], call[1], call[2]);
            assertThat(answer.statusCode()).as(call[0] + " " + call[1]).isEqualTo(403);
            assertThat(Json.MAPPER.readTree(answer.body()).path("error").path("message").asText()).contains("primary server");
        }
        // Nothing was applied: the endpoint still serves, and reads answer.
        assertThat(ok("GET", BASE + "/before", null).path("deployedModels")).hasSize(1);
        assertThat(ok("GET", "/v1/projects/p/locations/l/models/d.mass", null).path("versionId").asText()).isEqualTo("2");
    }

    /**
     * Probe G: a replica registered the model folders the registry did not know (its open's backfill), writing another
     * directory's models into the shared store. A replica registers nothing; reconciling is the primary's.
     */
    @Test
    void aReplicaRegistersNothing() throws Exception {
        Path models = primary.platform().dataDirectory().resolve("models/d");
        Path stray = models.resolve("stray/1");
        java.nio.file.Files.createDirectories(stray.getParent());
        try (var files = java.nio.file.Files.list(models.resolve("mass/1"))) {
            java.nio.file.Files.createDirectories(stray);
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.equals("manifest.json")) {
                    java.nio.file.Files.writeString(stray.resolve(name), java.nio.file.Files.readString(file).replaceFirst("\"name\"\\s*:\\s*\"mass\"",
                            "\"name\" : \"stray\""));
                } else if (!name.startsWith(".")) {
                    java.nio.file.Files.copy(file, stray.resolve(name));
                }
            }
        }
        java.nio.file.Files.writeString(models.resolve("stray/DEFAULT"), "1");
        assertThat(java.nio.file.Files.readString(stray.resolve("manifest.json"))).contains("\"name\" : \"stray\"");
        try (Platform second = Platform.openReplica(primary.platform().dataDirectory(), metadataUrl)) {
            assertThat(second.registry().getModel("d", "stray")).isEmpty();
        }
        assertThat(primary.platform().registry().getModel("d", "stray")).isEmpty();
        try (var walk = java.nio.file.Files.walk(models.resolve("stray"))) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                java.nio.file.Files.delete(path);
            }
        }
    }

    @Test
    void leavesTheWarehouseAndTheCommandLineToThePrimary() throws Exception {
        assertThat(replicaPlatform.warehouse().file()).isEmpty();
        assertThat(ServerDiscovery.read(primary.platform().dataDirectory()).orElseThrow().port()).isEqualTo(primary.port());
        assertThat(primary.rows("SELECT count(*) AS n FROM d.penguins").getFirst().get("n")).isEqualTo(344L);
    }

    @Test
    void predictionLogsOfTheReplicaReachThePrimarysWarehouse() throws Exception {
        primary.ok("POST", BASE + "?endpointId=logged", "{\"displayName\": \"logged\", "
                + "\"predictRequestResponseLoggingConfig\": {\"enabled\": true, \"samplingRate\": 1.0}}");
        primary.ok("POST", BASE + "/logged:deployModel", "{\"deployedModel\": {\"model\": \"d.mass\"}, \"trafficSplit\": {\"0\": 100}}");
        awaitReplica(BASE + "/logged:predict", answer -> answer.statusCode() == 200);
        ok("POST", BASE + "/logged:predict", INSTANCE);
        ok("POST", BASE + "/logged:predict", INSTANCE);
        primary.awaitLogged("logged", 3);
        // A shipped file is deleted only after the commit that loads it, so its rows can be seen a moment before it goes.
        Path incoming = PredictionLogIngester.incoming(primary.platform().dataDirectory());
        for (int attempt = 0; attempt < 200 && !shippedFiles(incoming).isEmpty(); attempt++) {
            Thread.sleep(50);
        }
        assertThat(shippedFiles(incoming)).isEmpty();
        assertThat(primary.rows("SELECT count(DISTINCT request_id) AS n FROM lathe_logs.request_response_logging WHERE endpoint = 'logged'")
                .getFirst().get("n")).isEqualTo(3L);
        assertThat(metric(send("GET", "/metrics", null).body(), "lathe_prediction_log_shipped_total")).isGreaterThanOrEqualTo(3);
        assertThat(metric(primary.send("GET", "/metrics", null).body(), "lathe_prediction_log_ingested_total")).isGreaterThanOrEqualTo(3);
        String replicaMetrics = send("GET", "/metrics", null).body();
        assertThat(metric(replicaMetrics, "lathe_replica_refreshes_total{result=\"ok\"}")).isPositive();
        assertThat(metric(replicaMetrics, "lathe_replica_last_refresh_timestamp_seconds")).isGreaterThan(1.7e9);
        // A PostgreSQL store's connection pool is on /metrics; SQLite has no pool.
        boolean pooled = primary.platform().metadataStore().dialect() == dev.lathe.metadata.Dialect.POSTGRESQL;
        assertThat(replicaMetrics.contains("lathe_metadata_connections_max")).isEqualTo(pooled);
        if (pooled) {
            assertThat(metric(replicaMetrics, "lathe_metadata_connections_max")).isEqualTo(MetadataStore.POOL_SIZE);
            assertThat(metric(replicaMetrics, "lathe_metadata_connections_active") + metric(replicaMetrics, "lathe_metadata_connections_idle"))
                    .as("connections open").isBetween(1.0, (double) MetadataStore.POOL_SIZE);
            assertThat(metric(replicaMetrics, "lathe_metadata_connections_pending")).isZero();
        }
    }

    @Test
    void onlyReadsAndPredictionsServeOnAReplica() {
        assertThat(LatheServer.servesOnReplica("GET", BASE + "/{endpoint}")).isTrue();
        assertThat(LatheServer.servesOnReplica("POST", BASE + "/{endpoint}:predict")).isTrue();
        assertThat(LatheServer.servesOnReplica("POST", BASE + "/{endpoint}:explain")).isTrue();
        assertThat(LatheServer.servesOnReplica("POST", "/v2/models/{model}/infer")).isTrue();
        assertThat(LatheServer.servesOnReplica("POST", "/v2/repository/models/{model}/load")).isFalse();
        assertThat(LatheServer.servesOnReplica("POST", BASE + "/{endpoint}:evaluatePredictions")).isFalse();
        assertThat(LatheServer.servesOnReplica("PATCH", BASE + "/{endpoint}")).isFalse();
    }

    @Test
    void aReplicaNeedsAnExistingDataDirectory(@TempDir Path empty) {
        assertThatThrownBy(() -> Platform.openReplica(empty, MetadataStore.defaultUrl(empty)))
                .isInstanceOf(LatheException.class).hasMessageContaining("has no models/ folder");
    }

    /** Probe G: a replica created (and would migrate) the metadata store; it opens only one its primary made current. */
    @Test
    void aReplicaNeitherCreatesNorMigratesTheMetadataStore(@TempDir Path fresh) throws Exception {
        java.nio.file.Files.createDirectories(fresh.resolve("models"));
        assertThatThrownBy(() -> Platform.openReplica(fresh, MetadataStore.defaultUrl(fresh)))
                .isInstanceOf(LatheException.class).hasMessageContaining("does not exist; a serving replica reads the store its primary"
                        + " created: start (or upgrade) the primary");
        assertThat(fresh.resolve("metadata.db")).doesNotExist();
    }

    /** The value of the sample named {@code series} (with its labels) in a Prometheus scrape. */
    private static double metric(String scrape, String series) {
        return scrape.lines().filter(line -> line.startsWith(series + " ")).mapToDouble(line -> Double.parseDouble(line.substring(series.length() + 1)))
                .findFirst().orElseThrow(() -> new AssertionError(series + " not in\n" + scrape));
    }

    /** Repeats the request until {@code done} holds (the replica re-reads deployments every INTERVAL), up to 20 s. */
    private static List<Path> shippedFiles(Path incoming) throws IOException {
        try (Stream<Path> files = Files.list(incoming)) {
            return files.filter(f -> f.toString().endsWith(".parquet")).toList();
        }
    }

    private JsonNode awaitReplica(String path, Predicate<HttpResponse<String>> done) throws Exception {
        return awaitReplica(path, INSTANCE, done);
    }

    private JsonNode awaitReplica(String path, String body, Predicate<HttpResponse<String>> done) throws Exception {
        HttpResponse<String> answer = null;
        for (int attempt = 0; attempt < 400; attempt++) {
            answer = send("POST", path, body);
            if (done.test(answer)) {
                return Json.MAPPER.readTree(answer.body());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the replica did not pick up the change: " + answer.statusCode() + " " + answer.body()
                + refreshState());
    }

    /**
     * What the replica's refresh was doing, for a failure that happens once in many runs (PostgreSQL, 2026-12-06: no
     * refresh warning logged, so the refresh either returned unchanged state, blocked or stopped): its metrics and
     * the refresh thread's stack.
     */
    private String refreshState() throws Exception {
        StringBuilder state = new StringBuilder("\nreplica refresh metrics:");
        send("GET", "/metrics", null).body().lines().filter(line -> line.startsWith("lathe_replica_"))
                .forEach(line -> state.append("\n  ").append(line));
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (thread.getName().startsWith("lathe-deployment-refresh")) {
                state.append("\n").append(thread.getName()).append(" (").append(thread.getState()).append("):");
                for (StackTraceElement frame : stack) {
                    state.append("\n  at ").append(frame);
                }
            }
        });
        return state.toString();
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        HttpResponse<String> answer = send(method, path, body);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return Json.MAPPER.readTree(answer.body());
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + replica.port() + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)).build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
