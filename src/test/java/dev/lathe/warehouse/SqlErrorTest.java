package dev.lathe.warehouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading DuckDB's error messages: the driver's wrapper, the "LINE n:" excerpt and its caret. */
class SqlErrorTest {
    private static final String WRAPPED = """
            Invalid Input Error: Attempting to execute an unsuccessful or closed pending query result
            Error: Binder Error: Referenced column "zz" not found in FROM clause!
            Candidate bindings: "s"

            LINE 3: WHERE s = 'a' AND zz > 1
                                      ^""";

    @Test
    void theCaretUnderTheExcerptIsAnOffsetInTheSqlDuckDbRan() {
        String sql = "SELECT x\nFROM t\nWHERE s = 'a' AND zz > 1";
        assertThat(Sql.errorOffset(WRAPPED, sql)).hasValue(sql.indexOf("zz"));
        assertThat(Sql.errorOffset("Parser Error: syntax error at or near \"SELEC\"\n\nLINE 1: SELEC 2\n        ^", "SELEC 2")).hasValue(0);
        assertThat(Sql.errorOffset("Parser Error: syntax error at end of input", "SELECT 1 +")).isEmpty();
        assertThat(Sql.errorOffset(WRAPPED, "SELECT 1")).as("no such line").isEmpty();
    }

    /** Probe uc F2: a MAP of text keys looked up with a key column cannot take the bare subscript's array branch: say what can. */
    @Test
    void aMapLookupTheArraySubscriptCannotBindSaysWhatToWrite() throws Exception {
        // m[kk] as the rewriter writes it (DuckDbRewriterTest checks the form)
        String sql = "SELECT (CASE WHEN typeof(m) LIKE '%]' THEN (m)[nullif(greatest(TRY_CAST(CAST((kk) AS VARCHAR) AS BIGINT), -1), -1) + 1]"
                + " ELSE (m)[kk] END) AS x FROM (SELECT MAP {'k': 1} AS m, 'k' AS kk)";
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement statement = connection.createStatement()) {
            SQLException failure = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, () -> statement.executeQuery(sql));
            assertThat(Sql.error(failure, sql).getMessage()).contains("write map_extract_value(map, key)");
        }
    }

    /** Probe qa: a query past DuckDB's memory_limit exited 2 (bad input); cli.md says 5, resources exhausted. */
    @Test
    void runningOutOfMemoryIsResourceExhausted() throws Exception {
        try (java.sql.Connection connection = java.sql.DriverManager.getConnection("jdbc:duckdb:");
                java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET memory_limit = '20MB'");
            String sql = "SELECT count(*) FROM (SELECT x, count(*) FROM range(3000000) t(x) GROUP BY x ORDER BY x)";
            SQLException outOfMemory = org.assertj.core.api.Assertions.catchThrowableOfType(SQLException.class, () -> statement.executeQuery(sql));
            assertThat((Object) outOfMemory).isNotNull();
            assertThat(Sql.error(outOfMemory, sql).code()).isEqualTo(dev.lathe.core.ErrorCode.RESOURCE_EXHAUSTED);
        }
    }

    /** Probe pu: LOAD DATA on a full disk exited 2, as a bad statement; a full disk is exit 5. */
    @Test
    void aFullDiskIsResourceExhaustedNotTheStatementsFault() {
        SQLException full = new SQLException("IO Error: Could not write file \"/data/warehouse.duckdb\": No space left on device");
        assertThat(Sql.error(full, "LOAD DATA ...").code()).isEqualTo(dev.lathe.core.ErrorCode.RESOURCE_EXHAUSTED);
        assertThat(Sql.error(new SQLException("Parser Error: syntax error"), "SELEC").code()).isEqualTo(dev.lathe.core.ErrorCode.SQL_ERROR);
    }

    /** Probe ta F6: DuckDB's disk-full error named the file only; it now says which disk is full and what to do. */
    @Test
    void aFullDiskNamesTheFolderAndWhatToDo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path directory) {
        String wal = directory.resolve("warehouse.duckdb.wal").toString();
        dev.lathe.core.LatheException error = Sql.error(new SQLException("TransactionContext Error: Failed to commit: Could not write file \""
                + wal + "\": No space left on device"), "COMMIT");
        assertThat(error.getMessage()).startsWith("TransactionContext Error: Failed to commit: Could not write file")
                .contains("; the disk holding " + directory + " is full (").endsWith(" KB free): free space on it and run it again");
    }

    @Test
    void theCaretCountsDisplayColumnsWideCharactersTwoAndTabsNone() {
        // DuckDB 1.5's own messages: its caret stands at display columns
        String tabs = "SELECT\t\tnosuch";
        assertThat(Sql.errorOffset("Binder Error: x\nLINE 1: SELECT\t\tnosuch\n              ^", tabs)).hasValue(tabs.indexOf("nosuch"));
        String wide = "SELECT '日本' AS s, x FROM (SELECT 1 AS y)";
        assertThat(Sql.errorOffset("Binder Error: x\nLINE 1: " + wide + "\n                            ^", wide))
                .hasValue(wide.indexOf(", x") + 2);
        String accent = "SELECT 'é' AS s, nosuch";
        assertThat(Sql.errorOffset("Binder Error: x\nLINE 1: " + accent + "\n                         ^", accent))
                .hasValue(accent.indexOf("nosuch"));
    }

    @Test
    void aLongLinesWindowIsFoundInTheLine() {
        String sql = "SELECT " + "x, ".repeat(40) + "qq FROM t";
        String message = "Binder Error: Referenced column \"qq\" not found in FROM clause!\n\n"
                + "LINE 1: ..., x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, qq FROM t\n"
                + "                                                                         ^";
        assertThat(Sql.errorOffset(message, sql)).hasValue(sql.indexOf("qq"));
    }

    @Test
    void aLocatedErrorLosesTheWrapperAndTheExcerptAndNamesTheUsersPlace() {
        SQLException e = new SQLException(WRAPPED);
        String sql = "SELECT x\nFROM t\nWHERE s = 'a' AND zz > 1";
        assertThat(Sql.error(e, sql, offset -> Optional.of("line 9, column " + offset)).getMessage()).isEqualTo(
                "Binder Error: Referenced column \"zz\" not found in FROM clause! Candidate bindings: \"s\" (at line 9, column "
                        + sql.indexOf("zz") + ")");
        assertThat(Sql.error(e, sql).getMessage()).as("unlocated: DuckDB's excerpt stays")
                .startsWith("Binder Error: Referenced column \"zz\"").contains("LINE 3: WHERE s = 'a' AND zz > 1");
    }
}
