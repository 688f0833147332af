package dev.lathe.engine;

/** Runs ML SQL scripts against one warehouse. */
public interface Engine extends AutoCloseable {
    /**
     * Splits {@code script} into statements and runs them in order, handing each result to {@code sink}
     * before running the next. Stops at the first failure with a {@link dev.lathe.core.LatheException};
     * the failed statement leaves nothing behind.
     */
    void execute(String script, ResultSink sink);

    @Override
    void close();
}
