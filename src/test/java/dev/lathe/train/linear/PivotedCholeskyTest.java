package dev.lathe.train.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class PivotedCholeskyTest {
    @Test
    void solvesAPositiveDefiniteSystem() {
        double[] matrix = {4, 2, 0.6, 2, 5, 1, 0.6, 1, 3};
        double[] expected = {1, -2, 0.5};

        double[] solution = PivotedCholesky.factor(matrix, 3).solve(multiply(matrix, expected, 3));

        assertThat(solution).containsExactly(expected, within(1e-12));
    }

    @Test
    void findsALeastSquaresSolutionOfARankDeficientGramMatrix() {
        // Columns: intercept, a, b = intercept - a (like a two-level one-hot group next to an intercept).
        double[][] rows = {{1, 1, 0}, {1, 0, 1}, {1, 1, 0}, {1, 0, 1}, {1, 1, 0}};
        double[] y = {3, 5, 3.5, 4.5, 2.5};
        double[] gram = new double[9];
        double[] rhs = new double[3];
        for (int i = 0; i < rows.length; i++) {
            for (int a = 0; a < 3; a++) {
                rhs[a] += rows[i][a] * y[i];
                for (int b = 0; b < 3; b++) {
                    gram[a * 3 + b] += rows[i][a] * rows[i][b];
                }
            }
        }

        PivotedCholesky factor = PivotedCholesky.factor(gram, 3);
        double[] theta = factor.solve(rhs);

        assertThat(factor.rank()).isEqualTo(2);
        // Fitted values must be the group means, 3 and 4.75, whichever column was left out.
        assertThat(theta[0] + theta[1]).isCloseTo(3.0, within(1e-10));
        assertThat(theta[0] + theta[2]).isCloseTo(4.75, within(1e-10));
    }

    @Test
    void pivotsThroughALargerSystemAndInvertsIt() {
        // A'A + I for a fixed pseudo-random A: positive definite, with diagonal entries in no order, so most steps swap
        int size = 40;
        java.util.Random random = new java.util.Random(7);
        double[] a = new double[size * size];
        for (int i = 0; i < a.length; i++) {
            a[i] = random.nextGaussian() * (1 + (i % size) % 5);
        }
        double[] matrix = new double[size * size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                for (int k = 0; k < size; k++) {
                    matrix[i * size + j] += a[k * size + i] * a[k * size + j];
                }
            }
            matrix[i * size + i] += 1;
        }
        double[] expected = new double[size];
        for (int i = 0; i < size; i++) {
            expected[i] = i - size / 2.0;
        }
        PivotedCholesky factor = PivotedCholesky.factor(matrix, size);
        assertThat(factor.rank()).isEqualTo(size);
        assertThat(factor.solve(multiply(matrix, expected, size))).containsExactly(expected, within(1e-9));
        double[] inverse = factor.inverse();
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double product = 0;
                for (int k = 0; k < size; k++) {
                    product += inverse[i * size + k] * matrix[k * size + j];
                }
                assertThat(product).as("(A^-1 A)[%d][%d]", i, j).isCloseTo(i == j ? 1 : 0, within(1e-9));
                assertThat(inverse[i * size + j]).isEqualTo(inverse[j * size + i]);
            }
        }
    }

    @Test
    void theInverseOfARankDeficientMatrixIsNaNWhereUndetermined() {
        // the third unknown is the sum of the first two (an intercept beside a full one-hot group): it is left out
        double[] matrix = {2, 0, 2, 0, 3, 3, 2, 3, 5};
        PivotedCholesky factor = PivotedCholesky.factor(matrix, 3);
        assertThat(factor.rank()).isEqualTo(2);
        double[] inverse = factor.inverse();
        // pivots: unknown 2 (diagonal 5), then 0 and 1 tie at 1.2 and 0 is taken; 1 is then exactly dependent. The rest is
        // the inverse of [[2, 2], [2, 5]] = [[5/6, -1/3], [-1/3, 1/3]].
        assertThat(new double[] {inverse[0], inverse[2], inverse[6], inverse[8]})
                .containsExactly(new double[] {5.0 / 6, -1.0 / 3, -1.0 / 3, 1.0 / 3}, within(1e-12));
        for (int k = 0; k < 3; k++) {
            assertThat(inverse[3 + k]).isNaN();
            assertThat(inverse[k * 3 + 1]).isNaN();
        }
    }

    private static double[] multiply(double[] matrix, double[] vector, int size) {
        double[] out = new double[size];
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                out[i] += matrix[i * size + j] * vector[j];
            }
        }
        return out;
    }
}
