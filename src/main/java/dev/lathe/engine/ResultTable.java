package dev.lathe.engine;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.LatheException;
import dev.lathe.warehouse.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Small computed results (metrics, weights, training info) written as a temporary DuckDB table. Values
 * are rendered as typed, escaped SQL literals: Double, Long/Integer, String, Boolean, null, List (a
 * DuckDB list) and Map&lt;String, ?&gt; (a struct). Large results never come here: they stream through
 * the appender.
 */
final class ResultTable {
    private ResultTable() {}

    record ColumnSpec(String name, String duckDbType) {
        ColumnSpec {
            requireNonNull(name, "name is null");
            requireNonNull(duckDbType, "duckDbType is null");
        }
    }

    static void create(Connection connection, String table, List<ColumnSpec> columns, List<List<Object>> rows) {
        List<String> definitions = new ArrayList<>();
        for (ColumnSpec column : columns) {
            definitions.add(Sql.quote(column.name()) + " " + column.duckDbType());
        }
        Sql.execute(connection, "CREATE TEMP TABLE " + Sql.quote(table) + " (" + String.join(", ", definitions) + ")");
        if (rows.size() > APPENDED && appendable(columns, rows)) {
            append(connection, table, columns, rows);
            return;
        }
        int chunk = 500;
        for (int start = 0; start < rows.size(); start += chunk) {
            List<String> tuples = new ArrayList<>();
            for (List<Object> row : rows.subList(start, Math.min(rows.size(), start + chunk))) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    values.add("CAST(" + literal(row.get(i)) + " AS " + columns.get(i).duckDbType() + ")");
                }
                tuples.add("(" + String.join(", ", values) + ")");
            }
            Sql.execute(connection, "INSERT INTO " + Sql.quote(table) + " VALUES " + String.join(", ", tuples));
        }
    }

    /**
     * Beyond this many rows, results of plain numbers, strings and booleans go through DuckDB's appender: as literals a row
     * took ~0.1 ms to render and parse, so an ML.ROC_CURVE of a million thresholds took two minutes (probe rb).
     */
    private static final int APPENDED = 1_000;

    private static final java.util.Set<String> APPENDABLE_TYPES = java.util.Set.of("DOUBLE", "BIGINT", "INTEGER", "VARCHAR", "BOOLEAN");

    private static boolean appendable(List<ColumnSpec> columns, List<List<Object>> rows) {
        for (ColumnSpec column : columns) {
            if (!APPENDABLE_TYPES.contains(column.duckDbType())) {
                return false;
            }
        }
        for (List<Object> row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                Object value = row.get(i);
                boolean fits = switch (columns.get(i).duckDbType()) {
                    case "DOUBLE" -> value == null || value instanceof Double || value instanceof Float;
                    case "BIGINT", "INTEGER" -> value == null || value instanceof Long || value instanceof Integer;
                    case "VARCHAR" -> value == null || value instanceof String;
                    default -> value == null || value instanceof Boolean;
                };
                if (!fits) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void append(Connection connection, String table, List<ColumnSpec> columns, List<List<Object>> rows) {
        try (org.duckdb.DuckDBAppender appender = connection.unwrap(org.duckdb.DuckDBConnection.class).createAppender("temp", "main", table)) {
            for (List<Object> row : rows) {
                appender.beginRow();
                for (int i = 0; i < columns.size(); i++) {
                    boolean integer = columns.get(i).duckDbType().equals("INTEGER");
                    switch (row.get(i)) {
                        case null -> appender.appendNull();
                        case Double d -> appender.append(d.doubleValue());
                        case Float f -> appender.append(f.doubleValue());
                        case Number n when integer -> appender.append(Math.toIntExact(n.longValue()));
                        case Long l -> appender.append(l.longValue());
                        case Integer n -> appender.append(n.longValue());
                        case String text -> appender.append(text);
                        case Boolean b -> appender.append(b.booleanValue());
                        default -> throw new IllegalStateException("not appendable: " + row.get(i));
                    }
                }
                appender.endRow();
            }
        } catch (java.sql.SQLException e) {
            throw LatheException.internal("Writing the rows of " + table + " failed: " + e.getMessage(), e);
        }
    }

    static String literal(Object value) {
        return switch (value) {
            case null -> "NULL";
            case Double d -> Sql.literal(d);
            case Float f -> Sql.literal(f.doubleValue());
            case Long l -> Long.toString(l);
            case Integer i -> Integer.toString(i);
            case Boolean b -> b ? "TRUE" : "FALSE";
            case String s -> Sql.literal(s);
            case List<?> list -> {
                List<String> elements = new ArrayList<>();
                for (Object element : list) {
                    elements.add(literal(element));
                }
                yield "[" + String.join(", ", elements) + "]";
            }
            case Map<?, ?> map -> {
                List<String> fields = new ArrayList<>();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    fields.add(Sql.literal(entry.getKey().toString()) + ": " + literal(entry.getValue()));
                }
                yield "{" + String.join(", ", fields) + "}";
            }
            default -> Sql.literal(value.toString());
        };
    }
}
