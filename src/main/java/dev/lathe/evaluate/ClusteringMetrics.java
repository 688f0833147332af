package dev.lathe.evaluate;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.LatheException;
import java.util.List;

/** ML.EVALUATE columns of KMEANS models. */
public record ClusteringMetrics(double daviesBouldinIndex, double meanSquaredDistance) {
    /** Output column names, in BigQuery ML's order. */
    public static final List<String> COLUMN_NAMES = List.of("davies_bouldin_index", "mean_squared_distance");

    public double[] values() {
        return new double[] {daviesBouldinIndex, meanSquaredDistance};
    }

    /**
     * Metrics of {@code rows} points (row-major, {@code dimensions} values each) assigned to {@code k}
     * centroids (row-major too). mean_squared_distance is the mean squared distance of each row to its
     * assigned centroid. davies_bouldin_index averages, over the non-empty clusters i, the maximum over the
     * other non-empty clusters j of (S_i + S_j) / d(c_i, c_j), S being a cluster's mean member distance to
     * its centroid (scikit-learn's definition); it is NaN with fewer than two non-empty clusters.
     */
    public static ClusteringMetrics compute(
            double[] rowMajor, int rows, int dimensions, double[] centroids, int k, int[] assignment, Distance distance) {
        Checks.sameLength("rowMajor", rowMajor.length, "rows * dimensions", rows * dimensions);
        Checks.sameLength("assignment", assignment.length, "rows", rows);
        Checks.notEmpty("assignment", rows);
        Accumulator accumulator = new Accumulator(centroids, k, dimensions, distance);
        accumulator.add(rowMajor, rows, assignment);
        return accumulator.result();
    }

    /**
     * The metrics' sums over rows added a batch at a time, in row order, so that ML.EVALUATE over an input holds one batch of
     * it at a time and ends with the sums {@link #compute} makes of all of them at once, to the last bit.
     */
    public static final class Accumulator {
        private final double[] centroids;
        private final int k;
        private final int dimensions;
        private final Distance distance;
        private final double[] sumDistance;
        private final long[] members;
        private double sumSquaredDistance;
        private long rows;

        public Accumulator(double[] centroids, int k, int dimensions, Distance distance) {
            this.distance = requireNonNull(distance, "distance is null");
            Checks.sameLength("centroids", centroids.length, "k * dimensions", k * dimensions);
            if (k < 1) {
                throw LatheException.userError("k is %d; KMEANS needs at least 1 centroid".formatted(k));
            }
            this.centroids = centroids;
            this.k = k;
            this.dimensions = dimensions;
            this.sumDistance = new double[k];
            this.members = new long[k];
        }

        /** Adds {@code count} rows of {@code rowMajor}, each in the cluster {@code assignment} gives it. */
        public void add(double[] rowMajor, int count, int[] assignment) {
            for (int i = 0; i < count; i++) {
                int cluster = assignment[i];
                Checks.classIndex("assignment", rows + i, cluster, k);
                double d = distance.between(rowMajor, i * dimensions, centroids, cluster * dimensions, dimensions);
                sumDistance[cluster] += d;
                members[cluster]++;
                sumSquaredDistance += d * d;
            }
            rows += count;
        }

        /** The rows added so far. */
        public long rows() {
            return rows;
        }

        /** The metrics of the rows added; at least one must have been. */
        public ClusteringMetrics result() {
            Checks.notEmpty("assignment", rows);
            double sumWorstRatio = 0;
            int clusters = 0;
            for (int i = 0; i < k; i++) {
                if (members[i] == 0) {
                    continue;
                }
                double scatter = sumDistance[i] / members[i];
                double worst = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < k; j++) {
                    if (j == i || members[j] == 0) {
                        continue;
                    }
                    double separation = distance.between(centroids, i * dimensions, centroids, j * dimensions, dimensions);
                    worst = Math.max(worst, (scatter + sumDistance[j] / members[j]) / separation);
                }
                sumWorstRatio += worst;
                clusters++;
            }
            double daviesBouldin = clusters < 2 ? Double.NaN : sumWorstRatio / clusters;
            return new ClusteringMetrics(daviesBouldin, sumSquaredDistance / rows);
        }
    }
}
