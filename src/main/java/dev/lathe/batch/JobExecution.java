package dev.lathe.batch;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.BatchScoring;
import dev.lathe.engine.Platform;
import dev.lathe.registry.ModelReference;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs one job on its own warehouse connection: reads the input into a temporary table with each row's source
 * and 1-based row number, predicts through {@link BatchScoring}, then commits the output in one step (one
 * DuckDB transaction for tables, one directory rename for files). Until that step everything is temporary, so
 * a failed or cancelled job leaves no output.
 */
final class JobExecution {
    private static final String RAW = "__lathe_job_raw";
    private static final String INPUT = "__lathe_job_input";
    private static final String REJECTS = "__lathe_job_rejects";
    private static final String REJECT_SCANS = "__lathe_job_reject_scans";
    /** The input lines no row came from, and why: {@code source, row_number, column_name, error_message}. */
    private static final String REJECTED = "__lathe_job_rejected";
    /** The input lines no row came from, rejected or blank: {@code source, row_number}; they shift the later rows' numbers. */
    private static final String SKIPPED = "__lathe_job_skipped";
    /** A CSV file's records left out of the copy read ({@link CsvLines#clean}): {@code source, shift}. */
    private static final String REMOVED = "__lathe_job_removed";
    private static final String PREDICTIONS = "__lathe_job_predictions";
    private static final String SCORING_ERRORS = "__lathe_job_scoring_errors";
    private static final String ERRORS = "__lathe_job_errors";

    /**
     * The names of the columns a job adds to its input's, all starting with one prefix that no input column starts with
     * (whatever its case): {@code __lathe_}, or {@code __lathe1_}, {@code __lathe2_} ... where the input has such a column.
     * With fixed names, an input column named {@code __lathe_source} or {@code __lathe_row} was dropped or renamed in the
     * output, and bad rows were said to come from the user's value as their file (probe ub F3).
     */
    record Internal(String prefix) {
        static final Internal DEFAULT = new Internal("__lathe_");

        /** The internal names for an input whose columns are {@code columns}. */
        static Internal freeOf(java.util.Collection<String> columns) {
            String prefix = DEFAULT.prefix();
            for (int n = 1; taken(prefix, columns); n++) {
                prefix = "__lathe" + n + "_";
            }
            return new Internal(prefix);
        }

        private static boolean taken(String prefix, java.util.Collection<String> columns) {
            return columns.stream().anyMatch(c -> c.toLowerCase(java.util.Locale.ROOT).startsWith(prefix));
        }

        /** Each row's input file (NULL for a table or query). */
        String source() {
            return prefix + "source";
        }

        /** Each row's 1-based number within its file, table or query. */
        String row() {
            return prefix + "row";
        }

        /** An input column named rowid while the rows are numbered ({@link #freeRowid}). */
        String userRowid() {
            return prefix + "user_rowid";
        }

        String name(String suffix) {
            return prefix + suffix;
        }
    }

    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(JobExecution.class.getName());
    /** How long a job waits for an unavailable metadata store to record its start or how it ended. */
    static final java.time.Duration FINISH_PATIENCE = java.time.Duration.ofMinutes(10);

    /** Thrown from the progress callback when the job was asked to stop. */
    private static final class Cancelled extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Cancelled() {
            super("cancelled", null, false, false);
        }
    }

    private final Platform platform;
    private final JobStore store;
    private final long id;
    /** For input files: each column (lower case) some of them lack, with those files; read by {@link #readFiles}. */
    private java.util.Map<String, List<String>> filesLacking = java.util.Map.of();
    /** Whether the last progress write failed for an unavailable metadata store (logged once, until one succeeds). */
    private boolean progressLost;
    /** The names of the columns the job adds to its input's, chosen once the input's columns are known. */
    private Internal internal = Internal.DEFAULT;
    /** Which process runs the job, for what a job that ran out of memory says to do. */
    private final dev.lathe.core.OutOfMemory.Process process;

    JobExecution(Platform platform, JobStore store, long id, dev.lathe.core.OutOfMemory.Process process) {
        this.platform = platform;
        this.store = store;
        this.id = id;
        this.process = process;
    }

    void run() {
        // Read before the start, so that nothing between the start and the try below can leave the job RUNNING. A job
        // deleted (or cancelled) while it was queued is gone, or no longer QUEUED: nothing to run.
        Optional<BatchPredictionJob> queued = patiently("start", () -> store.get(id));
        String startedAt = java.time.Instant.now().toString(); // the same for each try: a try after one that landed knows it
        if (queued.isEmpty() || !patiently("start", () -> store.start(id, startedAt))) {
            return;
        }
        BatchPredictionJob job = queued.get();
        JobSpec spec = job.spec();
        long[] total = {0};
        long[] processed = {0};
        Optional<Path> staging = Optional.empty();
        try (Connection connection = platform.warehouse().connect()) {
            checkOutputFree(connection, spec.output(), platform.modelStore());
            long rejected;
            try (CancelWatch watch = new CancelWatch(connection)) {
                try {
                    rejected = readInput(watch.connection(), spec.input());
                } catch (SQLException | RuntimeException e) {
                    if (watch.cancelled()) {
                        throw new Cancelled(); // the statement it interrupted failed; the job was cancelled
                    }
                    throw e;
                }
            }
            total[0] = count(connection, INPUT) + rejected;
            processed[0] = rejected;
            checkCancel(progress(processed[0], total[0]));
            ModelReference model = ModelReference.parse(spec.model());
            int version = spec.modelVersion().orElseThrow(() -> new LatheException(ErrorCode.MODEL_NOT_FOUND,
                    "Model " + spec.model() + " did not resolve to a version"));
            BatchScoring.Outcome outcome;
            try {
                outcome = BatchScoring.predict(platform, connection, model.dataset(), model.name(), version, INPUT,
                        List.of(internal.source(), internal.row()), PREDICTIONS, SCORING_ERRORS, spec.threshold(), filesLacking, rows -> {
                            processed[0] = rejected + rows;
                            checkCancel(progress(processed[0], total[0]));
                        });
            } catch (LatheException e) {
                throw transformFailure(connection, spec.model(), model, version, e);
            }
            long failed = outcome.failed() + rejected;
            collectErrors(connection, internal, rejected > 0);
            checkCancel(progress(total[0], total[0]));
            List<RowFailure> failures = firstFailures(connection);
            String location = outputLocation(spec.output());
            long successful = outcome.predicted();
            patiently("record its outcome before committing its output", () -> {
                store.committing(id, total[0], successful, failed, failures, location);
                return null;
            });
            if (spec.output() instanceof JobOutput.Files files) {
                staging = Optional.of(stagingDirectory(files, id));
                commitFiles(connection, files, staging.get(), failed > 0);
            } else {
                commitTable(connection, (JobOutput.Table) spec.output(), failed > 0);
            }
            committed = true;
            finish(JobState.SUCCEEDED, total[0], total[0], outcome.predicted(), failed, failures, Optional.empty(), 0,
                    Optional.of(location));
        } catch (Cancelled e) {
            staging.ifPresent(JobExecution::deleteQuietly);
            finish(JobState.CANCELLED, processed[0], total[0], 0, 0, List.of(), Optional.empty(), 0, Optional.empty());
        } catch (LatheException e) {
            if (committed) {
                throw e; // the output is there: not a failed job, one whose end the store did not take (the next start records it)
            }
            Failure failure = dev.lathe.core.OutOfMemory.in(e).isPresent() ? failure(e, process)
                    : new Failure(JobStore.errorCode(e), e.getMessage());
            failed(failure.code(), failure.message(), processed[0], total[0], staging);
        } catch (SQLException | RuntimeException | OutOfMemoryError e) {
            if (committed) {
                if (e instanceof OutOfMemoryError error) {
                    throw error;
                }
                throw e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
            }
            Failure failure = failure(e, process);
            failed(failure.code(), failure.message(), processed[0], total[0], staging);
        } finally {
            staging.ifPresent(JobExecution::deleteQuietly);
        }
    }

    /** Why a job failed for something other than its input or model: a google.rpc code and the message its record keeps. */
    record Failure(int code, String message) {}

    /**
     * A job's failure for {@code cause}, a fault of Lathe's or of the process it ran in ({@code process}): out of memory
     * (itself or wrapped by a worker or a library) is RESOURCE_EXHAUSTED (8) naming the heap and how to start the process
     * with more, as a statement's is; it was an unrecorded INTERNAL failure, the job left RUNNING (probe ta); anything
     * else is INTERNAL (13).
     */
    static Failure failure(Throwable cause, dev.lathe.core.OutOfMemory.Process process) {
        Optional<OutOfMemoryError> outOfMemory = dev.lathe.core.OutOfMemory.in(cause);
        if (outOfMemory.isPresent()) {
            LatheException exhausted = dev.lathe.core.OutOfMemory.exhausted(outOfMemory.get(), process);
            return new Failure(JobStore.errorCode(exhausted), exhausted.getMessage());
        }
        return new Failure(JobStore.INTERNAL, "Internal failure: " + cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }

    /** Whether the job's output was committed (the job succeeded, whether or not its end could be recorded). */
    boolean committed() {
        return committed;
    }

    private volatile boolean committed;

    /**
     * Records progress and answers the state stored (a cancel request shows there). Progress is what the job needs the
     * metadata store least for: while the store is unavailable (a PostgreSQL restart, a dropped connection) the job goes
     * on without recording it, and without seeing a cancel request, rather than failing all it did.
     */
    private JobState progress(long processed, long total) {
        try {
            JobState state = store.progress(id, processed, total);
            if (progressLost) {
                progressLost = false;
                LOG.info("Batch prediction job " + id + " records its progress again");
            }
            return state;
        } catch (LatheException e) {
            if (e.code() != ErrorCode.METADATA_UNAVAILABLE) {
                throw e;
            }
            if (!progressLost) {
                progressLost = true;
                LOG.warning("Batch prediction job " + id + " goes on without recording its progress: " + e.getMessage());
            }
            return JobState.RUNNING;
        }
    }

    /**
     * Records that the job failed with {@code reason} (google.rpc.Code {@code code}), its staging files gone first (on a full disk they took the space the
     * store needed: probe pu2); where the store refuses that too, the failure carries both reasons, for whoever awaits it.
     */
    private void failed(int code, String reason, long processed, long total, Optional<Path> staging) {
        staging.ifPresent(JobExecution::deleteQuietly);
        try {
            finish(JobState.FAILED, processed, total, 0, 0, List.of(), Optional.of(reason), code, Optional.empty());
        } catch (RuntimeException e) {
            throw new LatheException(e instanceof LatheException lathe ? lathe.code() : ErrorCode.INTERNAL, reason
                    + "; recording this failure in the metadata store failed too: " + e.getMessage(), e);
        }
    }

    /**
     * Records how the job ended. The output is committed by then: a job left RUNNING would be marked failed at the next
     * start although its output exists, so an unavailable store is waited for ({@link #patiently}).
     */
    private void finish(JobState state, long processed, long total, long successful, long failed, List<RowFailure> failures,
            Optional<String> error, int errorCode, Optional<String> outputLocation) {
        patiently("record that it ended " + state, () -> {
            store.finish(id, state, processed, total, successful, failed, failures, error, errorCode, outputLocation);
            return null;
        });
    }

    /**
     * {@code call} on the metadata store, tried again while the store is unavailable (1 s apart, then up to 30 s apart) for
     * up to {@link #FINISH_PATIENCE}: for the job's start and end, which must reach the store. An interrupt (the process
     * stopping) ends the wait.
     */
    private <T> T patiently(String what, java.util.function.Supplier<T> call) {
        long deadline = System.nanoTime() + FINISH_PATIENCE.toNanos();
        long pause = 1_000;
        while (true) {
            try {
                return call.get();
            } catch (LatheException e) {
                if (e.code() != ErrorCode.METADATA_UNAVAILABLE || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warning("Batch prediction job " + id + " cannot " + what + " yet; trying again in " + pause / 1000 + " s: "
                        + e.getMessage());
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
                pause = Math.min(pause * 2, 30_000);
            }
        }
    }

    /** How often a job reading its input looks for a cancel request. */
    static final long CANCEL_POLL_MILLIS = 250;

    /**
     * While a job reads its input, looks for a cancel request every {@link #CANCEL_POLL_MILLIS} and interrupts the DuckDB
     * statements reading it ({@link Statement#cancel()}), so that the job is CANCELLED within about a second: the read (a
     * slow input query, large files) used to run to its end first, the job CANCELLING meanwhile (probe sd: 128 s, and a
     * mistyped cross join could only be stopped with the server). The statements are those made through
     * {@link #connection()}, which wraps the job's connection; once cancelled, it makes no more.
     */
    private final class CancelWatch implements AutoCloseable {
        private final java.util.Set<Statement> statements = java.util.Collections.synchronizedSet(
                java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>()));
        private final Connection connection;
        private final Thread watcher;
        private volatile boolean open = true;
        private volatile boolean cancelled;

        CancelWatch(Connection real) {
            connection = (Connection) java.lang.reflect.Proxy.newProxyInstance(JobExecution.class.getClassLoader(),
                    new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                        boolean makes = Statement.class.isAssignableFrom(method.getReturnType());
                        if (makes && cancelled) {
                            throw new Cancelled();
                        }
                        Object result;
                        try {
                            result = method.invoke(real, args);
                        } catch (java.lang.reflect.InvocationTargetException e) {
                            throw e.getCause();
                        }
                        if (makes && result instanceof Statement statement) {
                            statements.add(statement);
                        }
                        return result;
                    });
            watcher = Thread.ofPlatform().daemon().name("lathe-job-" + id + "-cancel-watch").start(this::watch);
        }

        Connection connection() {
            return connection;
        }

        boolean cancelled() {
            return cancelled;
        }

        private void watch() {
            while (open) {
                try {
                    Thread.sleep(CANCEL_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return; // closed
                }
                if (!cancelled) {
                    try {
                        JobState state = store.state(id).orElse(JobState.RUNNING);
                        cancelled = state == JobState.CANCELLING || state == JobState.CANCELLED;
                    } catch (RuntimeException e) {
                        continue; // the store unavailable a moment: looked at again at the next poll
                    }
                }
                if (cancelled) { // every poll from then on: a statement made just before may have started since
                    List<Statement> running;
                    synchronized (statements) {
                        running = new ArrayList<>(statements);
                    }
                    for (Statement statement : running) {
                        try {
                            statement.cancel(); // nothing where it is not executing
                        } catch (SQLException e) {
                            // closed meanwhile
                        }
                    }
                }
            }
        }

        @Override
        public void close() {
            open = false;
            watcher.interrupt();
        }
    }

    private static void checkCancel(JobState state) {
        if (state == JobState.CANCELLING || state == JobState.CANCELLED) {
            throw new Cancelled();
        }
    }

    /**
     * {@code failure} of a model with a TRANSFORM clause (which converts the raw columns itself, so gets no per-row check) in
     * Lathe's words where a raw column it was trained on as a number is text in the input: the column and the first row
     * whose value is no number, rather than DuckDB's binder error with the TRANSFORM's generated SQL (probe sd F6).
     */
    private LatheException transformFailure(Connection connection, String display, ModelReference model, int version, LatheException failure) {
        Optional<BatchScoring.TextForNumber> text;
        try {
            text = BatchScoring.transformTextForNumber(platform, connection, model.dataset(), model.name(), version, INPUT,
                    List.of(internal.source(), internal.row()));
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
            return failure;
        }
        return text.<LatheException>map(t -> new LatheException(ErrorCode.INVALID_DATA, "Column " + t.column() + " of the input is text,"
                + " but model " + display + " was trained on it as " + t.trainedType() + ", and its TRANSFORM clause reads it so: " + t.value()
                .map(v -> "row " + t.keys().get(1) + (t.keys().get(0) == null ? "" : " of " + t.keys().get(0)) + " holds '" + v + "', which"
                        + " is not a number")
                .orElse("every value is a number, but the input gives them as text") + ". A model with a TRANSFORM clause gets no per-row"
                + " conversion check (its SQL converts the raw columns), so such a value fails the job; correct or remove it", failure))
                .orElse(failure);
    }

    // ---- input ----------------------------------------------------------------------------------

    /** Fills {@link #INPUT}; answers the number of rows the file reader rejected (recorded in {@link #REJECTS}). */
    private long readInput(Connection connection, JobInput input) throws SQLException {
        switch (input) {
            case JobInput.Table table -> {
                if (!Warehouse.relationExists(connection, table.dataset(), table.table())) {
                    throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Input table " + table.display()
                            + " does not exist; give an existing dataset.table in bigquerySource.inputUri (--input-table)");
                }
                readOnly(connection, "SELECT * FROM " + Sql.qualified(table.dataset(), table.table()), "input table " + table.display());
                number(connection);
                return 0;
            }
            case JobInput.Query query -> {
                dev.lathe.sql.Statement.Query parsed = query.readOnlyQuery();
                // A failure in the query names the user's line and column, not Lathe's CREATE TEMP TABLE around it.
                Runnable forget = Sql.QUERY_TEXTS.register(parsed.sql(), offset -> Optional.of(parsed.sourceMap().position(offset).toString()));
                try {
                    readOnly(connection, parsed.sql(), "input query");
                    number(connection);
                } finally {
                    forget.run();
                }
                return 0;
            }
            case JobInput.Files files -> {
                return readFiles(connection, files);
            }
        }
    }

    /**
     * Runs {@code select} (the input query, or a read of the input table) into {@link #RAW} in a READ ONLY transaction, in
     * which DuckDB refuses every write to the warehouse however the select reaches it, while the job's own temp tables can be
     * written. An input query's tokens were checked at submit, but a view or a macro it reads (or an input table that is a
     * view) hides its body from them: one whose body called nextval advanced the sequence (probe wops 1). Rolling back
     * afterwards would not do: DuckDB's sequences are not transactional.
     */
    private static void readOnly(Connection connection, String select, String input) {
        try {
            transaction(connection, "BEGIN TRANSACTION READ ONLY",
                    () -> Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + RAW + " AS " + select));
        } catch (RuntimeException e) {
            if (e.getMessage() != null && e.getMessage().contains("transaction is launched in read-only mode")) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The " + input + " changes the warehouse through a view or"
                        + " macro it reads (" + e.getMessage() + "); a job only reads its input, so a view or macro that calls"
                        + " nextval or writes cannot be part of it: read the tables under it, or run the change with lathe sql"
                        + " first", e);
            }
            throw e;
        }
    }

    /** {@link #INPUT} from {@link #RAW}: its rows in order, each with its source and 1-based row number. */
    private void number(Connection connection) {
        List<String> names = Warehouse.describe(connection, "SELECT * FROM " + RAW).names();
        internal = Internal.freeOf(names);
        String rename = restore(internal, freeRowid(connection, internal, RAW, names));
        Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + INPUT + " AS SELECT CAST(NULL AS VARCHAR) AS " + internal.source()
                + ", rowid + 1 AS " + internal.row() + ", *" + rename + " FROM " + RAW + " ORDER BY " + internal.row()); // not rowid: the restored column's name would bind
        Sql.execute(connection, "DROP TABLE " + RAW);
    }

    /**
     * An input column named rowid hides DuckDB's row id, which numbers and orders the rows: renamed in {@code table} while
     * that is read, and back in the rows kept ({@link #restore}). Answers the column's own name, if it had one.
     */
    private static Optional<String> freeRowid(Connection connection, Internal internal, String table, List<String> columns) {
        for (String column : columns) {
            if (column.equalsIgnoreCase("rowid")) {
                Sql.execute(connection, "ALTER TABLE " + table + " RENAME COLUMN " + Sql.quote(column) + " TO " + internal.userRowid());
                return Optional.of(column);
            }
        }
        return Optional.empty();
    }

    /** The star's {@code RENAME} clause that gives a rowid column {@link #freeRowid} renamed its name back, or "". */
    private static String restore(Internal internal, Optional<String> rowid) {
        return rowid.map(name -> " RENAME (" + internal.userRowid() + " AS " + Sql.quote(name) + ")").orElse("");
    }

    private long readFiles(Connection connection, JobInput.Files files) throws SQLException {
        List<String> literals = new ArrayList<>();
        for (String uri : files.uris()) {
            if (!uri.contains("*") && !uri.contains("?") && !Files.isRegularFile(Path.of(uri))) {
                throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Input file " + uri + " does not exist or is not a file; "
                        + "give readable " + files.format().id() + " files in gcsSource.uris (--input-files)");
            }
            literals.add(Sql.literal(uri));
        }
        // Each file is read on its own, its types from every row (sample_size -1), not the first 20k: a later 181.5 in a
        // column of whole numbers was read as 182 in a BIGINT column, and a later "abc" failed the whole JSON read. The files
        // are then stacked by column name (UNION ALL BY NAME, types widened), whatever their order; a column some lack is
        // refused later if the model reads it (an extra one is ignored). DuckDB's union_by_name cannot keep CSV rejects.
        List<String> paths = expand(connection, literals);
        List<String> selects = new ArrayList<>();
        List<String> rejectSelects = new ArrayList<>();
        java.util.Map<String, java.util.Set<String>> columnsOf = new java.util.LinkedHashMap<>();
        List<List<String>> namesOf = new ArrayList<>();
        java.util.Map<String, JsonLines.Scan> jsonLines = new java.util.LinkedHashMap<>();
        java.util.Map<String, CsvLines.Scan> csvLines = new java.util.LinkedHashMap<>();
        for (int i = 0; i < paths.size(); i++) {
            String path = Sql.literal(paths.get(i));
            String table = paths.size() == 1 ? RAW : RAW + "_" + i;
            try {
                switch (files.format()) {
                    case CSV -> csvLines.put(paths.get(i), readCsv(connection, paths.get(i), table, i));
                    case JSONL -> jsonLines.put(paths.get(i), readJsonLines(connection, paths.get(i), table));
                    case PARQUET -> Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + table + " AS SELECT * FROM read_parquet(" + path + ")");
                }
            } catch (LatheException e) {
                throw Files.exists(Path.of(paths.get(i))) ? e : vanished(paths.get(i), files.uris(), e);
            }
            List<String> names = Warehouse.describe(connection, "SELECT * FROM " + table).names(); // read once, before any rename
            namesOf.add(names);
            java.util.Set<String> columns = new java.util.HashSet<>();
            names.forEach(n -> columns.add(n.toLowerCase(java.util.Locale.ROOT)));
            columnsOf.put(paths.get(i), columns);
            if (files.format() == FileFormat.CSV) {
                // DuckDB's line is the record's number, the header's (and blank records) counted, in the copy without the
                // records of bad quoting where there is one: their numbers come back in
                CsvLines.Scan scan = csvLines.get(paths.get(i));
                String record = scan.bad().isEmpty() ? "e.line" : "e.line + (SELECT count(*) FROM " + REMOVED + " r WHERE r.source = " + path
                        + " AND r.shift < e.line)";
                rejectSelects.add("SELECT " + path + " AS file_path, " + record + " - " + scan.header() + " AS row_number, e.column_idx,"
                        + " e.column_name, e.error_type, e.error_message FROM " + REJECTS + "_" + i + " e JOIN " + REJECT_SCANS + "_" + i
                        + " s USING (scan_id, file_id)");
            }
        }
        // The files' own columns are read first, then the job's are added under names none of them has.
        internal = Internal.freeOf(namesOf.stream().flatMap(List::stream).toList());
        Optional<String> rowid = Optional.empty();
        for (int i = 0; i < paths.size(); i++) {
            String table = paths.size() == 1 ? RAW : RAW + "_" + i;
            Optional<String> named = freeRowid(connection, internal, table, namesOf.get(i));
            rowid = rowid.or(() -> named);
            if (paths.size() > 1) {
                selects.add("SELECT *, " + Sql.literal(paths.get(i)) + " AS " + internal.source() + ", " + i + " AS " + internal.name("file")
                        + ", rowid AS " + internal.name("file_row") + " FROM " + table);
            }
        }
        String source = internal.source();
        String rid = internal.name("rid");
        String k = internal.name("k");
        String numbered;
        if (paths.size() > 1) {
            Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + RAW + " AS SELECT * EXCLUDE (" + internal.name("file") + ", "
                    + internal.name("file_row") + ") FROM (" + String.join(" UNION ALL BY NAME ", selects) + ") ORDER BY "
                    + internal.name("file") + ", " + internal.name("file_row"));
            for (int i = 0; i < paths.size(); i++) {
                Sql.execute(connection, "DROP TABLE " + RAW + "_" + i);
            }
            numbered = "SELECT *, rowid AS " + rid + ", rowid - min(rowid) OVER (PARTITION BY " + source + ") + 1 AS " + k + " FROM " + RAW;
        } else { // the file's table is read as it is, its path added here
            numbered = "SELECT *, " + Sql.literal(paths.get(0)) + " AS " + source + ", rowid AS " + rid + ", rowid + 1 AS " + k + " FROM " + RAW;
        }
        filesLacking = lacking(columnsOf);
        String rename = restore(internal, rowid);
        String row = k;
        // The lines no row came from: rejected or blank, each with its row number (a CSV's record less the header's; a
        // JSONL's line).
        Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + REJECTED + " (source VARCHAR, row_number BIGINT, column_name VARCHAR,"
                + " error_message VARCHAR)");
        Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + SKIPPED + " (source VARCHAR, row_number BIGINT)");
        if (files.format() == FileFormat.CSV) {
            appendCsvBad(connection, csvLines);
            Sql.execute(connection, "INSERT INTO " + REJECTED + " SELECT file_path, row_number, first(e.column_name ORDER BY e.column_idx), "
                    + "first(e.error_type || ': ' || e.error_message ORDER BY e.column_idx) FROM ("
                    + String.join(" UNION ALL ", rejectSelects) + ") AS e GROUP BY ALL");
            java.util.Map<String, long[]> blank = new java.util.LinkedHashMap<>();
            csvLines.forEach((file, scan) -> blank.put(file, scan.blankRows()));
            appendBlank(connection, blank);
        } else if (files.format() == FileFormat.JSONL) {
            appendLines(connection, jsonLines);
        }
        Sql.execute(connection, "INSERT INTO " + SKIPPED + " SELECT source, row_number FROM " + REJECTED);
        long rejected = count(connection, REJECTED);
        if (count(connection, SKIPPED) > 0) {
            // The k-th row read from a file is its k-th line not skipped: k plus the skipped lines before it.
            Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE __lathe_job_shifts AS SELECT source, row_number - row_number() OVER "
                    + "(PARTITION BY source ORDER BY row_number) AS shift FROM " + SKIPPED);
            row = k + " + (SELECT count(*) FROM __lathe_job_shifts j WHERE j.source = q." + source + " AND j.shift < q." + k + ")";
        }
        Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + INPUT + " AS SELECT " + source + ", " + row + " AS " + internal.row()
                + ", * EXCLUDE (" + source + ", " + rid + ", " + k + ")" + rename + " FROM (" + numbered + ") AS q ORDER BY " + rid);
        Sql.execute(connection, "DROP TABLE " + RAW);
        return rejected;
    }

    /**
     * Reads one JSONL file into {@code table} with its source path, and answers its blank and bad lines. A file whose lines
     * are all objects is read as it is; one with a line that is not (malformed JSON, an array, a number), which fails
     * DuckDB's whole read, is read from a copy of its good lines, and the bad ones become bad rows.
     */
    private static JsonLines.Scan readJsonLines(Connection connection, String path, String table) throws SQLException {
        Path file = Path.of(path);
        String create = "CREATE OR REPLACE TEMP TABLE " + table + " AS SELECT * FROM read_json(%s, format = 'newline_delimited', sample_size = -1)";
        try {
            JsonLines.Scan scan = JsonLines.quick(file);
            if (scan.empty()) {
                // DuckDB reads no column from it, which the job then called lacking the model's columns, where an empty CSV was
                // refused as empty (probe sd F7)
                throw new LatheException(ErrorCode.INVALID_DATA, "Input file " + path + " is empty" + (isEmptyFile(file) ? "" : " (blank lines only)")
                        + "; a JSONL input holds one JSON object, an instance, a line");
            }
            if (scan.bad().isEmpty()) {
                try {
                    createFromJson(connection, create.formatted(Sql.literal(path)), table);
                    return scan;
                } catch (LatheException e) {
                    if (!e.getMessage().contains("Malformed JSON")) {
                        throw e;
                    }
                }
            }
            Path copy = Files.createTempFile("lathe-job-input-", ".jsonl");
            try {
                scan = JsonLines.clean(file, copy);
                if (Files.size(copy) == 0) {
                    throw new LatheException(ErrorCode.INVALID_DATA, "Input file " + file + " holds no JSON object on any line (line "
                            + scan.bad().get(0).line() + ": " + scan.bad().get(0).message() + ")");
                }
                createFromJson(connection, create.formatted(Sql.literal(copy.toString())), table);
                return scan;
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INVALID_DATA, "Cannot read input file " + file + ": " + e.getMessage());
        }
    }

    /**
     * Runs {@code create}, which reads a JSONL file into {@code table}; then a column DuckDB typed JSON, whose values are of
     * several JSON types (a string and a number), holds text: a string's value, and any other value's JSON text ({@code 7},
     * {@code true}, <code>{"x": 1}</code>), as a CSV holds them. Kept as JSON, a string was its JSON text with the quotes
     * ({@code "male"}, a category the model never saw) in every row of the file (probe sd F3), and {@code true} converted
     * to the number 1.
     */
    private static void createFromJson(Connection connection, String create, String table) throws SQLException {
        Sql.execute(connection, create);
        List<String> json = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet columns = statement.executeQuery("SELECT column_name FROM (DESCRIBE " + table + ") WHERE column_type = 'JSON'")) {
            while (columns.next()) {
                json.add(Sql.quote(columns.getString(1)));
            }
        }
        if (!json.isEmpty()) {
            Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + table + " AS SELECT * REPLACE (" + String.join(", ",
                    json.stream().map(c -> c + " ->> '$' AS " + c).toList()) + ") FROM " + table);
        }
    }

    /** The JSONL files' bad lines into {@link #REJECTED}, their blank lines into {@link #SKIPPED}. */
    private static void appendLines(Connection connection, java.util.Map<String, JsonLines.Scan> scans) throws SQLException {
        org.duckdb.DuckDBConnection duck = connection.unwrap(org.duckdb.DuckDBConnection.class);
        try (org.duckdb.DuckDBAppender rejected = duck.createAppender("temp", "main", REJECTED)) {
            for (var file : scans.entrySet()) {
                for (JsonLines.Bad bad : file.getValue().bad()) {
                    rejected.beginRow().append(file.getKey()).append(bad.line()).appendNull().append(bad.message()).endRow();
                }
            }
        }
        java.util.Map<String, long[]> blank = new java.util.LinkedHashMap<>();
        scans.forEach((file, scan) -> blank.put(file, scan.blank()));
        appendBlank(connection, blank);
    }

    /** Each file's blank rows (by row number) into {@link #SKIPPED}. */
    private static void appendBlank(Connection connection, java.util.Map<String, long[]> blank) throws SQLException {
        org.duckdb.DuckDBConnection duck = connection.unwrap(org.duckdb.DuckDBConnection.class);
        try (org.duckdb.DuckDBAppender skipped = duck.createAppender("temp", "main", SKIPPED)) {
            for (var file : blank.entrySet()) {
                for (long row : file.getValue()) {
                    skipped.beginRow().append(file.getKey()).append(row).endRow();
                }
            }
        }
    }

    /**
     * Reads one CSV file into {@code table} with its source path (DuckDB's rejects into the {@code i}-th rejects table), and
     * answers its records ({@link CsvLines}). A file with records of bad quoting is read from a copy without them.
     */
    private static CsvLines.Scan readCsv(Connection connection, String path, String table, int i) {
        Path file = Path.of(path);
        try {
            CsvLines.Scan scan = CsvLines.quick(file);
            if (scan.header() == 0) {
                // DuckDB reads a 0-byte CSV as one column "column0", which the job then called lacking the model's columns
                throw new LatheException(ErrorCode.INVALID_DATA, "Input file " + path + " is empty" + (isEmptyFile(file) ? "" : " (blank lines only)")
                        + "; a CSV input starts with its header line (the column names), even when it holds no rows");
            }
            scan.badHeader().ifPresent(bad -> {
                throw new LatheException(ErrorCode.INVALID_DATA, "Input file " + path + " has bad quoting in its header line (line " + scan.header()
                        + "): " + bad.message() + "; a CSV input starts with its header line, the column names");
            });
            Path copy = scan.bad().isEmpty() ? file : Files.createTempFile("lathe-job-input-", ".csv");
            try {
                if (!scan.bad().isEmpty()) {
                    CsvLines.clean(file, scan, copy);
                }
                // RFC 4180 quoting, not sniffed: one unbalanced quote made the sniffer read the whole file unquoted (probe sd F2).
                // Rows the reader cannot parse (wrong column count) are stored as rejects with their record numbers instead of
                // failing the read.
                String reader = "read_csv(" + Sql.literal(copy.toString()) + ", header = true, sample_size = -1, delim = "
                        + Sql.literal(String.valueOf((char) scan.delimiter())) + ", quote = '\"', escape = '\"', store_rejects = true,"
                        + " rejects_table = '" + REJECTS + "_" + i + "', rejects_scan = '" + REJECT_SCANS + "_" + i + "')";
                try {
                    Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + table + " AS SELECT * FROM " + reader);
                } catch (LatheException e) {
                    if (!String.valueOf(e.getMessage()).contains("Error when sniffing file")) {
                        throw e;
                    }
                    throw new LatheException(ErrorCode.INVALID_DATA, "Input file " + path + " cannot be read as CSV: DuckDB's reader found no"
                            + " consistent columns with delimiter " + Sql.literal(String.valueOf((char) scan.delimiter()))
                            + " (the one its header line holds) and values quoted in double quotes (RFC 4180)");
                }
                return scan;
            } finally {
                if (!copy.equals(file)) {
                    Files.deleteIfExists(copy);
                }
            }
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INVALID_DATA, "Cannot read input file " + path + ": " + e.getMessage());
        }
    }

    /**
     * The CSV files' records of bad quoting into {@link #REJECTED}, and for each the records before it that the copy read
     * holds into {@link #REMOVED}, which maps DuckDB's record numbers in the copy back to the file's.
     */
    private static void appendCsvBad(Connection connection, java.util.Map<String, CsvLines.Scan> scans) throws SQLException {
        Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + REMOVED + " (source VARCHAR, shift BIGINT)");
        org.duckdb.DuckDBConnection duck = connection.unwrap(org.duckdb.DuckDBConnection.class);
        try (org.duckdb.DuckDBAppender rejected = duck.createAppender("temp", "main", REJECTED);
                org.duckdb.DuckDBAppender removed = duck.createAppender("temp", "main", REMOVED)) {
            for (var file : scans.entrySet()) {
                CsvLines.Scan scan = file.getValue();
                long[] shifts = scan.shifts();
                for (int j = 0; j < shifts.length; j++) {
                    CsvLines.Bad bad = scan.bad().get(j);
                    rejected.beginRow().append(file.getKey()).append(scan.row(bad.record()));
                    if (bad.column().isPresent()) {
                        rejected.append(bad.column().get());
                    } else {
                        rejected.appendNull();
                    }
                    rejected.append(bad.message()).endRow();
                    removed.beginRow().append(file.getKey()).append(shifts[j]).endRow();
                }
            }
        }
    }

    private static boolean isEmptyFile(Path path) {
        try {
            return Files.size(path) == 0;
        } catch (IOException e) {
            return false; // the reader says what is wrong with it
        }
    }

    /**
     * An input file listed at the job's start and gone when the job read it: said so, rather than in the reader's words
     * (DuckDB's "No files found that match the pattern" with Lathe's SQL around it, probe sd F7).
     */
    private static LatheException vanished(String path, List<String> uris, LatheException failure) {
        return new LatheException(ErrorCode.TABLE_NOT_FOUND, "Input file " + path + " disappeared: it was there, matching "
                + String.join(", ", uris) + ", when the job listed its input files, and was deleted or moved before the job read it;"
                + " keep the input files in place until the job has read them", failure);
    }

    /** The files the uris name, globs expanded (in name order), in the uris' order. */
    private static List<String> expand(Connection connection, List<String> literals) throws SQLException {
        List<String> paths = new ArrayList<>();
        for (String literal : literals) {
            try (Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT file FROM glob(" + literal + ") ORDER BY file")) {
                while (rows.next()) {
                    paths.add(rows.getString(1));
                }
            }
        }
        if (paths.isEmpty()) {
            throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "No input file matches " + String.join(", ", literals)
                    + "; give readable files in gcsSource.uris (--input-files)");
        }
        return paths;
    }

    /** Each column (lower case) some of the files lack, with those files. */
    private static java.util.Map<String, List<String>> lacking(java.util.Map<String, java.util.Set<String>> columnsOf) {
        java.util.Map<String, List<String>> lacking = new java.util.TreeMap<>();
        java.util.Set<String> all = new java.util.TreeSet<>();
        columnsOf.values().forEach(all::addAll);
        columnsOf.forEach((path, columns) -> {
            for (String column : all) {
                if (!columns.contains(column)) {
                    lacking.computeIfAbsent(column, k -> new ArrayList<>()).add(path);
                }
            }
        });
        return lacking;
    }

    /** Reader rejects and conversion errors together, in {@link #ERRORS}. */
    private static void collectErrors(Connection connection, Internal internal, boolean rejects) {
        String select = "SELECT " + internal.source() + " AS source, CAST(" + internal.row() + " AS BIGINT) AS row_number, column_name,"
                + " error_message FROM " + SCORING_ERRORS;
        if (rejects) {
            select += " UNION ALL SELECT source, row_number, column_name, error_message FROM " + REJECTED;
        }
        Sql.execute(connection, "CREATE OR REPLACE TEMP TABLE " + ERRORS + " AS SELECT * FROM (" + select + ") ORDER BY source, row_number");
    }

    private static List<RowFailure> firstFailures(Connection connection) throws SQLException {
        List<RowFailure> failures = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT source, row_number, column_name, error_message FROM " + ERRORS
                        + " ORDER BY source, row_number LIMIT " + JobStore.MAX_PARTIAL_FAILURES)) {
            while (rows.next()) {
                failures.add(new RowFailure(rows.getLong(2), Optional.ofNullable(rows.getString(1)), Optional.ofNullable(rows.getString(3)),
                        rows.getString(4)));
            }
        }
        return failures;
    }

    // ---- output ---------------------------------------------------------------------------------

    private static void checkOutputFree(Connection connection, JobOutput output, dev.lathe.registry.ModelStore models) throws SQLException {
        switch (output) {
            case JobOutput.Table table -> {
                for (String name : List.of(table.table(), table.errorsTable())) {
                    // Tables and models share names within a dataset, as in lathe sql (CREATE TABLE refuses a model's name).
                    for (String model : models.list(java.util.Optional.of(table.dataset()))) {
                        if (model.equalsIgnoreCase(table.dataset() + "." + name)) {
                            throw new LatheException(ErrorCode.ALREADY_EXISTS, "Output table " + table.dataset() + "." + name + " is the name"
                                    + " of a model, and tables and models share names within a dataset; give another"
                                    + " bigqueryDestination.outputUri (--output-table)");
                        }
                    }
                    if (Warehouse.relationExists(connection, table.dataset(), name)) {
                        throw tableTaken(table.dataset() + "." + name, null);
                    }
                }
            }
            case JobOutput.Files files -> {
                Path directory = Path.of(files.directory());
                if (Files.exists(directory) && !Files.isDirectory(directory)) {
                    throw directoryTaken(directory, "is a file", null); // not "exists and is not empty" (probe sd F7)
                }
                if (Files.isDirectory(directory) && !isEmpty(directory)) {
                    throw directoryTaken(directory, "exists and is not empty", null);
                }
            }
        }
    }

    private static LatheException tableTaken(String table, Throwable cause) {
        return new LatheException(ErrorCode.ALREADY_EXISTS, "Output table " + table + " already exists; batch prediction writes new tables"
                + " only, give another bigqueryDestination.outputUri (--output-table)", cause);
    }

    private static LatheException directoryTaken(Path directory, String how, Throwable cause) {
        return new LatheException(ErrorCode.ALREADY_EXISTS, "Output directory " + directory + " " + how + "; batch prediction writes into"
                + " a new or empty directory, give another gcsDestination.outputUriPrefix (--output-dir)", cause);
    }

    /** Where a job's output goes, as its {@code outputLocation} names it: the output table, or the directory's absolute path. */
    static String outputLocation(JobOutput output) {
        return switch (output) {
            case JobOutput.Table table -> table.display();
            case JobOutput.Files files -> Path.of(files.directory()).toAbsolutePath().toString();
        };
    }

    /** Whether a job's committed output is where {@link #outputLocation} says (the job checked it was free before it ran). */
    static boolean outputExists(Connection connection, JobOutput output) {
        return switch (output) {
            case JobOutput.Table table -> dev.lathe.warehouse.Warehouse.relationExists(connection, table.dataset(), table.table());
            case JobOutput.Files files -> {
                Path directory = Path.of(files.directory()).toAbsolutePath();
                yield Files.isDirectory(directory) && !isEmpty(directory);
            }
        };
    }

    /**
     * Both tables in one transaction: either the job's output is there whole or not at all. The dataset, where it does not
     * exist, is created before, on its own: created in the transaction, two jobs writing into one new dataset conflicted
     * in DuckDB's catalog, and the later to commit failed after predicting everything (probe sd F4).
     */
    private static void commitTable(Connection connection, JobOutput.Table table, boolean errors) {
        waitingOutConflicts(() -> Sql.execute(connection, "CREATE SCHEMA IF NOT EXISTS " + Sql.quote(table.dataset())));
        // Another job may be creating the same table (both passed the check at their start): its transaction not yet
        // committed, DuckDB refuses this one as a conflict, tried again until that one ends; committed, the table exists.
        // Either way the job that lost says so as the check at the start would have (probe sd F5), not in DuckDB's words.
        try {
            waitingOutConflicts(() -> createTables(connection, table, errors));
        } catch (RuntimeException e) {
            for (String name : errors ? List.of(table.table(), table.errorsTable()) : List.of(table.table())) {
                if (Warehouse.relationExists(connection, table.dataset(), name)) {
                    throw tableTaken(table.dataset() + "." + name, e);
                }
            }
            throw e;
        }
    }

    private static void createTables(Connection connection, JobOutput.Table table, boolean errors) {
        transaction(connection, "BEGIN TRANSACTION", () -> {
            Sql.execute(connection, "CREATE TABLE " + Sql.qualified(table.dataset(), table.table()) + " AS SELECT * FROM " + PREDICTIONS);
            if (errors) {
                Sql.execute(connection, "CREATE TABLE " + Sql.qualified(table.dataset(), table.errorsTable()) + " AS SELECT * FROM " + ERRORS);
            }
        });
    }

    /** Runs {@code work} in a transaction {@code begin} starts: committed, or rolled back when it fails. */
    private static void transaction(Connection connection, String begin, Runnable work) {
        Sql.execute(connection, begin);
        try {
            work.run();
            Sql.execute(connection, "COMMIT");
        } catch (RuntimeException e) {
            try {
                Sql.execute(connection, "ROLLBACK");
            } catch (RuntimeException rollback) {
                e.addSuppressed(rollback);
            }
            throw e;
        }
    }

    /** How long a job tries again a catalog change that conflicts with another connection's at the same time. */
    static final java.time.Duration CONFLICT_PATIENCE = java.time.Duration.ofSeconds(30);

    /**
     * Runs {@code change} (one catalog change that commits on its own), again after a pause where it conflicted with another
     * connection's change of the same catalog entry not yet committed (DuckDB's "write-write conflict"), for up to
     * {@link #CONFLICT_PATIENCE}.
     */
    private static void waitingOutConflicts(Runnable change) {
        long deadline = System.nanoTime() + CONFLICT_PATIENCE.toNanos();
        for (long pause = 10; ; pause = Math.min(pause * 2, 500)) {
            try {
                change.run();
                return;
            } catch (LatheException e) {
                if (!isConflict(e)) {
                    throw e;
                }
                if (System.nanoTime() > deadline) {
                    throw new LatheException(ErrorCode.ABORTED, "Another job's change of the warehouse's catalog kept conflicting with this"
                            + " job's for " + CONFLICT_PATIENCE.toSeconds() + " s: " + e.getMessage(), e);
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    private static boolean isConflict(RuntimeException e) {
        return String.valueOf(e.getMessage()).contains("write-write conflict");
    }

    /**
     * The hidden directory a job writes its files into before they go into place: beside a new output directory, renamed
     * into place whole; inside an existing (empty) one, named through its symbolic links, whose files are then moved out
     * into it, so the directory the user prepared (its mode, group, ACL, a mount point, the directory a link names) is
     * the one that receives them (probe ub F3b).
     */
    static Path stagingDirectory(JobOutput.Files files, long id) {
        Path directory = Path.of(files.directory()).toAbsolutePath();
        if (Files.isDirectory(directory)) {
            try {
                return directory.toRealPath().resolve(".lathe-job-" + id + ".tmp");
            } catch (IOException e) {
                // gone or unreadable since: staged beside it, and the commit says what is wrong
            }
        }
        return siblingStaging(directory, id);
    }

    /** The name of a staging directory inside an output directory. */
    private static final java.util.regex.Pattern STAGING_NAME = java.util.regex.Pattern.compile("\\.lathe-job-[0-9]+\\.tmp");

    private static Path siblingStaging(Path directory, long id) {
        return directory.resolveSibling("." + directory.getFileName() + ".lathe-job-" + id + ".tmp");
    }

    /** Removes what a job cut off while writing files left, beside its output directory or inside it. */
    static void deleteStaging(JobOutput.Files files, long id) {
        deleteQuietly(stagingDirectory(files, id));
        deleteQuietly(siblingStaging(Path.of(files.directory()).toAbsolutePath(), id));
    }

    /**
     * Writes the shards into {@code staging}, then puts them in place: a staging directory beside the output is renamed
     * to it; one inside an existing output directory has its files moved out into it, the errors first and the
     * predictions last, any moved file taken back if a later one fails, so a failed job leaves no file there.
     */
    private static void commitFiles(Connection connection, JobOutput.Files files, Path staging, boolean errors) throws SQLException {
        Path directory = Path.of(files.directory()).toAbsolutePath();
        try {
            deleteQuietly(staging);
            Files.createDirectories(staging);
            String extension = files.format().id();
            List<Path> shards = new ArrayList<>();
            if (errors) {
                shards.add(staging.resolve("errors_0001." + extension));
                copy(connection, ERRORS, shards.getLast(), files.format());
            }
            shards.add(staging.resolve("predictions_0001." + extension));
            copy(connection, PREDICTIONS, shards.getLast(), files.format());
            if (staging.getParent().equals(directory.getParent()) && !Files.exists(directory, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
            } else {
                moveInto(shards, directory);
            }
        } catch (java.nio.file.DirectoryNotEmptyException | java.nio.file.FileAlreadyExistsException e) {
            // filled since the check at the start, by another job with the same output most likely (probe sd F5)
            throw directoryTaken(directory, "exists and is not empty", e);
        } catch (IOException e) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Cannot write the output directory " + directory + ": " + e.getMessage()
                    + "; give a writable path in gcsDestination.outputUriPrefix (--output-dir)", e);
        }
    }

    /**
     * Moves each shard into {@code directory} (through its links), which must hold nothing but staging directories (this
     * job's, and those of other jobs given the same output, of which the first to move its files wins): a rename within
     * one file system, so a reader never sees a half-written file. A shard whose move fails takes the ones moved before
     * it back out.
     */
    private static void moveInto(List<Path> shards, Path directory) throws IOException {
        Path staging = shards.getFirst().getParent();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (!STAGING_NAME.matcher(entry.getFileName().toString()).matches() || !Files.isDirectory(entry)) {
                    throw new java.nio.file.DirectoryNotEmptyException(directory.toString());
                }
            }
        }
        List<Path> moved = new ArrayList<>();
        try {
            for (Path shard : shards) {
                Path target = directory.resolve(shard.getFileName());
                if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    throw new java.nio.file.FileAlreadyExistsException(target.toString());
                }
                Files.move(shard, target, StandardCopyOption.ATOMIC_MOVE);
                moved.add(target);
            }
        } catch (IOException e) {
            for (Path target : moved) {
                Files.deleteIfExists(target);
            }
            throw e;
        }
        Files.delete(staging);
    }

    private static void copy(Connection connection, String table, Path file, FileFormat format) throws IOException {
        if (format != FileFormat.JSONL) {
            Sql.execute(connection, "COPY " + table + " TO " + Sql.literal(file.toString()) + " (" + format.copyOptions() + ")");
            return;
        }
        // DuckDB writes NaN and the infinities as bare words, which no strict JSON parser reads; they become strings, as
        // BigQuery exports them and as the CLI and :predict write them.
        Path raw = file.resolveSibling(file.getFileName() + ".raw");
        Sql.execute(connection, "COPY " + table + " TO " + Sql.literal(raw.toString()) + " (" + format.copyOptions() + ")");
        try (java.io.BufferedReader in = Files.newBufferedReader(raw, java.nio.charset.StandardCharsets.UTF_8);
                java.io.BufferedWriter out = Files.newBufferedWriter(file, java.nio.charset.StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(JsonNumbers.quoteNonFinite(line));
                out.write('\n');
            }
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    private static boolean isEmpty(Path directory) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    static void deleteQuietly(Path path) {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // A leftover staging directory is hidden and replaced by the next run of the same job id.
        }
    }

    private static long count(Connection connection, String table) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + table)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
