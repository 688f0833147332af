package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** For every model type: train, restart, and predict identically; provenance is stored with the model. */
class ModelPersistenceTest {
    @TempDir
    Path directory;

    @Test
    void createModelGivesTheNewVersionTheAliasesItsOptionsName() {
        String create = "CREATE OR REPLACE MODEL d.m OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'],"
                + " model_registry = 'VERTEX_AI', vertex_ai_model_version_aliases = [%s]) AS"
                + " SELECT * EXCEPT (year) FROM d.penguins WHERE body_mass_g IS NOT NULL";
        String resolve = "SELECT count(*) FROM ML.PREDICT(MODEL d.m@%s, (SELECT * FROM d.penguins LIMIT 2))";
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run(create.formatted("'champion', 'challenger-2'"));
            sql.run(create.formatted("'challenger'"));
            assertThat(sql.value(resolve.formatted("champion"))).isEqualTo(2L);
            assertThat(sql.value(resolve.formatted("challenger-2"))).isEqualTo(2L); // a hyphen in an alias after '@'
            assertThat(sql.failure(create.formatted("'champion', 'Not_Valid'")).getMessage()).contains("Alias 'Not_Valid' is not valid");
            assertThat(sql.failure(resolve.formatted("3")).getMessage()).contains("versions are [1, 2]"); // no version 3 left
            sql.run(create.formatted("'champion'")); // moved from version 1 to the new version 3
            assertThat(sql.failure(resolve.formatted("nope")).getMessage())
                    .contains("champion (version 3)").contains("challenger (version 2)").contains("challenger-2 (version 1)");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "linear_reg|body_mass_g|",
        "linear_reg|body_mass_g|, optimize_strategy = 'batch_gradient_descent', l1_reg = 0.5",
        "logistic_reg|species|",
        "logistic_reg|sex|, auto_class_weights = TRUE",
        "boosted_tree_classifier|species|, max_iterations = 5",
        "boosted_tree_regressor|body_mass_g|, max_iterations = 5, booster_type = 'dart'",
        "random_forest_classifier|sex|, num_parallel_tree = 20",
        "random_forest_regressor|body_mass_g|, num_parallel_tree = 20",
        "kmeans||, num_clusters = 4, kmeans_init_method = 'kmeans++'",
    })
    void predictsIdenticallyAfterRestart(String modelType, String label, String extraOptions) throws Exception {
        String options = "model_type = '" + modelType + "'" + (label == null ? "" : ", input_label_cols = ['" + label + "']")
                + (extraOptions == null ? "" : extraOptions);
        String where = label == null ? "" : " WHERE " + label + " IS NOT NULL";
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            sql.run("CREATE MODEL d.m OPTIONS (" + options + ") AS SELECT * EXCEPT (year) FROM d.penguins" + where);
            String predict = "SELECT * FROM ML.PREDICT(MODEL d.m, TABLE d.penguins)";
            List<Map<String, Object>> before = sql.rows(predict);
            sql.restart();
            List<Map<String, Object>> after = sql.rows(predict);
            assertThat(after).hasSize(344).isEqualTo(before);

            Path manifest = sql.dataDirectory().resolve("models/d/m/1/manifest.json");
            JsonNode json = new ObjectMapper().readTree(Files.readString(manifest));
            assertThat(json.get("formatVersion").asInt()).isEqualTo(1);
            assertThat(json.get("modelType").asText()).isEqualTo(modelType.toUpperCase(java.util.Locale.ROOT));
            assertThat(json.get("trainingSql").asText()).contains("FROM");
            assertThat(json.get("options").get("max_iterations") != null || modelType.startsWith("random")).isTrue();
            // every option with a default has its effective value, the tuning objective's too (spec 1.17; probe td F11)
            String objective = modelType.equals("kmeans") ? "DAVIES_BOULDIN_INDEX"
                    : modelType.endsWith("classifier") || modelType.equals("logistic_reg") ? "ROC_AUC" : "R2_SCORE";
            assertThat(json.get("options").get("hparam_tuning_objectives").toString()).isEqualTo("[\"" + objective + "\"]");
            assertThat(json.get("options").get("num_trials")).isNull(); // no default: recorded only when given
            assertThat(json.get("trainingInput").get("rows").asLong()).isPositive();
            assertThat(json.get("trainingInput").get("contentHash").asText()).isNotBlank();
            assertThat(json.get("timings").get("startTime").asText()).isNotBlank();
        }
    }

    @ParameterizedTest(name = "retrain {0} keeps the previous version")
    @CsvSource({"linear_reg"})
    void createOrReplaceAddsAVersionAndKeepsThePreviousOne(String modelType) {
        try (SqlSession sql = new SqlSession(directory).withPenguins()) {
            String create = "CREATE OR REPLACE MODEL d.m OPTIONS (model_type = '" + modelType
                    + "', input_label_cols = ['body_mass_g']) AS SELECT %s, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";
            sql.run(create.formatted("flipper_length_mm"));
            sql.run(create.formatted("bill_length_mm"));
            assertThat(sql.dataDirectory().resolve("models/d/m/1/manifest.json")).exists();
            assertThat(sql.dataDirectory().resolve("models/d/m/2/manifest.json")).exists();
            assertThat(sql.columns("SELECT * FROM ML.FEATURE_INFO(MODEL d.m)")).contains("input");
            assertThat(sql.rows("SELECT input FROM ML.FEATURE_INFO(MODEL d.m)")).extracting(r -> r.get("input"))
                    .containsExactly("bill_length_mm");
            assertThat(sql.rows("SELECT input FROM ML.FEATURE_INFO(MODEL `d.m`@1)")).extracting(r -> r.get("input"))
                    .containsExactly("flipper_length_mm");
        }
    }
}
