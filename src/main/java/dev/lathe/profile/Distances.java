package dev.lathe.profile;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The distances between two distributions that skew and drift detection report (Vertex AI model monitoring's). */
public final class Distances {
    private Distances() {}

    /**
     * Jensen-Shannon divergence with base-2 logarithms, so it lies in [0, 1]: 0 for equal distributions, 1 for
     * disjoint ones. Both arrays are probability masses over the same bins.
     */
    public static double jensenShannon(double[] p, double[] q) {
        if (p.length != q.length) {
            throw new IllegalArgumentException("distributions over " + p.length + " and " + q.length + " bins");
        }
        double divergence = 0;
        for (int i = 0; i < p.length; i++) {
            double m = (p[i] + q[i]) / 2;
            divergence += term(p[i], m) / 2 + term(q[i], m) / 2;
        }
        // Rounding can leave a tiny negative or a value just above 1.
        return Math.max(0, Math.min(1, divergence));
    }

    private static double term(double p, double m) {
        return p > 0 ? p * Math.log(p / m) / Math.log(2) : 0;
    }

    /** L-infinity distance: the largest difference between the two distributions' shares of any one category. */
    public static double lInfinity(Map<String, Double> p, Map<String, Double> q) {
        double distance = 0;
        for (String category : union(p, q)) {
            distance = Math.max(distance, Math.abs(p.getOrDefault(category, 0.0) - q.getOrDefault(category, 0.0)));
        }
        return distance;
    }

    /** Jensen-Shannon divergence of two category distributions. */
    public static double jensenShannon(Map<String, Double> p, Map<String, Double> q) {
        List<String> categories = new ArrayList<>(union(p, q));
        double[] a = new double[categories.size()];
        double[] b = new double[categories.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = p.getOrDefault(categories.get(i), 0.0);
            b[i] = q.getOrDefault(categories.get(i), 0.0);
        }
        return jensenShannon(a, b);
    }

    private static Set<String> union(Map<String, Double> p, Map<String, Double> q) {
        Set<String> all = new LinkedHashSet<>(p.keySet());
        all.addAll(q.keySet());
        return all;
    }

    /**
     * Bin edges from the baseline's quantiles: min, the interior quantiles at {@code i / buckets}, and just above max;
     * values outside [min, max] fall into open bins the baseline leaves empty, so data entirely outside the
     * baseline's range is at divergence 1.
     */
    static double[] edges(ColumnProfile baseline, int buckets) {
        return baseline.binEdges(buckets);
    }

    /** Shares of a categorical column's non-null values. */
    static Map<String, Double> shares(ColumnProfile column) {
        Map<String, Long> counts = column.categoryCounts();
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> shares = new java.util.LinkedHashMap<>();
        counts.forEach((k, v) -> shares.put(k, (double) v / total));
        return shares;
    }
}
