package dev.lathe.sql.functions;

import java.util.ArrayList;
import java.util.List;

/**
 * ML.ROBUST_SCALER: (x - median) / (q_hi - q_lo). Quantiles are DuckDB's {@code quantile_disc} (the lower
 * observed value at each rank), the definition that reproduces BigQuery ML's documented example: on
 * [-3, 1, 2, 3, 4, 5] it gives median 2 and quartiles 1 and 4, hence -3 -> -1.6667 and 5 -> 1.0.
 */
final class RobustScaler extends AnalyticFunction {
    @Override
    public String name() {
        return "ROBUST_SCALER";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(1, 4,
                "ROBUST_SCALER(numerical_expression [, quantile_range] [, with_median] [, with_quantile_range]) OVER()");
        String x = asDouble(arguments.expression(0));
        double low = 25;
        double high = 75;
        if (arguments.present(1)) {
            List<Double> range = arguments.numberArray(1, "quantile_range");
            if (range.size() != 2 || !(range.get(0) > 0 && range.get(0) < range.get(1) && range.get(1) < 100)) {
                throw arguments.invalid("quantile_range", "must hold two percentiles with 0 < low < high < 100",
                        arguments.raw(1), "an array such as [25, 75]");
            }
            low = range.get(0);
            high = range.get(1);
        }
        boolean withMedian = arguments.bool(2, "with_median", true);
        boolean withQuantileRange = arguments.bool(3, "with_quantile_range", true);
        String lowFraction = SqlLiterals.doubleLiteral(low / 100);
        String highFraction = SqlLiterals.doubleLiteral(high / 100);
        List<Statistic> statistics = new ArrayList<>();
        if (withMedian) {
            statistics.add(new Statistic("median", Kind.DOUBLE, over -> "quantile_disc(" + x + ", 0.5)" + over));
        }
        if (withQuantileRange) {
            statistics.add(new Statistic("quantile_range", Kind.DOUBLE, over -> nonZero(
                    "quantile_disc(" + x + ", " + highFraction + ")" + over + " - quantile_disc(" + x + ", " + lowFraction + ")" + over)));
        }
        return new Plan(statistics, s -> {
            String centered = withMedian ? "(" + x + " - " + s.get(0) + ")" : x;
            return withQuantileRange ? "(" + centered + " / " + s.get(s.size() - 1) + ")" : centered;
        });
    }
}
