package dev.lathe.train.linear;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.OneHotRows;
import dev.lathe.core.model.TrainingSet;

/**
 * Weighted least squares with an L2 penalty on the non-intercept weights, solved in one pass:
 * {@code (A'WA + l2 D) theta = A'Wy} with {@code A = [1 X]}. Any least-squares solution is accepted
 * for collinear columns (spec section 7, point 4), so a pivoted Cholesky that zeroes dependent columns
 * is enough.
 */
final class NormalEquation {
    private NormalEquation() {}

    static double[] solve(DenseMatrix x, double[] labels, double[] weights, double l2, boolean fitIntercept) {
        int m = x.cols() + 1;
        double[] gram = new double[m * m];
        double[] rhs = new double[m];
        accumulate(x, weights, fitIntercept, (i, w, row, nonZero, count) -> w, gram, rhs, labels);
        return solveLower(gram, rhs, m, l2);
    }

    /**
     * The weight a row enters the Gram matrix with, given its widened values ({@code row[0]} the intercept's) and the
     * indexes of its {@code count} non-zero entries, ascending; {@code w} is its training weight (never 0).
     */
    interface RowWeight {
        double of(int i, double w, double[] row, int[] nonZero, int count);
    }

    /**
     * Sums {@code v A'A} over the rows ({@code A = [1 X]}, v from {@code weight}) into {@code gram}'s lower triangle
     * (m x m, row-major, m = columns + 1) and, when {@code rhs} is given, {@code v A'y} into it. Rows of training weight 0
     * are skipped; a row is widened in turn, not the whole matrix, and only its non-zero entries are summed: a zero adds
     * +0.0 or -0.0 to a sum that a dense pass would leave as it is, so the sums, in row order, are the same, and a one-hot
     * row costs its set columns, not its width.
     */
    static void accumulate(DenseMatrix x, double[] weights, boolean fitIntercept, RowWeight weight, double[] gram, double[] rhs,
            double[] labels) {
        int p = x.cols();
        int m = p + 1;
        double[] row = new double[m];
        int[] nonZero = new int[m];
        OneHotRows oneHot = x.oneHotRows().orElse(null);
        double[] data = oneHot == null ? x.data() : null;
        for (int i = 0; i < x.rows(); i++) {
            double w = TrainingSet.weight(weights, i);
            if (w == 0) {
                continue;
            }
            row[0] = fitIntercept ? 1 : 0;
            if (oneHot == null) {
                System.arraycopy(data, i * p, row, 1, p);
            } else {
                oneHot.denseRow(i, row, 1, p);
            }
            int count = 0;
            for (int a = 0; a < m; a++) {
                if (row[a] != 0) {
                    nonZero[count++] = a;
                }
            }
            double v = weight.of(i, w, row, nonZero, count);
            for (int ia = 0; ia < count; ia++) {
                int a = nonZero[ia];
                double va = v * row[a];
                if (va == 0) {
                    continue;
                }
                if (rhs != null) {
                    rhs[a] += va * labels[i];
                }
                for (int ib = 0; ib <= ia; ib++) {
                    int b = nonZero[ib];
                    gram[a * m + b] += va * row[b];
                }
            }
        }
    }

    /**
     * Solves with the Gram matrix's lower triangle summed ({@code gram}, m x m, row-major): penalized and factored (the
     * pivoted Cholesky reads the lower triangle only).
     */
    static double[] solveLower(double[] gram, double[] rhs, int m, double l2) {
        for (int j = 1; j < m; j++) {
            gram[j * m + j] += l2;
        }
        return PivotedCholesky.factor(gram, m).solve(rhs);
    }
}
