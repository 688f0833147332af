package dev.lathe.train.linear;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.Batch;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.features.FeaturePipeline;
import dev.lathe.testing.BatchBuilder;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Batch gradient descent on a high-cardinality categorical beside a standardized number, the shape AUTO_STRATEGY sends to
 * it past 10,000 encoded columns: with one global step the categories' weights barely moved and EARLY_STOP ended training
 * after 2 iterations near the constant model (R² 0.009 where the normal equation's fit has 0.98, probe ud F1).
 */
class GradientDescentTest {
    private static final int ROWS = 10_000;
    private static final int CATEGORIES = 2_000;

    @Test
    void fitsAHighCardinalityCategoryBesideANumberWithTheDefaults() {
        TrainingSet data = trainingSet(new Random(11));
        LinearRegressionFamily family = new LinearRegressionFamily();
        GlmEstimator exact = train(family, data, Map.of("optimize_strategy", "NORMAL_EQUATION"));
        GlmEstimator descent = train(family, data, Map.of("optimize_strategy", "BATCH_GRADIENT_DESCENT"));

        double best = last(exact).loss();
        List<TrainingIteration> iterations = descent.trainingInfo();
        assertThat(best).isLessThan(0.1); // the label's variance is about 4
        assertThat(last(descent).loss()).isLessThan(best * 1.02);
        assertThat(iterations.size()).isLessThanOrEqualTo(10);
    }

    /**
     * With L1_REG the result meets the lasso's optimality conditions in the original coordinates, which it does only when
     * the soft threshold is scaled per coordinate as the gradient step is: each weight at 0 has a gradient no larger than
     * the penalty, each other weight's gradient balances it.
     */
    @Test
    void lassoMeetsItsOptimalityConditionsUnderTheScaling() {
        TrainingSet data = trainingSet(new Random(12));
        double l1 = 20;
        GlmEstimator model = train(new LinearRegressionFamily(), data, Map.of("optimize_strategy", "BATCH_GRADIENT_DESCENT",
                "l1_reg", l1, "early_stop", false, "max_iterations", 200));
        double[] theta = model.parameters();
        double[] gradient = new double[theta.length];
        new GlmObjective(Link.IDENTITY, data.train(), data.labels(), TrainingSet.UNWEIGHTED, 1).lossAndGradient(theta, gradient);
        double penalty = l1 / ROWS;
        int zeros = 0;
        assertThat(Math.abs(gradient[0])).as("the intercept's gradient").isLessThan(penalty * 0.01);
        for (int i = 1; i < theta.length; i++) {
            if (theta[i] == 0) {
                zeros++;
                assertThat(Math.abs(gradient[i])).as("weight %d at 0", i).isLessThanOrEqualTo(penalty * 1.001);
            } else {
                assertThat(Math.abs(gradient[i] + penalty * Math.signum(theta[i]))).as("weight %d", i).isLessThan(penalty * 0.01);
            }
        }
        assertThat(zeros).isGreaterThan(0).isLessThan(theta.length - 1);
    }

    private static GlmEstimator train(LinearRegressionFamily family, TrainingSet data, Map<String, Object> options) {
        return (GlmEstimator) family.train(data, PenguinsFixture.options(family, options), TrainingListener.NONE).estimator();
    }

    private static TrainingIteration last(GlmEstimator model) {
        return model.trainingInfo().getLast();
    }

    /** Category c's label is c % 7 plus noise; x, a number unrelated to it, is standardized by the pipeline. */
    private static TrainingSet trainingSet(Random random) {
        String[] category = new String[ROWS];
        Double[] x = new Double[ROWS];
        double[] labels = new double[ROWS];
        for (int i = 0; i < ROWS; i++) {
            int c = random.nextInt(CATEGORIES);
            category[i] = "cat_" + c;
            x[i] = random.nextGaussian() * 30 + 5;
            labels[i] = c % 7 + random.nextDouble();
        }
        Batch batch = BatchBuilder.create().strings("c", category).numbers("x", x).build();
        FeaturePipeline pipeline = FeaturePipeline.fit(batch, EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING), Optional.empty());
        return new TrainingSet(pipeline.transformOneHot(batch), labels, TrainingSet.UNWEIGHTED, Optional.empty(), new double[0],
                TrainingSet.UNWEIGHTED, List.of(), pipeline.layout(), Optional.empty());
    }
}
