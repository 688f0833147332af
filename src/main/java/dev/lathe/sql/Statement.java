package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.options.OptionAssignment;
import dev.lathe.core.options.Position;
import java.util.List;
import java.util.Optional;

/** One parsed statement of a script. {@code text} is its source, {@code position} where it starts. */
public sealed interface Statement {
    String text();

    Position position();

    enum CreateMode {
        CREATE,
        CREATE_OR_REPLACE,
        CREATE_IF_NOT_EXISTS
    }

    /**
     * {@code CREATE [OR REPLACE] MODEL [IF NOT EXISTS] name [TRANSFORM(...)] [INPUT(...) OUTPUT(...)]
     * OPTIONS(...) [AS query]}.
     *
     * @param transform the TRANSFORM select list, when given
     * @param inputColumns the INPUT(...) clause of imported models: (name, SQL type)
     * @param query the training query text (DuckDB-ready, see {@link Parser}); empty for imported models
     */
    record CreateModel(String text, Position position, ObjectName name, CreateMode mode, Optional<List<SelectItem>> transform,
            List<ColumnDefinition> inputColumns, List<ColumnDefinition> outputColumns, List<OptionAssignment> options,
            Optional<String> query) implements Statement {
        public CreateModel {
            requireNonNull(name, "name is null");
            requireNonNull(mode, "mode is null");
            requireNonNull(transform, "transform is null");
            inputColumns = List.copyOf(inputColumns);
            outputColumns = List.copyOf(outputColumns);
            options = List.copyOf(options);
            requireNonNull(query, "query is null");
        }

        /** The MODEL_TYPE option's value as written, if given as a string. */
        public Optional<String> modelType() {
            return options.stream()
                    .filter(o -> o.name().equalsIgnoreCase("model_type"))
                    .findFirst()
                    .flatMap(o -> o.value() instanceof dev.lathe.core.options.OptionValue.StringValue s
                            ? Optional.of(s.value()) : Optional.empty());
        }
    }

    record DropModel(String text, Position position, ObjectName name, boolean ifExists) implements Statement {}

    /**
     * {@code LOAD DATA [OVERWRITE] INTO name [(col type, ...)] FROM FILES (format = ..., uris = [...], ...)}.
     *
     * @param options every FROM FILES option (format, uris, skip_leading_rows, field_delimiter, ...)
     */
    record LoadData(String text, Position position, ObjectName table, boolean overwrite, List<ColumnDefinition> columns,
            List<OptionAssignment> options) implements Statement {
        public LoadData {
            columns = List.copyOf(columns);
            options = List.copyOf(options);
        }
    }

    /**
     * Any other statement. {@code sql} is the text rewritten for DuckDB (names mapped, BigQuery-only syntax
     * translated, ML preprocessing functions expanded) except the ML table-function calls, which are
     * listed in {@code calls} with their spans in {@code sql}; the executor computes each and splices its
     * result table in place of the span.
     */
    record Query(String text, Position position, String sql, List<TableFunctionCall> calls) implements Statement {
        public Query {
            requireNonNull(sql, "sql is null");
            calls = List.copyOf(calls);
        }
    }
}
