package dev.lathe.train.boosted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.Capabilities;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/**
 * Java TreeSHAP against XGBoost's own {@code predictContrib} of the same booster, on every row of the
 * data plus rows mixing values of different rows (features on split thresholds) and rows with missing
 * values (default directions), in every output group.
 *
 * <p>Tolerance: XGBoost computes in float32, and so does {@link TreeShap}, operation for operation and
 * in the same order, so on x86-64 the two agree to the bit (every value of every model here did when
 * this was written). The assertion still allows {@value #TOLERANCE} absolute on margin-scale values
 * (contributions and bias; a few float32 ulps at the magnitudes of classifier margins), so an XGBoost
 * build whose compiler contracts multiply-adds into FMAs (the default on aarch64) would not fail the
 * build, while any real difference (a wrong branch, a missed cover, a wrong mean) is orders of
 * magnitude larger. Each row's contributions and bias also sum to XGBoost's margin prediction within
 * {@value #SUM_TOLERANCE} relative (at least 1e-5 absolute): float32 sums of up to a hundred trees'
 * leaves, taken in two different orders.
 */
class TreeShapTest {
    private static final double TOLERANCE = 1e-5;
    private static final double SUM_TOLERANCE = 1e-5;

    @Test
    void regressorMatchesPredictContrib() throws Exception {
        assertMatchesXgboost(TreeFamily.boostedTreeRegressor(), Map.of("max_iterations", 30), Penguins.bodyMass());
    }

    @Test
    void binaryClassifierMatchesPredictContrib() throws Exception {
        assertMatchesXgboost(TreeFamily.boostedTreeClassifier(), Map.of("max_iterations", 40), Penguins.sex());
    }

    @Test
    void multiclassClassifierMatchesPredictContribInEveryClass() throws Exception {
        assertMatchesXgboost(TreeFamily.boostedTreeClassifier(), Map.of("max_iterations", 20, "num_parallel_tree", 2,
                "subsample", 0.8), Penguins.species());
    }

    @Test
    void randomForestsMatchPredictContrib() throws Exception {
        assertMatchesXgboost(TreeFamily.randomForestRegressor(), Map.of("num_parallel_tree", 30), Penguins.bodyMassOneHot());
        assertMatchesXgboost(TreeFamily.randomForestClassifier(), Map.of("num_parallel_tree", 30), Penguins.species());
    }

    @Test
    void importedXgboostModelsMatchPredictContrib() throws Exception {
        // The imported models read the four numeric columns, which lead the species feature matrix.
        Penguins species = Penguins.species();
        DenseMatrix numeric = TestData.firstColumns(species.features.encode(species.train), 4);
        for (String name : List.of("xgb_regressor.json", "xgb_regressor.ubj", "xgb_classifier.json")) {
            byte[] model;
            try (InputStream in = TreeShapTest.class.getResourceAsStream("/imported/" + name)) {
                model = in.readAllBytes();
            }
            assertMatchesXgboost(XGBoost.loadModel(model), numeric);
        }
    }

    @Test
    void adultHundredTreeClassifierMatchesPredictContrib() throws Exception {
        Optional<TrainingSet> adult = TestData.adultTraining();
        assumeTrue(adult.isPresent(), "UCI Adult not found under ${lathe.shared.dir}/datasets; skipping");
        Booster booster = train(TreeFamily.boostedTreeClassifier(), Map.of("max_iterations", 100, "early_stop", false), adult.get());
        assertMatchesXgboost(booster, adult.get().train().rows(0, 3_000));
    }

    @Test
    void estimatorAttributionsEqualXgboostsWithTheBiasAsBaseline() throws Exception {
        Penguins data = Penguins.species();
        TreeFamily family = TreeFamily.boostedTreeClassifier();
        Estimator estimator = family.train(data.trainingSet(), TestData.options(family, Map.of("max_iterations", 10)),
                TrainingListener.NONE).estimator();
        Booster booster = XGBoost.loadModel(ModelEnvelope.read(estimator.save()).booster());
        DenseMatrix rows = TestData.withMixedAndMissingRows(data.testMatrix());
        int[] classes = new int[rows.rows()];
        for (int row = 0; row < classes.length; row++) {
            classes[row] = row % 3;
        }
        Capabilities.Attributions attributions = ((Capabilities.HasAttributions) estimator).attributions(rows, classes);

        DMatrix matrix = new DMatrix(rows.toFloats(), rows.rows(), rows.cols(), Float.NaN);
        float[][] expected;
        try {
            expected = booster.predictContrib(matrix, 0);
        } finally {
            matrix.dispose();
        }
        int width = rows.cols() + 1;
        for (int row = 0; row < rows.rows(); row++) {
            int at = classes[row] * width;
            for (int col = 0; col < rows.cols(); col++) {
                assertThat(attributions.values()[row * rows.cols() + col]).as("row %d column %d", row, col)
                        .isCloseTo(expected[row][at + col], offset(TOLERANCE));
            }
            assertThat(attributions.baselines()[row]).isCloseTo(expected[row][at + rows.cols()],
                    offset(TOLERANCE));
        }
    }

    @Test
    void rejectsAnOutputGroupTheModelLacks() throws Exception {
        Penguins data = Penguins.species();
        Booster booster = train(TreeFamily.boostedTreeClassifier(), Map.of("max_iterations", 2), data.trainingSet());
        TreeShap shap = TreeShap.fromJson(booster.toByteArray("json")).orElseThrow();
        DenseMatrix rows = data.testMatrix().rows(0, 2);
        assertThatThrownBy(() -> shap.contributions(rows.toFloats(), 2, rows.cols(), new int[] {0, 3}, new float[2 * (rows.cols() + 1)]))
                .isInstanceOf(LatheException.class)
                .hasMessage("Row 1 asks for the contributions to output 3 but the tree model has outputs 0 to 2");
    }

    private static void assertMatchesXgboost(TreeFamily family, Map<String, Object> options, Penguins data) throws Exception {
        assertMatchesXgboost(train(family, options, data.trainingSet()), data.features.encode(data.train));
    }

    private static Booster train(TreeFamily family, Map<String, Object> options, TrainingSet training) throws Exception {
        Estimator estimator = family.train(training, TestData.options(family, options), TrainingListener.NONE).estimator();
        return XGBoost.loadModel(ModelEnvelope.read(estimator.save()).booster());
    }

    /**
     * Every group's contributions of every row (batch, so in parallel, and one row per call), then one
     * group per row, against predictContrib; each row's sum against XGBoost's margin.
     */
    private static void assertMatchesXgboost(Booster booster, DenseMatrix rows) throws Exception {
        DenseMatrix all = TestData.withMixedAndMissingRows(rows);
        float[] floats = all.toFloats();
        int n = all.rows();
        int cols = all.cols();
        DMatrix matrix = new DMatrix(floats, n, cols, Float.NaN);
        float[][] expected;
        float[][] margins;
        try {
            expected = booster.predictContrib(matrix, 0);
            margins = booster.predict(matrix, true);
        } finally {
            matrix.dispose();
        }
        TreeShap shap = TreeShap.fromJson(booster.toByteArray("json")).orElseThrow();
        int groups = shap.numGroups();
        int width = cols + 1;
        assertThat(expected[0]).hasSize(groups * width);

        float[] batch = new float[n * groups * width];
        shap.contributions(floats, n, cols, batch);
        for (int row = 0; row < n; row++) {
            for (int i = 0; i < groups * width; i++) {
                float actual = batch[row * groups * width + i];
                assertThat((double) actual).as("row %d, value %d", row, i).isCloseTo(expected[row][i],
                        offset(TOLERANCE));
            }
            for (int g = 0; g < groups; g++) {
                double sum = 0;
                for (int i = 0; i < width; i++) {
                    sum += batch[(row * groups + g) * width + i];
                }
                assertThat(sum).as("row %d group %d: contributions + bias = margin", row, g).isCloseTo(margins[row][g],
                        offset(SUM_TOLERANCE * Math.max(1, Math.abs(margins[row][g]))));
            }
        }

        float[] one = new float[groups * width];
        for (int row = 0; row < n; row += 7) {
            shap.contributions(Arrays.copyOfRange(floats, row * cols, (row + 1) * cols), 1, cols, one);
            assertThat(one).as("row %d alone", row).containsExactly(Arrays.copyOfRange(batch, row * groups * width,
                    (row + 1) * groups * width));
        }

        int[] chosen = new int[n];
        for (int row = 0; row < n; row++) {
            chosen[row] = row % groups;
        }
        float[] perRow = new float[n * width];
        shap.contributions(floats, n, cols, chosen, perRow);
        for (int row = 0; row < n; row++) {
            assertThat(Arrays.copyOfRange(perRow, row * width, (row + 1) * width)).as("row %d, group %d", row, chosen[row])
                    .containsExactly(Arrays.copyOfRange(batch, (row * groups + chosen[row]) * width,
                            (row * groups + chosen[row] + 1) * width));
        }
    }
}
