package dev.lathe.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.Platform;
import dev.lathe.server.Json;
import dev.lathe.server.LatheServer;
import dev.lathe.server.LocalHttp;
import dev.lathe.server.ServerConfig;
import dev.lathe.server.ServerModules;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lathe aot-training} (hidden): the workload the launcher records its AOT cache from (docs/cli.md), in a scratch
 * data directory. The quickstart (SQL: load, train, evaluate, predict), then what a server does: start with the
 * standard modules, create an endpoint, deploy the quickstart's boosted tree, answer a few hundred predictions and the
 * CLI's management calls over {@link LocalHttp}, stop. The classes these load and link, and their method profiles, go
 * into the cache, so that a later `lathe server` or `lathe endpoints ...` starts from them too, not only SQL commands.
 */
@Command(name = "aot-training", hidden = true, description = "The workload the launcher records its start-up (AOT) cache from.")
final class AotTrainingCommand implements Callable<Integer> {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final int PREDICTIONS = 300;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Path dataDirectory = main.dataDirectory();
        try {
            try (SqlRunner runner = SqlRunner.open(dataDirectory, main.metadataUrl(dataDirectory), line -> {});
                    PrintStream discard = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8)) {
                Quickstart.run(runner, dataDirectory, discard);
            }
            try (Platform platform = Platform.open(dataDirectory, main.metadataUrl(dataDirectory))) {
                LatheServer.Builder builder = LatheServer.builder(platform, ServerConfig.defaults().withPort(0).withAccessLog(false))
                        .log(line -> {}).discoverable(false);
                ServerModules.standard().forEach(module -> module.configure(builder));
                LatheServer server = builder.start();
                try {
                    if (!server.awaitReady(10, TimeUnit.MINUTES)) {
                        throw LatheException.internal("The training server did not turn ready", null);
                    }
                    serve(server.info().baseUri());
                } finally {
                    server.stop();
                }
            }
            return 0;
        } catch (IOException e) {
            return main.report(LatheException.internal("The AOT training run failed: " + e.getMessage(), e), spec.commandLine().getErr());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            return main.report(e, spec.commandLine().getErr());
        }
    }

    private static void serve(URI base) throws IOException {
        String endpoints = "/v1/projects/local/locations/local/endpoints";
        call(base, "POST", endpoints + "?endpointId=churn", "{\"displayName\": \"churn\"}");
        call(base, "POST", endpoints + "/churn:deployModel",
                "{\"deployedModel\": {\"model\": \"quickstart.churn\"}, \"trafficSplit\": {\"0\": 100}}");
        JsonNode rows = json(call(base, "POST", "/v1/queries", "{\"query\": \"SELECT CAST(to_json(list(t)) AS VARCHAR) AS instances FROM "
                + "(SELECT * EXCLUDE (churn) FROM quickstart.telco_churn LIMIT 64) AS t\"}"));
        JsonNode instances = json(rows.path("rows").get(0).path("f").get(0).path("v").asText());
        for (int i = 0; i < PREDICTIONS; i++) {
            call(base, "POST", endpoints + "/churn:predict", "{\"instances\": [" + instances.get(i % instances.size()) + "]}");
        }
        call(base, "POST", endpoints + "/churn:predict", "{\"instances\": " + instances + "}");
        call(base, "POST", endpoints + "/churn:explain", "{\"instances\": [" + instances.get(0) + "]}");
        call(base, "GET", endpoints + "?pageSize=100", null);
        call(base, "GET", "/v1/projects/local/locations/local/models?pageSize=100", null);
        call(base, "PATCH", endpoints + "/churn", "{\"trafficSplit\": {\"" + firstDeployedModel(json(call(base, "GET", endpoints + "/churn", null)))
                + "\": 100}}");
        call(base, "GET", "/metrics", null);
        call(base, "GET", "/readyz", null);
    }

    private static String firstDeployedModel(JsonNode endpoint) {
        return endpoint.path("deployedModels").get(0).path("id").asText();
    }

    private static JsonNode json(String text) throws IOException {
        return Json.MAPPER.readTree(text);
    }

    /** The body of a 200 answer; any other status fails the training run. */
    private static String call(URI base, String method, String path, String body) throws IOException {
        LocalHttp.Response response = LocalHttp.send(base.resolve(path), method, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                TIMEOUT, Optional.of(TIMEOUT));
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (response.status() != 200) {
            throw LatheException.internal("AOT training: " + method + " " + path + " answered " + response.status() + ": " + text, null);
        }
        return text;
    }
}
