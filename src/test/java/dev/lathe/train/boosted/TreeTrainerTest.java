package dev.lathe.train.boosted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import org.junit.jupiter.api.Test;

class TreeTrainerTest {
    @Test
    void aDenseMatrixBeyondTheMachinesMemoryFailsBeforeAnythingIsAllocated() {
        assertThatThrownBy(() -> TreeTrainer.requireMemory(1_000_000, 32_001, 20_000_000_000L))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED))
                .hasMessageContaining("1,000,000 rows x 32,001 columns, about 384.0 GB").hasMessageContaining("20.0 GB available")
                .hasMessageContaining("lower their top_k");
        TreeTrainer.requireMemory(4_833, 24_875, 20_000_000_000L); // SpamAssassin's bag of words: 1.4 GB
        TreeTrainer.requireMemory(1_000_000, 32_001, -1); // unknown: no check
        assertThat(TreeTrainer.availableMemory()).as("Linux's MemAvailable").isPositive();
    }

    /** A model to train with Lathe's XGBoost parameters: each ensemble and task, row and column sampling included. */
    private record Case(TreeFamily family, Penguins data, Ensemble ensemble, Map<String, Object> options) {
        static final List<Case> EACH_ENSEMBLE_AND_TASK = List.of(
                new Case(TreeFamily.boostedTreeRegressor(), Penguins.bodyMass(), Ensemble.BOOSTED_TREE, Map.of("subsample", 0.8)),
                new Case(TreeFamily.boostedTreeClassifier(), Penguins.species(), Ensemble.BOOSTED_TREE, Map.of("tree_method", "APPROX")),
                new Case(TreeFamily.randomForestClassifier(), Penguins.sex(), Ensemble.RANDOM_FOREST, Map.of("num_parallel_tree", 5)));

        Map<String, Object> params(TrainingSet data) {
            int classes = family.task() == ModelTask.CLASSIFICATION ? data.numClasses() : 0;
            return XgboostParameters.of(ensemble, Objective.of(family.task(), classes), classes, TestData.options(family, options));
        }
    }

    /**
     * TreeTrainer hands XGBoost no weights when every weight is 1; this holds only while XGBoost trains the same model
     * to the bit with all-ones weights as without (it weighs unweighted rows by 1). Checked for each ensemble and task
     * with Lathe's parameters, row and column sampling included.
     */
    @Test
    void xgboostTrainsTheSameModelWithAllOnesWeightsAsWithout() throws XGBoostError {
        for (Case c : Case.EACH_ENSEMBLE_AND_TASK) {
            TrainingSet data = c.data().trainingSet();
            Map<String, Object> params = c.params(data);
            float[] ones = new float[data.train().rows()];
            Arrays.fill(ones, 1f);
            assertThat(train(data, params, ones)).as(c.family().modelType()).isEqualTo(train(data, params, null));
        }
    }

    /** A split without weights ({@link TrainingSet#UNWEIGHTED}) trains the model an array of ones trains. */
    @Test
    void noWeightsTrainWhatWeightsOfOneTrain() {
        TreeFamily family = TreeFamily.boostedTreeRegressor();
        TrainingSet ones = Penguins.bodyMass().trainingSetWithEval();
        TrainingSet without = new TrainingSet(ones.train(), ones.labels(), TrainingSet.UNWEIGHTED, ones.eval(), ones.evalLabels(),
                TrainingSet.UNWEIGHTED, ones.classLabels(), ones.layout(), ones.initialCentroids());
        assertThat(TreeTrainer.allOnes(ones.weights())).isTrue();
        ModelOptions options = TestData.options(family, Map.of("subsample", 0.8));
        TreeEstimator a = (TreeEstimator) family.train(ones, options, TrainingListener.NONE).estimator();
        TreeEstimator b = (TreeEstimator) family.train(without, options, TrainingListener.NONE).estimator();
        assertThat(((Predictions.Values) b.predict(ones.train())).values()).isEqualTo(((Predictions.Values) a.predict(ones.train())).values());
        assertThat(b.trainingInfo().stream().map(i -> i.loss() + "/" + i.evalLoss()).toList())
                .isEqualTo(a.trainingInfo().stream().map(i -> i.loss() + "/" + i.evalLoss()).toList());
    }

    /**
     * TreeTrainer evaluates each round on one thread (XGBoost's two-thread metrics contend for a cache line); the
     * thread count must leave the booster unchanged to the bit and the metrics equal but for the summation order.
     */
    @Test
    void evaluatingOnOneThreadLeavesTheBoosterAsItWas() throws XGBoostError {
        record Case(TreeFamily family, Penguins penguins) {}
        for (Case c : new Case[] {new Case(TreeFamily.boostedTreeRegressor(), Penguins.bodyMass()),
                new Case(TreeFamily.boostedTreeClassifier(), Penguins.species())}) {
            TreeFamily family = c.family();
            TrainingSet data = c.penguins().trainingSetWithEval();
            int classes = family.task() == ModelTask.CLASSIFICATION ? data.numClasses() : 0;
            Map<String, Object> params = new LinkedHashMap<>(XgboostParameters.of(Ensemble.BOOSTED_TREE,
                    Objective.of(family.task(), classes), classes, TestData.options(family, Map.of("subsample", 0.8))));
            params.put("nthread", 2);
            Evaluated oneThread = trainEvaluating(data, params, true);
            Evaluated asConfigured = trainEvaluating(data, params, false);
            assertThat(oneThread.model()).as(family.modelType()).isEqualTo(asConfigured.model());
            for (int round = 0; round < oneThread.metrics().length; round++) {
                for (int i = 0; i < 2; i++) {
                    assertThat(oneThread.metrics()[round][i]).isCloseTo(asConfigured.metrics()[round][i], within(1e-9));
                }
            }
        }
    }

    private record Evaluated(byte[] model, double[][] metrics) {}

    private static Evaluated trainEvaluating(TrainingSet data, Map<String, Object> params, boolean oneThread) throws XGBoostError {
        DMatrix train = matrix(data.train().toFloats(), data.train().rows(), data.train().cols(), data.labels());
        DMatrix eval = matrix(data.eval().orElseThrow().toFloats(), data.eval().get().rows(), data.eval().get().cols(), data.evalLabels());
        try {
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            watches.put("train", train);
            watches.put("eval", eval);
            DMatrix[] matrices = {train, eval};
            String[] names = {"train", "eval"};
            Booster booster = XGBoost.train(train, new LinkedHashMap<>(params), 0, watches, null, null);
            try {
                double[][] metrics = new double[5][];
                for (int round = 0; round < metrics.length; round++) {
                    booster.update(train, round);
                    String text = oneThread ? TreeTrainer.evaluate(booster, matrices, names, round, 2) : booster.evalSet(matrices, names, round);
                    metrics[round] = TreeTrainer.parseMetrics(text, 2);
                }
                return new Evaluated(booster.toByteArray("ubj"), metrics);
            } finally {
                booster.dispose();
            }
        } finally {
            train.dispose();
            eval.dispose();
        }
    }

    private static DMatrix matrix(float[] features, int rows, int cols, double[] labels) throws XGBoostError {
        DMatrix matrix = new DMatrix(features, rows, cols, Float.NaN);
        float[] floats = new float[labels.length];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) labels[i];
        }
        matrix.setLabel(floats);
        return matrix;
    }

    @Test
    void xgboostIsLoadedInTheBackgroundOncePerProcess() throws Exception {
        Optional<Thread> first = TreeTrainer.loadXgboostInBackground(); // empty if an earlier test's statement started it
        assertThat(TreeTrainer.loadXgboostInBackground()).isEmpty();
        if (first.isPresent()) {
            assertThat(first.get().isDaemon()).isTrue();
            first.get().join();
        }
        TreeFamily family = TreeFamily.boostedTreeRegressor();
        assertThat(family.train(Penguins.bodyMass().trainingSet(), TestData.options(family, Map.of()), TrainingListener.NONE)
                .estimator().trainingInfo()).isNotEmpty();
    }

    @Test
    void aRandomForestSaysItIsStillGrowingWhileItsOneRoundRuns() throws InterruptedException {
        // probe ud F4: 100 trees on 500 columns were two minutes between "Training ..." and "iteration 0"
        TreeFamily family = TreeFamily.randomForestClassifier();
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        TrainingListener listener = new TrainingListener() {
            @Override
            public void iterationDone(dev.lathe.core.model.TrainingIteration iteration) {
                lines.add("done " + iteration.iteration());
            }

            @Override
            public void stillWorking(String message) {
                lines.add(message);
            }
        };
        new TreeTrainer(Ensemble.RANDOM_FOREST, ModelTask.CLASSIFICATION, family.modelType(), java.time.Duration.ofMillis(1))
                .train(Penguins.species().trainingSet(), family.validate(TestData.options(family, Map.of("num_parallel_tree", 300))),
                        listener);
        assertThat(lines).last().isEqualTo("done 0");
        assertThat(lines).first().asString()
                .matches("iteration 0: growing a forest of 900 trees \\(300 per class x 3 classes\\), [0-9]+ s so far");
        int count = lines.size();
        assertThat(count).isGreaterThan(1);
        Thread.sleep(20);
        assertThat(lines).as("the heartbeat ends with its round").hasSize(count);
    }

    @Test
    void onlyAllOnesWeightsAreLeftOut() {
        assertThat(TreeTrainer.allOnes(new double[] {1, 1, 1})).isTrue();
        assertThat(TreeTrainer.allOnes(new double[0])).isTrue();
        assertThat(TreeTrainer.allOnes(new double[] {1, 0.5, 1})).isFalse();
        assertThat(TreeTrainer.allOnes(new double[] {1, Double.NaN})).isFalse();
    }

    /**
     * TreeTrainer writes a matrix's floats into native memory for XGBoost ({@link TreeTrainer#dmatrix}), freed once the
     * DMatrix is made; the booster must be the one the array constructor's matrix trains, to the bit, whether the matrix
     * is held as floats, as doubles or as its encoding (NULLs as NaN included: penguins have them).
     */
    @Test
    void aMatrixWrittenToNativeMemoryTrainsWhatTheArrayTrains() throws XGBoostError {
        for (Case c : Case.EACH_ENSEMBLE_AND_TASK) {
            TrainingSet data = c.data().trainingSet();
            Map<String, Object> params = c.params(data);
            DenseMatrix train = data.train();
            float[] floats = train.toFloats().clone();
            for (int i = 0; i < floats.length; i += 7) {
                floats[i] = Float.NaN; // missing, as a NULL reaches XGBoost
            }
            DenseMatrix features = DenseMatrix.ofFloats(train.rows(), train.cols(), floats, train.columnNames());
            byte[] expected = train(new DMatrix(floats, train.rows(), train.cols(), Float.NaN), data, params, null);
            int[] encoded = new int[1];
            for (DenseMatrix held : List.of(
                    DenseMatrix.ofFloats(features.rows(), features.cols(), floats, features.columnNames()),
                    new DenseMatrix(features.rows(), features.cols(), features.data(), features.columnNames()),
                    DenseMatrix.ofFloatEncoding(features.rows(), features.cols(), sink -> {
                        encoded[0]++;
                        for (int i = 0; i < floats.length; i++) {
                            sink.set(i, floats[i]);
                        }
                    }, features.columnNames()))) {
                assertThat(train(TreeTrainer.dmatrix(held), data, params, null)).as("%s, %s", c.family().modelType(), held)
                        .isEqualTo(expected);
            }
            assertThat(encoded[0]).as("encoded once, into the native memory, never held as an array").isEqualTo(1);
        }
    }

    private static byte[] train(TrainingSet data, Map<String, Object> params, float[] weights) throws XGBoostError {
        return train(new DMatrix(data.train().toFloats(), data.train().rows(), data.train().cols(), Float.NaN), data, params, weights);
    }

    private static byte[] train(DMatrix matrix, TrainingSet data, Map<String, Object> params, float[] weights) throws XGBoostError {
        try {
            float[] labels = new float[data.labels().length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = (float) data.labels()[i];
            }
            matrix.setLabel(labels);
            if (weights != null) {
                matrix.setWeight(weights);
            }
            Booster booster = XGBoost.train(matrix, new LinkedHashMap<>(params), 5, Map.of(), null, null);
            try {
                return booster.toByteArray("ubj");
            } finally {
                booster.dispose();
            }
        } finally {
            matrix.dispose();
        }
    }
}
