package dev.lathe.core;

import static java.util.Objects.requireNonNull;

/**
 * A named, typed column. {@code duckDbType} is the exact source type, kept so outputs can be cast back; an ENUM's is
 * VARCHAR, since JDBC names an ENUM column's type the bare word ENUM, which no cast can take (probe rc: a model with an
 * ENUM label trained, then every prediction failed with "ENUM type requires at least one argument").
 */
public record Field(String name, DataType type, String duckDbType) {
    public Field {
        requireNonNull(name, "name is null");
        requireNonNull(type, "type is null");
        duckDbType = castable(requireNonNull(duckDbType, "duckDbType is null"));
    }

    /** {@code duckDbType} as a cast can take it: the bare word ENUM (JDBC's name of any ENUM column) is VARCHAR. */
    public static String castable(String duckDbType) {
        return duckDbType.strip().equalsIgnoreCase("ENUM") ? "VARCHAR" : duckDbType;
    }

    public static Field of(String name, DataType type) {
        return new Field(name, type, type.duckDbType());
    }
}
