package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import dev.lathe.sql.WildcardTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * BigQuery's wildcard tables, expanded when their statement runs (not when the script is parsed: a script may create the
 * tables first). {@code `d.prefix*`} becomes the union of d's tables whose names start with prefix, by column name
 * ({@code UNION ALL BY NAME}: a column some tables lack is NULL in their rows; BigQuery takes the columns of the most recently
 * created table, an order the warehouse does not keep), each row with {@code _TABLE_SUFFIX}, the rest of its table's name.
 * As in BigQuery, views are not matched: a view whose name matches is an error, and so is a prefix no table matches.
 */
final class WildcardTables {
    private WildcardTables() {}

    /** A matching table: its dataset as the catalog spells it, and its name. */
    private record Table(String schema, String name) {
        String qualified() {
            return schema + "." + name;
        }
    }

    /** The SQL that stands for {@code wildcard} now: a parenthesized union of the tables it matches. */
    static String union(Connection connection, WildcardTable wildcard) {
        List<Table> tables = new ArrayList<>();
        boolean dataset = false;
        String sql = "SELECT table_name, table_type, table_schema FROM information_schema.tables WHERE table_catalog = current_database()"
                + " AND lower(table_schema) = lower(?) ORDER BY table_name";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, wildcard.dataset());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    dataset = true;
                    String name = rows.getString(1);
                    if (!name.toLowerCase(java.util.Locale.ROOT).startsWith(wildcard.prefix().toLowerCase(java.util.Locale.ROOT))) {
                        continue;
                    }
                    if (!"BASE TABLE".equals(rows.getString(2))) {
                        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The wildcard table " + wildcard.text() + " at "
                                + wildcard.position() + " matches the view " + rows.getString(3) + "." + name + ": as in BigQuery, views"
                                + " cannot be queried through a wildcard table; rename the view or give a longer prefix");
                    }
                    tables.add(new Table(rows.getString(3), name));
                }
            }
        } catch (SQLException e) {
            throw LatheException.internal("Listing the tables of wildcard table " + wildcard.text() + " failed: " + e.getMessage(), e);
        }
        if (!dataset && !Warehouse.datasetExists(connection, wildcard.dataset())) {
            throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Dataset " + wildcard.dataset() + " of the wildcard table " + wildcard.text()
                    + " at " + wildcard.position() + " was not found");
        }
        if (tables.isEmpty()) {
            throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Table " + wildcard.text() + " at " + wildcard.position() + " does not match any"
                    + " table: dataset " + wildcard.dataset() + " has no table whose name starts with '" + wildcard.prefix() + "'");
        }
        refuseDifferingTypes(connection, wildcard, tables);
        StringBuilder union = new StringBuilder("(");
        for (Table table : tables) {
            if (union.length() > 1) {
                union.append(" UNION ALL BY NAME ");
            }
            union.append("SELECT *, ").append(Sql.literal(table.name().substring(wildcard.prefix().length()))).append(" AS ")
                    .append(WildcardTable.SUFFIX_COLUMN).append(" FROM ").append(Sql.quote(table.schema())).append('.')
                    .append(Sql.quote(table.name()));
        }
        return union.append(')').toString();
    }

    /**
     * As in BigQuery ("Cannot read field of type X as Y"), a column that two matching tables give different types is an
     * error, whether or not a filter on the suffix skips one of them: DuckDB's union would cast one silently (an INT64
     * column read as STRING beside a STRING one) or fail without naming the tables. Types are compared as BigQuery's
     * (DuckDB's INTEGER and BIGINT are both INT64).
     */
    private static void refuseDifferingTypes(Connection connection, WildcardTable wildcard, List<Table> tables) {
        java.util.Map<String, String[]> seen = new java.util.HashMap<>(); // lower-case column -> {type, table}
        // every matching table's columns in one query, table by table in the order of the union (the prefix matches no view:
        // the listing refused one)
        String sql = "SELECT table_name, column_name, data_type FROM information_schema.columns WHERE table_catalog = current_database()"
                + " AND table_schema = ? AND starts_with(lower(table_name), lower(?)) ORDER BY table_name, ordinal_position";
        String schema = tables.getFirst().schema(); // one dataset's: the schema of every row of the listing
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, schema);
            statement.setString(2, wildcard.prefix());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    String table = new Table(schema, rows.getString(1)).qualified();
                    String type = DataLoader.bigQueryType(rows.getString(3));
                    String[] earlier = seen.putIfAbsent(rows.getString(2).toLowerCase(java.util.Locale.ROOT), new String[] {type, table});
                    if (earlier != null && !earlier[0].equals(type)) {
                        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The wildcard table " + wildcard.text() + " at "
                                + wildcard.position() + " matches tables whose column " + rows.getString(2) + " differs in type: "
                                + earlier[0] + " in " + earlier[1] + ", " + type + " in " + table + "; as in BigQuery,"
                                + " the tables of a wildcard table must give a column one type (give a longer prefix, or cast the"
                                + " column in one of the tables)");
                    }
                }
            }
        } catch (SQLException e) {
            throw LatheException.internal("Reading the columns of wildcard table " + wildcard.text() + " failed: " + e.getMessage(), e);
        }
    }
}
