package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.lathe.testing.EngineValues.value;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Finite FLOAT64 values far from 1 (probe H): they train as BigQuery's do, or are refused by name, never a silent zero model. */
class ExtremeValuesTest {
    @TempDir
    Path directory;

    @Test
    void hugeAndTinyFeaturesTrainTheModelTheyDetermine() {
        try (Engine engine = Lathe.open(directory)) {
            engine.execute("CREATE SCHEMA h; CREATE TABLE h.t AS SELECT i * 1.0 AS y, i * 1e200 AS huge, i * 1e-300 AS tiny,"
                    + " (i % 5) * 1.0 AS f FROM range(100) t(i)", (text, result) -> {});
            for (String feature : new String[] {"huge", "tiny"}) {
                engine.execute("CREATE OR REPLACE MODEL h.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT y, "
                        + feature + ", f FROM h.t", (text, result) -> {});
                // y is exactly the feature scaled: the fit is perfect, where the overflowed (or underflowed) standard
                // deviation gave every weight 0 and an R2 of -2.94
                double r2 = (Double) value(engine, "SELECT r2_score FROM ML.EVALUATE(MODEL h.m)");
                assertThat(r2).as(feature).isGreaterThan(0.999999);
                double stddev = (Double) value(engine, "SELECT stddev FROM ML.FEATURE_INFO(MODEL h.m) WHERE input = '" + feature + "'");
                double scale = feature.equals("huge") ? 1e200 : 1e-300;
                assertThat(stddev / scale).as(feature).isCloseTo(29.011491975882016, org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void treeLabelsBeyondFloat32AreRefusedByNameAndLargeOnesTrain() {
        try (Engine engine = Lathe.open(directory)) {
            engine.execute("CREATE SCHEMA h", (text, result) -> {});
            // a label near 1e19: XGBoost's float metric overflows to "inf", which was an internal failure
            engine.execute("CREATE MODEL h.big OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['y'], max_iterations = 3)"
                    + " AS SELECT i * 1e19 AS y, i * 1.0 AS x FROM range(30) t(i)", (text, result) -> {});
            assertThat(value(engine, "SELECT count(*) FROM ML.TRAINING_INFO(MODEL h.big)")).isEqualTo(3L);
            assertThatThrownBy(() -> engine.execute("CREATE MODEL h.far OPTIONS (model_type = 'boosted_tree_regressor',"
                    + " input_label_cols = ['y'], max_iterations = 3) AS SELECT (i % 2) * 10.0 AS y, CASE WHEN i % 2 = 0 THEN 1e39 ELSE 1e45 END"
                    + " AS x FROM range(100) t(i)", (text, result) -> {}))
                    .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA))
                    .hasMessageStartingWith("A feature of BOOSTED_TREE_REGRESSOR holds a value beyond +-3.4e38, the range of the 32-bit"
                            + " floats XGBoost trains on");
        }
    }
}
