package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * The CLI's HTTP calls to a Lathe server (its own, or one it started for the call), over {@link HttpURLConnection}.
 * Not {@link java.net.http.HttpClient}: building one initializes the JDK's default TLS context and starts its selector
 * thread, 0.3-0.4 s of a fresh JVM that every command talking to a server paid before its first byte; a plain
 * {@code http://} call here costs 0.05-0.1 s cold. {@code HttpURLConnection} knows no PATCH, so PATCH is sent as POST
 * with {@code X-HTTP-Method-Override: PATCH}, which Google's REST APIs and {@link LatheServer} accept.
 */
public final class LocalHttp {
    /** How long the CLI's management calls wait for a connection to a local server. */
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** The header a POST names its real method in (PATCH, PUT or DELETE). */
    public static final String METHOD_OVERRIDE = "X-HTTP-Method-Override";

    private LocalHttp() {}

    /** A response: its status and body (empty when it has none). */
    public record Response(int status, byte[] body) {
        public Response {
            requireNonNull(body, "body is null");
        }
    }

    /**
     * Sends {@code method} to {@code uri} with {@code body} as JSON (none when null) and reads the whole response,
     * error statuses included.
     *
     * @param readTimeout how long to wait for the answer; empty waits as long as it takes (a long CREATE MODEL)
     * @throws IOException when no connection is made in {@code connectTimeout}, or it breaks
     */
    public static Response send(URI uri, String method, byte[] body, Duration connectTimeout, Optional<Duration> readTimeout)
            throws IOException {
        return send(uri, method, body, connectTimeout, readTimeout, connection -> {});
    }

    /**
     * As {@link #send(URI, String, byte[], Duration, Optional)}, handing the connection to {@code opened} before anything is
     * sent: its {@link HttpURLConnection#disconnect()} from another thread ends the wait for the answer (an IOException).
     */
    public static Response send(URI uri, String method, byte[] body, Duration connectTimeout, Optional<Duration> readTimeout,
            java.util.function.Consumer<HttpURLConnection> opened) throws IOException {
        requireNonNull(uri, "uri is null");
        requireNonNull(method, "method is null");
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        opened.accept(connection);
        connection.setConnectTimeout((int) Math.max(1, connectTimeout.toMillis()));
        connection.setReadTimeout(readTimeout.map(d -> (int) Math.max(1, d.toMillis())).orElse(0));
        connection.setUseCaches(false);
        String verb = method.toUpperCase(Locale.ROOT);
        if (verb.equals("PATCH")) {
            connection.setRequestMethod("POST");
            connection.setRequestProperty(METHOD_OVERRIDE, verb);
        } else {
            connection.setRequestMethod(verb);
        }
        connection.setRequestProperty("Accept", ApiResponse.JSON);
        // One call per connection: an idle kept-alive connection would hold up the graceful stop of a server started for
        // one command (Jetty waits for its connections to close) by seconds, and a new local connection costs ~0.1 ms.
        connection.setRequestProperty("Connection", "close");
        if (body != null) {
            connection.setDoOutput(true);
            connection.setRequestProperty("Content-Type", ApiResponse.JSON);
            connection.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = connection.getOutputStream()) {
                out.write(body);
            }
        }
        int status = connection.getResponseCode();
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            return new Response(status, in == null ? new byte[0] : in.readAllBytes());
        }
    }
}
