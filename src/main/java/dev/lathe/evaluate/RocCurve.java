package dev.lathe.evaluate;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * ML.ROC_CURVE rows for a binary classifier. A row is predicted positive iff its score &gt; threshold, the
 * rule ML.PREDICT applies, so the row at threshold 0.5 matches ML.EVALUATE's confusion counts.
 */
public final class RocCurve {
    /** Output column names, in BigQuery ML's order. */
    public static final List<String> COLUMN_NAMES = List.of(
            "threshold", "recall", "false_positive_rate", "true_positives", "false_positives", "true_negatives", "false_negatives");

    /** Quantile count of the default thresholds: APPROX_QUANTILES(score, 100), i.e. minimum, 1st ... 99th percentile, maximum. */
    static final int DEFAULT_QUANTILES = 100;

    private RocCurve() {}

    /** One ROC point; recall and false_positive_rate are NaN when their denominator is zero. */
    public record Point(
            double threshold,
            double recall,
            double falsePositiveRate,
            long truePositives,
            long falsePositives,
            long trueNegatives,
            long falseNegatives) {}

    /**
     * Points at the given thresholds (GENERATE_ARRAY(lo, hi, step)), or by default at the percentiles of the
     * scores: the 101 values of APPROX_QUANTILES over the distinct scores (the distinct scores themselves
     * when there are at most 101), so a few heavily repeated scores do not crowd out the curve. Rows come in
     * ascending threshold order (BigQuery documents no order; callers sort with ORDER BY).
     */
    public static List<Point> compute(int[] actual, double[] score, Optional<double[]> thresholds) {
        requireNonNull(thresholds, "thresholds is null");
        Checks.sameLength("actual", actual.length, "score", score.length);
        Checks.notEmpty("actual", actual.length);
        int n = actual.length;
        int positives = 0;
        for (int i = 0; i < n; i++) {
            Checks.classIndex("actual", i, actual[i], 2);
            positives += actual[i];
        }
        int negatives = n - positives;
        double[] positiveScores = new double[positives];
        double[] negativeScores = new double[negatives];
        int p = 0;
        int q = 0;
        for (int i = 0; i < n; i++) {
            if (actual[i] == 1) {
                positiveScores[p++] = score[i];
            } else {
                negativeScores[q++] = score[i];
            }
        }
        Arrays.sort(positiveScores);
        Arrays.sort(negativeScores);
        double[] points = thresholds.map(double[]::clone).orElseGet(() -> defaultThresholds(score));
        Arrays.sort(points);
        List<Point> curve = new ArrayList<>(points.length);
        for (double threshold : points) {
            long truePositives = positives - countAtMost(positiveScores, threshold);
            long falsePositives = negatives - countAtMost(negativeScores, threshold);
            curve.add(new Point(
                    threshold,
                    positives == 0 ? Double.NaN : (double) truePositives / positives,
                    negatives == 0 ? Double.NaN : (double) falsePositives / negatives,
                    truePositives,
                    falsePositives,
                    negatives - falsePositives,
                    positives - truePositives));
        }
        return List.copyOf(curve);
    }

    static double[] defaultThresholds(double[] score) {
        double[] sorted = score.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        if (distinct <= DEFAULT_QUANTILES + 1) {
            return Arrays.copyOf(sorted, distinct);
        }
        // Percentiles of the predicted scores, as BigQuery's APPROX_QUANTILES(score, 100) (spec 4.1), not of their distinct
        // values: where scores repeat, those put half the rows below the 50th point (probe rb: 53.3 %). Nearest rank: the
        // k-th percentile is the score at index round(k * (n - 1) / 100); a score that two percentiles share is one point.
        double[] scores = score.clone();
        Arrays.sort(scores);
        double[] quantiles = new double[DEFAULT_QUANTILES + 1];
        int kept = 0;
        for (int k = 0; k <= DEFAULT_QUANTILES; k++) {
            double quantile = scores[(int) Math.round((double) k * (scores.length - 1) / DEFAULT_QUANTILES)];
            if (kept == 0 || quantile != quantiles[kept - 1]) {
                quantiles[kept++] = quantile;
            }
        }
        return Arrays.copyOf(quantiles, kept);
    }

    /** Number of values in the ascending array that are &lt;= limit. */
    private static int countAtMost(double[] ascending, double limit) {
        int low = 0;
        int high = ascending.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (ascending[middle] <= limit) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }
}
