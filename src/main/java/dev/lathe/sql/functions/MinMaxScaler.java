package dev.lathe.sql.functions;

import java.util.List;

/**
 * ML.MIN_MAX_SCALER: (x - min) / (max - min), clipped to [0, 1]. Over its own window the clip never binds; it
 * matters for frozen statistics applied to new rows outside the training range, as BigQuery ML documents.
 */
final class MinMaxScaler extends AnalyticFunction {
    @Override
    public String name() {
        return "MIN_MAX_SCALER";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(1, 1, "MIN_MAX_SCALER(numerical_expression) OVER()");
        String x = asDouble(arguments.expression(0));
        return new Plan(List.of(
                new Statistic("min", Kind.DOUBLE, over -> "min(" + x + ")" + over),
                new Statistic("range", Kind.DOUBLE, over -> nonZero("max(" + x + ")" + over + " - min(" + x + ")" + over))),
                s -> clip("((" + x + " - " + s.get(0) + ") / " + s.get(1) + ")"));
    }

    // greatest/least would skip a NULL argument and turn a NULL input into 0, hence the CASE. NaN stays NaN: DuckDB orders it
    // above every number, so the clip made one NaN in the column (a NaN range) 1.0 on every row, and a NaN input 1.0 (probe rg).
    private static String clip(String value) {
        return "(CASE WHEN isnan(" + value + ") THEN " + value + " WHEN " + value + " < 0 THEN CAST(0 AS DOUBLE) WHEN " + value
                + " > 1 THEN CAST(1 AS DOUBLE) ELSE " + value + " END)";
    }
}
