package dev.lathe.sql.functions;

import java.util.List;

/** ML.MAX_ABS_SCALER: x / max|x|, into [-1, 1] without centering. */
final class MaxAbsScaler extends AnalyticFunction {
    @Override
    public String name() {
        return "MAX_ABS_SCALER";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(1, 1, "MAX_ABS_SCALER(numerical_expression) OVER()");
        String x = asDouble(arguments.expression(0));
        return new Plan(List.of(new Statistic("max_abs", Kind.DOUBLE, over -> nonZero("max(abs(" + x + "))" + over))),
                s -> "(" + x + " / " + s.get(0) + ")");
    }
}
