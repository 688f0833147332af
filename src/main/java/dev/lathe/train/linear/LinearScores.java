package dev.lathe.train.linear;

import dev.lathe.core.OneHotRows;
import dev.lathe.core.RowEntries;

/**
 * Parameter layout shared by training and prediction: {@code outputs} blocks of {@code features + 1}
 * values, each an intercept followed by one weight per encoded column.
 */
final class LinearScores {
    private LinearScores() {}

    static int blockSize(int features) {
        return features + 1;
    }

    /** The scores of one row ({@code data[offset .. offset + features)}) into {@code out}. */
    static void scores(double[] theta, int features, int outputs, double[] data, int offset, double[] out) {
        int block = features + 1;
        for (int k = 0; k < outputs; k++) {
            int base = k * block;
            double score = theta[base];
            for (int j = 0; j < features; j++) {
                score += theta[base + 1 + j] * data[offset + j];
            }
            out[k] = score;
        }
    }

    /**
     * As {@link #scores(double[], int, int, double[], int, double[])} for {@code row} of one-hot rows: the same sums, less
     * their zero products, in the same order ({@link OneHotRows}), so bit-identical.
     */
    static void scores(double[] theta, int features, int outputs, OneHotRows x, int row, double[] out) {
        int block = features + 1;
        int[] terms = x.terms();
        int[] valueColumns = x.valueColumns();
        double[] values = x.values();
        int[] hot = x.hot();
        int valueBase = row * x.valueCount();
        int groups = x.groups();
        int hotBase = row * groups - 1;
        for (int k = 0; k < outputs; k++) {
            int base = k * block + 1;
            double score = theta[base - 1];
            for (int term : terms) {
                if (term >= 0) {
                    score += theta[base + valueColumns[term]] * values[valueBase + term];
                } else if (term >= -groups) {
                    int column = hot[hotBase - term];
                    if (column >= 0) {
                        score += theta[base + column]; // times 1.0
                    }
                } else {
                    RowEntries list = x.list(-term - 1 - groups);
                    int[] columns = list.columns();
                    double[] entries = list.values();
                    for (int j = list.offsets()[row], end = list.offsets()[row + 1]; j < end; j++) {
                        score += theta[base + columns[j]] * entries[j];
                    }
                }
            }
            out[k] = score;
        }
    }

    /** Row {@code row}'s scores: from the dense {@code data}, or where that is null from {@code oneHot} (the same sums). */
    static void rowScores(double[] theta, int features, int outputs, double[] data, OneHotRows oneHot, int row, double[] out) {
        if (data != null) {
            scores(theta, features, outputs, data, row * features, out);
        } else {
            scores(theta, features, outputs, oneHot, row, out);
        }
    }

    static boolean isIntercept(int index, int features) {
        return index % (features + 1) == 0;
    }

    static double sigmoid(double score) {
        return score >= 0 ? 1 / (1 + Math.exp(-score)) : Math.exp(score) / (1 + Math.exp(score));
    }

    /**
     * {@link #sigmoid(double)} given {@code e = Math.exp(-Math.abs(score))}: the same value, since each branch takes exp
     * of {@code -|score|} (exp(-0.0) and exp(0.0) are both 1), so a caller that also needs {@link #softplus} takes exp once.
     */
    static double sigmoid(double score, double e) {
        return score >= 0 ? 1 / (1 + e) : e / (1 + e);
    }

    /**
     * {@code log(1 + e^score)} without overflow, given {@code e = Math.exp(-Math.abs(score))}: {@code score + log1p(e^-score)}
     * for a positive score, {@code log1p(e^score)} otherwise.
     */
    static double softplus(double score, double e) {
        return score > 0 ? score + Math.log1p(e) : Math.log1p(e);
    }

    /** Softmax in place; returns log-sum-exp of the input scores. */
    static double softmaxInPlace(double[] scores, int count) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < count; k++) {
            max = Math.max(max, scores[k]);
        }
        double sum = 0;
        for (int k = 0; k < count; k++) {
            scores[k] = Math.exp(scores[k] - max);
            sum += scores[k];
        }
        for (int k = 0; k < count; k++) {
            scores[k] /= sum;
        }
        return max + Math.log(sum);
    }
}
