package dev.lathe.train.linear;

import dev.lathe.core.model.Capabilities.CategoryWeight;
import dev.lathe.core.model.Capabilities.WeightRow;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.FeatureLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * ML.WEIGHTS rows. With {@code standardize = false} (BigQuery ML's default) weights are brought back
 * to the raw input scale: a model {@code b + sum w (x - mean) / scale} equals
 * {@code (b - sum w mean / scale) + sum (w / scale) x}, so predictions computed by hand from the
 * reported weights on raw inputs match ML.PREDICT.
 */
final class GlmWeightsReport {
    static final String INTERCEPT = "__INTERCEPT__";

    private GlmWeightsReport() {}

    static List<WeightRow> rows(GlmEstimator model, FeatureLayout layout, boolean standardize) {
        if (layout.size() != model.features()) {
            throw new IllegalArgumentException("layout has " + layout.size() + " columns but the model " + model.features());
        }
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int j = 0; j < layout.size(); j++) {
            groups.computeIfAbsent(layout.column(j).processedInput(), k -> new ArrayList<>()).add(j);
        }
        boolean multiclass = model.link() == Link.SOFTMAX;
        List<WeightRow> rows = new ArrayList<>();
        for (int k = 0; k < model.outputs(); k++) {
            Optional<String> classLabel = multiclass ? Optional.of(model.classLabels().get(k)) : Optional.empty();
            double intercept = model.intercept(k);
            for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
                List<Integer> indexes = group.getValue();
                boolean categorical = indexes.size() > 1 || layout.column(indexes.get(0)).kind() == EncodedColumn.Kind.ONE_HOT;
                List<CategoryWeight> categoryWeights = new ArrayList<>();
                double numericWeight = 0;
                for (int j : indexes) {
                    EncodedColumn column = layout.column(j);
                    double weight = model.weight(k, j);
                    if (!standardize) {
                        double scale = column.scale() == 0 ? 1 : column.scale();
                        weight /= scale;
                        intercept -= weight * column.mean();
                    }
                    if (categorical) {
                        categoryWeights.add(new CategoryWeight(column.category(), weight));
                    } else {
                        numericWeight = weight;
                    }
                }
                if (categorical) {
                    if (layout.droppedCategories().containsKey(group.getKey())) {
                        categoryWeights.add(new CategoryWeight(layout.droppedCategories().get(group.getKey()), 0.0));
                    }
                    rows.add(new WeightRow(group.getKey(), Optional.empty(), categoryWeights, classLabel));
                } else {
                    rows.add(new WeightRow(group.getKey(), Optional.of(numericWeight), List.of(), classLabel));
                }
            }
            rows.add(new WeightRow(INTERCEPT, Optional.of(intercept), List.of(), classLabel));
        }
        return List.copyOf(rows);
    }
}
