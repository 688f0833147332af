package dev.lathe.engine;

import static java.util.Objects.requireNonNull;

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
