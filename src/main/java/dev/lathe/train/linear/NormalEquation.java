package dev.lathe.train.linear;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.OneHotRows;

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
        OneHotRows oneHot = x.oneHotRows().orElse(null); // each row widened in turn, not the whole matrix
        double[] data = oneHot == null ? x.data() : null;
        for (int i = 0; i < x.rows(); i++) {
            double w = weights[i];
            if (w == 0) {
                continue;
            }
            row[0] = fitIntercept ? 1 : 0;
            if (oneHot == null) {
                System.arraycopy(data, i * p, row, 1, p);
            } else {
                oneHot.denseRow(i, row, 1, p);
            }
            for (int a = 0; a < m; a++) {
                double wa = w * row[a];
                if (wa == 0) {
                    continue;
                }
                rhs[a] += wa * labels[i];
                for (int b = 0; b <= a; b++) {
                    gram[a * m + b] += wa * row[b];
                }
            }
        }
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
