package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.StoredText;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.metadata.Parameters;
import dev.lathe.server.Json;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Batch prediction jobs in the metadata store (table {@code batch_jobs}, migration V003); thread-safe. */
public final class JobStore {
    /** Vertex keeps at most 20 partial failures on the job; the rest are in the errors output. */
    public static final int MAX_PARTIAL_FAILURES = 20;

    private static final String COLUMNS = "id, display_name, model, model_version, spec, state, rows_processed, rows_total, "
            + "successful_count, failed_count, incomplete_count, partial_failures, error, error_code, output_location, created_at, started_at,"
            + " ended_at";
    /** google.rpc.Code INVALID_ARGUMENT: the code of a failed job recorded before codes were (every job error was it then). */
    private static final int INVALID_ARGUMENT = 3;
    /** google.rpc.Code ABORTED: a job interrupted by its process ending; submitting it again is the remedy. */
    private static final int ABORTED = 10;
    /** google.rpc.Code INTERNAL: a job failing for a fault of Lathe's, or whose end the store did not take. */
    static final int INTERNAL = 13;

    private final MetadataStore metadata;

    public JobStore(MetadataStore metadata) {
        this.metadata = requireNonNull(metadata, "metadata is null");
    }

    /** Records a new job: QUEUED, or FAILED with {@code failure} when it cannot run at all (e.g. an unknown model). */
    public BatchPredictionJob create(JobSpec spec, Optional<LatheException> failure) {
        requireNonNull(spec, "spec is null");
        String now = Instant.now().toString();
        long id = metadata.inTransaction(connection -> {
            long next;
            try (PreparedStatement max = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) + 1 FROM batch_jobs");
                    ResultSet rows = max.executeQuery()) {
                rows.next();
                next = rows.getLong(1);
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO batch_jobs (" + COLUMNS
                    + ", updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0, 0, 0, 0, '[]', ?, ?, NULL, ?, ?, ?, ?)")) {
                insert.setLong(1, next);
                insert.setString(2, spec.displayName());
                insert.setString(3, spec.model());
                if (spec.modelVersion().isPresent()) {
                    insert.setInt(4, spec.modelVersion().get());
                } else {
                    insert.setNull(4, Types.INTEGER);
                }
                insert.setString(5, specJson(spec));
                insert.setString(6, (failure.isPresent() ? JobState.FAILED : JobState.QUEUED).name());
                insert.setString(7, failure.map(LatheException::getMessage).map(StoredText::escapeNul).orElse(null));
                if (failure.isPresent()) {
                    insert.setInt(8, errorCode(failure.get()));
                } else {
                    insert.setNull(8, Types.INTEGER);
                }
                insert.setString(9, now);
                insert.setString(10, failure.isPresent() ? now : null);
                insert.setString(11, failure.isPresent() ? now : null);
                insert.setString(12, now);
                insert.executeUpdate();
            }
            return next;
        });
        return get(id).orElseThrow();
    }

    public Optional<BatchPredictionJob> get(long id) {
        return metadata.inTransaction(connection -> {
            List<BatchPredictionJob> jobs = query(connection, "SELECT " + COLUMNS + " FROM batch_jobs WHERE id = ? AND state <> '"
                    + DELETED + "'", id);
            return jobs.isEmpty() ? Optional.empty() : Optional.of(jobs.get(0));
        });
    }

    /** The state of a deleted job's row, which stays so that its id is never given to another job. */
    static final String DELETED = "DELETED";

    /** The job, or a NOT_FOUND error naming it. */
    public BatchPredictionJob require(long id) {
        return get(id).orElseThrow(() -> new LatheException(ErrorCode.JOB_NOT_FOUND, "Batch prediction job " + id
                + " does not exist; list the jobs with GET .../batchPredictionJobs or `lathe jobs list`"));
    }

    /**
     * Newest first, from the job before {@code beforeId} on (the last id of the previous page): a page token that stays
     * right while jobs are submitted, where an offset repeated a job on the next page after each new one.
     */
    public List<BatchPredictionJob> list(int pageSize, Optional<Long> beforeId) {
        return list(pageSize, beforeId, Optional.empty(), Optional.empty());
    }

    /** As {@link #list(int, Optional)}, of the jobs in {@code state} and named {@code displayName}, where given. */
    public List<BatchPredictionJob> list(int pageSize, Optional<Long> beforeId, Optional<JobState> state, Optional<String> displayName) {
        List<Object> values = new ArrayList<>(List.of(beforeId.orElse(Long.MAX_VALUE)));
        StringBuilder where = new StringBuilder("state <> '" + DELETED + "' AND id < ?");
        state.ifPresent(s -> {
            where.append(" AND state = ?");
            values.add(s.name());
        });
        displayName.ifPresent(name -> {
            where.append(" AND display_name = ?");
            values.add(name);
        });
        values.add(pageSize);
        return metadata.inTransaction(connection -> query(connection, "SELECT " + COLUMNS + " FROM batch_jobs WHERE " + where
                + " ORDER BY id DESC LIMIT ?", values.toArray()));
    }

    public List<BatchPredictionJob> inState(JobState state) {
        return metadata.inTransaction(connection -> query(connection, "SELECT " + COLUMNS
                + " FROM batch_jobs WHERE state = ? ORDER BY id", state.name()));
    }

    /** QUEUED to RUNNING; false when the job is no longer queued (cancelled meanwhile). */
    boolean start(long id) {
        return start(id, now());
    }

    /**
     * QUEUED to RUNNING, started at {@code startedAt}; false when the job is no longer queued (cancelled meanwhile), unless
     * it was this start that took it from there: one tried again with the same {@code startedAt} after a failure that may
     * have come after its commit (a reply lost with the connection). Such a second try used to find the job RUNNING and
     * give up, so the job stayed RUNNING without running until the process restarted.
     */
    boolean start(long id, String startedAt) {
        return metadata.inTransaction(connection -> Parameters.execute(connection, "UPDATE batch_jobs SET state = 'RUNNING',"
                + " started_at = ?, updated_at = ? WHERE id = ? AND state = 'QUEUED'", startedAt, now(), id) == 1
                || startedAt(connection, id).equals(Optional.of(startedAt)));
    }

    /** When a job that has started (RUNNING, or CANCELLING since) started; empty for one in another state. */
    private static Optional<String> startedAt(Connection connection, long id) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT started_at FROM batch_jobs WHERE id = ? AND state IN"
                + " ('RUNNING', 'CANCELLING')")) {
            statement.setLong(1, id);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.empty();
            }
        }
    }

    /**
     * The job's state alone, read without the write lock (empty for a job gone or deleted): what a job polls for a cancel
     * request while it reads its input.
     */
    Optional<JobState> state(long id) {
        return metadata.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement("SELECT state FROM batch_jobs WHERE id = ?")) {
                statement.setLong(1, id);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() && !DELETED.equals(rows.getString(1)) ? Optional.of(JobState.valueOf(rows.getString(1)))
                            : Optional.<JobState>empty();
                }
            }
        });
    }

    /** Records progress; answers the state now stored, so the runner sees a cancel request. */
    JobState progress(long id, long processed, long total) {
        update("UPDATE batch_jobs SET rows_processed = ?, rows_total = ?, updated_at = ? WHERE id = ?", processed, total, now(), id);
        return require(id).state();
    }

    /**
     * Ends a job in {@code state} with its counts, bad rows, error (with its google.rpc.Code number, {@link #errorCode}) and
     * output location.
     */
    void finish(long id, JobState state, long processed, long total, long successful, long failed, List<RowFailure> failures,
            Optional<String> error, int errorCode, Optional<String> outputLocation) {
        List<RowFailure> kept = failures.subList(0, Math.min(failures.size(), MAX_PARTIAL_FAILURES));
        update("UPDATE batch_jobs SET state = ?, rows_processed = ?, rows_total = ?, successful_count = ?, failed_count = ?, "
                // CAST: a NULL is bound as text, which PostgreSQL does not put in an INTEGER column
                + "incomplete_count = ?, partial_failures = ?, error = ?, error_code = CAST(? AS INTEGER), output_location = ?, ended_at = ?,"
                + " updated_at = ? WHERE id = ?", state.name(), processed, total, successful, failed, Math.max(0, total - successful - failed),
                failuresJson(kept), error.map(StoredText::escapeNul).orElse(null), error.isPresent() ? errorCode : null, outputLocation.orElse(null), now(), now(), id);
    }

    /**
     * The google.rpc.Code number of a job failing with {@code failure}, as Vertex AI's {@code error.code} has it: a missing
     * model or input is NOT_FOUND (5), an output that exists ALREADY_EXISTS (6), a change that lost to another's ABORTED
     * (10), an invalid input INVALID_ARGUMENT (3); as the REST API answers the same error (it was 3 for every one).
     */
    static int errorCode(LatheException failure) {
        return dev.lathe.server.ApiException.of(failure).rpcCode();
    }

    /**
     * Records, before the output is committed, the outcome the job will have once it is: counts, bad rows and where the
     * output goes, the job still RUNNING. A process killed between the commit and {@link #finish} leaves this for the
     * next start to complete from ({@link JobRunner#recover}): a job whose output was committed was reported FAILED "no
     * output was written", and its output blocked the resubmission the message asked for (probe pu).
     */
    void committing(long id, long total, long successful, long failed, List<RowFailure> failures, String outputLocation) {
        List<RowFailure> kept = failures.subList(0, Math.min(failures.size(), MAX_PARTIAL_FAILURES));
        update("UPDATE batch_jobs SET rows_processed = ?, rows_total = ?, successful_count = ?, failed_count = ?, incomplete_count = ?, "
                + "partial_failures = ?, output_location = ?, updated_at = ? WHERE id = ? AND state IN ('RUNNING', 'CANCELLING')",
                total, total, successful, failed, Math.max(0, total - successful - failed), failuresJson(kept), outputLocation, now(), id);
    }

    /** Ends a RUNNING job a previous process committed the output of ({@link #committing}) as SUCCEEDED. */
    void completeCommitted(long id) {
        update("UPDATE batch_jobs SET state = 'SUCCEEDED', error = NULL, ended_at = ?, updated_at = ? WHERE id = ? AND state IN ('RUNNING',"
                + " 'CANCELLING')", now(), now(), id);
    }

    /**
     * Asks a job to stop: a queued one is cancelled at once, a running one becomes CANCELLING (its runner stops
     * at the next batch); a finished one is left as it is.
     */
    public BatchPredictionJob cancel(long id) {
        require(id);
        update("UPDATE batch_jobs SET state = 'CANCELLED', ended_at = ?, updated_at = ? WHERE id = ? AND state = 'QUEUED'", now(), now(), id);
        update("UPDATE batch_jobs SET state = 'CANCELLING', updated_at = ? WHERE id = ? AND state = 'RUNNING'", now(), id);
        return require(id);
    }

    /** Deletes a job that is not running (its outputs stay); refuses a running one. */
    public void delete(long id) {
        BatchPredictionJob job = require(id);
        if (job.state() == JobState.RUNNING || job.state() == JobState.CANCELLING) {
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, "Batch prediction job " + id + " is " + job.state().vertexName()
                    + "; cancel it and wait until it is JOB_STATE_CANCELLED before deleting it");
        }
        // Kept as a deleted row rather than removed: ids come from MAX(id) + 1, so removing the newest job gave its id to the
        // next, and a client holding the old name read another job (probe F).
        update("UPDATE batch_jobs SET state = '" + DELETED + "', updated_at = ? WHERE id = ? AND state NOT IN ('RUNNING', 'CANCELLING')",
                now(), id);
    }

    /**
     * After a restart no job runs: RUNNING ones failed ("interrupted by restart"; their outputs were never
     * committed), CANCELLING ones are cancelled. Returns the jobs still queued, oldest first.
     */
    List<BatchPredictionJob> recover() {
        // the counts a job recorded before its commit are dropped with it (probe pu2: "no output" beside 1,000,000 successful)
        update("UPDATE batch_jobs SET state = 'FAILED', error = ?, error_code = ?, output_location = NULL, successful_count = 0,"
                + " failed_count = 0, incomplete_count = rows_total, partial_failures = '[]', ended_at = ?, updated_at = ? WHERE state ="
                + " 'RUNNING'", "Interrupted: the Lathe process running this job ended before recording how it ended (a restart, a kill, or a"
                        + " metadata store that refused the write); no output was written. Submit the job again.", ABORTED, now(), now());
        update("UPDATE batch_jobs SET state = 'CANCELLED', ended_at = ?, updated_at = ? WHERE state = 'CANCELLING'", now(), now());
        return inState(JobState.QUEUED);
    }

    private int update(String sql, Object... values) {
        return metadata.inTransaction(connection -> Parameters.execute(connection, sql, values));
    }

    private static List<BatchPredictionJob> query(Connection connection, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            Parameters.bind(statement, values);
            List<BatchPredictionJob> jobs = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    jobs.add(read(rows));
                }
            }
            return jobs;
        }
    }

    private static BatchPredictionJob read(ResultSet rows) throws SQLException {
        int version = rows.getInt("model_version");
        Optional<Integer> modelVersion = rows.wasNull() ? Optional.empty() : Optional.of(version);
        JsonNode spec = parse(rows.getString("spec"));
        JobSpec jobSpec = new JobSpec(rows.getString("display_name"), rows.getString("model"), modelVersion,
                JobJson.parseInput((ObjectNode) spec.get("inputConfig")), JobJson.parseOutput((ObjectNode) spec.get("outputConfig")),
                spec.get("threshold").doubleValue());
        List<RowFailure> failures = new ArrayList<>();
        for (JsonNode f : parse(rows.getString("partial_failures"))) {
            failures.add(new RowFailure(f.get("rowNumber").longValue(), text(f, "source"), text(f, "column"), f.get("message").textValue()));
        }
        return new BatchPredictionJob(rows.getLong("id"), jobSpec, JobState.valueOf(rows.getString("state")), rows.getLong("rows_processed"),
                rows.getLong("rows_total"), rows.getLong("successful_count"), rows.getLong("failed_count"), rows.getLong("incomplete_count"),
                failures, Optional.ofNullable(rows.getString("error")), errorCode(rows), Instant.parse(rows.getString("created_at")),
                Optional.ofNullable(rows.getString("started_at")).map(Instant::parse),
                Optional.ofNullable(rows.getString("ended_at")).map(Instant::parse), Optional.ofNullable(rows.getString("output_location")));
    }

    /** The row's error code: 0 without an error, INVALID_ARGUMENT for an error recorded before codes were. */
    private static int errorCode(ResultSet rows) throws SQLException {
        int code = rows.getInt("error_code");
        return !rows.wasNull() ? code : rows.getString("error") == null ? 0 : INVALID_ARGUMENT;
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.textValue());
    }

    private static JsonNode parse(String text) {
        try {
            return Json.MAPPER.readTree(text);
        } catch (IOException e) {
            throw LatheException.internal("A stored batch job holds invalid JSON: " + e.getMessage(), e);
        }
    }

    private static String specJson(JobSpec spec) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.set("inputConfig", JobJson.inputConfig(spec.input()));
        json.set("outputConfig", JobJson.outputConfig(spec.output()));
        json.put("threshold", spec.threshold());
        return json.toString();
    }

    private static String failuresJson(List<RowFailure> failures) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        for (RowFailure failure : failures) {
            ObjectNode f = array.addObject().put("rowNumber", failure.rowNumber()).put("message", failure.message());
            failure.source().ifPresent(s -> f.put("source", s));
            failure.column().ifPresent(c -> f.put("column", c));
        }
        return array.toString();
    }

    private static String now() {
        return Instant.now().toString();
    }
}
