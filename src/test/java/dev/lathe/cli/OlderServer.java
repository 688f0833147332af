package dev.lathe.cli;

import com.sun.net.httpserver.HttpServer;
import dev.lathe.server.ServerDiscovery;
import dev.lathe.server.ServerInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for an older Lathe build's server of a data directory (upgrade tests): answers {@code /healthz} and refuses
 * {@code POST /v1/queries} as such a server refused this build's fields, counting the queries it was sent; its
 * {@code server.json} names this live process, with or without an HTTP API version.
 */
final class OlderServer implements AutoCloseable {
    private final HttpServer http;
    final AtomicInteger queries = new AtomicInteger();

    OlderServer(Path dataDirectory, int apiVersion) throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/healthz", exchange -> answer(exchange, 200, "ok"));
        http.createContext("/v1/queries", exchange -> {
            queries.incrementAndGet();
            answer(exchange, 400, "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\",\"message\":\"Invalid value for 'requestId':"
                    + " unknown field; accepted: query, useLegacySql, maxResults, kind, defaultDataset\"}}");
        });
        http.start();
        ServerDiscovery.write(dataDirectory, new ServerInfo(ProcessHandle.current().pid(), "127.0.0.1", port(), "2026-12-07T00:00:00Z",
                "0.1.0-SNAPSHOT", "", apiVersion, 0));
    }

    int port() {
        return http.getAddress().getPort();
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status == 200 ? "text/plain" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
