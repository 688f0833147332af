package dev.lathe.sql.functions;

import java.util.List;

/**
 * ML.IMPUTER: NULL replaced by the mean, the median or the most frequent value. The median is
 * {@code quantile_disc} as in {@link RobustScaler}; ties for the most frequent value go to the smallest value,
 * so the result is deterministic.
 */
final class Imputer extends AnalyticFunction {
    @Override
    public String name() {
        return "IMPUTER";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(2, 2, "IMPUTER(expression, strategy) OVER() with strategy 'mean', 'median' or 'most_frequent'");
        String x = arguments.expression(0);
        String strategy = arguments.choice(1, "strategy", "mean", List.of("mean", "median", "most_frequent"));
        Statistic statistic = switch (strategy) {
            case "mean" -> new Statistic("mean", Kind.DOUBLE, over -> "avg(" + asDouble(x) + ")" + over);
            case "median" -> new Statistic("median", Kind.DOUBLE, over -> "quantile_disc(" + asDouble(x) + ", 0.5)" + over);
            default -> new Statistic("most_frequent", Kind.TYPED,
                    over -> Vocabulary.mostFrequent("histogram(" + x + ")" + over, Vocabulary.UNLIMITED, 1));
        };
        String value = strategy.equals("most_frequent") ? x : asDouble(x);
        return new Plan(List.of(statistic), s -> "coalesce(" + value + ", " + s.get(0) + ")");
    }
}
