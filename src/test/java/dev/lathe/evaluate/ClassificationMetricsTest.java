package dev.lathe.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void binaryMetricsMatchHandCountedConfusion() {
        int[] actual = {1, 1, 1, 0, 0, 0, 1, 0};
        double[] probability = {0.9, 0.6, 0.4, 0.7, 0.2, 0.1, 0.8, 0.5};
        // > 0.5 predicts positive: TP = 3 (0.9, 0.6, 0.8), FN = 1 (0.4), FP = 1 (0.7), TN = 3 (0.2, 0.1, 0.5 is not > 0.5)
        ClassificationMetrics metrics = ClassificationMetrics.binary(actual, probability, 0.5);
        assertThat(metrics.precision()).isCloseTo(3.0 / 4, within(TOLERANCE));
        assertThat(metrics.recall()).isCloseTo(3.0 / 4, within(TOLERANCE));
        assertThat(metrics.accuracy()).isCloseTo(6.0 / 8, within(TOLERANCE));
        assertThat(metrics.f1Score()).isCloseTo(0.75, within(TOLERANCE));
        double logLoss = 0;
        for (int i = 0; i < actual.length; i++) {
            logLoss -= (actual[i] == 1 ? Math.log(probability[i]) : Math.log(1 - probability[i])) / actual.length;
        }
        assertThat(metrics.logLoss()).isCloseTo(logLoss, within(TOLERANCE));
        // pairs (positive, negative) with positive scoring higher: 0.9 beats 4, 0.6 beats 3, 0.4 beats 2, 0.8 beats 4 -> 13/16
        assertThat(metrics.rocAuc()).isCloseTo(13.0 / 16, within(TOLERANCE));
    }

    @Test
    void rocAucAndLogLossMatchScikitLearnDocumentationExamples() {
        assertThat(ClassificationMetrics.binary(new int[] {0, 0, 1, 1}, new double[] {0.1, 0.4, 0.35, 0.8}, 0.5).rocAuc())
                .isCloseTo(0.75, within(TOLERANCE));
        // log_loss(["spam", "ham", "ham", "spam"], [[.1, .9], [.9, .1], [.8, .2], [.35, .65]]) = 0.21616...
        assertThat(ClassificationMetrics.binary(new int[] {1, 0, 0, 1}, new double[] {0.9, 0.1, 0.2, 0.65}, 0.5).logLoss())
                .isCloseTo(0.21616187468057912, within(1e-12));
    }

    @Test
    void tiedScoresCountHalf() {
        // one positive and one negative share 0.5: that pair counts 1/2; the other pairs are ordered correctly
        ClassificationMetrics metrics = ClassificationMetrics.binary(new int[] {0, 1, 0, 1}, new double[] {0.5, 0.5, 0.1, 0.9}, 0.5);
        assertThat(metrics.rocAuc()).isCloseTo(3.5 / 4, within(TOLERANCE));
    }

    @Test
    void precisionIsNanWithoutPositivePredictionsAndZeroWithoutTruePositives() {
        ClassificationMetrics none = ClassificationMetrics.binary(new int[] {1, 0}, new double[] {0.2, 0.3}, 0.5);
        assertThat(none.precision()).isNaN();
        assertThat(none.recall()).isZero();
        ClassificationMetrics wrong = ClassificationMetrics.binary(new int[] {1, 0}, new double[] {0.2, 0.9}, 0.5);
        assertThat(wrong.precision()).isZero();
        assertThat(wrong.f1Score()).isZero();
    }

    @Test
    void logLossClipsCertainMistakes() {
        ClassificationMetrics metrics = ClassificationMetrics.binary(new int[] {1}, new double[] {0.0}, 0.5);
        assertThat(metrics.logLoss()).isCloseTo(-Math.log(1e-15), within(1e-9));
        assertThat(metrics.rocAuc()).isNaN();
    }

    @Test
    void multiclassMatchesScikitLearnMacroAverages() {
        // sklearn docs: y_true [0,1,2,0,1,2], y_pred [0,2,1,0,0,1]: macro precision 0.222, recall 0.333, f1 0.267
        int[] actual = {0, 1, 2, 0, 1, 2};
        int[] predicted = {0, 2, 1, 0, 0, 1};
        double[] probabilities = new double[actual.length * 3];
        for (int i = 0; i < actual.length; i++) {
            for (int c = 0; c < 3; c++) {
                probabilities[i * 3 + c] = c == predicted[i] ? 0.6 : 0.2;
            }
        }
        ClassificationMetrics metrics = ClassificationMetrics.multiclass(actual, probabilities, 3);
        assertThat(metrics.precision()).isCloseTo(2.0 / 9, within(TOLERANCE));
        assertThat(metrics.recall()).isCloseTo(1.0 / 3, within(TOLERANCE));
        assertThat(metrics.f1Score()).isCloseTo(0.26666666666666666, within(TOLERANCE));
        assertThat(metrics.accuracy()).isCloseTo(2.0 / 6, within(TOLERANCE));
        // macro-averaged one-vs-rest (spec 4.3, model.proto): mean over classes of sklearn's
        // log_loss(y == k, P[:, k]); numpy gives 0.7172063464043711 (the multinomial cross-entropy would be 1.0363)
        assertThat(metrics.logLoss()).isCloseTo(0.7172063464043711, within(TOLERANCE));
    }

    @Test
    void multiclassRocAucIsMacroOneVersusRest() {
        int[] actual = {0, 1, 2, 2};
        double[] probabilities = {
            0.7, 0.2, 0.1,
            0.3, 0.4, 0.3,
            0.1, 0.5, 0.4,
            0.2, 0.2, 0.6};
        // class 0 scores (0.7 | 0.3, 0.1, 0.2): 1; class 1 (0.4 | 0.2, 0.5, 0.2): 2/3; class 2 (0.4, 0.6 | 0.1, 0.3): 1
        ClassificationMetrics metrics = ClassificationMetrics.multiclass(actual, probabilities, 3);
        assertThat(metrics.rocAuc()).isCloseTo((1 + 2.0 / 3 + 1) / 3, within(TOLERANCE));
    }
}
