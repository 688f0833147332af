package dev.lathe.engine;

import static dev.lathe.testing.EngineValues.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.train.kmeans.KMeansEstimator;
import dev.lathe.warehouse.BatchReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ML.EVALUATE of a KMEANS model over an input reads it a batch at a time, where it read every row into one dense matrix:
 * its metrics are sums over rows, so the batches give the whole matrix's numbers to the last digit.
 */
class KMeansEvaluationStreamTest {
    @TempDir
    Path directory;

    @Test
    void metricsOverBatchesEqualTheWholeMatrixsToTheLastDigit() throws Exception {
        try (Platform platform = Platform.open(directory); Engine engine = platform.session(line -> {})) {
            // more rows than a batch (65,536), a category beside the numbers, and a NULL
            engine.execute("""
                    CREATE SCHEMA d;
                    CREATE TABLE d.points AS SELECT (i % 97) * 0.37 + sin(i) AS x, CASE WHEN i % 1000 = 0 THEN NULL ELSE (i % 13) * 1.1 END AS y,
                      'c' || (i % 4)::VARCHAR AS tag FROM range(150000) r(i);
                    CREATE MODEL d.km OPTIONS (model_type = 'kmeans', num_clusters = 4, max_iterations = 3) AS
                      SELECT * FROM d.points WHERE x < 5
                    """, (text, result) -> {});
            LoadedModel model = platform.models().get("d", "km", platform.registry().resolve("d", "km", java.util.Optional.empty()));
            Map<String, Double> whole;
            try (Connection connection = platform.warehouse().connect()) {
                // the implementation this replaced: every row in one batch, one dense matrix
                whole = Evaluations.clustering((KMeansEstimator) model.estimator(), model.pipeline().transform(
                        BatchReader.readAll(connection, "SELECT * FROM d.points", model.pipeline().inputFields())));
            }
            assertThat(value(engine, "SELECT davies_bouldin_index FROM ML.EVALUATE(MODEL d.km, TABLE d.points)"))
                    .isEqualTo(whole.get("davies_bouldin_index"));
            assertThat(value(engine, "SELECT mean_squared_distance FROM ML.EVALUATE(MODEL d.km, TABLE d.points)"))
                    .isEqualTo(whole.get("mean_squared_distance"));
            assertThat(whole.get("davies_bouldin_index")).isFinite().isPositive();
            assertThatThrownBy(() -> value(engine, "SELECT * FROM ML.EVALUATE(MODEL d.km, (SELECT * FROM d.points WHERE x > 1000))"))
                    .hasMessageContaining("no rows");
        }
    }
}
