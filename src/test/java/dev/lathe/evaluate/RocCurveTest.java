package dev.lathe.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RocCurveTest {
    private static final int[] ACTUAL = {1, 1, 1, 0, 0, 0, 1, 0};
    private static final double[] SCORE = {0.9, 0.6, 0.4, 0.7, 0.2, 0.1, 0.8, 0.5};

    @Test
    void countsPositivesStrictlyAboveEachThreshold() {
        List<RocCurve.Point> curve = RocCurve.compute(ACTUAL, SCORE, Optional.of(new double[] {0.5, 0.0, 0.85}));
        assertThat(curve).extracting(RocCurve.Point::threshold).containsExactly(0.0, 0.5, 0.85);
        // 0.5 matches ML.PREDICT's default: TP 3, FP 1, TN 3 (0.5 itself is negative), FN 1
        assertThat(curve.get(1)).isEqualTo(new RocCurve.Point(0.5, 0.75, 0.25, 3, 1, 3, 1));
        assertThat(curve.get(0)).isEqualTo(new RocCurve.Point(0.0, 1.0, 1.0, 4, 4, 0, 0));
        assertThat(curve.get(2)).isEqualTo(new RocCurve.Point(0.85, 0.25, 0.0, 1, 0, 4, 3));
    }

    @Test
    void defaultThresholdsAreTheDistinctScoresWhenFew() {
        List<RocCurve.Point> curve = RocCurve.compute(new int[] {1, 0, 1, 0}, new double[] {0.3, 0.3, 0.8, 0.1}, Optional.empty());
        assertThat(curve).extracting(RocCurve.Point::threshold).containsExactly(0.1, 0.3, 0.8);
        assertThat(curve.get(0).truePositives()).isEqualTo(2);
        assertThat(curve.get(0).falsePositives()).isEqualTo(1);
    }

    @Test
    void defaultThresholdsArePercentilesWhenManyDistinctScores() {
        int n = 1001;
        double[] score = new double[n];
        int[] actual = new int[n];
        for (int i = 0; i < n; i++) {
            score[i] = i / 1000.0;
            actual[i] = i % 2;
        }
        List<RocCurve.Point> curve = RocCurve.compute(actual, score, Optional.empty());
        assertThat(curve).hasSize(101);
        assertThat(curve.get(0).threshold()).isEqualTo(0.0);
        assertThat(curve.get(50).threshold()).isEqualTo(0.5);
        assertThat(curve.get(100).threshold()).isEqualTo(1.0);
        for (RocCurve.Point point : curve) {
            assertThat(point.truePositives() + point.falseNegatives()).isEqualTo(500);
            assertThat(point.falsePositives() + point.trueNegatives()).isEqualTo(501);
        }
    }

    /** Probe rb: percentiles of the distinct scores, so where scores repeat the 50th point had 53 % of the rows below it. */
    @Test
    void defaultThresholdsArePercentilesOfTheScoresNotOfTheirDistinctValues() {
        // 900 rows score 0.0; 200 distinct scores 0.001..0.2 one row each: the median score is 0.0
        double[] score = new double[1100];
        for (int i = 900; i < score.length; i++) {
            score[i] = (i - 899) / 1000.0;
        }
        double[] thresholds = RocCurve.defaultThresholds(score);
        assertThat(thresholds[0]).isEqualTo(0.0);
        // the first 82 percentiles are all 0.0 (one point); then the top 18 % of the rows, nearest rank
        assertThat(thresholds).hasSize(20).doesNotHaveDuplicates().isSorted();
        assertThat(thresholds[thresholds.length - 1]).isEqualTo(0.2);
        assertThat(thresholds[1]).isEqualTo(score[(int) Math.round(82 * 1099 / 100.0)]);
    }
}
