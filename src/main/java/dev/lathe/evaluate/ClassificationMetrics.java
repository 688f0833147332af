package dev.lathe.evaluate;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ML.EVALUATE columns of classifiers (LOGISTIC_REG, boosted-tree / random-forest / DNN classifiers).
 * Binary metrics treat class index 1 as the positive class (BigQuery ML's positive class is the higher
 * label, so callers index labels in ascending order) and predict positive iff P(positive) &gt; threshold,
 * as ML.PREDICT does. Multiclass metrics are macro-averaged over classes, except accuracy (micro).
 */
public record ClassificationMetrics(
        double precision,
        double recall,
        double accuracy,
        double f1Score,
        double logLoss,
        double rocAuc) {

    /** Output column names, in BigQuery ML's order; {@link #values()} follows the same order. */
    public static final List<String> COLUMN_NAMES = List.of("precision", "recall", "accuracy", "f1_score", "log_loss", "roc_auc");

    /** Probabilities are clipped to [EPSILON, 1 - EPSILON] before taking logs, so one confident miss stays finite. */
    static final double EPSILON = 1e-15;

    /** Values in the order of {@link #COLUMN_NAMES}. */
    public double[] values() {
        return new double[] {precision, recall, accuracy, f1Score, logLoss, rocAuc};
    }

    /** The metrics by column name, in the order of {@link #COLUMN_NAMES}. */
    public Map<String, Double> byName() {
        return named(COLUMN_NAMES, values());
    }

    /**
     * Metrics of row-major class probabilities ({@code classes} per row) against actual class indexes: {@link #binary}
     * with class 1's probability as the score when there are two classes, else {@link #multiclass}. This is the
     * rule ML.EVALUATE applies to a classifier's predictions.
     */
    public static ClassificationMetrics of(int[] actual, double[] probabilities, int classes, double threshold) {
        if (classes != 2) {
            return multiclass(actual, probabilities, classes);
        }
        Checks.sameLength("probabilities", probabilities.length, "actual.length * 2", actual.length * 2);
        return of(ScoredRows.of(labels(actual), probabilities, classes), classes, threshold);
    }

    /** As {@link #of(int[], double[], int, double)} over {@code rows}, whose labels are class indexes and predictions the probabilities. */
    public static ClassificationMetrics of(ScoredRows rows, int classes, double threshold) {
        return of(rows, classes, threshold, OrderedValues.defaultCapacity());
    }

    /** As {@link #of(ScoredRows, int, double)}, holding at most {@code capacity} scores at a time for the AUC. */
    static ClassificationMetrics of(ScoredRows rows, int classes, double threshold, int capacity) {
        return classes == 2 ? binary(rows, 1, threshold, capacity) : multiclass(rows, classes, capacity);
    }

    /**
     * Binary metrics. {@code actualIndex[i]} is 0 (negative) or 1 (positive); {@code positiveProbability[i]} is
     * the predicted P(positive). Precision is NaN when nothing is predicted positive and 0 when positives are
     * predicted but none is right; recall is NaN without actual positives; roc_auc is NaN unless both classes
     * occur.
     */
    public static ClassificationMetrics binary(int[] actualIndex, double[] positiveProbability, double threshold) {
        Checks.sameLength("actualIndex", actualIndex.length, "positiveProbability", positiveProbability.length);
        return binary(ScoredRows.of(labels(actualIndex), positiveProbability, 1), 0, threshold, OrderedValues.defaultCapacity());
    }

    /** As {@link #binary(int[], double[], double)} with prediction {@code scoreColumn} of each row as P(positive). */
    private static ClassificationMetrics binary(ScoredRows rows, int scoreColumn, double threshold, int capacity) {
        Checks.notEmpty("actualIndex", rows.count());
        long n = rows.count();
        int width = rows.width();
        long[] counts = new long[4]; // true positives, false positives, true negatives, false negatives
        double[] sumLoss = new double[1];
        rows.forEachChunk((first, labels, predictions, count) -> {
            for (int i = 0; i < count; i++) {
                int actual = (int) labels[i];
                Checks.classIndex("actualIndex", first + i, actual, 2);
                boolean positive = actual == 1;
                double score = predictions[i * width + scoreColumn];
                boolean predictedPositive = score > threshold;
                if (positive) {
                    counts[predictedPositive ? 0 : 3]++;
                } else {
                    counts[predictedPositive ? 1 : 2]++;
                }
                double probability = clip(score);
                sumLoss[0] -= positive ? Math.log(probability) : Math.log(1 - probability);
            }
        });
        long truePositives = counts[0];
        long falsePositives = counts[1];
        long trueNegatives = counts[2];
        long falseNegatives = counts[3];
        double precision = ratio(truePositives, truePositives + falsePositives);
        double recall = ratio(truePositives, truePositives + falseNegatives);
        return new ClassificationMetrics(
                precision,
                recall,
                (double) (truePositives + trueNegatives) / n,
                f1(precision, recall),
                sumLoss[0] / n,
                RankStatistics.areaUnderRocCurve(rows, 1, scoreColumn, capacity));
    }

    /**
     * Multiclass metrics. {@code probabilities} is row-major, {@code classes} values per row; the predicted
     * class is the arg-max (the lowest index on ties). Precision, recall and F1 are averaged over the classes
     * that occur as actual or predicted class (scikit-learn's label set), a class that is never predicted
     * counting precision 0 (scikit-learn's zero_division=0). log_loss is macro-averaged one-vs-rest, as spec 4.3 and
     * BigQuery's model.proto define it ("for multiclass this is a macro-averaged metric"): each class's binary log loss of
     * its probability against "is this class", averaged over the classes (it was the multinomial cross-entropy, 0.0970
     * against the spec's 0.0646 on iris); roc_auc averages one-vs-rest AUCs over the classes for which AUC is defined
     * (both present).
     */
    public static ClassificationMetrics multiclass(int[] actual, double[] probabilities, int classes) {
        if (classes < 2) {
            throw dev.lathe.core.LatheException.userError("classes is %d; a classifier needs at least 2 classes".formatted(classes));
        }
        Checks.notEmpty("actual", actual.length);
        Checks.sameLength("probabilities", probabilities.length, "actual.length * classes", actual.length * classes);
        return multiclass(ScoredRows.of(labels(actual), probabilities, classes), classes, OrderedValues.defaultCapacity());
    }

    private static ClassificationMetrics multiclass(ScoredRows rows, int classes, int capacity) {
        if (classes < 2) {
            throw dev.lathe.core.LatheException.userError("classes is %d; a classifier needs at least 2 classes".formatted(classes));
        }
        Checks.notEmpty("actual", rows.count());
        long n = rows.count();
        long[] truePositives = new long[classes];
        long[] predictedCount = new long[classes];
        long[] actualCount = new long[classes];
        long[] correct = new long[1];
        double[] sumLoss = new double[1];
        rows.forEachChunk((first, labels, probabilities, count) -> {
            for (int i = 0; i < count; i++) {
                int actual = (int) labels[i];
                Checks.classIndex("actual", first + i, actual, classes);
                int offset = i * classes;
                int predicted = 0;
                for (int c = 1; c < classes; c++) {
                    if (probabilities[offset + c] > probabilities[offset + predicted]) {
                        predicted = c;
                    }
                }
                predictedCount[predicted]++;
                actualCount[actual]++;
                if (predicted == actual) {
                    truePositives[predicted]++;
                    correct[0]++;
                }
                for (int c = 0; c < classes; c++) {
                    double probability = clip(probabilities[offset + c]);
                    sumLoss[0] -= c == actual ? Math.log(probability) : Math.log(1 - probability);
                }
            }
        });
        double sumPrecision = 0;
        double sumRecall = 0;
        double sumF1 = 0;
        int labels = 0;
        for (int c = 0; c < classes; c++) {
            if (actualCount[c] == 0 && predictedCount[c] == 0) {
                continue;
            }
            labels++;
            double precision = predictedCount[c] == 0 ? 0 : (double) truePositives[c] / predictedCount[c];
            double recall = actualCount[c] == 0 ? 0 : (double) truePositives[c] / actualCount[c];
            sumPrecision += precision;
            sumRecall += recall;
            sumF1 += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        double sumAuc = 0;
        int aucClasses = 0;
        for (int c = 0; c < classes; c++) {
            if (actualCount[c] == 0 || actualCount[c] == n) {
                continue;
            }
            sumAuc += RankStatistics.areaUnderRocCurve(rows, c, c, capacity);
            aucClasses++;
        }
        return new ClassificationMetrics(
                sumPrecision / labels,
                sumRecall / labels,
                (double) correct[0] / n,
                sumF1 / labels,
                sumLoss[0] / ((double) n * classes),
                aucClasses == 0 ? Double.NaN : sumAuc / aucClasses);
    }

    /** Class indexes as the labels of {@link ScoredRows}. */
    static double[] labels(int[] indexes) {
        double[] labels = new double[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            labels[i] = indexes[i];
        }
        return labels;
    }

    static Map<String, Double> named(List<String> names, double[] values) {
        Map<String, Double> named = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            named.put(names.get(i), values[i]);
        }
        return named;
    }

    private static double clip(double probability) {
        return Math.min(Math.max(probability, EPSILON), 1 - EPSILON);
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }

    private static double f1(double precision, double recall) {
        if (Double.isNaN(precision) || Double.isNaN(recall)) {
            return Double.NaN;
        }
        return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
    }

    @Override
    public String toString() {
        return "ClassificationMetrics" + Arrays.toString(values());
    }
}
