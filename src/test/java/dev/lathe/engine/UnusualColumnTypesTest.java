package dev.lathe.engine;

import static dev.lathe.testing.EngineValues.value;
import static org.assertj.core.api.Assertions.assertThat;

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
}
