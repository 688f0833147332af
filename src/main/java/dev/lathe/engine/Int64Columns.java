package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.sql.ObjectName;
import dev.lathe.sql.Statement;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * BigQuery has one integer type, INT64, and fails a sum or product past it ("int64 overflow"); DuckDB sums BIGINTs into
 * HUGEINT (128 bits), so {@code CREATE TABLE d.t AS SELECT SUM(x) AS s ...} stored a HUGEINT column and a total past INT64
 * as a 128-bit number. A table created in a dataset has its HUGEINT, UHUGEINT and UBIGINT columns made BIGINT (INT64) in
 * the statement's own transaction: a value that does not fit fails the statement with BigQuery's overflow error naming the
 * column, and the statement leaves nothing behind (a replaced table stays as it was). DuckDB's narrower integers
 * (INTEGER, SMALLINT, ...) hold only INT64 values and are left alone: widening them would rewrite every such table.
 */
final class Int64Columns {
    private static final Pattern IF_NOT_EXISTS = Pattern.compile("(?i)^\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?TABLE\\s+IF\\s+NOT\\s+EXISTS\\b");

    private static final Pattern OUT_OF_RANGE = Pattern.compile("with value (-?\\d+) can't be cast because the value is out of range"
            + " for the destination type INT64");

    private Int64Columns() {}

    /**
     * The dataset table {@code query} creates ({@code CREATE [OR REPLACE] TABLE [IF NOT EXISTS] dataset.name ...}), whose
     * columns are narrowed after it runs; empty for any other statement, a view or a temporary table.
     */
    static Optional<ObjectName> createdTable(Statement.Query query) {
        return query.firstWord().equals("CREATE") && !query.createsView() ? query.createdRelation() : Optional.empty();
    }

    /**
     * Whether {@code CREATE TABLE IF NOT EXISTS table} will leave an existing table alone: its columns are then not the
     * statement's to change. Asked before the statement runs.
     */
    static boolean keepsExisting(Connection connection, Statement.Query query, ObjectName table) {
        return IF_NOT_EXISTS.matcher(query.sql()).lookingAt()
                && Warehouse.relationExists(connection, table.dataset().orElseGet(() -> Names.currentSchema(connection)), table.name());
    }

    /**
     * Makes each HUGEINT, UHUGEINT and UBIGINT column of {@code table} (just created by {@code query}, in the transaction
     * the caller commits or rolls back) BIGINT, failing with {@code int64 overflow} naming the first column and value that
     * does not fit.
     */
    static void narrow(Connection connection, ObjectName table, Statement.Query query) {
        String sql = """
                SELECT schema_name, table_name, column_name, data_type FROM duckdb_columns()
                WHERE database_name = current_database() AND lower(schema_name) = lower(coalesce($1, current_schema()))
                AND lower(table_name) = lower($2) AND data_type IN ('HUGEINT', 'UHUGEINT', 'UBIGINT')
                ORDER BY column_index
                """;
        List<String[]> wide = new ArrayList<>();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, table.dataset().orElse(null));
            statement.setString(2, table.name());
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    wide.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)});
                }
            }
        } catch (SQLException e) {
            throw LatheException.internal("Reading the column types of table " + table.name() + " failed: " + e.getMessage(), e);
        }
        for (String[] column : wide) {
            String qualified = Sql.quote(column[0]) + "." + Sql.quote(column[1]);
            try (java.sql.Statement alter = connection.createStatement()) {
                alter.execute("ALTER TABLE " + qualified + " ALTER COLUMN " + Sql.quote(column[2]) + " TYPE BIGINT");
            } catch (SQLException e) {
                Matcher value = OUT_OF_RANGE.matcher(String.valueOf(e.getMessage()));
                if (!value.find()) {
                    throw LatheException.internal("Making column " + column[2] + " of " + column[0] + "." + column[1] + " INT64 failed: "
                            + e.getMessage(), e);
                }
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "int64 overflow: column " + column[2] + " of " + column[0] + "." + column[1]
                        + " (created by the statement at " + query.position() + ") would hold " + value.group(1) + ", beyond " + Sql.INT64_RANGE
                        + " (DuckDB computes integer sums in 128 bits; the table's"
                        + " integers are INT64, as in BigQuery); nothing was created or replaced. CAST the value AS FLOAT64 or NUMERIC"
                        + " (e.g. SUM(CAST(x AS NUMERIC))) to keep a larger total", e);
            }
        }
    }
}
