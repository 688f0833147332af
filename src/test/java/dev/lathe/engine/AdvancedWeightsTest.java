package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ML.ADVANCED_WEIGHTS against statsmodels (src/test/resources/advanced_weights/make_reference.py): OLS, Logit and
 * frequency-weighted binomial GLM standard errors and p-values on the bundled penguins sample, with DUMMY_ENCODING's dropped categories.
 */
class AdvancedWeightsTest {
    private static final String FEATURES = "species, island, bill_length_mm, bill_depth_mm, flipper_length_mm, sex";
    private static final String LINEAR = "CREATE OR REPLACE MODEL d.%s OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'],"
            + " calculate_p_values = TRUE, category_encoding_method = 'DUMMY_ENCODING', data_split_method = 'NO_SPLIT'%s) AS"
            + " SELECT " + FEATURES + ", body_mass_g%s FROM d.p";

    @TempDir
    Path directory;

    private SqlSession sql;

    @BeforeEach
    void open() {
        sql = new SqlSession(directory).withPenguins();
        sql.run("CREATE TABLE d.p AS SELECT * FROM d.penguins WHERE body_mass_g IS NOT NULL AND sex IS NOT NULL");
    }

    @AfterEach
    void close() {
        sql.close();
    }

    @Test
    void linearRegressionMatchesOrdinaryLeastSquares() {
        sql.run(LINEAR.formatted("lin", "", ""));
        // the normal equation's weights are exact, so every figure is statsmodels' to rounding
        assertMatches(sql.rows("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.lin)"), "linear", 1e-9);
        assertMatches(sql.rows("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.lin, STRUCT(TRUE AS standardize))"), "linear_std", 1e-9);
        // the weights are ML.WEIGHTS's, and a model reloaded from its files reports the same
        assertThat(sql.rows("SELECT processed_input, weight FROM ML.ADVANCED_WEIGHTS(MODEL d.lin) ORDER BY 1"))
                .isEqualTo(sql.rows("SELECT processed_input, weight FROM ML.WEIGHTS(MODEL d.lin) ORDER BY 1"));
        List<Map<String, Object>> before = sql.rows("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.lin)");
        sql.restart();
        assertThat(sql.rows("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.lin)")).isEqualTo(before);
    }

    @Test
    void logisticRegressionMatchesTheWaldTestAtTheMaximumLikelihood() {
        // gradient descent run long enough to reach statsmodels' maximum likelihood estimate to about 1e-6
        sql.run("CREATE MODEL d.sex OPTIONS (model_type = 'logistic_reg', input_label_cols = ['sex'], calculate_p_values = TRUE,"
                + " category_encoding_method = 'DUMMY_ENCODING', data_split_method = 'NO_SPLIT', early_stop = FALSE,"
                + " max_iterations = 2000) AS SELECT species, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex FROM d.p");
        assertMatches(sql.rows("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.sex)"), "logistic", 1e-4);
        // class weights weigh rows as a binomial GLM's frequency weights do
        sql.run("CREATE MODEL d.weighted OPTIONS (model_type = 'logistic_reg', input_label_cols = ['sex'], calculate_p_values = TRUE,"
                + " category_encoding_method = 'DUMMY_ENCODING', data_split_method = 'NO_SPLIT', early_stop = FALSE, max_iterations = 2000,"
                + " class_weights = [STRUCT('male', 2.0), STRUCT('female', 1.0)]) AS"
                + " SELECT species, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex FROM d.p");
        assertMatches(sql.rows("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.weighted)"), "weighted", 1e-4);
    }

    @Test
    void droppedAndUnseenCategoriesHaveNoStandardError() {
        sql.run(LINEAR.formatted("lin", "", ""));
        Map<String, Object> species = sql.rows("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.lin) WHERE processed_input = 'species'").get(0);
        assertThat(species.get("weight")).isNull();
        assertThat(species.get("standard_error")).isNull();
        assertThat(species.get("p_value")).isNull();
        Map<String, Map<String, Object>> categories = new LinkedHashMap<>();
        for (Object entry : (List<?>) species.get("category_weights")) {
            Map<?, ?> category = (Map<?, ?>) entry;
            categories.put(String.valueOf(category.get("category")), new LinkedHashMap<>(castMap(category)));
        }
        // Adelie, the most frequent, is DUMMY_ENCODING's dropped category; NULL never occurs in training
        assertThat(categories.keySet()).containsExactlyInAnyOrder("Chinstrap", "Gentoo", "Adelie", "null");
        for (String absent : List.of("Adelie", "null")) {
            assertThat(categories.get(absent).get("weight")).isEqualTo(0.0);
            assertThat((double) categories.get(absent).get("standard_error")).isNaN();
            assertThat((double) categories.get(absent).get("p_value")).isNaN();
        }
    }

    @Test
    void collinearConstantAndPenalizedModelsStillReport() {
        // twice a column: one of the two carries the weight and its standard error, the other is undetermined (R's NA)
        sql.run(LINEAR.formatted("twice", "", ", 2 * bill_depth_mm AS depth_twice"));
        Map<String, Double> errors = new LinkedHashMap<>();
        sql.rows("SELECT processed_input, standard_error FROM ML.ADVANCED_WEIGHTS(MODEL d.twice) WHERE weight IS NOT NULL")
                .forEach(r -> errors.put((String) r.get("processed_input"), (Double) r.get("standard_error")));
        assertThat(errors.get("bill_depth_mm").isNaN()).isNotEqualTo(errors.get("depth_twice").isNaN());
        assertThat(errors.get("bill_length_mm")).isCloseTo(7.136389609774052, within(1e-6));
        assertThat(errors.get("__INTERCEPT__")).isCloseTo(606.3730277062264, within(1e-6));

        // L2_REG: the ridge estimator's sandwich covariance, smaller than least squares' for a shrunk weight
        sql.run(LINEAR.formatted("ridge", ", l2_reg = 50", ""));
        sql.run(LINEAR.formatted("plain", "", ""));
        String error = "SELECT standard_error FROM ML.ADVANCED_WEIGHTS(MODEL d.%s) WHERE processed_input = '%s'";
        for (String input : List.of("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "__INTERCEPT__")) {
            double ridge = (double) sql.value(error.formatted("ridge", input));
            assertThat(ridge).as(input).isPositive().isLessThan((double) sql.value(error.formatted("plain", input)));
        }

        // without an intercept, the intercept's row is 0 with no standard error, and the weights still have theirs
        sql.run(LINEAR.formatted("origin", ", fit_intercept = FALSE, l2_reg = 1", ""));
        Map<String, Object> intercept = sql.rows("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.origin) WHERE processed_input ="
                + " '__INTERCEPT__'").get(0);
        assertThat(intercept.get("weight")).isEqualTo(0.0);
        assertThat((double) intercept.get("standard_error")).isNaN();
        assertThat((double) sql.value(error.formatted("origin", "bill_length_mm"))).isPositive();
    }

    @Test
    void aModelWithoutStandardErrorsIsRefusedSayingWhatItNeeds() {
        sql.run("CREATE MODEL d.plain OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS SELECT "
                + FEATURES + ", body_mass_g FROM d.p");
        LatheException plain = sql.failure("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.plain)");
        assertThat(plain.code()).isEqualTo(ErrorCode.UNSUPPORTED);
        assertThat(plain.getMessage()).startsWith("ML.ADVANCED_WEIGHTS at line 1, column 15 needs a model trained with calculate_p_values"
                + " = TRUE, category_encoding_method = 'DUMMY_ENCODING' and l1_reg = 0; d.plain was trained with calculate_p_values = FALSE,"
                + " category_encoding_method = 'ONE_HOT_ENCODING', l1_reg = 0.0; retrain it with those options, or use ML.WEIGHTS");

        // calculate_p_values without what ML.ADVANCED_WEIGHTS needs: CREATE MODEL says it was not applied, and why
        assertThat(sql.run("CREATE MODEL d.onehot OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g'],"
                + " calculate_p_values = TRUE, l1_reg = 1) AS SELECT " + FEATURES + ", body_mass_g FROM d.p"))
                .endsWith("; not applied: calculate_p_values (ML.ADVANCED_WEIGHTS's standard errors and p-values need"
                        + " category_encoding_method = 'DUMMY_ENCODING' and l1_reg = 0)");
        assertThat(sql.failure("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.onehot)").getMessage())
                .contains("d.onehot was trained with calculate_p_values = TRUE, category_encoding_method = 'ONE_HOT_ENCODING', l1_reg = 1.0;");
        assertThat(sql.run("CREATE MODEL d.multi OPTIONS (model_type = 'logistic_reg', input_label_cols = ['species'],"
                + " calculate_p_values = TRUE, category_encoding_method = 'DUMMY_ENCODING') AS SELECT * FROM d.p"))
                .endsWith("; not applied: calculate_p_values (ML.ADVANCED_WEIGHTS's standard errors and p-values need a binary label"
                        + " (this one has 3 classes))");
        assertThat(sql.failure("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.multi)").getMessage())
                .contains("l1_reg = 0 on a binary label; d.multi was trained with calculate_p_values = TRUE,")
                .contains("l1_reg = 0.0 and 3 classes;");

        sql.run("CREATE MODEL d.tree OPTIONS (model_type = 'boosted_tree_regressor', input_label_cols = ['body_mass_g'],"
                + " max_iterations = 2) AS SELECT " + FEATURES + ", body_mass_g FROM d.p");
        assertThat(sql.failure("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.tree)").getMessage())
                .isEqualTo("ML.ADVANCED_WEIGHTS at line 1, column 15 needs a LINEAR_REG or binary LOGISTIC_REG model; d.tree is"
                        + " BOOSTED_TREE_REGRESSOR (use ML.FEATURE_IMPORTANCE)");
        assertThat(sql.failure("SELECT * FROM ML.ADVANCED_WEIGHTS(MODEL d.plain, STRUCT(1 AS trial_id))").getMessage())
                .contains("trial_id");
    }

    @Test
    void aModelTooWideForTheCovarianceIsRefusedBeforeTraining() {
        LatheException wide = sql.failure("CREATE MODEL d.wide OPTIONS (model_type = 'linear_reg', input_label_cols = ['y'],"
                + " calculate_p_values = TRUE, category_encoding_method = 'DUMMY_ENCODING') AS"
                + " SELECT 'c' || (i % 2500) AS c, (i % 7) * 1.0 AS y FROM range(30000) t(i)");
        assertThat(wide.code()).isEqualTo(ErrorCode.INVALID_OPTION);
        assertThat(wide.getMessage()).contains("calculate_p_values = TRUE takes at most 2000 encoded feature columns")
                .contains("the training data encodes to 2500 columns (2500 of them for c)")
                .endsWith("set calculate_p_values = FALSE, or select fewer features or categories");
        assertThat(sql.failure("SELECT * FROM ML.TRAINING_INFO(MODEL d.wide)").code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND);
    }

    /** Every parameter of {@code model} in reference.csv, against the function's rows, to {@code tolerance} relative. */
    private static void assertMatches(List<Map<String, Object>> rows, String model, double tolerance) {
        Map<String, double[]> actual = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            String input = (String) row.get("processed_input");
            if (row.get("weight") != null) {
                actual.put(input, new double[] {(double) row.get("weight"), (double) row.get("standard_error"), (double) row.get("p_value")});
            }
            for (Object entry : (List<?>) row.get("category_weights")) {
                Map<?, ?> category = (Map<?, ?>) entry;
                actual.put(input + "=" + category.get("category"), new double[] {(double) category.get("weight"),
                        (double) category.get("standard_error"), (double) category.get("p_value")});
            }
        }
        List<String[]> expected = reference(model);
        assertThat(expected).hasSizeGreaterThan(5);
        for (String[] line : expected) {
            String key = line[2].isEmpty() ? line[1] : line[1] + "=" + line[2];
            assertThat(actual).as(model).containsKey(key);
            for (int i = 0; i < 3; i++) {
                double want = Double.parseDouble(line[3 + i]);
                // a weight near 0 is compared on the scale of its standard error
                double scale = i == 0 ? Math.max(Math.abs(want), Double.parseDouble(line[4])) : Math.abs(want);
                assertThat(actual.get(key)[i]).as("%s %s %s", model, key, List.of("weight", "standard_error", "p_value").get(i))
                        .isCloseTo(want, within(scale * tolerance));
            }
        }
    }

    private static List<String[]> reference(String model) {
        try (InputStream in = AdvancedWeightsTest.class.getResourceAsStream("/advanced_weights/reference.csv")) {
            List<String[]> lines = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                String[] fields = line.split(",", -1);
                if (fields[0].equals(model)) {
                    lines.add(fields);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
