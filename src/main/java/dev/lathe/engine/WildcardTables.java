package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.warehouse.Sql;
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

    /** The SQL that stands for {@code wildcard} now: a parenthesized union of the tables it matches. */
    static String union(Connection connection, WildcardTable wildcard) {
        List<String> tables = new ArrayList<>();
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
                    tables.add(rows.getString(3) + "\u0000" + name);
                }
            }
        } catch (SQLException e) {
            throw LatheException.internal("Listing the tables of wildcard table " + wildcard.text() + " failed: " + e.getMessage(), e);
        }
        if (!dataset && !schemaExists(connection, wildcard.dataset())) {
            throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Dataset " + wildcard.dataset() + " of the wildcard table " + wildcard.text()
                    + " at " + wildcard.position() + " was not found");
        }
        if (tables.isEmpty()) {
            throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Table " + wildcard.text() + " at " + wildcard.position() + " does not match any"
                    + " table: dataset " + wildcard.dataset() + " has no table whose name starts with '" + wildcard.prefix() + "'");
        }
        StringBuilder union = new StringBuilder("(");
        for (String table : tables) {
            String schema = table.substring(0, table.indexOf('\u0000'));
            String name = table.substring(table.indexOf('\u0000') + 1);
            if (union.length() > 1) {
                union.append(" UNION ALL BY NAME ");
            }
            union.append("SELECT *, ").append(Sql.literal(name.substring(wildcard.prefix().length()))).append(" AS ")
                    .append(WildcardTable.SUFFIX_COLUMN).append(" FROM ").append(Sql.quote(schema)).append('.').append(Sql.quote(name));
        }
        return union.append(')').toString();
    }

    private static boolean schemaExists(Connection connection, String dataset) {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM information_schema.schemata WHERE catalog_name = current_database() AND lower(schema_name) = lower(?)")) {
            statement.setString(1, dataset);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        } catch (SQLException e) {
            throw LatheException.internal("Looking up dataset " + dataset + " failed: " + e.getMessage(), e);
        }
    }
}
