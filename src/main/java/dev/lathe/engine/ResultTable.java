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
        create(connection, table, columns, rows, STAGED_ELEMENTS);
    }

    /** As {@link #create}, with lists staged past {@code stagedElements} elements in all ({@link #staged}). */
    static void create(Connection connection, String table, List<ColumnSpec> columns, List<List<Object>> rows, long stagedElements) {
        createTable(connection, table, columns);
        if (rows.size() > APPENDED && appendable(columns, rows)) {
            append(connection, table, columns, rows);
            return;
        }
        if (staged(connection, table, columns, rows, stagedElements)) {
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
                if (!fits(columns.get(i).duckDbType(), row.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether the appender writes {@code value} as a {@code type} (one of {@link #APPENDABLE_TYPES}). */
    private static boolean fits(String type, Object value) {
        return switch (type) {
            case "DOUBLE" -> value == null || value instanceof Double || value instanceof Float;
            case "BIGINT", "INTEGER" -> value == null || value instanceof Long || value instanceof Integer;
            case "VARCHAR" -> value == null || value instanceof String;
            default -> value == null || value instanceof Boolean;
        };
    }

    /**
     * Beyond this many list elements, or this many characters in them, results whose lists are of structs of plain
     * values are written through staging tables ({@link #staged}).
     */
    private static final int STAGED_ELEMENTS = 1_000;
    private static final long STAGED_CHARS = 1L << 20;

    private static final java.util.regex.Pattern STRUCT_LIST = java.util.regex.Pattern.compile("STRUCT\\((.*)\\)\\[\\]");

    /**
     * Writes {@code rows} without rendering their lists as SQL, when every column is a plain value or a list of structs
     * of plain values and the lists are long: every list was one literal, so the 490,837 category weights of one
     * ML.WEIGHTS row were a 30 MB statement that DuckDB took 154 s and 8 GB to parse (probe ud F2). The plain columns
     * go through the appender into a staging table with each row's number and each list's length, every list's
     * elements through the appender into a staging table of its own with their row and position, and one INSERT
     * assembles the lists with list(... ORDER BY position). Returns false, having written nothing, when they do not
     * qualify.
     */
    private static boolean staged(Connection connection, String table, List<ColumnSpec> columns, List<List<Object>> rows,
            long stagedElements) {
        List<List<ColumnSpec>> fields = new ArrayList<>(); // per column: its struct's fields, null for a plain column
        for (ColumnSpec column : columns) {
            java.util.regex.Matcher list = STRUCT_LIST.matcher(column.duckDbType());
            if (APPENDABLE_TYPES.contains(column.duckDbType())) {
                fields.add(null);
            } else if (list.matches()) {
                List<ColumnSpec> struct = new ArrayList<>();
                for (String field : list.group(1).split(", ")) {
                    String[] parts = field.split(" ");
                    if (parts.length != 2 || !APPENDABLE_TYPES.contains(parts[1])) {
                        return false;
                    }
                    struct.add(new ColumnSpec(parts[0], parts[1]));
                }
                fields.add(struct);
            } else {
                return false;
            }
        }
        long elements = 0;
        long chars = 0;
        for (List<Object> row : rows) {
            for (int i = 0; i < columns.size(); i++) {
                Object value = row.get(i);
                if (fields.get(i) == null) {
                    if (!fits(columns.get(i).duckDbType(), value)) {
                        return false;
                    }
                    continue;
                }
                if (value != null && !(value instanceof List<?>)) {
                    return false;
                }
                for (Object element : value == null ? List.of() : (List<?>) value) {
                    if (!(element instanceof Map<?, ?> struct) || struct.size() != fields.get(i).size()) {
                        return false;
                    }
                    for (ColumnSpec field : fields.get(i)) {
                        Object fieldValue = struct.get(field.name());
                        if (!fits(field.duckDbType(), fieldValue)) {
                            return false;
                        }
                        chars += fieldValue instanceof String text ? text.length() : 0;
                    }
                    elements++;
                }
            }
        }
        if (elements <= stagedElements && chars <= STAGED_CHARS) {
            return false;
        }
        String rowTable = table + "__rows";
        List<String> dropped = new ArrayList<>(List.of(rowTable));
        try {
            List<ColumnSpec> rowColumns = new ArrayList<>(List.of(new ColumnSpec("__row", "BIGINT")));
            List<String> selected = new ArrayList<>();
            List<String> joins = new ArrayList<>();
            for (int i = 0; i < columns.size(); i++) {
                ColumnSpec column = columns.get(i);
                if (fields.get(i) == null) {
                    rowColumns.add(column);
                    selected.add("r." + Sql.quote(column.name()));
                    continue;
                }
                String length = "__length_" + i;
                rowColumns.add(new ColumnSpec(length, "BIGINT"));
                String items = table + "__items_" + i;
                dropped.add(items);
                List<ColumnSpec> itemColumns = new ArrayList<>(List.of(new ColumnSpec("__row", "BIGINT"), new ColumnSpec("__position", "BIGINT")));
                itemColumns.addAll(fields.get(i));
                List<List<Object>> itemRows = new ArrayList<>();
                for (int r = 0; r < rows.size(); r++) {
                    List<?> list = (List<?>) rows.get(r).get(i);
                    for (int e = 0; list != null && e < list.size(); e++) {
                        Map<?, ?> struct = (Map<?, ?>) list.get(e);
                        List<Object> item = new ArrayList<>(List.of((long) r, (long) e));
                        fields.get(i).forEach(field -> item.add(struct.get(field.name())));
                        itemRows.add(item);
                    }
                }
                createAndAppend(connection, items, itemColumns, itemRows);
                List<String> struct = new ArrayList<>();
                for (ColumnSpec field : fields.get(i)) {
                    struct.add(Sql.literal(field.name()) + ": " + Sql.quote(field.name()));
                }
                String alias = "l" + i;
                joins.add(" LEFT JOIN (SELECT __row, list({" + String.join(", ", struct) + "} ORDER BY __position) AS v FROM "
                        + Sql.quote(items) + " GROUP BY __row) AS " + alias + " USING (__row)");
                selected.add("CASE WHEN r." + length + " IS NULL THEN NULL WHEN r." + length + " = 0 THEN CAST([] AS "
                        + column.duckDbType() + ") ELSE CAST(" + alias + ".v AS " + column.duckDbType() + ") END");
            }
            List<List<Object>> rowValues = new ArrayList<>();
            for (int r = 0; r < rows.size(); r++) {
                List<Object> row = new ArrayList<>(List.of((long) r));
                for (int i = 0; i < columns.size(); i++) {
                    Object value = rows.get(r).get(i);
                    row.add(fields.get(i) == null ? value : value == null ? null : (long) ((List<?>) value).size());
                }
                rowValues.add(row);
            }
            createAndAppend(connection, rowTable, rowColumns, rowValues);
            Sql.execute(connection, "INSERT INTO " + Sql.quote(table) + " SELECT " + String.join(", ", selected) + " FROM "
                    + Sql.quote(rowTable) + " AS r" + String.join("", joins) + " ORDER BY r.__row");
        } finally {
            for (String staging : dropped) {
                Sql.execute(connection, "DROP TABLE IF EXISTS " + Sql.quote(staging));
            }
        }
        return true;
    }

    private static void createAndAppend(Connection connection, String table, List<ColumnSpec> columns, List<List<Object>> rows) {
        createTable(connection, table, columns);
        append(connection, table, columns, rows);
    }

    private static void createTable(Connection connection, String table, List<ColumnSpec> columns) {
        List<String> definitions = new ArrayList<>();
        for (ColumnSpec column : columns) {
            definitions.add(Sql.quote(column.name()) + " " + column.duckDbType());
        }
        Sql.execute(connection, "CREATE TEMP TABLE " + Sql.quote(table) + " (" + String.join(", ", definitions) + ")");
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
