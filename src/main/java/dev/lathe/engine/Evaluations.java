package dev.lathe.engine;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.Predictions;
import dev.lathe.evaluate.ClassificationMetrics;
import dev.lathe.evaluate.ClusteringMetrics;
import dev.lathe.evaluate.ConfusionMatrix;
import dev.lathe.evaluate.RegressionMetrics;
import dev.lathe.evaluate.ScoredRows;
import dev.lathe.registry.EvaluationData;
import dev.lathe.train.kmeans.DistanceType;
import dev.lathe.train.kmeans.KMeansEstimator;
import java.util.LinkedHashMap;
import java.util.Map;

/** ML.EVALUATE's columns from labels and predictions, by task (spec 4.3). */
final class Evaluations {
    private Evaluations() {}

    static EvaluationData data(ModelTask task, int classes, double[] labels, Predictions predictions) {
        return switch (predictions) {
            case Predictions.Values v -> new EvaluationData(1, labels, v.values());
            case Predictions.Probabilities p -> new EvaluationData(classes, labels, p.probabilities());
            case Predictions.Distances d -> new EvaluationData(d.k(), new double[d.rows()], d.distances());
        };
    }

    /** The metrics of the evaluation split stored at training. */
    static Map<String, Double> metrics(ModelTask task, EvaluationData data, double threshold) {
        return metrics(task, rows(data), threshold);
    }

    static Map<String, Double> metrics(ModelTask task, ScoredRows rows, double threshold) {
        return switch (task) {
            case REGRESSION -> RegressionMetrics.compute(rows).byName();
            case CLASSIFICATION -> ClassificationMetrics.of(rows, rows.width(), threshold).byName();
            case CLUSTERING -> throw new IllegalStateException("clustering metrics need the feature matrix");
        };
    }

    /** The stored evaluation split's rows: a classifier's {@code classes} probabilities a row, a regressor's one value. */
    static ScoredRows rows(EvaluationData data) {
        return ScoredRows.of(data.actual(), data.predicted(), data.classes());
    }

    /** ML.CONFUSION_MATRIX's counts: each row's predicted class as ML.PREDICT has it (binary: positive iff P(positive) &gt; threshold). */
    static ConfusionMatrix confusionMatrix(ScoredRows rows, int classes, double threshold) {
        double[] row = new double[rows.width()];
        return ConfusionMatrix.compute(rows, classes, (predictions, offset) -> {
            System.arraycopy(predictions, offset, row, 0, row.length);
            return Predictor.predictedClass(row, threshold);
        });
    }

    /**
     * davies_bouldin_index and mean_squared_distance of the rows of {@code features}, each in the cluster of its nearest
     * centroid, both measured with the model's own centroids and distance (DISTANCE_TYPE): a COSINE model's index was
     * measured with the Euclidean distance (probe K), and an index over new data with each cluster's centre re-taken as
     * its input members' mean called a cluster of one input row perfectly tight (0), whatever its distance to the model's
     * centroid. On the training data of a converged model the members' means are the centroids, so nothing changes there.
     */
    static Map<String, Double> clustering(KMeansEstimator model, DenseMatrix features) {
        ClusteringMetrics.Accumulator accumulator = clusteringAccumulator(model);
        addClustering(accumulator, model, features);
        return clustering(accumulator);
    }

    /** What {@link #clustering} sums, before any row: ML.EVALUATE over an input adds its batches one by one. */
    static ClusteringMetrics.Accumulator clusteringAccumulator(KMeansEstimator model) {
        int k = model.k();
        int dims = model.features();
        double[] centroids = new double[k * dims];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < dims; j++) {
                centroids[c * dims + j] = model.centroid(c, j);
            }
        }
        DistanceType type = model.distanceType();
        return new ClusteringMetrics.Accumulator(centroids, k, dims, type::distance);
    }

    /** Adds the rows of {@code features}, each in the cluster of its nearest centroid. */
    static void addClustering(ClusteringMetrics.Accumulator accumulator, KMeansEstimator model, DenseMatrix features) {
        Predictions.Distances distances = (Predictions.Distances) model.predict(features);
        int k = distances.k();
        int rows = features.rows();
        int[] assignment = new int[rows];
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < k; c++) {
                if (distances.get(r, c) < distances.get(r, best)) {
                    best = c;
                }
            }
            assignment[r] = best;
        }
        accumulator.add(features.data(), rows, assignment);
    }

    static Map<String, Double> clustering(ClusteringMetrics.Accumulator accumulator) {
        ClusteringMetrics metrics = accumulator.result();
        Map<String, Double> named = new LinkedHashMap<>();
        named.put("davies_bouldin_index", metrics.daviesBouldinIndex());
        // BigQuery ML reports the mean squared distance to the model's own nearest centroid.
        named.put("mean_squared_distance", metrics.meanSquaredDistance());
        return named;
    }
}
