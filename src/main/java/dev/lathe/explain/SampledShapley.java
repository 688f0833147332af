package dev.lathe.explain;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.Predictions;
import java.util.SplittableRandom;

/**
 * Sampled Shapley (Castro et al., arXiv 1306.4265; Vertex AI's {@code sampledShapleyAttribution}): for
 * each of {@code pathCount} random orders of the features, switch them one by one from the baseline
 * to the row's values and credit each with the change of the output. Every path's credits add up to
 * {@code f(x) - f(baseline)} exactly; the estimate's uncertainty is the standard error over paths.
 * Features are groups of encoded columns, so a one-hot group switches as one.
 */
final class SampledShapley {
    private SampledShapley() {}

    /**
     * @param groups per input feature, its encoded columns
     * @param baseline the encoded baseline row
     * @param seed fixes the paths, so the same call gives the same attributions
     */
    static Explanation explain(Estimator estimator, java.util.List<String> features, int[][] groups, DenseMatrix x, int[] outputs,
            double[] baseline, int pathCount, long seed) {
        int g = groups.length;
        int cols = x.cols();
        int rows = x.rows();
        double[] attributions = new double[rows * g];
        double[] baselines = new double[rows];
        double[] predictions = new double[rows];
        double[] errors = new double[rows];
        int steps = g + 1;
        for (int r = 0; r < rows; r++) {
            SplittableRandom random = new SplittableRandom(seed + r);
            int[][] orders = new int[pathCount][];
            double[] points = new double[pathCount * steps * cols];
            for (int p = 0; p < pathCount; p++) {
                orders[p] = permutation(g, random);
                double[] z = baseline.clone();
                int base = p * steps * cols;
                System.arraycopy(z, 0, points, base, cols);
                for (int s = 0; s < g; s++) {
                    for (int c : groups[orders[p][s]]) {
                        z[c] = x.data()[r * cols + c];
                    }
                    System.arraycopy(z, 0, points, base + (s + 1) * cols, cols);
                }
            }
            double[] out = output(estimator.predict(new DenseMatrix(pathCount * steps, cols, points, x.columnNames())), outputs[r]);
            double[] sum = new double[g];
            double[] sumSquares = new double[g];
            for (int p = 0; p < pathCount; p++) {
                for (int s = 0; s < g; s++) {
                    double delta = out[p * steps + s + 1] - out[p * steps + s];
                    sum[orders[p][s]] += delta;
                    sumSquares[orders[p][s]] += delta * delta;
                }
            }
            double variance = 0;
            for (int f = 0; f < g; f++) {
                double mean = sum[f] / pathCount;
                attributions[r * g + f] = mean;
                if (pathCount > 1) {
                    variance += Math.max(0, (sumSquares[f] - pathCount * mean * mean) / (pathCount - 1)) / pathCount;
                }
            }
            baselines[r] = out[0];
            predictions[r] = out[steps - 1];
            errors[r] = Math.sqrt(variance);
        }
        return new Explanation(features, attributions, baselines, predictions, errors);
    }

    /** The explained output of each predicted row: the value, or the probability of class {@code output}. */
    static double[] output(Predictions predictions, int output) {
        return switch (predictions) {
            case Predictions.Values values -> values.values();
            case Predictions.Probabilities probabilities -> {
                double[] out = new double[probabilities.rows()];
                for (int i = 0; i < out.length; i++) {
                    out[i] = probabilities.get(i, output);
                }
                yield out;
            }
            case Predictions.Distances distances -> throw new IllegalArgumentException(
                    "clustering models have no supervised output to explain");
        };
    }

    private static int[] permutation(int n, SplittableRandom random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
