package dev.lathe.core;

import static java.util.Objects.requireNonNull;

/** A named, typed column. {@code duckDbType} is the exact source type, kept so outputs can be cast back. */
public record Field(String name, DataType type, String duckDbType) {
    public Field {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        requireNonNull(duckDbType, "duckDbType is null");
    }

    public static Field of(String name, DataType type) {
        return new Field(name, type, type.duckDbType());
    }
}
