package dev.lathe.train.linear;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.DenseMatrix;
import java.util.Collections;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NormalEquationTest {
    /**
     * The Gram matrix summed over each row's non-zero entries only gives the solution the full dense pass gives, to the
     * last bit: zeros (signed, as a one-hot or sparse row has them), zero weights, an intercept or none, a penalty.
     */
    @Test
    void sparseSumsEqualTheDensePass() {
        Random random = new Random(11);
        int rows = 500;
        int p = 12;
        double[] data = new double[rows * p];
        double[] labels = new double[rows];
        double[] weights = new double[rows];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < p; j++) {
                double draw = random.nextDouble();
                data[i * p + j] = draw < 0.6 ? (draw < 0.1 ? -0.0 : 0.0) : random.nextGaussian() * Math.pow(10, random.nextInt(7) - 3);
            }
            data[i * p + 3 + random.nextInt(4)] = 1; // a one-hot group
            labels[i] = random.nextGaussian() * 5;
            weights[i] = i % 9 == 0 ? 0 : 1 + random.nextInt(3);
        }
        DenseMatrix x = new DenseMatrix(rows, p, data, Collections.nCopies(p, "c"));
        for (boolean intercept : new boolean[] {true, false}) {
            for (double l2 : new double[] {0, 0.75}) {
                double[] expected = denseSolve(data, rows, p, labels, weights, l2, intercept);
                double[] actual = NormalEquation.solve(x, labels, weights, l2, intercept);
                for (int j = 0; j < expected.length; j++) {
                    assertThat(Double.doubleToLongBits(actual[j])).as("parameter %d, intercept %s, l2 %s", j, intercept, l2)
                            .isEqualTo(Double.doubleToLongBits(expected[j]));
                }
            }
        }
    }

    /** The normal equation's sums as they were made before the sparse pass: every entry of every row. */
    private static double[] denseSolve(double[] data, int rows, int p, double[] labels, double[] weights, double l2, boolean intercept) {
        int m = p + 1;
        double[] gram = new double[m * m];
        double[] rhs = new double[m];
        double[] row = new double[m];
        for (int i = 0; i < rows; i++) {
            double w = weights[i];
            if (w == 0) {
                continue;
            }
            row[0] = intercept ? 1 : 0;
            System.arraycopy(data, i * p, row, 1, p);
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
        return NormalEquation.solveLower(gram, rhs, m, l2);
    }
}
