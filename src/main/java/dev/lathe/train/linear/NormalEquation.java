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
        int p = x.cols();
        int m = p + 1;
        double[] gram = new double[m * m];
        double[] rhs = new double[m];
        double[] row = new double[m];
        int[] nonZero = new int[m];
        OneHotRows oneHot = x.oneHotRows().orElse(null); // each row widened in turn, not the whole matrix
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
            // Only the row's non-zero entries: a zero adds +0.0 or -0.0 to a sum that a dense pass would leave as it is,
            // so the sums, in row order as before, are the same; a one-hot row costs its set columns, not its width.
            int count = 0;
            for (int a = 0; a < m; a++) {
                if (row[a] != 0) {
                    nonZero[count++] = a;
                }
            }
            for (int ia = 0; ia < count; ia++) {
                int a = nonZero[ia];
                double wa = w * row[a];
                if (wa == 0) {
                    continue;
                }
                rhs[a] += wa * labels[i];
                for (int ib = 0; ib <= ia; ib++) {
                    int b = nonZero[ib];
                    gram[a * m + b] += wa * row[b];
                }
            }
        }
        return solveLower(gram, rhs, m, l2);
    }

    /** Solves with the Gram matrix's lower triangle summed ({@code gram}, m x m, row-major): mirrored, penalized, factored. */
    static double[] solveLower(double[] gram, double[] rhs, int m, double l2) {
        for (int a = 0; a < m; a++) {
            for (int b = 0; b < a; b++) {
                gram[b * m + a] = gram[a * m + b];
            }
        }
        for (int j = 1; j < m; j++) {
            gram[j * m + j] += l2;
        }
        return PivotedCholesky.factor(gram, m).solve(rhs);
    }
}
