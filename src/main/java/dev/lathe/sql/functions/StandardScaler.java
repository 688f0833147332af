package dev.lathe.sql.functions;

import java.util.List;

/** ML.STANDARD_SCALER: z-score with the sample standard deviation (n - 1), as BigQuery ML's example shows. */
final class StandardScaler extends AnalyticFunction {
    @Override
    public String name() {
        return "STANDARD_SCALER";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(1, 1, "STANDARD_SCALER(numerical_expression) OVER()");
        String x = asDouble(arguments.expression(0));
        return new Plan(List.of(
                new Statistic("mean", Kind.DOUBLE, over -> "avg(" + x + ")" + over),
                // NaN where a value is NaN or infinite, as BigQuery's STDDEV_SAMP gives: DuckDB's fails "STDDEV_SAMP is out of
                // range!", naming no function, column or value (probe rg)
                new Statistic("stddev", Kind.DOUBLE, over -> nonZero("CASE WHEN max(CASE WHEN " + x + " IS NOT NULL AND NOT isfinite(" + x
                        + ") THEN 1 ELSE 0 END)" + over + " = 1 THEN CAST('NaN' AS DOUBLE) ELSE stddev_samp(CASE WHEN isfinite(" + x + ") THEN "
                        + x + " END)" + over + " END"))),
                s -> "((" + x + " - " + s.get(0) + ") / " + s.get(1) + ")");
    }
}
