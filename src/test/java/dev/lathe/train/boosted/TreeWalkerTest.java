package dev.lathe.train.boosted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.Capabilities;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import org.junit.jupiter.api.Test;

/**
 * The Java tree walker against XGBoost's own prediction of the same booster, bit for bit: on every row
 * of the data, plus rows mixing values of different rows (so features land on split thresholds) and
 * rows with missing values (so default directions are taken).
 */
class TreeWalkerTest {

    @Test
    void regressorPredictsExactlyAsXgboost() throws Exception {
        Penguins data = Penguins.bodyMass();
        assertWalkerMatchesXgboost(TreeFamily.boostedTreeRegressor(), Map.of("max_iterations", 30), data.trainingSet(),
                data.features.encode(data.train));
    }

    @Test
    void binaryClassifierPredictsExactlyAsXgboost() throws Exception {
        Penguins data = Penguins.sex();
        assertWalkerMatchesXgboost(TreeFamily.boostedTreeClassifier(), Map.of("max_iterations", 40), data.trainingSet(),
                data.features.encode(data.train));
    }

    @Test
    void multiclassClassifierPredictsExactlyAsXgboost() throws Exception {
        Penguins data = Penguins.species();
        assertWalkerMatchesXgboost(TreeFamily.boostedTreeClassifier(), Map.of("max_iterations", 20, "num_parallel_tree", 2,
                "subsample", 0.8), data.trainingSet(), data.features.encode(data.train));
    }

    @Test
    void randomForestsPredictExactlyAsXgboost() throws Exception {
        Penguins mass = Penguins.bodyMassOneHot();
        assertWalkerMatchesXgboost(TreeFamily.randomForestRegressor(), Map.of("num_parallel_tree", 30), mass.trainingSet(),
                mass.features.encode(mass.train));
        Penguins species = Penguins.species();
        assertWalkerMatchesXgboost(TreeFamily.randomForestClassifier(), Map.of("num_parallel_tree", 30), species.trainingSet(),
                species.features.encode(species.train));
    }

    @Test
    void dartModelsAreLeftToXgboost() throws Exception {
        Penguins data = Penguins.bodyMass();
        TreeFamily family = TreeFamily.boostedTreeRegressor();
        Estimator estimator = family.train(data.trainingSet(), TestData.options(family, Map.of("max_iterations", 5,
                "booster_type", "DART")), TrainingListener.NONE).estimator();
        Booster booster = XGBoost.loadModel(ModelEnvelope.read(estimator.save()).booster());

        assertThat(TreeWalker.fromJson(booster.toByteArray("json"))).isEmpty();
        assertThat(TreeShap.fromJson(booster.toByteArray("json"))).isEmpty();
        // Still predicted, through XGBoost.
        DenseMatrix test = data.testMatrix();
        double[] predicted = ((Predictions.Values) estimator.predict(test)).values();
        assertThat(predicted).hasSize(test.rows());
        // And explained, through predictContrib: baseline plus contributions give the prediction.
        Capabilities.Attributions attributions = ((Capabilities.HasAttributions) estimator).attributions(test, new int[test.rows()]);
        for (int row = 0; row < test.rows(); row++) {
            assertThat(attributions.predictions()[row]).isCloseTo(predicted[row], offset(0.01));
        }
    }

    @Test
    void adultHundredTreeClassifierPredictsExactlyAsXgboost() throws Exception {
        Optional<TrainingSet> adult = TestData.adultTraining();
        assumeTrue(adult.isPresent(), "UCI Adult not found under ${lathe.shared.dir}/datasets; skipping");
        TrainingSet training = adult.get();
        DenseMatrix matrix = training.train();
        assertWalkerMatchesXgboost(TreeFamily.boostedTreeClassifier(), Map.of("max_iterations", 100, "early_stop", false), training,
                matrix);
    }

    @Test
    void importedXgboostJsonModelsPredictExactlyAsXgboost() throws Exception {
        DenseMatrix penguins = Penguins.species().features.encode(Penguins.species().train);
        // The imported models read the four numeric columns, which lead the species feature matrix.
        DenseMatrix numeric = TestData.firstColumns(penguins, 4);
        for (String name : List.of("xgb_regressor.json", "xgb_regressor.ubj", "xgb_classifier.json")) {
            byte[] model;
            try (InputStream in = TreeWalkerTest.class.getResourceAsStream("/imported/" + name)) {
                model = in.readAllBytes();
            }
            Booster booster = XGBoost.loadModel(model);
            TreeWalker walker = TreeWalker.fromJson(booster.toByteArray("json")).orElseThrow();
            float[] rows = TestData.withMixedAndMissingRows(numeric).toFloats();
            int n = rows.length / 4;
            float[][] expected = booster.predict(new DMatrix(rows, n, 4, Float.NaN));
            assertThat(walker.predictRows(rows, n, 4)).as(name).isDeepEqualTo(expected);
        }
    }

    @Test
    void oneRowWalksMatchXgboostOnSignedZerosInfinitiesAndTinyValues() throws Exception {
        Penguins data = Penguins.sex();
        DenseMatrix rows = data.features.encode(data.train);
        TreeFamily family = TreeFamily.boostedTreeClassifier();
        Estimator estimator = family.train(data.trainingSet(), TestData.options(family, Map.of("max_iterations", 20)),
                TrainingListener.NONE).estimator();
        Booster booster = XGBoost.loadModel(ModelEnvelope.read(estimator.save()).booster());
        TreeWalker walker = TreeWalker.fromJson(booster.toByteArray("json")).orElseThrow();
        assertThat(walker.walksCompleteTrees()).isTrue();
        int cols = rows.cols();
        float[] specials = {-0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.NaN};
        float[] base = rows.toFloats(0, 10);
        for (int row = 0; row < 10; row++) {
            for (int col = 0; col < cols; col++) {
                for (float special : specials) {
                    float[] one = java.util.Arrays.copyOfRange(base, row * cols, (row + 1) * cols);
                    one[col] = special;
                    float[][] expected = booster.inplace_predict(one, 1, cols, Float.NaN);
                    assertThat(walker.predictRows(one, 1, cols)[0]).as("row %d, column %d = %s", row, col, special)
                            .isEqualTo(expected[0]);
                }
            }
        }
    }

    @Test
    void treesDeeperThanTheCompleteLayoutAreWalkedNodeByNode() throws Exception {
        Optional<TrainingSet> adult = TestData.adultTraining();
        assumeTrue(adult.isPresent(), "UCI Adult not found under ${lathe.shared.dir}/datasets; skipping");
        TreeWalker walker = assertWalkerMatchesXgboost(TreeFamily.boostedTreeClassifier(), Map.of("max_iterations", 3,
                "max_tree_depth", 12, "early_stop", false), adult.get(), TestData.firstRows(adult.get().train(), 2_000));
        assertThat(walker.walksCompleteTrees()).as("some tree deeper than 8 levels").isFalse();
    }

    @Test
    void lopsidedTreesKeepTheNodeWalk() {
        // One tree, a chain 8 splits deep (x < i goes to a leaf, else on): 17 nodes, while its complete layout would hold
        // 255 splits and 256 leaves, more than 8 times the nodes' memory.
        StringBuilder lefts = new StringBuilder(), rights = new StringBuilder(), indices = new StringBuilder();
        StringBuilder conditions = new StringBuilder(), defaults = new StringBuilder(), hessians = new StringBuilder();
        int nodes = 17;
        for (int n = 0; n < nodes; n++) {
            boolean split = n % 2 == 0 && n < 16; // even nodes split; odd nodes and the last are leaves
            String sep = n == 0 ? "" : ",";
            lefts.append(sep).append(split ? n + 1 : -1);
            rights.append(sep).append(split ? n + 2 : -1);
            indices.append(sep).append(0);
            conditions.append(sep).append(split ? n / 2 : n * 0.25);
            defaults.append(sep).append(n % 4 == 0 ? 1 : 0);
            hessians.append(sep).append(1.0);
        }
        String json = ("{\"learner\": {\"learner_model_param\": {\"num_feature\": \"2\", \"num_class\": \"0\", \"base_score\": \"0.5\"},"
                + " \"objective\": {\"name\": \"reg:squarederror\"}, \"gradient_booster\": {\"name\": \"gbtree\", \"model\": {"
                + " \"tree_info\": [0], \"trees\": [{\"left_children\": [%s], \"right_children\": [%s], \"split_indices\": [%s],"
                + " \"split_conditions\": [%s], \"default_left\": [%s], \"sum_hessian\": [%s], \"split_type\": []}]}}}}")
                .formatted(lefts, rights, indices, conditions, defaults, hessians);
        TreeWalker walker = TreeWalker.fromJson(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();
        assertThat(walker.walksCompleteTrees()).isFalse();
        // One row at a time (the node walk) as the batch path walks the same rows.
        float[] rows = {-1, 0, 0.5f, 0, 3, 0, 3.5f, 0, 7.5f, 0, 100, 0, Float.NaN, 0, 2, 0, -0.0f, 0, 6, 0};
        float[][] batch = walker.predictRows(rows, 10, 2);
        for (int r = 0; r < 10; r++) {
            assertThat(walker.predictRows(java.util.Arrays.copyOfRange(rows, 2 * r, 2 * r + 2), 1, 2)[0]).as("row %d", r)
                    .isEqualTo(batch[r]);
        }
        assertThat(batch[0][0]).isEqualTo(0.5f + 0.25f); // x = -1 < 0: the first leaf (node 1)
        assertThat(batch[5][0]).isEqualTo(0.5f + 4.0f); // x = 100: the last leaf (node 16)
    }

    @Test
    void orderedKeysOrderAsTheFloatsDo() {
        java.util.Random random = new java.util.Random(7);
        float[] specials = {-0.0f, 0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -Float.MIN_VALUE,
            Float.MAX_VALUE, -Float.MAX_VALUE, 1.0f, -1.0f, Math.nextUp(1.0f), Math.nextDown(-1.0f)};
        for (int i = 0; i < 200_000; i++) {
            float a = i < 144 ? specials[i % 12] : Float.intBitsToFloat(random.nextInt());
            float b = i < 144 ? specials[i / 12] : random.nextBoolean() ? Float.intBitsToFloat(random.nextInt()) : Math.nextUp(a);
            if (Float.isNaN(a) || Float.isNaN(b)) {
                continue;
            }
            assertThat(TreeWalker.orderedKey(a) < TreeWalker.orderedKey(b)).as("%s < %s", a, b).isEqualTo(a < b);
        }
    }

    private static TreeWalker assertWalkerMatchesXgboost(TreeFamily family, Map<String, Object> options, TrainingSet training,
            DenseMatrix rows) throws Exception {
        Estimator estimator = family.train(training, TestData.options(family, options), TrainingListener.NONE).estimator();
        DenseMatrix all = TestData.withMixedAndMissingRows(rows);
        Booster booster = XGBoost.loadModel(ModelEnvelope.read(estimator.save()).booster());
        float[] floats = all.toFloats();
        int rounds = booster.getNumBoostedRound();
        float[][] expected = booster.inplace_predict(floats, all.rows(), all.cols(), Float.NaN, new int[] {0, rounds});

        TreeWalker walker = TreeWalker.fromJson(booster.toByteArray("json")).orElseThrow();
        assertThat(walker.predictRows(floats, all.rows(), all.cols())).isDeepEqualTo(expected);
        // One row per call, as online prediction calls it (a different code path from batches).
        int cols = all.cols();
        for (int row = 0; row < all.rows(); row += 3) {
            float[] one = java.util.Arrays.copyOfRange(floats, row * cols, (row + 1) * cols);
            assertThat(walker.predictRows(one, 1, cols)[0]).as("row %d alone", row).isEqualTo(expected[row]);
        }
        // And through the estimator, as ML.PREDICT sees it: as trained, and as loaded from storage (trees read from
        // the stored UBJSON, without XGBoost).
        assertPredictions(estimator.predict(all), expected);
        assertPredictions(family.load(estimator.save()).predict(all), expected);
        return walker;
    }

    private static void assertPredictions(Predictions predicted, float[][] expected) {
        for (int row = 0; row < expected.length; row++) {
            float[] values = expected[row];
            switch (predicted) {
                case Predictions.Values v -> assertThat(v.values()[row]).isEqualTo((double) values[0]);
                case Predictions.Probabilities p -> {
                    if (p.classes() == 2) {
                        assertThat(p.get(row, 1)).isEqualTo((double) values[0]);
                    } else {
                        for (int c = 0; c < values.length; c++) {
                            assertThat(p.get(row, c)).isEqualTo((double) values[c]);
                        }
                    }
                }
                default -> throw new AssertionError("unexpected " + predicted);
            }
        }
    }
}
