package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Linear models over features that set few of many columns: a multi-hot ARRAY&lt;STRING&gt;, a sparse vector and a
 * TIMESTAMP's one-hot parts, held as lists and groups of one-hot rows in training and ML.PREDICT. ML.EXPLAIN_PREDICT
 * reads the same rows as a dense matrix, so its prediction value checks those paths against each other end to end.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WideFeaturesTest {
    private SqlSession sql;

    @BeforeAll
    void createModel(@TempDir Path directory) {
        sql = new SqlSession(directory);
        sql.run("""
                CREATE SCHEMA w;
                CREATE TABLE w.t AS SELECT i,
                  (i % 97) * 1.5 + (i % 7) + coalesce(len(list_filter(tags, s -> s < 'w3')), 0) * 4 AS y,
                  tags, vec, ts, x
                FROM (SELECT i,
                  CASE WHEN i % 9 = 0 THEN NULL ELSE list_transform(range(i % 4), j -> 'w' || ((i + j * 13) % 50)::VARCHAR) END AS tags,
                  CASE WHEN i % 10 = 0 THEN NULL ELSE [{'index': i % 11, 'value': (i % 5) * 0.5},
                    {'index': (i * 3) % 11, 'value': 1.0 + i % 3}] END AS vec,
                  CASE WHEN i % 8 = 0 THEN NULL ELSE TIMESTAMP '2001-01-01 00:00:00' + INTERVAL (i * 3671) SECOND END AS ts,
                  (i % 13) * 0.25 AS x
                FROM range(600) r(i));
                CREATE MODEL w.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'], optimize_strategy = 'batch_gradient_descent',
                  max_iterations = 5, early_stop = FALSE) AS SELECT * EXCEPT (i) FROM w.t;
                """);
    }

    @AfterAll
    void close() {
        sql.close();
    }

    @Test
    void predictionsFromOneHotRowsEqualTheDenseMatrices() {
        List<Map<String, Object>> predicted = sql.rows("SELECT i, predicted_y FROM ML.PREDICT(MODEL w.m, TABLE w.t) ORDER BY i");
        List<Map<String, Object>> explained = sql.rows("""
                SELECT i, prediction_value FROM ML.EXPLAIN_PREDICT(MODEL w.m, TABLE w.t, STRUCT(3 AS top_k_features)) ORDER BY i""");
        assertThat(predicted).hasSize(600);
        assertThat(explained).hasSize(600);
        for (int row = 0; row < predicted.size(); row++) {
            assertThat((double) predicted.get(row).get("predicted_y")).as("row %d", row)
                    .isCloseTo((double) explained.get(row).get("prediction_value"), within(1e-9));
        }
    }

    /**
     * ML.EVALUATE and ML.EXPLAIN_PREDICT of a linear model read the one-hot rows ML.PREDICT reads: with a 40,000-category
     * feature they encoded each batch densely, 40,000 rows x 40,002 columns (12.8 GB), and failed with OutOfMemoryError
     * where ML.PREDICT ran (probe ta F1).
     */
    @Test
    void aManyCategoryFeatureEvaluatesAndExplainsAsItPredicts() {
        sql.run("""
                CREATE TABLE w.many AS SELECT 'c' || (i % 40000)::VARCHAR AS cat, (i % 13) * 1.5 AS x, (i % 7)::DOUBLE AS y FROM range(40000) r(i);
                CREATE MODEL w.many_m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'], optimize_strategy = 'batch_gradient_descent',
                  max_iterations = 2, data_split_method = 'NO_SPLIT') AS SELECT * FROM w.many;
                """);
        assertThat(sql.rows("SELECT mean_absolute_error FROM ML.EVALUATE(MODEL w.many_m, TABLE w.many)")).hasSize(1);
        List<Map<String, Object>> explained = sql.rows("""
                SELECT count(*) AS n, sum(abs(prediction_value - baseline_prediction_value
                  - list_sum(list_transform(top_feature_attributions, a -> a.attribution)))) AS gap
                FROM ML.EXPLAIN_PREDICT(MODEL w.many_m, TABLE w.many, STRUCT(2 AS top_k_features))""");
        assertThat(((Number) explained.get(0).get("n")).longValue()).isEqualTo(40_000);
        assertThat((double) explained.get(0).get("gap")).isLessThan(1e-6);
    }

    @Test
    void everyWideFeatureHasWeights() {
        assertThat(sql.rows("SELECT processed_input FROM ML.WEIGHTS(MODEL w.m) ORDER BY 1").stream()
                .map(row -> (String) row.get("processed_input")).toList()).contains("tags", "vec", "ts", "x");
        // unseen words and indices past the training dimension: no column, as in training's dense encoding
        assertThat(sql.rows("""
                SELECT predicted_y FROM ML.PREDICT(MODEL w.m, (SELECT ['never seen'] AS tags, [{'index': 99, 'value': 5.0}] AS vec,
                  TIMESTAMP '1990-06-01 00:00:00' AS ts, 1.0 AS x))""")).hasSize(1);
    }
}
