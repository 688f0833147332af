package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** WARM_START: retraining from the previous version's parameters, BigQuery ML's rules and errors. */
class WarmStartTest {
    private static final String MASS = "SELECT species, island, flipper_length_mm, bill_length_mm, body_mass_g FROM d.penguins"
            + " WHERE body_mass_g IS NOT NULL";

    @TempDir
    Path directory;

    private SqlSession sql;

    @BeforeEach
    void open() {
        sql = new SqlSession(directory).withPenguins();
    }

    @AfterEach
    void close() {
        sql.close();
    }

    @Test
    void aTransformKeepsTheStatisticsItsWeightsWereTrainedWith() {
        // Refitted on rows without Adelie, the one-hot vocabulary would shift by one and the scaler would move: each
        // species would get another's weight. The warm start reuses version 1's fitted TRANSFORM instead.
        String transform = "TRANSFORM (ML.ONE_HOT_ENCODER(species, 'none', 32000, 1) OVER () AS s,"
                + "  ML.STANDARD_SCALER(flipper_length_mm) OVER () AS f, body_mass_g)";
        sql.run("CREATE MODEL d.t " + transform + " OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS " + MASS);
        String species = "SELECT species, predicted_body_mass_g FROM ML.PREDICT(MODEL d.t, (SELECT species, 200.0 AS flipper_length_mm"
                + " FROM UNNEST(['Adelie', 'Chinstrap', 'Gentoo']) AS species)) ORDER BY species";
        List<Map<String, Object>> before = sql.rows(species);
        List<Map<String, Object>> transformed = sql.rows("SELECT * FROM ML.TRANSFORM(MODEL d.t, (SELECT 'Gentoo' AS species,"
                + " 200.0 AS flipper_length_mm, 1.0 AS body_mass_g))");
        sql.run("CREATE OR REPLACE MODEL d.t\n" + transform.replace(", ", ",\n  ") + " OPTIONS (model_type = 'linear_reg',"
                + " input_label_cols = ['body_mass_g'], warm_start = TRUE, learn_rate_strategy = 'constant', learn_rate = 1e-12,"
                + " max_iterations = 1) AS " + MASS + " AND species <> 'Adelie' AND flipper_length_mm < 200");
        assertThat(sql.rows("SELECT * FROM ML.TRANSFORM(MODEL d.t, (SELECT 'Gentoo' AS species, 200.0 AS flipper_length_mm,"
                + " 1.0 AS body_mass_g))")).isEqualTo(transformed);
        List<Map<String, Object>> after = sql.rows(species);
        for (int i = 0; i < before.size(); i++) {
            assertThat(after.get(i).get("species")).isEqualTo(before.get(i).get("species"));
            assertThat((double) after.get(i).get("predicted_body_mass_g"))
                    .isCloseTo((double) before.get(i).get("predicted_body_mass_g"), org.assertj.core.api.Assertions.within(1e-3));
        }

        // Another TRANSFORM, or none, would not match the weights: refused, naming both
        LatheException other = sql.failure("CREATE OR REPLACE MODEL d.t TRANSFORM (ML.MIN_MAX_SCALER(flipper_length_mm) OVER () AS f,"
                + " body_mass_g) OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'], warm_start = TRUE) AS " + MASS);
        assertThat(other.code()).isEqualTo(ErrorCode.INVALID_OPTION);
        assertThat(other.getMessage()).startsWith("warm_start = TRUE reuses the TRANSFORM of d.t version 2 with the statistics it was"
                + " fitted with, so the TRANSFORM clause must be the same; it was TRANSFORM(ML.ONE_HOT_ENCODER(species, 'none', 32000, 1)"
                + " OVER () AS s, ML.STANDARD_SCALER(flipper_length_mm) OVER () AS f, body_mass_g), this statement has"
                + " TRANSFORM(ML.MIN_MAX_SCALER(flipper_length_mm) OVER () AS f, body_mass_g)");
        assertThat(sql.failure("CREATE OR REPLACE MODEL d.t OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'],"
                + " warm_start = TRUE) AS " + MASS).getMessage()).contains("this statement has (none)");
        assertThat(sql.rows("SELECT DISTINCT training_run FROM ML.TRAINING_INFO(MODEL d.t)")).hasSize(2);
    }

    @Test
    void linearRegressionContinuesFromItsWeightsAndKeepsTheEarlierRun() throws Exception {
        sql.run("CREATE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'], l2_reg = 0.5,"
                + " optimize_strategy = 'batch_gradient_descent', max_iterations = 2, early_stop = FALSE) AS " + MASS);
        sql.run("CREATE MODEL d.cold OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'], l2_reg = 0.5,"
                + " optimize_strategy = 'batch_gradient_descent', max_iterations = 3, early_stop = FALSE) AS " + MASS);
        String message = sql.run("CREATE OR REPLACE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'],"
                + " warm_start = TRUE, max_iterations = 3, early_stop = FALSE) AS " + MASS);
        assertThat(message).contains("version 2");

        List<Map<String, Object>> info = sql.rows("SELECT training_run, iteration, loss FROM ML.TRAINING_INFO(MODEL d.mass)"
                + " ORDER BY training_run, iteration");
        assertThat(info).extracting(r -> r.get("training_run") + "/" + r.get("iteration"))
                .containsExactly("0/0", "0/1", "1/0", "1/1", "1/2");
        double firstRunLast = (Double) info.get(1).get("loss");
        double warmFirst = (Double) info.get(2).get("loss");
        double warmLast = (Double) info.get(4).get("loss");
        assertThat(warmFirst).isLessThanOrEqualTo(firstRunLast);
        double coldLast = (Double) sql.value("SELECT loss FROM ML.TRAINING_INFO(MODEL d.cold) ORDER BY iteration DESC LIMIT 1");
        assertThat(warmLast).isLessThan(coldLast);

        // Options the first version set carry over unless restated; the warm run recorded them.
        JsonNode manifest = manifest("mass", 2);
        assertThat(manifest.get("options").get("l2_reg").asDouble()).isEqualTo(0.5);
        assertThat(manifest.get("options").get("optimize_strategy").asText()).isEqualTo("BATCH_GRADIENT_DESCENT");
        assertThat(manifest.get("options").get("max_iterations").asLong()).isEqualTo(3);
        assertThat(manifest.get("explicitOptions")).extracting(JsonNode::asText).contains("l2_reg", "warm_start");
        // Predictions come from the new version and use the reused preprocessing.
        assertThat(sql.rows("SELECT predicted_body_mass_g FROM ML.PREDICT(MODEL d.mass, (" + MASS + "))")).hasSize(342);
    }

    @Test
    void logisticRegressionKeepsItsClassesEvenWhenTheNewDataLacksOne() {
        sql.run("CREATE MODEL d.species OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species'], max_iterations = 3)"
                + " AS SELECT species, island, bill_length_mm, flipper_length_mm FROM d.penguins");
        sql.run("CREATE OR REPLACE MODEL d.species OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species'],"
                + " warm_start = TRUE) AS SELECT species, island, bill_length_mm, flipper_length_mm FROM d.penguins"
                + " WHERE species <> 'Gentoo'");
        assertThat(sql.value("SELECT max(training_run) FROM ML.TRAINING_INFO(MODEL d.species)")).isEqualTo(1L);
        assertThat(sql.value("SELECT len(predicted_species_probs) FROM ML.PREDICT(MODEL d.species,"
                + " (SELECT * FROM d.penguins LIMIT 1))")).isEqualTo(3L);

        LatheException newClass = sql.failure("CREATE OR REPLACE MODEL d.species OPTIONS (model_type = 'logistic_reg',"
                + " input_label_cols = ['species'], warm_start = TRUE) AS SELECT CASE WHEN species = 'Gentoo' THEN 'Emperor' ELSE species"
                + " END AS species, island, bill_length_mm, flipper_length_mm FROM d.penguins");
        assertThat(newClass.code()).isEqualTo(ErrorCode.INVALID_DATA);
        assertThat(newClass.getMessage()).contains("'Emperor'").contains("not one of the classes");
    }

    @Test
    void kmeansStartsFromThePreviousCentroids() {
        String query = " AS SELECT bill_length_mm, flipper_length_mm FROM d.penguins WHERE bill_length_mm IS NOT NULL";
        sql.run("CREATE MODEL d.groups OPTIONS (model_type = 'kmeans', num_clusters = 3, max_iterations = 1)" + query);
        double before = (Double) sql.value("SELECT loss FROM ML.TRAINING_INFO(MODEL d.groups) ORDER BY iteration DESC LIMIT 1");
        sql.run("CREATE OR REPLACE MODEL d.groups OPTIONS (model_type = 'kmeans', warm_start = TRUE, max_iterations = 5)" + query);
        List<Map<String, Object>> warm = sql.rows("SELECT loss FROM ML.TRAINING_INFO(MODEL d.groups) WHERE training_run = 1"
                + " ORDER BY iteration");
        assertThat(warm).isNotEmpty();
        assertThat((Double) warm.get(0).get("loss")).isLessThanOrEqualTo(before);
        assertThat(sql.value("SELECT count(DISTINCT centroid_id) FROM ML.CENTROIDS(MODEL d.groups)")).isEqualTo(3L);

        LatheException e = sql.failure("CREATE OR REPLACE MODEL d.groups OPTIONS (model_type = 'kmeans', warm_start = TRUE,"
                + " num_clusters = 4)" + query);
        assertThat(e.getMessage()).contains("num_clusters must stay 3");
    }

    @Test
    void classWeightsCarryOverAndTheWarmRunContinuesTheWeightedLoss() throws Exception {
        String query = " AS SELECT species, bill_length_mm, flipper_length_mm FROM d.penguins";
        sql.run("CREATE MODEL d.weighted OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species'], max_iterations = 3,"
                + " class_weights = [('Adelie', 0.01), ('Chinstrap', 10.0), ('Gentoo', 1.0)])" + query);
        sql.run("CREATE OR REPLACE MODEL d.weighted OPTIONS (model_type = 'logistic_reg', warm_start = TRUE, max_iterations = 3)"
                + query);
        List<Map<String, Object>> info = sql.rows("SELECT training_run, iteration, loss FROM ML.TRAINING_INFO(MODEL d.weighted)"
                + " ORDER BY training_run, iteration");
        double firstRunLast = info.stream().filter(r -> (Long) r.get("training_run") == 0L).mapToDouble(r -> (Double) r.get("loss"))
                .reduce((a, b) -> b).orElseThrow();
        double warmFirst = info.stream().filter(r -> (Long) r.get("training_run") == 1L).mapToDouble(r -> (Double) r.get("loss"))
                .findFirst().orElseThrow();
        // unweighted, the warm run's first loss jumped from about 0.11 to 0.70: another objective, not a continuation
        assertThat(warmFirst).isLessThanOrEqualTo(firstRunLast);
        JsonNode manifest = manifest("weighted", 2);
        assertThat(manifest.get("options").get("class_weights").get("Chinstrap").asDouble()).isEqualTo(10.0);
        assertThat(manifest.get("explicitOptions")).extracting(JsonNode::asText).contains("class_weights");

        // Setting another weighting chooses afresh: the carried class_weights does not clash with it
        sql.run("CREATE OR REPLACE MODEL d.weighted OPTIONS (model_type = 'logistic_reg', warm_start = TRUE, max_iterations = 1,"
                + " auto_class_weights = TRUE)" + query);
        JsonNode auto = manifest("weighted", 3).get("options");
        assertThat(auto.hasNonNull("class_weights")).isFalse();
        assertThat(auto.get("auto_class_weights").asBoolean()).isTrue();
    }

    @Test
    void aCustomSplitAndACustomKmeansInitCarryOverTheirColumns() throws Exception {
        String split = " AS SELECT species, bill_length_mm, flipper_length_mm, year = 2009 AS sp FROM d.penguins";
        sql.run("CREATE MODEL d.split OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species'], max_iterations = 3,"
                + " data_split_method = 'CUSTOM', data_split_col = 'sp')" + split);
        sql.run("CREATE OR REPLACE MODEL d.split OPTIONS (model_type = 'logistic_reg', warm_start = TRUE)" + split);
        assertThat(manifest("split", 2).get("options").get("data_split_col").asText()).isEqualTo("sp");
        assertThat(sql.value("SELECT count(*) FROM ML.TRAINING_INFO(MODEL d.split) WHERE training_run = 1 AND eval_loss IS NULL"))
                .isEqualTo(0L);

        String init = " AS SELECT bill_length_mm, flipper_length_mm, row_number() OVER (ORDER BY bill_length_mm, flipper_length_mm)"
                + " IN (1, 150, 300) AS init FROM d.penguins WHERE bill_length_mm IS NOT NULL";
        sql.run("CREATE MODEL d.init OPTIONS (model_type = 'kmeans', kmeans_init_method = 'CUSTOM', kmeans_init_col = 'init',"
                + " num_clusters = 3, max_iterations = 2)" + init);
        sql.run("CREATE OR REPLACE MODEL d.init OPTIONS (model_type = 'kmeans', warm_start = TRUE)" + init);
        assertThat(manifest("init", 2).get("options").get("kmeans_init_col").asText()).isEqualTo("init");
        assertThat(sql.value("SELECT max(training_run) FROM ML.TRAINING_INFO(MODEL d.init)")).isEqualTo(1L);
    }

    @Test
    void refusalsNameTheRuleAndLeaveTheModelAsItWas() {
        sql.run("CREATE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS " + MASS);
        String warm = "CREATE OR REPLACE MODEL %s OPTIONS (model_type = '%s', input_label_cols = ['%s'], warm_start = TRUE) AS %s";

        assertThat(sql.failure(warm.formatted("d.nothing", "linear_reg", "body_mass_g", MASS)).getMessage())
                .contains("does not exist").contains("without warm_start");
        assertThat(sql.failure(warm.formatted("d.mass", "boosted_tree_regressor", "body_mass_g", MASS)).getMessage())
                .contains("same model_type").contains("LINEAR_REG");
        assertThat(sql.failure(warm.formatted("d.mass", "linear_reg", "flipper_length_mm", MASS)).getMessage())
                .contains("label column is flipper_length_mm but was body_mass_g");
        assertThat(sql.failure(warm.formatted("d.mass", "linear_reg", "body_mass_g",
                "SELECT species, island, flipper_length_mm, bill_depth_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL"))
                .getMessage()).contains("column bill_length_mm is missing").contains("column bill_depth_mm is new");
        assertThat(sql.failure(warm.formatted("d.mass", "linear_reg", "body_mass_g",
                "SELECT species, island, CAST(flipper_length_mm AS VARCHAR) AS flipper_length_mm, bill_length_mm, body_mass_g"
                        + " FROM d.penguins WHERE body_mass_g IS NOT NULL")).getMessage())
                .contains("column flipper_length_mm is STRING");
        LatheException normal = sql.failure("CREATE OR REPLACE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols ="
                + " ['body_mass_g'], warm_start = TRUE, optimize_strategy = 'normal_equation') AS " + MASS);
        assertThat(normal.code()).isEqualTo(ErrorCode.INVALID_OPTION);
        // Options that shaped the reused preprocessing or the parameters' meaning stay as they were.
        for (String change : List.of("category_encoding_method = 'DUMMY_ENCODING'", "fit_intercept = FALSE")) {
            assertThat(sql.failure("CREATE OR REPLACE MODEL d.mass OPTIONS (model_type = 'linear_reg', input_label_cols ="
                    + " ['body_mass_g'], warm_start = TRUE, " + change + ") AS " + MASS).getMessage())
                    .contains("warm_start = TRUE keeps d.mass version 1's " + change.substring(0, change.indexOf(' ')))
                    .contains("retrain without warm_start");
        }

        sql.run("CREATE MODEL d.trees OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['body_mass_g'],"
                + " max_iterations = 2) AS " + MASS);
        assertThat(sql.failure(warm.formatted("d.trees", "boosted_tree_regressor", "body_mass_g", MASS)).getMessage())
                .contains("not supported for model_type BOOSTED_TREE_REGRESSOR");

        assertThat(sql.value("SELECT max(training_run) FROM ML.TRAINING_INFO(MODEL d.mass)")).isEqualTo(0L);
        assertThat(directory.resolve("models/d/mass/2")).doesNotExist();
    }

    private JsonNode manifest(String model, int version) throws Exception {
        return new ObjectMapper().readTree(directory.resolve("models/d/" + model + "/" + version + "/manifest.json").toFile());
    }
}
