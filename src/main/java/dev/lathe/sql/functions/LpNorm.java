package dev.lathe.sql.functions;

/**
 * ML.LP_NORM(x, p): the Lp norm of a numeric array, (sum |x_i|^p)^(1/p) for p &gt; 0, the largest absolute value for
 * an infinite p, and the count of non-zero values for p = 0; NULL for a NULL array.
 */
final class LpNorm extends ScalarFunction {
    @Override
    public String name() {
        return "LP_NORM";
    }

    @Override
    String render(Arguments arguments) {
        arguments.requireCount(2, 2, "LP_NORM(array_expression, p)");
        String array = "CAST(" + arguments.expression(0) + " AS DOUBLE[])";
        double p = arguments.number(1, "p", Double.NaN);
        if (Double.isNaN(p) || p < 0) {
            throw arguments.invalid("p", "must be 0 or greater", arguments.raw(1), "a number >= 0, or CAST('inf' AS FLOAT64)");
        }
        return of(array, p);
    }

    /** The Lp norm of the DOUBLE[] {@code array} for {@code p} >= 0 or infinite (also ML.NORMALIZER's divisor). */
    static String of(String array, double p) {
        if (Double.isInfinite(p)) {
            return "list_max(list_transform(" + array + ", lambda lathe_v: abs(lathe_v)))";
        }
        if (p == 0) {
            return "CAST(len(list_filter(" + array + ", lambda lathe_v: lathe_v <> 0)) AS DOUBLE)";
        }
        return "pow(list_sum(list_transform(" + array + ", lambda lathe_v: pow(abs(lathe_v), " + SqlLiterals.doubleLiteral(p) + "))), "
                + SqlLiterals.doubleLiteral(1 / p) + ")";
    }
}
