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
        Checks.sameLength("actual", actual.length, "score", score.length);
        return compute(ScoredRows.of(ClassificationMetrics.labels(actual), score, 1), 0, thresholds);
    }

    /** As {@link #compute(int[], double[], Optional)} with prediction {@code scoreColumn} of each of {@code rows} as its score. */
    public static List<Point> compute(ScoredRows rows, int scoreColumn, Optional<double[]> thresholds) {
        return compute(rows, scoreColumn, thresholds, OrderedValues.defaultCapacity());
    }

    /**
     * As {@link #compute(ScoredRows, int, Optional)}, holding at most {@code capacity} scores at a time: the points count
     * the rows at or below each threshold from the scores' distinct values in ascending order ({@link OrderedValues}), as
     * binary searches of the sorted scores counted them.
     */
    static List<Point> compute(ScoredRows rows, int scoreColumn, Optional<double[]> thresholds, int capacity) {
        requireNonNull(thresholds, "thresholds is null");
        Checks.notEmpty("actual", rows.count());
        long n = rows.count();
        long[] positiveCount = {0};
        rows.forEachChunk((first, labels, predictions, count) -> {
            for (int i = 0; i < count; i++) {
                int actual = (int) labels[i];
                Checks.classIndex("actual", first + i, actual, 2);
                positiveCount[0] += actual;
            }
        });
        long positives = positiveCount[0];
        long negatives = n - positives;
        double[] points = thresholds.isPresent() ? thresholds.get().clone() : defaultThresholds(rows, scoreColumn, capacity);
        Arrays.sort(points);
        // the thresholds' counts of positives and negatives scoring at most them; a NaN threshold (last) counts none
        int numeric = 0;
        while (numeric < points.length && !Double.isNaN(points[numeric])) {
            numeric++;
        }
        long[] positivesAtMost = new long[points.length];
        long[] negativesAtMost = new long[points.length];
        int[] next = {0};
        long[] atMost = new long[2];
        int numericPoints = numeric;
        int width = rows.width();
        OrderedValues.ascending(rows, (labels, predictions, row) -> predictions[row * width + scoreColumn], (labels, row) -> labels[row] == 1,
                capacity, (value, positivesOf, negativesOf) -> {
                    if (Double.isNaN(value)) {
                        return; // at most no threshold
                    }
                    while (next[0] < numericPoints && points[next[0]] < value) {
                        positivesAtMost[next[0]] = atMost[0];
                        negativesAtMost[next[0]++] = atMost[1];
                    }
                    atMost[0] += positivesOf;
                    atMost[1] += negativesOf;
                });
        for (; next[0] < numericPoints; next[0]++) {
            positivesAtMost[next[0]] = atMost[0];
            negativesAtMost[next[0]] = atMost[1];
        }
        List<Point> curve = new ArrayList<>(points.length);
        for (int i = 0; i < points.length; i++) {
            long truePositives = positives - positivesAtMost[i];
            long falsePositives = negatives - negativesAtMost[i];
            curve.add(new Point(
                    points[i],
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
        return defaultThresholds(ScoredRows.of(new double[score.length], score, 1), 0, OrderedValues.defaultCapacity());
    }

    /**
     * The default thresholds: the distinct scores in ascending order where there are at most 101 (a score equal to the one
     * before it is no new one; each NaN is, as {@code !=} has it), else the percentiles of the scores (not of their
     * distinct values: where scores repeat, those put half the rows below the 50th point; probe rb), as BigQuery's
     * APPROX_QUANTILES(score, 100) (spec 4.1). Nearest rank: the k-th percentile is the score at index
     * round(k * (n - 1) / 100) of the sorted scores; a score that two percentiles share is one point.
     */
    private static double[] defaultThresholds(ScoredRows rows, int scoreColumn, int capacity) {
        long n = rows.count();
        long[] ranks = new long[DEFAULT_QUANTILES + 1];
        for (int k = 0; k <= DEFAULT_QUANTILES; k++) {
            ranks[k] = Math.round((double) k * (n - 1) / DEFAULT_QUANTILES);
        }
        double[] quantiles = new double[DEFAULT_QUANTILES + 1];
        double[] distinct = new double[DEFAULT_QUANTILES + 2]; // the first distinct scores, one more than are taken
        long[] distinctCount = {0};
        double[] last = {Double.NaN};
        long[] below = {0};
        int[] nextRank = {0};
        int width = rows.width();
        OrderedValues.ascending(rows, (labels, predictions, row) -> predictions[row * width + scoreColumn], (labels, row) -> true, capacity,
                (value, rowsOf, none) -> {
                    // a NaN differs from every score, itself included: each of its rows is a distinct score; 0.0 after -0.0 is none
                    long added = Double.isNaN(value) ? rowsOf : distinctCount[0] == 0 || value != last[0] ? 1 : 0;
                    for (long i = 0; i < added && distinctCount[0] + i < distinct.length; i++) {
                        distinct[(int) (distinctCount[0] + i)] = value;
                    }
                    if (added > 0) {
                        last[0] = value;
                        distinctCount[0] += added;
                    }
                    below[0] += rowsOf;
                    while (nextRank[0] < ranks.length && ranks[nextRank[0]] < below[0]) {
                        quantiles[nextRank[0]++] = value;
                    }
                });
        if (distinctCount[0] <= DEFAULT_QUANTILES + 1) {
            return Arrays.copyOf(distinct, (int) distinctCount[0]);
        }
        double[] kept = new double[DEFAULT_QUANTILES + 1];
        int count = 0;
        for (double quantile : quantiles) {
            if (count == 0 || quantile != kept[count - 1]) {
                kept[count++] = quantile;
            }
        }
        return Arrays.copyOf(kept, count);
    }
}
