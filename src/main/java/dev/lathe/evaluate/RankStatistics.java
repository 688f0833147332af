package dev.lathe.evaluate;

import java.util.Arrays;

/**
 * Exact area under the ROC curve: the probability that a random positive scores above a random negative,
 * ties counting one half (the Mann-Whitney U statistic with average ranks for tied scores).
 */
final class RankStatistics {
    private RankStatistics() {}

    /**
     * AUC of {@code scores[i * stride + scoreOffset]} for separating rows whose {@code labels[i] == positive}
     * from the rest; NaN unless both groups are non-empty.
     */
    static double areaUnderRocCurve(int[] labels, int positive, double[] scores, int stride, int scoreOffset) {
        int n = labels.length;
        int positives = 0;
        for (int label : labels) {
            if (label == positive) {
                positives++;
            }
        }
        int negatives = n - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        // Two primitive sorted arrays and one merge pass: exact, and no boxed index sort.
        double[] positiveScores = new double[positives];
        double[] negativeScores = new double[negatives];
        int p = 0;
        int q = 0;
        for (int i = 0; i < n; i++) {
            double score = scores[i * stride + scoreOffset];
            if (labels[i] == positive) {
                positiveScores[p++] = score;
            } else {
                negativeScores[q++] = score;
            }
        }
        Arrays.sort(positiveScores);
        Arrays.sort(negativeScores);
        double wins = 0;
        int below = 0;
        for (int i = 0; i < positives; i++) {
            double score = positiveScores[i];
            while (below < negatives && negativeScores[below] < score) {
                below++;
            }
            int equalEnd = below;
            while (equalEnd < negatives && negativeScores[equalEnd] == score) {
                equalEnd++;
            }
            wins += below + 0.5 * (equalEnd - below);
        }
        return wins / ((double) positives * negatives);
    }
}
