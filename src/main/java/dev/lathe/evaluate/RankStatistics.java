package dev.lathe.evaluate;

/**
 * Exact area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting one half (the Mann-Whitney U statistic with average ranks for tied scores).
 */
final class RankStatistics {
    private RankStatistics() {}

    /**
     * AUC of prediction {@code scoreColumn} for separating rows whose label is {@code positive} from the rest; NaN unless
     * both groups are non-empty. Read from the scores' distinct values in ascending order ({@link OrderedValues}), so in
     * bounded memory: a positive scoring {@code s} wins over the negatives below {@code s} and half of those equal to it;
     * a NaN score, last in the order, wins what the positive before it won below (the sorted-array merge this replaced).
     * Each win is a multiple of one half, so the sum is exact in any order below 2^52 (over 10^8 rows).
     */
    static double areaUnderRocCurve(ScoredRows rows, int positive, int scoreColumn, int capacity) {
        int width = rows.width();
        long[] counts = new long[2]; // positives, negatives
        double[] wins = new double[1];
        long[] below = new long[2]; // negatives below the current value, and below the last positive's value
        double[] previous = {Double.NaN};
        long[] equal = new long[2]; // a run of numerically equal values (-0.0 and 0.0): its positives and negatives
        OrderedValues.Group numeric = (value, positives, negatives) -> {
            if (Double.isNaN(value)) {
                wins[0] += positives * (double) below[1];
            } else if (positives > 0) {
                wins[0] += positives * (below[0] + 0.5 * negatives);
                below[1] = below[0];
            }
            below[0] += negatives;
            counts[0] += positives;
            counts[1] += negatives;
        };
        OrderedValues.ascending(rows, (labels, predictions, row) -> predictions[row * width + scoreColumn],
                (labels, row) -> (int) labels[row] == positive, capacity, (value, positives, negatives) -> {
                    if (value == previous[0]) { // 0.0 after -0.0: one value to < and ==
                        equal[0] += positives;
                        equal[1] += negatives;
                        return;
                    }
                    if (equal[0] + equal[1] > 0) {
                        numeric.accept(previous[0], equal[0], equal[1]);
                    }
                    previous[0] = value;
                    equal[0] = positives;
                    equal[1] = negatives;
                });
        if (equal[0] + equal[1] > 0) {
            numeric.accept(previous[0], equal[0], equal[1]);
        }
        if (counts[0] == 0 || counts[1] == 0) {
            return Double.NaN;
        }
        return wins[0] / ((double) counts[0] * counts[1]);
    }
}
