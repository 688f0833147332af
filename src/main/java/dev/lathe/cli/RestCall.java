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
import dev.lathe.server.LocalHttp;
import java.net.URI;
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

        Http(URI base) {
            this.base = base;
        }

        JsonNode call(String method, String path, Object body) throws IOException, InterruptedException {
            LocalHttp.Response response = LocalHttp.send(base.resolve(path), method, body == null ? null : Json.bytes(body),
                    LocalHttp.CONNECT_TIMEOUT, Optional.empty());
            JsonNode json = response.body().length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(response.body());
            if (response.status() != 200) {
                throw LatheClient.failure(response.status(), json); // its code gives the exit status: 3 not found, 4 conflict
            }
            return json;
        }
    }

    static int run(Main main, CommandSpec command, Supplier<List<ServerModule>> modules, Action action) {
        PrintWriter out = command.commandLine().getOut();
        try {
            Path dataDirectory = main.dataDirectory();
            // A running server answers; else this process opens the warehouse, waiting while another command holds it.
            WarehouseWait.Access access = WarehouseWait.serverOrWarehouse(dataDirectory, main.metadataUrl(dataDirectory),
                    command.commandLine().getErr()::println);
            if (access instanceof WarehouseWait.Server running) {
                out.print(action.run(new Http(running.client().baseUri())));
            } else {
                try (Platform platform = ((WarehouseWait.Direct) access).platform()) {
                    LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0)).log(line -> {}).accessLog(line -> {})
                            .discoverable(false);
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
        } catch (LatheException e) {
            String message = inCliTerms(command.qualifiedName(), e.getMessage());
            return main.report(message.equals(e.getMessage()) ? e : new LatheException(e.code(), message), command.commandLine().getErr());
        } catch (Exception e) {
            return main.report(e, command.commandLine().getErr());
        }
    }

    /** A REST field or remedy in an error, and what the command that sent the request calls it (its command name prefix). */
    private record Term(String command, java.util.regex.Pattern rest, String cli) {}

    private static final List<Term> TERMS = List.of(
            new Term("lathe endpoints create", java.util.regex.Pattern.compile("'predictRequestResponseLoggingConfig\\.samplingRate'"), "'--logging-rate'"),
            new Term("lathe endpoints create", java.util.regex.Pattern.compile("'endpointId'"), "NAME"),
            new Term("lathe endpoints split", java.util.regex.Pattern.compile("'trafficSplit'"), "'--traffic'"),
            new Term("lathe endpoints undeploy", java.util.regex.Pattern.compile(
                    "give a trafficSplit without it \\(summing to 100 over \\[([^\\]]*)\\]\\) or move its traffic first"),
                    "move its traffic to the others ($1) first with lathe endpoints split"),
            new Term("lathe endpoints delete", java.util.regex.Pattern.compile("; undeploy them first$"),
                    "; undeploy them first (lathe endpoints undeploy ENDPOINT --deployed-model-id ID)"));

    /**
     * The server's error in the terms of the CLI command that sent the request: its flags for the REST fields they fill,
     * its commands for REST-only remedies (probe L: '--logging-rate 1.5' was "Invalid value for
     * 'predictRequestResponseLoggingConfig.samplingRate'").
     */
    static String inCliTerms(String command, String message) {
        String translated = message;
        for (Term term : TERMS) {
            if (command.equals(term.command())) {
                translated = term.rest().matcher(translated).replaceAll(term.cli());
            }
        }
        return translated;
    }
}
