package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.engine.Platform;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's HTTP calls against a real server: every method the CLI sends, error bodies, method override rules. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalHttpTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Platform platform;
    private LatheServer server;

    @BeforeAll
    void start(@TempDir Path directory) {
        platform = Platform.open(directory);
        LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).log(line -> {}).accessLog(line -> {});
        for (String method : new String[] {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
            builder.route(method, "/echo/{id}", request -> ApiResponse.json(200, Map.of("method", request.method(),
                    "id", request.pathParam("id"), "body", new String(request.body(), StandardCharsets.UTF_8))));
        }
        builder.route("POST", "/only-post", request -> ApiResponse.json(200, Map.of("method", request.method())));
        server = builder.start();
    }

    @AfterAll
    void stop() {
        server.stop();
        platform.close();
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private JsonNode json(LocalHttp.Response response) throws IOException {
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void sendsEveryMethodTheCliUsesPatchIncluded() throws IOException {
        for (String method : new String[] {"GET", "POST", "PUT", "PATCH", "DELETE"}) {
            byte[] body = method.equals("GET") || method.equals("DELETE") ? null : "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
            LocalHttp.Response response = LocalHttp.send(uri("/echo/7"), method, body, TIMEOUT, Optional.of(TIMEOUT));
            assertThat(response.status()).as(method).isEqualTo(200);
            JsonNode echoed = json(response);
            assertThat(echoed.path("method").asText()).isEqualTo(method);
            assertThat(echoed.path("id").asText()).isEqualTo("7");
            assertThat(echoed.path("body").asText()).isEqualTo(body == null ? "" : "{\"a\":1}");
        }
    }

    @Test
    void readsTheErrorBodyOfAFailedCall() throws IOException {
        LocalHttp.Response missing = LocalHttp.send(uri("/nothing/here"), "GET", null, TIMEOUT, Optional.of(TIMEOUT));
        assertThat(missing.status()).isEqualTo(404);
        assertThat(json(missing).path("error").path("message").asText()).contains("No route for GET /nothing/here");
        LocalHttp.Response wrongMethod = LocalHttp.send(uri("/only-post"), "PATCH", new byte[0], TIMEOUT, Optional.of(TIMEOUT));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(json(wrongMethod).path("error").path("message").asText()).contains("Method PATCH is not allowed", "POST");
    }

    @Test
    void onlyAPostIsOverriddenAndOnlyToPutPatchOrDelete() throws Exception {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(uri("/echo/1"))
                .header(LocalHttp.METHOD_OVERRIDE, "DELETE").GET().build();
        assertThat(client.send(get, java.net.http.HttpResponse.BodyHandlers.ofString()).body()).contains("\"method\":\"GET\"");
        java.net.http.HttpRequest postAsGet = java.net.http.HttpRequest.newBuilder(uri("/echo/1"))
                .header(LocalHttp.METHOD_OVERRIDE, "get").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        assertThat(client.send(postAsGet, java.net.http.HttpResponse.BodyHandlers.ofString()).body()).contains("\"method\":\"POST\"");
        java.net.http.HttpRequest postAsDelete = java.net.http.HttpRequest.newBuilder(uri("/echo/1"))
                .header(LocalHttp.METHOD_OVERRIDE, " delete ").POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build();
        assertThat(client.send(postAsDelete, java.net.http.HttpResponse.BodyHandlers.ofString()).body()).contains("\"method\":\"DELETE\"");
    }

    @Test
    void aClosedPortFailsWithinTheConnectTimeout() {
        assertThatThrownBy(() -> LocalHttp.send(URI.create("http://127.0.0.1:1/healthz"), "GET", null, TIMEOUT, Optional.of(TIMEOUT)))
                .isInstanceOf(IOException.class);
    }
}
