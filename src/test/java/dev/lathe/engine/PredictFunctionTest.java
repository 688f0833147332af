package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.LatheException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ML.PREDICT inside DuckDB ({@link PredictFunction}) gives what the read, predict, write-back and join path
 * gives: the same columns, types and order, the same rows in the same order, every value to the last bit,
 * over inputs of many chunks (so several DuckDB threads), with NULLs, text, booleans and timestamps.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PredictFunctionTest {
    private Platform platform;
    private SqlSession sql;

    @BeforeAll
    void train(@TempDir Path directory) {
        platform = Platform.open(directory);
        sql = new SqlSession(platform).withPenguins();
        // 40 copies of penguins (13,760 rows, many DuckDB chunks), every 7th row's numbers NULL, one column as text,
        // islands unseen in training (one with a quote, one empty) beside NULLs.
        sql.run("""
                CREATE TABLE d.many AS SELECT p.* REPLACE (
                    CASE WHEN (copy + rowid) % 7 = 0 THEN NULL ELSE p.bill_length_mm + copy / 10 END AS bill_length_mm,
                    CASE WHEN (copy + rowid) % 11 = 0 THEN NULL WHEN (copy + rowid) % 13 = 0 THEN 'Atlantis'
                         WHEN (copy + rowid) % 17 = 0 THEN 'O''Hare' WHEN (copy + rowid) % 19 = 0 THEN '' ELSE p.island END AS island),
                  TIMESTAMP '2024-01-01 00:00:00' + to_minutes(CAST(copy * 997 + rowid * 13 AS BIGINT)) AS seen,
                  (copy + rowid) % 3 = 0 AS flag
                FROM d.penguins AS p, range(40) AS r(copy);
                CREATE MODEL d.linear OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.logistic OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species']) AS
                  SELECT * EXCEPT (year) FROM d.penguins;
                CREATE MODEL d.binary OPTIONS (model_type = 'logistic_reg', input_label_cols = ['sex']) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE sex IS NOT NULL;
                CREATE MODEL d.trees OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['species'], max_iterations = 4) AS
                  SELECT * EXCEPT (year) FROM d.penguins;
                CREATE MODEL d.forest OPTIONS (model_type = 'random_forest_regressor', input_label_cols = ['body_mass_g']) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.clusters OPTIONS (model_type = 'kmeans', num_clusters = 4) AS
                  SELECT bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, island FROM d.penguins;
                CREATE MODEL d.dummy OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'],
                    category_encoding_method = 'DUMMY_ENCODING') AS SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.target OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['body_mass_g'], max_iterations = 3,
                    category_encoding_method = 'TARGET_ENCODING') AS SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.timed OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['body_mass_g'], max_iterations = 3) AS
                  SELECT * EXCEPT (year) FROM d.many WHERE body_mass_g IS NOT NULL;
                """);
    }

    @AfterAll
    void close() {
        sql.close();
        platform.close();
    }

    private LoadedModel model(String name) {
        return platform.models().get("d", name, platform.registry().resolve("d", name, java.util.Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "logistic", "binary", "trees", "forest", "clusters", "dummy", "target", "timed"})
    void insideDuckDbEqualsTheBatchPath(String model) {
        // the threshold, where a model takes one (a binary classifier), moves the cut-off in both paths
        String query = "SELECT * FROM ML.PREDICT(MODEL d." + model + ", TABLE d.many" + (model.equals("binary") ? ", STRUCT(0.3 AS threshold)" : "")
                + ")";
        assertThat(PredictFunction.covers(model(model))).isTrue();
        List<Map<String, Object>> inside = sql.rows(query);
        List<Map<String, Object>> batch = batchPath(() -> sql.rows(query));
        assertThat(inside).hasSize(13_760);
        assertThat(List.copyOf(inside.getFirst().keySet())).isEqualTo(List.copyOf(batch.getFirst().keySet()));
        assertThat(sql.rows("DESCRIBE " + query)).isEqualTo(batchPath(() -> sql.rows("DESCRIBE " + query)));
        for (int i = 0; i < inside.size(); i++) {
            assertThat(inside.get(i)).as("row %d", i).isEqualTo(batch.get(i));
        }
    }

    @Test
    void textBeyondTheCodedVocabularyTravelsAsText() {
        // More distinct training values than PredictFunction codes in SQL: this input goes to the function as text.
        int distinct = PredictFunction.MAX_CODED_VALUES + 500;
        sql.run("CREATE TABLE d.wide AS SELECT 'v' || CAST(i % " + distinct + " AS VARCHAR) AS code, CAST(i % 97 AS DOUBLE) AS x,"
                + " CAST((i * 31) % 1000 AS DOUBLE) + i % 7 AS y FROM range(" + (2 * distinct) + ") AS r(i)");
        sql.run("CREATE MODEL d.widemodel OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['y'], max_iterations = 2)"
                + " AS SELECT * FROM d.wide");
        String query = "SELECT * FROM ML.PREDICT(MODEL d.widemodel, (SELECT *, 'unseen' AS unused FROM d.wide UNION ALL"
                + " SELECT 'never seen', 1.0, 2.0, NULL UNION ALL SELECT NULL, 2.0, 3.0, NULL))";
        assertThat(PredictFunction.covers(model("widemodel"))).isTrue();
        List<Map<String, Object>> inside = sql.rows(query);
        assertThat(inside).hasSize(2 * distinct + 2).isEqualTo(batchPath(() -> sql.rows(query)));
    }

    @Test
    void aVocabularyOfLongValuesTravelsAsText() {
        // probe ud F2: 200 values of 1 MB inlined as an ENUM cast made a 200 MB statement (123 s, 12.8 GB for one row)
        sql.run("CREATE TABLE d.long AS SELECT repeat(chr(65 + (i % 20)::INT), 500000) || i::VARCHAR AS c, (i % 5)::DOUBLE AS x,"
                + " (i % 3)::DOUBLE AS y FROM range(12) r(i)");
        sql.run("CREATE MODEL d.longmodel OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['y'], max_iterations = 2)"
                + " AS SELECT * FROM d.long");
        assertThat(PredictFunction.covers(model("longmodel"))).isTrue();
        assertThat(PredictFunction.coded(model("longmodel"))).containsExactly(false, false); // 6 MB of values; x is a number
        assertThat(PredictFunction.coded(model("linear"))).contains(true); // species, island, sex: a few bytes each
        String query = "SELECT * EXCLUDE (c), length(c) AS n FROM ML.PREDICT(MODEL d.longmodel, (SELECT * FROM d.long UNION ALL"
                + " SELECT 'a', 1.0, 2.0 UNION ALL SELECT NULL, 2.0, 3.0))";
        List<Map<String, Object>> inside = sql.rows(query);
        assertThat(inside).hasSize(14).isEqualTo(batchPath(() -> sql.rows(query)));
    }

    @Test
    void composesWithSqlAndQueryInputs() {
        String grouped = "SELECT island, count(*) AS n, sum(predicted_body_mass_g) AS total FROM ML.PREDICT(MODEL d.forest, "
                + "(SELECT * FROM d.many WHERE sex = 'MALE')) GROUP BY island ORDER BY island";
        assertThat(sql.rows(grouped)).isEqualTo(batchPath(() -> sql.rows(grouped)));
        sql.run("CREATE TABLE d.scored AS SELECT * FROM ML.PREDICT(MODEL d.trees, TABLE d.many)");
        assertThat(sql.rows("SELECT * FROM d.scored")).isEqualTo(sql.rows("SELECT * FROM ML.PREDICT(MODEL d.trees, TABLE d.many)"));
        assertThat(sql.value("SELECT count(*) FROM ML.PREDICT(MODEL d.linear, (SELECT * FROM d.many WHERE false))")).isEqualTo(0L);
        // An ML.PREDICT inside another ML function's input query.
        assertThat(sql.rows("SELECT * FROM ML.EVALUATE(MODEL d.linear, (SELECT * EXCEPT (predicted_body_mass_g) FROM "
                + "ML.PREDICT(MODEL d.linear, TABLE d.penguins) WHERE body_mass_g IS NOT NULL))"))
                .isEqualTo(sql.rows("SELECT * FROM ML.EVALUATE(MODEL d.linear, (SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL))"));
        assertThat(PredictFunction.openHandles()).isZero();
    }

    /**
     * Probe ub F3c: input columns named like the function's own ({@code __lathe_out_<k>}, {@code __lathe_key}) came out renamed
     * {@code __lathe_out_0_1}, {@code __lathe_key_1}; they keep their names and values, as on the batch path.
     */
    @ParameterizedTest
    @ValueSource(strings = {"linear", "logistic", "clusters"})
    void inputColumnsNamedLikeTheFunctionsOwnKeepTheirNamesAndValues(String model) {
        String query = "SELECT * FROM ML.PREDICT(MODEL d." + model + ", (SELECT *, 123 AS __lathe_out_0, 'k' AS __lathe_key,"
                + " 5 AS __LATHE_OUT_1, 6 AS __lathe_out_0_2 FROM d.penguins ORDER BY rowid LIMIT 5))";
        List<Map<String, Object>> inside = sql.rows(query);
        assertThat(inside).hasSize(5);
        assertThat(List.copyOf(inside.getFirst().keySet())).endsWith("__lathe_out_0", "__lathe_key", "__LATHE_OUT_1", "__lathe_out_0_2");
        assertThat(inside).allSatisfy(row -> assertThat(row).containsEntry("__lathe_out_0", 123).containsEntry("__lathe_key", "k")
                .containsEntry("__LATHE_OUT_1", 5).containsEntry("__lathe_out_0_2", 6));
        assertThat(inside).isEqualTo(batchPath(() -> sql.rows(query)));
    }

    /** An ML function's input reads the statement's CTEs, as in BigQuery's k-means tutorial (spec section 5.3). */
    @Test
    void inputsReadTheStatementsCommonTableExpressions() {
        assertThat(sql.rows("""
                WITH hs AS (SELECT *, IF(EXTRACT(DAYOFWEEK FROM seen) IN (1, 7), 'weekend', 'weekday') AS isweekday FROM d.many),
                stationstats AS (SELECT island, isweekday, avg(bill_length_mm) AS bill_length_mm, avg(bill_depth_mm) AS bill_depth_mm,
                    avg(flipper_length_mm) AS flipper_length_mm, avg(body_mass_g) AS body_mass_g FROM hs GROUP BY 1, 2)
                SELECT * EXCEPT (nearest_centroids_distance)
                FROM ML.PREDICT(MODEL d.clusters, (SELECT * FROM stationstats WHERE REGEXP_CONTAINS(island, 'Dream')))
                ORDER BY isweekday"""))
                .isEqualTo(sql.rows("""
                        SELECT * EXCEPT (nearest_centroids_distance) FROM ML.PREDICT(MODEL d.clusters, (SELECT island,
                            CASE WHEN dayofweek(seen) IN (0, 6) THEN 'weekend' ELSE 'weekday' END AS isweekday,
                            avg(bill_length_mm) AS bill_length_mm, avg(bill_depth_mm) AS bill_depth_mm,
                            avg(flipper_length_mm) AS flipper_length_mm, avg(body_mass_g) AS body_mass_g
                          FROM d.many WHERE island = 'Dream' GROUP BY 1, 2))
                        ORDER BY isweekday"""))
                .hasSize(2);
        long dream = (long) sql.value("SELECT count(*) FROM d.many WHERE island = 'Dream'");
        // TABLE c; a CTE whose query is an ML function, read by the next; the argument's own WITH beside the statement's.
        assertThat(sql.value("WITH dream AS (SELECT * FROM d.many WHERE island = 'Dream')"
                + " SELECT count(*) FROM ML.PREDICT(MODEL d.linear, TABLE dream)")).isEqualTo(dream);
        assertThat(sql.value("WITH dream AS (SELECT * FROM d.many WHERE island = 'Dream'),"
                + " scored AS (SELECT * FROM ML.PREDICT(MODEL d.linear, (SELECT * FROM dream))),"
                + " unused AS (SELECT * FROM ML.PREDICT(MODEL d.trees, TABLE d.many))"
                + " SELECT count(*) FROM ML.PREDICT(MODEL d.forest, (WITH again AS (SELECT * FROM scored) SELECT * FROM again))"))
                .isEqualTo(dream);
        // An error in the argument points at what was written, though the argument runs under a WITH of its own.
        LatheException e = sql.failure("WITH dream AS (SELECT * FROM d.many)\nSELECT count(*) FROM ML.PREDICT(MODEL d.linear,"
                + "\n  (SELECT * FROM dream WHERE nosuch > 1))");
        assertThat(e.getMessage()).contains("\"nosuch\" not found").contains("line 3, column 30");
        assertThat(PredictFunction.openHandles()).isZero();
    }

    @Test
    void badValuesFailAsOnTheBatchPath() {
        sql.run("CREATE TABLE d.bad AS SELECT * REPLACE (CASE WHEN rowid = 5000 THEN 'abc' ELSE CAST(flipper_length_mm AS VARCHAR) END"
                + " AS flipper_length_mm) FROM d.many");
        String query = "SELECT sum(predicted_body_mass_g) FROM ML.PREDICT(MODEL d.linear, TABLE d.bad)";
        LatheException inside = sql.failure(query);
        String named = "Column flipper_length_mm of the input to model d.linear holds 'abc', which is not a number";
        assertThat(inside.getMessage()).contains(named);
        assertThat(batchPath(() -> sql.failure(query)).getMessage()).contains(named);
        assertThat(sql.failure("SELECT * FROM ML.PREDICT(MODEL d.linear, (SELECT island FROM d.many))").getMessage())
                .contains("lacks columns").contains("flipper_length_mm");
        assertThat(PredictFunction.openHandles()).isZero();
    }

    @Test
    void theBatchPathServesWhatTheFunctionDoesNotCover() {
        batchPath(() -> assertThat(PredictFunction.covers(model("linear"))).isFalse());
        sql.run("CREATE MODEL d.transformed TRANSFORM (ML.STANDARD_SCALER(flipper_length_mm) OVER () AS flipper, island, body_mass_g)"
                + " OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL");
        assertThat(PredictFunction.covers(model("transformed"))).isFalse();
        assertThat(sql.value("SELECT count(predicted_body_mass_g) FROM ML.PREDICT(MODEL d.transformed, TABLE d.many)")).isEqualTo(13_760L);
    }

    private static <T> T batchPath(Supplier<T> run) {
        System.setProperty(PredictFunction.PROPERTY, "false");
        try {
            return run.get();
        } finally {
            System.clearProperty(PredictFunction.PROPERTY);
        }
    }

    /**
     * Whether a database has the function is remembered per connection, not per JVM: a second warehouse in the same
     * process (another database, same function names) gets its own, and repeated statements in each keep working.
     */
    @Test
    void everyDatabaseGetsItsOwnFunctionAndRepeatedStatementsReuseIt(@TempDir Path other) {
        String query = "SELECT count(*) AS n, sum(predicted_body_mass_g) AS total FROM ML.PREDICT(MODEL d.linear, TABLE d.penguins)";
        List<Map<String, Object>> first = sql.rows(query);
        try (SqlSession second = new SqlSession(other).withPenguins()) {
            second.run("CREATE MODEL d.linear OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                    + "SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL");
            for (int i = 0; i < 3; i++) {
                assertThat(second.rows(query)).isEqualTo(first);
                assertThat(sql.rows(query)).isEqualTo(first);
            }
            second.restart(); // a new engine, connections and database instance on the same files
            assertThat(second.rows(query)).isEqualTo(first);
        }
    }
}
