package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.options.OptionValue;
import dev.lathe.core.options.Position;
import java.util.List;
import java.util.Optional;

/**
 * An ML table-valued function call inside a query, e.g. {@code ML.PREDICT(MODEL d.m, (SELECT ...),
 * STRUCT(0.6 AS threshold))}.
 *
 * @param function upper-case name without the {@code ML.} prefix (PREDICT, EVALUATE, ...)
 * @param model the MODEL argument, if any
 * @param inputTable a {@code TABLE d.t} argument
 * @param inputQuery a {@code (query)} argument: the query text in BigQuery dialect, as written; the
 *     executor parses it again (it may contain ML calls itself)
 * @param settings the trailing {@code STRUCT(value AS name, ...)}, if any
 * @param extraArguments other arguments as SQL text (e.g. {@code GENERATE_ARRAY(0, 1, 0.1)} for ROC_CURVE)
 * @param start offset of {@code ML.} in {@link Statement.Query#sql()}
 * @param end offset just after the closing parenthesis
 * @param position where {@code ML.} was written in the user's script
 * @param inputQueryPosition where {@code inputQuery} starts in the user's script, to parse it again with
 *     the right positions ({@link Parser#parse(String, Position)}); {@link Position#UNKNOWN} without one
 */
public record TableFunctionCall(String function, Optional<ObjectName> model, Optional<ObjectName> inputTable,
        Optional<String> inputQuery, Optional<OptionValue.StructValue> settings, List<String> extraArguments, int start, int end,
        Position position, Position inputQueryPosition) {
    public TableFunctionCall {
        requireNonNull(function, "function is null");
        requireNonNull(model, "model is null");
        requireNonNull(inputTable, "inputTable is null");
        requireNonNull(inputQuery, "inputQuery is null");
        requireNonNull(settings, "settings is null");
        extraArguments = List.copyOf(extraArguments);
        requireNonNull(position, "position is null");
        requireNonNull(inputQueryPosition, "inputQueryPosition is null");
    }

    /** The original contract's constructor, without the input query's position. */
    public TableFunctionCall(String function, Optional<ObjectName> model, Optional<ObjectName> inputTable,
            Optional<String> inputQuery, Optional<OptionValue.StructValue> settings, List<String> extraArguments, int start, int end,
            Position position) {
        this(function, model, inputTable, inputQuery, settings, extraArguments, start, end, position, Position.UNKNOWN);
    }
}
