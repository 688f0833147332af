package dev.lathe.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClusteringMetricsTest {
    @Test
    void matchesDirectFormulasOnTwoClusters() {
        // cluster 0: (0,0), (2,0) around (1,0); cluster 1: (10,0), (10,4) around (10,2)
        double[] rows = {0, 0, 2, 0, 10, 0, 10, 4};
        double[] centroids = {1, 0, 10, 2};
        int[] assignment = {0, 0, 1, 1};
        ClusteringMetrics metrics = ClusteringMetrics.compute(rows, 4, 2, centroids, 2, assignment, Distance.EUCLIDEAN);
        // squared distances 1, 1, 4, 4
        assertThat(metrics.meanSquaredDistance()).isCloseTo(2.5, within(1e-12));
        // S0 = 1, S1 = 2, d(c0, c1) = sqrt(81 + 4): both clusters have ratio 3 / sqrt(85)
        assertThat(metrics.daviesBouldinIndex()).isCloseTo(3 / Math.sqrt(85), within(1e-12));
    }

    @Test
    void daviesBouldinTakesTheWorstNeighbour() {
        double[] rows = {0, 1, 4, 5, 20, 22};
        double[] centroids = {0.5, 4.5, 21};
        ClusteringMetrics metrics = ClusteringMetrics.compute(rows, 6, 1, centroids, 3, new int[] {0, 0, 1, 1, 2, 2}, Distance.EUCLIDEAN);
        double s0 = 0.5;
        double s1 = 0.5;
        double s2 = 1;
        double r0 = Math.max((s0 + s1) / 4, (s0 + s2) / 20.5);
        double r1 = Math.max((s1 + s0) / 4, (s1 + s2) / 16.5);
        double r2 = Math.max((s2 + s0) / 20.5, (s2 + s1) / 16.5);
        assertThat(metrics.daviesBouldinIndex()).isCloseTo((r0 + r1 + r2) / 3, within(1e-12));
    }

    @Test
    void cosineDistanceIsOneMinusCosineSimilarity() {
        double[] points = {1, 0, 0, 1, 1, 1};
        assertThat(Distance.COSINE.between(points, 0, points, 2, 2)).isCloseTo(1, within(1e-12));
        assertThat(Distance.COSINE.between(points, 0, points, 4, 2)).isCloseTo(1 - 1 / Math.sqrt(2), within(1e-12));
    }
}
