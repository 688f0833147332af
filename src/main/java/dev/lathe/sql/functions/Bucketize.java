package dev.lathe.sql.functions;

import java.util.List;

/**
 * ML.BUCKETIZE: k split points give k + 1 buckets named bin_1..; with exclude_boundaries the first and last
 * points are dropped (BigQuery's ML.BUCKETIZE(2.5, [1, 2, 3]) is bin_3, with TRUE bin_2). The split points must
 * be a literal array so that they can be checked when the statement is compiled.
 */
final class Bucketize extends ScalarFunction {
    @Override
    public String name() {
        return "BUCKETIZE";
    }

    @Override
    String render(Arguments arguments) {
        arguments.requireCount(2, 4, "BUCKETIZE(numerical_expression, array_split_points [, exclude_boundaries] [, output_format])");
        List<Double> points = arguments.numberArray(1, "array_split_points");
        for (int i = 0; i < points.size(); i++) {
            if (!Double.isFinite(points.get(i))) {
                throw arguments.invalid("array_split_points", "must hold finite numbers (not -inf, inf or NaN)",
                        arguments.raw(1), "finite numbers in ascending order, such as [1, 2, 3]");
            }
            if (i > 0 && points.get(i) <= points.get(i - 1)) {
                throw arguments.invalid("array_split_points", "must be in strictly ascending order (element " + (i + 1)
                        + " is not above the one before)", arguments.raw(1), "finite numbers in ascending order, such as [1, 2, 3]");
            }
        }
        boolean excludeBoundaries = arguments.bool(2, "exclude_boundaries", false);
        Buckets.Format format = Buckets.Format.read(arguments, 3);
        List<Double> used = excludeBoundaries ? points.subList(Math.min(1, points.size()), Math.max(1, points.size() - 1)) : points;
        return Buckets.render(AnalyticFunction.asDouble(arguments.expression(0)), SqlLiterals.doubleList(used), format);
    }
}
