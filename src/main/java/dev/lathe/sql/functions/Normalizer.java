package dev.lathe.sql.functions;

/**
 * ML.NORMALIZER: the array divided by its p-norm (p default 2, p at least 1, or infinity for the largest
 * absolute value, or 0 for the count of non-zero values). An all-zero array is returned unchanged rather than divided by zero.
 */
final class Normalizer extends ScalarFunction {
    @Override
    public String name() {
        return "NORMALIZER";
    }

    @Override
    String render(Arguments arguments) {
        arguments.requireCount(1, 2, "NORMALIZER(array_expression [, p])");
        String array = "CAST(" + arguments.expression(0) + " AS DOUBLE[])";
        double p = arguments.number(1, "p", 2);
        if (Double.isNaN(p) || (p != 0 && p < 1)) { // BigQuery takes 0.0 too: the count of non-zero values (probe rg)
            throw arguments.invalid("p", "must be 0 or at least 1", arguments.raw(1), "0, a number >= 1, or CAST('inf' AS FLOAT64)");
        }
        String norm = LpNorm.of("lathe_a", p);
        return "(list_transform([" + array + "], lambda lathe_a: list_transform([" + norm + "], lambda lathe_n: "
                + "list_transform(lathe_a, lambda lathe_v: CASE WHEN lathe_n = 0 THEN lathe_v ELSE lathe_v / lathe_n END))[1]))[1]";
    }
}
