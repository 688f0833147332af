package dev.lathe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TransformCompilerTest {
    private static final String TRAINING = "SELECT * FROM train";
    private final Parser parser = TestFunctions.parser();
    private Connection connection;

    @BeforeEach
    void openDuckDb() throws SQLException {
        connection = DriverManager.getConnection("jdbc:duckdb:");
        try (java.sql.Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE train AS SELECT * FROM (VALUES (1.0, 10.0, 'a', 0, 'x'), (2.0, 20.0, 'b', 1, 'y'), "
                    + "(3.0, 60.0, 'c', 1, 'z')) AS v(f1, f2, cat, label, unused)");
            statement.execute("CREATE TABLE serving AS SELECT * FROM (VALUES (5.0, 0.0, 'q', 7, 'w')) AS v(f1, f2, cat, label, unused)");
        }
    }

    @AfterEach
    void close() throws SQLException {
        connection.close();
    }

    private List<SelectItem> transform(String items) {
        Statement.CreateModel model = (Statement.CreateModel) parser.parse(
                "CREATE MODEL d.m TRANSFORM(" + items + ")\nOPTIONS(model_type='linear_reg') AS SELECT * FROM train");
        return model.transform().orElseThrow();
    }

    private FittedTransform fit(String items, Set<String> passThrough) {
        return TransformCompiler.fit(transform(items), TRAINING, connection, passThrough, TestFunctions::find);
    }

    private List<List<Object>> rows(String sql) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (java.sql.Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
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

    @Test
    void freezesTrainingStatisticsSoServingUsesThem() throws SQLException {
        FittedTransform fitted = fit("ML.SCALER(f1) OVER() AS f1_scaled, label", Set.of("label"));
        assertThat(fitted.outputNames()).containsExactly("f1_scaled", "label");
        assertThat(fitted.inputColumns()).containsExactly("f1", "label");
        // Training f1 = 1, 2, 3: mean 2, sample sd 1, so serving f1 = 5 scales to (5 - 2) / 1.
        List<List<Object>> serving = rows(fitted.apply("SELECT * FROM serving"));
        assertThat(((Number) serving.getFirst().getFirst()).doubleValue()).isEqualTo(3.0);
        List<List<Object>> training = rows(fitted.apply(TRAINING) + " ORDER BY label, f1_scaled");
        assertThat(training).extracting(r -> ((Number) r.getFirst()).doubleValue()).containsExactly(-1.0, 0.0, 1.0);
    }

    @Test
    void expandsStarWithExceptAndReplace() throws SQLException {
        FittedTransform fitted = fit("* EXCEPT(unused, cat) REPLACE (f2 / 10 AS f2), f1 + f2 AS total", Set.of("label"));
        assertThat(fitted.outputNames()).containsExactly("f1", "f2", "label", "total");
        assertThat(fitted.inputColumns()).containsExactly("f1", "f2", "label");
        assertThat(rows(fitted.apply("SELECT * FROM serving"))).hasSize(1).first()
                .satisfies(row -> assertThat(((Number) row.get(3)).doubleValue()).isEqualTo(5.0));
    }

    @Test
    void flattensStructOutputsIntoOneColumnPerField() throws SQLException {
        FittedTransform fitted = fit("ML.PAIR(cat, CAST(label AS VARCHAR)) AS crossed, label", Set.of());
        assertThat(fitted.outputNames()).containsExactly("crossed_first", "crossed_second", "label");
        assertThat(rows(fitted.apply("SELECT * FROM serving"))).containsExactly(List.of("q", "7", 7));
    }

    @Test
    void keepsAListOfStructsAsOneColumn() throws SQLException {
        // The encoders' ARRAY<STRUCT<index, value>> is one sparse feature; DuckDB names its type STRUCT(...)[].
        FittedTransform fitted = fit("[{'index': label, 'value': f1}] AS sparse, label", Set.of());
        assertThat(fitted.outputNames()).containsExactly("sparse", "label");
        assertThat(rows(fitted.apply("SELECT * FROM serving"))).hasSize(1);
        assertThat(TransformCompiler.isStruct("STRUCT(\"index\" BIGINT, \"value\" DOUBLE)")).isTrue();
        assertThat(TransformCompiler.isStruct("STRUCT(a INTEGER[], b VARCHAR)")).isTrue();
        assertThat(TransformCompiler.isStruct("STRUCT(\"index\" BIGINT, \"value\" DOUBLE)[]")).isFalse();
        assertThat(TransformCompiler.isStruct("STRUCT(a INTEGER)[3]")).isFalse();
        assertThat(TransformCompiler.isStruct("MAP(VARCHAR, INTEGER)")).isFalse();
    }

    @Test
    void aliasesPlainColumnsAndKeepsTheirCase() {
        FittedTransform fitted = fit("F1 AS first, `f2`", Set.of());
        assertThat(fitted.outputNames()).containsExactly("first", "f2");
        assertThat(fitted.inputColumns()).containsExactly("f1", "f2");
    }

    @Test
    void survivesJsonRoundTrip() throws Exception {
        FittedTransform fitted = fit("ML.SCALER(f1) OVER() AS s, label", Set.of("label"));
        ObjectMapper mapper = new ObjectMapper();
        FittedTransform read = mapper.readValue(mapper.writeValueAsString(fitted), FittedTransform.class);
        assertThat(read).isEqualTo(fitted);
    }

    @Test
    void requiresAliasForComputedItems() {
        assertThatThrownBy(() -> fit("label,\n  f1 + f2", Set.of()))
                .isInstanceOf(LatheException.class)
                .hasMessage("TRANSFORM item at line 2, column 3 needs an alias, e.g. f1 + f2 AS f1_plus_f2");
    }

    @Test
    void forbidsAggregatesAndOtherAnalyticFunctions() {
        assertThatThrownBy(() -> fit("AVG(f1) AS m", Set.of()))
                .hasMessageContaining("uses the aggregate function AVG at line 1, column 28");
        assertThatThrownBy(() -> fit("RANK() OVER (ORDER BY f1) AS r", Set.of()))
                .hasMessageContaining("TRANSFORM allows OVER only on ML preprocessing functions");
        assertThatThrownBy(() -> fit("ML.SCALER(f1) OVER (PARTITION BY cat) AS s", Set.of()))
                .hasMessageContaining("takes OVER() with an empty window");
    }

    @Test
    void forbidsTableFunctionsInTransform() {
        assertThatThrownBy(() -> fit("(SELECT 1 FROM ML.PREDICT(MODEL d.m, TABLE t)) AS p", Set.of()))
                .hasMessageContaining("holds a subquery at line 1, column 29");
    }

    /** Spec 3.1: subqueries are forbidden in TRANSFORM's select list (probe rg: (SELECT 1) AS q was taken). */
    @Test
    void forbidsSubqueries() {
        assertThatThrownBy(() -> fit("f1 + (SELECT 1) AS q", Set.of()))
                .hasMessage("TRANSFORM item at line 1, column 28 holds a subquery at line 1, column 34; TRANSFORM computes each row from"
                        + " that row's columns (BigQuery ML forbids subqueries there): compute it in the training query instead");
    }

    @Test
    void requiresPassThroughColumnsUnchangedAndUnaliased() {
        assertThatThrownBy(() -> fit("f1, label AS target", Set.of("label")))
                .hasMessageContaining("Column 'label' must pass through TRANSFORM unaliased but is renamed to 'target'");
        assertThatThrownBy(() -> fit("f1, label * 2 AS label", Set.of("label")))
                .hasMessageContaining("Column 'label' must pass through TRANSFORM unchanged");
        assertThatThrownBy(() -> fit("* REPLACE (label + 1 AS label)", Set.of("label")))
                .hasMessageContaining("* REPLACE at line 1, column 39 transforms it");
        assertThatThrownBy(() -> fit("f1", Set.of("label")))
                .hasMessage("TRANSFORM must pass column 'label' through unchanged (by name or with *), but its output columns are: f1");
    }

    @Test
    void rejectsUnknownColumnsWithSuggestion() {
        assertThatThrownBy(() -> fit("labl", Set.of()))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.COLUMN_NOT_FOUND))
                .hasMessage("Column 'labl' at line 1, column 28 is not in the training query; did you mean 'label'? "
                        + "Columns are: f1, f2, cat, label, unused");
    }

    @Test
    void rejectsDuplicateOutputNames() {
        assertThatThrownBy(() -> fit("f1, f2 AS f1", Set.of()))
                .hasMessageContaining("TRANSFORM output column 'f1' at line 1, column 32 duplicates the one at line 1, column 28");
    }
}
