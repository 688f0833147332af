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
 * @param dataDirectory the absolute path of the data directory it serves; empty in a file written before it was recorded
 * @param apiVersion the HTTP API version of its build ({@code dev.lathe.engine.Version.API}); 0 in a file of a build that
 *     recorded none, an older one
 * @param metadataSchema the metadata schema version of its build; 0 where not recorded
 */
public record ServerInfo(long pid, String host, int port, String startedAt, String version, String dataDirectory, int apiVersion,
        int metadataSchema) {
    public ServerInfo {
        requireNonNull(host, "host is null");
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(startedAt, "startedAt is null");
        requireNonNull(version, "version is null");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
    }

    /** A server whose data directory and versions are not recorded (an older build's file). */
    public ServerInfo(long pid, String host, int port, String startedAt, String version) {
        this(pid, host, port, startedAt, version, "");
    }

    /** A server whose versions are not recorded (an older build's file). */
    public ServerInfo(long pid, String host, int port, String startedAt, String version, String dataDirectory) {
        this(pid, host, port, startedAt, version, dataDirectory, 0, 0);
    }

    /**
     * Whether this server serves {@code dataDirectory}: a copy of a directory (a backup taken while its server ran) holds
     * the original's file, and its commands went to the original's server (probe sg).
     */
    public boolean serves(java.nio.file.Path dataDirectory) {
        if (this.dataDirectory.isEmpty()) {
            return true;
        }
        try {
            return java.nio.file.Files.isSameFile(java.nio.file.Path.of(this.dataDirectory), dataDirectory);
        } catch (java.io.IOException | java.nio.file.InvalidPathException e) {
            return false; // the recorded directory is gone or unreadable: not this one
        }
    }

    /** The server in messages: "the Lathe server at http://127.0.0.1:8080 (PID 1234)". */
    public String describe() {
        return "the Lathe server at " + baseUri() + " (PID " + pid + ")";
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
