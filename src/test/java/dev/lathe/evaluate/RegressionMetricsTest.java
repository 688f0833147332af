package dev.lathe.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.LatheException;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest {
    private static final double TOLERANCE = 1e-12;

    @Test
    void matchesScikitLearnDocumentationExamples() {
        // sklearn.metrics docs: r2_score 0.948..., explained_variance_score 0.957..., MAE 0.5, MSE 0.375.
        RegressionMetrics metrics = RegressionMetrics.compute(new double[] {3, -0.5, 2, 7}, new double[] {2.5, 0.0, 2, 8});
        assertThat(metrics.meanAbsoluteError()).isCloseTo(0.5, within(TOLERANCE));
        assertThat(metrics.meanSquaredError()).isCloseTo(0.375, within(TOLERANCE));
        assertThat(metrics.r2Score()).isCloseTo(0.9486081370449679, within(TOLERANCE));
        assertThat(metrics.explainedVariance()).isCloseTo(0.9571734475374732, within(TOLERANCE));
    }

    @Test
    void meanSquaredLogErrorIsNanWhenAValueIsAtMostMinusOne() {
        assertThat(RegressionMetrics.compute(new double[] {3, -1.5}, new double[] {2, 1}).meanSquaredLogError()).isNaN();
        assertThat(RegressionMetrics.compute(new double[] {3, 1}, new double[] {2, -1}).meanSquaredLogError()).isNaN();
    }

    @Test
    void meanSquaredLogErrorMatchesDirectFormula() {
        double[] actual = {3, 5, 2.5, 7};
        double[] predicted = {2.5, 5, 4, 8};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            expected += Math.pow(Math.log(1 + actual[i]) - Math.log(1 + predicted[i]), 2) / 4;
        }
        assertThat(RegressionMetrics.compute(actual, predicted).meanSquaredLogError()).isCloseTo(expected, within(TOLERANCE));
        // sklearn docs give 0.039730122...
        assertThat(expected).isCloseTo(0.03973012, within(1e-8));
    }

    @Test
    void medianAbsoluteErrorIsTheLowerMedian() {
        // absolute errors 4, 1, 3, 2: the midpoint median would be 2.5, BigQuery's APPROX_QUANTILES gives 2
        RegressionMetrics metrics = RegressionMetrics.compute(new double[] {10, 10, 10, 10}, new double[] {6, 9, 13, 12});
        assertThat(metrics.medianAbsoluteError()).isEqualTo(2);
        assertThat(RegressionMetrics.compute(new double[] {0, 0, 0}, new double[] {3, 1, 2}).medianAbsoluteError()).isEqualTo(2);
    }

    @Test
    void valuesFollowColumnOrder() {
        RegressionMetrics metrics = RegressionMetrics.compute(new double[] {1, 2, 3}, new double[] {1, 2, 4});
        assertThat(RegressionMetrics.COLUMN_NAMES).containsExactly(
                "mean_absolute_error", "mean_squared_error", "mean_squared_log_error", "median_absolute_error", "r2_score", "explained_variance");
        assertThat(metrics.values()).containsExactly(
                metrics.meanAbsoluteError(), metrics.meanSquaredError(), metrics.meanSquaredLogError(),
                metrics.medianAbsoluteError(), metrics.r2Score(), metrics.explainedVariance());
    }

    @Test
    void rejectsMismatchedLengthsAndEmptyInput() {
        assertThatThrownBy(() -> RegressionMetrics.compute(new double[] {1}, new double[] {1, 2}))
                .isInstanceOf(LatheException.class).hasMessageContaining("same length");
        assertThatThrownBy(() -> RegressionMetrics.compute(new double[0], new double[0]))
                .isInstanceOf(LatheException.class).hasMessageContaining("zero rows");
    }
}
