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
                new Statistic("stddev", Kind.DOUBLE, over -> nonZero("stddev_samp(" + x + ")" + over))),
                s -> "((" + x + " - " + s.get(0) + ") / " + s.get(1) + ")");
    }
}
