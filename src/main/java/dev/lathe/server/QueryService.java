package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Result;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.duckdb.DuckDBStruct;

/**
 * {@code POST /v1/queries}: runs an ML SQL script in a pooled engine session and answers in the shape of
 * BigQuery's jobs.query response, with BigQuery's value encoding, for the script's last statement. The script runs on
 * a thread of its own ({@link QueryJob}): a request answers after its timeoutMs with {@code jobComplete: false}, and
 * {@link #results} (jobs.getQueryResults) waits for the script from then on.
 */
final class QueryService implements RouteHandler {
    /** BigQuery's statement that ends the request's session. */
    private static final Pattern ABORT_SESSION = Pattern.compile("(?is)\\s*CALL\\s+BQ\\s*\\.\\s*ABORT_SESSION\\s*\\(\\s*\\)\\s*;?\\s*");
    private static final Pattern DATASET = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,1023}");
    /** BigQuery's requestId is "a unique user provided identifier", a UUID in its clients: letters, digits, '-' and '_'. */
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

    /** BigQuery's wait for a query before jobs.query answers {@code jobComplete: false}, when the request gives no timeoutMs. */
    static final long DEFAULT_TIMEOUT_MS = 10_000;

    /**
     * The wait of a request without timeoutMs: BigQuery's 10 s, except for a {@code lathe sql} of HTTP API 1 (the build
     * before jobs.query's timeoutMs), which sends {@code statementResults} (Lathe's own field, no BigQuery client's) and no
     * timeoutMs, and reads the answer as the script's end: after 10 s it would print a long statement's jobComplete: false as
     * if it had no rows. So during a rolling upgrade an older CLI beside this server waits as it did.
     */
    static long defaultTimeoutMs(boolean statementResults) {
        return statementResults ? 0xFFFF_FFFFL : DEFAULT_TIMEOUT_MS;
    }

    /** The queries running now that were sent with a requestId, for {@link #cancel(String)}. */
    private final java.util.concurrent.ConcurrentHashMap<String, QueryJob> running = new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * The jobs whose request answered {@code jobComplete: false}: running, or ended and kept for jobs.getQueryResults for
     * {@link QueryResults#KEEP}.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, QueryJob> jobs = new java.util.concurrent.ConcurrentHashMap<>();
    /** Every job running now, for {@link #drain}. */
    private final Set<QueryJob> active = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** The threads scripts run on, so that a request can answer before its script ends. */
    private final java.util.concurrent.ExecutorService scripts = java.util.concurrent.Executors.newCachedThreadPool(
            Thread.ofPlatform().name("lathe-query-", 1).daemon(true).factory());

    private final SessionPool sessions;
    private final QueryResults results;

    /**
     * The most scripts running at once. A script held its request's thread to its end, so --threads bounded them; one
     * whose request answered jobComplete: false holds only its thread here and its session (a DuckDB connection), so
     * without a bound a client sending timeoutMs 0 could start any number.
     */
    private final int maxJobs;

    QueryService(SessionPool sessions, QueryResults results, int maxJobs) {
        this.sessions = requireNonNull(sessions, "sessions is null");
        this.results = requireNonNull(results, "results is null");
        this.maxJobs = maxJobs;
    }

    @Override
    public ApiResponse handle(ApiRequest request) {
        ObjectNode body = request.jsonObject();
        QueryRequestFields.check(body);
        String written = Json.requiredString(body, "query");
        if (written.isBlank()) {
            throw ApiException.badField("query", "must hold at least one statement, got an empty string");
        }
        String query = QueryParameterBinding.bind(written, body); // queryParameters' values in place of @name and ?
        long maxResults = Json.optionalLong(body, "maxResults", 0, Integer.MAX_VALUE).orElse(Long.MAX_VALUE);
        if (Json.optionalBoolean(body, "useLegacySql").orElse(false)) {
            // BigQuery's default for jobs.query is legacy SQL; its clients send false for GoogleSQL
            throw ApiException.badField("useLegacySql", "legacy SQL is not supported, only GoogleSQL (standard SQL); omit the field"
                    + " or set it to false");
        }
        String dataset = defaultDataset(body);
        boolean int64Timestamps = QueryRequestFields.int64Timestamps(body);
        Optional<String> requestId = Json.optionalString(body, "requestId");
        if (requestId.isPresent() && !REQUEST_ID.matcher(requestId.get()).matches()) {
            throw ApiException.badField("requestId", "must be 1 to 128 letters, digits, '-' or '_' (a UUID), got '" + requestId.get() + "'");
        }
        // Lathe's extension: every statement's rows, not only the last's (the CLI sends a BEGIN ... COMMIT as one script)
        boolean statementResults = Json.optionalBoolean(body, "statementResults").orElse(false);
        // BigQuery's sessions: createSession starts one, connectionProperties' session_id runs in it, CALL BQ.ABORT_SESSION() ends it
        Optional<String> sessionId = sessionId(body);
        boolean createSession = Json.optionalBoolean(body, "createSession").orElse(false);
        // BigQuery's dry run: the script is parsed and bound, its last statement's schema answered, and nothing run
        boolean dryRun = Json.optionalBoolean(body, "dryRun").orElse(false);
        if (dryRun && createSession) {
            throw ApiException.badField("createSession", "cannot be true in a dry run, which runs nothing and so starts no session");
        }
        if (createSession && sessionId.isPresent()) {
            throw ApiException.badField("createSession", "cannot be true for a request that names a session_id in connectionProperties");
        }
        if (ABORT_SESSION.matcher(query).matches()) {
            if (sessionId.isEmpty()) {
                throw ApiException.badField("connectionProperties", "CALL BQ.ABORT_SESSION() ends the request's session: name it with"
                        + " {\"key\": \"session_id\", \"value\": \"<id>\"}");
            }
            if (!sessions.abort(sessionId.get())) {
                throw ApiException.notFound("Session " + sessionId.get() + " not found: it ended already");
            }
            ObjectNode aborted = Json.MAPPER.createObjectNode().put("kind", "bigquery#queryResponse").put("totalRows", "0")
                    .put("message", "Session " + sessionId.get() + " ended").put("jobComplete", true);
            return ApiResponse.json(200, aborted);
        }
        // BigQuery's timeoutMs: how long this request waits for the script; a script still running then goes on, its
        // response is jobComplete: false with the jobReference that jobs.getQueryResults (GET /v1/queries/{jobId}) waits on
        long timeoutMs = Json.optionalLong(body, "timeoutMs", 0, 0xFFFF_FFFFL).orElse(defaultTimeoutMs(statementResults));
        // BigQuery's jobTimeoutMs (an int64, as a string or a number): the script is cancelled once it has run that long
        Optional<Long> jobTimeoutMs = Json.optionalLong(body, "jobTimeoutMs", 1, Long.MAX_VALUE);
        QueryJob job = new QueryJob(QueryResults.newJobId(), requestId);
        active.add(job);
        if (active.size() > maxJobs) {
            active.remove(job);
            throw new ApiException(429, "RESOURCE_EXHAUSTED", "Too many queries running: " + maxJobs + " run now (the server's --threads),"
                    + " counting those whose request answered jobComplete: false; wait for one to end (GET /v1/queries/{jobId}) or"
                    + " cancel one, then send this again", List.of(), "rateLimitExceeded");
        }
        if (requestId.isPresent() && running.putIfAbsent(requestId.get(), job) != null) {
            active.remove(job);
            String rule = "a query with requestId '" + requestId.get() + "' is running; give each query its own requestId";
            throw new ApiException(409, "ALREADY_EXISTS", "Invalid value for 'requestId': " + rule,
                    List.of(new ApiException.FieldViolation("requestId", rule)), "ALREADY_EXISTS");
        }
        Optional<String> created;
        try {
            created = createSession ? Optional.of(sessions.create()) : Optional.empty();
        } catch (RuntimeException e) {
            active.remove(job);
            requestId.ifPresent(id -> running.remove(id, job));
            throw e;
        }
        Optional<String> inSession = sessionId.or(() -> created);
        java.util.function.Function<java.util.function.Function<Engine, byte[]>, byte[]> run = work -> {
            try {
                return inSession.isPresent() ? sessions.withSession(inSession.get(), work) : sessions.withSession(work);
            } catch (RuntimeException e) {
                created.ifPresent(sessions::abort); // a session whose first request failed is never answered: not left behind
                throw e;
            }
        };
        java.util.function.Supplier<byte[]> script = () -> run.apply(session -> {
            Response response = new Response(maxResults, results, statementResults, created, int64Timestamps, dryRun, job.id());
            // the session's own default (a session's USE), given back after the request: defaultDataset is the request's
            String restore = dataset == null ? null : defaultsNow(session);
            if (dataset != null) {
                session.execute("SET schema = '" + dataset + "'", (statement, result) -> {});
            }
            try {
                job.running(session); // from now on a cancel reaches the session
                try {
                    if (dryRun) {
                        session.dryRun(query, response::checked);
                    } else {
                        session.execute(query, response::accept);
                    }
                } finally {
                    // before the session goes back to the pool: a late cancel must not reach the next request
                    job.stopped();
                }
                // A request of a pooled session ends its transaction (as BigQuery ends one at its script's end); in a
                // session of its own a transaction spans requests, as BigQuery's sessions allow (probe sc: a shell's BEGIN
                // through a server was refused, what it meant to roll back was kept)
                if (inSession.isEmpty() && session.rollbackOpenTransaction()) {
                    throw dev.lathe.engine.Engine.endedInsideTransaction();
                }
            } catch (RuntimeException e) {
                response.discardAll();
                throw e;
            } finally {
                if (inSession.isEmpty()) {
                    session.rollbackOpenTransaction(); // the pooled session's next request must not run inside it
                }
                if (dataset != null) {
                    session.execute(restore, (statement, result) -> {});
                }
            }
            return response.finish();
        });
        try {
            scripts.execute(() -> run(job, script, jobTimeoutMs));
        } catch (java.util.concurrent.RejectedExecutionException e) { // stopping: the pool takes no more
            active.remove(job);
            requestId.ifPresent(id -> running.remove(id, job));
            created.ifPresent(sessions::abort);
            throw new ApiException(503, "UNAVAILABLE", "The server is shutting down; retry on another instance or after restart",
                    List.of(), "UNAVAILABLE");
        }
        // a client killed while its statement runs is not there to cancel it: the statement stops when its connection
        // closes, while this request waits for it (once it answered jobComplete: false, the job no longer depends on it)
        ClientWatch watch = request.whenClientGone(() -> job.cancel("its client closed the connection"));
        jobs.put(job.id(), job);
        boolean answered = false;
        try {
            Optional<byte[]> answer = job.await(timeoutMs, true);
            answered = answer.isPresent();
            if (answered) {
                return ApiResponse.jsonBytes(200, answer.get());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel("its request was interrupted");
            answered = true;
            throw new ApiException(503, "UNAVAILABLE", "The server is shutting down: the query was cancelled; send it again",
                    List.of(), "UNAVAILABLE");
        } catch (RuntimeException e) {
            answered = true;
            throw e;
        } finally {
            watch.close();
            if (answered) {
                jobs.remove(job.id()); // answered in full: nothing to keep for jobs.getQueryResults
            }
        }
        forgetExpired();
        return ApiResponse.json(200, incomplete("bigquery#queryResponse", job.id()));
    }

    /** Runs a job's script on a thread of {@link #scripts}, then records its outcome (kept where its request answered). */
    private void run(QueryJob job, java.util.function.Supplier<byte[]> script, Optional<Long> jobTimeoutMs) {
        java.util.concurrent.ScheduledFuture<?> deadline = jobTimeoutMs.map(ms -> DEADLINES.schedule(job::timeOut, ms,
                java.util.concurrent.TimeUnit.MILLISECONDS)).orElse(null);
        try {
            byte[] answer;
            try {
                answer = script.get();
            } finally {
                // a client's next request with the same requestId is taken once this one's outcome is there
                job.requestId().ifPresent(id -> running.remove(id, job));
            }
            if (job.succeeded(answer)) {
                try {
                    results.keep(job.id(), answer);
                    job.stored();
                } catch (IOException e) {
                    java.util.logging.Logger.getLogger(QueryService.class.getName()).log(java.util.logging.Level.WARNING,
                            "The answer of query job " + job.id() + " could not be written to the results' store; it stays in memory", e);
                }
            }
        } catch (RuntimeException | Error e) {
            if (job.timedOut() && e instanceof dev.lathe.core.LatheException cancelled && cancelled.code() == dev.lathe.core.ErrorCode.CANCELLED) {
                job.failed(timedOut(job.id(), jobTimeoutMs.orElseThrow()));
            } else {
                job.failed(e instanceof RuntimeException failure ? failure
                        : dev.lathe.core.LatheException.internal("The query failed: " + e, e));
            }
            if (e instanceof Error error) {
                throw error;
            }
        } finally {
            if (deadline != null) {
                deadline.cancel(false);
            }
            active.remove(job);
        }
    }

    /** The timer that cancels the jobs past their jobTimeoutMs. */
    private static final java.util.concurrent.ScheduledExecutorService DEADLINES = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("lathe-query-deadlines").daemon(true).factory());

    /**
     * BigQuery's failure of a job past its jobTimeoutMs: HTTP 400, reason {@code timeout} (its error table's), the
     * cancelled script having left nothing behind.
     */
    private static ApiException timedOut(String jobId, long jobTimeoutMs) {
        return new ApiException(400, "DEADLINE_EXCEEDED", "Job " + jobId + " timed out: it ran past its jobTimeoutMs of " + jobTimeoutMs
                + " ms and was cancelled, leaving nothing behind; raise jobTimeoutMs, or omit it for no limit", List.of(), "timeout");
    }

    /** jobs.query's or jobs.getQueryResults' answer for a job still running: its reference, jobComplete false. */
    private static ObjectNode incomplete(String kind, String jobId) {
        ObjectNode answer = Json.MAPPER.createObjectNode().put("kind", kind);
        answer.putObject("jobReference").put("jobId", jobId).put("location", LOCATION);
        answer.put("jobComplete", false);
        return answer;
    }

    /** The location a job reference names: Lathe's warehouse is in one place, which it calls "local". */
    static final String LOCATION = "local";

    /**
     * jobs.getQueryResults without a pageToken ({@code GET /v1/queries/{jobId}}): waits up to {@code timeoutMs} for the job
     * whose jobs.query answered {@code jobComplete: false}, then answers its result's first page (schema, rows, totalRows,
     * pageToken), its failure (as the query's own request would have), or {@code jobComplete: false} again.
     * {@code maxResults} 0 answers the state and schema without rows (google-cloud-bigquery polls so).
     */
    ApiResponse results(String jobId, long timeoutMs, long maxResults) {
        forgetExpired();
        QueryJob job = jobs.get(jobId);
        if (job == null && results.hasRows(jobId)) { // a jobs.query answered in full: its first page is in that answer
            throw ApiException.badField("pageToken", "is required: job " + jobId + " was answered in full by its /v1/queries response"
                    + " (jobComplete: true), which holds its first page; the pageToken of that response gives the rows after it");
        }
        if (job == null) {
            throw ApiException.notFound("Job " + jobId + " not found: a job id is the jobReference.jobId of a /v1/queries response that"
                    + " answered jobComplete: false; an ended job's result is kept for " + QueryResults.KEEP.toMinutes()
                    + " minutes, and not across a restart of the server");
        }
        Optional<byte[]> answer;
        try {
            answer = job.await(timeoutMs, false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ApiResponse.json(200, incomplete("bigquery#getQueryResultsResponse", jobId));
        }
        if (answer.isEmpty()) {
            return ApiResponse.json(200, incomplete("bigquery#getQueryResultsResponse", jobId));
        }
        byte[] bytes = answer.get() == QueryJob.STORED ? results.kept(jobId).orElseThrow(() -> ApiException.notFound("Job " + jobId
                + " not found: its result was kept for " + QueryResults.KEEP.toMinutes() + " minutes after it ended; run the query again"))
                : answer.get();
        ObjectNode first;
        try {
            first = (ObjectNode) Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw dev.lathe.core.LatheException.internal("Reading the answer of " + jobId + " failed: " + e.getMessage(), e);
        }
        var rows = first.path("rows");
        if (maxResults == 0) {
            first.remove("rows");
        } else if (rows.isArray() && rows.size() > maxResults) {
            throw ApiException.badField("maxResults", "the first page of " + jobId + " holds " + rows.size() + " rows, as the query's own"
                    + " maxResults asked; give at least that, 0 for none, or omit it (its pageToken gives the rows after it)");
        }
        ObjectNode answered = Json.MAPPER.createObjectNode().put("kind", "bigquery#getQueryResultsResponse");
        answered.putObject("jobReference").put("jobId", jobId).put("location", LOCATION);
        first.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("kind") && !field.getKey().equals("jobReference")) {
                answered.set(field.getKey(), field.getValue());
            }
        });
        return ApiResponse.json(200, answered);
    }

    /** Forgets the jobs that ended more than {@link QueryResults#KEEP} ago, with their kept answers. */
    private void forgetExpired() {
        jobs.values().removeIf(job -> {
            if (job.endedBefore(QueryResults.KEEP.toNanos())) {
                results.forget(job.id());
                return true;
            }
            return false;
        });
    }

    /**
     * A stop's wait for the scripts still running: those whose request answered jobComplete: false have no request for the
     * HTTP server's drain to wait for. Waits until {@code deadline} (System.nanoTime()); the ones still running then are
     * cancelled, and waited for a little more so that their sessions are not closed under them. Returns a line for each
     * cancelled one, for the stop's log.
     */
    List<String> drain(long deadline) {
        scripts.shutdown();
        try {
            scripts.awaitTermination(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            List<String> cancelled = new ArrayList<>();
            for (QueryJob job : active) {
                if (job.cancel("the server is stopping")) {
                    cancelled.add("Lathe server stopping: cancelled query job " + job.id() + job.requestId().map(id -> " (requestId " + id
                            + ")").orElse("") + ", still running after the drain: it leaves nothing behind; send it again once the server is back");
                }
            }
            scripts.awaitTermination(DRAIN_CANCEL_WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            return cancelled;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("Lathe server stopping: interrupted while waiting for " + active.size() + " running query job(s)");
        }
    }

    /** How long a stop waits for the scripts it cancelled to end. */
    static final java.time.Duration DRAIN_CANCEL_WAIT = java.time.Duration.ofSeconds(10);

    /**
     * {@code POST /v1/queries/{requestId}/cancel}, BigQuery's jobs.cancel for a query sent with that requestId: the
     * query stops at its next cancellation point (a warehouse query at once, CREATE MODEL between training iterations)
     * and its response is a CANCELLED error (HTTP 499). Whether one was running is in the answer; none is not an error,
     * since it may just have ended.
     */
    ApiResponse cancel(String requestId) {
        boolean[] found = new boolean[1];
        // the job holds its session only while the script runs in it, so a cancel cannot reach the session's next request
        QueryJob job = running.get(requestId);
        if (job == null) {
            job = jobs.get(requestId); // BigQuery's jobs.cancel names the job: a jobReference.jobId is taken too
        }
        if (job != null) {
            found[0] = job.cancel("jobs.cancel");
        }
        ObjectNode answer = Json.MAPPER.createObjectNode().put("kind", "lathe#queryCancelResponse").put("requestId", requestId)
                .put("cancelled", found[0]);
        if (!found[0]) {
            answer.put("message", "No query with requestId '" + requestId + "' is running: it ended, or has not started");
        }
        return ApiResponse.json(200, answer);
    }

    /**
     * The statements that set the session's default schema and search path back to what they are now: a request's
     * defaultDataset was followed by {@code SET schema = 'main'}, which in a session of its own replaced the default
     * an earlier request's USE had set.
     */
    private static String defaultsNow(Engine session) {
        String[] now = new String[2];
        session.execute("SELECT current_schema(), current_setting('search_path')", (statement, result) -> {
            if (result instanceof Result.Rows rows && rows.rows().next()) {
                now[0] = rows.rows().getString(1);
                now[1] = rows.rows().getString(2);
            }
        });
        return "SET schema = " + QueryParameterBinding.stringLiteral(now[0] == null ? "main" : now[0])
                + "; SET search_path = " + QueryParameterBinding.stringLiteral(now[1] == null ? "" : now[1]);
    }

    /** The session_id of the request's connectionProperties ([{"key": "session_id", "value": "..."}]), BigQuery's form. */
    private static Optional<String> sessionId(ObjectNode body) {
        var node = body.get("connectionProperties");
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw ApiException.badField("connectionProperties", "must be an array of {\"key\": ..., \"value\": ...}, got " + Json.kind(node));
        }
        Optional<String> id = Optional.empty();
        for (int i = 0; i < node.size(); i++) {
            var property = node.get(i);
            if (!property.isObject() || !property.path("key").isTextual() || !property.path("value").isTextual()) {
                throw ApiException.badField("connectionProperties[" + i + "]", "must be {\"key\": \"...\", \"value\": \"...\"}, got "
                        + Json.kind(property));
            }
            if (!property.get("key").textValue().equals("session_id")) {
                throw ApiException.badField("connectionProperties[" + i + "].key", "accepted: session_id, got '"
                        + property.get("key").textValue() + "'");
            }
            id = Optional.of(property.get("value").textValue());
        }
        return id;
    }

    private static String defaultDataset(ObjectNode body) {
        var node = body.get("defaultDataset");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject() || !node.path("datasetId").isTextual()) {
            throw ApiException.badField("defaultDataset", "must be an object {\"datasetId\": \"name\"}, got " + Json.kind(node));
        }
        String dataset = node.get("datasetId").textValue();
        if (!DATASET.matcher(dataset).matches()) {
            throw ApiException.badField("defaultDataset.datasetId", "must be letters, digits and underscores not starting with a digit, got '" + dataset + "'");
        }
        return dataset;
    }

    /**
     * Collects one script's results: the last statement's rows or message, and a summary of each statement. Rows past the
     * first page (maxResults rows, at most {@link QueryResults#PAGE_BYTES} of JSON) are spilled to a file, not held, and
     * fetched with the response's pageToken (jobs.getQueryResults, {@code GET /v1/queries/{jobId}}).
     */
    private static final class Response {
        private final long maxResults;
        private final QueryResults results;
        /** Whether each statement's entry carries its rows (and their pages) too, not only its message. */
        private final boolean statementResults;
        private final List<Entry> statements = new ArrayList<>();
        private byte[] rowsJson;
        private String message;
        private QueryResults.Spill spill;

        /** A statement of the script: its text, its message, and with {@code statementResults} its rows and their spill. */
        private record Entry(String statement, String message, byte[] rowsJson, QueryResults.Spill spill) {}

        /** The session the request started, answered as BigQuery's sessionInfo. */
        private final Optional<String> createdSession;
        /** formatOptions.useInt64Timestamp: TIMESTAMP values as microseconds since the epoch, not seconds. */
        private final boolean int64Timestamps;
        /** A dry run's answer: the last statement's schema, no rows, jobComplete false, as BigQuery's. */
        private final boolean dryRun;
        /**
         * The job's id, which the script's result's pages are kept under (jobs.getQueryResults names the job); with
         * statementResults each statement's pages have an id of their own.
         */
        private final String jobId;

        Response(long maxResults, QueryResults results, boolean statementResults, Optional<String> createdSession, boolean int64Timestamps,
                boolean dryRun, String jobId) {
            this.dryRun = dryRun;
            this.jobId = jobId;
            this.maxResults = maxResults;
            this.results = results;
            this.statementResults = statementResults;
            this.createdSession = createdSession;
            this.int64Timestamps = int64Timestamps;
        }

        void accept(String statement, Result result) throws SQLException, IOException {
            if (statementResults && !statements.isEmpty()) { // the previous statement keeps its rows and their pages
                Entry previous = statements.remove(statements.size() - 1);
                statements.add(new Entry(previous.statement(), previous.message(), rowsJson, spill));
                spill = null;
            }
            discard(); // only the script's last result is answered (and, with statementResults, each in its entry)
            switch (result) {
                case Result.Rows rows -> {
                    ByteArrayBuilder buffer = new ByteArrayBuilder(4096);
                    long count;
                    try (JsonGenerator json = Json.MAPPER.createGenerator(buffer)) {
                        json.writeStartObject();
                        Paged paged = writePage(json, rows.rows(), maxResults, results, int64Timestamps,
                                statementResults ? QueryResults.newJobId() : jobId);
                        count = paged.total();
                        spill = paged.spill();
                        json.writeEndObject();
                    }
                    rowsJson = buffer.toByteArray();
                    message = null;
                    statements.add(new Entry(statement, count == 1 ? "1 row" : count + " rows", null, null));
                }
                case Result.Message text -> {
                    rowsJson = null;
                    message = text.text();
                    statements.add(new Entry(statement, text.text(), null, null));
                }
            }
        }

        /** A statement of a dry run: the schema of the columns it would answer, if any, and what it would do. */
        void checked(dev.lathe.engine.Engine.DryRun statement) {
            try {
                rowsJson = null;
                if (statement.columns() != null) {
                    ByteArrayBuilder buffer = new ByteArrayBuilder(1024);
                    try (JsonGenerator json = Json.MAPPER.createGenerator(buffer)) {
                        json.writeStartObject();
                        writeSchema(json, fields(statement.columns()));
                        json.writeEndObject();
                    }
                    rowsJson = buffer.toByteArray();
                }
            } catch (SQLException | IOException e) {
                throw dev.lathe.core.LatheException.internal("Describing the dry run's columns failed: " + e.getMessage(), e);
            }
            message = statement.message();
            statements.add(new Entry(statement.statement(), statement.message(), null, null));
        }

        /** Removes the spilled rows of a result that will not be answered (a later statement's replaces it, or a failure). */
        void discard() {
            if (spill != null) {
                spill.delete();
                spill = null;
            }
        }

        /** Removes every spill of the script, the statements' too (a failure answers none of them). */
        void discardAll() {
            discard();
            statements.stream().map(Entry::spill).filter(java.util.Objects::nonNull).forEach(QueryResults.Spill::delete);
        }

        byte[] finish() {
            ByteArrayBuilder buffer = new ByteArrayBuilder(rowsJson == null ? 512 : rowsJson.length + 512);
            try (JsonGenerator json = Json.MAPPER.createGenerator(buffer)) {
                json.writeStartObject();
                json.writeStringField("kind", "bigquery#queryResponse");
                if (rowsJson != null) {
                    // The rows object is spliced in as written: its fields follow "kind".
                    json.writeRaw(',');
                    json.writeRaw(new String(rowsJson, 1, rowsJson.length - 2, java.nio.charset.StandardCharsets.UTF_8));
                } else if (dryRun) {
                    json.writeStringField("message", message); // what the statement would do: "Would train model d.m ..."
                } else {
                    json.writeStringField("totalRows", "0");
                    if (message != null) {
                        json.writeStringField("message", message);
                        // A DML statement's count, as BigQuery's jobs.query gives it (an int64 as a string).
                        java.util.regex.Matcher affected = java.util.regex.Pattern.compile("(\\d+) rows? affected").matcher(message);
                        if (affected.matches()) {
                            json.writeStringField("numDmlAffectedRows", affected.group(1));
                        }
                    }
                }
                // a dry run ran no job to complete (BigQuery answers false, with the schema and no rows)
                json.writeBooleanField("jobComplete", !dryRun);
                if (dryRun) {
                    json.writeBooleanField("cacheHit", false);
                }
                if (createdSession.isPresent()) {
                    json.writeObjectFieldStart("sessionInfo");
                    json.writeStringField("sessionId", createdSession.get());
                    json.writeEndObject();
                }
                json.writeArrayFieldStart("statements");
                for (Entry statement : statements) {
                    json.writeStartObject();
                    json.writeStringField("statement", statement.statement());
                    json.writeStringField("message", statement.message());
                    if (statement.rowsJson() != null) { // schema, rows, totalRows and the pages' reference, as the response's own
                        json.writeRaw(',');
                        json.writeRaw(new String(statement.rowsJson(), 1, statement.rowsJson().length - 2,
                                java.nio.charset.StandardCharsets.UTF_8));
                    }
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return buffer.toByteArray();
        }
    }

    /** A first page's outcome: every row's count, and the file holding the rows past the page, if any. */
    private record Paged(long total, QueryResults.Spill spill) {}

    /**
     * Writes "schema", the first page's "rows", "totalRows" and, when rows remain, "jobReference" and "pageToken": the rest
     * go to a spill file as they are read, so a result of millions of rows is never held (a 10M-row result was one 760 MB
     * response body, built in memory on both sides).
     */
    private static Paged writePage(JsonGenerator json, ResultSet rows, long maxResults, QueryResults results, boolean int64Timestamps,
            String jobId) throws SQLException, IOException {
        BigQueryTypes.Field[] fields = fields(rows.getMetaData()).toArray(BigQueryTypes.Field[]::new);
        writeSchema(json, List.of(fields));
        dev.lathe.warehouse.JdbcValues.Reader values = dev.lathe.warehouse.JdbcValues.reader(rows);
        json.writeArrayFieldStart("rows");
        long count = 0;
        QueryResults.Spill spill = null;
        JsonGenerator target = json;
        try {
            while (rows.next()) {
                if (spill == null && (count >= maxResults || json.getOutputBuffered() + outputSize(json) >= QueryResults.PAGE_BYTES)) {
                    spill = results.spill(jobId, count, int64Timestamps);
                    target = spill.generator();
                }
                writeRow(target, values, fields, int64Timestamps);
                if (spill != null) {
                    spill.rowWritten();
                }
                count++;
            }
            json.writeEndArray();
            json.writeStringField("totalRows", Long.toString(count));
            if (spill != null) {
                spill.finish(fields, count);
                json.writeObjectFieldStart("jobReference");
                json.writeStringField("jobId", spill.jobId());
                json.writeEndObject();
                json.writeStringField("pageToken", spill.firstToken());
            }
            return new Paged(count, spill);
        } catch (SQLException | IOException | RuntimeException e) {
            if (spill != null) {
                spill.delete();
            }
            throw e;
        }
    }

    /** The schema's fields of a result's columns, with BigQuery's type names. */
    private static List<BigQueryTypes.Field> fields(ResultSetMetaData metadata) throws SQLException {
        List<BigQueryTypes.Field> fields = new ArrayList<>();
        for (int c = 1; c <= metadata.getColumnCount(); c++) {
            fields.add(BigQueryTypes.field(metadata.getColumnLabel(c), metadata.getColumnTypeName(c)));
        }
        return fields;
    }

    /** Bytes the generator has passed to its buffer so far (its own buffered bytes are counted apart). */
    private static long outputSize(JsonGenerator json) {
        return json.getOutputTarget() instanceof ByteArrayBuilder buffer ? buffer.size() : 0;
    }

    private static void writeRow(JsonGenerator json, dev.lathe.warehouse.JdbcValues.Reader values, BigQueryTypes.Field[] fields,
            boolean int64Timestamps) throws SQLException, IOException {
        json.writeStartObject();
        json.writeArrayFieldStart("f");
        for (int c = 0; c < fields.length; c++) {
            json.writeStartObject();
            json.writeFieldName("v");
            writeValue(json, values.value(c + 1), fields[c], true, int64Timestamps);
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    static void writeSchema(JsonGenerator json, List<BigQueryTypes.Field> fields) throws IOException {
        json.writeObjectFieldStart("schema");
        writeFields(json, fields);
        json.writeEndObject();
    }

    static void writeFields(JsonGenerator json, List<BigQueryTypes.Field> fields) throws IOException {
        json.writeArrayFieldStart("fields");
        for (BigQueryTypes.Field field : fields) {
            json.writeStartObject();
            json.writeStringField("name", field.name());
            json.writeStringField("type", field.type());
            json.writeStringField("mode", field.repeated() ? "REPEATED" : "NULLABLE");
            if (field.duckdbType() != null) {
                json.writeStringField("duckdbType", field.duckdbType());
            }
            if (!field.fields().isEmpty()) {
                writeFields(json, field.fields());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    /**
     * BigQuery's encoding: scalars as strings, arrays as [{"v":..}], records as {"f":[{"v":..}]}; TIMESTAMP as seconds since
     * the epoch, or with {@code int64Timestamps} (formatOptions.useInt64Timestamp) as microseconds.
     */
    private static void writeValue(JsonGenerator json, Object value, BigQueryTypes.Field field, boolean whole, boolean int64Timestamps)
            throws IOException, SQLException {
        if (value == null) {
            json.writeNull();
            return;
        }
        if (whole && field.repeated()) {
            Object[] elements = elements(value);
            json.writeStartArray();
            for (Object element : elements) {
                json.writeStartObject();
                json.writeFieldName("v");
                writeValue(json, element, field, false, int64Timestamps);
                json.writeEndObject();
            }
            json.writeEndArray();
            return;
        }
        if ("LIST".equals(field.duckdbType())) { // an inner list (or MAP) of a list, in its record of one field
            writeRecord(json, java.util.Collections.singletonMap("element", value), field, int64Timestamps);
            return;
        }
        if ("UNION".equals(field.duckdbType())) { // the record of the members, the value under the one it belongs to
            int member = BigQueryTypes.unionMember(field, value);
            Map<String, Object> members = new java.util.LinkedHashMap<>();
            for (int i = 0; i < field.fields().size(); i++) {
                members.put(field.fields().get(i).name(), i == member ? value : null);
            }
            writeRecord(json, members, field, int64Timestamps);
            return;
        }
        String infinity = dev.lathe.warehouse.JdbcValues.infinity(value);
        if (infinity != null) { // DuckDB's infinite DATE or TIMESTAMP, as DuckDB writes it: BigQuery has none
            json.writeString(infinity);
            return;
        }
        switch (value) {
            case DuckDBStruct struct -> writeRecord(json, struct.getMap(), field, int64Timestamps);
            case Map.Entry<?, ?> entry -> writeRecord(json, keyThenValue(entry), field, int64Timestamps);
            case Struct struct -> {
                Object[] attributes = struct.getAttributes();
                json.writeStartObject();
                json.writeArrayFieldStart("f");
                for (int i = 0; i < attributes.length; i++) {
                    json.writeStartObject();
                    json.writeFieldName("v");
                    writeValue(json, attributes[i], child(field, i), true, int64Timestamps);
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            case Double number -> json.writeString(Double.toString(number));
            case Float number -> json.writeString(Float.toString(number));
            case BigDecimal number -> json.writeString(number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString()); // NUMERIC as BigQuery gives it: 3.14
            case Timestamp timestamp -> json.writeString(epoch(dev.lathe.warehouse.JdbcValues.dateTime(timestamp).toEpochSecond(ZoneOffset.UTC),
                    timestamp.getNanos(), int64Timestamps));
            case LocalDateTime dateTime -> json.writeString("TIMESTAMP".equals(field.type())
                    ? epoch(dateTime.toEpochSecond(ZoneOffset.UTC), dateTime.getNano(), int64Timestamps)
                    : dateTime.toLocalDate() + "T" + dev.lathe.warehouse.Sql.timeText(dateTime.toLocalTime())); // DATETIME: 2024-01-01T10:00:00, not ...T10:00
            case java.time.LocalTime time -> json.writeString(dev.lathe.warehouse.Sql.timeText(time)); // TIME '11:00:00' was "11:00" (probe M)
            case java.time.OffsetTime time -> json.writeString(dev.lathe.warehouse.Sql.timeText(time)); // TIMETZ, as direct mode prints it
            case OffsetDateTime dateTime -> json.writeString(epoch(dateTime.toEpochSecond(), dateTime.getNano(), int64Timestamps));
            case ZonedDateTime dateTime -> json.writeString(epoch(dateTime.toEpochSecond(), dateTime.getNano(), int64Timestamps));
            case byte[] bytes -> json.writeString(Base64.getEncoder().encodeToString(bytes));
            case java.sql.Blob blob -> json.writeString(Base64.getEncoder().encodeToString(blob.getBytes(1, Math.toIntExact(blob.length()))));
            case Array array -> json.writeString(String.valueOf(array)); // only reached for a nested list in a scalar slot
            default -> json.writeString(value.toString());
        }
    }

    private static void writeRecord(JsonGenerator json, Map<?, ?> map, BigQueryTypes.Field field, boolean int64Timestamps)
            throws IOException, SQLException {
        json.writeStartObject();
        json.writeArrayFieldStart("f");
        int i = 0;
        for (Object fieldValue : map.values()) {
            json.writeStartObject();
            json.writeFieldName("v");
            writeValue(json, fieldValue, child(field, i++), true, int64Timestamps);
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** A MAP entry as its record's cells, in the schema's order: key, then value. */
    private static Map<String, Object> keyThenValue(Map.Entry<?, ?> entry) {
        Map<String, Object> record = new java.util.LinkedHashMap<>();
        record.put("key", entry.getKey());
        record.put("value", entry.getValue());
        return record;
    }

    private static BigQueryTypes.Field child(BigQueryTypes.Field field, int index) {
        return index < field.fields().size() ? field.fields().get(index) : new BigQueryTypes.Field("f" + index, "STRING", false, List.of());
    }

    private static Object[] elements(Object value) throws SQLException {
        return switch (value) {
            case Array array -> (Object[]) array.getArray();
            case Map<?, ?> map -> map.entrySet().toArray();
            case List<?> list -> list.toArray();
            case Object[] objects -> objects;
            default -> new Object[] {value};
        };
    }

    /**
     * A TIMESTAMP as BigQuery answers it: seconds since the epoch, or with formatOptions.useInt64Timestamp whole
     * microseconds ("1704067200500000"; a nanosecond part, DuckDB's TIMESTAMP_NS, is cut to the microsecond below it).
     */
    static String epoch(long seconds, int nanos, boolean int64Microseconds) {
        if (int64Microseconds) {
            return Long.toString(Math.addExact(Math.multiplyExact(seconds, 1_000_000L), nanos / 1000));
        }
        return epochSeconds(seconds, nanos);
    }

    /** Seconds since the epoch as an exact decimal ("1704067200.5"), which BigQuery's float-seconds encoding allows. */
    static String epochSeconds(long seconds, int nanos) {
        if (nanos == 0) {
            return Long.toString(seconds);
        }
        return BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, 9)).stripTrailingZeros().toPlainString();
    }
}
