package dev.lathe.train.linear;

import dev.lathe.core.model.Capabilities.AdvancedCategoryWeight;
import dev.lathe.core.model.Capabilities.AdvancedWeightRow;
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
        Map<String, List<Integer>> groups = groups(layout);
        boolean multiclass = model.link() == Link.SOFTMAX;
        List<WeightRow> rows = new ArrayList<>();
        for (int k = 0; k < model.outputs(); k++) {
            Optional<String> classLabel = multiclass ? Optional.of(model.classLabels().get(k)) : Optional.empty();
            double intercept = model.intercept(k);
            for (Map.Entry<String, List<Integer>> group : groups.entrySet()) {
                List<Integer> indexes = group.getValue();
                boolean categorical = categorical(layout, indexes);
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

    /**
     * ML.ADVANCED_WEIGHTS rows: ML.WEIGHTS's, with each weight's standard error and two-sided p-value (Student's t for
     * LINEAR_REG, normal for LOGISTIC_REG; {@link CoefficientStatistics}). On the raw scale a weight and its standard error
     * are both divided by the column's scale, so the p-value is the same as the standardized one; the intercept's is not.
     * DUMMY_ENCODING's dropped category is listed with weight 0 and NaN for both.
     */
    static List<AdvancedWeightRow> advancedRows(GlmEstimator model, CoefficientStatistics statistics, FeatureLayout layout,
            boolean standardize) {
        if (layout.size() != model.features()) {
            throw new IllegalArgumentException("layout has " + layout.size() + " columns but the model " + model.features());
        }
        double[] errors = statistics.standardErrors();
        double intercept = model.intercept(0);
        List<AdvancedWeightRow> rows = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> group : groups(layout).entrySet()) {
            List<Integer> indexes = group.getValue();
            boolean categorical = categorical(layout, indexes);
            List<AdvancedCategoryWeight> categoryWeights = new ArrayList<>();
            AdvancedWeightRow numeric = null;
            for (int j : indexes) {
                EncodedColumn column = layout.column(j);
                double weight = model.weight(0, j);
                double error = errors[j + 1];
                double pValue = statistics.pValue(weight, error);
                if (!standardize) {
                    double scale = column.scale() == 0 ? 1 : column.scale();
                    weight /= scale;
                    error /= scale;
                    intercept -= weight * column.mean();
                }
                if (categorical) {
                    categoryWeights.add(new AdvancedCategoryWeight(column.category(), weight, error, pValue));
                } else {
                    numeric = new AdvancedWeightRow(group.getKey(), Optional.of(weight), List.of(), Optional.of(error), Optional.of(pValue));
                }
            }
            if (categorical) {
                if (layout.droppedCategories().containsKey(group.getKey())) {
                    categoryWeights.add(new AdvancedCategoryWeight(layout.droppedCategories().get(group.getKey()), 0.0, Double.NaN,
                            Double.NaN));
                }
                rows.add(new AdvancedWeightRow(group.getKey(), Optional.empty(), categoryWeights, Optional.empty(), Optional.empty()));
            } else {
                rows.add(numeric);
            }
        }
        double interceptError = standardize ? errors[0] : statistics.rawInterceptStandardError();
        rows.add(new AdvancedWeightRow(INTERCEPT, Optional.of(intercept), List.of(), Optional.of(interceptError),
                Optional.of(statistics.pValue(intercept, interceptError))));
        return List.copyOf(rows);
    }

    /** The encoded columns of each processed input, in layout order. */
    private static Map<String, List<Integer>> groups(FeatureLayout layout) {
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        for (int j = 0; j < layout.size(); j++) {
            groups.computeIfAbsent(layout.column(j).processedInput(), k -> new ArrayList<>()).add(j);
        }
        return groups;
    }

    private static boolean categorical(FeatureLayout layout, List<Integer> indexes) {
        return indexes.size() > 1 || layout.column(indexes.get(0)).kind() == EncodedColumn.Kind.ONE_HOT;
    }
}
