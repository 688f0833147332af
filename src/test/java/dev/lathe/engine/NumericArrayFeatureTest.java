package dev.lathe.engine;

import static dev.lathe.testing.EngineValues.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ARRAY of numbers as a feature (spec 2.2: passed as is, element i feature i): each element is a number feature, its
 * NULL the training mean; the length is the training arrays'. Read as a sparse vector, a constant element took the
 * intercept's place (a NULL array predicted 0) and an array of another length was padded or cut without a word.
 */
class NumericArrayFeatureTest {
    @TempDir
    Path directory;

    private static final String TABLE = "CREATE SCHEMA p; CREATE TABLE p.t AS SELECT [i * 0.1, 5.0, (i % 7) * 1.0] AS v,"
            + " 3.0 + 2 * (i * 0.1) + 0.5 * (i % 7) AS y, i % 2 = 0 AS c FROM range(200) r(i)";

    @Test
    void aNullArrayOrElementIsTheTrainingMeanAndAConstantElementHasNoWeight() throws Exception {
        try (Platform platform = Platform.open(directory); Engine engine = platform.session(line -> {})) {
            engine.execute(TABLE + "; CREATE MODEL p.lin OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS SELECT v, y FROM p.t",
                    (text, result) -> {});
            assertThat((double) value(engine, "SELECT weight FROM ML.WEIGHTS(MODEL p.lin) WHERE processed_input = '__INTERCEPT__'"))
                    .isCloseTo(3.0, within(1e-9));
            assertThat((double) value(engine, "SELECT predicted_y FROM ML.PREDICT(MODEL p.lin, (SELECT [1.0, 5.0, 2.0] AS v))"))
                    .isCloseTo(6.0, within(1e-9));
            // the means: 9.95, 5, 2.985 (i % 7 over 0..199); y at them is 3 + 19.9 + 1.4925
            double atMeans = 3 + 2 * 9.95 + 0.5 * meanOfModSeven();
            assertThat((double) value(engine, "SELECT predicted_y FROM ML.PREDICT(MODEL p.lin, (SELECT CAST(NULL AS DOUBLE[]) AS v))"))
                    .isCloseTo(atMeans, within(1e-9));
            assertThat((double) value(engine, "SELECT predicted_y FROM ML.PREDICT(MODEL p.lin, (SELECT [NULL, 5.0, 2.0] AS v))"))
                    .isCloseTo(3 + 2 * 9.95 + 0.5 * 2, within(1e-9));
            // a constant element predicts the same whatever it is, as a constant number column does
            assertThat((double) value(engine, "SELECT predicted_y FROM ML.PREDICT(MODEL p.lin, (SELECT [1.0, -40.0, 2.0] AS v))"))
                    .isCloseTo(6.0, within(1e-9));
            // the endpoints' rows: the same encoding
            ModelRuntime runtime = platform.runtime("p", "lin", Optional.empty());
            try (Connection connection = platform.warehouse().connect()) {
                Map<String, Object> nullArray = new HashMap<>();
                nullArray.put("v", null);
                assertThat((double) runtime.predict(List.of(nullArray), 0.5, connection).get(0).get("predicted_y"))
                        .isCloseTo(atMeans, within(1e-9));
                assertThat((double) runtime.predict(List.of(Map.of("v", Arrays.asList(null, 5.0, 2.0))), 0.5, connection).get(0)
                        .get("predicted_y")).isCloseTo(3 + 2 * 9.95 + 0.5 * 2, within(1e-9));
                // named by its instance, as the endpoint's other value errors are (a 400 naming the field)
                assertThatThrownBy(() -> runtime.predict(List.of(Map.of("v", List.of(1.0, 5.0, 2.0)), Map.of("v", List.of(1.0, 5.0))),
                        0.5, connection))
                        .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                        .hasMessageStartingWith("instances[1].v is an array of 2 elements, [1.0, 5.0], but must have 3, as the model's"
                                + " training arrays had: element i of a numeric array is feature i");
            }
        }
    }

    @Test
    void anArrayOfAnotherLengthIsRefusedInTrainingAndPrediction() {
        try (Engine engine = Lathe.open(directory)) {
            engine.execute(TABLE, (text, result) -> {});
            for (String type : new String[] {"model_type = 'linear_reg', input_label_cols = ['y']", "model_type = 'logistic_reg',"
                    + " input_label_cols = ['c']", "model_type = 'boosted_tree_regressor', input_label_cols = ['y'], max_iterations = 2",
                    "model_type = 'kmeans', num_clusters = 2"}) {
                engine.execute("CREATE OR REPLACE MODEL p.m OPTIONS (" + type + ") AS SELECT " + (type.contains("kmeans") ? "v"
                        : type.contains("'c'") ? "v, c" : "v, y") + " FROM p.t", (text, result) -> {});
                for (String shorter : new String[] {"[1.0, 5.0]", "[1.0, 5.0, 2.0, 9.0]"}) {
                    assertThatThrownBy(() -> value(engine, "SELECT * FROM ML.PREDICT(MODEL p.m, (SELECT " + shorter + " AS v, 1.0 AS y, TRUE AS c))"))
                            .as(type).hasMessageContaining("Column 'v' holds an array of ")
                            .hasMessageContaining("but the model was trained on arrays of 3 elements");
                }
                assertThat(value(engine, "SELECT count(*) FROM ML.PREDICT(MODEL p.m, (SELECT CAST(NULL AS DOUBLE[]) AS v, 1.0 AS y, TRUE AS c"
                        + " UNION ALL SELECT [NULL, NULL, NULL], 1.0, TRUE))")).as(type).isEqualTo(2L);
            }
            // ML.CENTROIDS gives the constant element as it is, not standardized (the last model is the k-means)
            assertThat((double) value(engine, "SELECT value FROM (SELECT unnest(categorical_value, recursive := true)"
                    + " FROM ML.CENTROIDS(MODEL p.m)) WHERE category = '1' LIMIT 1")).isCloseTo(5.0, within(1e-9));
            assertThatThrownBy(() -> engine.execute("CREATE MODEL p.bad OPTIONS (model_type = 'linear_reg', input_label_cols = ['y']) AS"
                    + " SELECT CASE WHEN y > 30 THEN [1.0] ELSE v END AS v, y FROM p.t", (text, result) -> {}))
                    .hasMessageContaining("Column 'v' holds an array of 1 elements in training row ")
                    .hasMessageContaining("but the first training array has 3 elements");
        }
    }

    private static double meanOfModSeven() {
        double sum = 0;
        for (int i = 0; i < 200; i++) {
            sum += i % 7;
        }
        return sum / 200;
    }
}
