package dev.lathe.explain;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.Capabilities;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.FeatureLayout;
import java.util.List;

/**
 * Explains an estimator's predictions per input feature: through the estimator's own exact
 * attributions when it has them ({@link Capabilities.HasAttributions}), else by Sampled Shapley
 * against {@code baseline}.
 *
 * @param baseline the encoded row Sampled Shapley starts from (training means; see docs/explanations.md)
 * @param pathCount Sampled Shapley's number of feature orders, [1, 50] as in Vertex AI
 */
public record Explainer(Estimator estimator, FeatureLayout layout, double[] baseline, int pathCount) {
    public static final int DEFAULT_PATH_COUNT = 10;
    private static final long SEED = 42;

    public Explainer {
        requireNonNull(estimator, "estimator is null");
        requireNonNull(layout, "layout is null");
        requireNonNull(baseline, "baseline is null");
        if (baseline.length != layout.size()) {
            throw new IllegalArgumentException("baseline has " + baseline.length + " values but the layout " + layout.size() + " columns");
        }
        if (pathCount < 1 || pathCount > 50) {
            throw new IllegalArgumentException("path_count is " + pathCount + " but must be in [1, 50]");
        }
    }

    /** Whether the attributions are exact (linear, TreeSHAP) rather than sampled. */
    public boolean exact() {
        return estimator instanceof Capabilities.HasAttributions;
    }

    /** Attributions of output {@code outputs[row]} (class index, 0 for regression) of every row of {@code x}. */
    public Explanation explain(DenseMatrix x, int[] outputs) {
        List<String> features = layout.features();
        int[] featureOf = new int[layout.size()];
        for (int j = 0; j < layout.size(); j++) {
            featureOf[j] = features.indexOf(layout.column(j).feature());
        }
        if (!(estimator instanceof Capabilities.HasAttributions exact)) {
            int[][] groups = new int[features.size()][];
            for (int f = 0; f < features.size(); f++) {
                final int feature = f;
                groups[f] = java.util.stream.IntStream.range(0, layout.size()).filter(j -> featureOf[j] == feature).toArray();
            }
            return SampledShapley.explain(estimator, features, groups, x, outputs, baseline, pathCount, SEED);
        }
        if (exact.additive()) { // error 0 by construction: the estimator may sum per feature as it reads the rows
            Capabilities.Attributions summed = exact.featureAttributions(x, outputs, featureOf, features.size());
            return new Explanation(features, summed.values(), summed.baselines(), summed.predictions(), new double[summed.rows()]);
        }
        Capabilities.Attributions encoded = exact.attributions(x, outputs);
        Capabilities.Attributions summed = encoded.byFeature(featureOf, features.size());
        double[] errors = new double[encoded.rows()];
        for (int r = 0; r < errors.length; r++) {
            errors[r] = Math.abs(encoded.sum(r) - (encoded.predictions()[r] - encoded.baselines()[r]));
        }
        return new Explanation(features, summed.values(), summed.baselines(), summed.predictions(), errors);
    }
}
