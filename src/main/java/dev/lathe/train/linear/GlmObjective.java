package dev.lathe.train.linear;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.OneHotRows;
import dev.lathe.core.RowEntries;
import dev.lathe.core.model.TrainingSet;

/**
 * The weighted mean training loss of a GLM on one data split (MSE, log loss or cross-entropy, as
 * ML.TRAINING_INFO reports it) and its gradient with respect to the parameters.
 */
final class GlmObjective {
    private final Link link;
    private final DenseMatrix x;
    private final double[] labels;
    private final double[] weights;
    private final int outputs;
    private final double totalWeight;

    GlmObjective(Link link, DenseMatrix x, double[] labels, double[] weights, int outputs) {
        if (labels.length != x.rows() || !(TrainingSet.unweighted(weights) || weights.length == x.rows())) {
            throw new IllegalArgumentException(x.rows() + " rows but " + labels.length + " labels and " + weights.length + " weights");
        }
        this.link = link;
        this.x = x;
        this.labels = labels;
        this.weights = weights;
        this.outputs = outputs;
        this.totalWeight = TrainingSet.totalWeight(weights, x.rows());
    }

    static int outputs(Link link, int classes) {
        return link == Link.SOFTMAX ? classes : 1;
    }

    int features() {
        return x.cols();
    }

    int parameters() {
        return outputs * (x.cols() + 1);
    }

    double totalWeight() {
        return totalWeight;
    }

    /**
     * Each feature column's weighted mean of x^2 over the rows: the loss's curvature along that column's weight, up to the
     * link's factor (2 for squared error, at most 1/4 per class for log loss). A standardized column's is about 1, a
     * one-hot column's is its category's share of the rows. Read as {@link #evaluate} reads the matrix, one-hot rows
     * included.
     */
    double[] secondMoments() {
        double[] sums = new double[x.cols()];
        for (int i = 0; i < x.rows(); i++) {
            double w = TrainingSet.weight(weights, i);
            OneHotRows.EntryConsumer add = (column, value) -> sums[column] += w * value * value;
            if (x.oneHotRows().isPresent()) {
                x.oneHotRows().get().forEachEntry(i, add);
            } else {
                for (int j = 0; j < sums.length; j++) {
                    add.accept(j, x.data()[i * sums.length + j]);
                }
            }
        }
        for (int j = 0; j < sums.length && totalWeight > 0; j++) {
            sums[j] /= totalWeight;
        }
        return sums;
    }

    double loss(double[] theta) {
        return evaluate(theta, null);
    }

    /** The loss; {@code gradient} (length {@link #parameters()}) is overwritten with its gradient. */
    double lossAndGradient(double[] theta, double[] gradient) {
        java.util.Arrays.fill(gradient, 0);
        return evaluate(theta, gradient);
    }

    /**
     * The loss and, where {@code gradient} is not null, its gradient. A matrix held as one-hot rows ({@link OneHotRows})
     * is read as such: each row's scores and gradient terms over its value columns and set columns only, which add what
     * the dense row's would, less zeros, in the same order (bit-identical results; adult: 14 of 116 columns a row).
     */
    private double evaluate(double[] theta, double[] gradient) {
        int p = x.cols();
        int block = p + 1;
        OneHotRows oneHot = x.oneHotRows().orElse(null);
        double[] data = oneHot == null ? x.data() : null;
        double[] scores = new double[outputs];
        double[] derivative = new double[outputs];
        double sum = 0;
        for (int i = 0; i < x.rows(); i++) {
            double w = TrainingSet.weight(weights, i);
            if (w == 0) {
                continue;
            }
            int offset = i * p;
            LinearScores.rowScores(theta, p, outputs, data, oneHot, i, scores);
            double y = labels[i];
            switch (link) {
                case IDENTITY -> {
                    double residual = scores[0] - y;
                    sum += w * residual * residual;
                    derivative[0] = 2 * residual;
                }
                case LOGIT -> {
                    // exp(-|score|) once for both: softplus and sigmoid take that value of exp whatever the sign
                    double score = scores[0];
                    double e = Math.exp(-Math.abs(score));
                    sum += w * (LinearScores.softplus(score, e) - y * score);
                    derivative[0] = LinearScores.sigmoid(score, e) - y;
                }
                case SOFTMAX -> {
                    int label = (int) y;
                    double chosen = scores[label];
                    double logSumExp = LinearScores.softmaxInPlace(scores, outputs);
                    sum += w * (logSumExp - chosen);
                    for (int k = 0; k < outputs; k++) {
                        derivative[k] = scores[k] - (k == label ? 1 : 0);
                    }
                }
            }
            if (gradient != null) {
                for (int k = 0; k < outputs; k++) {
                    double d = w * derivative[k];
                    if (d == 0) {
                        continue;
                    }
                    int base = k * block;
                    gradient[base] += d;
                    if (oneHot == null) {
                        for (int j = 0; j < p; j++) {
                            gradient[base + 1 + j] += d * data[offset + j];
                        }
                    } else {
                        addGradient(oneHot, i, d, gradient, base + 1);
                    }
                }
            }
        }
        if (totalWeight <= 0) {
            return 0;
        }
        if (gradient != null) {
            for (int i = 0; i < gradient.length; i++) {
                gradient[i] /= totalWeight;
            }
        }
        return sum / totalWeight;
    }

    /**
     * Row {@code row}'s gradient terms, {@code d} times each value column, each set column (times 1.0) and each list
     * entry, at {@code base}.
     */
    private static void addGradient(OneHotRows x, int row, double d, double[] gradient, int base) {
        int[] valueColumns = x.valueColumns();
        double[] values = x.values();
        int[] hot = x.hot();
        int valueBase = row * x.valueCount();
        for (int slot = 0; slot < valueColumns.length; slot++) {
            gradient[base + valueColumns[slot]] += d * values[valueBase + slot];
        }
        int hotBase = row * x.groups();
        for (int group = 0; group < x.groups(); group++) {
            int column = hot[hotBase + group];
            if (column >= 0) {
                gradient[base + column] += d;
            }
        }
        for (int l = 0; l < x.lists(); l++) {
            RowEntries list = x.list(l);
            int[] columns = list.columns();
            double[] entries = list.values();
            for (int j = list.offsets()[row], end = list.offsets()[row + 1]; j < end; j++) {
                gradient[base + columns[j]] += d * entries[j];
            }
        }
    }
}
