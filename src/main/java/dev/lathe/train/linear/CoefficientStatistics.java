package dev.lathe.train.linear;

import dev.lathe.core.Distributions;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.FeatureLayout;
import dev.lathe.core.model.TrainingSet;

/**
 * The standard errors of a LINEAR_REG or binary LOGISTIC_REG model's parameters (CALCULATE_P_VALUES), which
 * ML.ADVANCED_WEIGHTS reports with their p-values. They are the classical ones, computed once on the training split
 * at the fitted parameters, as R's {@code lm}/{@code glm} and statsmodels' OLS/Logit compute them:
 * <ul>
 *   <li>LINEAR_REG: {@code Cov = s^2 (A'WA)^-1}, {@code s^2 = sum w r^2 / (n - rank)}; p-values from Student's t with
 *       {@code n - rank} degrees of freedom (n: the training rows of non-zero weight, rank: the Gram matrix's).</li>
 *   <li>LOGISTIC_REG: {@code Cov = (A'VA)^-1}, {@code V = w p (1 - p)} (the inverse Fisher information); p-values from
 *       the normal distribution (Wald's z).</li>
 * </ul>
 * {@code A = [1 X]} is the encoded training matrix. With L2_REG the estimator is the ridge one and its covariance the
 * sandwich {@code P^-1 G P^-1} ({@code P}: the penalized Hessian, {@code G} as above), the rest unchanged. A parameter
 * the data does not determine (a constant column, columns that are exactly collinear, no intercept) has a NaN standard
 * error, as R reports NA for it.
 *
 * @param standardErrors per parameter of the encoded (standardized) model, the intercept first
 * @param rawInterceptStandardError the standard error of the intercept on the raw input scale ({@code standardize =
 *     false}): {@code b - sum w_j mean_j / scale_j} is a combination of all the parameters, so its variance takes the
 *     whole covariance matrix, which is not kept
 * @param degreesOfFreedom Student's t degrees of freedom for LINEAR_REG; 0 for LOGISTIC_REG (normal)
 */
record CoefficientStatistics(double[] standardErrors, double rawInterceptStandardError, double degreesOfFreedom) {
    /**
     * The most encoded columns CALCULATE_P_VALUES takes: the covariance is a dense (columns + 1)^2 matrix, factored and
     * inverted in O(columns^3): about 2 s beside the normal equation's 1.4 at this width on a 2-core host (4 s with L2_REG).
     */
    static final int MAX_COLUMNS = 2_000;

    CoefficientStatistics {
        standardErrors = standardErrors.clone();
    }

    /** The two-sided p-value of {@code weight} with {@code standardError} (NaN when it is NaN). */
    double pValue(double weight, double standardError) {
        double statistic = weight / standardError;
        return degreesOfFreedom > 0 ? Distributions.studentTwoSided(statistic, degreesOfFreedom) : Distributions.normalTwoSided(statistic);
    }

    static CoefficientStatistics compute(Link link, TrainingSet data, double[] theta, double l2, boolean fitIntercept) {
        if (link == Link.SOFTMAX) {
            throw new IllegalArgumentException("standard errors are computed for linear and binary logistic models only");
        }
        int m = data.train().cols() + 1;
        double[] labels = data.labels();
        double[] gram = new double[m * m];
        double[] residuals = new double[1];
        long[] rows = new long[1];
        NormalEquation.accumulate(data.train(), data.weights(), fitIntercept, (i, w, row, nonZero, count) -> {
            rows[0]++;
            double score = 0;
            for (int k = 0; k < count; k++) {
                score += theta[nonZero[k]] * row[nonZero[k]];
            }
            if (link == Link.IDENTITY) {
                double r = labels[i] - score;
                residuals[0] += w * r * r;
                return w;
            }
            double probability = LinearScores.sigmoid(score);
            return w * probability * (1 - probability);
        }, gram, null, null);
        double[] rawIntercept = rawInterceptCombination(m, data.layout());
        double[] variances;
        double interceptVariance;
        PivotedCholesky factor;
        if (l2 > 0) {
            for (int a = 0; a < m; a++) { // the sandwich reads G by whole rows
                for (int b = 0; b < a; b++) {
                    gram[b * m + a] = gram[a * m + b];
                }
            }
            // the ridge estimator's sandwich P^-1 G P^-1: the penalty's Hessian is l2 (linear, whose loss Hessian is G up to the
            // same factor 2) or 2 l2 (logistic, where G is the loss's Hessian itself) on the weights, not on the intercept
            double[] penalized = gram.clone();
            double penalty = link == Link.IDENTITY ? l2 : 2 * l2;
            for (int j = 1; j < m; j++) {
                penalized[j * m + j] += penalty;
            }
            factor = PivotedCholesky.factor(penalized, m);
            double[] inverse = factor.inverse();
            SparseRows sparse = SparseRows.of(gram, m);
            variances = new double[m];
            for (int a = 0; a < m; a++) {
                variances[a] = sparse.quadratic(row(inverse, a, m)); // (P^-1 G P^-1)[a][a], P^-1 symmetric
            }
            double[] u = multiply(inverse, determined(rawIntercept, variances), m);
            for (int a = 0; a < m; a++) {
                u[a] = Double.isNaN(variances[a]) ? 0 : u[a];
            }
            interceptVariance = Double.isNaN(variances[0]) ? Double.NaN : sparse.quadratic(u);
        } else {
            factor = PivotedCholesky.factor(gram, m);
            variances = factor.inverseDiagonal();
            interceptVariance = factor.inverseQuadratic(determined(rawIntercept, variances));
        }
        double degreesOfFreedom = 0;
        if (link == Link.IDENTITY) {
            degreesOfFreedom = rows[0] - factor.rank();
            double scale = degreesOfFreedom > 0 ? residuals[0] / degreesOfFreedom : Double.NaN;
            for (int j = 0; j < m; j++) {
                variances[j] *= scale;
            }
            interceptVariance *= scale;
            if (!(degreesOfFreedom > 0)) {
                degreesOfFreedom = Double.NaN;
            }
        }
        double[] standardErrors = new double[m];
        for (int j = 0; j < m; j++) {
            standardErrors[j] = Math.sqrt(variances[j]);
        }
        return new CoefficientStatistics(standardErrors, Math.sqrt(interceptVariance), degreesOfFreedom);
    }

    /**
     * The raw intercept's combination without the weights the data does not determine: those are 0 in the fitted model
     * (a least-squares solution that leaves them out), so the raw intercept does not depend on them, as in R's fit of the
     * model without the aliased columns. The intercept's own entry stays: without an intercept there is no standard error.
     */
    private static double[] determined(double[] combination, double[] variances) {
        double[] c = combination.clone();
        for (int j = 1; j < c.length; j++) {
            if (Double.isNaN(variances[j])) {
                c[j] = 0;
            }
        }
        return c;
    }

    /** Row a of P^-1: all NaN when parameter a is undetermined, else with the undetermined parameters' NaN entries as 0. */
    private static double[] row(double[] inverse, int a, int m) {
        double[] row = java.util.Arrays.copyOfRange(inverse, a * m, (a + 1) * m);
        if (!Double.isNaN(row[a])) {
            for (int b = 0; b < m; b++) {
                if (Double.isNaN(row[b])) {
                    row[b] = 0;
                }
            }
        }
        return row;
    }

    /** {@code matrix * vector}; NaN entries of the matrix (undetermined parameters) give NaN where the vector weighs them. */
    private static double[] multiply(double[] matrix, double[] vector, int m) {
        double[] result = new double[m];
        for (int a = 0; a < m; a++) {
            double sum = 0;
            for (int b = 0; b < m; b++) {
                if (vector[b] != 0) {
                    sum += matrix[a * m + b] * vector[b];
                }
            }
            result[a] = sum;
        }
        return result;
    }

    /**
     * G's non-zero entries by row (compressed sparse rows): {@code u' G u} for the m rows of the sandwich then costs G's
     * non-zeros each, which for one-hot groups is a few times m, not m^2.
     */
    private record SparseRows(int[] starts, int[] columns, double[] values) {
        static SparseRows of(double[] matrix, int m) {
            int[] starts = new int[m + 1];
            int count = 0;
            for (double value : matrix) {
                count += value != 0 ? 1 : 0;
            }
            int[] columns = new int[count];
            double[] values = new double[count];
            int next = 0;
            for (int a = 0; a < m; a++) {
                starts[a] = next;
                for (int b = 0; b < m; b++) {
                    double value = matrix[a * m + b];
                    if (value != 0) {
                        columns[next] = b;
                        values[next++] = value;
                    }
                }
            }
            starts[m] = next;
            return new SparseRows(starts, columns, values);
        }

        /** {@code u' G u}; NaN when u has a NaN. */
        double quadratic(double[] u) {
            double sum = 0;
            for (int a = 0; a + 1 < starts.length; a++) {
                if (u[a] == 0) {
                    continue;
                }
                double inner = 0;
                for (int k = starts[a]; k < starts[a + 1]; k++) {
                    inner += values[k] * u[columns[k]];
                }
                sum += u[a] * inner;
            }
            return sum;
        }
    }

    /** The raw-scale intercept {@code c'theta}, {@code c = (1, -mean_j / scale_j)}, whose variance is {@code c' Cov c}. */
    private static double[] rawInterceptCombination(int m, FeatureLayout layout) {
        double[] c = new double[m];
        c[0] = 1;
        for (int j = 0; j < m - 1 && j < layout.size(); j++) {
            EncodedColumn column = layout.column(j);
            double scale = column.scale() == 0 ? 1 : column.scale();
            c[j + 1] = -column.mean() / scale;
        }
        return c;
    }
}
