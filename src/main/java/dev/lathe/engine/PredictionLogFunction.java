package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.options.OptionValue;
import dev.lathe.quality.GroundTruth;
import dev.lathe.quality.PredictionQuality;
import dev.lathe.quality.QualityReport;
import dev.lathe.quality.QualitySpec;
import dev.lathe.quality.TableName;
import dev.lathe.quality.WindowQuality;
import dev.lathe.quality.Windows;
import dev.lathe.sql.TableFunctionCall;
import dev.lathe.warehouse.Sql;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;
import org.duckdb.DuckDBConnection;

/**
 * {@code ML.EVALUATE_PREDICTION_LOG({TABLE labels | (query)}, STRUCT('endpoint' AS endpoint, start AS start_time,
 * end AS end_time [, '1h' AS window_size] ...))}: an endpoint's logged predictions scored against the ground truth
 * argument, one row per window, by {@link PredictionQuality}.
 */
final class PredictionLogFunction {
    static final List<String> SETTINGS = List.of("endpoint", "deployed_model_id", "start_time", "end_time", "window_size", "threshold",
            "request_id_column", "label_column", "instance_index_column", "log_table");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private final DuckDBConnection connection;
    private final PredictionQuality quality;
    private final BiFunction<TableFunctionCall, Scope, String> materialize;

    PredictionLogFunction(DuckDBConnection connection, PredictionQuality quality, BiFunction<TableFunctionCall, Scope, String> materialize) {
        this.connection = connection;
        this.quality = quality;
        this.materialize = materialize;
    }

    String evaluate(TableFunctionCall call, Scope scope) {
        String usage = "ML.EVALUATE_PREDICTION_LOG({TABLE labels | (SELECT ...)}, STRUCT('endpoint-id' AS endpoint, "
                + "TIMESTAMP '2025-01-01' AS start_time, TIMESTAMP '2025-01-02' AS end_time))";
        if (call.model().isPresent() || !call.extraArguments().isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.EVALUATE_PREDICTION_LOG at " + call.position() + " takes the ground truth"
                    + " and a STRUCT of settings: " + usage + "; the log names the models");
        }
        if (call.inputTable().isEmpty() && call.inputQuery().isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.EVALUATE_PREDICTION_LOG at " + call.position() + " needs the ground truth"
                    + " (request ids and labels) as its first argument: " + usage);
        }
        String endpoint = required(call, "endpoint", usage);
        Instant start = Windows.parseTime(required(call, "start_time", usage), "start_time");
        Instant end = Windows.parseTime(required(call, "end_time", usage), "end_time");
        Optional<Duration> size = text(call, "window_size").map(s -> Windows.parseSize(s, "window_size"));
        Windows windows = size.map(s -> new Windows(start, end, s)).orElseGet(() -> Windows.single(start, end));
        String truth = materialize.apply(call, scope);
        QualitySpec spec = QualitySpec.of(endpoint, new GroundTruth.Relation(Sql.selectAll(truth)));
        spec = text(call, "deployed_model_id").map(spec::withDeployedModelId).orElse(spec);
        spec = text(call, "request_id_column").map(spec::withRequestIdColumn).orElse(spec);
        spec = text(call, "label_column").map(spec::withLabelColumn).orElse(spec);
        spec = text(call, "instance_index_column").map(spec::withInstanceIndexColumn).orElse(spec);
        spec = text(call, "log_table").map(t -> TableName.parse(t, "log_table")).map(spec::withLogTable).orElse(spec);
        Optional<Double> threshold = TableFunctions.setting(call, "threshold").map(v -> TableFunctions.number(v, "threshold"));
        spec = threshold.isPresent() ? spec.withThreshold(threshold.get()) : spec;
        QualityReport report = quality.evaluate(connection, spec, windows);
        return Sql.quote(table(scope, report));
    }

    private String table(Scope scope, QualityReport report) {
        List<ResultTable.ColumnSpec> columns = new ArrayList<>(List.of(
                new ResultTable.ColumnSpec("window_start", "TIMESTAMP"),
                new ResultTable.ColumnSpec("window_end", "TIMESTAMP"),
                new ResultTable.ColumnSpec("rows_logged", "BIGINT"),
                new ResultTable.ColumnSpec("rows_matched", "BIGINT"),
                new ResultTable.ColumnSpec("rows_without_label", "BIGINT"),
                new ResultTable.ColumnSpec("rows_without_prediction", "BIGINT"),
                new ResultTable.ColumnSpec("status", "VARCHAR"),
                new ResultTable.ColumnSpec("reason", "VARCHAR")));
        report.metricNames().forEach(name -> columns.add(new ResultTable.ColumnSpec(name, "DOUBLE")));
        List<List<Object>> rows = new ArrayList<>();
        for (WindowQuality window : report.windows()) {
            List<Object> row = new ArrayList<>(List.of(timestamp(window.start()), timestamp(window.end()), window.rowsLogged(),
                    window.rowsMatched(), window.rowsWithoutLabel(), window.rowsWithoutPrediction(), window.status().name()));
            row.add(window.reason().orElse(null));
            report.metricNames().forEach(name -> row.add(window.metrics().get(name)));
            rows.add(row);
        }
        String table = scope.table("evaluate_prediction_log");
        ResultTable.create(connection, table, columns, rows);
        return table;
    }

    private static String timestamp(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC).format(TIMESTAMP);
    }

    private static String required(TableFunctionCall call, String name, String usage) {
        return text(call, name).orElseThrow(() -> new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.EVALUATE_PREDICTION_LOG at "
                + call.position() + " needs the setting " + name + ": " + usage));
    }

    /** A setting written as a string (or TIMESTAMP '...' literal, or a number for ids). */
    private static Optional<String> text(TableFunctionCall call, String name) {
        return TableFunctions.setting(call, name).map(value -> switch (value) {
            case OptionValue.StringValue s -> s.value();
            case OptionValue.NumberValue n when name.equals("deployed_model_id") && n.integral() -> n.value().toPlainString();
            default -> throw new LatheException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' of ML.EVALUATE_PREDICTION_LOG at "
                    + value.position() + " must be a string, got " + value.describe());
        });
    }
}
