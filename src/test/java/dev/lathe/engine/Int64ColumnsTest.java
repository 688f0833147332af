package dev.lathe.engine;

import static dev.lathe.testing.EngineValues.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A table's integers are INT64, as BigQuery's: DuckDB's SUM of INT64 is a 128-bit HUGEINT, which CREATE TABLE ... AS stored
 * as such, and a total past INT64 was kept where BigQuery fails with "int64 overflow" (probe wdialect item 4).
 */
class Int64ColumnsTest {
    @TempDir
    Path directory;

    private static final String PAST_INT64 = "SELECT 'b' AS k, SUM(x) AS big FROM UNNEST([9223372036854775807, 1]) AS x";

    @Test
    void aCreatedTablesSumIsInt64AndOneThatDoesNotFitFailsLeavingTheOldTable() {
        try (Engine engine = Lathe.open(directory)) {
            engine.execute("CREATE SCHEMA d; CREATE TABLE d.t AS SELECT SUM(x) AS s, SUM(CAST(x AS UBIGINT)) AS u, 'a' AS k"
                    + " FROM UNNEST([1, 2]) AS x", (text, result) -> {});
            assertThat(value(engine, "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY ordinal_position)"
                    + " FROM d.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 't'")).isEqualTo("s BIGINT, u BIGINT, k VARCHAR");
            assertThatThrownBy(() -> engine.execute("CREATE OR REPLACE TABLE d.t AS " + PAST_INT64, (text, result) -> {}))
                    .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageStartingWith("int64 overflow: column big of d.t (created by the statement at line 1, column 1) would hold"
                            + " 9223372036854775808, beyond INT64's range [-9223372036854775808, 9223372036854775807]");
            assertThat(value(engine, "SELECT s || k FROM d.t")).isEqualTo("3a"); // the replaced table as it was
            assertThatThrownBy(() -> engine.execute("CREATE TABLE d.n AS " + PAST_INT64, (text, result) -> {}))
                    .hasMessageStartingWith("int64 overflow: column big of d.n");
            assertThat(value(engine, "SELECT count(*) FROM d.INFORMATION_SCHEMA.TABLES WHERE table_name = 'n'")).isEqualTo(0L);
        }
    }

    @Test
    void insideATransactionAndWithIfNotExists() {
        try (Engine engine = Lathe.open(directory)) {
            engine.execute("CREATE SCHEMA d; BEGIN; CREATE TABLE d.w AS SELECT SUM(x) AS s FROM UNNEST([1]) AS x; COMMIT",
                    (text, result) -> {});
            assertThat(value(engine, "SELECT data_type FROM d.INFORMATION_SCHEMA.COLUMNS WHERE table_name = 'w'")).isEqualTo("BIGINT");
            engine.execute("CREATE TABLE IF NOT EXISTS d.w AS " + PAST_INT64, (text, result) -> {}); // exists: left alone
            assertThat(value(engine, "SELECT s FROM d.w")).isEqualTo(1L);
            // an INT64 column takes an INSERT's 128-bit total only where it fits, saying why as BigQuery would
            assertThatThrownBy(() -> engine.execute("INSERT INTO d.w SELECT SUM(x) FROM UNNEST([9223372036854775807, 1]) AS x",
                    (text, result) -> {}))
                    .hasMessageContaining("Type INT128 with value 9223372036854775808 can't be cast")
                    .hasMessageContaining("; int64 overflow: the value is beyond INT64's range");
            assertThat(value(engine, "SELECT count(*) FROM d.w")).isEqualTo(1L);
        }
    }

    @Test
    void aResultsSumPastInt64FailsAsBigQuerysDoes() {
        try (Engine engine = Lathe.open(directory)) {
            assertThatThrownBy(() -> engine.execute("SELECT 1 AS one, SUM(x) AS s FROM UNNEST([9223372036854775807, 1]) AS x",
                    (text, result) -> {
                        java.sql.ResultSet rows = ((Result.Rows) result).rows();
                        rows.next();
                        dev.lathe.warehouse.JdbcValues.reader(rows).value(2); // as the CLI and /v1/queries read it
                    }))
                    .hasMessageStartingWith("int64 overflow: column s of the result holds 9223372036854775808");
            assertThat(value(engine, "SELECT SUM(x) FROM UNNEST([9223372036854775807, -1]) AS x")) // a HUGEINT that fits
                    .isEqualTo(new java.math.BigInteger("9223372036854775806"));
        }
    }
}
