package dev.lathe.batch;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.Arrays;
import java.util.Locale;

/** The file formats batch prediction reads and writes, by their Vertex names. */
public enum FileFormat {
    CSV("csv"),
    JSONL("jsonl"),
    PARQUET("parquet");

    private final String id;

    FileFormat(String id) {
        this.id = id;
    }

    /** The Vertex name and file extension: {@code csv}, {@code jsonl}, {@code parquet}. */
    public String id() {
        return id;
    }

    /** The DuckDB COPY options writing this format. */
    String copyOptions() {
        return switch (this) {
            case CSV -> "FORMAT CSV, HEADER";
            case JSONL -> "FORMAT JSON";
            case PARQUET -> "FORMAT PARQUET";
        };
    }

    public static FileFormat parse(String text, String where) {
        String id = text.toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(f -> f.id.equals(id)).findFirst().orElseThrow(() -> new LatheException(
                ErrorCode.INVALID_ARGUMENT, where + " is '" + text + "'; accepted: csv, jsonl, parquet"));
    }
}
