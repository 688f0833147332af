package dev.lathe.explain;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Attributions per input feature for a batch of rows.
 *
 * @param features the input features, in layout order
 * @param attributions row-major, {@code features.size()} per row
 * @param baselines the model output at the baseline, per row
 * @param predictions the model output explained, per row (same space as the baseline)
 * @param approximationErrors per row: for exact methods {@code |sum - (prediction - baseline)|}
 *     (rounding only); for Sampled Shapley the standard error of the attribution vector over paths
 */
public record Explanation(List<String> features, double[] attributions, double[] baselines, double[] predictions,
        double[] approximationErrors) {
    public Explanation {
        features = List.copyOf(features);
        requireNonNull(attributions, "attributions is null");
        requireNonNull(baselines, "baselines is null");
        requireNonNull(predictions, "predictions is null");
        requireNonNull(approximationErrors, "approximationErrors is null");
        int rows = predictions.length;
        if (baselines.length != rows || approximationErrors.length != rows || attributions.length != (long) rows * features.size()) {
            throw new IllegalArgumentException("an explanation of " + rows + " rows over " + features.size()
                    + " features needs one baseline and error per row and rows x features attributions; got " + baselines.length
                    + ", " + approximationErrors.length + " and " + attributions.length);
        }
    }

    public int rows() {
        return predictions.length;
    }

    public double attribution(int row, int feature) {
        return attributions[row * features.size() + feature];
    }

    /** The indices of the {@code k} features of {@code row} with the largest |attribution|, largest first. */
    public int[] top(int row, int k) {
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < features.size(); f++) {
            order.add(f);
        }
        // Ties keep layout order, so the output is deterministic.
        order.sort(Comparator.comparingDouble((Integer f) -> -Math.abs(attribution(row, f))));
        int n = Math.min(k, order.size());
        int[] top = new int[n];
        for (int i = 0; i < n; i++) {
            top[i] = order.get(i);
        }
        return top;
    }
}
