package dev.lathe.train.linear;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.Batch;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.explain.Explainer;
import dev.lathe.explain.Explanation;
import dev.lathe.features.FeaturePipeline;
import dev.lathe.testing.BatchBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Linear models trained on one-hot rows ({@link dev.lathe.core.OneHotRows}, what CREATE MODEL gives them) and on the
 * same matrix held dense: the same parameters, losses and predictions to the last bit, for every link and both of
 * LINEAR_REG's strategies, with weights, NULLs and categories the evaluation rows never saw in training.
 */
class OneHotRowsTrainingTest {
    private static final int ROWS = 3_000;

    @Test
    void binaryLogisticRegressionIsBitIdentical() {
        assertIdentical(new LogisticRegressionFamily(), Map.of(), i -> i % 3 == 0 ? 1.0 : 0.0, List.of("0", "1"));
    }

    @Test
    void multiclassLogisticRegressionIsBitIdentical() {
        assertIdentical(new LogisticRegressionFamily(), Map.of("l2_reg", 0.5), i -> (double) (i % 4), List.of("a", "b", "c", "d"));
    }

    @Test
    void linearRegressionIsBitIdenticalWithEitherStrategy() {
        for (String strategy : List.of("NORMAL_EQUATION", "BATCH_GRADIENT_DESCENT")) {
            assertIdentical(new LinearRegressionFamily(), Map.of("optimize_strategy", strategy), i -> (i % 7) * 1.5 - 2, List.of());
        }
    }

    /**
     * A split without weights ({@link TrainingSet#UNWEIGHTED}, what CREATE MODEL passes without class or instance weights)
     * trains what an array of ones trains, to the bit, for every link and both of LINEAR_REG's strategies.
     */
    @Test
    void noWeightsTrainWhatWeightsOfOneTrain() {
        Random random = new Random(5);
        Batch train = batch(random, ROWS, List.of("red", "green", "blue"));
        Batch eval = batch(random, ROWS / 4, List.of("red", "violet"));
        FeaturePipeline pipeline = FeaturePipeline.fit(train, EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING), Optional.empty());
        record Case(ModelFamily family, Map<String, Object> options, int classes) {}
        for (Case c : List.of(new Case(new LogisticRegressionFamily(), Map.of(), 2), new Case(new LogisticRegressionFamily(), Map.of(), 3),
                new Case(new LinearRegressionFamily(), Map.of("optimize_strategy", "NORMAL_EQUATION"), 0),
                new Case(new LinearRegressionFamily(), Map.of("optimize_strategy", "BATCH_GRADIENT_DESCENT"), 0))) {
            double[] labels = new double[ROWS];
            double[] evalLabels = new double[ROWS / 4];
            for (int i = 0; i < ROWS; i++) {
                labels[i] = c.classes() > 0 ? random.nextInt(c.classes()) : random.nextGaussian() * 3 + i % 5;
            }
            for (int i = 0; i < evalLabels.length; i++) {
                evalLabels[i] = c.classes() > 0 ? random.nextInt(c.classes()) : random.nextGaussian();
            }
            List<String> classes = c.classes() == 3 ? List.of("a", "b", "c") : c.classes() == 2 ? List.of("0", "1") : List.of();
            double[] ones = new double[ROWS];
            Arrays.fill(ones, 1.0);
            double[] evalOnes = new double[ROWS / 4];
            Arrays.fill(evalOnes, 1.0);
            DenseMatrix x = pipeline.transformOneHot(train);
            Optional<DenseMatrix> e = Optional.of(pipeline.transformOneHot(eval));
            TrainingSet withOnes = new TrainingSet(x, labels, ones, e, evalLabels, evalOnes, classes, pipeline.layout(), Optional.empty());
            TrainingSet without = new TrainingSet(x, labels, TrainingSet.UNWEIGHTED, e, evalLabels, TrainingSet.UNWEIGHTED, classes,
                    pipeline.layout(), Optional.empty());
            GlmEstimator a = (GlmEstimator) c.family().train(withOnes, PenguinsFixture.options(c.family(), c.options()), TrainingListener.NONE)
                    .estimator();
            GlmEstimator b = (GlmEstimator) c.family().train(without, PenguinsFixture.options(c.family(), c.options()), TrainingListener.NONE)
                    .estimator();
            assertThat(b.parameters()).as("%s %s", c.family().modelType(), c.options()).isEqualTo(a.parameters());
            assertThat(losses(b.trainingInfo())).isEqualTo(losses(a.trainingInfo()));
        }
    }

    private static void assertIdentical(ModelFamily family, Map<String, Object> options, Function<Integer, Double> labelOf,
            List<String> classes) {
        Random random = new Random(42);
        Batch train = batch(random, ROWS, List.of("red", "green", "blue", "teal"));
        Batch eval = batch(random, ROWS / 4, List.of("red", "green", "violet")); // violet: unseen in training
        double[] labels = new double[ROWS];
        double[] weights = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            labels[i] = labelOf.apply(i + random.nextInt(2));
            weights[i] = i % 11 == 0 ? 0 : 1 + (i % 3);
        }
        double[] evalLabels = Arrays.copyOf(labels, ROWS / 4);
        double[] evalWeights = new double[ROWS / 4];
        Arrays.fill(evalWeights, 1.0);
        FeaturePipeline pipeline = FeaturePipeline.fit(train, EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING), Optional.empty());

        DenseMatrix oneHotTrain = pipeline.transformOneHot(train);
        assertThat(oneHotTrain.oneHotRows()).isPresent();
        TrainingSet dense = new TrainingSet(pipeline.transform(train), labels, weights, Optional.of(pipeline.transform(eval)), evalLabels,
                evalWeights, classes, pipeline.layout(), Optional.empty());
        TrainingSet oneHot = new TrainingSet(oneHotTrain, labels, weights, Optional.of(pipeline.transformOneHot(eval)), evalLabels,
                evalWeights, classes, pipeline.layout(), Optional.empty());

        GlmEstimator fromDense = (GlmEstimator) family.train(dense, PenguinsFixture.options(family, options), TrainingListener.NONE).estimator();
        GlmEstimator fromOneHot = (GlmEstimator) family.train(oneHot, PenguinsFixture.options(family, options), TrainingListener.NONE).estimator();

        assertThat(fromOneHot.parameters()).as("%s %s", family.modelType(), options).isEqualTo(fromDense.parameters());
        assertThat(losses(fromOneHot.trainingInfo())).isEqualTo(losses(fromDense.trainingInfo()));
        assertThat(fromDense.trainingInfo().size()).isGreaterThan(0);
        assertThat(values(fromOneHot.predict(oneHot.eval().orElseThrow()))).isEqualTo(values(fromDense.predict(dense.eval().orElseThrow())));
        assertThat(values(fromOneHot.predict(oneHot.train()))).isEqualTo(values(fromDense.predict(dense.train())));
    }

    /**
     * ML.EXPLAIN_PREDICT's attributions of a linear model read from one-hot rows, each row's set columns only, equal those
     * of the same rows held dense, to the bit, for every link and for each explained class: it widened every row to all
     * the encoded columns, 10.5 GB a batch for a 20,000-category feature (probe ta F1).
     */
    @Test
    void attributionsFromOneHotRowsAreBitIdentical() {
        Random random = new Random(7);
        Batch train = batch(random, ROWS, List.of("red", "green", "blue"));
        Batch eval = batch(random, ROWS / 4, List.of("red", "violet"));
        FeaturePipeline pipeline = FeaturePipeline.fit(train, EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING), Optional.empty());
        DenseMatrix oneHot = pipeline.transformOneHot(eval);
        DenseMatrix dense = pipeline.transform(eval);
        record Case(ModelFamily family, int classes) {}
        for (Case c : List.of(new Case(new LogisticRegressionFamily(), 2), new Case(new LogisticRegressionFamily(), 3),
                new Case(new LinearRegressionFamily(), 0))) {
            double[] labels = new double[ROWS];
            for (int i = 0; i < ROWS; i++) {
                labels[i] = c.classes() > 0 ? random.nextInt(c.classes()) : random.nextGaussian() * 3 + i % 5;
            }
            List<String> classes = c.classes() == 3 ? List.of("a", "b", "c") : c.classes() == 2 ? List.of("0", "1") : List.of();
            TrainingSet set = new TrainingSet(pipeline.transformOneHot(train), labels, TrainingSet.UNWEIGHTED, Optional.empty(), new double[0],
                    TrainingSet.UNWEIGHTED, classes, pipeline.layout(), Optional.empty());
            GlmEstimator model = (GlmEstimator) c.family().train(set, PenguinsFixture.options(c.family(), Map.of()), TrainingListener.NONE)
                    .estimator();
            Explainer explainer = new Explainer(model, pipeline.layout(), new double[pipeline.layout().size()], Explainer.DEFAULT_PATH_COUNT);
            for (int explained = 0; explained < Math.max(1, c.classes()); explained++) {
                int[] outputs = new int[eval.rowCount()];
                Arrays.fill(outputs, explained);
                Explanation fromDense = explainer.explain(dense, outputs);
                Explanation fromOneHot = explainer.explain(oneHot, outputs);
                assertThat(oneHot.oneHotRows()).isPresent();
                assertThat(fromOneHot.attributions()).as("%s, class %d", c, explained).isEqualTo(fromDense.attributions());
                assertThat(fromOneHot.baselines()).isEqualTo(fromDense.baselines());
                assertThat(fromOneHot.predictions()).isEqualTo(fromDense.predictions());
                assertThat(fromOneHot.approximationErrors()).containsOnly(0.0);
            }
        }
    }

    /**
     * Two numbers (one with NULLs), two categories (one with NULLs), a boolean, a timestamp (with NULLs; its parts are
     * one-hot groups, some of the evaluation rows' values unseen in training), a multi-hot array (NULL arrays, repeated
     * and unseen elements) and a sparse vector (NULLs, repeated indices), drawn from {@code random}.
     */
    private static Batch batch(Random random, int rows, List<String> colours) {
        Double[] x = new Double[rows];
        Double[] y = new Double[rows];
        String[] colour = new String[rows];
        String[] size = new String[rows];
        Boolean[] flag = new Boolean[rows];
        String[] time = new String[rows];
        String[][] tags = new String[rows][];
        double[][] vector = new double[rows][];
        List<String> words = colours.contains("violet") ? List.of("a", "b", "z") : List.of("a", "b", "c", "d");
        for (int i = 0; i < rows; i++) {
            tags[i] = i % 23 == 0 ? null : random.ints(random.nextInt(4), 0, words.size()).mapToObj(words::get).toArray(String[]::new);
            vector[i] = i % 29 == 0 ? null : new double[] {random.nextInt(6), random.nextGaussian(), random.nextInt(6), random.nextGaussian()};
            time[i] = i % 19 == 0 ? null : String.format(java.util.Locale.ROOT, "%d-%02d-%02dT%02d:%02d:00Z",
                    colours.contains("violet") ? 2003 : 2001 + random.nextInt(2), 1 + random.nextInt(12), 1 + random.nextInt(28),
                    random.nextInt(24), random.nextInt(60));
            x[i] = random.nextGaussian() * 3 + 1;
            y[i] = i % 13 == 0 ? null : random.nextDouble() * 100;
            colour[i] = colours.get(random.nextInt(colours.size()));
            size[i] = i % 17 == 0 ? null : List.of("S", "M", "L").get(random.nextInt(3));
            flag[i] = random.nextBoolean();
        }
        return BatchBuilder.create().numbers("x", x).strings("colour", colour).numbers("y", y).strings("size", size)
                .bools("flag", flag).timestamps("t", time).stringArrays("tags", tags).sparseVectors("v", vector).build();
    }

    private static double[] losses(List<TrainingIteration> iterations) {
        return iterations.stream().flatMapToDouble(i -> java.util.stream.DoubleStream.of(i.loss(), i.evalLoss().orElse(Double.NaN)))
                .toArray();
    }

    private static double[] values(Predictions predictions) {
        return switch (predictions) {
            case Predictions.Values v -> v.values();
            case Predictions.Probabilities p -> p.probabilities();
            case Predictions.Distances d -> d.distances();
        };
    }
}
