package dev.lathe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Probe vp F3: columns without a name are BigQuery's f0_, f1_, ..., and a table or a model refuses them. */
class AnonymousColumnsTest {
    private final Parser parser = TestFunctions.parser();
    private Connection connection;

    @BeforeEach
    void openDuckDb() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t AS SELECT * FROM (VALUES (1, 'a', [{'f': 5}]), (2, 'b', [{'f': 6}])) AS v(age, name, s)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private List<String> columns(String bigQuery) throws SQLException {
        List<String> names = new ArrayList<>();
        String sql = ((Statement.Query) parser.parse(bigQuery)).sql();
        try (java.sql.Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                names.add(result.getMetaData().getColumnName(i));
            }
        }
        return names;
    }

    @Test
    void anonymousColumnsAreNumberedAmongThemselvesFromZero() throws SQLException {
        // BigQuery: SELECT BYTE_LENGTH(s), BYTE_LENGTH(b) AS bytes, SAFE_CAST(s AS INT64) answers f0_, bytes, f1_
        assertThat(columns("SELECT name, COUNT(*), AVG(age) + 1 AS a, MAX(age) + 1 FROM t GROUP BY name"))
                .containsExactly("name", "f0_", "a", "f1_");
        // a column reference, a path, a field of a subscript, an implicit alias and a star keep their names
        assertThat(columns("SELECT t.age, s[0].f, age + 1 plus, `name`, NULL, CURRENT_DATE, (SELECT 1), t.* FROM t"))
                .containsExactly("age", "f", "plus", "name", "f0_", "f1_", "f2_", "age", "name", "s");
        // an operator whose last operand is a path is anonymous; a date part after INTERVAL n is a unit, not an alias
        assertThat(columns("SELECT (age + 1) * t.age, age * t.age AS ok, INTERVAL 2 DAY, * EXCEPT (s) FROM t"))
                .containsExactly("f0_", "ok", "f1_", "age", "name");
    }

    @Test
    void starExpressionsParenthesesAndTakenNames() throws SQLException {
        // probe vr 5: DuckDB's COLUMNS(...) expands to columns named as they are; one alias named them all f0_
        assertThat(columns("SELECT COLUMNS('age|name') FROM t")).containsExactly("age", "name");
        assertThat(columns("SELECT COLUMNS('age') + 1, COUNT(*) FROM t GROUP BY ALL")).containsExactly("age", "f0_");
        // a column or path in parentheses is the column (it was f0_); a subquery in parentheses is anonymous
        assertThat(columns("SELECT (age), ((t.name)), (1), (age + 1), (SELECT 2), ((SELECT 3)) FROM t"))
                .containsExactly("age", "name", "f0_", "f1_", "f2_", "f3_");
        // a name the list takes is skipped: two columns f0_ were ambiguous
        assertThat(columns("SELECT age AS f0_, 3, name AS F2_, 4, 5 FROM t")).containsExactly("f0_", "f1_", "F2_", "f3_", "f4_");
    }

    @Test
    void onlyTheOutermostSelectListIsNamed() throws SQLException {
        assertThat(columns("WITH c AS (SELECT age * 2 AS d, COUNT(*) OVER () AS n FROM t) SELECT d + 1, n FROM c"))
                .containsExactly("f0_", "n");
        assertThat(columns("(SELECT age + 1, name FROM t) UNION ALL (SELECT 1, 'x')")).containsExactly("f0_", "name");
        assertThat(columns("SELECT DISTINCT UPPER(name) FROM t ORDER BY 1")).containsExactly("f0_");
        assertThat(columns("SELECT age FROM t WHERE age IN (SELECT age + 0 FROM t)")).containsExactly("age");
        // the alias goes after what the rewriting closes within the item: a subscript, LIKE's ESCAPE
        assertThat(columns("SELECT s[OFFSET(0)], name LIKE 'a%', [1, 2][0], MAP {'k': 1, 'j': 2} AS m, {'a': 1, 'b': 2} FROM t"))
                .containsExactly("f0_", "f1_", "f2_", "m", "f3_");
        assertThat(((Statement.Query) parser.parse("SELECT s[0], name LIKE 'a' FROM t")).sql()).endsWith("ESCAPE '\\' AS f1_ FROM t");
        // a statement cut short is left to DuckDB's syntax error at its end
        assertThat(((Statement.Query) parser.parse("SELECT 1 +")).sql()).isEqualTo("SELECT 1 +");
        assertThat(((Statement.Query) parser.parse("SELECT a AND")).sql()).isEqualTo("SELECT a AND");
    }

    @Test
    void createTableAndViewRefuseAnAnonymousColumnAsBigQueryDoes() {
        for (String kind : List.of("TABLE", "OR REPLACE TABLE", "TEMP TABLE", "VIEW", "TABLE IF NOT EXISTS")) {
            LatheException e = (LatheException) org.assertj.core.api.Assertions.catchThrowable(() -> parser.parse("CREATE " + kind
                    + " d.x AS SELECT name, COUNT(*) FROM t GROUP BY name"));
            assertThat(e).as(kind).isNotNull();
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).as(kind).contains("columns must be named, but select item 2, COUNT(*) at line 1, column")
                    .endsWith("has no name; give it one: COUNT(*) AS <name>");
        }
        assertThat(parser.parse("CREATE TABLE d.x OPTIONS (description = 'y') AS SELECT name, COUNT(*) AS n FROM t GROUP BY name"))
                .isInstanceOf(Statement.Query.class);
        assertThat(parser.parse("CREATE TABLE d.x (a INT64, b INT64) AS SELECT 1, 2")).isInstanceOf(Statement.Query.class);
        assertThat(parser.parse("INSERT INTO d.x SELECT age + 1 FROM t")).isInstanceOf(Statement.Query.class);
    }

    @Test
    void aTrainingQueryRefusesAnAnonymousColumnNamingIt() {
        // it trained a feature named "(age * 2)" that ML.PREDICT then said was missing and needed
        assertThatThrownBy(() -> parser.parse("CREATE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'])"
                + " AS SELECT y, age * 2, LOWER(name) FROM t"))
                .isInstanceOf(LatheException.class)
                .hasMessage("The training query's columns must be named, but select item 2, age * 2 at line 1, column 93, has no name"
                        + " (a column is a feature, which ML.PREDICT's input supplies by name); give it one: age * 2 AS <name>");
        assertThatThrownBy(() -> parser.parse("CREATE MODEL d.m OPTIONS (model_type = 'kmeans') AS (training_data AS (SELECT age + 1 FROM t))"))
                .hasMessageContaining("select item 1, age + 1 at line 1, column 79, has no name");
        assertThat(parser.parse("CREATE MODEL d.m OPTIONS (model_type = 'kmeans') AS SELECT age * 2 AS double_age, t.name FROM t"))
                .isInstanceOf(Statement.CreateModel.class);
    }
}
