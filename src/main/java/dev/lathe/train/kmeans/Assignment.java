package dev.lathe.train.kmeans;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.TrainingIteration.ClusterInfo;
import java.util.ArrayList;
import java.util.List;

/** Each row's nearest centroid and its distance to it. */
record Assignment(int[] nearest, double[] distance, int k) {

    static Assignment of(DenseMatrix x, double[] centroids, int k, DistanceType type) {
        int p = x.cols();
        int[] nearest = new int[x.rows()];
        double[] distance = new double[x.rows()];
        for (int i = 0; i < x.rows(); i++) {
            double best = Double.POSITIVE_INFINITY;
            int bestIndex = 0;
            for (int c = 0; c < k; c++) {
                double d = type.distance(x.data(), i * p, centroids, c * p, p);
                if (d < best) {
                    best = d;
                    bestIndex = c;
                }
            }
            nearest[i] = bestIndex;
            distance[i] = best;
        }
        return new Assignment(nearest, distance, k);
    }

    /** Mean squared distance to the nearest centroid: the k-means loss ML.TRAINING_INFO reports. */
    double loss() {
        double sum = 0;
        for (double d : distance) {
            sum += d * d;
        }
        return distance.length == 0 ? 0 : sum / distance.length;
    }

    /** Per centroid: id 1..k, radius = mean distance of its members to it, member count. */
    List<ClusterInfo> clusterInfo() {
        long[] sizes = new long[k];
        double[] sums = new double[k];
        for (int i = 0; i < nearest.length; i++) {
            sizes[nearest[i]]++;
            sums[nearest[i]] += distance[i];
        }
        List<ClusterInfo> info = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            info.add(new ClusterInfo(c + 1, sizes[c] == 0 ? 0 : sums[c] / sizes[c], sizes[c]));
        }
        return info;
    }
}
