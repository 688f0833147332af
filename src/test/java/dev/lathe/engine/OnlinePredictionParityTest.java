package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.server.Json;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Online prediction from JSON-like instances equals ML.PREDICT on the same rows, to the last digit. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OnlinePredictionParityTest {
    private Platform platform;
    private Engine session;

    @BeforeAll
    void train(@TempDir Path directory) {
        platform = Platform.open(directory);
        session = platform.session(line -> {});
        session.execute("""
                CREATE SCHEMA d;
                LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['%s/penguins.csv']);
                CREATE MODEL d.linear OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.logistic OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species']) AS
                  SELECT * EXCEPT (year) FROM d.penguins;
                CREATE MODEL d.trees OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['sex'], max_iterations = 5) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE sex IS NOT NULL;
                CREATE MODEL d.dummy OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'],
                  category_encoding_method = 'DUMMY_ENCODING') AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.forest OPTIONS (model_type = 'random_forest_regressor', input_label_cols = ['body_mass_g'],
                  num_parallel_tree = 10) AS
                  SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.by_year OPTIONS (model_type = 'logistic_reg', input_label_cols = ['year']) AS
                  SELECT * FROM d.penguins;
                CREATE MODEL d.is_male OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['male'], max_iterations = 5) AS
                  SELECT * EXCEPT (sex), sex = 'male' AS male FROM d.penguins WHERE sex IS NOT NULL;
                CREATE MODEL d.imported_xgboost OPTIONS (model_type = 'XGBOOST', model_path = '%2$s/xgb_classifier.json');
                CREATE MODEL d.imported_onnx OPTIONS (model_type = 'ONNX', model_path = '%2$s/logistic_regression.onnx');
                CREATE MODEL d.clusters OPTIONS (model_type = 'kmeans', num_clusters = 3) AS
                  SELECT bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, island FROM d.penguins;
                CREATE MODEL d.transformed
                  TRANSFORM (ML.STANDARD_SCALER(flipper_length_mm) OVER () AS flipper, ML.QUANTILE_BUCKETIZE(bill_length_mm, 3) OVER () AS bill,
                             island, body_mass_g)
                  OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS
                  SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL;
                CREATE MODEL d.weighted TRANSFORM (bill_length_mm * 2 AS bill2, island, species, w, sp)
                  OPTIONS (model_type = 'boosted_tree_classifier', input_label_cols = ['species'], max_iterations = 3,
                  instance_weight_col = 'w', data_split_method = 'CUSTOM', data_split_col = 'sp') AS
                  SELECT *, 1.0 AS w, year = 2009 AS sp FROM d.penguins;
                """.formatted(SqlSession.samples(), Path.of("src/test/resources/imported").toAbsolutePath()), (text, result) -> {});
    }

    @AfterAll
    void close() {
        session.close();
        platform.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "logistic", "trees", "dummy", "forest", "by_year", "is_male", "imported_xgboost", "imported_onnx",
        "clusters", "transformed", "weighted"})
    void onlinePredictionEqualsMlPredict(String model) throws Exception {
        List<Map<String, Object>> inputs = rows("SELECT * FROM d.penguins");
        List<Map<String, Object>> sql = rows("SELECT * FROM ML.PREDICT(MODEL d." + model + ", TABLE d.penguins)");
        ModelRuntime runtime = platform.runtime("d", model, java.util.Optional.empty());
        try (Connection connection = platform.warehouse().connect()) {
            List<Map<String, Object>> online = runtime.predict(inputs, 0.5, connection);
            assertThat(online).hasSize(inputs.size());
            for (int i = 0; i < online.size(); i++) {
                assertSameColumns(online.get(i), sql.get(i), "row " + i + " of all");
            }
            // One instance per call, as most online requests come (encoded without building columns where it can be).
            for (int i = 0; i < inputs.size(); i++) {
                List<Map<String, Object>> one = runtime.predict(List.of(inputs.get(i)), 0.5, connection);
                assertThat(one).hasSize(1);
                assertSameColumns(one.get(0), sql.get(i), "row " + i + " alone");
            }
        }
    }

    /**
     * A JSON boolean for a numeric input is 1 or 0, as ML.PREDICT's CAST(TRUE AS DOUBLE) makes it (probe qb: an imported
     * model's BOOL input, which the OIP metadata advertises as BOOL, was refused online while ML.PREDICT took TRUE).
     */
    @Test
    void aBooleanForANumericInputIsOneOrZeroAsInMlPredict() throws Exception {
        List<Map<String, Object>> sql = rows("SELECT * FROM ML.PREDICT(MODEL d.imported_xgboost, (SELECT TRUE AS bill_length_mm,"
                + " FALSE AS bill_depth_mm, 190.0 AS flipper_length_mm, 4000.0 AS body_mass_g))");
        ModelRuntime runtime = platform.runtime("d", "imported_xgboost", java.util.Optional.empty());
        try (Connection connection = platform.warehouse().connect()) {
            Map<String, Object> instance = Map.of("bill_length_mm", true, "bill_depth_mm", false, "flipper_length_mm", 190.0,
                    "body_mass_g", 4000.0);
            assertThat(runtime.predict(List.of(instance), 0.5, connection).get(0).get("predicted_label"))
                    .isEqualTo(sql.get(0).get("predicted_label"));
        }
    }

    /** A BOOL input takes 1/0 and "true"/"false" as CAST(... AS BOOL) does (probe qd: one OIP [N, F] tensor could not feed it). */
    @Test
    void aBoolInputTakesOneAndZeroAndItsText() throws Exception {
        session.execute("CREATE OR REPLACE MODEL d.with_bool OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT bill_length_mm, sex = 'male' AS is_male, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL AND sex IS NOT NULL",
                (text, result) -> {});
        ModelRuntime runtime = platform.runtime("d", "with_bool", java.util.Optional.empty());
        try (Connection connection = platform.warehouse().connect()) {
            java.util.function.Function<Object, Object> predicted = male -> runtime.predict(List.of(Map.of("bill_length_mm", 40.0,
                    "is_male", male)), 0.5, connection).get(0).get("predicted_body_mass_g");
            assertThat(predicted.apply(1L)).isEqualTo(predicted.apply(true)).isEqualTo(predicted.apply("TRUE"));
            assertThat(predicted.apply(0L)).isEqualTo(predicted.apply(false)).isEqualTo(predicted.apply("false"))
                    .isNotEqualTo(predicted.apply(true));
            assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> predicted.apply(2L))).hasMessageContaining("true or false");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"linear", "logistic", "trees", "forest", "by_year", "is_male", "imported_xgboost", "clusters", "transformed"})
    void predictionJsonIsTheJsonOfThePredictedRows(String model) throws Exception {
        List<Map<String, Object>> inputs = rows("SELECT * FROM d.penguins");
        ModelRuntime runtime = platform.runtime("d", model, java.util.Optional.empty());
        try (Connection connection = platform.warehouse().connect()) {
            for (double threshold : new double[] {0.5, 0.0, 0.3, 1.0}) {
                assertThat(new String(runtime.predictJson(inputs, threshold, connection, Json::bytes), StandardCharsets.UTF_8))
                        .as("all rows, threshold %s", threshold)
                        .isEqualTo(new String(Json.bytes(runtime.predict(inputs, threshold, connection)), StandardCharsets.UTF_8));
            }
            for (int i = 0; i < inputs.size(); i++) {
                List<Map<String, Object>> one = List.of(inputs.get(i));
                assertThat(new String(runtime.predictJson(one, 0.5, connection, Json::bytes), StandardCharsets.UTF_8)).as("row %d", i)
                        .isEqualTo(new String(Json.bytes(runtime.predict(one, 0.5, connection)), StandardCharsets.UTF_8));
            }
        }
    }

    private static void assertSameColumns(Map<String, Object> online, Map<String, Object> sql, String what) {
        assertThat(online).as(what).isNotEmpty();
        for (Map.Entry<String, Object> column : online.entrySet()) {
            assertThat(column.getValue()).as("%s, column %s", what, column.getKey()).isEqualTo(sql.get(column.getKey()));
        }
    }

    @Test
    void aTransformComputesOnIntegersAbove2To53Exactly() throws Exception {
        // user_id % 10 of 2^60 + 7 is 7 in SQL; through a DOUBLE it would be another digit.
        session.execute("""
                CREATE TABLE d.big AS SELECT (1152921504606846976 + i * 1000003) :: BIGINT AS user_id,
                  CAST(((1152921504606846976 + i * 1000003) % 10) AS DOUBLE) * 10 + i % 3 AS y FROM range(60) AS t(i);
                CREATE MODEL d.digits TRANSFORM (CAST(user_id % 10 AS DOUBLE) AS last_digit, y)
                  OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM d.big;
                """, (text, result) -> {});
        List<Map<String, Object>> inputs = rows("SELECT user_id FROM d.big");
        List<Map<String, Object>> sql = rows("SELECT * FROM ML.PREDICT(MODEL d.digits, (SELECT user_id FROM d.big))");
        ModelRuntime runtime = platform.runtime("d", "digits", java.util.Optional.empty());
        try (Connection connection = platform.warehouse().connect()) {
            List<Map<String, Object>> online = runtime.predict(inputs, 0.5, connection);
            for (int i = 0; i < online.size(); i++) {
                assertSameColumns(online.get(i), sql.get(i), "row " + i + " of all");
                assertSameColumns(runtime.predict(List.of(inputs.get(i)), 0.5, connection).get(0), sql.get(i), "row " + i + " alone");
            }
            // The largest INT64 is a value, not a conversion error.
            assertThat(runtime.predict(List.of(Map.of("user_id", Long.MAX_VALUE)), 0.5, connection)).hasSize(1);
        }
    }

    /**
     * Probe M: values read differently online than ML.PREDICT reads the same row. A naive TIMESTAMP went to the TRANSFORM as
     * TIMESTAMPTZ (its text '... +00', never a category); 2.5 for an INT64 became 3 there; "11:00" for a TIME and text for a
     * BYTES were unseen categories; a date alone for a TIMESTAMP, and "NaN" for an INT64 of a TRANSFORM, were refused.
     */
    @Test
    void oddValuesAreReadAsMlPredictReadsTheSameRow() throws Exception {
        session.execute("""
                CREATE TABLE d.odd AS SELECT TIMESTAMP '2024-01-01 00:00:00' + INTERVAL (i % 5) DAY AS dtd, CAST(i AS BIGINT) AS n,
                  TIME '10:00:00' + INTERVAL (i % 3) HOUR AS tm, encode('k' || (i % 3) || 'é') AS bb,
                  i * 2.0 + (i % 5) * 3 + (i % 3) AS y FROM range(60) t(i);
                CREATE MODEL d.odd_t TRANSFORM (CAST(dtd AS STRING) AS dts, n * 1.0 AS n2, CAST(tm AS STRING) AS tms,
                  octet_length(bb) + 0.0 AS blen, y)
                  OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM d.odd;
                CREATE MODEL d.odd_p OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM d.odd;
                """, (text, result) -> {});
        Map<String, Object> instance = Map.of("dtd", "2024-01-02", "n", 2.5, "tm", "11:00", "bb", "k1é");
        String row = "SELECT TIMESTAMP '2024-01-02 00:00:00' AS dtd, CAST(2.5 AS DOUBLE) AS n, TIME '11:00:00' AS tm,"
                + " encode('k1é') AS bb";
        try (Connection connection = platform.warehouse().connect()) {
            for (String model : List.of("odd_t", "odd_p")) {
                ModelRuntime runtime = platform.runtime("d", model, java.util.Optional.empty());
                Map<String, Object> sql = rows("SELECT * FROM ML.PREDICT(MODEL d." + model + ", (" + row + "))").get(0);
                assertSameColumns(runtime.predict(List.of(instance), 0.5, connection).get(0), sql, model);
                assertThat(runtime.predict(List.of(Map.of("dtd", "2024-1-2 00:00:00 UTC", "n", "NaN", "tm", "11:00:00.000", "bb", "k1")),
                        0.5, connection)).as(model).hasSize(1);
                // an INT64 as BigQuery's JSON writes it, a string of digits
                assertThat(runtime.predict(List.of(Map.of("dtd", "2024-01-02", "n", "3", "tm", "11:00", "bb", "k1")), 0.5, connection))
                        .as(model).isEqualTo(runtime.predict(List.of(Map.of("dtd", "2024-01-02", "n", 3L, "tm", "11:00", "bb", "k1")), 0.5, connection));
            }
            // the training value itself, through the TRANSFORM's CAST(dtd AS STRING)
            Map<String, Object> trained = rows("SELECT * FROM ML.PREDICT(MODEL d.odd_t, (SELECT * EXCLUDE (y) FROM d.odd LIMIT 1 OFFSET 1))").get(0);
            Map<String, Object> first = rows("SELECT * EXCLUDE (y), CAST(dtd AS VARCHAR) AS t, CAST(tm AS VARCHAR) AS tt FROM d.odd LIMIT 1 OFFSET 1").get(0);
            assertSameColumns(platform.runtime("d", "odd_t", java.util.Optional.empty()).predict(List.of(Map.of("dtd", first.get("t"),
                    "n", first.get("n"), "tm", first.get("tt"), "bb", "k1é")), 0.5, connection).get(0), trained, "a training row");
            // A TIME WITH TIME ZONE takes the text DuckDB prints for it (probe rc: "01:00:00+00" was not a time)
            session.execute("CREATE TABLE d.tz AS SELECT (TIMETZ '01:00:00+00' + to_minutes(i % 7 * 30))::TIMETZ AS tt, (i % 7) * 2.0 + i % 2 AS y"
                    + " FROM range(70) t(i); CREATE MODEL d.tzm OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT * FROM d.tz",
                    (text, result) -> {});
            ModelRuntime zoned = platform.runtime("d", "tzm", java.util.Optional.empty());
            Object expected = rows("SELECT predicted_y FROM ML.PREDICT(MODEL d.tzm, (SELECT TIMETZ '02:00:00+00' AS tt))").get(0).get("predicted_y");
            for (String written : List.of("02:00:00+00", "02:00+00:00", "02:00:00Z", "02:00:00")) {
                assertThat(zoned.predict(List.of(Map.of("tt", written)), 0.5, connection).get(0).get("predicted_y")).as(written).isEqualTo(expected);
            }
            // "NaN" in an array of numbers, as a number field takes it
            dev.lathe.core.Batch arrays = ModelRuntime.toBatch(List.of(Map.of("v", List.of("NaN", 2.0))),
                    List.of(new dev.lathe.core.Field("v", dev.lathe.core.DataType.ARRAY_FLOAT64, "DOUBLE[]")));
            assertThat(arrays.rowCount()).isEqualTo(1);
            // an imported classifier is explained as ML.EXPLAIN_PREDICT explains it (it was a 400: no label column)
            ModelRuntime imported = platform.runtime("d", "imported_xgboost", java.util.Optional.empty());
            assertThat(imported.explain(List.of(rows("SELECT * FROM d.penguins LIMIT 1").get(0)), 0.5, connection)).hasSize(1);
        }
    }

    @Test
    void missingFieldsAndWrongTypesNameTheInstanceAndField() {
        ModelRuntime runtime = platform.runtime("d", "linear", java.util.Optional.empty());
        Map<String, Object> instance = new LinkedHashMap<>(Map.of("species", "Adelie", "island", "Dream", "bill_length_mm", 39.1,
                "bill_depth_mm", 18.7, "flipper_length_mm", 181));
        assertThatThrownBy(() -> runtime.predict(List.of(instance), 0.5, null))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("instances[0]").hasMessageContaining("'sex'");
        instance.put("sex", null);
        instance.put("bill_depth_mm", "deep");
        assertThatThrownBy(() -> runtime.predict(List.of(instance), 0.5, null))
                .hasMessageContaining("instances[0].bill_depth_mm is \"deep\" but must be a number");
        // a number's text beyond FLOAT64 is refused as the number 1e400 is, not read as Infinity (probe rc)
        instance.put("bill_depth_mm", "1e400");
        assertThatThrownBy(() -> runtime.predict(List.of(instance), 0.5, null))
                .hasMessageContaining("instances[0].bill_depth_mm is \"1e400\" but must be a number within FLOAT64's range");
        instance.put("bill_depth_mm", 18.7);
        assertThat(runtime.predict(List.of(instance), 0.5, null)).hasSize(1);

        // Array features online: ARRAY<STRING> as a JSON array of strings, an array of numbers as a JSON array of numbers.
        session.execute("CREATE MODEL d.arrays OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS"
                + " SELECT (i % 5) * 2.0 + (i % 3) AS y, ['t' || (i % 3)::VARCHAR, 'u' || (i % 2)::VARCHAR] AS tags,"
                + " [(i % 5)::DOUBLE, (i % 2)::DOUBLE] AS v FROM range(600) t(i)", (text, result) -> {});
        ModelRuntime arrays = platform.runtime("d", "arrays", java.util.Optional.empty());
        Object online = arrays.predict(List.of(Map.of("tags", List.of("t2", "u1"), "v", List.of(4L, 1.5))), 0.5, null).get(0)
                .get("predicted_y");
        assertThat(online).isEqualTo(rows("SELECT predicted_y FROM ML.PREDICT(MODEL d.arrays, (SELECT ['t2', 'u1'] AS tags,"
                + " [4.0, 1.5] AS v))").get(0).get("predicted_y"));
        assertThatThrownBy(() -> arrays.predict(List.of(Map.of("tags", "t2", "v", List.of(1.0))), 0.5, null))
                .hasMessageContaining("instances[0].tags is \"t2\" but must be an array of strings");
        // A DATE is a date ("2024-1-5" as BigQuery writes it reads as the category 2024-01-05), not any string.
        session.execute("CREATE MODEL d.dated OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS"
                + " SELECT make_date(year, 1 + CAST(flipper_length_mm AS INT) % 12, 5) AS day, body_mass_g FROM d.penguins"
                + " WHERE body_mass_g IS NOT NULL", (text, result) -> {});
        ModelRuntime dated = platform.runtime("d", "dated", java.util.Optional.empty());
        assertThatThrownBy(() -> dated.predict(List.of(Map.of("day", "not a date")), 0.5, null))
                .hasMessageContaining("instances[0].day is \"not a date\" but must be a date such as \"2024-01-31\"");
        assertThat(dated.predict(List.of(Map.of("day", "2008-3-5")), 0.5, null))
                .isEqualTo(dated.predict(List.of(Map.of("day", "2008-03-05")), 0.5, null));
        assertThat(dated.predict(List.of(Map.of("day", "2008-03-05")), 0.5, null))
                .isNotEqualTo(dated.predict(List.of(Map.of("day", "2008-02-05")), 0.5, null));
        // BYTES as Vertex AI sends them, {"b64": ...}, decoded and read as the model's categories were (probe H)
        session.execute("CREATE MODEL d.raw OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT (i % 3) * 10.0 + (i % 7)"
                + " AS y, CASE i % 3 WHEN 0 THEN from_hex('00FF') WHEN 1 THEN 'b0'::BLOB ELSE from_hex('5C41') END AS raw FROM range(300) t(i)",
                (text, result) -> {});
        ModelRuntime raw = platform.runtime("d", "raw", java.util.Optional.empty());
        for (String hex : new String[] {"00FF", "6230", "5C41"}) {
            byte[] bytes = java.util.HexFormat.of().parseHex(hex);
            Object fromBytes = raw.predict(List.of(Map.of("raw", bytes)), 0.5, null).get(0).get("predicted_y");
            assertThat(fromBytes).as(hex).isEqualTo(rows("SELECT predicted_y FROM ML.PREDICT(MODEL d.raw, (SELECT from_hex('" + hex
                    + "') AS raw))").get(0).get("predicted_y"));
        }
        assertThat(raw.predict(List.of(Map.of("raw", java.util.HexFormat.of().parseHex("00FF"))), 0.5, null))
                .isNotEqualTo(raw.predict(List.of(Map.of("raw", java.util.HexFormat.of().parseHex("5C41"))), 0.5, null));
        // BigQuery's JSON forms of the non-finite FLOAT64s and of a TIMESTAMP's offset are taken as ML.PREDICT takes them (probe H)
        for (String[] special : new String[][] {{"NaN", "'NaN'"}, {"Infinity", "'Infinity'"}, {"-Infinity", "'-Infinity'"}}) {
            instance.put("bill_depth_mm", special[0]);
            assertThat(runtime.predict(List.of(instance), 0.5, null).get(0).get("predicted_body_mass_g")).as(special[0])
                    .isEqualTo(rows("SELECT predicted_body_mass_g FROM ML.PREDICT(MODEL d.linear, (SELECT 'Adelie' AS species, 'Dream' AS island,"
                            + " 39.1 AS bill_length_mm, CAST(" + special[1] + " AS DOUBLE) AS bill_depth_mm, 181 AS flipper_length_mm,"
                            + " CAST(NULL AS VARCHAR) AS sex))").get(0).get("predicted_body_mass_g"));
        }
        session.execute("CREATE MODEL d.timed OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS SELECT"
                + " make_timestamp(year, 1 + CAST(flipper_length_mm AS INT) % 12, 5, 10, 0, 0) AS at, body_mass_g FROM d.penguins"
                + " WHERE body_mass_g IS NOT NULL", (text, result) -> {});
        ModelRuntime timed = platform.runtime("d", "timed", java.util.Optional.empty());
        List<Map<String, Object>> utc = timed.predict(List.of(Map.of("at", "2008-03-05T10:00:00Z")), 0.5, null);
        for (String form : new String[] {"2008-03-05 10:00:00+00", "2008-03-05 10:00:00+0000", "2008-03-05 10:00:00+00:00",
                "2008-03-05 12:00:00+02"}) {
            assertThat(timed.predict(List.of(Map.of("at", form)), 0.5, null)).as(form).isEqualTo(utc);
        }
    }

    private List<Map<String, Object>> rows(String sql) {
        List<Map<String, Object>> rows = new ArrayList<>();
        session.execute(sql, (text, result) -> {
            if (result instanceof Result.Rows r) {
                ResultSet set = r.rows();
                ResultSetMetaData meta = set.getMetaData();
                while (set.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= meta.getColumnCount(); c++) {
                        row.put(meta.getColumnLabel(c), SqlSession.plain(set.getObject(c)));
                    }
                    rows.add(row);
                }
            }
        });
        return rows;
    }

    @Test
    void droppedAndRecreatedModelIsReloadedEverywhere() {
        String create = "CREATE MODEL d.again OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT %s, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";
        session.execute(create.formatted("flipper_length_mm"), (text, result) -> {});
        assertThat(platform.runtime("d", "again", java.util.Optional.empty()).inputColumns())
                .extracting(c -> c.name()).containsExactly("flipper_length_mm");
        // Version numbers start again at 1 after DROP MODEL: the shared cache must not serve the old model.
        session.execute("DROP MODEL d.again; " + create.formatted("bill_length_mm"), (text, result) -> {});
        assertThat(platform.runtime("d", "again", java.util.Optional.empty()).inputColumns())
                .extracting(c -> c.name()).containsExactly("bill_length_mm");
        assertThat(rows("SELECT input FROM ML.FEATURE_INFO(MODEL d.again)")).extracting(r -> r.get("input"))
                .containsExactly("bill_length_mm");
    }
}
