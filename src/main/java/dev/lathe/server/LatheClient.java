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
    /** How long a statement runs before its client starts checking that the server still answers, and between checks. */
    static final Duration SILENCE_CHECK = Duration.ofSeconds(5);
    /** jobs.query's longest timeoutMs (a uint32): the CLI waits for its statement's result. */
    static final long MAX_TIMEOUT_MS = 0xFFFF_FFFFL;

    /** How long the answer to a cancel is waited for; a server already found silent gets {@link #PROBE_TIMEOUT}. */
    private static final Duration CANCEL_TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    /** The server in messages: its URL, and its PID where server.json gave it. */
    private final String who;
    /** The server's HTTP API version as its server.json records it: 0 for an older build's, which recorded none. */
    private final int apiVersion;
    /** Where a statement's wait tells that the server stopped answering, and that it answers again; null: it is not watched. */
    private final java.util.function.Consumer<String> notice;
    private final Duration checkEvery;
    /** Set while a watched statement's server does not answer its health checks. */
    private volatile boolean silent;
    /** The connection of the statement waiting for its answer now, for {@link #abandon()}. */
    private volatile java.net.HttpURLConnection inFlight;
    private volatile boolean abandoned;

    public LatheClient(URI base) {
        this(base, "the Lathe server at " + base, dev.lathe.engine.Version.API, null, SILENCE_CHECK);
    }

    private LatheClient(URI base, String who, int apiVersion, java.util.function.Consumer<String> notice, Duration checkEvery) {
        this.base = requireNonNull(base, "base is null");
        this.who = who;
        this.apiVersion = apiVersion;
        this.notice = notice;
        this.checkEvery = checkEvery;
    }

    /**
     * This client with each statement's wait watched: once a statement has run {@link #SILENCE_CHECK}, the server's
     * {@code /healthz} is checked every few seconds, and a server that stopped answering (stopped with SIGSTOP, hung,
     * its host gone) is told on {@code notice}, as is its answering again. The wait goes on: a statement takes as long as
     * it takes, and a server resumed finishes it (probe sg: no output at all until Ctrl-C).
     */
    public LatheClient noticing(java.util.function.Consumer<String> notice) {
        return new LatheClient(base, who, apiVersion, requireNonNull(notice, "notice is null"), checkEvery);
    }

    /** As {@link #noticing}, checking every {@code every} (tests). */
    LatheClient checkingEvery(Duration every) {
        return new LatheClient(base, who, apiVersion, notice, every);
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
        LatheClient client = new LatheClient(info.get().baseUri(), info.get().describe(), info.get().apiVersion(), null, SILENCE_CHECK);
        Health health = alive ? client.health() : Health.GONE;
        if (health == Health.HEALTHY) {
            return Optional.of(client);
        }
        if (health == Health.GONE) {
            ServerDiscovery.remove(dataDirectory, info.get().pid());
        }
        return Optional.empty();
    }

    /**
     * The server {@code server.json} names when it is a live process serving {@code dataDirectory}: after {@link #discover}
     * found none that answers, the directory's server that holds the warehouse without answering (stopped with SIGSTOP,
     * hung, overloaded). A command waiting for the warehouse names it, rather than "another Lathe process" (probe sg).
     */
    public static Optional<ServerInfo> unanswering(Path dataDirectory) {
        return running(dataDirectory);
    }

    /**
     * The server {@code server.json} names when it is a live process serving {@code dataDirectory}, whether it answers or not:
     * the one that uses the directory's metadata store, which a command must then not migrate (probe ua F1).
     */
    public static Optional<ServerInfo> running(Path dataDirectory) {
        return ServerDiscovery.read(dataDirectory).filter(info -> info.serves(dataDirectory))
                .filter(info -> ProcessHandle.of(info.pid()).map(ProcessHandle::isAlive).orElse(false));
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
        if (apiVersion < 1 && (requestId.isPresent() || statementResults || session.isPresent())) {
            // An older build's server refuses these fields, and said so for every statement as "Invalid value for
            // 'requestId': unknown field ..." (probe ua F2); its server.json records no API version.
            throw olderServer();
        }
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
        if (apiVersion >= 2) {
            // the longest wait jobs.query takes: a statement (a CREATE MODEL) takes as long as it takes, and the answer is its
            // result, not jobComplete: false after BigQuery's default 10 s; the request's connection closing still cancels it
            body.put("timeoutMs", MAX_TIMEOUT_MS);
        }
        LocalHttp.Response response;
        abandoned = false;
        SilenceWatch watch = notice == null ? null : new SilenceWatch();
        java.util.concurrent.ScheduledFuture<?> checks = watch == null ? null
                : Watcher.THREAD.scheduleWithFixedDelay(watch, checkEvery.toMillis(), checkEvery.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        try {
            // no read timeout: a statement (a CREATE MODEL) takes as long as it takes; the watch tells a silent server
            response = LocalHttp.send(base.resolve("/v1/queries"), "POST", Json.bytes(body), PROBE_TIMEOUT, Optional.empty(),
                    connection -> inFlight = connection);
        } catch (java.net.ConnectException e) {
            // Refused: the request never reached a server (it stopped since it was discovered); nothing ran.
            throw new ServerGone("The Lathe server at " + base + " stopped (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            if (abandoned) {
                throw new LatheException(ErrorCode.CANCELLED, "Stopped waiting for " + who + ", which did not answer the cancel"
                        + " either: the statement may still be running there, and may commit once the server goes on", e);
            }
            // it went away mid-statement (the statement may or may not have run): unavailable, exit 6, not an internal failure
            throw new LatheException(ErrorCode.SERVER_UNAVAILABLE, "The Lathe server at " + base + " did not answer: " + e.getMessage()
                    + "; check it is running, or stop it to use the warehouse directly", e);
        } finally {
            inFlight = null;
            if (watch != null) {
                watch.done = true;
                checks.cancel(false);
            }
            silent = false;
        }
        return answer(response);
    }

    /** The refusal to send this build's queries to an older build's server, saying what to do. */
    private LatheException olderServer() {
        return new LatheException(ErrorCode.FAILED_PRECONDITION, "The data directory's server, " + who + ", is an older Lathe build"
                + " (its server.json records no HTTP API version; this build's is " + dev.lathe.engine.Version.API + ", metadata schema "
                + dev.lathe.engine.Version.metadataSchema() + ") whose POST /v1/queries does not take this build's statements. Stop that"
                + " server and start this build's lathe server on the data directory (it migrates the metadata store), then run the"
                + " command again; or use that server's own build of lathe sql meanwhile");
    }

    /**
     * Stops waiting for the statement in flight (its connection is closed; the wait ends with a CANCELLED error saying the
     * statement may still run): the way out of a wait on a server that answers neither the statement nor its cancel.
     */
    public void abandon() {
        abandoned = true;
        java.net.HttpURLConnection connection = inFlight;
        if (connection != null) {
            connection.disconnect();
        }
    }

    /** The one daemon thread that checks on the servers of statements in flight (a CLI process has one at a time). */
    private static final class Watcher {
        static final java.util.concurrent.ScheduledExecutorService THREAD = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                runnable -> {
                    Thread thread = new Thread(runnable, "lathe-server-watch");
                    thread.setDaemon(true);
                    return thread;
                });
    }

    /** One statement's checks of its server's {@code /healthz}; tells a silence after two unanswered checks in a row. */
    private final class SilenceWatch implements Runnable {
        volatile boolean done;
        private long silentSince = -1;
        private boolean told;

        @Override
        public void run() {
            long checked = System.nanoTime();
            boolean answered = health() == Health.HEALTHY;
            if (done) {
                return;
            }
            if (answered) {
                silent = false;
                silentSince = -1;
                if (told) {
                    notice.accept("lathe: " + who + " answers again; still waiting for the statement's result");
                    told = false;
                }
                return;
            }
            if (silentSince < 0) { // one unanswered check may be a pause (a long GC, a busy machine)
                silentSince = checked;
                return;
            }
            silent = true;
            if (!told) {
                told = true;
                long seconds = Math.max(1, (System.nanoTime() - silentSince) / 1_000_000_000L);
                notice.accept("lathe: " + who + " has not answered for " + seconds + " s (GET /healthz): it may be stopped"
                        + " (kill -STOP), hung or overloaded. The statement may still be running there, so this command keeps"
                        + " waiting for its result; Ctrl-C stops waiting and asks the server to cancel it");
            }
        }
    }

    /**
     * Cancels the query sent with {@code requestId} ({@code POST /v1/queries/{requestId}/cancel}); true if one was running.
     * The query's own request then answers with a CANCELLED error.
     */
    public boolean cancel(String requestId) {
        String path = "/v1/queries/" + java.net.URLEncoder.encode(requestId, java.nio.charset.StandardCharsets.UTF_8) + "/cancel";
        LocalHttp.Response response;
        try {
            // a server already found silent is given as long as a health check: Ctrl-C ends the command soon after
            response = LocalHttp.send(base.resolve(path), "POST", new byte[0], PROBE_TIMEOUT, Optional.of(silent ? PROBE_TIMEOUT : CANCEL_TIMEOUT));
        } catch (IOException e) {
            throw new LatheException(ErrorCode.SERVER_UNAVAILABLE, "The Lathe server at " + base + " did not answer the cancel: "
                    + e.getMessage(), e);
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
