package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * One input row that was not predicted: its 1-based row number (within its file for file input, the header
 * not counted; within the table or query otherwise), the file, the column when one is to blame, and why.
 */
public record RowFailure(long rowNumber, Optional<String> source, Optional<String> column, String message) {
    public RowFailure {
        requireNonNull(source, "source is null");
        requireNonNull(column, "column is null");
        requireNonNull(message, "message is null");
        if (rowNumber < 1) {
            throw new IllegalArgumentException("rowNumber is 1-based, got " + rowNumber);
        }
    }

    /** {@code row 3 of a.csv: column x: cannot convert ...}. */
    public String describe() {
        return "row " + rowNumber + source.map(s -> " of " + s).orElse("") + ": " + message;
    }
}
