package dev.lathe.engine;

/** Receives each statement's result before the next statement runs. */
@FunctionalInterface
public interface ResultSink {
    void accept(String statementText, Result result) throws Exception;
}
