package dev.lathe.engine;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.FeatureLayout;
import dev.lathe.core.model.Predictions;
import dev.lathe.explain.Explainer;
import dev.lathe.explain.Explanation;
import dev.lathe.features.FeatureInfo;
import dev.lathe.warehouse.ColumnWriter;
import dev.lathe.warehouse.Sql;
import java.util.List;

/** Wires a loaded model to the explainer: the baseline row, the explained output per row, the extra columns. */
final class Explanations {
    static final String TOP_FEATURES = "__lathe_top_features";
    static final String TOP_ATTRIBUTIONS = "__lathe_top_attributions";
    static final String BASELINE = "__lathe_baseline";
    static final String VALUE = "__lathe_value";
    static final String ERROR = "__lathe_error";
    static final String PROBABILITY = "__lathe_probability";

    private Explanations() {}

    /**
     * The model's explainer. The baseline row is the training mean of every encoded column that has
     * one: 0 for standardized numbers, the FEATURE_INFO mean for unstandardized numbers, and no
     * category set (all zeros) for encoded categories.
     */
    static Explainer explainer(LoadedModel model, int pathCount) {
        return new Explainer(model.estimator(), model.pipeline().layout(), baseline(model.pipeline()), pathCount);
    }

    static double[] baseline(dev.lathe.features.FeaturePipeline pipeline) {
        FeatureLayout layout = pipeline.layout();
        double[] baseline = new double[layout.size()];
        for (int j = 0; j < layout.size(); j++) {
            EncodedColumn column = layout.column(j);
            boolean standardized = column.mean() != 0 || column.scale() != 1;
            if (column.kind() == EncodedColumn.Kind.NUMERIC && !standardized) {
                baseline[j] = pipeline.featureInfo().stream().filter(i -> i.input().equals(column.feature())).findFirst()
                        .flatMap(FeatureInfo::mean).orElse(0.0);
            }
        }
        return baseline;
    }

    /** The output explained per row: the predicted class for classifiers (threshold applies), 0 otherwise. */
    static int[] explainedOutputs(Predictions predictions, double threshold) {
        int[] outputs = new int[predictions.rows()];
        if (predictions instanceof Predictions.Probabilities probabilities) {
            double[] row = new double[probabilities.classes()];
            for (int r = 0; r < outputs.length; r++) {
                System.arraycopy(probabilities.probabilities(), r * row.length, row, 0, row.length);
                outputs[r] = Predictor.predictedClass(row, threshold);
            }
        }
        return outputs;
    }

    /** ML.EXPLAIN_PREDICT's columns after the prediction columns: the top k features and the explanation. */
    static Predictor.Extra columns(LoadedModel model, int topK) {
        Explainer explainer = explainer(model, Explainer.DEFAULT_PATH_COUNT);
        int width = Math.min(topK, model.pipeline().layout().features().size());
        boolean classifier = model.task() == dev.lathe.core.model.ModelTask.CLASSIFICATION;
        return new Predictor.Extra() {
            @Override
            public String columns() {
                return Sql.quote(TOP_FEATURES) + " BIGINT[], " + Sql.quote(TOP_ATTRIBUTIONS) + " DOUBLE[], " + Sql.quote(BASELINE)
                        + " DOUBLE, " + Sql.quote(VALUE) + " DOUBLE, " + Sql.quote(ERROR) + " DOUBLE"
                        + (classifier ? ", " + Sql.quote(PROBABILITY) + " DOUBLE" : "");
            }

            @Override
            public List<ColumnWriter.Values> values(DenseMatrix features, Predictions predictions, double threshold) {
                int[] outputs = explainedOutputs(predictions, threshold);
                Explanation explanation = explainer.explain(features, outputs);
                int rows = explanation.rows();
                long[] top = new long[rows * width];
                double[] attributions = new double[rows * width];
                for (int r = 0; r < rows; r++) {
                    int[] order = explanation.top(r, width);
                    for (int i = 0; i < width; i++) {
                        top[r * width + i] = order[i] + 1;
                        attributions[r * width + i] = explanation.attribution(r, order[i]);
                    }
                }
                List<ColumnWriter.Values> values = new java.util.ArrayList<>(List.of(new ColumnWriter.LongLists(top, width),
                        new ColumnWriter.DoubleLists(attributions, width), new ColumnWriter.Doubles(explanation.baselines()),
                        new ColumnWriter.Doubles(explanation.predictions()), new ColumnWriter.Doubles(explanation.approximationErrors())));
                if (classifier && predictions instanceof Predictions.Probabilities probabilities) {
                    double[] probability = new double[rows];
                    for (int r = 0; r < rows; r++) {
                        probability[r] = probabilities.get(r, outputs[r]);
                    }
                    values.add(new ColumnWriter.Doubles(probability));
                }
                return values;
            }
        };
    }

    /** The SQL of ML.EXPLAIN_PREDICT's explanation columns over the table {@link #columns} filled (alias p). */
    static String selectColumns(LoadedModel model) {
        List<String> features = model.pipeline().layout().features();
        String names = "[" + String.join(", ", features.stream().map(Sql::literal).toList()) + "]";
        return "list_transform(range(1, len(p." + Sql.quote(TOP_FEATURES) + ") + 1), i -> {'feature': " + names + "[p."
                + Sql.quote(TOP_FEATURES) + "[i]], 'attribution': p." + Sql.quote(TOP_ATTRIBUTIONS)
                + "[i]}) AS top_feature_attributions, p." + Sql.quote(BASELINE) + " AS baseline_prediction_value, p." + Sql.quote(VALUE)
                + " AS prediction_value, p." + Sql.quote(ERROR) + " AS approximation_error";
    }
}
