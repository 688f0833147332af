package dev.lathe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.Platform;
import dev.lathe.server.Json;
import dev.lathe.server.LatheClient;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.server.ServerModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;

/**
 * One REST call of a command: to the data directory's running server when there is one, otherwise to a server
 * started in this process for the call (on a free local port, with {@code modules}), so both ways behave and print
 * the same.
 */
final class RestCall {
    private RestCall() {}

    /** The action turns an HTTP caller into the text to print. */
    interface Action {
        String run(Http http) throws Exception;
    }

    /** Sends JSON requests to a base URI and answers the JSON body, or fails with the server's error message. */
    static final class Http {
        private final URI base;
        private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Http(URI base) {
            this.base = base;
        }

        JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
            HttpResponse<byte[]> response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = response.body().length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(response.body());
            if (response.statusCode() != 200) {
                throw new LatheException(dev.lathe.core.ErrorCode.INVALID_ARGUMENT, json.path("error").path("message").asText("HTTP " + response.statusCode()));
            }
            return json;
        }
    }

    static int run(Main main, CommandSpec command, Supplier<List<ServerModule>> modules, Action action) {
        PrintWriter out = command.commandLine().getOut();
        try {
            Path dataDirectory = main.dataDirectory();
            Optional<LatheClient> running = LatheClient.discover(dataDirectory);
            if (running.isPresent()) {
                out.print(action.run(new Http(running.get().baseUri())));
            } else {
                try (Platform platform = Platform.open(dataDirectory, main.metadataUrl(dataDirectory))) {
                    LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).log(line -> {}).accessLog(line -> {});
                    modules.get().forEach(module -> module.configure(builder));
                    LatheServer server = builder.start();
                    try {
                        server.awaitReady(10, TimeUnit.MINUTES);
                        out.print(action.run(new Http(server.info().baseUri())));
                    } finally {
                        server.stop();
                    }
                }
            }
            out.flush();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (IOException e) {
            return main.report(LatheException.internal("The " + command.name() + " call failed: " + e.getMessage(), e), command.commandLine().getErr());
        } catch (dev.lathe.server.ApiException e) {
            return main.report(LatheException.userError(e.getMessage()), command.commandLine().getErr());
        } catch (Exception e) {
            return main.report(e, command.commandLine().getErr());
        }
    }
}
