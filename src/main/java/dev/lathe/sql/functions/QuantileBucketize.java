package dev.lathe.sql.functions;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * ML.QUANTILE_BUCKETIZE. BigQuery takes the boundaries from APPROX_QUANTILES(x, num_buckets) without its minimum
 * and maximum; here they are DuckDB's exact {@code quantile_disc} at i / num_buckets (an observed value), which
 * reproduces the documented example: [1..5] into 3 buckets splits at 2 and 4. Equal boundaries are merged, so
 * heavily tied data gives fewer buckets.
 */
final class QuantileBucketize extends AnalyticFunction {
    @Override
    public String name() {
        return "QUANTILE_BUCKETIZE";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(2, 3, "QUANTILE_BUCKETIZE(numerical_expression, num_buckets [, output_format]) OVER()");
        String x = asDouble(arguments.expression(0));
        long buckets = arguments.integer(1, "num_buckets", 0, 1, Vocabulary.UNLIMITED - 1);
        Buckets.Format format = Buckets.Format.read(arguments, 2);
        if (buckets == 1) {
            return new Plan(List.of(), s -> Buckets.render(x, "CAST([] AS DOUBLE[])", format));
        }
        String fractions = LongStream.range(1, buckets)
                .mapToObj(i -> SqlLiterals.doubleLiteral((double) i / buckets))
                .collect(Collectors.joining(", ", "[", "]"));
        return new Plan(List.of(new Statistic("boundaries", Kind.DOUBLE_LIST,
                over -> "list_sort(list_distinct(quantile_disc(" + x + ", " + fractions + ")" + over + "))")),
                s -> Buckets.render(x, s.get(0), format));
    }
}
