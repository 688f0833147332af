package dev.lathe.core.model;

import dev.lathe.core.DenseMatrix;
import java.util.List;
import java.util.Optional;

/**
 * Optional views some estimators offer, behind ML.WEIGHTS, ML.CENTROIDS and ML.FEATURE_IMPORTANCE.
 * The executor checks {@code instanceof} and reports a clear error otherwise.
 */
public final class Capabilities {
    private Capabilities() {}

    /** GLMs. Weights are reported on the input scale unless {@code standardize}. */
    public interface HasWeights {
        List<WeightRow> weights(FeatureLayout layout, boolean standardize);
    }

    /**
     * One ML.WEIGHTS row: {@code processed_input, weight, category_weights, class_label}. Numeric
     * inputs and the intercept ({@code __INTERCEPT__}) set {@code weight}; categorical inputs set
     * {@code categoryWeights} (NULL category named by an empty Optional). classLabel is set for
     * multiclass models only.
     */
    public record WeightRow(String processedInput, Optional<Double> weight, List<CategoryWeight> categoryWeights,
            Optional<String> classLabel) {
        public WeightRow {
            categoryWeights = List.copyOf(categoryWeights);
        }
    }

    public record CategoryWeight(Optional<String> category, double weight) {}

    /** Linear and binary logistic regression trained with CALCULATE_P_VALUES: ML.ADVANCED_WEIGHTS. */
    public interface HasAdvancedWeights {
        /** The rows, or empty when the model was trained without the standard errors they need. */
        Optional<List<AdvancedWeightRow>> advancedWeights(FeatureLayout layout, boolean standardize);
    }

    /**
     * One ML.ADVANCED_WEIGHTS row: {@code processed_input, weight, category_weights, standard_error, p_value}. Numeric
     * inputs and {@code __INTERCEPT__} set the three numbers; categorical inputs set {@code categoryWeights}.
     */
    public record AdvancedWeightRow(String processedInput, Optional<Double> weight, List<AdvancedCategoryWeight> categoryWeights,
            Optional<Double> standardError, Optional<Double> pValue) {
        public AdvancedWeightRow {
            categoryWeights = List.copyOf(categoryWeights);
        }
    }

    /** A category's weight with its standard error and p-value (NaN for DUMMY_ENCODING's dropped category). */
    public record AdvancedCategoryWeight(Optional<String> category, double weight, double standardError, double pValue) {}

    /** K-means. */
    public interface HasCentroids {
        List<CentroidRow> centroids(FeatureLayout layout, boolean standardize);
    }

    /**
     * One ML.CENTROIDS row per centroid and feature: numeric features set {@code numericalValue},
     * categorical ones {@code categoricalValue} (category, share of the cluster).
     */
    public record CentroidRow(long centroidId, String feature, Optional<Double> numericalValue,
            List<CategoryValue> categoricalValue) {
        public CentroidRow {
            categoricalValue = List.copyOf(categoricalValue);
        }
    }

    public record CategoryValue(String category, double value) {}

    /** Tree models. */
    public interface HasFeatureImportance {
        List<ImportanceRow> featureImportance(FeatureLayout layout);
    }

    /** One ML.FEATURE_IMPORTANCE row per input feature. */
    public record ImportanceRow(String feature, double importanceWeight, double importanceGain, double importanceCover) {}

    /**
     * Models that attribute their own predictions to encoded columns exactly (GLMs) or by TreeSHAP
     * (trees), behind ML.EXPLAIN_PREDICT, ML.GLOBAL_EXPLAIN and {@code :explain}.
     */
    public interface HasAttributions {
        /**
         * Attributions of output {@code outputs[row]} of each row (the class index for classifiers, 0
         * otherwise), in the model's score space (the value itself for regression, the log-odds or raw
         * class score for classifiers).
         */
        Attributions attributions(DenseMatrix features, int[] outputs);

        /**
         * As {@link #attributions}, summed per input feature: encoded column {@code j}'s value goes to feature
         * {@code featureOf[j]} of {@code featureCount}, added in column order ({@link Attributions#byFeature}). An estimator
         * that reads one-hot rows ({@link dev.lathe.core.model.Estimator#predictsOnOneHotRows}) overrides it to add the
         * columns a row sets only, without a dense row per encoded column: 64k rows of a 20,000-category feature were
         * 10.5 GB of attributions (probe ta F1).
         */
        default Attributions featureAttributions(DenseMatrix features, int[] outputs, int[] featureOf, int featureCount) {
            return attributions(features, outputs).byFeature(featureOf, featureCount);
        }

        /**
         * Whether the prediction is the baseline plus the attributions by construction (a linear score), so the
         * approximation error is 0, as BigQuery reports it for linear models, not the rounding of summing them twice.
         */
        default boolean additive() {
            return false;
        }
    }

    /**
     * Per-row attributions over the encoded columns: {@code values} is row-major, {@code columns} per
     * row; {@code baselines[r] + sum(values of r)} equals {@code predictions[r]} up to rounding.
     */
    public record Attributions(int columns, double[] values, double[] baselines, double[] predictions) {
        public Attributions {
            java.util.Objects.requireNonNull(values, "values is null");
            java.util.Objects.requireNonNull(baselines, "baselines is null");
            java.util.Objects.requireNonNull(predictions, "predictions is null");
            if (baselines.length != predictions.length || values.length != (long) columns * predictions.length) {
                throw new IllegalArgumentException("attributions of " + predictions.length + " rows x " + columns
                        + " columns need as many baselines and rows x columns values; got " + baselines.length + " baselines and "
                        + values.length + " values");
            }
        }

        public int rows() {
            return predictions.length;
        }

        /** Row {@code row}'s values summed in column order. */
        public double sum(int row) {
            double sum = 0;
            for (int j = 0; j < columns; j++) {
                sum += values[row * columns + j];
            }
            return sum;
        }

        /** These attributions summed per feature: column {@code j}'s to {@code featureOf[j]} of {@code featureCount}, in column order. */
        public Attributions byFeature(int[] featureOf, int featureCount) {
            int rows = rows();
            double[] summed = new double[rows * featureCount];
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < columns; j++) {
                    summed[r * featureCount + featureOf[j]] += values[r * columns + j];
                }
            }
            return new Attributions(featureCount, summed, baselines, predictions);
        }
    }
}
