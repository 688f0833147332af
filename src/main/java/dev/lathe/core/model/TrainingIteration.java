package dev.lathe.core.model;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalDouble;

/**
 * One row of ML.TRAINING_INFO.
 *
 * @param iteration 0-based
 * @param loss training loss (MSE for regression, log loss / cross-entropy for classification, mean
 *     squared distance for k-means)
 * @param evalLoss the same on the evaluation split; empty without a split
 * @param learningRate the step used in this iteration (0 where not meaningful)
 * @param clusterInfo k-means only: (centroid_id, cluster_radius, cluster_size) per centroid
 */
public record TrainingIteration(int iteration, double loss, OptionalDouble evalLoss, double learningRate, long durationMs,
        List<ClusterInfo> clusterInfo) {
    public TrainingIteration {
        requireNonNull(evalLoss, "evalLoss is null");
        clusterInfo = List.copyOf(clusterInfo);
    }

    public record ClusterInfo(long centroidId, double clusterRadius, long clusterSize) {}
}
