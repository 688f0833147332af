package dev.lathe.train.linear;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LinearScoresTest {
    /** The logistic loss's two functions from one exp equal their textbook forms, each with its own exp, bit for bit. */
    @Test
    void sigmoidAndSoftplusFromOneExpEqualTheirOwnForms() {
        double[] scores = new double[1_000 + 12];
        double[] edges = {0.0, -0.0, 1e-300, -1e-300, 745.2, -745.2, 800, -800, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, Double.MIN_VALUE};
        System.arraycopy(edges, 0, scores, 0, edges.length);
        Random random = new Random(3);
        for (int i = edges.length; i < scores.length; i++) {
            scores[i] = random.nextGaussian() * (i % 2 == 0 ? 3 : 40);
        }
        for (double score : scores) {
            double e = Math.exp(-Math.abs(score));
            assertThat(bits(LinearScores.sigmoid(score, e))).as("sigmoid(%s)", score).isEqualTo(bits(LinearScores.sigmoid(score)));
            double softplus = score > 0 ? score + Math.log1p(Math.exp(-score)) : Math.log1p(Math.exp(score));
            assertThat(bits(LinearScores.softplus(score, e))).as("softplus(%s)", score).isEqualTo(bits(softplus));
        }
    }

    /** Equal bits: -0.0 is not 0.0, NaN is NaN. */
    private static long bits(double value) {
        return Double.doubleToLongBits(value);
    }
}
