package dev.lathe.cli;

import dev.lathe.engine.Platform;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerConfig;
import dev.lathe.server.ServerModules;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lathe server}: serves the data directory over HTTP until Ctrl-C or SIGTERM, then drains and stops. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = {
            "Runs the Lathe server: ML SQL over HTTP (POST /v1/queries), /healthz, /readyz, /metrics and the endpoints.",
            "Other lathe commands on the same data directory go through it while it runs."
        })
final class ServerCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "HOST", defaultValue = ServerConfig.DEFAULT_HOST,
            description = "Address to listen on (0.0.0.0 for every interface). Default: ${DEFAULT-VALUE}.")
    String host = ServerConfig.DEFAULT_HOST;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8080", description = "TCP port (0 picks a free one). Default: ${DEFAULT-VALUE}.")
    int port = ServerConfig.DEFAULT_PORT;

    @Option(names = "--max-request-bytes", paramLabel = "BYTES", defaultValue = "10485760",
            description = "Largest request body accepted; larger ones get HTTP 413. Default: ${DEFAULT-VALUE}.")
    long maxRequestBytes = ServerConfig.DEFAULT_MAX_REQUEST_BYTES;

    @Option(names = "--drain-seconds", paramLabel = "SECONDS", defaultValue = "30",
            description = "How long shutdown waits for in-flight requests. Default: ${DEFAULT-VALUE}.")
    long drainSeconds = 30;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "64", description = "Request threads. Default: ${DEFAULT-VALUE}.")
    int threads = ServerConfig.DEFAULT_MAX_THREADS;

    @Option(names = "--no-access-log", description = "Do not print one line per request.")
    boolean noAccessLog;

    @Option(names = "--replica", description = "Serve predictions for the data directory's primary server: registry and endpoints"
            + " from the shared metadata store, models from its models/ folder, no warehouse lock; management calls and SQL are refused.")
    boolean replica;

    @Option(names = "--refresh-seconds", paramLabel = "SECONDS", defaultValue = "5",
            description = "Replica: how often deployment changes are picked up and sampled prediction logs shipped to the primary;"
                    + " primary: how often shipped logs are taken in. Default: ${DEFAULT-VALUE}.")
    long refreshSeconds;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            ServerConfig config;
            try {
                config = new ServerConfig(host, port, maxRequestBytes, Duration.ofSeconds(drainSeconds), threads, !noAccessLog);
            } catch (IllegalArgumentException e) {
                throw dev.lathe.core.LatheException.userError(e.getMessage());
            }
            if (refreshSeconds < 1) {
                throw dev.lathe.core.LatheException.userError("--refresh-seconds must be at least 1, got " + refreshSeconds);
            }
            Duration interval = Duration.ofSeconds(refreshSeconds);
            // a replica serves an existing directory: a mistyped one is refused, not created empty first (probe G)
            java.nio.file.Path directory = replica ? main.givenDataDirectory() : main.dataDirectory();
            String metadataUrl = main.metadataUrl(directory);
            Platform platform = replica ? Platform.openReplica(directory, metadataUrl) : primary(directory, metadataUrl);
            LatheServer server;
            try {
                LatheServer.Builder builder = LatheServer.builder(platform, config);
                (replica ? ServerModules.replica(interval) : ServerModules.standard(interval)).forEach(module -> module.configure(builder));
                server = builder.start();
            } catch (RuntimeException e) {
                platform.close();
                throw e;
            }
            Thread shutdown = new Thread(() -> {
                server.stop();
                platform.close();
            }, "lathe-shutdown");
            Runtime.getRuntime().addShutdownHook(shutdown);
            server.join();
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        } catch (RuntimeException e) {
            return main.report(e, err);
        }
    }
    /**
     * Opens the warehouse for a primary, waiting while a command holds it (a script running through lathe sql); a server
     * already serving the directory is refused, naming it.
     */
    private static Platform primary(java.nio.file.Path dataDirectory, String metadataUrl) {
        WarehouseWait.Access access = WarehouseWait.serverOrWarehouse(dataDirectory, metadataUrl, System.err::println);
        if (access instanceof WarehouseWait.Server(var running)) {
            throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.ALREADY_EXISTS, "A Lathe server already serves "
                    + dataDirectory.toAbsolutePath() + " at " + running.baseUri() + "; stop it first, or start a serving replica"
                    + " (--replica) beside it");
        }
        return ((WarehouseWait.Direct) access).platform();
    }
}
