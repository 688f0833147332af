package dev.lathe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.options.Position;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DuckDbRewriterTest {
    /** Asks this test's DuckDB which tables exist, as the engine asks the warehouse (an array path or a table). */
    private final Parser parser = TestFunctions.parser()
            .withCatalog((dataset, name) -> dev.lathe.warehouse.Warehouse.relationExists(this.connection, dataset, name));
    private Connection connection;

    @BeforeEach
    void openDuckDb() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("SET TimeZone = 'UTC'"); // as the warehouse runs (Warehouse.open), whatever the host's zone
            statement.execute("CREATE SCHEMA census");
            statement.execute("CREATE TABLE census.other (x INTEGER)");
            statement.execute("CREATE SCHEMA elsewhere");
            statement.execute("CREATE TABLE elsewhere.hidden (x INTEGER)");
            statement.execute("CREATE TABLE census.input_data AS SELECT * FROM (VALUES (1, 'a', 'training'), (2, 'b', 'evaluation'), "
                    + "(3, 'c', 'training')) AS v(age, workclass, dataframe)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private String sql(String bigQuery) {
        return ((Statement.Query) parser.parse(bigQuery)).sql();
    }

    private List<List<Object>> rows(String duckDbSql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (java.sql.Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(duckDbSql)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<Object> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getObject(i));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private List<String> columnNames(String duckDbSql) throws SQLException {
        List<String> names = new ArrayList<>();
        try (java.sql.Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(duckDbSql)) {
            for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                names.add(result.getMetaData().getColumnName(i));
            }
        }
        return names;
    }

    @Test
    void leavesPlainSqlByteForByte() {
        String text = "SELECT a ,  b\n  FROM t -- note\n WHERE x IN ( 1,2 ) AND y = 'it''s'";
        assertThat(sql(text)).isEqualTo(text);
    }

    @Test
    void rewritesBacktickNamesDroppingTheProject() {
        assertThat(sql("SELECT * FROM `my-project.census.input_data`")).isEqualTo("SELECT * FROM \"census\".\"input_data\"");
        assertThat(sql("SELECT `age` FROM `census.input_data`")).isEqualTo("SELECT \"age\" FROM \"census\".\"input_data\"");
        // The project in backticks of its own, or with the dataset, in every relation place; CREATE SCHEMA `project.dataset`.
        for (String name : List.of("`my-proj`.census.input_data", "`my-proj`.`census`.`input_data`", "`my-proj.census`.input_data")) {
            assertThat(sql("SELECT * FROM " + name + " JOIN " + name + " AS b USING (age)"))
                    .isEqualTo("SELECT * FROM \"census\".\"input_data\" JOIN \"census\".\"input_data\" AS b USING (age)");
        }
        assertThat(sql("CREATE SCHEMA IF NOT EXISTS `my-proj.census2`")).isEqualTo("CREATE SCHEMA IF NOT EXISTS \"census2\"");
        assertThat(sql("DROP SCHEMA `my-proj`.census2")).isEqualTo("DROP SCHEMA \"census2\"");
        // Not a relation's place: a struct field path keeps every part.
        assertThat(sql("SELECT `t`.s.a FROM t")).isEqualTo("SELECT \"t\".s.a FROM t");
    }

    /** Probe pv: `a.INFORMATION_SCHEMA.TABLES` listed every dataset's tables, and a.INFORMATION_SCHEMA.TABLES named a catalog a. */
    @Test
    void aDatasetsInformationSchemaViewsHoldItsOwnRowsOnly() throws SQLException {
        for (String name : List.of("census.INFORMATION_SCHEMA.TABLES", "`census.INFORMATION_SCHEMA.TABLES`", "`my-proj`.census.information_schema.tables",
                "`census`.INFORMATION_SCHEMA.TABLES")) {
            assertThat(rows(sql("SELECT table_schema, table_name FROM " + name + " ORDER BY 2"))).as(name)
                    .containsExactly(List.of("census", "input_data"), List.of("census", "other"));
        }
        // a region qualifier is every dataset's, as in BigQuery (probe pw: it filtered on a dataset named region-us)
        assertThat(rows(sql("SELECT DISTINCT table_schema FROM `region-us`.INFORMATION_SCHEMA.TABLES ORDER BY 1")))
                .containsExactly(List.of("census"), List.of("elsewhere"));
        assertThat(rows(sql("SELECT t.table_name FROM census.INFORMATION_SCHEMA.TABLES t WHERE t.table_name = 'other'")))
                .containsExactly(List.of("other"));
        assertThat(rows(sql("SELECT TABLES.table_name FROM census.INFORMATION_SCHEMA.TABLES WHERE table_name = 'other'")))
                .containsExactly(List.of("other"));
        assertThat(rows(sql("SELECT DISTINCT table_name FROM `census.INFORMATION_SCHEMA.COLUMNS` AS c JOIN census.INFORMATION_SCHEMA.TABLES"
                + " USING (table_name) ORDER BY 1"))).containsExactly(List.of("input_data"), List.of("other"));
    }

    /** Probe pv: ARRAY<T> and STRUCT<...> were parser errors in every position. */
    @Test
    void parameterizedTypesAndTypedConstructors() throws SQLException {
        assertThat(sql("SELECT CAST(NULL AS ARRAY<INT64>) AS a")).isEqualTo("SELECT CAST(NULL AS INT64[]) AS a");
        assertThat(sql("CREATE TABLE t (p ARRAY<STRUCT<label STRING, prob FLOAT64>>, n NUMERIC(10, 2), s STRUCT<x BYTES, y ARRAY<DATE>>)"))
                .isEqualTo("CREATE TABLE t (p STRUCT(label STRING, prob DOUBLE)[], n NUMERIC(10, 2), s STRUCT(x BLOB, y DATE[]))");
        List<Object> row = rows(sql("SELECT CAST(STRUCT<x INT64, y STRING>(1, 'a') AS VARCHAR), CAST(ARRAY<FLOAT64>[1, 2] AS VARCHAR),"
                + " typeof(ARRAY<INT64>[1]), typeof(CAST(NULL AS STRUCT<INT64, STRING>)), 1 < 2 AND 3 > 2")).get(0);
        assertThat(row).containsExactly("{'x': 1, 'y': a}", "[1.0, 2.0]", "BIGINT[]", "STRUCT(_field_1 BIGINT, _field_2 VARCHAR)", true);
        assertThat(sql("CREATE TABLE census.typed (a INT64, h BYTES, big BIGNUMERIC)"))
                .isEqualTo("CREATE TABLE census.typed (a INT64, h BLOB, big DECIMAL(38, 9))");
        assertThat(sql("SELECT x, a bytes FROM t")).isEqualTo("SELECT x, a bytes FROM t"); // an alias named bytes stays
        assertThat(sql("CREATE TABLE t (a BIGNUMERIC(20, 2))")).isEqualTo("CREATE TABLE t (a DECIMAL(20, 2))");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sql("CREATE TABLE t (a BIGNUMERIC(40, 2))"))
                .hasMessageContaining("at most 38");
        // a DuckDB column named struct compared both ways (probe pw: taken for STRUCT<...>)
        for (String duckDb : List.of("SELECT y FROM t WHERE struct < 5 AND y > 3", "SELECT y, struct<3 AS lt, y>1 AS gt FROM t")) {
            assertThat(sql(duckDb)).as(duckDb).isEqualTo(duckDb);
        }
        assertThat(sql("SELECT CAST(x AS STRUCT<a NUMERIC(10, 2), b ARRAY<STRING>>) FROM t"))
                .isEqualTo("SELECT CAST(x AS STRUCT(a DECIMAL(10,2), b STRING[])) AS f0_ FROM t");
    }

    /** Probe rf: a NUMERIC column or parameter, and DECIMAL anywhere, kept DuckDB's 3 decimals; BIGNUMERIC casts failed. */
    @Test
    void decimalTypesKeepBigQuerysNineDecimals() throws SQLException {
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql("CREATE TABLE census.n (n NUMERIC, d DECIMAL, bd BIGDECIMAL, p NUMERIC(10, 2), q DECIMAL(5, 1),"
                    + " r BIGDECIMAL(20, 4))"));
            statement.execute(sql("INSERT INTO census.n VALUES (NUMERIC '1.123456789', NUMERIC '2.123456789', BIGNUMERIC '3.123456789',"
                    + " 1.126, 1.26, 1.12345)"));
            statement.execute(sql("CREATE TEMP FUNCTION plus(x NUMERIC, y DECIMAL(10, 2), z DECIMAL) AS (x + z)"));
        }
        assertThat(rows("SELECT CAST(n AS VARCHAR), CAST(d AS VARCHAR), CAST(bd AS VARCHAR), CAST(p AS VARCHAR), CAST(q AS VARCHAR),"
                + " CAST(r AS VARCHAR) FROM census.n")).containsExactly(List.of("1.123456789", "2.123456789", "3.123456789", "1.13",
                "1.3", "1.1235"));
        List<Object> row = rows(sql("SELECT CAST(plus(NUMERIC '1.000000001', 0, NUMERIC '0.000000002') AS STRING),"
                + " CAST(CAST(1.123456789 AS DECIMAL) AS STRING), CAST(CAST('2.5' AS BIGNUMERIC) AS STRING), typeof(BIGNUMERIC '2.5'),"
                + " CAST(SAFE_CAST('1.000000005' AS BIGDECIMAL) AS STRING), typeof(CAST(NULL AS ARRAY<DECIMAL>)),"
                + " typeof(CAST(1 AS DECIMAL(10, 2)))")).get(0);
        assertThat(row).containsExactly("1.000000003", "1.123456789", "2.500000000", "DECIMAL(38,9)", "1.000000005",
                "DECIMAL(38,9)[]", "DECIMAL(10,2)");
        // a column or alias named like the types stays a name
        assertThat(sql("SELECT decimal, x AS bignumeric FROM t")).isEqualTo("SELECT decimal, x AS bignumeric FROM t");
    }

    /** Probe pv: SELECT AS STRUCT and SELECT AS VALUE were parser errors. */
    @Test
    void selectAsStructAndAsValue() throws SQLException {
        assertThat(rows(sql("SELECT CAST(ARRAY(SELECT AS STRUCT age, workclass AS w FROM census.input_data WHERE age < 3 ORDER BY age) AS VARCHAR)")))
                .containsExactly(List.of("[{'age': 1, 'w': a}, {'age': 2, 'w': b}]"));
        assertThat(rows(sql("SELECT CAST(s AS VARCHAR) FROM (SELECT AS STRUCT 1 AS a, 'x' AS b) AS t(s)"))).containsExactly(List.of("{'a': 1, 'b': x}"));
        assertThat(rows(sql("SELECT AS VALUE age FROM census.input_data WHERE age = 3"))).containsExactly(List.of(3));
        // DISTINCT and ALL, implicit aliases, anonymous fields (probe pw)
        assertThat(rows(sql("SELECT CAST(s AS VARCHAR) FROM (SELECT DISTINCT AS STRUCT workclass w, age - age + 1, input_data.dataframe"
                + " FROM census.input_data WHERE age < 3) AS q(s) ORDER BY 1"))).containsExactly(
                List.of("{'w': a, '_field_2': 1, 'dataframe': training}"), List.of("{'w': b, '_field_2': 1, 'dataframe': evaluation}"));
        assertThat(rows(sql("SELECT count(*) FROM (SELECT ALL AS STRUCT age FROM census.input_data)"))).containsExactly(List.of(3L));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sql("SELECT AS STRUCT * FROM census.input_data"))
                .hasMessageContaining("SELECT AS STRUCT * is not supported").hasMessageContaining("column 18");
    }

    /** Probe pv: BigQuery DDL and DML forms DuckDB called syntax errors. */
    @Test
    void bigQueryTableClausesAndOptionalIntoAndFrom() throws SQLException {
        String created = sql("CREATE OR REPLACE TABLE census.parts PARTITION BY DATE(ts) CLUSTER BY x, y OPTIONS (description = 'a (b)')"
                + " AS SELECT TIMESTAMP '2024-01-01 00:00:00' AS ts, 1 AS x, 2 AS y");
        assertThat(created).doesNotContain("PARTITION").doesNotContain("CLUSTER").doesNotContain("OPTIONS");
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(created);
            statement.execute(sql("CREATE TABLE census.t2 (a INT64, b STRING) OPTIONS (description = 'x')"));
            statement.execute(sql("INSERT census.t2 VALUES (1, 'a'), (2, 'b')"));
            statement.execute(sql("MERGE census.t2 T USING (SELECT 1 AS a) S ON T.a = S.a WHEN MATCHED THEN DELETE"));
            statement.execute(sql("DELETE census.t2 WHERE a = 3"));
        }
        assertThat(rows("SELECT a FROM census.t2")).containsExactly(List.of(2L));
        assertThat(rows("SELECT x FROM census.parts")).containsExactly(List.of(1));
        // window clauses and INSERT OR REPLACE keep theirs
        assertThat(sql("SELECT sum(x) OVER (PARTITION BY y) FROM t")).isEqualTo("SELECT sum(x) OVER (PARTITION BY y) AS f0_ FROM t");
        assertThat(sql("INSERT OR REPLACE INTO t VALUES (1)")).isEqualTo("INSERT OR REPLACE INTO t VALUES (1)");
    }

    @Test
    void rewritesStarExceptToExcludeAndDuckDbRunsIt() throws SQLException {
        String rewritten = sql("SELECT * EXCEPT(dataframe) FROM `p.census.input_data` WHERE dataframe = \"training\" ORDER BY age");
        assertThat(rewritten).isEqualTo("SELECT * EXCLUDE(dataframe) FROM \"census\".\"input_data\" WHERE dataframe = 'training' ORDER BY age");
        assertThat(rows(rewritten)).containsExactly(List.of(1, "a"), List.of(3, "c"));
    }

    @Test
    void rewritesOffsetAndOrdinalSubscriptsAndDuckDbRunsThem() throws SQLException {
        String rewritten = sql("SELECT x[SAFE_OFFSET(5)] AS c, x[ SAFE_ORDINAL ( 1 + 2 ) ] AS d, x[1] AS f, x[1:2] AS g FROM (SELECT [1, 2, 3] AS x)");
        assertThat(rewritten).isEqualTo("SELECT x[(5) + 1] AS c, x[nullif(greatest(( 1 + 2 ), 0), 0)] AS d,"
                + " (CASE WHEN typeof(x) LIKE '%]' THEN (x)[nullif(greatest(TRY_CAST(CAST((1) AS VARCHAR) AS BIGINT), -1), -1) + 1]"
                + " WHEN typeof(x) = 'VARCHAR' THEN error('the subscript at line 1, column 67 is of a STRING, which has none in BigQuery:"
                + " it takes an ARRAY or JSON (PARSE_JSON(s)[i] reads JSON text, SUBSTR(s, i + 1, 1) takes a character)')"
                + " ELSE (x)[1] END) AS f, x[1:2] AS g FROM (SELECT [1, 2, 3] AS x)");
        List<Object> row = rows(rewritten).get(0);
        assertThat(row.subList(0, 3)).containsExactly(null, 3, 2); // SAFE_OFFSET out of range: NULL; x[1] is x[OFFSET(1)]
        assertThat(row.get(3).toString()).isEqualTo("[1, 2]");
        assertThat(rows(sql("SELECT x[OFFSET(0)] AS a, x[ordinal(2)] AS b, [10, 20, 30][OFFSET(x[OFFSET(0)])] AS e, [[1, 2], [3, 4]][OFFSET(1)][ORDINAL(2)],"
                + " n[OFFSET(-1)], x[OFFSET(NULL)] FROM (SELECT [1, 2, 3] AS x, CAST(NULL AS ARRAY<INT64>) AS n)")))
                .containsExactly(java.util.Arrays.asList(1, 2, 20, 4, null, null));
        // a negative position is out of range, NULL, where DuckDB counts it from the end (probe rf: SAFE_OFFSET(-2) gave 30), and so is
        // one past INT64's last (probe: SAFE_OFFSET(9223372036854775807) was DuckDB's "Overflow in addition of INT64")
        assertThat(rows(sql("SELECT a[SAFE_OFFSET(-2)], a[SAFE_ORDINAL(-1)], a[SAFE_OFFSET(i)], a[SAFE_ORDINAL(i + 2)], a[OFFSET(i + 3)],"
                + " a[SAFE_OFFSET(NULL)], a[SAFE_OFFSET(9223372036854775807)], a[SAFE_ORDINAL(9223372036854775807)], a[SAFE_OFFSET(big)],"
                + " a[SAFE_OFFSET(-big - 1)] FROM (SELECT [10, 20, 30] AS a, -1 AS i, 9223372036854775807 AS big)")))
                .containsExactly(java.util.Arrays.asList(null, null, null, 10, 30, null, null, null, null, null));
        // OFFSET and ORDINAL out of range fail as BigQuery's do (they gave NULL)
        for (String subscript : List.of("OFFSET(3)", "ORDINAL(4)", "OFFSET(9223372036854775807)", "OFFSET(i)")) {
            assertThatThrownBy(() -> rows(sql("SELECT a[" + subscript + "] FROM (SELECT [10, 20, 30] AS a, 5 AS i)"))).as(subscript)
                    .hasMessageMatching("(?s).*Array index \\d+ is out of bounds \\(overflow\\).*");
        }
        for (String subscript : List.of("OFFSET(-1)", "ORDINAL(0)", "OFFSET(-9223372036854775807 - 1)")) {
            assertThatThrownBy(() -> rows(sql("SELECT a[" + subscript + "] FROM (SELECT [10, 20, 30] AS a)"))).as(subscript)
                    .hasMessageMatching("(?s).*Array index -?\\d+ is out of bounds \\(underflow\\).*");
        }
        // A column named offset, and OFFSET as a clause, are left alone.
        assertThat(sql("SELECT offset FROM t LIMIT 1 OFFSET 2")).isEqualTo("SELECT offset FROM t LIMIT 1 OFFSET 2");
    }

    @Test
    void aBareSubscriptCountsFromZeroAsBigQuerysDoesForArraysAndJsonAndLeavesMapsAndSlicesAlone() throws SQLException {
        // BigQuery's a[i] is a[OFFSET(i)]; DuckDB's list subscript counts from 1, so [10, 20, 30][0] was NULL and a[1] was 10
        List<Object> row = rows(sql("""
                SELECT [10, 20, 30][0], [10, 20, 30][2], [10, 20, 30][3], [10, 20, 30][-1], ARRAY[7, 8][1], a[i], a[i + 1], aa[1][0],
                  aa[OFFSET(1)][1], s.y[1], CAST(j[0] AS VARCHAR), CAST(j[1] AS VARCHAR), m[1], CAST(a[1:2] AS VARCHAR),
                  SPLIT('a b c', ' ')[1], (SELECT [4, 5])[0]
                FROM (SELECT [1, 2, 3] AS a, 1 AS i, [[1, 2], [3, 4]] AS aa, STRUCT(1 AS x, [4, 5] AS y) AS s, JSON '[5, 6]' AS j,
                  MAP {1: 'a', 2: 'b'} AS m)""")).get(0);
        assertThat(row).containsExactly(10, 30, null, null, 8, 2, 3, 3, 4, 5, "5", "6", "a", "[1, 2]", "b", 4);
        assertThat(rows(sql("SELECT ARRAY_AGG(x ORDER BY x DESC)[0] FROM UNNEST([3, 1, 2]) AS x")).get(0)).containsExactly(3);
        // a column is named as the subscript was written, not after its rewriting; in the result, as BigQuery names it (f0_)
        assertThat(columnNames(sql("SELECT * FROM (SELECT a[0], a[OFFSET(1)], a[0] + 1 AS b, a [ 1 ] FROM (SELECT [1, 2] AS a))")))
                .containsExactly("a[0]", "a[OFFSET(1)]", "b", "a [ 1 ]");
        assertThat(columnNames(sql("SELECT a[0], a[OFFSET(1)], a[0] + 1 AS b, a [ 1 ] FROM (SELECT [1, 2] AS a)"))).containsExactly("f0_", "f1_", "b", "f2_");
        // probe uc F2: a JSON or MAP key held in a column (text, a date) failed to bind the list's index arithmetic
        assertThat(rows(sql("SELECT CAST(j[ja] AS VARCHAR), CAST(j[ja][i] AS VARCHAR), m[i] FROM (SELECT JSON"
                + " '{\"a\": [5, 6]}' AS j, 'a' AS ja, 1 AS i, MAP {1: 'one', 2: 'two'} AS m)")).get(0))
                .containsExactly("[5,6]", "6", "one");
        // a STRING has no subscript in BigQuery; DuckDB's took a character ('hello'[i + 1] was 'e')
        assertThatThrownBy(() -> rows(sql("SELECT s[i + 1] FROM (SELECT 'hello' AS s, 1 AS i)"))).hasMessageContaining("the subscript at"
                + " line 1, column 9 is of a STRING, which has none in BigQuery: it takes an ARRAY or JSON");
        // probe uc F4: after a column named like a keyword, ARRAY(SELECT ...) and CASE ... END the subscript kept DuckDB's 1-based
        // meaning (NULL for [0])
        assertThat(rows(sql("SELECT returns[0], k.values[0], k.offset[i], ARRAY(SELECT v FROM UNNEST(returns) v ORDER BY v DESC)[0],"
                + " ARRAY(SELECT v FROM UNNEST([10, 20, 30]) v)[1], CASE WHEN i = 0 THEN [1, 2] ELSE [3] END[0],"
                + " CASE WHEN i = 0 THEN [CASE WHEN TRUE THEN [5] END[0], 6] END[1] FROM (SELECT [1, 2, 3] AS returns,"
                + " [4, 5, 6] AS \"values\", [7, 8, 9] AS \"offset\", 0 AS i) k")).get(0))
                .containsExactly(1, 4, 7, 3, 20, 1, 6);
        // probe uc F7: a field of a subscripted STRUCT is named after the field, not the rewritten text
        assertThat(columnNames(sql("SELECT s[0].x, s[0].x AS q FROM (SELECT [STRUCT(1 AS x)] AS s)"))).containsExactly("x", "q");
        // probe vr 2: with OFFSET, ORDINAL and SAFE_OFFSET, the column was named by the rewrite (the out-of-range CASE)
        String structs = " FROM (SELECT [STRUCT(1 AS x, STRUCT(2 AS z) AS y)] AS s)";
        assertThat(columnNames(sql("SELECT s[OFFSET(0)].x, s[ORDINAL(1)].y.z, s[SAFE_OFFSET(0)].x AS q, s[SAFE_ORDINAL(1)].x" + structs)))
                .containsExactly("x", "z", "q", "x");
        assertThat(rows(sql("SELECT s[OFFSET(0)].x, s[ORDINAL(1)].y.z" + structs)).get(0)).containsExactly(1, 2);
        assertThat(columnNames(sql("SELECT * FROM (SELECT s[OFFSET(0)].x, s[OFFSET(0)], s[SAFE_OFFSET(0)]" + structs + ")")))
                .containsExactly("x", "s[OFFSET(0)]", "s[SAFE_OFFSET(0)]");
        assertThat(columnNames(sql("SELECT s[OFFSET(0)], s[OFFSET(0)].x, s[SAFE_ORDINAL(1)]" + structs))).containsExactly("f0_", "x", "f1_");
        // STRUCT's fields without a name or a column are anonymous, _field_N (STRUCT(3, 4) was DuckDB's binder error)
        assertThat(rows(sql("SELECT CAST(STRUCT(3, 4) AS VARCHAR), CAST(STRUCT(3 AS a, 4, t.b) AS VARCHAR) FROM (SELECT 5 AS b) t")).get(0))
                .containsExactly("{'_field_1': 3, '_field_2': 4}", "{'a': 3, '_field_2': 4, 'b': 5}");
        // probe uc F6: TRUE, NULL and CURRENT_DATE are values, not columns naming their field
        assertThat(rows(sql("SELECT CAST(STRUCT(TRUE, NULL, FALSE) AS VARCHAR), CAST(STRUCT(CURRENT_DATE) AS VARCHAR) LIKE '{''_field_1'': %'"))
                .get(0)).containsExactly("{'_field_1': true, '_field_2': NULL, '_field_3': false}", true);
    }

    @Test
    void googleSqlFunctionsDuckDbLacksRunWithBigQuerysAnswers() throws SQLException {
        List<Object> row = rows(sql("""
                SELECT CAST(1 AS FLOAT64), CAST('1.23456' AS NUMERIC), SAFE_CAST('x' AS INT64), SAFE_CAST('2.5' AS FLOAT64),
                  SAFE_DIVIDE(1, 0), SAFE_DIVIDE(6, 4), DIV(-7, 2), REGEXP_CONTAINS('abc', r'b.'),
                  DATE_DIFF(DATE '2018-01-01', DATE '2017-12-31', YEAR), DATE_DIFF(DATE '2024-03-01', DATE '2024-01-31', MONTH),
                  TIMESTAMP_DIFF(TIMESTAMP '2024-01-01 11:01:00', TIMESTAMP '2024-01-01 10:59:00', HOUR),
                  TIMESTAMP_DIFF(TIMESTAMP '2024-01-01 11:01:00', TIMESTAMP '2024-01-01 10:59:00', MINUTE),
                  FORMAT_DATE('%Y-%m', DATE '2024-01-05'), CAST(PARSE_DATE('%Y%m%d', '20240105') AS VARCHAR),
                  UNIX_SECONDS(TIMESTAMP_SECONDS(86401)), UNIX_MILLIS(TIMESTAMP_MILLIS(1500)), UNIX_MICROS(TIMESTAMP_MICROS(7)),
                  date_diff('day', DATE '2024-01-01', DATE '2024-01-10')""")).get(0);
        assertThat(row).containsExactly(1.0, new java.math.BigDecimal("1.234560000"), null, 2.5, null, 1.5, -3, true, 1L, 2L, 0L, 2L,
                "2024-01", "2024-01-05", 86401L, 1500L, 7L, 9L);
        List<Object> aggregates = rows(sql("SELECT APPROX_QUANTILES(x, 2)[OFFSET(1)], LOGICAL_AND(x > 0), LOGICAL_OR(x > 2)"
                + " FROM (SELECT range AS x FROM range(1, 4))")).get(0);
        assertThat(aggregates).containsExactly(2L, true, true);
        // BigQuery's APPROX_TOP_COUNT reference examples: counts, NULL counted as a value (probe pv: no such function)
        assertThat(rows(sql("SELECT CAST(APPROX_TOP_COUNT(x, 2) AS VARCHAR) FROM UNNEST(['apple', 'apple', 'pear', 'pear', 'pear',"
                + " 'banana']) AS x"))).containsExactly(List.of("[{'value': pear, 'count': 3}, {'value': apple, 'count': 2}]"));
        assertThat(rows(sql("SELECT CAST(APPROX_TOP_COUNT(x, 2) AS VARCHAR) FROM UNNEST([NULL, 'pear', 'pear', 'pear', 'apple', NULL])"
                + " AS x"))).containsExactly(List.of("[{'value': pear, 'count': 3}, {'value': NULL, 'count': 2}]"));
        for (String bad : List.of("SELECT APPROX_QUANTILES(x, 0) FROM t", "SELECT APPROX_TOP_COUNT(x, n) FROM t")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> sql(bad)).as(bad).hasMessageContaining("takes a column and a literal number")
                    .hasMessageContaining("at line 1, column 8");
        }
        // values of the input, as BigQuery's reference example gives them (DuckDB's approx_quantile interpolated; probe pv)
        assertThat(rows(sql("SELECT CAST(APPROX_QUANTILES(x, 2) AS VARCHAR), CAST(APPROX_QUANTILES(y, 4) AS VARCHAR) FROM (SELECT"
                + " unnest([1, 1, 1, 4, 5, 6, 7, 8, 9, 10]) AS x, unnest([2.5, 7.25, 1.0, 9.5, 3.0, 8.0, 4.0, 6.0, 5.0, 10.0]) AS y)")).get(0))
                .containsExactly("[1, 5, 10]", "[1.0, 3.0, 5.0, 8.0, 10.0]");
        List<Object> arrays = rows(sql("SELECT CAST(GENERATE_ARRAY(1, 5) AS VARCHAR), CAST(GENERATE_ARRAY(0.1, 0.9, 0.4) AS VARCHAR),"
                + " CAST(GENERATE_ARRAY(10, 5, -2) AS VARCHAR), CAST(GENERATE_ARRAY(1, 5, -1) AS VARCHAR),"
                + " CAST(GENERATE_DATE_ARRAY(DATE '2024-01-30', DATE '2024-02-01') AS VARCHAR),"
                + " CAST(GENERATE_DATE_ARRAY('2024-01-01', '2024-03-01', INTERVAL 1 MONTH) AS VARCHAR)")).get(0);
        assertThat(arrays).containsExactly("[1, 2, 3, 4, 5]", "[0.1, 0.5, 0.9]", "[10, 8, 6]", "[]",
                "[2024-01-30, 2024-01-31, 2024-02-01]", "[2024-01-01, 2024-02-01, 2024-03-01]");
        assertThat(sql("SELECT STRUCT(1 AS a, x) FROM t")).isEqualTo("SELECT struct_pack(\"a\" := 1, x) AS f0_ FROM t");
        List<Object> structs = rows(sql("SELECT CAST(STRUCT(1 AS a, 'x' AS `b b`) AS VARCHAR), STRUCT(2 AS a).a,"
                + " CAST(STRUCT(STRUCT(age AS inner) AS o, workclass) AS VARCHAR) FROM census.input_data WHERE age = 1")).get(0);
        assertThat(structs).containsExactly("{'a': 1, 'b b': x}", 2, "{'o': {'inner': 1}, 'workclass': a}");
        List<Object> more = rows(sql("""
                SELECT CURRENT_TIMESTAMP() IS NOT NULL, RAND() < 1, IEEE_DIVIDE(1, 0), TO_JSON_STRING(STRUCT(1 AS a)),
                  JSON_EXTRACT_SCALAR('{"a": {"b": 1}, "c": "x"}', '$.a'), JSON_EXTRACT_SCALAR('{"a": {"b": 1}, "c": "x"}', '$.c'),
                  JSON_QUERY('{"a": {"b": 1}}', '$.a'), CAST(SPLIT('a,b') AS VARCHAR), FORMAT('%d-%s', 3, 'x'), format('{}-{}', 1, 2),
                  CAST(DATE_ADD(DATE '2024-01-31', INTERVAL 1 MONTH) AS VARCHAR), CAST(DATE_SUB(DATE '2024-03-01', INTERVAL 1 DAY) AS VARCHAR),
                  CAST(TIMESTAMP_ADD(TIMESTAMP '2024-01-10 00:00:00', INTERVAL 2 HOUR) AS VARCHAR),
                  CAST(DATETIME_SUB(DATETIME '2024-01-10 00:00:00', INTERVAL 1 MINUTE) AS VARCHAR),
                  CAST(DATE_TRUNC(DATE '2024-05-05', MONTH) AS VARCHAR), CAST(TIMESTAMP_TRUNC(TIMESTAMP '2024-05-05 10:11:12', HOUR) AS VARCHAR)""")).get(0);
        assertThat(more).containsExactly(true, true, Double.POSITIVE_INFINITY, "{\"a\":1}", null, "x", "{\"b\":1}", "[a, b]", "3-x", "1-2",
                "2024-02-29", "2024-02-29", "2024-01-10 02:00:00", "2024-01-09 23:59:00", "2024-05-01", "2024-05-05 10:00:00");
        // %s prints any type as its text, as BigQuery's does (probe rf: "Invalid type specifier" for a number)
        assertThat(rows(sql("SELECT FORMAT('%s', 10), FORMAT('%d%%-%s|%5s|%-4s|', 3, 1.5, true, n), FORMAT('%s', DATE '2024-01-05'),"
                + " FORMAT('%.2f %s', 1.5, [1, 2]), FORMAT('%s', s) FROM (SELECT 7 AS n, 'a' AS s)")))
                .containsExactly(List.of("10", "3%-1.5| true|7   |", "2024-01-05", "1.50 [1, 2]", "a"));
        List<Object> safe = rows(sql("SELECT SAFE.PARSE_DATE('%Y%m%d', 'nope'), CAST(SAFE.PARSE_DATE('%Y%m%d', '20240105') AS VARCHAR),"
                + " SAFE.LOG(-1, 10), safe.sqrt(4)")).get(0);
        assertThat(safe).containsExactly(null, "2024-01-05", null, 2.0);
        // DuckDB's own spellings, qualified names and other forms are left as written.
        assertThat(sql("SELECT date_diff('day', a, b), s.safe_divide(1, 2), SAFE_DIVIDE(1) FROM t"))
                .isEqualTo("SELECT date_diff('day', a, b) AS f0_, s.safe_divide(1, 2) AS f1_, SAFE_DIVIDE(1) AS f2_ FROM t");
        assertThat(sql("SELECT x AS numeric FROM t")).isEqualTo("SELECT x AS numeric FROM t");
        assertThat(sql("SELECT CAST([1] AS FLOAT64[]), x::FLOAT64 FROM t")).isEqualTo("SELECT CAST([1] AS DOUBLE[]) AS f0_, x::DOUBLE AS f1_ FROM t");
        // only the type: an alias or a column named float64 stays a name (probe rf: SELECT 1 AS float64 named its column DOUBLE)
        assertThat(sql("SELECT 1 AS float64, x FLOAT64, a, float64 + 1, (SELECT y, z float64 FROM u) FROM (SELECT 2 AS float64) WHERE float64 > 0"))
                .isEqualTo("SELECT 1 AS float64, x FLOAT64, a, float64 + 1 AS f0_, (SELECT y, z float64 FROM u) AS f1_ FROM (SELECT 2 AS float64)"
                        + " WHERE float64 > 0");
        assertThat(sql("CREATE TABLE t (float64 FLOAT64, b ARRAY<FLOAT64>, c NUMERIC(10, 2), d FLOAT64 NOT NULL)"))
                .isEqualTo("CREATE TABLE t (float64 DOUBLE, b DOUBLE[], c NUMERIC(10, 2), d DOUBLE NOT NULL)");
        assertThat(sql("SELECT SAFE_CAST(x AS FLOAT64), TRY_CAST(x AS float64) FROM t")).isEqualTo("SELECT TRY_CAST(x AS DOUBLE) AS f0_, TRY_CAST(x AS DOUBLE) AS f1_ FROM t");
        assertThat(rows(sql("SELECT float64 * 2 AS float64 FROM (SELECT CAST(1 AS FLOAT64) float64)"))).containsExactly(List.of(2.0));
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute(sql("CREATE TEMP FUNCTION twice(x FLOAT64) RETURNS FLOAT64 AS (x * 2)"));
        }
        assertThat(rows("SELECT twice(1.5)")).containsExactly(List.of(3.0));
        assertThat(sql("SELECT returns FROM t")).isEqualTo("SELECT returns FROM t");
        assertThatThrownBy(() -> sql("SELECT DATE_DIFF(a, b, DAYOFWEEK) FROM t"))
                .hasMessageContaining("DATE_DIFF at line 1, column 8: date part DAYOFWEEK is not supported")
                .hasMessageContaining("supported are DAY, ISOWEEK, ISOYEAR, MONTH, QUARTER, WEEK, YEAR (and WEEK(SUNDAY) ... WEEK(SATURDAY))");
    }

    /** Where both dialects have a name and DuckDB's meaning differs, BigQuery's wins: its SQL gives its answers. */
    @Test
    void namesBothDialectsHaveTakeBigQuerysMeaning() throws SQLException {
        List<Object> row = rows(sql("""
                SELECT EXTRACT(DAYOFWEEK FROM DATE '2024-06-02'), EXTRACT(DAYOFWEEK FROM TIMESTAMP '2024-06-08 23:00:00'),
                  EXTRACT(WEEK FROM DATE '2024-01-06'), EXTRACT(WEEK FROM DATE '2024-01-07'), EXTRACT(WEEK(MONDAY) FROM DATE '2024-01-01'),
                  EXTRACT(WEEK(WEDNESDAY) FROM DATE '2024-01-02'), EXTRACT(WEEK(WEDNESDAY) FROM DATE '2024-01-03'),
                  EXTRACT(ISOWEEK FROM DATE '2021-01-01'), CAST(EXTRACT(DATE FROM TIMESTAMP '2024-05-06 07:08:09') AS VARCHAR),
                  EXTRACT(YEAR FROM DATE '2024-05-06'),
                  CONCAT('a', NULL), CONCAT('a', 1, 'b'), GREATEST(1, NULL, 3), LEAST(2, 1), GREATEST('a', 'b'),
                  LOG(100, 10), ROUND(LOG(EXP(2)), 12), REGEXP_REPLACE('aaa', 'a', 'b'), REGEXP_REPLACE('abc', r'(b)', r'[\\1]'),
                  REGEXP_EXTRACT('x@y.com', r'@(.+)'), REGEXP_EXTRACT('abc', 'z'), REGEXP_EXTRACT('a1b22', r'[0-9]+'),
                  REGEXP_EXTRACT('a(b', r'[(](?:b)'), CAST(REGEXP_EXTRACT_ALL('k=1,j=22', r'=(\\d+)') AS VARCHAR)""")).get(0);
        assertThat(row).containsExactly(1L, 7L, 0L, 1L, 1L, 0L, 1L, 53L, "2024-05-06", 2024L,
                null, "a1b", null, 1, "b", 2.0, 2.0, "bbb", "a[b]c", "y.com", null, "1", "(b", "[1, 22]");
        // a position 0 or before the start starts at 1 (probe rf: SUBSTR('hello', -10, 3) gave '')
        assertThat(rows(sql("SELECT SUBSTR('hello', -10, 3), SUBSTRING(s, 0, 2), SUBSTR(s, -3, 2), SUBSTR(s, 2, 3), SUBSTR(s, -5, 1),"
                + " SUBSTR(s, 9, 2), SUBSTR(s, -10), SUBSTR(s, NULL, 1) FROM (SELECT 'hello' AS s)")))
                .containsExactly(java.util.Arrays.asList("hel", "he", "ll", "ell", "h", "", "hello", null));
        // a negative length is BigQuery's error, not DuckDB's count back from the position ('h')
        assertThatThrownBy(() -> rows(sql("SELECT SUBSTR('hello', 2, -1)"))).hasMessageContaining("SUBSTR: the length must not be negative");
        // BigQuery's array functions: a NULL array makes ARRAY_CONCAT NULL; ARRAY_TO_STRING's third argument stands for NULLs
        assertThat(rows(sql("SELECT CAST(ARRAY_CONCAT([1, 2], [3], [NULL]) AS VARCHAR), ARRAY_CONCAT([1, 2], NULL) IS NULL,"
                + " ARRAY_TO_STRING(['a', NULL, 'b'], ','), ARRAY_TO_STRING(['a', NULL, 'b'], '-', 'N'), CAST(ARRAY_CONCAT([7]) AS VARCHAR)")))
                .containsExactly(List.of("[1, 2, 3, NULL]", true, "a,b", "a-N-b", "[7]"));
        // BigQuery's JSON type names, NULL for SQL NULL (DuckDB's json_type said UBIGINT, DOUBLE, VARCHAR)
        assertThat(rows(sql("SELECT JSON_TYPE(JSON '1'), JSON_TYPE(JSON '-1.5'), JSON_TYPE(JSON '\"x\"'), JSON_TYPE(JSON 'true'),"
                + " JSON_TYPE(JSON 'null'), JSON_TYPE(JSON '[1]'), JSON_TYPE(JSON '{\"a\": 1}'), JSON_TYPE(CAST(NULL AS JSON))")))
                .containsExactly(java.util.Arrays.asList("number", "number", "string", "boolean", "null", "array", "object", null));
        // an extraction takes at most one capturing group, as BigQuery's (DuckDB's regexp_extract gave the whole match)
        assertThatThrownBy(() -> sql("SELECT REGEXP_EXTRACT('ab', '(a)(b)')")).hasMessageContaining("REGEXP_EXTRACT at line 1")
                .hasMessageContaining("has 2 capturing groups");
        assertThatThrownBy(() -> sql("SELECT REGEXP_EXTRACT_ALL(s, r'(a)(b)') FROM t")).hasMessageContaining("has 2 capturing groups");
        assertThat(rows(sql("SELECT REGEXP_EXTRACT('ab', '(?:a)(b)')"))).containsExactly(List.of("b"));
        // format elements strftime reads otherwise: %x MM/DD/YY (ISO), %c English date and time, %Z the zone's name (''), %X
        assertThat(rows(sql("SELECT FORMAT_TIMESTAMP('%x|%c|%Z|%X', TIMESTAMP '2024-01-05 08:09:10'), FORMAT_DATE('%x', DATE '2008-12-25'),"
                + " FORMAT_DATETIME('%c', DATETIME '2008-12-25 15:30:00')")))
                .containsExactly(List.of("01/05/24|Fri Jan  5 08:09:10 2024|UTC|08:09:10", "12/25/08", "Thu Dec 25 15:30:00 2008"));
        // FORMAT's ' flag groups with commas (printf's apostrophes: 1'234'567), %t prints the text, %T a literal
        assertThat(rows(sql("SELECT FORMAT(\"%'d\", 1234567), FORMAT(\"[%'12.2f]\", 1234567.891), FORMAT('%t|%t', 1.5, NULL),"
                + " FORMAT('%T %T %T %T', 'a\"b', 3, NULL, DATE '2024-01-05'), FORMAT(\"%'-8d|\", 1000)")))
                .containsExactly(List.of("1,234,567", "[1,234,567.89]", "1.5|NULL", "\"a\\\"b\" 3 NULL DATE \"2024-01-05\"", "1,000   |"));
        // PARSE_ reads the same elements back, and %s as seconds since 1970 (strptime has no %s)
        assertThat(rows(sql("SELECT UNIX_SECONDS(PARSE_TIMESTAMP('%s', '1700000000')), UNIX_SECONDS(PARSE_TIMESTAMP('%s', '1700000000', 'America/New_York')),"
                + " CAST(PARSE_DATE('%x', '12/25/08') AS VARCHAR), CAST(PARSE_DATETIME('%c', 'Thu Dec 25 15:30:00 2008') AS VARCHAR)")))
                .containsExactly(List.of(1700000000L, 1700000000L, "2008-12-25", "2008-12-25 15:30:00"));
        // a string literal stands for a date or time where BigQuery coerces it (DuckDB could not choose a function)
        assertThat(rows(sql("SELECT DATE_DIFF('2024-01-05', '2024-01-01', DAY), CAST(DATE_ADD('2024-01-31', INTERVAL 1 MONTH) AS VARCHAR),"
                + " FORMAT_DATE('%Y', '2024-01-05'), CAST(DATE_TRUNC('2024-05-17', MONTH) AS VARCHAR),"
                + " TIMESTAMP_DIFF('2024-01-05 10:00:00+00', '2024-01-05 08:00:00', HOUR), UNIX_SECONDS('1970-01-01 00:00:10+00'),"
                + " DATETIME_DIFF('2024-01-05 10:00:00', '2024-01-04 10:00:00', DAY), FORMAT_TIMESTAMP('%H', '2024-01-05 10:00:00+02')")))
                .containsExactly(List.of(4L, "2024-02-29", "2024", "2024-05-01", 2L, 10L, 1L, "08"));
        // DuckDB's own spellings keep their string arguments (the date part)
        assertThat(sql("SELECT date_diff('day', a, b), date_trunc('month', d) FROM t")).isEqualTo("SELECT date_diff('day', a, b) AS f0_, date_trunc('month', d) AS f1_ FROM t");
        // CAST to INT64 rounds a FLOAT64's half away from zero (DuckDB's to even: 2), and every INT64 alias is 64 bits
        assertThat(rows(sql("SELECT CAST(2.5 AS INT64), CAST(-2.5 AS INT64), CAST(3.5 AS INT), SAFE_CAST(1e30 AS INT64),"
                + " CAST(NUMERIC '2.5' AS INT64), CAST(3000000000 AS INTEGER), SAFE_CAST(-0.5 AS BYTEINT), CAST(x AS INT64)"
                + " FROM (SELECT 4.5 AS x)")))
                .containsExactly(java.util.Arrays.asList(3L, -3L, 4L, null, 3L, 3000000000L, -1L, 5L));
        assertThat(sql("CREATE TABLE t (a INT, b INTEGER, c ARRAY<SMALLINT>, int INT64)"))
                .isEqualTo("CREATE TABLE t (a BIGINT, b BIGINT, c BIGINT[], int INT64)");
        // UNIX_MILLIS rounds down to the millisecond before 1970 too (epoch_ms gave 0 for 23:59:59.9995)
        assertThat(rows(sql("SELECT UNIX_MILLIS(TIMESTAMP '1969-12-31 23:59:59.9995'), UNIX_MILLIS(TIMESTAMP '1970-01-01 00:00:00.0015')")))
                .containsExactly(List.of(-1L, 1L));
        // the fraction of the second, as BigQuery's (DuckDB's count from the minute; probe rf)
        assertThat(rows(sql("SELECT EXTRACT(MILLISECOND FROM TIMESTAMP '2024-01-01 10:00:12.345678'), EXTRACT(MICROSECOND FROM t),"
                + " EXTRACT(MILLISECOND FROM TIME '10:00:59.001'), EXTRACT(SECOND FROM t) FROM (SELECT TIMESTAMP '2024-01-01 10:00:12.345678' t)")))
                .containsExactly(List.of(345L, 345678L, 1L, 12L));
        // DuckDB's own forms of these names are untouched: its extract parts, two-argument DATE_TRUNC-like calls.
        assertThat(sql("SELECT extract('dow' FROM d), EXTRACT(isodow FROM d), concat(a) FROM t"))
                .isEqualTo("SELECT extract('dow' FROM d) AS f0_, EXTRACT(isodow FROM d) AS f1_, concat(a) AS f2_ FROM t");
    }

    @Test
    void constructorsAndOtherGoogleSqlFunctions() throws SQLException {
        List<Object> row = rows(sql("""
                SELECT CAST(DATE(2024, 2, 29) AS VARCHAR), CAST(DATE(TIMESTAMP('2024-01-02 03:00:00+00'), 'America/New_York') AS VARCHAR),
                  UNIX_SECONDS(TIMESTAMP('2024-01-02 00:00:00+00')),
                  UNIX_SECONDS(TIMESTAMP('2024-01-02 00:00:00', 'America/New_York')), CAST(DATETIME(2024, 1, 2, 3, 4, 5) AS VARCHAR),
                  CAST(DATETIME(DATE '2024-01-02', TIME '03:04:05') AS VARCHAR), CAST(TIME(1, 2, 3) AS VARCHAR),
                  UNIX_DATE(DATE '1970-01-03'), CAST(DATE_FROM_UNIX_DATE(2) AS VARCHAR),
                  DATETIME_DIFF(DATETIME '2010-07-07 10:20:00', DATETIME '2008-12-25 15:30:00', DAY),
                  length(GENERATE_UUID()), TO_HEX(MD5('a')), TO_HEX(SHA1('a')), CAST(FROM_HEX('6162') AS VARCHAR),
                  RANGE_BUCKET(20, [0, 10, 20, 30, 40]), RANGE_BUCKET(-1, [0, 10]), RANGE_BUCKET(NULL, [0]), LPAD('a', 3), RPAD('a', 2),
                  CURRENT_DATETIME() IS NOT NULL, IS_INF(CAST('-Infinity' AS FLOAT64)), IS_NAN(CAST('NaN' AS FLOAT64))""")).get(0);
        assertThat(row).containsExactly("2024-02-29", "2024-01-01", 1704153600L, 1704171600L, "2024-01-02 03:04:05", "2024-01-02 03:04:05",
                "01:02:03", 2L, "1970-01-03", 559L, 36L, "0cc175b9c0f1b6a831c399e269772661",
                "86f7e437faa5a7fce15d1ddcb9eaeaea377667b8", "ab", 3L, 0L, null, "  a", "a ", true, true, true);
        assertThat(rows(sql("SELECT PERCENTILE_CONT(x, 0.5) OVER (), PERCENTILE_DISC(x, 0.5) OVER () FROM UNNEST([1, 3, NULL]) AS x LIMIT 1")))
                .containsExactly(List.of(2.0, 1));
        // ARRAY_AGG's IGNORE NULLS and LIMIT, which DuckDB's array_agg lacks.
        assertThat(rows(sql("SELECT CAST(ARRAY_AGG(x IGNORE NULLS ORDER BY x DESC LIMIT 2) AS VARCHAR),"
                + " CAST(ARRAY_AGG(DISTINCT x IGNORE NULLS ORDER BY x) AS VARCHAR), CAST(ARRAY_AGG(x RESPECT NULLS LIMIT 5) AS VARCHAR),"
                + " count(*) FROM UNNEST([1, NULL, 3, 2, 3]) AS x")))
                .containsExactly(List.of("[3, 3]", "[1, 2, 3]", "[1, NULL, 3, 2, 3]", 5L));
        assertThat(sql("SELECT ARRAY_AGG(x ORDER BY y) FROM t")).isEqualTo("SELECT ARRAY_AGG(x ORDER BY y) AS f0_ FROM t");
        assertThatThrownBy(() -> sql("SELECT DATETIME_DIFF(a, b, DAYOFYEAR) FROM t"))
                .hasMessageContaining("DATETIME_DIFF at line 1, column 8: date part DAYOFYEAR is not supported");
    }

    @Test
    void jsonValueIsUnquotedAndArraySliceCountsFromZero() throws SQLException {
        List<Object> row = rows(sql("""
                SELECT JSON_VALUE('{"a": "x"}', '$.a'), JSON_VALUE('{"a": "x"}', '$.a') = 'x', JSON_VALUE('"s"'),
                  JSON_VALUE('{"a": {"b": 1}}', '$.a'), CAST(ARRAY_SLICE([10, 20, 30, 40, 50], 1, 3) AS VARCHAR),
                  CAST(ARRAY_SLICE([1, 2, 3], 0, 0) AS VARCHAR), CAST(ARRAY_SLICE([1, 2, 3, 4, 5], -3, -1) AS VARCHAR),
                  CAST(ARRAY_SLICE([1, 2, 3], age - 1, 1) AS VARCHAR) FROM census.input_data WHERE age = 1""")).get(0);
        assertThat(row).containsExactly("x", true, "s", null, "[20, 30, 40]", "[1]", "[3, 4, 5]", "[1, 2]");
    }

    @Test
    void intervalsTakeAColumnOrANegativeCountAndBytesLiteralsAreBytes() throws SQLException {
        List<Object> row = rows(sql("""
                SELECT CAST(DATE_ADD(DATE '2024-01-10', INTERVAL age DAY) AS VARCHAR), CAST(DATE_SUB(DATE '2024-01-10', INTERVAL -1 DAY) AS VARCHAR),
                  CAST(TIMESTAMP_ADD(TIMESTAMP '2024-01-01 00:00:00', INTERVAL -90 MINUTE) AS VARCHAR),
                  CAST(DATE_ADD(DATE '2024-01-10', INTERVAL input_data.age MONTH) AS VARCHAR), CAST(DATE '2024-01-10' + INTERVAL 2 DAY AS VARCHAR),
                  octet_length(b'abc'), TO_BASE64(b'abc'), typeof(b'abc'), TO_HEX(b'\\x00\\xff'), CAST(B'ab' AS VARCHAR)
                FROM census.input_data WHERE age = 3""")).get(0);
        assertThat(row).containsExactly("2024-01-13", "2024-01-11", "2023-12-31 22:30:00", "2024-04-10", "2024-01-12 00:00:00",
                3L, "YWJj", "BLOB", "00ff", "ab");
        // any INT64 expression, as BigQuery takes (probe pv: a parser error pointing at DATE_ADD)
        assertThat(rows(sql("""
                SELECT CAST(DATE_ADD(DATE '2024-01-01', INTERVAL 2 * 3 DAY) AS VARCHAR),
                  CAST(DATE_SUB(DATE '2024-01-10', INTERVAL CAST('3' AS INT64) DAY) AS VARCHAR),
                  CAST(DATE_ADD(DATE '2024-01-01', INTERVAL age + 1 MONTH) AS VARCHAR),
                  CAST(TIMESTAMP_ADD(TIMESTAMP '2024-01-01 00:00:00', INTERVAL CASE WHEN age > 2 THEN 2 ELSE 1 END HOUR) AS VARCHAR)
                FROM census.input_data WHERE age = 3""")).get(0))
                .containsExactly("2024-01-07", "2024-01-07", "2024-05-01", "2024-01-01 02:00:00");
        // DuckDB's own interval forms, with a date-part word later in the statement (probe pw: taken for the part)
        for (String duckDb : List.of("SELECT age FROM census.input_data WHERE DATE '2024-01-01' + INTERVAL '2 day' > DATE '2024-01-02' ORDER BY day",
                "SELECT age FROM census.input_data WHERE '2 day'::INTERVAL > INTERVAL 1 DAY ORDER BY age",
                "SELECT DATE '2024-01-01' + INTERVAL '1 day' + INTERVAL 2 DAY AS x FROM census.input_data",
                "SELECT INTERVAL 1 DAY + INTERVAL 2 HOUR AS x FROM t GROUP BY day")) {
            assertThat(sql(duckDb)).as(duckDb).isEqualTo(duckDb);
        }
        // An INTERVAL BigQuery and DuckDB both read stays as written.
        assertThat(sql("SELECT INTERVAL 1 DAY, INTERVAL (n) DAY FROM t")).isEqualTo("SELECT INTERVAL 1 DAY AS f0_, INTERVAL (n) DAY AS f1_ FROM t");
    }

    @Test
    void aDecimalLiteralIsFloat64AsInBigQuery() throws SQLException {
        // DuckDB reads 0.1 as DECIMAL(2,1): 0.1 + 0.2 = 0.3 exactly, where BigQuery gives 0.30000000000000004
        assertThat(rows(sql("SELECT 0.1 + 0.2, typeof(0.5), 0.1 * 3 = 0.3, 7 / 2, 0.0036446298831652236 * 1")))
                .containsExactly(List.of(0.30000000000000004, "DOUBLE", false, 3.5, 0.0036446298831652236));
        assertThat(sql("SELECT x FROM t WHERE y > 2.5 LIMIT 3")).isEqualTo("SELECT x FROM t WHERE y > 2.5e0 LIMIT 3");
        // still a literal where one must stand, and an unaliased column is named as BigQuery names it (probe vp F3)
        assertThat(rows(sql("SELECT count(*) >= 0 FROM range(100) TABLESAMPLE SYSTEM (10.5 PERCENT)"))).containsExactly(List.of(true));
        assertThat(columnNames(sql("SELECT 0.1 + 0.2, 1.5e3"))).containsExactly("f0_", "f1_");
        // NUMERIC stays exact when asked for
        assertThat(rows(sql("SELECT NUMERIC '0.1' + NUMERIC '0.2' = NUMERIC '0.3'"))).containsExactly(List.of(true));
        // BigQuery's NUMERIC literal keeps 9 decimals (DuckDB's NUMERIC keeps 3: 2.568), and a TIMESTAMP literal's offset
        // makes it that instant in UTC (probe M)
        assertThat(rows(sql("SELECT NUMERIC '2.5678', CAST(NUMERIC '12345678901234567890.1' AS VARCHAR)")))
                .containsExactly(List.of(new java.math.BigDecimal("2.567800000"), "12345678901234567890.100000000"));
        assertThat(rows(sql("SELECT CAST(TIMESTAMP '2024-01-01 15:00:00+05' AS VARCHAR), CAST(TIMESTAMP '2024-01-01T15:00:00Z' AS VARCHAR),"
                + " CAST(TIMESTAMP '2024-01-01 15:00:00 UTC' AS VARCHAR), CAST(TIMESTAMP '2024-01-01 15:00:00' AS VARCHAR),"
                + " CAST(TIMESTAMP '2024-01-01' AS VARCHAR), CAST(TIMESTAMP '2024-01-01 15:00:00-08:00' AS VARCHAR)")))
                .containsExactly(List.of("2024-01-01 10:00:00", "2024-01-01 15:00:00", "2024-01-01 15:00:00", "2024-01-01 15:00:00",
                        "2024-01-01 00:00:00", "2024-01-01 23:00:00"));
    }

    /** Probe rf: strftime and strptime refused BigQuery's %F, %e, %E*S, ...; a time zone argument was "does not exist". */
    @Test
    void formatElementsAndTimeZoneArguments() throws SQLException {
        List<Object> formatted = rows(sql("""
                SELECT FORMAT_DATE('%F|%e|%D|%Q|%C|%E4Y|%%e', DATE '2008-12-05'),
                  FORMAT_TIMESTAMP('%R %E*S %E3S %E0S %Ez %z %s', TIMESTAMP '2024-01-01 10:00:12.345678'),
                  FORMAT_TIMESTAMP('%E*S', TIMESTAMP '2024-01-01 10:00:12'), FORMAT_DATETIME('%F %T', DATETIME '2024-01-01 10:00:00'),
                  FORMAT_TIMESTAMP('%F %R %Ez', TIMESTAMP '2024-01-01 10:00:00', 'Asia/Kolkata'),
                  FORMAT_TIMESTAMP('%H %z', TIMESTAMP '2024-07-01 10:00:00', 'America/New_York')""")).get(0);
        assertThat(formatted).containsExactly("2008-12-05| 5|12/05/08|4|20|2008|%e", "10:00 12.345678 12.345 12 +00:00 +0000 1704103212",
                "12", "2024-01-01 10:00:00", "2024-01-01 15:30 +05:30", "06 -0400");
        List<Object> parsed = rows(sql("""
                SELECT CAST(PARSE_DATE('%F', '2000-12-30') AS VARCHAR), CAST(PARSE_DATE('%A %b %e %Y', 'Thursday Dec 25 2008') AS VARCHAR),
                  CAST(PARSE_TIMESTAMP('%Y-%m-%dT%H:%M:%E*SZ', '2024-01-01T10:00:12.345Z') AS VARCHAR),
                  CAST(PARSE_TIMESTAMP('%Y-%m-%dT%H:%M:%E*SZ', '2024-01-01T10:00:12Z') AS VARCHAR),
                  UNIX_SECONDS(PARSE_TIMESTAMP('%Y-%m-%d %H:%M', '2024-01-01 10:00', 'America/New_York')),
                  UNIX_SECONDS(PARSE_TIMESTAMP('%F %R%Ez', '2024-01-01 10:00+05:30', 'America/New_York')),
                  UNIX_SECONDS(TIMESTAMP_TRUNC(TIMESTAMP '2024-05-15 03:45:12', DAY, 'America/New_York'))""")).get(0);
        assertThat(parsed).containsExactly("2000-12-30", "2008-12-25", "2024-01-01 10:00:12.345", "2024-01-01 10:00:12", 1704121200L,
                1704083400L, 1715659200L);
        assertThatThrownBy(() -> sql("SELECT TIMESTAMP_TRUNC(t, DAYOFWEEK, 'UTC') FROM t")).hasMessageContaining("date part DAYOFWEEK is not supported");
    }

    /** BigQuery's weeks start on Sunday (or the day WEEK(day) names, Monday for ISOWEEK); DuckDB's date_trunc('week') on Monday. */
    @Test
    void weekAndIsoYearPartsTruncateAndCountAsBigQuerysDo() throws SQLException {
        // BigQuery's reference examples: DATE_TRUNC('2017-11-05', WEEK(MONDAY)) is 2017-10-30, DATE_TRUNC('2015-06-15', ISOYEAR)
        // 2014-12-29; DATE_DIFF('2017-12-18', '2017-12-17', WEEK | WEEK(MONDAY) | ISOWEEK) is 0, 1, 1 (12-17 was a Sunday)
        List<Object> row = rows(sql("""
                SELECT CAST(DATE_TRUNC(DATE '2017-11-05', WEEK(MONDAY)) AS VARCHAR), CAST(DATE_TRUNC(DATE '2015-06-15', ISOYEAR) AS VARCHAR),
                  CAST(DATE_TRUNC(DATE '2024-01-10', WEEK) AS VARCHAR), CAST(DATE_TRUNC(DATE '2024-01-07', WEEK) AS VARCHAR),
                  CAST(DATE_TRUNC(DATE '2024-01-10', ISOWEEK) AS VARCHAR), CAST(DATE_TRUNC(DATE '2024-01-10', WEEK(saturday)) AS VARCHAR),
                  DATE_DIFF(DATE '2017-12-18', DATE '2017-12-17', WEEK), DATE_DIFF(DATE '2017-12-18', DATE '2017-12-17', WEEK(MONDAY)),
                  DATE_DIFF(DATE '2017-12-18', DATE '2017-12-17', ISOWEEK), DATE_DIFF(DATE '2017-12-17', DATE '2017-12-30', WEEK),
                  DATE_DIFF(DATE '2021-01-04', DATE '2021-01-03', ISOYEAR),
                  CAST(TIMESTAMP_TRUNC(TIMESTAMP '2024-01-10 15:30:00', WEEK) AS VARCHAR),
                  CAST(DATETIME_TRUNC(DATETIME '2024-01-10 15:30:00', WEEK(MONDAY)) AS VARCHAR),
                  CAST(TIMESTAMP_TRUNC(TIMESTAMP '2024-01-08 03:00:00', WEEK, 'America/Los_Angeles') AS VARCHAR),
                  DATETIME_DIFF(DATETIME '2024-01-14 00:00:01', DATETIME '2024-01-13 23:59:59', WEEK),
                  CAST(TIMESTAMP_TRUNC(TIMESTAMP '2021-01-02 10:00:00', ISOYEAR) AS VARCHAR)""")).get(0);
        assertThat(row).containsExactly("2017-10-30", "2014-12-29", "2024-01-07", "2024-01-07", "2024-01-08", "2024-01-06",
                0L, 1L, 1L, -1L, 1L, "2024-01-07 00:00:00", "2024-01-08 00:00:00", "2024-01-07 08:00:00+00", 1L, "2019-12-30 00:00:00");
        // LAST_DAY's reference examples (probe uc F10: WEEK was DuckDB's "column WEEK not found"), and its other parts
        assertThat(rows(sql("""
                SELECT CAST(LAST_DAY(DATE '2008-11-25', MONTH) AS VARCHAR), CAST(LAST_DAY(DATE '2008-11-25') AS VARCHAR),
                  CAST(LAST_DAY(DATE '2008-11-10', YEAR) AS VARCHAR), CAST(LAST_DAY(DATE '2008-11-10', WEEK(SUNDAY)) AS VARCHAR),
                  CAST(LAST_DAY(DATE '2008-11-10', WEEK(MONDAY)) AS VARCHAR), CAST(LAST_DAY(DATE '2008-11-10', WEEK) AS VARCHAR),
                  CAST(LAST_DAY(DATE '2008-11-10', QUARTER) AS VARCHAR), CAST(LAST_DAY(DATE '2008-11-10', ISOWEEK) AS VARCHAR),
                  CAST(LAST_DAY(DATE '2015-06-15', ISOYEAR) AS VARCHAR), CAST(LAST_DAY(DATETIME '2024-02-10 12:00:00', MONTH) AS VARCHAR)""")).get(0))
                .containsExactly("2008-11-30", "2008-11-30", "2008-12-31", "2008-11-15", "2008-11-16", "2008-11-15", "2008-12-31",
                        "2008-11-16", "2016-01-03", "2024-02-29");
        assertThatThrownBy(() -> sql("SELECT LAST_DAY(d, HOUR) FROM t")).hasMessageContaining("date part HOUR is not supported");
        assertThatThrownBy(() -> sql("SELECT DATE_TRUNC(d, WEEK(FUNDAY)) FROM t"))
                .hasMessageContaining("DATE_TRUNC at line 1, column 8: date part WEEK(FUNDAY) names no day of the week; WEEK takes one of"
                        + " SUNDAY, MONDAY");
        assertThatThrownBy(() -> sql("SELECT TIMESTAMP_DIFF(a, b, WEEK) FROM t"))
                .hasMessageContaining("date part WEEK is not supported; supported are DAY, HOUR");
    }

    /** Probe rf: CAST(s AS TIMESTAMP) dropped the UTC offset written in s, and refused a zone name. */
    @Test
    void castOfTextToTimestampKeepsItsOffset() throws SQLException {
        assertThat(sql("SELECT CAST(s AS TIMESTAMP), SAFE_CAST(s AS TIMESTAMP), CAST(d AS DATE) FROM t"))
                .isEqualTo("SELECT CAST(CAST(s AS TIMESTAMPTZ) AS TIMESTAMP) AS f0_, TRY_CAST(TRY_CAST(s AS TIMESTAMPTZ) AS TIMESTAMP) AS f1_,"
                        + " CAST(d AS DATE) AS f2_ FROM t");
        assertThat(rows(sql("""
                SELECT CAST(CAST(s AS TIMESTAMP) AS VARCHAR), CAST(SAFE_CAST(s AS TIMESTAMP) AS VARCHAR),
                  CAST(CAST('2024-01-05 10:00:00 America/New_York' AS TIMESTAMP) AS VARCHAR), CAST(CAST('2024-01-05T10:00:00Z' AS TIMESTAMP) AS VARCHAR),
                  CAST(CAST('2024-01-05 10:00:00' AS TIMESTAMP) AS VARCHAR), SAFE_CAST('junk' AS TIMESTAMP),
                  CAST(CAST(DATE '2024-01-02' AS TIMESTAMP) AS VARCHAR), CAST(CAST(TIMESTAMP '2024-01-02 03:04:05.123456' AS TIMESTAMP) AS VARCHAR),
                  typeof(CAST(s AS TIMESTAMP))
                FROM (SELECT '2024-01-05 10:00:00+02' s)""")))
                .containsExactly(java.util.Arrays.asList("2024-01-05 08:00:00", "2024-01-05 08:00:00", "2024-01-05 15:00:00",
                        "2024-01-05 10:00:00", "2024-01-05 10:00:00", null, "2024-01-02 00:00:00", "2024-01-02 03:04:05.123456", "TIMESTAMP"));
    }

    /** Probe rf: EXTRACT(part FROM t AT TIME ZONE z) read a plain TIMESTAMP as z's wall clock, moving the hour the wrong way. */
    @Test
    void extractAtTimeZoneReadsThePartInThatZone() throws SQLException {
        assertThat(rows(sql("""
                SELECT EXTRACT(HOUR FROM TIMESTAMP '2024-01-01 10:00:00+00' AT TIME ZONE 'America/New_York'),
                  EXTRACT(DAY FROM TIMESTAMP '2024-01-07 23:30:00' AT TIME ZONE 'Asia/Tokyo'),
                  EXTRACT(HOUR FROM TIMESTAMP_SECONDS(0) AT TIME ZONE 'Asia/Tokyo'),
                  EXTRACT(DAYOFWEEK FROM t AT TIME ZONE 'Asia/Tokyo'), CAST(EXTRACT(DATE FROM t AT TIME ZONE z) AS VARCHAR),
                  EXTRACT(HOUR FROM t)
                FROM (SELECT TIMESTAMP '2024-01-06 23:30:00' t, 'Asia/Tokyo' z)""")))
                .containsExactly(List.of(5L, 8L, 9L, 1L, "2024-01-07", 23L));
    }

    /** Probe rf: REGEXP_EXTRACT's third argument is a position (and the fourth an occurrence), not DuckDB's group. */
    @Test
    void regexpExtractTakesAPositionAndAnOccurrence() throws SQLException {
        assertThat(rows(sql("""
                SELECT REGEXP_EXTRACT('a1b2c3', r'\\d', 3), REGEXP_EXTRACT('a1b2c3', r'\\d', 1, 2), REGEXP_SUBSTR('a1b2c3', r'[a-z](\\d)', 2, 2),
                  REGEXP_EXTRACT('a1b2c3', r'\\d', 7), REGEXP_EXTRACT('a1b2c3', r'^\\d', 2), REGEXP_SUBSTR('abc', 'b'),
                  REGEXP_EXTRACT('a1', r'\\d', 1, 5), REGEXP_EXTRACT('', r'x*', 1)""")))
                .containsExactly(java.util.Arrays.asList("2", "2", "3", null, "1", "b", null, ""));
        assertThatThrownBy(() -> rows(sql("SELECT REGEXP_EXTRACT('a1', r'\\d', 0)"))).hasMessageContaining("position must be positive");
        assertThatThrownBy(() -> rows(sql("SELECT REGEXP_EXTRACT('a1', r'\\d', 1, 0)"))).hasMessageContaining("occurrence must be positive");
    }

    /** Probe rf: BigQuery's LIKE escapes with a backslash, DuckDB's only with an ESCAPE clause. */
    @Test
    void likeEscapesWithABackslash() throws SQLException {
        assertThat(sql("SELECT a LIKE 'x%', b NOT LIKE 'y' || c AS n, d LIKE e f, g LIKE 'h' ESCAPE '!' FROM t WHERE a LIKE b -- why\n AND c"))
                .isEqualTo("SELECT a LIKE 'x%' ESCAPE '\\' AS f0_, b NOT LIKE 'y' || c ESCAPE '\\' AS n, d LIKE e ESCAPE '\\' f,"
                        + " g LIKE 'h' ESCAPE '!' AS f1_ FROM t WHERE a LIKE b ESCAPE '\\' -- why\n AND c");
        assertThat(rows(sql("""
                SELECT 'a_c' LIKE 'a\\\\_c', 'abc' LIKE 'a\\\\_c', '50%' LIKE '50\\\\%', 'ab' LIKE 'a' || '%', 'a_c' LIKE CONCAT('a', r'\\_', 'c'),
                  'abc' NOT LIKE CASE WHEN TRUE THEN 'a%' END""")))
                .containsExactly(List.of(true, false, true, true, true, false));
        assertThat(sql("SELECT x LIKE ANY ('a%', y) FROM t")).isEqualTo("SELECT x LIKE ANY ('a%', y) AS f0_ FROM t");
    }

    /** Probe rf: a ^ b is BigQuery's bitwise XOR; DuckDB's ^ is a power (5 ^ 3 gave 125.0, not 6). */
    @Test
    void caretIsBitwiseXorOrRefused() throws SQLException {
        assertThat(sql("SELECT a ^ b, f(x) ^ -1 AS n, (a + 1) ^ t.c FROM t WHERE a ^ 1 > 0"))
                .isEqualTo("SELECT xor(a , b) AS f0_, xor(f(x) , -1) AS n, xor((a + 1) , t.c) AS f1_ FROM t WHERE xor(a , 1) > 0");
        assertThat(rows(sql("SELECT 5 ^ 3, 2 ^ 10, 1 | 5 ^ 3, (5 ^ 3) ^ 1, CASE WHEN 1 ^ 1 = 0 THEN 3 ^ 1 END, 'a^b'")))
                .containsExactly(List.of(6, 8, 7, 7, 2, "a^b"));
        // an operand that is not one value, where the precedence of BigQuery's ^ and DuckDB's differ: refused, never a power
        for (String refused : List.of("SELECT 2 * 5 ^ 3", "SELECT 5 ^ 3 ^ 1", "SELECT a ^ b + 1 FROM t", "SELECT -a ^ b FROM t")) {
            assertThatThrownBy(() -> sql(refused)).as(refused).hasMessageContaining("is BigQuery's bitwise XOR")
                    .hasMessageContaining("POW(a, b)");
        }
    }

    /** Probe rf: DuckDB's grammar read a date part after a value as an interval's unit, a parser error. */
    @Test
    void aDatePartWordIsAnAliasWithoutAs() throws SQLException {
        assertThat(sql("SELECT EXTRACT(YEAR FROM d) year, EXTRACT(MONTH FROM d) month, 3 days FROM t"))
                .isEqualTo("SELECT EXTRACT(YEAR FROM d) AS year, EXTRACT(MONTH FROM d) AS month, 3 AS days FROM t");
        assertThat(columnNames(sql("SELECT EXTRACT(YEAR FROM d) year, d day, (SELECT 2 hour) h, SUM(1) OVER (PARTITION BY d) week"
                + " FROM (SELECT DATE '2024-05-01' d)"))).containsExactly("year", "day", "h", "week");
        // a unit, a part argument or a column keeps its place (an anonymous column is named f0_, ... as in BigQuery)
        for (String kept : List.of("SELECT INTERVAL 3 DAY AS f0_, INTERVAL n * 7 DAY AS f1_ FROM t",
                "SELECT f(d, INTERVAL 1 DAY) AS f0_, d + INTERVAL 2 HOUR AS f1_, day FROM t",
                "SELECT year FROM t GROUP BY year ORDER BY year", "SELECT DISTINCT day, x FROM t WHERE day > 3",
                "SELECT a FROM t JOIN u ON a = day", "SELECT date_diff('day', a, b) AS f0_ FROM t", "SELECT a AS day FROM t")) {
            assertThat(sql(kept.replace(" AS f0_", "").replace(" AS f1_", ""))).as(kept)
                    .isEqualTo(kept.replace("INTERVAL n * 7 DAY", "INTERVAL (n * 7) DAY"));
        }
        assertThat(rows(sql("SELECT DATE_DIFF(d, DATE '2024-01-01', DAY) days, DATE_TRUNC(d, MONTH) month FROM (SELECT DATE '2024-01-05' d)"))
                .get(0).get(0)).isEqualTo(4L);
    }

    /** Probe rf: DuckDB read 0x1F as 0 with the alias x1F. */
    @Test
    void hexIntegerLiteralsAreInt64() throws SQLException {
        assertThat(sql("SELECT 0x1F AS v, -0X7f w FROM t")).isEqualTo("SELECT 31 AS v, -127 w FROM t");
        assertThat(rows(sql("SELECT 0x1F, -0x1F, 0x10 + 1, 0x7FFFFFFFFFFFFFFF, -0x8000000000000000, 'x0x1F'")))
                .containsExactly(List.of(31, -31, 17, Long.MAX_VALUE, Long.MIN_VALUE, "x0x1F"));
        for (String bad : List.of("SELECT 0x", "SELECT 0x10000000000000000")) {
            assertThatThrownBy(() -> sql(bad)).as(bad).hasMessageContaining("invalid hex integer literal");
        }
    }

    @Test
    void unnestNamesTheElementAsBigQueryDoes() throws SQLException {
        String probabilities = "(SELECT [{'label': 'a', 'prob': 0.75}, {'label': 'b', 'prob': 0.25}] AS probs)";
        String rewritten = sql("SELECT p.label, p.prob FROM " + probabilities + " AS s, UNNEST(s.probs) AS p WHERE p.label = 'b'");
        assertThat(rewritten).contains("UNNEST(s.probs) AS p(p) WHERE");
        assertThat(rows(rewritten)).containsExactly(List.of("b", 0.25)); // 0.25 is FLOAT64, as in BigQuery
        assertThat(rows(sql("SELECT x * 2 FROM UNNEST([1, 2]) x ORDER BY 1"))).containsExactly(List.of(2), List.of(4));
        assertThat(rows(sql("SELECT `x` + 1 FROM UNNEST([1]) AS `x`"))).containsExactly(List.of(2));
        assertThat(rows(sql("SELECT count(*) FROM census.input_data WHERE age IN UNNEST([1, 3]) AND workclass NOT IN UNNEST(['c'])")))
                .containsExactly(List.of(1L));
        assertThat(rows(sql("SELECT s.id, x, o FROM (SELECT 1 AS id, ['a', 'b'] AS l UNION ALL SELECT 2, ['c']) AS s,"
                + " UNNEST(s.l) AS x WITH OFFSET AS o ORDER BY 1, 3")))
                .containsExactly(List.of(1, "a", 0L), List.of(1, "b", 1L), List.of(2, "c", 0L));
        assertThat(rows(sql("SELECT x, `offset` FROM UNNEST([7, 8]) x WITH OFFSET ORDER BY 2"))).containsExactly(List.of(7, 0L), List.of(8, 1L));
        // DuckDB's forms are left alone: a column list, UNNEST in the select list, named arguments.
        for (String duckDb : List.of("SELECT e FROM UNNEST([1, 2]) AS t(e)", "SELECT UNNEST([1, 2]) AS z",
                "SELECT * FROM UNNEST([[1], [2]], recursive := true)")) {
            assertThat(sql(duckDb)).isEqualTo(duckDb);
        }
    }

    /** CONTAINS_SUBSTR was "Scalar Function with name contains_substr does not exist"; BigQuery's reference examples. */
    @Test
    void containsSubstrSearchesNormalizedAndCaseFoldedThroughStructsArraysAndJson() throws SQLException {
        try (dev.lathe.warehouse.Warehouse warehouse = dev.lathe.warehouse.Warehouse.inMemory(); Connection warehouseConnection = warehouse.connect()) {
            Connection plain = connection;
            connection = warehouseConnection; // the Java function the rewrite calls is the warehouse's
            try {
                assertThat(rows(sql("""
                        SELECT CONTAINS_SUBSTR('the blue house', 'Blue house'), CONTAINS_SUBSTR('the red house', 'blue'),
                          CONTAINS_SUBSTR('\u2168', 'IX'), CONTAINS_SUBSTR((23, 35, 41), '35'),
                          CONTAINS_SUBSTR(('abc', ['def', 'ghi', 'jkl'], 'mno'), 'jk'), CONTAINS_SUBSTR((23, NULL, 41), '41'),
                          CONTAINS_SUBSTR((23, NULL, 41), '35'), CONTAINS_SUBSTR(CAST(NULL AS STRING), 'a'),
                          CONTAINS_SUBSTR(JSON '{"lunch":"soup"}', "lunch"), CONTAINS_SUBSTR(JSON '{"lunch":"soup"}', "lunch", json_scope=>"JSON_VALUES"),
                          CONTAINS_SUBSTR(JSON '{"lunch":"soup"}', "lunch", json_scope=>"JSON_KEYS_AND_VALUES"),
                          CONTAINS_SUBSTR(JSON '{"lunch":"soup"}', "lunch", json_scope=>"JSON_KEYS"), CONTAINS_SUBSTR(STRUCT(1 AS lunch), 'lunch'),
                          CONTAINS_SUBSTR(DATE '2024-01-05', '01-05'), CONTAINS_SUBSTR(12345, '234'), CONTAINS_SUBSTR('Straße', 'STRASSE'),
                          CONTAINS_SUBSTR(CAST([] AS ARRAY<STRING>), 'a')""")).get(0))
                        .containsExactly(true, false, true, true, true, true, null, null, false, false, true, true, false, true, true, true, false);
                // a table's row is a STRUCT of its columns
                assertThat(rows(sql("""
                        WITH Recipes AS (SELECT 'Blueberry pancakes' AS Breakfast, 'Egg salad sandwich' AS Lunch UNION ALL
                          SELECT 'Potato pancakes', 'Toasted cheese sandwich' UNION ALL SELECT 'Avocado toast', 'Tomato soup')
                        SELECT Breakfast FROM Recipes WHERE CONTAINS_SUBSTR(Recipes, 'toast') ORDER BY 1"""))).containsExactly(
                        List.of("Avocado toast"), List.of("Potato pancakes"));
            } finally {
                connection = plain;
            }
        }
        for (String call : List.of("CONTAINS_SUBSTR('hello', NULL)", "CONTAINS_SUBSTR('hello', 'h', json_scope => 'KEYS')", "CONTAINS_SUBSTR('a')")) {
            assertThatThrownBy(() -> sql("SELECT " + call)).as(call).hasMessageContaining("CONTAINS_SUBSTR at line 1, column 8 takes a value")
                    .hasMessageContaining("json_scope => 'JSON_VALUES', 'JSON_KEYS' or 'JSON_KEYS_AND_VALUES'");
        }
    }

    /** Probe: JSON_QUERY(JSON '{"a":[10,20]}', '$.a')[0] was NULL (a STRING's subscript); BigQuery's JSON in, JSON out. */
    @Test
    void jsonQueryAndJsonExtractGiveJsonForJsonAndStringForString() throws SQLException {
        assertThat(rows(sql("""
                SELECT CAST(JSON_QUERY(JSON '{"a":[10,20]}', '$.a')[0] AS VARCHAR), CAST(JSON_EXTRACT(j, '$.a')[1] AS VARCHAR),
                  CAST(JSON_QUERY(j, '$.b')['c'] AS VARCHAR), typeof(JSON_QUERY(j, '$.a')), typeof(JSON_QUERY(s, '$.a')),
                  typeof(JSON_EXTRACT('{"a": 1}', '$.a')), JSON_QUERY(s, '$.a'), CAST(PARSE_JSON(s)['a'][0] AS VARCHAR),
                  typeof(JSON_QUERY(CAST(NULL AS JSON), '$.a'))
                FROM (SELECT JSON '{"a":[10,20],"b":{"c":"x"}}' AS j, '{"a":[10,20]}' AS s)""")).get(0))
                .containsExactly("10", "20", "\"x\"", "JSON", "VARCHAR", "VARCHAR", "[10,20]", "10", "JSON");
        // a STRING result has no subscript, as in BigQuery
        assertThatThrownBy(() -> rows(sql("SELECT JSON_QUERY('{\"a\":[10,20]}', '$.a')[0]"))).hasMessageContaining("is of a STRING");
        // DuckDB's json_extract with a list of paths is its own
        assertThat(sql("SELECT json_extract(j, ['$.a', '$.b']) FROM t")).isEqualTo("SELECT json_extract(j, ['$.a', '$.b']) AS f0_ FROM t");
    }

    /** Probe: STRUCT(1 AS a, 2 AS a) was DuckDB's binder error "Duplicate struct entry name"; GoogleSQL allows it, DuckDB cannot. */
    @Test
    void aStructsDuplicateFieldNameIsRefusedNamingTheField() {
        assertThatThrownBy(() -> sql("SELECT STRUCT(1 AS a, 2 AS A)")).hasMessage("STRUCT(...) at line 1, column 28 has a second field named A:"
                + " BigQuery allows duplicate field names, but the warehouse's STRUCTs cannot hold them; give each field its own name (x AS A_2)");
        assertThatThrownBy(() -> sql("SELECT STRUCT(t.b, 2 AS b) FROM t")).hasMessageContaining("column 25 has a second field named b");
        assertThatThrownBy(() -> sql("SELECT ARRAY(SELECT AS STRUCT x AS a, t.a FROM t)")).hasMessageContaining(
                "SELECT AS STRUCT at line 1, column 41 has a second field named a");
        assertThat(sql("SELECT STRUCT(1 AS a, 2 AS b, t.c, 4) FROM t")).isEqualTo("SELECT struct_pack(\"a\" := 1, \"b\" := 2, t.c, \"_field_4\" := 4) AS f0_ FROM t");
    }

    @Test
    void unnestWithoutAnAliasGivesTheFieldsOfAStructAsColumns() throws SQLException {
        // probe vp F1: BigQuery's UNNEST of an ARRAY<STRUCT> without an alias has a column per field; DuckDB's had one column
        // "unnest" holding the STRUCT ("Referenced column "name" not found"). The k-means tutorial's query, correlated:
        String clusters = "(SELECT 1 AS centroid_id, [STRUCT('culmen' AS name, 39.5 AS value), STRUCT('flipper' AS name, 190.0 AS value)] AS cluster"
                + " UNION ALL SELECT 2, [STRUCT('culmen' AS name, 47.5 AS value)])";
        assertThat(rows(sql("SELECT centroid_id, (SELECT value FROM unnest(cluster) WHERE name = 'culmen') AS culmen FROM " + clusters
                + " AS T ORDER BY centroid_id"))).containsExactly(List.of(1, 39.5), List.of(2, 47.5));
        assertThat(rows(sql("SELECT label, prob FROM UNNEST([STRUCT('a' AS label, 0.3 AS prob), STRUCT('b' AS label, 0.7 AS prob)]) WHERE prob > 0.5")))
                .containsExactly(List.of("b", 0.7));
        String predictions = "(SELECT 7 AS id, [STRUCT('a' AS label, 0.25 AS prob), STRUCT('b' AS label, 0.75 AS prob)] AS probs UNION ALL SELECT 8, [])";
        assertThat(rows(sql("SELECT p.id, label, prob FROM " + predictions + " AS p, UNNEST(p.probs) WHERE label = 'b'")))
                .containsExactly(List.of(7, "b", 0.75));
        assertThat(rows(sql("SELECT id, (SELECT MAX(prob) FROM UNNEST(probs)), ARRAY_TO_STRING(ARRAY(SELECT label FROM UNNEST(probs)"
                + " WHERE prob > 0.5), ',') FROM " + predictions + " ORDER BY id")))
                .containsExactly(List.of(7, 0.75, "b"), java.util.Arrays.asList(8, null, ""));
        // LEFT JOIN keeps a row for the empty array, as in BigQuery
        assertThat(rows(sql("SELECT id, label FROM " + predictions + " AS p LEFT JOIN UNNEST(p.probs) ON TRUE ORDER BY 1, 2")))
                .containsExactly(List.of(7, "a"), List.of(7, "b"), java.util.Arrays.asList(8, null));
        // an array of anything else gives one column; WITH OFFSET without an element alias (was a parser error)
        assertThat(rows(sql("SELECT * FROM UNNEST([10, 20])"))).containsExactly(List.of(10), List.of(20));
        assertThat(rows(sql("SELECT o FROM UNNEST([10, 20]) WITH OFFSET AS o ORDER BY o"))).containsExactly(List.of(0L), List.of(1L));
        assertThat(rows(sql("SELECT label, `offset` FROM UNNEST([STRUCT('a' AS label), STRUCT('b' AS label)]) WITH OFFSET ORDER BY 2")))
                .containsExactly(List.of("a", 0L), List.of("b", 1L));
    }

    @Test
    void anArrayPathInFromIsAnImplicitUnnest() throws SQLException {
        // probe vp F5: BigQuery's FROM t AS p, p.arr AS x was DuckDB's 'schema "p" does not exist'
        String predictions = "(SELECT 7 AS id, [STRUCT('a' AS label, 0.25 AS prob), STRUCT('b' AS label, 0.75 AS prob)] AS probs"
                + " UNION ALL SELECT 8, [])";
        String rewritten = sql("SELECT p.id, x.label, x.prob FROM " + predictions + " AS p, p.probs AS x WHERE x.prob > 0.5");
        assertThat(rewritten).endsWith("AS p, UNNEST(p.probs) AS x(x) WHERE x.prob > 0.5e0");
        assertThat(rows(rewritten)).containsExactly(List.of(7, "b", 0.75));
        assertThat(rows(sql("SELECT p.id, x.label FROM " + predictions + " AS p CROSS JOIN p.probs x ORDER BY 2")))
                .containsExactly(List.of(7, "a"), List.of(7, "b"));
        assertThat(rows(sql("SELECT p.id, x.label FROM " + predictions + " AS p LEFT JOIN p.probs AS x ON TRUE ORDER BY 1, 2")))
                .containsExactly(List.of(7, "a"), List.of(7, "b"), java.util.Arrays.asList(8, null));
        // without an alias the path's last name is the element's (its implicit alias); a table's name is a range variable
        assertThat(rows(sql("WITH t AS " + predictions + " SELECT id, probs.label FROM t, t.probs ORDER BY 2")))
                .containsExactly(List.of(7, "a"), List.of(7, "b"));
        assertThat(rows(sql("SELECT p.id, x.label, o FROM " + predictions + " AS p, p.probs AS x WITH OFFSET AS o ORDER BY 3")))
                .containsExactly(List.of(7, "a", 0L), List.of(7, "b", 1L));
        // a path through a STRUCT, and a correlated one in a subquery's FROM
        assertThat(rows(sql("SELECT v FROM (SELECT STRUCT([1, 2] AS xs) AS s) AS r, r.s.xs AS v ORDER BY v")))
                .containsExactly(List.of(1), List.of(2));
        assertThat(rows(sql("SELECT id, (SELECT SUM(x.prob) FROM p.probs AS x) FROM " + predictions + " AS p ORDER BY 1")))
                .containsExactly(List.of(7, 1.0), java.util.Arrays.asList(8, null));
        // a path whose first name is no range variable in scope is a table: here, or in another query of a UNION
        for (String table : List.of("SELECT * FROM census.input_data AS p, census.other",
                "SELECT x FROM census.other AS census UNION ALL SELECT age FROM census.input_data",
                "SELECT * FROM census.other, (SELECT * FROM elsewhere.hidden AS elsewhere) AS h, elsewhere.hidden",
                "SELECT * FROM (SELECT * FROM census.input_data) AS census")) {
            assertThat(sql(table)).as(table).doesNotContain("UNNEST");
        }
    }

    @Test
    void anArrayPathThatNamesATableIsTheTable() throws SQLException {
        // probe vr 1: d.u after a range variable d (d.d's implicit alias, or an alias) became UNNEST(d.u): "UNNEST not supported
        // here"; in Lathe a dataset is often named as one of its tables, so a table that exists wins over the array path
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA d");
            statement.execute("CREATE TABLE d.d AS SELECT 5 AS u");
            statement.execute("CREATE TABLE d.u AS SELECT 10 AS y");
            statement.execute("CREATE TABLE d.t AS SELECT 1 AS x, [7, 8] AS arr");
        }
        assertThat(rows(sql("SELECT * FROM d.d, d.u"))).containsExactly(List.of(5, 10));
        assertThat(rows(sql("SELECT * FROM d.d JOIN d.u ON TRUE"))).containsExactly(List.of(5, 10));
        assertThat(rows(sql("SELECT d.x, y FROM d.t AS d, d.u"))).containsExactly(List.of(1, 10));
        assertThat(rows(sql("SELECT * FROM d.u AS d JOIN d.d ON TRUE"))).containsExactly(List.of(10, 5));
        assertThat(rows(sql("SELECT (SELECT COUNT(*) FROM d.u) AS c FROM d.t AS d"))).containsExactly(List.of(1L));
        assertThat(rows(sql("SELECT x, y FROM d.t, d.u"))).containsExactly(List.of(1, 10));
        // with a project: project.dataset.table
        assertThat(sql("SELECT * FROM d.t AS p, p.d.u")).doesNotContain("UNNEST");
        // no table d.arr: the array path of the alias d
        assertThat(rows(sql("SELECT x, a FROM d.t AS d, d.arr AS a ORDER BY a"))).containsExactly(List.of(1, 7), List.of(1, 8));
        // without a catalog to ask, every such path may be a table, so stays one
        assertThat(((Statement.Query) TestFunctions.parser().parse("SELECT x, a FROM d.t AS d, d.arr AS a")).sql())
                .isEqualTo("SELECT x, a FROM d.t AS d, d.arr AS a");
    }

    @Test
    void wildcardTablesAreListedForTheExecutorAndKeptOutOfTheStar() {
        // probe vp F2: DuckDB's 'Table with name ga_sessions_* does not exist! Did you mean "ga_sessions_20160801"?'. The
        // tables are found when the statement runs (LatheEngine), so the rewriter lists the name with its span
        Statement.Query query = (Statement.Query) parser.parse("SELECT COUNT(*) FROM\n `bigquery-public-data.google_analytics_sample.ga_sessions_*`"
                + " WHERE _TABLE_SUFFIX BETWEEN '20160801' AND '20170630'");
        assertThat(query.wildcards()).hasSize(1);
        WildcardTable wildcard = query.wildcards().getFirst();
        assertThat(wildcard.dataset()).isEqualTo("google_analytics_sample");
        assertThat(wildcard.prefix()).isEqualTo("ga_sessions_");
        assertThat(wildcard.position().toString()).isEqualTo("line 2, column 2");
        assertThat(query.sql().substring(wildcard.start(), wildcard.end())).isEqualTo("\"google_analytics_sample\".\"ga_sessions_*\"");
        assertThat(((Statement.Query) parser.parse("SELECT * FROM census.input_data AS a JOIN census.`in*` AS b USING (age)"))
                .wildcards().getFirst().prefix()).isEqualTo("in");
        // _TABLE_SUFFIX is a pseudo-column: not among a star's columns (it would become a model's feature), whether the star
        // is bare, qualified by the wildcard table's alias or has an EXCEPT list; another table's star and a subquery's are left
        assertThat(sql("SELECT * FROM `d.t_*` WHERE _TABLE_SUFFIX > '1'")).isEqualTo("SELECT * EXCLUDE (_TABLE_SUFFIX) FROM \"d\".\"t_*\""
                + " WHERE _TABLE_SUFFIX > '1'");
        assertThat(sql("SELECT DISTINCT t.* EXCEPT (a), o.* FROM `d.t_*` AS t JOIN d.o AS o USING (k)"))
                .isEqualTo("SELECT DISTINCT t.* EXCLUDE (a, _TABLE_SUFFIX), o.* FROM \"d\".\"t_*\" AS t JOIN d.o AS o USING (k)");
        assertThat(sql("SELECT * FROM (SELECT a FROM `d.t_*`), d.o")).isEqualTo("SELECT * FROM (SELECT a FROM \"d\".\"t_*\"), d.o");
        assertThat(sql("SELECT COUNT(*), 2 * 3 FROM `d.t_*`")).doesNotContain("EXCLUDE");
        assertThatThrownBy(() -> sql("SELECT * FROM `t_*`"))
                .hasMessageContaining("The wildcard table `t_*` at line 1, column 15 needs a dataset and one * at the end");
        assertThatThrownBy(() -> sql("DELETE FROM `d.t_*` WHERE TRUE"))
                .hasMessageContaining("The wildcard table `d.t_*` at line 1, column 13 cannot be the target of DELETE");
    }

    @Test
    void anyValueHavingMaxTakesTheRowWithTheExtremeValue() throws SQLException {
        // probe vp 8: ANY_VALUE(x HAVING MAX y) was DuckDB's 'syntax error at or near "HAVING"'
        assertThat(rows(sql("SELECT dataframe, ANY_VALUE(workclass HAVING MAX age), ANY_VALUE(workclass HAVING MIN age + 0)"
                + " FROM census.input_data GROUP BY dataframe ORDER BY dataframe")))
                .containsExactly(List.of("evaluation", "b", "b"), List.of("training", "c", "a"));
        // NULLs of y are ignored; the x of the row with the greatest y even if NULL (DuckDB's arg_max gave another row's 'a'),
        // a non-NULL x among tied rows; every y NULL: any non-NULL x
        String rows = "SELECT CAST(NULL AS STRING) AS x, 3 AS y UNION ALL SELECT 'a', 2 UNION ALL SELECT 'b', NULL";
        assertThat(rows(sql("SELECT ANY_VALUE(x HAVING MAX y), ANY_VALUE(x HAVING MIN y) FROM (" + rows + ")")).get(0))
                .containsExactly(null, "a");
        assertThat(rows(sql("SELECT ANY_VALUE(x HAVING MAX y) FROM (" + rows + " UNION ALL SELECT 'c', 3)"))).containsExactly(List.of("c"));
        assertThat(rows(sql("SELECT ANY_VALUE(x HAVING MAX y) FROM (SELECT 'b' AS x, CAST(NULL AS INT64) AS y UNION ALL SELECT NULL, NULL)")))
                .containsExactly(List.of("b"));
        // a subquery's HAVING clause is no such clause; other aggregates with it are refused, as is OVER
        String subquery = "SELECT EXISTS(SELECT age FROM census.input_data GROUP BY age HAVING MAX(age) > 2)";
        assertThat(sql(subquery)).isEqualTo(subquery + " AS f0_");
        assertThatThrownBy(() -> sql("SELECT SUM(age HAVING MIN age) FROM census.input_data"))
                .hasMessageContaining("HAVING MIN in SUM(...) at line 1, column 16 is not supported: Lathe takes it in ANY_VALUE(x HAVING MIN y) only");
        assertThatThrownBy(() -> sql("SELECT ANY_VALUE(age HAVING MAX age) OVER () FROM census.input_data"))
                .hasMessageContaining("is an aggregate here, not an analytic function");
    }

    @Test
    void keepsExceptAsSetOperation() {
        String text = "SELECT age FROM t EXCEPT DISTINCT SELECT age FROM u";
        assertThat(sql(text)).isEqualTo(text);
    }

    @Test
    void turnsBigQueryStringsIntoStandardStrings() throws SQLException {
        String rewritten = sql("SELECT \"a'b\" AS x, 'c\\'d' AS y, r'\\d+' AS z, '''multi\nline''' AS w");
        assertThat(rewritten).isEqualTo("SELECT 'a''b' AS x, 'c''d' AS y, '\\d+' AS z, 'multi\nline' AS w");
        assertThat(rows(rewritten)).containsExactly(List.of("a'b", "c'd", "\\d+", "multi\nline"));
    }

    @Test
    void turnsHashCommentsIntoDashComments() throws SQLException {
        String rewritten = sql("SELECT 1 AS one # why\n, 2 AS two");
        assertThat(rewritten).isEqualTo("SELECT 1 AS one -- why\n, 2 AS two");
        assertThat(rows(rewritten)).containsExactly(List.of(1, 2));
    }

    @Test
    void expandedPreprocessingFunctionRunsOnDuckDb() throws SQLException {
        String rewritten = sql("SELECT ML.SCALER(age) OVER() AS z FROM `census.input_data` ORDER BY age");
        assertThat(rows(rewritten)).extracting(r -> ((Number) r.getFirst()).doubleValue()).containsExactly(-1.0, 0.0, 1.0);
    }

    @Test
    void mapsRewrittenOffsetsBackToTheUsersText() {
        String script = "SELECT 1;\nSELECT * EXCEPT(x) FROM `p.d.t` WHERE oops";
        Statement.Query query = (Statement.Query) parser.parseScript(script).get(1);
        int oops = query.sql().indexOf("oops");
        assertThat(query.sourceMap().position(oops)).isEqualTo(new Position(2, 39));
        int table = query.sql().indexOf("\"d\"");
        assertThat(query.sourceMap().position(table)).isEqualTo(new Position(2, 25));
        assertThat(query.sourceMap().position(query.sql().indexOf("EXCLUDE"))).isEqualTo(new Position(2, 10));
    }

    @Test
    void forbidsTableFunctionsInsidePreprocessingArguments() {
        assertThatThrownBy(() -> sql("SELECT ML.PAIR((SELECT 1 FROM ML.PREDICT(MODEL m, TABLE t)), 2) FROM t"))
                .hasMessageContaining("Table function ML.PREDICT at line 1, column 31 cannot be used in an argument of a preprocessing function");
    }
}
