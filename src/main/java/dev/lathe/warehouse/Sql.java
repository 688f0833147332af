package dev.lathe.warehouse;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/** Small helpers for SQL text and DuckDB errors. */
public final class Sql {
    private Sql() {}

    /** A double-quoted DuckDB identifier. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /** {@code "dataset"."name"}. */
    public static String qualified(String dataset, String name) {
        return quote(dataset) + "." + quote(name);
    }

    /** {@code SELECT * FROM "table"}: relations are passed around as query texts, each wrapped where used. */
    public static String selectAll(String table) {
        return "SELECT * FROM " + quote(table);
    }

    /** A single-quoted SQL string literal. */
    public static String literal(String value) {
        return value == null ? "NULL" : "'" + value.replace("'", "''") + "'";
    }

    /** A DOUBLE literal that survives NaN and infinities. */
    public static String literal(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "CAST('" + value + "' AS DOUBLE)";
        }
        return "CAST(" + Double.toString(value) + " AS DOUBLE)";
    }

    /** Runs a statement that returns no rows. */
    public static void execute(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw error(e, sql);
        }
    }

    /** Maps a DuckDB failure to a user-facing error: DuckDB's own message says what and where. */
    public static LatheException error(SQLException e, String sql) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        String lower = message.toLowerCase(Locale.ROOT);
        ErrorCode code = ErrorCode.SQL_ERROR;
        if (lower.contains("catalog error") && lower.contains("table") && lower.contains("does not exist")) {
            code = ErrorCode.TABLE_NOT_FOUND;
        }
        return new LatheException(code, message, e);
    }
}
