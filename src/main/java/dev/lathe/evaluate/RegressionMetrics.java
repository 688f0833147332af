package dev.lathe.evaluate;

import java.util.Arrays;
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
        Checks.notEmpty("actual", actual.length);
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
        // Two-pass variances: the one-pass E[x²] - E[x]² formula loses digits on large, close values.
        double squaredDeviationActual = 0;
        double squaredDeviationError = 0;
        for (int i = 0; i < n; i++) {
            double deviationActual = actual[i] - meanActual;
            double deviationError = (actual[i] - predicted[i]) - meanError;
            squaredDeviationActual += deviationActual * deviationActual;
            squaredDeviationError += deviationError * deviationError;
        }
        double populationVarianceActual = squaredDeviationActual / n;
        double populationVarianceError = squaredDeviationError / n;
        Arrays.sort(absoluteErrors);
        // BigQuery's APPROX_QUANTILES(|e|, 2)[OFFSET(1)] is the lower median, not the midpoint average.
        double lowerMedian = absoluteErrors[(n - 1) / 2];
        return new RegressionMetrics(
                sumAbsolute / n,
                sumSquared / n,
                logDefined ? sumSquaredLog / n : Double.NaN,
                lowerMedian,
                1 - sumSquared / (n * populationVarianceActual),
                1 - populationVarianceError / populationVarianceActual);
    }
}
