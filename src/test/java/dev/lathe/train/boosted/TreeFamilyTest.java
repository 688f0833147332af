package dev.lathe.train.boosted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.Capabilities;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.FeatureLayout;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionSpec;
import dev.lathe.train.ModelFamilies;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TreeFamilyTest {
    private static Estimator train(TreeFamily family, TrainingSet data, Map<String, Object> options) {
        return family.train(data, TestData.options(family, options), TrainingListener.NONE).estimator();
    }

    private static double[] values(Predictions predictions) {
        return switch (predictions) {
            case Predictions.Values v -> v.values();
            case Predictions.Probabilities p -> p.probabilities();
            case Predictions.Distances d -> d.distances();
        };
    }

    @Test
    void standardListRegistersTheFourTreeFamilies() {
        assertThat(ModelFamilies.standard().modelTypes()).contains("BOOSTED_TREE_CLASSIFIER", "BOOSTED_TREE_REGRESSOR",
                "RANDOM_FOREST_CLASSIFIER", "RANDOM_FOREST_REGRESSOR");
    }

    @Test
    void boostedTreeDefaultsFollowTheSpec() {
        Map<String, Object> values = TestData.options(TreeFamily.boostedTreeClassifier(), Map.of()).values();

        assertThat(values).containsEntry("booster_type", "GBTREE").containsEntry("dart_normalize_type", "TREE")
                .containsEntry("num_parallel_tree", 1L).containsEntry("max_tree_depth", 6L).containsEntry("dropout", 0.0)
                .containsEntry("l1_reg", 0.0).containsEntry("l2_reg", 1.0).containsEntry("learn_rate", 0.3)
                .containsEntry("tree_method", "AUTO").containsEntry("min_tree_child_weight", 1L)
                .containsEntry("colsample_bytree", 1.0).containsEntry("colsample_bylevel", 1.0).containsEntry("colsample_bynode", 1.0)
                .containsEntry("min_split_loss", 0.0).containsEntry("subsample", 1.0)
                .containsEntry("category_encoding_method", "LABEL_ENCODING").containsEntry("xgboost_version", "0.9")
                .containsEntry("max_iterations", 20L).containsEntry("early_stop", true).containsEntry("min_rel_progress", 0.01)
                .containsEntry("approx_global_feature_contrib", false).containsKey("auto_class_weights");
    }

    @Test
    void randomForestDefaultsFollowTheSpecAndOmitBoostingOptions() {
        TreeFamily family = TreeFamily.randomForestRegressor();
        Map<String, Object> values = TestData.options(family, Map.of()).values();

        assertThat(values).containsEntry("num_parallel_tree", 100L).containsEntry("max_tree_depth", 15L)
                .containsEntry("colsample_bynode", 0.8).containsEntry("subsample", 0.8).containsEntry("l2_reg", 1.0)
                .containsEntry("l1_reg", 0.0).containsEntry("tree_method", "AUTO");
        assertThat(family.options()).extracting(OptionSpec::name).doesNotContain("max_iterations", "learn_rate", "booster_type",
                "dart_normalize_type", "dropout", "category_encoding_method", "class_weights", "auto_class_weights");
        assertThat(family.options()).extracting(OptionSpec::name).contains("early_stop", "min_rel_progress", "instance_weight_col");
    }

    @Test
    void approximateGlobalContributionsDefaultOnlyWithGlobalExplainAndEnoughTrees() {
        assertThat(TestData.options(TreeFamily.boostedTreeRegressor(), Map.of("enable_global_explain", true,
                "num_parallel_tree", 10)).getBool("approx_global_feature_contrib")).isTrue();
        assertThat(TestData.options(TreeFamily.randomForestRegressor(), Map.of("enable_global_explain", true))
                .getBool("approx_global_feature_contrib")).isTrue();
        assertThat(TestData.options(TreeFamily.randomForestRegressor(), Map.of("enable_global_explain", true,
                "num_parallel_tree", 49)).getBool("approx_global_feature_contrib")).isFalse();
    }

    @Test
    void rejectsOutOfRangeAndConflictingOptions() {
        assertThatThrownBy(() -> TestData.options(TreeFamily.randomForestClassifier(), Map.of("subsample", 1.0)))
                .isInstanceOf(LatheException.class).hasMessageContaining("subsample").hasMessageContaining("(0, 1)");
        assertThatThrownBy(() -> TestData.options(TreeFamily.randomForestClassifier(), Map.of("num_parallel_tree", 1)))
                .isInstanceOf(LatheException.class).hasMessageContaining("num_parallel_tree");
        assertThatThrownBy(() -> TestData.options(TreeFamily.boostedTreeClassifier(), Map.of("learn_rate", 0.0)))
                .isInstanceOf(LatheException.class).hasMessageContaining("learn_rate");
        assertThatThrownBy(() -> TestData.options(TreeFamily.boostedTreeClassifier(), Map.of("tree_method", "GPU_HIST")))
                .isInstanceOf(LatheException.class).hasMessageContaining("AUTO, EXACT, APPROX, HIST");
        assertThatThrownBy(() -> TestData.options(TreeFamily.boostedTreeClassifier(), Map.of("instance_weight_col", "w",
                "auto_class_weights", true)))
                .isInstanceOf(LatheException.class).hasMessageContaining("instance_weight_col").hasMessageContaining("'w'");
    }

    @Test
    void exactTreeMethodRefusesColumnSamplingByNodeUpFront() {
        // XGBoost 2.1's exact updater has no by-node sampling: every random forest with EXACT failed in training with a native
        // stack trace, as an internal error
        assertThatThrownBy(() -> TestData.options(TreeFamily.randomForestRegressor(), Map.of("tree_method", "EXACT")))
                .isInstanceOf(LatheException.class).extracting(e -> ((LatheException) e).code()).isEqualTo(ErrorCode.INVALID_OPTION);
        assertThatThrownBy(() -> TestData.options(TreeFamily.randomForestRegressor(), Map.of("tree_method", "EXACT")))
                .hasMessage("Option tree_method 'EXACT' cannot sample columns by node (colsample_bynode 0.8, the random forest"
                        + " default): XGBoost's exact tree method does not support it; set colsample_bynode = 1, or tree_method"
                        + " 'HIST' or 'APPROX'");
        assertThatThrownBy(() -> TestData.options(TreeFamily.boostedTreeClassifier(), Map.of("tree_method", "exact",
                "colsample_bynode", 0.5)))
                .isInstanceOf(LatheException.class).hasMessageContaining("(colsample_bynode 0.5)");
        assertThat(TestData.options(TreeFamily.randomForestClassifier(), Map.of("tree_method", "EXACT", "colsample_bynode", 1.0))
                .getString("tree_method")).isEqualTo("EXACT");
        assertThat(TestData.options(TreeFamily.randomForestClassifier(), Map.of("tree_method", "HIST")).getDouble("colsample_bynode"))
                .isEqualTo(0.8);
    }

    @Test
    void encodingIsUnstandardizedLabelEncodingUnlessBoostedTreeChoosesAnother() {
        TreeFamily boosted = TreeFamily.boostedTreeRegressor();
        TreeFamily forest = TreeFamily.randomForestRegressor();

        assertThat(boosted.encoding(TestData.options(boosted, Map.of()))).isEqualTo(EncodingPolicy.trees(CategoryEncoding.LABEL_ENCODING));
        assertThat(boosted.encoding(TestData.options(boosted, Map.of("category_encoding_method", "one_hot_encoding"))))
                .isEqualTo(new EncodingPolicy(false, CategoryEncoding.ONE_HOT_ENCODING, false));
        assertThat(boosted.encoding(TestData.options(boosted, Map.of("category_encoding_method", "TARGET_ENCODING"))).categoryEncoding())
                .isEqualTo(CategoryEncoding.TARGET_ENCODING);
        assertThat(forest.encoding(TestData.options(forest, Map.of()))).isEqualTo(EncodingPolicy.trees(CategoryEncoding.LABEL_ENCODING));
    }

    /** Linear regression reaches R² 0.86 in 5-fold CV (baselines.md); trees on 274 rows should come close. */
    @Test
    void boostedTreeRegressorPredictsPenguinBodyMass() {
        Penguins penguins = Penguins.bodyMass();
        Estimator estimator = train(TreeFamily.boostedTreeRegressor(), penguins.trainingSet(), Map.of());

        double r2 = TestData.rSquared(values(estimator.predict(penguins.testMatrix())), penguins.testLabels());
        assertThat(r2).isGreaterThan(0.75);
        assertThat(estimator.trainingInfo()).allSatisfy(i -> assertThat(i.evalLoss()).isEmpty());
    }

    @Test
    void randomForestRegressorPredictsPenguinBodyMass() {
        Penguins penguins = Penguins.bodyMass();
        Estimator estimator = train(TreeFamily.randomForestRegressor(), penguins.trainingSet(), Map.of());

        assertThat(TestData.rSquared(values(estimator.predict(penguins.testMatrix())), penguins.testLabels())).isGreaterThan(0.75);
        assertThat(estimator.trainingInfo()).singleElement().satisfies(i -> assertThat(i.learningRate()).isEqualTo(1.0));
    }

    @Test
    void regressionLossIsTheMeanSquaredErrorOfThePredictions() {
        Penguins penguins = Penguins.bodyMass();
        TrainingSet data = penguins.trainingSetWithEval();
        Estimator estimator = train(TreeFamily.boostedTreeRegressor(), data, Map.of("max_iterations", 5, "early_stop", false));

        TrainingIteration last = estimator.trainingInfo().getLast();
        assertThat(last.loss()).isCloseTo(mse(values(estimator.predict(data.train())), data.labels()), within(last.loss() * 1e-4));
        assertThat(last.evalLoss().orElseThrow()).isCloseTo(mse(values(estimator.predict(data.eval().orElseThrow())),
                data.evalLabels()), within(last.loss() * 1e-4));
    }

    private static double mse(double[] predicted, double[] actual) {
        return IntStream.range(0, actual.length).mapToDouble(i -> (predicted[i] - actual[i]) * (predicted[i] - actual[i])).average()
                .orElseThrow();
    }

    @Test
    void earlyStopEndsAfterFirstRoundBelowMinimumRelativeProgressOnEvalLoss() {
        Penguins penguins = Penguins.bodyMass();
        List<TrainingIteration> reported = new ArrayList<>();
        TreeFamily family = TreeFamily.boostedTreeRegressor();
        List<TrainingIteration> info = family.train(penguins.trainingSetWithEval(), TestData.options(family,
                Map.of("max_iterations", 100)), reported::add).estimator().trainingInfo();

        assertThat(info).hasSizeLessThan(100).hasSizeGreaterThan(1).isEqualTo(reported);
        assertThat(info).extracting(TrainingIteration::iteration).containsExactlyElementsOf(IntStream.range(0, info.size()).boxed().toList());
        assertThat(info).allSatisfy(i -> assertThat(i.learningRate()).isEqualTo(0.3));
        for (int i = 1; i < info.size() - 1; i++) {
            assertThat(EarlyStop.relativeImprovement(info.get(i - 1).evalLoss().orElseThrow(), info.get(i).evalLoss().orElseThrow()))
                    .isGreaterThanOrEqualTo(0.01);
        }
        assertThat(EarlyStop.relativeImprovement(info.get(info.size() - 2).evalLoss().orElseThrow(),
                info.getLast().evalLoss().orElseThrow())).isLessThan(0.01);
    }

    @Test
    void withoutEarlyStopTrainsMaxIterationsRounds() {
        Estimator estimator = train(TreeFamily.boostedTreeRegressor(), Penguins.bodyMass().trainingSetWithEval(),
                Map.of("max_iterations", 30, "early_stop", false));

        assertThat(estimator.trainingInfo()).hasSize(30);
    }

    @Test
    void multiclassProbabilitiesSumToOneAndClassifySpecies() {
        Penguins penguins = Penguins.species();
        Predictions.Probabilities probabilities = (Predictions.Probabilities) train(TreeFamily.boostedTreeClassifier(),
                penguins.trainingSet(), Map.of()).predict(penguins.testMatrix());

        assertThat(probabilities.classes()).isEqualTo(3);
        double[] labels = penguins.testLabels();
        int correct = 0;
        for (int row = 0; row < probabilities.rows(); row++) {
            double sum = 0;
            int best = 0;
            for (int c = 0; c < 3; c++) {
                sum += probabilities.get(row, c);
                best = probabilities.get(row, c) > probabilities.get(row, best) ? c : best;
            }
            assertThat(sum).isCloseTo(1.0, within(1e-5));
            correct += best == labels[row] ? 1 : 0;
        }
        // Species are almost separable by bill and flipper measures; linear models exceed 0.97 here.
        assertThat((double) correct / labels.length).isGreaterThan(0.95);
    }

    @Test
    void binaryProbabilitiesPutThePositiveClassAtIndexOne() {
        Penguins penguins = Penguins.sex();
        Predictions.Probabilities probabilities = (Predictions.Probabilities) train(TreeFamily.boostedTreeClassifier(),
                penguins.trainingSet(), Map.of()).predict(penguins.testMatrix());

        assertThat(probabilities.classes()).isEqualTo(2);
        assertThat(penguins.classLabels).containsExactly("female", "male");
        for (int row = 0; row < probabilities.rows(); row++) {
            assertThat(probabilities.get(row, 0) + probabilities.get(row, 1)).isCloseTo(1.0, within(1e-6));
        }
        assertThat(TestData.auc(TestData.positiveScores(probabilities), penguins.testLabels())).isGreaterThan(0.9);
    }

    @Test
    void trainingTwiceGivesIdenticalPredictions() {
        Penguins penguins = Penguins.species();
        Map<String, Object> sampled = Map.of("subsample", 0.7, "colsample_bynode", 0.6);
        for (TreeFamily family : List.of(TreeFamily.boostedTreeClassifier(), TreeFamily.randomForestClassifier())) {
            double[] first = values(train(family, penguins.trainingSet(), sampled).predict(penguins.testMatrix()));
            double[] second = values(train(family, penguins.trainingSet(), sampled).predict(penguins.testMatrix()));
            assertThat(second).as(family.modelType()).containsExactly(first);
        }
    }

    @Test
    void savedAndLoadedModelsPredictIdenticallyForEveryFamily() {
        Penguins regression = Penguins.bodyMass();
        Penguins binary = Penguins.sex();
        Penguins multiclass = Penguins.species();
        record Case(TreeFamily family, Penguins data, Map<String, Object> options) {}
        List<Case> cases = List.of(
                new Case(TreeFamily.boostedTreeRegressor(), regression, Map.of()),
                new Case(TreeFamily.boostedTreeClassifier(), binary, Map.of()),
                new Case(TreeFamily.boostedTreeClassifier(), multiclass, Map.of()),
                new Case(TreeFamily.boostedTreeClassifier(), binary, Map.of("booster_type", "DART", "dropout", 0.2,
                        "max_iterations", 8, "early_stop", false)),
                new Case(TreeFamily.randomForestRegressor(), regression, Map.of()),
                new Case(TreeFamily.randomForestClassifier(), multiclass, Map.of()));
        for (Case c : cases) {
            Estimator trained = train(c.family(), c.data().trainingSetWithEval(), c.options());
            Estimator loaded = c.family().load(trained.save());

            assertThat(values(loaded.predict(c.data().testMatrix()))).as(c.family() + " " + c.options())
                    .containsExactly(values(trained.predict(c.data().testMatrix())));
            assertThat(loaded.trainingInfo()).isEqualTo(trained.trainingInfo());
            assertThat(((Capabilities.HasFeatureImportance) loaded).featureImportance(c.data().features.layout()))
                    .isEqualTo(((Capabilities.HasFeatureImportance) trained).featureImportance(c.data().features.layout()));
        }
    }

    /** XGBoost computes the per-round loss itself; it must match what predict() gives, dropout or not. */
    @Test
    void dartPredictionsUseEveryTreeWithoutDropout() {
        Penguins penguins = Penguins.sex();
        TrainingSet data = penguins.trainingSet();
        Estimator estimator = train(TreeFamily.boostedTreeClassifier(), data, Map.of("booster_type", "DART", "dropout", 0.3,
                "dart_normalize_type", "FOREST", "max_iterations", 12, "early_stop", false));

        double reported = estimator.trainingInfo().getLast().loss();
        Predictions.Probabilities predicted = (Predictions.Probabilities) estimator.predict(data.train());
        assertThat(TestData.logLoss(predicted, data.labels())).isCloseTo(reported, within(1e-4));
        // Predicting the same rows twice must not resample dropped trees.
        assertThat(values(estimator.predict(data.train()))).containsExactly(predicted.probabilities());
    }

    @Test
    void loadRejectsUnknownFormatVersionNamingBothNumbers() {
        Penguins penguins = Penguins.bodyMass();
        TreeFamily family = TreeFamily.boostedTreeRegressor();
        byte[] payload = train(family, penguins.trainingSet(), Map.of("max_iterations", 2)).save();
        ByteBuffer.wrap(payload).putInt(4, 7);

        assertThatThrownBy(() -> family.load(payload)).isInstanceOfSatisfying(LatheException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT))
                .hasMessageContaining("version 7").hasMessageContaining("version " + ModelEnvelope.FORMAT_VERSION);
        assertThatThrownBy(() -> family.load(new byte[] {1, 2, 3})).isInstanceOfSatisfying(LatheException.class,
                e -> assertThat(e.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT));
    }

    @Test
    void readsTheGoldenVersionOneArtifact() throws Exception {
        byte[] golden;
        try (var in = TreeFamilyTest.class.getResourceAsStream("/boosted/boosted-tree-regressor-penguins-v1.bin")) {
            golden = in.readAllBytes();
        }
        Penguins penguins = Penguins.bodyMass();
        Estimator estimator = TreeFamily.boostedTreeRegressor().load(golden);

        assertThat(estimator.trainingInfo()).hasSize(10).allSatisfy(i -> assertThat(i.evalLoss()).isPresent());
        // Ten rounds at learn_rate 0.3 already explain most of the variance (linear models reach 0.86).
        assertThat(TestData.rSquared(values(estimator.predict(penguins.testMatrix())), penguins.testLabels())).isGreaterThan(0.7);
        assertThat(estimator.save()).isEqualTo(TreeFamily.boostedTreeRegressor().load(estimator.save()).save());
    }

    @Test
    void loadRejectsAModelOfAnotherTask() {
        byte[] regression = train(TreeFamily.boostedTreeRegressor(), Penguins.bodyMass().trainingSet(), Map.of("max_iterations", 2))
                .save();

        assertThatThrownBy(() -> TreeFamily.boostedTreeClassifier().load(regression)).isInstanceOf(LatheException.class)
                .hasMessageContaining("REGRESSION").hasMessageContaining("BOOSTED_TREE_CLASSIFIER");
    }

    @Test
    void featureImportanceCombinesOneHotColumnsPerInputFeature() {
        Penguins penguins = Penguins.bodyMassOneHot();
        // An extra constant feature: no tree can split on it.
        TrainingSet base = penguins.trainingSet();
        TrainingSet data = withConstantColumn(base);
        TreeEstimator estimator = (TreeEstimator) train(TreeFamily.boostedTreeRegressor(), data, Map.of());

        List<Capabilities.ImportanceRow> rows = estimator.featureImportance(data.layout());
        assertThat(rows).extracting(Capabilities.ImportanceRow::feature).containsExactly("bill_length_mm", "bill_depth_mm",
                "flipper_length_mm", "species", "island", "sex", "constant");
        assertThat(rows.getLast()).isEqualTo(new Capabilities.ImportanceRow("constant", 0, 0, 0));

        ColumnImportance columns = estimator.columnImportance();
        for (Capabilities.ImportanceRow row : rows) {
            int[] group = IntStream.range(0, data.layout().size())
                    .filter(c -> data.layout().column(c).feature().equals(row.feature())).toArray();
            double splits = Arrays.stream(group).mapToDouble(c -> columns.weight()[c]).sum();
            assertThat(row.importanceWeight()).as(row.feature()).isEqualTo(splits);
            if (splits > 0) {
                double[] gains = Arrays.stream(group).filter(c -> columns.weight()[c] > 0).mapToDouble(c -> columns.gain()[c]).toArray();
                assertThat(row.importanceGain()).isBetween(Arrays.stream(gains).min().orElseThrow() * (1 - 1e-12),
                        Arrays.stream(gains).max().orElseThrow() * (1 + 1e-12));
            }
        }
        assertThat(rows).filteredOn(r -> r.feature().equals("flipper_length_mm")).singleElement()
                .satisfies(r -> assertThat(r.importanceWeight()).isPositive());
        assertThat(rows.stream().filter(r -> r.feature().equals("species")).findFirst().orElseThrow().importanceWeight())
                .isGreaterThanOrEqualTo(1);
    }

    private static TrainingSet withConstantColumn(TrainingSet base) {
        DenseMatrix train = base.train();
        int cols = train.cols() + 1;
        double[] data = new double[train.rows() * cols];
        for (int row = 0; row < train.rows(); row++) {
            System.arraycopy(train.data(), row * train.cols(), data, row * cols, train.cols());
            data[row * cols + cols - 1] = 1.0;
        }
        List<String> names = new ArrayList<>(train.columnNames());
        names.add("constant");
        List<dev.lathe.core.model.EncodedColumn> layout = new ArrayList<>(base.layout().columns());
        layout.add(new dev.lathe.core.model.EncodedColumn("constant", "constant", dev.lathe.core.model.EncodedColumn.Kind.NUMERIC,
                java.util.Optional.empty(), 0, 1));
        return new TrainingSet(new DenseMatrix(train.rows(), cols, data, names), base.labels(), base.weights(), base.eval(),
                base.evalLabels(), base.evalWeights(), base.classLabels(), new FeatureLayout(layout), base.initialCentroids());
    }

    @Test
    void classWeightsInTrainingWeightsShiftProbabilitiesTowardTheHeavierClass() {
        Penguins penguins = Penguins.sex();
        TrainingSet plain = penguins.trainingSet();
        double[] maleHeavy = Arrays.stream(plain.labels()).map(label -> label == 1 ? 5.0 : 1.0).toArray();
        TreeFamily family = TreeFamily.boostedTreeClassifier();

        double plainMean = Arrays.stream(TestData.positiveScores(train(family, plain, Map.of()).predict(penguins.testMatrix())))
                .average().orElseThrow();
        double weightedMean = Arrays.stream(TestData.positiveScores(train(family, TestData.withWeights(plain, maleHeavy), Map.of())
                .predict(penguins.testMatrix()))).average().orElseThrow();

        assertThat(weightedMean).isGreaterThan(plainMean + 0.02);
    }

    @Test
    void predictRejectsAMatrixOfTheWrongWidth() {
        Estimator estimator = train(TreeFamily.boostedTreeRegressor(), Penguins.bodyMass().trainingSet(), Map.of("max_iterations", 2));

        assertThatThrownBy(() -> estimator.predict(new DenseMatrix(1, 2, new double[2], List.of("a", "b"))))
                .isInstanceOf(LatheException.class).hasMessageContaining("expects 6").hasMessageContaining("got 2");
    }

    @Test
    void predictsZeroRowsAndMissingValues() {
        Penguins penguins = Penguins.bodyMass();
        Estimator estimator = train(TreeFamily.boostedTreeRegressor(), penguins.trainingSet(), Map.of("max_iterations", 3));
        List<String> names = penguins.features.layout().names();

        assertThat(estimator.predict(new DenseMatrix(0, 6, new double[0], names)).rows()).isZero();
        double[] missing = new double[6];
        Arrays.fill(missing, Double.NaN);
        assertThat(values(estimator.predict(new DenseMatrix(1, 6, missing, names)))[0]).isFinite();
    }

    @Test
    void predictsLargeMatricesInChunksWithTheSameResultsPerRow() {
        Penguins penguins = Penguins.species();
        Estimator estimator = train(TreeFamily.boostedTreeClassifier(), penguins.trainingSet(), Map.of("max_iterations", 5));
        DenseMatrix small = penguins.testMatrix();
        int rows = TreeEstimator.CHUNK_ROWS + small.rows() * 3 + 1;
        double[] data = new double[rows * small.cols()];
        for (int row = 0; row < rows; row++) {
            System.arraycopy(small.data(), (row % small.rows()) * small.cols(), data, row * small.cols(), small.cols());
        }
        Predictions.Probabilities smallPredictions = (Predictions.Probabilities) estimator.predict(small);
        Predictions.Probabilities large = (Predictions.Probabilities) estimator.predict(new DenseMatrix(rows, small.cols(), data,
                small.columnNames()));

        assertThat(large.rows()).isEqualTo(rows);
        for (int row : new int[] {0, TreeEstimator.CHUNK_ROWS - 1, TreeEstimator.CHUNK_ROWS, rows - 1}) {
            for (int c = 0; c < 3; c++) {
                assertThat(large.get(row, c)).isEqualTo(smallPredictions.get(row % small.rows(), c));
            }
        }
    }

    @Test
    void concurrentPredictionsEqualSequentialOnes() throws Exception {
        Penguins penguins = Penguins.bodyMass();
        Estimator estimator = train(TreeFamily.randomForestRegressor(), penguins.trainingSet(), Map.of());
        double[] expected = values(estimator.predict(penguins.testMatrix()));

        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(4)) {
            List<java.util.concurrent.Future<double[]>> futures = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                futures.add(executor.submit(() -> values(estimator.predict(penguins.testMatrix()))));
            }
            for (var future : futures) {
                assertThat(future.get()).containsExactly(expected);
            }
        }
    }

    @Test
    void familiesReportTheirModelTypeAndTask() {
        List<ModelFamily> families = List.of(TreeFamily.boostedTreeClassifier(), TreeFamily.boostedTreeRegressor(),
                TreeFamily.randomForestClassifier(), TreeFamily.randomForestRegressor());
        assertThat(families).extracting(ModelFamily::modelType).containsExactly("BOOSTED_TREE_CLASSIFIER", "BOOSTED_TREE_REGRESSOR",
                "RANDOM_FOREST_CLASSIFIER", "RANDOM_FOREST_REGRESSOR");
        ModelOptions effective = TreeFamily.randomForestClassifier().train(Penguins.species().trainingSet(),
                TestData.options(TreeFamily.randomForestClassifier(), Map.of("num_parallel_tree", 10)), TrainingListener.NONE)
                .effectiveOptions();
        assertThat(effective.getLong("num_parallel_tree")).isEqualTo(10L);
    }
}
