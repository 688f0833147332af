package dev.lathe.engine;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.Predictions;
import dev.lathe.explain.Explainer;
import dev.lathe.explain.Explanation;
import dev.lathe.features.FeaturePipeline;
import dev.lathe.registry.ModelManifest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * ML.GLOBAL_EXPLAIN's numbers, computed once at training (ENABLE_GLOBAL_EXPLAIN): the mean absolute
 * attribution of each input feature over the evaluation rows (the training rows without a split), for
 * the predicted class (model level) and for every class (class level), largest first.
 */
final class GlobalExplanations {
    private GlobalExplanations() {}

    static List<ModelManifest.GlobalAttribution> compute(Estimator estimator, FeaturePipeline pipeline, DenseMatrix rows,
            Predictions predictions, List<String> classLabels) {
        Explainer explainer = new Explainer(estimator, pipeline.layout(), Explanations.baseline(pipeline), Explainer.DEFAULT_PATH_COUNT);
        List<ModelManifest.GlobalAttribution> result = new ArrayList<>(
                meanAbsolute(explainer.explain(rows, Explanations.explainedOutputs(predictions, 0.5)), null));
        if (predictions instanceof Predictions.Probabilities) {
            for (int c = 0; c < classLabels.size(); c++) {
                int[] outputs = new int[rows.rows()];
                java.util.Arrays.fill(outputs, c);
                result.addAll(meanAbsolute(explainer.explain(rows, outputs), classLabels.get(c)));
            }
        }
        return result;
    }

    private static List<ModelManifest.GlobalAttribution> meanAbsolute(Explanation explanation, String classLabel) {
        List<ModelManifest.GlobalAttribution> rows = new ArrayList<>();
        for (int f = 0; f < explanation.features().size(); f++) {
            double sum = 0;
            for (int r = 0; r < explanation.rows(); r++) {
                sum += Math.abs(explanation.attribution(r, f));
            }
            rows.add(new ModelManifest.GlobalAttribution(explanation.features().get(f),
                    explanation.rows() == 0 ? 0 : sum / explanation.rows(), classLabel));
        }
        rows.sort(Comparator.comparingDouble((ModelManifest.GlobalAttribution a) -> -a.attribution()));
        return rows;
    }
}
