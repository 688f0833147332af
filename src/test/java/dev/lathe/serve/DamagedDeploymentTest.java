package dev.lathe.serve;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.testing.LogCapture;
import dev.lathe.testing.PostgresSchemas;
import dev.lathe.testing.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe D: one deployed model whose artifact no longer loads kept /readyz at 503 for good, and so every endpoint out of a
 * load balancer. The server turns ready; that endpoint answers with the load's error, the others serve. And serving while
 * the metadata store is down.
 */
class DamagedDeploymentTest {
    private static final String BASE = "/v1/projects/p/locations/l/endpoints";
    private static final String INFER = "{\"id\": \"r\", \"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"FP64\", \"data\": [3]}]}";
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path directory;

    @Test
    void oneModelThatNoLongerLoadsLeavesTheServerReadyForTheOthers() throws Exception {
        deployEach("fine", "fragile");
        Path estimator = directory.resolve("models/d/fragile/1/estimator.bin");
        byte[] good = Files.readAllBytes(estimator);
        Files.writeString(estimator, "damaged");

        try (Platform platform = Platform.open(directory); LatheServer server = start(platform)) {
            assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
            assertThat(send(server, "GET", "/readyz", null).statusCode()).isEqualTo(200);
            String instance = "{\"instances\": [{\"x\": 3}]}";
            assertThat(send(server, "POST", BASE + "/fine:predict", instance).statusCode()).isEqualTo(200);
            HttpResponse<String> broken = send(server, "POST", BASE + "/fragile:predict", instance);
            assertThat(broken.statusCode()).isGreaterThanOrEqualTo(500);
            assertThat(send(server, "GET", "/v2/models/fragile/ready", null).statusCode()).isEqualTo(503);
            assertThat(send(server, "GET", "/metrics", null).body()).contains("lathe_model_load_failures_total{endpoint=\"fragile\"} 1");
            // Probe tc F8: the protocol's server readiness is "all models ready", which it is not; /readyz above is the process's
            HttpResponse<String> notAll = send(server, "GET", "/v2/health/ready", null);
            assertThat(notAll.statusCode()).isEqualTo(503);
            assertThat(notAll.body()).contains("endpoint fragile: ").contains("estimator.bin");

            // put right, it turns ready by itself: the probe tries the load again when it is due, as a request would
            Files.write(estimator, good);
            HttpResponse<String> ready = notAll;
            for (long deadline = System.nanoTime() + Deployments.LOAD_RETRY.multipliedBy(4).toNanos();
                    ready.statusCode() != 200 && System.nanoTime() < deadline; ) {
                Thread.sleep(100);
                ready = send(server, "GET", "/v2/health/ready", null);
            }
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(send(server, "POST", BASE + "/fragile:predict", instance).statusCode()).isEqualTo(200);
        }
    }

    /**
     * Probe sb F2: a deployed version whose folder was deleted answered predict and ready with 404 MODEL_NOT_FOUND "has no
     * version 1; versions are []" though the registry lists it, and the server's start removed the model's folder and DEFAULT
     * (taken for a cut-off write). The folder stays, predict answers the load's error naming the missing folder, ready 503;
     * restoring the version's folder is enough to heal it.
     */
    @Test
    void aDeployedVersionWhoseFolderIsMissingAnswersTheLoadsErrorAndItsModelFolderStays() throws Exception {
        deployEach("gone");
        Path version = directory.resolve("models/d/gone/1");
        Path backup = directory.resolve("backup-of-version-1");
        Files.move(version, backup);

        try (Platform platform = Platform.open(directory); LatheServer server = start(platform)) {
            assertThat(directory.resolve("models/d/gone/DEFAULT")).exists(); // not taken for a cut-off write
            assertThat(platform.registry().getVersion("d", "gone", 1)).isPresent();
            assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
            String instance = "{\"instances\": [{\"x\": 3}]}";
            HttpResponse<String> broken = send(server, "POST", BASE + "/gone:predict", instance);
            assertThat(broken.statusCode()).as(broken.body()).isEqualTo(500);
            assertThat(broken.body()).contains("d.gone version 1 is registered but its files are missing").contains("does not exist")
                    .doesNotContain("versions are []");
            HttpResponse<String> ready = send(server, "GET", "/v2/models/gone/ready", null);
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("its files are missing");
            assertThat(send(server, "POST", "/v2/models/gone/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\": \"INT64\","
                    + " \"data\": [3]}]}").statusCode()).isEqualTo(500);
        }

        Files.move(backup, version);
        try (Platform platform = Platform.open(directory); LatheServer server = start(platform)) {
            assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
            HttpResponse<String> healed = send(server, "POST", BASE + "/gone:predict", "{\"instances\": [{\"x\": 3}]}");
            assertThat(healed.statusCode()).as(healed.body()).isEqualTo(200);
        }
    }

    /**
     * Probe sb F3: an endpoint whose model failed to load loaded it again on every request, under the lock every deployment
     * change takes, logged a stack trace each time, and counted none of them in lathe_predictions_total. Its requests are
     * answered from memory and counted as errors; the failure is said once; a request retries at most every
     * {@link Deployments#LOAD_RETRY}, so a restored artifact heals the endpoint without a deployment change.
     */
    @Test
    void anEndpointWhoseModelsFailedToLoadAnswersFromMemoryCountsItsErrorsAndHealsOnceTheyLoad() throws Exception {
        deployEach("fragile");
        Path estimator = directory.resolve("models/d/fragile/1/estimator.bin");
        byte[] good = Files.readAllBytes(estimator);
        Files.writeString(estimator, "damaged");
        LogCapture logs = new LogCapture();
        java.util.logging.Logger lathe = java.util.logging.Logger.getLogger("dev.lathe");
        lathe.addHandler(logs);
        try (Platform platform = Platform.open(directory); LatheServer server = start(platform)) {
            assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
            String instance = "{\"instances\": [{\"x\": 3}]}";
            for (int i = 0; i < 20; i++) {
                HttpResponse<String> broken = send(server, "POST", BASE + "/fragile:predict", instance);
                assertThat(broken.statusCode()).as(broken.body()).isEqualTo(500);
            }
            assertThat(send(server, "POST", "/v2/models/fragile/infer", "{\"inputs\": [{\"name\": \"x\", \"shape\": [1], \"datatype\":"
                    + " \"INT64\", \"data\": [3]}]}").statusCode()).isEqualTo(500);
            assertThat(send(server, "GET", "/v2/models/fragile/ready", null).statusCode()).isEqualTo(503); // not a prediction
            assertThat(send(server, "GET", "/metrics", null).body())
                    .contains("lathe_predictions_total{endpoint=\"fragile\",deployed_model=\"\",status=\"error\"} 21");
            assertThat(logs.records()).noneSatisfy(record -> assertThat(record.getLevel()).isEqualTo(Level.SEVERE));
            assertThat(logs.records()).filteredOn(record -> String.valueOf(record.getMessage()).contains("Endpoint fragile")).hasSize(1);

            Files.write(estimator, good);
            HttpResponse<String> healed = send(server, "POST", BASE + "/fragile:predict", instance);
            for (long deadline = System.nanoTime() + Deployments.LOAD_RETRY.multipliedBy(4).toNanos();
                    healed.statusCode() != 200 && System.nanoTime() < deadline; ) {
                Thread.sleep(100);
                healed = send(server, "POST", BASE + "/fragile:predict", instance);
            }
            assertThat(healed.statusCode()).as(healed.body()).isEqualTo(200);
        } finally {
            lathe.removeHandler(logs);
        }
    }

    /**
     * Probe qd: during start-up an endpoint's OIP ready route waited for the whole start-up load (3 s for large models),
     * past a readiness probe's 1 s timeout; it answers "not ready" at once, then 200 once its models are in.
     */
    @Test
    void anEndpointStillLoadingAtStartUpAnswersNotReadyAtOnce() throws Exception {
        deployEach("slow");
        try (Platform platform = Platform.open(directory)) {
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).accessLog(line -> {}).log(line -> {});
            builder.startupHook("held by the test", p -> release.await(60, TimeUnit.SECONDS)); // runs before the models load
            new EndpointsModule(EndpointsModule.DEFAULT_LOG_QUEUE).configure(builder);
            try (LatheServer server = builder.start()) {
                HttpResponse<String> loading = send(server, "GET", "/v2/models/slow/ready", null);
                assertThat(loading.statusCode()).isEqualTo(503);
                assertThat(loading.body()).contains("its deployed models are loading");
                release.countDown();
                assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                assertThat(send(server, "GET", "/v2/models/slow/ready", null).statusCode()).isEqualTo(200);
            }
        }
    }

    /**
     * Probe tc F2: predictions go on from memory while the metadata store (PostgreSQL) cannot be reached, the server's port
     * turning every connection away: an endpoint's {@code :predict} and OIP {@code infer}, and OIP {@code infer} of a
     * registry model it resolved before; a call that needs the store is 503 naming it, and works again once it is back.
     */
    @Test
    void predictionsAreAnsweredFromMemoryWhileTheStoreIsDown() throws Exception {
        String url = PostgresSchemas.create();
        try (TcpProxy proxy = TcpProxy.toServerOf(url); Platform platform = Platform.open(directory, proxy.through(url))) {
            try (Engine session = platform.session(line -> {})) {
                session.execute("CREATE SCHEMA d; CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'])"
                        + " AS SELECT i % 10 AS x, i * 2.0 AS y FROM range(100) t(i)", (text, result) -> {});
            }
            try (LatheServer server = start(platform)) {
                assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
                assertThat(send(server, "POST", BASE + "?endpointId=e", "{\"displayName\": \"e\"}").statusCode()).isEqualTo(200);
                assertThat(send(server, "POST", BASE + "/e:deployModel", "{\"deployedModel\": {\"model\": \"d.m\"}, \"trafficSplit\":"
                        + " {\"0\": 100}}").statusCode()).isEqualTo(200);
                String predicted = send(server, "POST", BASE + "/e:predict", "{\"instances\": [{\"x\": 3}]}").body();
                String inferred = send(server, "POST", "/v2/models/d.m/infer", INFER).body();

                proxy.cut();
                HttpResponse<String> predict = send(server, "POST", BASE + "/e:predict", "{\"instances\": [{\"x\": 3}]}");
                assertThat(predict.statusCode()).as(predict.body()).isEqualTo(200);
                assertThat(predict.body()).isEqualTo(predicted);
                assertThat(send(server, "POST", "/v2/models/e/infer", INFER).statusCode()).isEqualTo(200);
                HttpResponse<String> model = send(server, "POST", "/v2/models/d.m/infer", INFER);
                assertThat(model.statusCode()).as(model.body()).isEqualTo(200);
                assertThat(model.body()).isEqualTo(inferred);

                HttpResponse<String> get = send(server, "GET", BASE + "/e", null);
                assertThat(get.statusCode()).isEqualTo(503);
                assertThat(get.body()).contains("METADATA_UNAVAILABLE").contains("Metadata store " + proxy.through(url))
                        .doesNotContain("lathe-metadata").doesNotContain("--metadata-url");
                HttpResponse<String> unknown = send(server, "POST", "/v2/models/d.other/infer", INFER);
                assertThat(unknown.statusCode()).as("a model never resolved needs the store").isEqualTo(503);

                proxy.restore();
                HttpResponse<String> back = send(server, "GET", BASE + "/e", null);
                for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30); back.statusCode() != 200 && System.nanoTime() < deadline; ) {
                    Thread.sleep(100);
                    back = send(server, "GET", BASE + "/e", null);
                }
                assertThat(back.statusCode()).as(back.body()).isEqualTo(200);
            }
        } finally {
            PostgresSchemas.drop(url);
        }
    }

    /** Creates model {@code d.<name>} and endpoint {@code <name>} serving it with all the traffic, for each name. */
    private void deployEach(String... names) throws Exception {
        String model = "OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT i % 10 AS x, i * 2.0 AS y FROM range(100) t(i)";
        try (Platform platform = Platform.open(directory)) {
            try (Engine session = platform.session(line -> {})) {
                StringBuilder sql = new StringBuilder("CREATE SCHEMA d");
                for (String name : names) {
                    sql.append("; CREATE MODEL d.").append(name).append(' ').append(model);
                }
                session.execute(sql.toString(), (text, result) -> {});
            }
            try (LatheServer server = start(platform)) {
                for (String name : names) {
                    assertThat(send(server, "POST", BASE + "?endpointId=" + name, "{\"displayName\": \"" + name + "\"}").statusCode()).isEqualTo(200);
                    assertThat(send(server, "POST", BASE + "/" + name + ":deployModel", "{\"deployedModel\": {\"model\": \"d." + name
                            + "\"}, \"trafficSplit\": {\"0\": 100}}").statusCode()).isEqualTo(200);
                }
            }
        }
    }

    private static LatheServer start(Platform platform) {
        LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).accessLog(line -> {}).log(line -> {});
        new EndpointsModule(EndpointsModule.DEFAULT_LOG_QUEUE).configure(builder);
        return builder.start();
    }

    private HttpResponse<String> send(LatheServer server, String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .header("Content-Type", "application/json");
        request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
