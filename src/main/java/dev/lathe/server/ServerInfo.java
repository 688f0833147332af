package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import java.net.URI;

/**
 * What {@code <data-dir>/server.json} says about the server of a data directory.
 *
 * @param pid the server's process id
 * @param host the address it listens on (a wildcard address is reached as 127.0.0.1)
 * @param port its port
 * @param startedAt ISO-8601 start instant
 * @param version the Lathe version
 */
public record ServerInfo(long pid, String host, int port, String startedAt, String version) {
    public ServerInfo {
        requireNonNull(host, "host is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(version, "version is null");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
    }

    /** Base URL a local client uses; wildcard binds are reached through the loopback address. */
    public URI baseUri() {
        String reachable = switch (host) {
            case "0.0.0.0", "::", "[::]", "" -> "127.0.0.1";
            default -> host;
        };
        String bracketed = reachable.contains(":") && !reachable.startsWith("[") ? "[" + reachable + "]" : reachable;
        return URI.create("http://" + bracketed + ":" + port);
    }
}
