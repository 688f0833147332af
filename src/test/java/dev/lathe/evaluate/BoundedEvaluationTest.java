package dev.lathe.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.LatheException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ML.EVALUATE and ML.ROC_CURVE in bounded memory (probe ta F4: every row's label and prediction stayed on the heap): rows
 * written to a file past a share of the heap and read back in passes, rank metrics read from the distinct values in
 * ascending order a bounded run at a time. Their results are those of the sorted arrays they replaced, to the bit, with
 * ties, NaN scores and both zeros, whether the rows stay on the heap or go to a file and whatever the run's size.
 */
class BoundedEvaluationTest {
    /** Run sizes: a few values at a time, more, and every row at once. */
    private static final int[] CAPACITIES = {50, 1000, Integer.MAX_VALUE};

    @TempDir
    Path directory;

    private final List<EvaluationBuffer> buffers = new ArrayList<>();

    @AfterEach
    void closeBuffers() {
        buffers.forEach(EvaluationBuffer::close);
    }

    @Test
    void orderedValuesAreTheSortedValuesGroupedWhateverTheCapacity() {
        Random random = new Random(3);
        double[] values = new double[5_000];
        boolean[] positive = new boolean[values.length];
        for (int i = 0; i < values.length; i++) {
            // values that share all but their lowest bits (one bucket down to the last level), repeats, both zeros, NaN
            values[i] = switch (i % 6) {
                case 0 -> Math.nextUp(1.0) + Math.ulp(1.0) * random.nextInt(40);
                case 1 -> random.nextInt(5) - 2.0;
                case 2 -> random.nextBoolean() ? 0.0 : -0.0;
                case 3 -> i % 12 == 3 ? Double.NaN : Double.NEGATIVE_INFINITY;
                default -> random.nextGaussian() * 1e6;
            };
            positive[i] = random.nextInt(3) == 0;
        }
        double[] labels = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = positive[i] ? 1 : 0;
        }
        List<String> expected = sortedGroups(values, positive);
        for (int capacity : new int[] {1, 7, 1000, Integer.MAX_VALUE}) { // one value at a time, down to a key's last 16 bits
            for (ScoredRows rows : List.of(ScoredRows.of(labels, values, 1), spilled(labels, values, 1))) {
                List<String> groups = new ArrayList<>();
                OrderedValues.ascending(rows, (l, p, row) -> p[row], (l, row) -> l[row] == 1, capacity,
                        (value, positives, negatives) -> groups.add(Double.doubleToRawLongBits(value) + ":" + positives + ":" + negatives));
                assertThat(groups).as("capacity %d", capacity).isEqualTo(expected);
            }
        }
    }

    @Test
    void regressionMetricsAreTheArraysToTheBit() {
        Random random = new Random(11);
        double[] actual = new double[3_001];
        double[] predicted = new double[actual.length];
        for (int i = 0; i < actual.length; i++) {
            actual[i] = Math.round(random.nextGaussian() * 20) / 4.0; // ties among the absolute errors
            predicted[i] = i % 5 == 0 ? actual[i] + 0.25 * (i % 3) : random.nextGaussian() * 10;
        }
        double[] expected = oldRegression(actual, predicted);
        for (int capacity : CAPACITIES) {
            assertThat(RegressionMetrics.compute(ScoredRows.of(actual, predicted, 1), capacity).values()).as("capacity %d", capacity)
                    .isEqualTo(expected);
            assertThat(RegressionMetrics.compute(spilled(actual, predicted, 1), capacity).values()).isEqualTo(expected);
        }
    }

    @Test
    void classificationMetricsAndRocPointsAreTheArraysToTheBit() {
        Random random = new Random(5);
        int n = 2_500;
        for (int classes : new int[] {2, 3}) {
            double[] labels = new double[n];
            double[] probabilities = new double[n * classes];
            for (int i = 0; i < n; i++) {
                labels[i] = random.nextInt(classes);
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    // scores on a coarse grid, so many tie; some NaN and some zeros of either sign
                    double p = i % 97 == 0 && c == classes - 1 ? Double.NaN : i % 89 == 0 ? (c % 2 == 0 ? -0.0 : 0.0)
                            : Math.round(random.nextDouble() * 50) / 50.0;
                    probabilities[i * classes + c] = p;
                    sum += Double.isNaN(p) ? 0 : p;
                }
                if (i % 7 == 0 && sum > 0) {
                    for (int c = 0; c < classes; c++) {
                        probabilities[i * classes + c] /= sum;
                    }
                }
            }
            int[] indexes = new int[n];
            for (int i = 0; i < n; i++) {
                indexes[i] = (int) labels[i];
            }
            double[] expected = oldClassification(indexes, probabilities, classes, 0.5);
            for (int capacity : CAPACITIES) {
                for (ScoredRows rows : List.of(ScoredRows.of(labels, probabilities, classes), spilled(labels, probabilities, classes))) {
                    assertThat(ClassificationMetrics.of(rows, classes, 0.5, capacity).values()).as("%d classes, capacity %d", classes, capacity)
                            .isEqualTo(expected);
                    if (classes == 2) {
                        double[] positive = new double[n];
                        for (int i = 0; i < n; i++) {
                            positive[i] = probabilities[i * 2 + 1];
                        }
                        for (Optional<double[]> thresholds : List.of(Optional.<double[]>empty(),
                                Optional.of(new double[] {0.5, -0.0, 0.0, 1.0, Double.NaN, 0.3, 0.02, 2.0}))) {
                            assertThat(RocCurve.compute(rows, 1, thresholds, capacity)).isEqualTo(oldRoc(indexes, positive, thresholds));
                        }
                    }
                }
            }
        }
    }

    /** Past the many distinct scores of the percentile thresholds, and with a few (each NaN one of its own). */
    @Test
    void defaultRocThresholdsAreTheSortedArraysToTheBit() {
        Random random = new Random(9);
        for (int distinct : new int[] {3, 60, 101, 102, 5000}) {
            double[] score = new double[4_000];
            int[] actual = new int[score.length];
            for (int i = 0; i < score.length; i++) {
                score[i] = i % 50 == 0 && distinct < 101 ? Double.NaN : random.nextInt(distinct) / (double) distinct;
                actual[i] = random.nextInt(2);
            }
            ScoredRows rows = ScoredRows.of(ClassificationMetrics.labels(actual), score, 1);
            for (int capacity : CAPACITIES) {
                assertThat(RocCurve.compute(rows, 0, Optional.empty(), capacity)).as("%d distinct, capacity %d", distinct, capacity)
                        .isEqualTo(oldRoc(actual, score, Optional.empty()));
            }
        }
    }

    @Test
    void rowsPastTheHeapShareGoToAFileThatIsGoneOnClose() {
        double[] labels = {1, 2, 3, 4, 5};
        double[] predictions = {0.1, 0.9, 0.2, 0.8, 0.3, 0.7, 0.4, 0.6, 0.5, 0.5};
        EvaluationBuffer buffer = new EvaluationBuffer(2, 2 * 24, () -> directory.resolve("spill"));
        buffer.append(labels, predictions, 2);
        assertThat(buffer.spilled()).isFalse();
        buffer.append(Arrays.copyOfRange(labels, 2, 5), Arrays.copyOfRange(predictions, 4, 10), 3);
        assertThat(buffer.spilled()).isTrue();
        List<Double> read = new ArrayList<>();
        buffer.forEachChunk((first, l, p, rows) -> {
            for (int i = 0; i < rows; i++) {
                read.add(l[i]);
                read.add(p[i * 2]);
                read.add(p[i * 2 + 1]);
            }
        });
        assertThat(read).containsExactly(1.0, 0.1, 0.9, 2.0, 0.2, 0.8, 3.0, 0.3, 0.7, 4.0, 0.4, 0.6, 5.0, 0.5, 0.5);
        buffer.close();
        assertThat(directory.resolve("spill")).isEmptyDirectory();
    }

    @Test
    void aFolderThatCannotTakeTheRowsIsNamed() throws Exception {
        Path notAFolder = Files.writeString(directory.resolve("file"), "x");
        EvaluationBuffer buffer = new EvaluationBuffer(1, 0, () -> notAFolder);
        assertThatThrownBy(() -> buffer.append(new double[] {1}, new double[] {1}, 1)).isInstanceOf(LatheException.class)
                .hasMessageContaining("could not be written to " + notAFolder);
    }

    private ScoredRows spilled(double[] labels, double[] predictions, int width) {
        EvaluationBuffer buffer = new EvaluationBuffer(width, 0, () -> directory);
        buffers.add(buffer);
        int step = 333; // chunks that do not line up with the buffer's reads
        for (int from = 0; from < labels.length; from += step) {
            int to = Math.min(labels.length, from + step);
            buffer.append(Arrays.copyOfRange(labels, from, to), Arrays.copyOfRange(predictions, from * width, to * width), to - from);
        }
        assertThat(buffer.spilled()).isTrue();
        return buffer;
    }

    private static List<String> sortedGroups(double[] values, boolean[] positive) {
        Integer[] order = new Integer[values.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < order.length;) {
            int j = i;
            long positives = 0;
            while (j < order.length && Double.compare(values[order[j]], values[order[i]]) == 0) {
                positives += positive[order[j]] ? 1 : 0;
                j++;
            }
            groups.add(Double.doubleToRawLongBits(values[order[i]]) + ":" + positives + ":" + (j - i - positives));
            i = j;
        }
        return groups;
    }

    // ---- the array implementations these replaced, as they were ----------------------------------------

    private static double[] oldRegression(double[] actual, double[] predicted) {
        int n = actual.length;
        double[] absoluteErrors = new double[n];
        double sumAbsolute = 0;
        double sumSquared = 0;
        double sumSquaredLog = 0;
        boolean logDefined = true;
        double sumActual = 0;
        double sumError = 0;
        for (int i = 0; i < n; i++) {
            double error = actual[i] - predicted[i];
            absoluteErrors[i] = Math.abs(error);
            sumAbsolute += absoluteErrors[i];
            sumSquared += error * error;
            sumActual += actual[i];
            sumError += error;
            if (actual[i] <= -1 || predicted[i] <= -1) {
                logDefined = false;
            } else {
                double logError = Math.log1p(actual[i]) - Math.log1p(predicted[i]);
                sumSquaredLog += logError * logError;
            }
        }
        double meanActual = sumActual / n;
        double meanError = sumError / n;
        double squaredDeviationActual = 0;
        double squaredDeviationError = 0;
        for (int i = 0; i < n; i++) {
            double deviationActual = actual[i] - meanActual;
            double deviationError = (actual[i] - predicted[i]) - meanError;
            squaredDeviationActual += deviationActual * deviationActual;
            squaredDeviationError += deviationError * deviationError;
        }
        Arrays.sort(absoluteErrors);
        return new double[] {sumAbsolute / n, sumSquared / n, logDefined ? sumSquaredLog / n : Double.NaN, absoluteErrors[(n - 1) / 2],
            1 - sumSquared / (n * (squaredDeviationActual / n)), 1 - (squaredDeviationError / n) / (squaredDeviationActual / n)};
    }

    private static double oldAuc(int[] labels, int positive, double[] scores, int stride, int scoreOffset) {
        int positives = 0;
        for (int label : labels) {
            positives += label == positive ? 1 : 0;
        }
        int negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        double[] positiveScores = new double[positives];
        double[] negativeScores = new double[negatives];
        int p = 0;
        int q = 0;
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] == positive) {
                positiveScores[p++] = scores[i * stride + scoreOffset];
            } else {
                negativeScores[q++] = scores[i * stride + scoreOffset];
            }
        }
        Arrays.sort(positiveScores);
        Arrays.sort(negativeScores);
        double wins = 0;
        int below = 0;
        for (double score : positiveScores) {
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

    private static double[] oldClassification(int[] actual, double[] probabilities, int classes, double threshold) {
        int n = actual.length;
        double clipLow = ClassificationMetrics.EPSILON;
        if (classes == 2) {
            long tp = 0;
            long fp = 0;
            long tn = 0;
            long fn = 0;
            double sumLoss = 0;
            double[] positive = new double[n];
            for (int i = 0; i < n; i++) {
                positive[i] = probabilities[i * 2 + 1];
                boolean predictedPositive = positive[i] > threshold;
                if (actual[i] == 1) {
                    if (predictedPositive) {
                        tp++;
                    } else {
                        fn++;
                    }
                } else if (predictedPositive) {
                    fp++;
                } else {
                    tn++;
                }
                double probability = Math.min(Math.max(positive[i], clipLow), 1 - clipLow);
                sumLoss -= actual[i] == 1 ? Math.log(probability) : Math.log(1 - probability);
            }
            double precision = tp + fp == 0 ? Double.NaN : (double) tp / (tp + fp);
            double recall = tp + fn == 0 ? Double.NaN : (double) tp / (tp + fn);
            double f1 = Double.isNaN(precision) || Double.isNaN(recall) ? Double.NaN
                    : precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
            return new double[] {precision, recall, (double) (tp + tn) / n, f1, sumLoss / n, oldAuc(actual, 1, positive, 1, 0)};
        }
        long[] truePositives = new long[classes];
        long[] predictedCount = new long[classes];
        long[] actualCount = new long[classes];
        long correct = 0;
        double sumLoss = 0;
        for (int i = 0; i < n; i++) {
            int predicted = 0;
            for (int c = 1; c < classes; c++) {
                if (probabilities[i * classes + c] > probabilities[i * classes + predicted]) {
                    predicted = c;
                }
            }
            predictedCount[predicted]++;
            actualCount[actual[i]]++;
            if (predicted == actual[i]) {
                truePositives[predicted]++;
                correct++;
            }
            for (int c = 0; c < classes; c++) {
                double probability = Math.min(Math.max(probabilities[i * classes + c], clipLow), 1 - clipLow);
                sumLoss -= c == actual[i] ? Math.log(probability) : Math.log(1 - probability);
            }
        }
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
            if (actualCount[c] != 0 && actualCount[c] != n) {
                sumAuc += oldAuc(actual, c, probabilities, classes, c);
                aucClasses++;
            }
        }
        return new double[] {sumPrecision / labels, sumRecall / labels, (double) correct / n, sumF1 / labels,
            sumLoss / ((double) n * classes), aucClasses == 0 ? Double.NaN : sumAuc / aucClasses};
    }

    private static List<RocCurve.Point> oldRoc(int[] actual, double[] score, Optional<double[]> thresholds) {
        int n = actual.length;
        int positives = 0;
        for (int label : actual) {
            positives += label;
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
        double[] points = thresholds.map(double[]::clone).orElseGet(() -> oldDefaultThresholds(score));
        Arrays.sort(points);
        List<RocCurve.Point> curve = new ArrayList<>();
        for (double threshold : points) {
            long truePositives = positives - countAtMost(positiveScores, threshold);
            long falsePositives = negatives - countAtMost(negativeScores, threshold);
            curve.add(new RocCurve.Point(threshold, positives == 0 ? Double.NaN : (double) truePositives / positives,
                    negatives == 0 ? Double.NaN : (double) falsePositives / negatives, truePositives, falsePositives,
                    negatives - falsePositives, positives - truePositives));
        }
        return curve;
    }

    private static double[] oldDefaultThresholds(double[] score) {
        double[] sorted = score.clone();
        Arrays.sort(sorted);
        int distinct = 0;
        for (int i = 0; i < sorted.length; i++) {
            if (i == 0 || sorted[i] != sorted[distinct - 1]) {
                sorted[distinct++] = sorted[i];
            }
        }
        if (distinct <= RocCurve.DEFAULT_QUANTILES + 1) {
            return Arrays.copyOf(sorted, distinct);
        }
        double[] scores = score.clone();
        Arrays.sort(scores);
        double[] quantiles = new double[RocCurve.DEFAULT_QUANTILES + 1];
        int kept = 0;
        for (int k = 0; k <= RocCurve.DEFAULT_QUANTILES; k++) {
            double quantile = scores[(int) Math.round((double) k * (scores.length - 1) / RocCurve.DEFAULT_QUANTILES)];
            if (kept == 0 || quantile != quantiles[kept - 1]) {
                quantiles[kept++] = quantile;
            }
        }
        return Arrays.copyOf(quantiles, kept);
    }

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
