package dev.lathe.engine;

import static java.util.Objects.requireNonNull;

import java.sql.ResultSet;

/** What one statement produced. */
public sealed interface Result {
    /**
     * Rows, streamed from DuckDB: the consumer reads {@code rows} once, in order, and must not keep it
     * after {@link ResultSink#accept} returns (the engine closes it).
     */
    record Rows(ResultSet rows) implements Result {
        public Rows {
            requireNonNull(rows, "rows is null");
        }
    }

    /** A statement without rows: what it did, e.g. {@code Created model penguins.weight (version 1)}. */
    record Message(String text) implements Result {
        public Message {
            requireNonNull(text, "text is null");
        }
    }
}
