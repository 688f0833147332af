package dev.lathe.sql;

import dev.lathe.core.options.Position;

/** {@code name TYPE} in INPUT(...), OUTPUT(...) or a LOAD DATA column list; type as written. */
public record ColumnDefinition(String name, String type, Position position) {}
