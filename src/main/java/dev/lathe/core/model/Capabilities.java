package dev.lathe.core.model;

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
}
