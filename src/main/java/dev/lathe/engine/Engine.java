package dev.lathe.engine;

/** Runs ML SQL scripts against one warehouse. */
public interface Engine extends AutoCloseable {
    /**
     * Splits {@code script} into statements and runs them in order, handing each result to {@code sink}
     * before running the next. Stops at the first failure with a {@link dev.lathe.core.LatheException};
     * the failed statement leaves nothing behind.
     */
    void execute(String script, ResultSink sink);

    /**
     * A dry run of {@code script}: each statement is parsed and bound against the warehouse as it is now, and handed to
     * {@code sink} with the columns it would answer, without running it or changing anything (CREATE MODEL checks its
     * options and binds its training query, and trains nothing). Fails as {@link #execute} would at the first statement
     * that does not bind; a statement that needs what an earlier one would create fails too, since nothing is created.
     */
    default void dryRun(String script, java.util.function.Consumer<DryRun> sink) {
        throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.UNSUPPORTED, "This engine has no dry run");
    }

    /** A statement of a dry run: its text, the columns it would answer (null for a statement without rows), and what it would do. */
    record DryRun(String statement, java.sql.ResultSetMetaData columns, String message) {}

    /**
     * The failure of a script (a server request, {@code lathe sql -e/-f}) that ended inside a transaction it began: the
     * transaction was rolled back, so its statements' "OK"s would have told of changes that were not kept (probe L).
     */
    static dev.lathe.core.LatheException endedInsideTransaction() {
        return new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.FAILED_PRECONDITION, "The script ended inside a transaction (BEGIN without COMMIT),"
                + " so it was rolled back: nothing the statements after BEGIN changed is kept. End it with COMMIT; in the same script");
    }

    /**
     * Rolls back a transaction a script began and left open ({@code BEGIN} without {@code COMMIT}), as BigQuery ends
     * one at the end of its script; true if there was one. A pooled session calls it after each request, so the next
     * request, another client's perhaps, does not run inside it.
     */
    default boolean rollbackOpenTransaction() {
        return false;
    }

    /**
     * Drops what the scripts run so far left in this session alone: temporary tables, views, macros and sequences, and
     * variables (SET VARIABLE). A pooled session calls it before it serves another client, who must not see them (probe
     * qa: one user's temp table and variables were read by the next).
     */
    default void discardSessionState() {}

    /**
     * Cancels the running script from another thread (an interactive shell's Ctrl-C): a warehouse query is interrupted
     * at once, CREATE MODEL stops at its next step (between training iterations, or once a query it waits on ends), and
     * the script fails with {@link dev.lathe.core.ErrorCode#CANCELLED}, leaving nothing behind. A cancel with no script
     * running does nothing.
     */
    default void cancel() {}

    @Override
    void close();
}
