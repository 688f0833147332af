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
     * Rolls back a transaction a script began and left open ({@code BEGIN} without {@code COMMIT}), as BigQuery ends
     * one at the end of its script; true if there was one. A pooled session calls it after each request, so the next
     * request, another client's perhaps, does not run inside it.
     */
    default boolean rollbackOpenTransaction() {
        return false;
    }

    /**
     * Cancels the warehouse query the running statement is waiting for, from another thread (an interactive shell's
     * Ctrl-C): that statement then fails with DuckDB's interrupt error. Best effort: a model's training, in Java or in
     * XGBoost, runs to its end.
     */
    default void cancel() {}

    @Override
    void close();
}
