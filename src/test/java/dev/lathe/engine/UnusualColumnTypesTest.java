package dev.lathe.engine;

import static dev.lathe.testing.EngineValues.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Column types DuckDB has and BigQuery has not, as labels and features (probe rc). */
class UnusualColumnTypesTest {
    @TempDir
    Path directory;

    /** JDBC names an ENUM column's type the bare word ENUM: the model trained, then every prediction failed binding it. */
    @Test
    void anEnumLabelPredictsItsValuesAsStrings() {
        try (Engine engine = Lathe.open(directory)) {
            engine.execute("CREATE SCHEMA d; CREATE TYPE mood AS ENUM ('sad', 'happy');"
                    + " CREATE TABLE d.t AS SELECT i::DOUBLE AS x, (CASE WHEN i < 50 THEN 'sad' ELSE 'happy' END)::mood AS m FROM range(100) r(i)",
                    (text, result) -> {});
            for (String type : new String[] {"logistic_reg", "boosted_tree_classifier"}) {
                engine.execute("CREATE OR REPLACE MODEL d.m OPTIONS (model_type = '" + type + "', input_label_cols = ['m']) AS SELECT * FROM d.t",
                        (text, result) -> {});
                assertThat(value(engine, "SELECT predicted_m FROM ML.PREDICT(MODEL d.m, (SELECT 99.0 AS x))")).as(type).isEqualTo("happy");
                assertThat(value(engine, "SELECT typeof(predicted_m) FROM ML.PREDICT(MODEL d.m, (SELECT 1.0 AS x))")).as(type).isEqualTo("VARCHAR");
                assertThat(value(engine, "SELECT count(*) FROM ML.CONFUSION_MATRIX(MODEL d.m)")).as(type).isEqualTo(2L);
                assertThat(value(engine, "SELECT count(*) FROM ML.ROC_CURVE(MODEL d.m)")).as(type).isNotEqualTo(0L);
            }
        }
    }

    /**
     * Probe rb: labels ordered in Java's UTF-16 order put '\uFF5A' (fullwidth z) above an emoji, where BigQuery and DuckDB
     * compare by code point: the positive class, the _probs order and the confusion matrix were the other label's.
     */
    @Test
    void textLabelsAreOrderedByCodePointAsBigQueryOrdersThem() {
        String emoji = "\uD83D\uDE00";
        String z = "\uFF5A";
        try (Engine engine = Lathe.open(directory)) {
            engine.execute("CREATE SCHEMA u; CREATE TABLE u.t AS SELECT x, CASE WHEN x < 0.7 THEN '" + emoji + "' ELSE '" + z + "' END AS y"
                    + " FROM (SELECT (i % 100) / 100.0 + 0.003 * (i % 7) AS x FROM range(400) r(i));"
                    + " CREATE MODEL u.m OPTIONS (model_type = 'logistic_reg', input_label_cols = ['y'], data_split_method = 'NO_SPLIT')"
                    + " AS SELECT * FROM u.t", (text, result) -> {});
            assertThat(value(engine, "SELECT max(y) FROM u.t")).isEqualTo(emoji);
            // the higher label is listed first and is the positive class
            assertThat(value(engine, "SELECT predicted_y_probs[0].label FROM ML.PREDICT(MODEL u.m, (SELECT 0.9 AS x))")).isEqualTo(emoji);
            assertThat(value(engine, "SELECT expected_label FROM ML.CONFUSION_MATRIX(MODEL u.m) LIMIT 1")).isEqualTo(z);
            assertThat((Double) value(engine, "SELECT precision FROM ML.EVALUATE(MODEL u.m)")).isEqualTo(1.0);
        }
    }

    /**
     * A scalar NaN becomes the mean, and so does a numeric array's NaN element (as its NULL); an infinite one made every weight
     * NaN and training "succeeded" (probe rc), and is refused by column, row and element.
     */
    @Test
    void aNonFiniteElementOfAnArrayFeatureIsRefusedByColumnRowAndElement() {
        try (Engine engine = Lathe.open(directory)) {
            engine.execute("CREATE SCHEMA d", (text, result) -> {});
            for (String options : new String[] {"model_type = 'linear_reg', input_label_cols = ['y']", "model_type = 'kmeans', num_clusters = 2"}) {
                assertThatThrownBy(() -> engine.execute("CREATE OR REPLACE MODEL d.a OPTIONS (" + options + ") AS SELECT CASE WHEN i = 3"
                        + " THEN [1.0, 'Infinity'::DOUBLE] ELSE [i::DOUBLE, (i % 3)::DOUBLE] END AS v, i * 2.0 AS y FROM range(50) r(i)",
                        (text, result) -> {}))
                        .as(options)
                        .hasMessageContaining("Feature column 'v' holds an infinite number in 1 training row (first at row 4, element 1: "
                                + "Infinity); the elements of a numeric array are numeric features and must be finite (NULL and NaN"
                                + " elements are replaced by the element's mean)");
            }
            engine.execute("CREATE MODEL d.nan OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT CASE WHEN i = 3"
                    + " THEN [3.0, 'NaN'::DOUBLE] ELSE [i::DOUBLE, (i % 3)::DOUBLE] END AS v, i * 2.0 AS y FROM range(50) r(i)",
                    (text, result) -> {});
            assertThat((Double) value(engine, "SELECT predicted_y FROM ML.PREDICT(MODEL d.nan, (SELECT [10.0, 1.0] AS v))")).isCloseTo(20.0,
                    org.assertj.core.data.Offset.offset(1e-6));
            engine.execute("DROP MODEL d.nan", (text, result) -> {});
            assertThat(value(engine, "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'd'")).isEqualTo(0L);
            engine.execute("CREATE MODEL d.a OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT"
                    + " [i::DOUBLE, (i % 3)::DOUBLE] AS v, i * 2.0 AS y FROM range(50) r(i)", (text, result) -> {});
            assertThat((Double) value(engine, "SELECT predicted_y FROM ML.PREDICT(MODEL d.a, (SELECT [10.0, 1.0] AS v))")).isCloseTo(20.0,
                    org.assertj.core.data.Offset.offset(1e-6));
        }
    }
}
