package dev.lathe.train.linear;

/**
 * Cholesky factorization of a symmetric positive semi-definite matrix with diagonal pivoting. Columns
 * whose remaining pivot is negligible are left out, so a rank-deficient Gram matrix (one-hot groups
 * plus an intercept are exactly collinear) still yields a least-squares solution: the left-out
 * unknowns are set to 0 and the others solve the full-rank leading block.
 */
final class PivotedCholesky {
    private static final double RELATIVE_TOLERANCE = 1e-11;

    private final int size;
    private final int rank;
    private final int[] permutation;
    /** Lower-triangular factor of the permuted leading {@code rank x rank} block, row-major {@code size x size}. */
    private final double[] lower;

    private PivotedCholesky(int size, int rank, int[] permutation, double[] lower) {
        this.size = size;
        this.rank = rank;
        this.permutation = permutation;
        this.lower = lower;
    }

    /** Factors the row-major symmetric {@code size x size} matrix (not modified; only its lower triangle is read). */
    static PivotedCholesky factor(double[] matrix, int size) {
        if (matrix.length != size * size) {
            throw new IllegalArgumentException("expected " + size + " x " + size + " values, got " + matrix.length);
        }
        double[] a = matrix.clone();
        int[] permutation = new int[size];
        double maxDiagonal = 0;
        for (int i = 0; i < size; i++) {
            permutation[i] = i;
            maxDiagonal = Math.max(maxDiagonal, a[i * size + i]);
        }
        double tolerance = Math.max(maxDiagonal, Double.MIN_NORMAL) * RELATIVE_TOLERANCE * Math.max(1, size);
        int rank = 0;
        double[] column = new double[size]; // column k of the factor, contiguous for the trailing update's inner loop
        for (int k = 0; k < size; k++) {
            int pivot = k;
            for (int j = k + 1; j < size; j++) {
                if (a[j * size + j] > a[pivot * size + pivot]) {
                    pivot = j;
                }
            }
            if (a[pivot * size + pivot] <= tolerance) {
                break;
            }
            swapLower(a, size, k, pivot);
            int swap = permutation[k];
            permutation[k] = permutation[pivot];
            permutation[pivot] = swap;

            double diagonal = Math.sqrt(a[k * size + k]);
            a[k * size + k] = diagonal;
            for (int i = k + 1; i < size; i++) {
                a[i * size + k] /= diagonal;
                column[i] = a[i * size + k];
            }
            // the trailing block's lower triangle, row by row: only it is read from here on
            for (int i = k + 1; i < size; i++) {
                double lik = column[i];
                if (lik == 0) {
                    continue;
                }
                int row = i * size;
                for (int j = k + 1; j <= i; j++) {
                    a[row + j] -= lik * column[j];
                }
            }
            rank++;
        }
        return new PivotedCholesky(size, rank, permutation, a);
    }

    int rank() {
        return rank;
    }

    /** A solution of {@code matrix * x = rhs}; unknowns outside the numerical rank are 0. */
    double[] solve(double[] rhs) {
        double[] permuted = new double[rank];
        for (int i = 0; i < rank; i++) {
            permuted[i] = rhs[permutation[i]];
        }
        for (int i = 0; i < rank; i++) {
            double sum = permuted[i];
            for (int j = 0; j < i; j++) {
                sum -= lower[i * size + j] * permuted[j];
            }
            permuted[i] = sum / lower[i * size + i];
        }
        for (int i = rank - 1; i >= 0; i--) {
            double sum = permuted[i];
            for (int j = i + 1; j < rank; j++) {
                sum -= lower[j * size + i] * permuted[j];
            }
            permuted[i] = sum / lower[i * size + i];
        }
        double[] solution = new double[size];
        for (int i = 0; i < rank; i++) {
            solution[permutation[i]] = permuted[i];
        }
        return solution;
    }

    /**
     * The inverse of the factored matrix where it is of full rank: {@code size x size}, row-major, with the rows and columns
     * of the unknowns left out of the numerical rank set to NaN (their variance is not determined). The leading block's
     * inverse is {@code L'^-1 L^-1}, from the inverse of its triangular factor.
     */
    double[] inverse() {
        double[] columns = inverseFactorColumns();
        double[] result = new double[size * size];
        java.util.Arrays.fill(result, Double.NaN);
        for (int a = 0; a < rank; a++) {
            for (int b = 0; b <= a; b++) {
                // ((L^-1)' L^-1)[a][b]: columns a and b of L^-1, both zero above row a
                double sum = dot(columns, a * rank + a, b * rank + a, rank - a);
                result[permutation[a] * size + permutation[b]] = sum;
                result[permutation[b] * size + permutation[a]] = sum;
            }
        }
        return result;
    }

    /** The inverse's diagonal alone (NaN where undetermined, as in {@link #inverse()}): the squared norms of L^-1's columns. */
    double[] inverseDiagonal() {
        double[] columns = inverseFactorColumns();
        double[] result = new double[size];
        java.util.Arrays.fill(result, Double.NaN);
        for (int a = 0; a < rank; a++) {
            result[permutation[a]] = dot(columns, a * rank + a, a * rank + a, rank - a);
        }
        return result;
    }

    /** {@code c' inverse c}, by one forward substitution ({@code |L^-1 c|^2}); NaN when c weighs an undetermined unknown. */
    double inverseQuadratic(double[] c) {
        for (int i = rank; i < size; i++) {
            if (c[permutation[i]] != 0) {
                return Double.NaN;
            }
        }
        double[] y = new double[rank];
        double sum = 0;
        for (int i = 0; i < rank; i++) {
            double value = c[permutation[i]];
            for (int j = 0; j < i; j++) {
                value -= lower[i * size + j] * y[j];
            }
            y[i] = value / lower[i * size + i];
            sum += y[i] * y[i];
        }
        return sum;
    }

    /** Column c of L^-1 as row c (contiguous), by forward substitution of {@code L x = e_c}; entries above c are 0. */
    private double[] inverseFactorColumns() {
        double[] columns = new double[rank * rank];
        for (int c = 0; c < rank; c++) {
            int base = c * rank;
            columns[base + c] = 1 / lower[c * size + c];
            for (int i = c + 1; i < rank; i++) {
                int row = i * size;
                double sum = -dot2(lower, row + c, columns, base + c, i - c);
                columns[base + i] = sum / lower[row + i];
            }
        }
        return columns;
    }

    private static double dot(double[] values, int x, int y, int length) {
        return dot2(values, x, values, y, length);
    }

    /** A dot product over four running sums (the JIT keeps a single sum's additions in order, one at a time). */
    private static double dot2(double[] a, int x, double[] b, int y, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += a[x + i] * b[y + i];
            s1 += a[x + i + 1] * b[y + i + 1];
            s2 += a[x + i + 2] * b[y + i + 2];
            s3 += a[x + i + 3] * b[y + i + 3];
        }
        for (; i < length; i++) {
            s0 += a[x + i] * b[y + i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Swaps unknowns {@code i < j} of a symmetric matrix of which only the lower triangle is kept (as LAPACK's dpstrf does):
     * rows i and j of the factor's finished columns, the two diagonal entries, and the trailing entries that trade places.
     */
    private static void swapLower(double[] a, int size, int i, int j) {
        if (i == j) {
            return;
        }
        for (int c = 0; c < i; c++) {
            swap(a, i * size + c, j * size + c);
        }
        swap(a, i * size + i, j * size + j);
        for (int r = i + 1; r < j; r++) {
            swap(a, r * size + i, j * size + r);
        }
        for (int r = j + 1; r < size; r++) {
            swap(a, r * size + i, r * size + j);
        }
    }

    private static void swap(double[] a, int x, int y) {
        double t = a[x];
        a[x] = a[y];
        a[y] = t;
    }
}
