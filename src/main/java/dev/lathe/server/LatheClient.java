package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Talks to the running server of a data directory, for the CLI: DuckDB lets one process write the
 * warehouse, so while a server runs, commands go through it instead of opening the file.
 */
public final class LatheClient {
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

    private final URI base;

    public LatheClient(URI base) {
        this.base = requireNonNull(base, "base is null");
    }

    /**
     * The client of the data directory's server when {@code server.json} names a live one that answers
     * {@code /healthz}; empty otherwise. A stale file (no such process, or nothing listening on its port) is removed; the
     * file of a live process that is slow to answer is kept: removed, every later command met the server's hold on the
     * warehouse as a lock error although the server was up again (probe qa: a 2 s stall, a GC pause, a stopped job).
     */
    public static Optional<LatheClient> discover(Path dataDirectory) {
        Optional<ServerInfo> info = ServerDiscovery.read(dataDirectory);
        if (info.isEmpty()) {
            return Optional.empty();
        }
        if (!info.get().serves(dataDirectory)) { // a copy's file names the original's server: not this directory's
            ServerDiscovery.remove(dataDirectory, info.get().pid());
            return Optional.empty();
        }
        boolean alive = ProcessHandle.of(info.get().pid()).map(ProcessHandle::isAlive).orElse(false);
        LatheClient client = new LatheClient(info.get().baseUri());
        Health health = alive ? client.health() : Health.GONE;
        if (health == Health.HEALTHY) {
            return Optional.of(client);
        }
        if (health == Health.GONE) {
            ServerDiscovery.remove(dataDirectory, info.get().pid());
        }
        return Optional.empty();
    }

    /** What {@code GET /healthz} told: ready, no server there (connection refused), or no answer in time / not ready. */
    enum Health { HEALTHY, GONE, SILENT }

    /** {@link #healthy()}, telling a server that is not there from one that did not answer. */
    Health health() {
        try {
            return LocalHttp.send(base.resolve("/healthz"), "GET", null, PROBE_TIMEOUT, Optional.of(PROBE_TIMEOUT)).status() == 200
                    ? Health.HEALTHY : Health.SILENT;
        } catch (java.net.ConnectException e) {
            return Health.GONE; // nothing listens on the port: a process that took the pid is no server of ours
        } catch (IOException e) {
            return Health.SILENT;
        }
    }

    public URI baseUri() {
        return base;
    }

    /** True when {@code GET /healthz} answers 200 within two seconds. */
    public boolean healthy() {
        return health() == Health.HEALTHY;
    }

    /**
     * Runs a script through {@code POST /v1/queries} and returns the jobs.query-shaped response; a server
     * error comes back as the {@link LatheException} the engine raised (same code, same message).
     */
    public JsonNode query(String script) {
        return query(script, Long.MAX_VALUE);
    }

    /**
     * As {@link #query(String)}, with at most {@code maxResults} rows in the response (fewer where its JSON would pass 10 MB);
     * the rest come with {@link #page(String, String, long)}.
     */
    public JsonNode query(String script, long maxResults) {
        return query(script, maxResults, Optional.empty());
    }

    /** As {@link #query(String, long)}, sent with a requestId that {@link #cancel(String)} can stop it by. */
    public JsonNode query(String script, long maxResults, Optional<String> requestId) {
        return query(script, maxResults, requestId, false);
    }

    /**
     * As {@link #query(String, long, Optional)}; with {@code statementResults} each entry of the response's
     * {@code statements} holds its statement's rows too (their schema, first page and page token), not only its message.
     */
    public JsonNode query(String script, long maxResults, Optional<String> requestId, boolean statementResults) {
        return query(script, maxResults, requestId, statementResults, Optional.empty());
    }

    /**
     * As {@link #query(String, long, Optional, boolean)}, in the session {@code session} names: an id runs in that session
     * (BigQuery's connectionProperties session_id), an empty string starts one (createSession; the response's
     * sessionInfo.sessionId names it), none runs in a pooled session.
     */
    public JsonNode query(String script, long maxResults, Optional<String> requestId, boolean statementResults, Optional<String> session) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("query", script);
        requestId.ifPresent(id -> body.put("requestId", id));
        if (statementResults) {
            body.put("statementResults", true);
        }
        if (session.isPresent() && session.get().isEmpty()) {
            body.put("createSession", true);
        } else {
            session.ifPresent(id -> body.putArray("connectionProperties").addObject().put("key", "session_id").put("value", id));
        }
        if (maxResults < Integer.MAX_VALUE) {
            body.put("maxResults", maxResults);
        }
        LocalHttp.Response response;
        try {
            // no read timeout: a statement (a CREATE MODEL) takes as long as it takes
            response = LocalHttp.send(base.resolve("/v1/queries"), "POST", Json.bytes(body), PROBE_TIMEOUT, Optional.empty());
        } catch (java.net.ConnectException e) {
            // Refused: the request never reached a server (it stopped since it was discovered); nothing ran.
            throw new ServerGone("The Lathe server at " + base + " stopped (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            // it went away mid-statement (the statement may or may not have run): unavailable, exit 6, not an internal failure
            throw new LatheException(ErrorCode.SERVER_UNAVAILABLE, "The Lathe server at " + base + " did not answer: " + e.getMessage()
                    + "; check it is running, or stop it to use the warehouse directly", e);
        }
        return answer(response);
    }

    /**
     * Cancels the query sent with {@code requestId} ({@code POST /v1/queries/{requestId}/cancel}); true if one was running.
     * The query's own request then answers with a CANCELLED error.
     */
    public boolean cancel(String requestId) {
        String path = "/v1/queries/" + java.net.URLEncoder.encode(requestId, java.nio.charset.StandardCharsets.UTF_8) + "/cancel";
        LocalHttp.Response response;
        try {
            response = LocalHttp.send(base.resolve(path), "POST", new byte[0], PROBE_TIMEOUT, Optional.of(Duration.ofSeconds(10)));
        } catch (IOException e) {
            throw LatheException.internal("The Lathe server at " + base + " did not answer the cancel: " + e.getMessage(), e);
        }
        return answer(response).path("cancelled").asBoolean(false);
    }

    /**
     * The next page of a query's rows, at most {@code maxResults} ({@code GET /v1/queries/{jobId}?pageToken=...}, BigQuery's
     * jobs.getQueryResults).
     */
    public JsonNode page(String jobId, String pageToken, long maxResults) {
        String path = "/v1/queries/" + java.net.URLEncoder.encode(jobId, java.nio.charset.StandardCharsets.UTF_8) + "?pageToken="
                + java.net.URLEncoder.encode(pageToken, java.nio.charset.StandardCharsets.UTF_8) + "&maxResults=" + maxResults;
        LocalHttp.Response response;
        try {
            response = LocalHttp.send(base.resolve(path), "GET", null, PROBE_TIMEOUT, Optional.empty());
        } catch (IOException e) {
            throw LatheException.internal("The Lathe server at " + base + " did not answer for the next page of rows: " + e.getMessage(), e);
        }
        return answer(response);
    }

    /** A 200 response's JSON, or the LatheException an error response reports. */
    private JsonNode answer(LocalHttp.Response response) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(response.body());
        } catch (IOException e) {
            throw LatheException.internal("The Lathe server at " + base + " answered HTTP " + response.status() + " without JSON", e);
        }
        if (response.status() != 200) {
            throw failure(response.status(), json);
        }
        return json;
    }

    /** An error response as the LatheException it reports: its reason detail's code, else one chosen by HTTP status. */
    public static LatheException failure(int status, JsonNode json) {
        JsonNode error = json.path("error");
        String message = error.path("message").asText("HTTP " + status);
        String reason = "";
        for (JsonNode detail : error.path("details")) {
            if (detail.has("reason")) {
                reason = detail.get("reason").asText();
            }
        }
        for (ErrorCode code : ErrorCode.values()) {
            if (code.name().equals(reason)) {
                return new LatheException(code, message);
            }
        }
        ErrorCode code = switch (status) {
            case 404 -> ErrorCode.TABLE_NOT_FOUND;
            case 409 -> ErrorCode.ALREADY_EXISTS;
            case 413, 429 -> ErrorCode.RESOURCE_EXHAUSTED;
            default -> status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID_ARGUMENT;
        };
        return new LatheException(code, message);
    }
    /** The server refused the connection: it stopped, and the request did not run. */
    public static final class ServerGone extends LatheException {
        ServerGone(String message, Throwable cause) {
            super(ErrorCode.INTERNAL, message, cause);
        }
    }
}
