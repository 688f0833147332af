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

    @Override
    void close();
}
