package dev.lathe.sql.functions;

import java.util.List;

/**
 * ML.DISTANCE(x, y [, type]): the distance between two numeric arrays of one length, type 'EUCLIDEAN' (the default),
 * 'MANHATTAN' or 'COSINE' (1 - the cosine similarity); NULL when either is NULL. Arrays of different lengths fail, as
 * in BigQuery. (BigQuery's sparse form, arrays of {key, value} structs, is not supported.)
 */
final class Distance extends ScalarFunction {
    @Override
    public String name() {
        return "DISTANCE";
    }

    @Override
    String render(Arguments arguments) {
        arguments.requireCount(2, 3, "DISTANCE(x, y [, 'EUCLIDEAN' | 'MANHATTAN' | 'COSINE'])");
        String type = arguments.choice(2, "type", "EUCLIDEAN", List.of("EUCLIDEAN", "MANHATTAN", "COSINE"));
        String x = "CAST(" + arguments.expression(0) + " AS DOUBLE[])";
        String y = "CAST(" + arguments.expression(1) + " AS DOUBLE[])";
        return switch (type) {
            // list_distance's own failures named it, a function the user did not write (probe rg)
            case "EUCLIDEAN" -> pairwise(x, y, "sqrt(list_sum(list_transform(list_zip(lathe_x, lathe_y), lambda lathe_p:"
                    + " (lathe_p[1] - lathe_p[2]) * (lathe_p[1] - lathe_p[2]))))");
            case "MANHATTAN" -> pairwise(x, y, "list_sum(list_transform(list_zip(lathe_x, lathe_y), lambda lathe_p: abs(lathe_p[1] - lathe_p[2])))");
            default -> pairwise(x, y, cosine());
        };
    }

    /**
     * {@code distance} of the arrays bound to lathe_x and lathe_y: NULL where either is NULL, and a failure in ML.DISTANCE's
     * words where their lengths differ or an element is NULL (which the sums would skip, measuring fewer dimensions).
     */
    private static String pairwise(String x, String y, String distance) {
        return "(list_transform([" + x + "], lambda lathe_x: list_transform([" + y + "], lambda lathe_y: CASE WHEN lathe_x IS NULL OR"
                + " lathe_y IS NULL THEN NULL WHEN len(lathe_x) <> len(lathe_y) THEN error('ML.DISTANCE needs two arrays of one length, got '"
                + " || len(lathe_x) || ' and ' || len(lathe_y)) WHEN list_contains(list_transform(lathe_x || lathe_y, lambda lathe_e:"
                + " lathe_e IS NULL), true) THEN error('ML.DISTANCE needs arrays without NULL elements') ELSE " + distance + " END)[1]))[1]";
    }

    /**
     * 1 - the cosine similarity, each vector first divided by its largest magnitude: DuckDB's list_cosine_similarity is -1
     * (a distance of 2, "opposite") where the norms' product is 0 or not finite, so a zero vector, and identical vectors
     * whose squares overflow (1e155) or underflow (1e-200), came out 2.0 (probe rg). A zero vector's is NaN, as scipy's.
     */
    private static String cosine() {
        String unit = "list_transform([list_max(list_transform(%1$s, lambda lathe_b: abs(lathe_b)))], lambda lathe_m%2$s:"
                + " list_transform(%1$s, lambda lathe_a: lathe_a / lathe_m%2$s))[1]";
        return "list_transform([" + unit.formatted("lathe_x", "x") + "], lambda lathe_u: list_transform([" + unit.formatted("lathe_y", "y")
                + "], lambda lathe_v: 1 - list_dot_product(lathe_u, lathe_v) / (sqrt(list_dot_product(lathe_u, lathe_u))"
                + " * sqrt(list_dot_product(lathe_v, lathe_v))))[1])[1]";
    }
}
