package dev.lathe.evaluate;

import java.util.List;
import java.util.Map;

/**
 * ML.EVALUATE columns of regression models (LINEAR_REG, boosted-tree / random-forest / DNN regressors,
 * explicit matrix factorization), with the definitions of BigQuery ML's model.proto.
 */
public record RegressionMetrics(
        double meanAbsoluteError,
        double meanSquaredError,
        double meanSquaredLogError,
        double medianAbsoluteError,
        double r2Score,
        double explainedVariance) {

    /** Output column names, in BigQuery ML's order; {@link #values()} follows the same order. */
    public static final List<String> COLUMN_NAMES = List.of(
            "mean_absolute_error",
            "mean_squared_error",
            "mean_squared_log_error",
            "median_absolute_error",
            "r2_score",
            "explained_variance");

    /** Values in the order of {@link #COLUMN_NAMES}. */
    public double[] values() {
        return new double[] {meanAbsoluteError, meanSquaredError, meanSquaredLogError, medianAbsoluteError, r2Score, explainedVariance};
    }

    /** The metrics by column name, in the order of {@link #COLUMN_NAMES}. */
    public Map<String, Double> byName() {
        return ClassificationMetrics.named(COLUMN_NAMES, values());
    }

    /**
     * Metrics of {@code predicted} against {@code actual}. Mean squared log error is NaN when any actual or
     * predicted value is at most -1 (LN(1 + x) is undefined there); R² and explained variance are NaN or
     * infinite when the actual values are constant, as the formulas say.
     */
    public static RegressionMetrics compute(double[] actual, double[] predicted) {
        Checks.sameLength("actual", actual.length, "predicted", predicted.length);
        return compute(ScoredRows.of(actual, predicted, 1));
    }

    /** As {@link #compute(double[], double[])} over {@code rows}, one prediction a row. */
    public static RegressionMetrics compute(ScoredRows rows) {
        return compute(rows, OrderedValues.defaultCapacity());
    }

    /**
     * As {@link #compute(ScoredRows)}, holding at most {@code capacity} absolute errors at a time: two passes over the rows
     * for the sums and the deviations from their means, and ordered ones for the median ({@link OrderedValues}).
     */
    static RegressionMetrics compute(ScoredRows rows, int capacity) {
        Checks.notEmpty("actual", rows.count());
        if (rows.width() != 1) {
            throw new IllegalArgumentException("regression rows have one prediction each, not " + rows.width());
        }
        long n = rows.count();
        // sumAbsolute, sumSquared, sumSquaredLog, sumActual, sumError, in row order as the arrays were summed
        double[] sums = new double[5];
        boolean[] logDefined = {true};
        rows.forEachChunk((first, actual, predicted, count) -> {
            for (int i = 0; i < count; i++) {
                double error = actual[i] - predicted[i];
                sums[0] += Math.abs(error);
                sums[1] += error * error;
                sums[3] += actual[i];
                sums[4] += error;
                if (actual[i] <= -1 || predicted[i] <= -1) {
                    logDefined[0] = false;
                } else {
                    double logError = Math.log1p(actual[i]) - Math.log1p(predicted[i]);
                    sums[2] += logError * logError;
                }
            }
        });
        double sumAbsolute = sums[0];
        double sumSquared = sums[1];
        double meanActual = sums[3] / n;
        double meanError = sums[4] / n;
        // Two-pass variances: the one-pass E[x²] - E[x]² formula loses digits on large, close values.
        double[] squaredDeviations = new double[2]; // of the actual values, of the errors
        rows.forEachChunk((first, actual, predicted, count) -> {
            for (int i = 0; i < count; i++) {
                double deviationActual = actual[i] - meanActual;
                double deviationError = (actual[i] - predicted[i]) - meanError;
                squaredDeviations[0] += deviationActual * deviationActual;
                squaredDeviations[1] += deviationError * deviationError;
            }
        });
        double populationVarianceActual = squaredDeviations[0] / n;
        double populationVarianceError = squaredDeviations[1] / n;
        // BigQuery's APPROX_QUANTILES(|e|, 2)[OFFSET(1)] is the lower median, not the midpoint average.
        long medianRank = (n - 1) / 2;
        double[] lowerMedian = {Double.NaN};
        long[] below = {0};
        OrderedValues.ascending(rows, (actual, predicted, row) -> Math.abs(actual[row] - predicted[row]), (labels, row) -> true, capacity,
                (value, rowsOf, none) -> {
                    if (below[0] <= medianRank && medianRank < below[0] + rowsOf) {
                        lowerMedian[0] = value;
                    }
                    below[0] += rowsOf;
                });
        return new RegressionMetrics(
                sumAbsolute / n,
                sumSquared / n,
                logDefined[0] ? sums[2] / n : Double.NaN,
                lowerMedian[0],
                1 - sumSquared / (n * populationVarianceActual),
                1 - populationVarianceError / populationVarianceActual);
    }
}
