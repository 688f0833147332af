package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.options.OptionAssignment;
import dev.lathe.core.options.Position;
import java.util.List;
import java.util.Optional;

/** One parsed statement of a script. {@code text} is its source, {@code position} where it starts. */
public sealed interface Statement {
    String text();

    /**
     * The statement's first word, upper case ({@code BEGIN}, {@code DROP}, ...; empty when it starts with a symbol), read
     * without tokenizing: its text starts at its first token.
     */
    default String firstWord() {
        String text = text();
        int end = 0;
        while (end < text.length() && (Character.isLetter(text.charAt(end)) || text.charAt(end) == '_')) {
            end++;
        }
        return text.substring(0, end).toUpperCase(java.util.Locale.ROOT);
    }

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
     * @param queryStatement the training query parsed: its text as written, the DuckDB text (equal to
     *     {@code query}) and the ML table-function calls in it (a model trained on ML.PREDICT output)
     * @param customHoliday the {@code custom_holiday AS (query)} of ARIMA_PLUS models, parsed the same way
     */
    record CreateModel(String text, Position position, ObjectName name, CreateMode mode, Optional<List<SelectItem>> transform,
            List<ColumnDefinition> inputColumns, List<ColumnDefinition> outputColumns, List<OptionAssignment> options,
            Optional<String> query, Optional<Query> queryStatement, Optional<Query> customHoliday) implements Statement {
        public CreateModel {
            requireNonNull(name, "name is null");
            requireNonNull(mode, "mode is null");
            requireNonNull(transform, "transform is null");
            inputColumns = List.copyOf(inputColumns);
            outputColumns = List.copyOf(outputColumns);
            options = List.copyOf(options);
            requireNonNull(query, "query is null");
            requireNonNull(queryStatement, "queryStatement is null");
            requireNonNull(customHoliday, "customHoliday is null");
        }

        /** The original contract's constructor: the query as text only. */
        public CreateModel(String text, Position position, ObjectName name, CreateMode mode, Optional<List<SelectItem>> transform,
                List<ColumnDefinition> inputColumns, List<ColumnDefinition> outputColumns, List<OptionAssignment> options,
                Optional<String> query) {
            this(text, position, name, mode, transform, inputColumns, outputColumns, options, query, Optional.empty(), Optional.empty());
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

    /** {@code ALTER MODEL [IF EXISTS] name SET OPTIONS (...)}: metadata only (description, labels). */
    record AlterModel(String text, Position position, ObjectName name, boolean ifExists, List<OptionAssignment> options) implements Statement {
        public AlterModel {
            options = List.copyOf(options);
        }
    }

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
     * result table in place of the span. {@code sourceMap} maps offsets in {@code sql} back to the user's
     * line and column (for DuckDB's error messages). {@code createdRelation} is the table or view the statement
     * creates or renames to ({@code CREATE [OR REPLACE] TABLE|VIEW name}, {@code ALTER TABLE|VIEW t RENAME TO name}),
     * so the executor can refuse a name a model holds. {@code wildcards} are the wildcard tables of {@code sql}, with
     * their spans, which the executor expands when the statement runs. {@code askedCatalog}: the rewrite asked the parser's
     * {@link RelationCatalog} (a FROM item both a table and an array path could be), so it may read otherwise once a
     * statement before it in the script has created or dropped that table.
     */
    record Query(String text, Position position, String sql, List<TableFunctionCall> calls, List<WildcardTable> wildcards,
            SourceMap sourceMap, Optional<ObjectName> createdRelation, boolean createsView, boolean askedCatalog) implements Statement {
        public Query {
            requireNonNull(sql, "sql is null");
            calls = List.copyOf(calls);
            wildcards = List.copyOf(wildcards);
            requireNonNull(sourceMap, "sourceMap is null");
            requireNonNull(createdRelation, "createdRelation is null");
        }

        /** A query without wildcard tables, whose rewrite asked no catalog. */
        public Query(String text, Position position, String sql, List<TableFunctionCall> calls, SourceMap sourceMap,
                Optional<ObjectName> createdRelation, boolean createsView) {
            this(text, position, sql, calls, List.of(), sourceMap, createdRelation, createsView, false);
        }

        /** The original contract's constructor: offsets in {@code sql} map to {@code text} one to one. */
        public Query(String text, Position position, String sql, List<TableFunctionCall> calls) {
            this(text, position, sql, calls, SourceMap.identity(text, position), Optional.empty(), false);
        }
    }
}
