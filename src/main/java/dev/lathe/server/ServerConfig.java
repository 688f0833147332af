package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How the server listens and what it accepts.
 *
 * @param host address to bind ({@code 127.0.0.1} keeps it local; {@code 0.0.0.0} serves every interface)
 * @param port TCP port; 0 picks a free one (tests), see {@link LatheServer#port()}
 * @param maxRequestBytes largest request body accepted; larger ones get 413
 * @param drainTimeout how long a graceful stop waits for in-flight requests
 * @param maxThreads request threads (each runs its request to the end, DuckDB calls included)
 * @param accessLog one line per request on standard output
 */
public record ServerConfig(String host, int port, long maxRequestBytes, Duration drainTimeout, int maxThreads, boolean accessLog) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final long DEFAULT_MAX_REQUEST_BYTES = 10L * 1024 * 1024;
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
    public static final int DEFAULT_MAX_THREADS = 64;

    public ServerConfig {
        requireNonNull(host, "host is null");
        requireNonNull(drainTimeout, "drainTimeout is null");
        if (host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank; give an address such as 127.0.0.1 or 0.0.0.0");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0 (any free port) to 65535, got " + port);
        }
        if (maxRequestBytes < 1 || maxRequestBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxRequestBytes must be 1 to " + (Integer.MAX_VALUE - 8) + ", got " + maxRequestBytes);
        }
        if (drainTimeout.isNegative()) {
            throw new IllegalArgumentException("drainTimeout must not be negative, got " + drainTimeout);
        }
        if (maxThreads < 4) {
            throw new IllegalArgumentException("maxThreads must be at least 4 (Jetty needs acceptor and selector threads), got " + maxThreads);
        }
    }

    /** 127.0.0.1:8080, 10 MiB bodies, 30 s drain, 64 threads, access log on. */
    public static ServerConfig defaults() {
        return new ServerConfig(DEFAULT_HOST, DEFAULT_PORT, DEFAULT_MAX_REQUEST_BYTES, DEFAULT_DRAIN_TIMEOUT, DEFAULT_MAX_THREADS, true);
    }

    public ServerConfig withHost(String newHost) {
        return new ServerConfig(newHost, port, maxRequestBytes, drainTimeout, maxThreads, accessLog);
    }

    public ServerConfig withPort(int newPort) {
        return new ServerConfig(host, newPort, maxRequestBytes, drainTimeout, maxThreads, accessLog);
    }

    public ServerConfig withMaxRequestBytes(long newMaxRequestBytes) {
        return new ServerConfig(host, port, newMaxRequestBytes, drainTimeout, maxThreads, accessLog);
    }

    public ServerConfig withDrainTimeout(Duration newDrainTimeout) {
        return new ServerConfig(host, port, maxRequestBytes, newDrainTimeout, maxThreads, accessLog);
    }

    public ServerConfig withMaxThreads(int newMaxThreads) {
        return new ServerConfig(host, port, maxRequestBytes, drainTimeout, newMaxThreads, accessLog);
    }

    public ServerConfig withAccessLog(boolean newAccessLog) {
        return new ServerConfig(host, port, maxRequestBytes, drainTimeout, maxThreads, newAccessLog);
    }

    /** One line for the start-up banner. */
    public String describe() {
        return "host=%s port=%d maxRequestBytes=%d drainTimeout=%ss maxThreads=%d accessLog=%s"
                .formatted(host, port, maxRequestBytes, drainTimeout.toMillis() / 1000.0, maxThreads, accessLog);
    }
}
