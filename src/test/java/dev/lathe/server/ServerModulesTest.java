package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import dev.lathe.engine.Platform;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the standard server and a server started for one CLI call do before they turn ready, and what that changes. */
class ServerModulesTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dataDirectory;

    private static List<String> hooks(LatheServer server) throws Exception {
        JsonNode ready = Json.MAPPER.readTree(LocalHttp.send(URI.create("http://127.0.0.1:" + server.port() + "/readyz"), "GET", null,
                TIMEOUT, Optional.of(TIMEOUT)).body());
        List<String> names = new ArrayList<>();
        ready.path("startupHooks").forEach(hook -> names.add(hook.path("name").asText()));
        return names;
    }

    private static LatheServer start(Platform platform, List<ServerModule> modules) throws Exception {
        LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).log(line -> {}).accessLog(line -> {});
        modules.forEach(module -> module.configure(builder));
        LatheServer server = builder.start();
        assertThat(server.awaitReady(60, TimeUnit.SECONDS)).isTrue();
        return server;
    }

    @Test
    void aServerForOneCallLoadsTheModelsARequestUsesNotEveryDeployedOne() throws Exception {
        try (Engine engine = Lathe.open(dataDirectory)) {
            engine.execute("""
                    CREATE SCHEMA d;
                    CREATE TABLE d.t AS SELECT i::DOUBLE AS x, (2 * i + 1)::DOUBLE AS y FROM range(50) r(i);
                    CREATE MODEL d.m OPTIONS (model_type = 'LINEAR_REG', input_label_cols = ['y']) AS SELECT * FROM d.t""",
                    (statement, result) -> {});
        }
        try (Platform platform = Platform.open(dataDirectory)) {
            LatheServer standard = start(platform, ServerModules.standard());
            try {
                assertThat(hooks(standard)).contains("load deployed models");
                URI endpoints = URI.create("http://127.0.0.1:" + standard.port() + "/v1/projects/p/locations/l/endpoints");
                assertThat(LocalHttp.send(URI.create(endpoints + "?endpointId=e"), "POST",
                        "{\"displayName\": \"e\"}".getBytes(StandardCharsets.UTF_8), TIMEOUT, Optional.of(TIMEOUT)).status()).isEqualTo(200);
                assertThat(LocalHttp.send(URI.create(endpoints + "/e:deployModel"), "POST",
                        "{\"deployedModel\": {\"model\": \"d.m\"}, \"trafficSplit\": {\"0\": 100}}".getBytes(StandardCharsets.UTF_8), TIMEOUT,
                        Optional.of(TIMEOUT)).status()).isEqualTo(200);
            } finally {
                standard.stop();
            }

            LatheServer oneCall = start(platform, ServerModules.forOneCall());
            try {
                assertThat(hooks(oneCall)).doesNotContain("load deployed models").contains("monitoring");
                LocalHttp.Response predicted = LocalHttp.send(URI.create("http://127.0.0.1:" + oneCall.port()
                        + "/v1/projects/p/locations/l/endpoints/e:predict"), "POST",
                        "{\"instances\": [{\"x\": 3.0}]}".getBytes(StandardCharsets.UTF_8), TIMEOUT, Optional.of(TIMEOUT));
                assertThat(predicted.status()).as(new String(predicted.body(), StandardCharsets.UTF_8)).isEqualTo(200);
                assertThat(Json.MAPPER.readTree(predicted.body()).path("predictions").get(0).path("predicted_y").asDouble())
                        .isCloseTo(7.0, org.assertj.core.data.Offset.offset(1e-6));
            } finally {
                oneCall.stop();
            }
        }
    }
}
