package dev.lathe.sql;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import dev.lathe.core.options.Position;
import dev.lathe.sql.functions.PreprocessingFunction;
import dev.lathe.sql.functions.PreprocessingFunctions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Compiles a TRANSFORM select list against the training input (spec section 3.1): expands {@code *},
 * fits every ML preprocessing function on the input and freezes its statistics, and flattens STRUCT
 * outputs into one column per field ({@code <alias>_<field>}), as BigQuery does.
 */
public final class TransformCompiler {
    private static final Set<String> AGGREGATES = Set.of("AVG", "SUM", "COUNT", "COUNTIF", "MIN", "MAX", "STDDEV", "STDDEV_POP",
            "STDDEV_SAMP", "VARIANCE", "VAR_POP", "VAR_SAMP", "ARRAY_AGG", "STRING_AGG", "ARRAY_CONCAT_AGG", "APPROX_QUANTILES",
            "APPROX_COUNT_DISTINCT", "APPROX_TOP_COUNT", "APPROX_TOP_SUM", "LOGICAL_AND", "LOGICAL_OR", "ANY_VALUE", "CORR",
            "COVAR_POP", "COVAR_SAMP", "BIT_AND", "BIT_OR", "BIT_XOR", "PERCENTILE_CONT", "PERCENTILE_DISC", "MEDIAN", "MODE");

    private final String input;
    private final Connection connection;
    private final MlFunctionCatalog functions;
    private final Map<String, String> inputColumns;
    private final Set<String> referenced = new LinkedHashSet<>();

    private TransformCompiler(String input, Connection connection, MlFunctionCatalog functions) {
        this.input = input;
        this.connection = connection;
        this.functions = functions;
        this.inputColumns = new LinkedHashMap<>();
        for (String column : columnNames(connection, "SELECT * FROM (" + input + ") AS __lathe_input LIMIT 0",
                "TRANSFORM could not read the columns of its input").keySet()) {
            inputColumns.put(column.toLowerCase(Locale.ROOT), column);
        }
    }

    public static FittedTransform fit(List<SelectItem> items, String inputRelationDuckDbSql, Connection connection) {
        return fit(items, inputRelationDuckDbSql, connection, Set.of());
    }

    /**
     * As {@link #fit(List, String, Connection)}; {@code passThrough} names columns (label, data_split_col,
     * ...) that must appear in the output unchanged and unaliased.
     */
    public static FittedTransform fit(List<SelectItem> items, String inputRelationDuckDbSql, Connection connection,
            Set<String> passThrough) {
        return fit(items, inputRelationDuckDbSql, connection, passThrough, PreprocessingFunctions::find, PreprocessingFunctions.names());
    }

    /** As above, finding preprocessing functions with {@code lookup} (upper-case name without {@code ML.}). */
    public static FittedTransform fit(List<SelectItem> items, String inputRelationDuckDbSql, Connection connection,
            Set<String> passThrough, Function<String, Optional<PreprocessingFunction>> lookup) {
        return fit(items, inputRelationDuckDbSql, connection, passThrough, lookup, List.of());
    }

    /** As above; {@code names} are offered in "did you mean" hints, as a plain query's are (probe rg: none in TRANSFORM). */
    private static FittedTransform fit(List<SelectItem> items, String inputRelationDuckDbSql, Connection connection,
            Set<String> passThrough, Function<String, Optional<PreprocessingFunction>> lookup, java.util.Collection<String> names) {
        TransformCompiler compiler = new TransformCompiler(inputRelationDuckDbSql, connection,
                new MlFunctionCatalog(lookup, List.copyOf(names)));
        return compiler.compile(items, passThrough);
    }

    private FittedTransform compile(List<SelectItem> items, Set<String> passThrough) {
        Set<String> passThroughLower = new LinkedHashSet<>();
        passThrough.forEach(p -> passThroughLower.add(p.toLowerCase(Locale.ROOT)));
        List<FittedTransform.OutputColumn> outputs = new ArrayList<>();
        Map<String, Position> seen = new LinkedHashMap<>();
        Set<String> passedThrough = new LinkedHashSet<>();
        for (SelectItem item : items) {
            switch (item) {
                case SelectItem.Star star -> expandStar(star, passThroughLower, outputs, seen, passedThrough);
                case SelectItem.Expression expression -> {
                    FittedTransform.OutputColumn output = compileExpression(expression, passThroughLower, passedThrough);
                    add(outputs, seen, output, expression.position());
                }
            }
        }
        for (String column : passThroughLower) {
            if (!passedThrough.contains(column)) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "TRANSFORM must pass column '" + column
                        + "' through unchanged (by name or with *), but its output columns are: " + String.join(", ", seen.keySet()));
            }
        }
        List<String> inputs = inputColumns.values().stream().filter(c -> referenced.contains(c.toLowerCase(Locale.ROOT))).toList();
        return new FittedTransform(flattenStructs(outputs), inputs);
    }

    private void expandStar(SelectItem.Star star, Set<String> passThrough, List<FittedTransform.OutputColumn> outputs,
            Map<String, Position> seen, Set<String> passedThrough) {
        Set<String> except = new LinkedHashSet<>();
        for (String name : star.except()) {
            except.add(resolveColumn(name, star.position()).toLowerCase(Locale.ROOT));
        }
        Map<String, SelectItem.Expression> replace = new LinkedHashMap<>();
        for (SelectItem.Expression expression : star.replace()) {
            String column = resolveColumn(expression.alias().orElseThrow(), expression.position()).toLowerCase(Locale.ROOT);
            if (passThrough.contains(column)) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Column '" + column + "' must pass through TRANSFORM unchanged but "
                        + "* REPLACE at " + expression.position() + " transforms it");
            }
            replace.put(column, expression);
        }
        for (Map.Entry<String, String> column : inputColumns.entrySet()) {
            if (except.contains(column.getKey())) {
                continue;
            }
            SelectItem.Expression replacement = replace.get(column.getKey());
            if (replacement != null) {
                add(outputs, seen, new FittedTransform.OutputColumn(column.getValue(), compileSql(replacement)), replacement.position());
            } else {
                referenced.add(column.getKey());
                if (passThrough.contains(column.getKey())) {
                    passedThrough.add(column.getKey());
                }
                add(outputs, seen, new FittedTransform.OutputColumn(column.getValue(), DuckDbRewriter.quoteIdentifier(column.getValue())),
                        star.position());
            }
        }
    }

    private FittedTransform.OutputColumn compileExpression(SelectItem.Expression expression, Set<String> passThrough,
            Set<String> passedThrough) {
        if (expression.columnReference().isPresent()) {
            String column = resolveColumn(expression.columnReference().get(), expression.position());
            String lower = column.toLowerCase(Locale.ROOT);
            referenced.add(lower);
            String name = expression.alias().orElse(column);
            if (passThrough.contains(lower)) {
                if (!name.equalsIgnoreCase(column)) {
                    throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Column '" + column + "' must pass through TRANSFORM unaliased but "
                            + "is renamed to '" + name + "' at " + expression.position() + "; write it as " + column);
                }
                passedThrough.add(lower);
            } else if (passThrough.contains(name.toLowerCase(Locale.ROOT))) {
                throw passThroughClash(name, expression);
            }
            return new FittedTransform.OutputColumn(name, DuckDbRewriter.quoteIdentifier(column));
        }
        if (expression.alias().isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "TRANSFORM item at " + expression.position() + " needs an alias, e.g. "
                    + expression.sql() + " AS " + suggestAlias(expression.sql()));
        }
        String name = expression.alias().get();
        if (passThrough.contains(name.toLowerCase(Locale.ROOT))) {
            throw passThroughClash(name, expression);
        }
        return new FittedTransform.OutputColumn(name, compileSql(expression));
    }

    private static LatheException passThroughClash(String name, SelectItem.Expression expression) {
        return new LatheException(ErrorCode.INVALID_ARGUMENT, "Column '" + name + "' must pass through TRANSFORM unchanged but "
                + "the item at " + expression.position() + " computes it from '" + expression.sql() + "'; list it by name instead");
    }

    /** The expression rewritten for DuckDB with every preprocessing call fitted on the input. */
    private String compileSql(SelectItem.Expression expression) {
        compiling.add(expression);
        Tokenizer.Result scanned = Tokenizer.scan(expression.sql(), expression.position());
        List<Token> tokens = scanned.tokens();
        int end = tokens.size() - 1;
        for (int i = 0; i < end; i++) {
            Token token = tokens.get(i);
            boolean qualified = i > 0 && tokens.get(i - 1).isSymbol(".");
            boolean called = tokens.get(i + 1).isSymbol("(");
            if (token.isName() && !qualified && !called && inputColumns.containsKey(token.value().toLowerCase(Locale.ROOT))) {
                referenced.add(token.value().toLowerCase(Locale.ROOT));
            }
            if (token.isWord("SELECT") && i > 0 && tokens.get(i - 1).isSymbol("(")) {
                // spec 3.1: TRANSFORM's select list forbids subqueries (probe rg: (SELECT 1) AS q was taken)
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "TRANSFORM item at " + expression.position() + " holds a subquery at "
                        + token.position() + "; TRANSFORM computes each row from that row's columns (BigQuery ML forbids subqueries there):"
                        + " compute it in the training query instead");
            }
            if (token.kind() == TokenKind.IDENTIFIER && called && !qualified) {
                int close = TokenCursor.matching(tokens, i + 1);
                boolean over = tokens.get(close + 1).isWord("OVER");
                if (AGGREGATES.contains(token.upper()) && !over) {
                    throw new LatheException(ErrorCode.INVALID_ARGUMENT, "TRANSFORM item at " + expression.position() + " uses the aggregate "
                            + "function " + token.upper() + " at " + token.position() + "; TRANSFORM computes one value per row, "
                            + "use an ML preprocessing function such as ML.STANDARD_SCALER(x) OVER() instead");
                }
                if (over) {
                    throw new LatheException(ErrorCode.INVALID_ARGUMENT, "TRANSFORM item at " + expression.position() + " uses the analytic "
                            + "function " + token.upper() + " OVER at " + token.position() + "; TRANSFORM allows OVER only on ML "
                            + "preprocessing functions such as ML.QUANTILE_BUCKETIZE(x, 4) OVER()");
                }
            }
        }
        DuckDbRewriter rewriter = new DuckDbRewriter(expression.sql(), expression.position(), tokens, scanned.comments(), functions,
                this::fitCall, Optional.of("TRANSFORM"));
        return rewriter.rewrite(0, end).sql();
    }

    private String fitCall(PreprocessingFunction function, List<String> arguments, Optional<String> over, Token at) {
        if (!function.analytic()) {
            return "(" + function.renderWindow(arguments, "") + ")";
        }
        String window = over.orElse("()").replaceAll("\\s+", "");
        if (!window.equals("()")) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "ML." + function.name() + " at " + at.position() + " in TRANSFORM takes OVER() "
                    + "with an empty window, because its statistics are computed once over the whole training input, but found OVER"
                    + over.orElse(""));
        }
        try {
            return "(" + function.fit(arguments, input, connection).sql() + ")";
        } catch (LatheException e) {
            throw placed(e, "ML." + function.name(), at.position());
        }
    }

    private static final java.util.regex.Pattern UNKNOWN_COLUMN = java.util.regex.Pattern.compile(
            "Referenced column \"([^\"]+)\" not found");

    /** The expressions compiled so far, whose tokens place a column DuckDB found unknown. */
    private final List<SelectItem.Expression> compiling = new ArrayList<>();

    /**
     * A DuckDB failure while fitting or reading the TRANSFORM, as the user's error: an unknown column is named where it is
     * written, with the training query's columns (DuckDB offered only the column it happened to bind, "label"); any other
     * (a string where a number is needed) says which call it came from.
     */
    private LatheException placed(LatheException e, String what, Position position) {
        java.util.regex.Matcher unknown = UNKNOWN_COLUMN.matcher(e.getMessage());
        if (unknown.find()) {
            String name = unknown.group(1);
            for (SelectItem.Expression expression : compiling) {
                for (Token token : Tokenizer.scan(expression.sql(), expression.position()).tokens()) {
                    if (token.isName() && token.value().equalsIgnoreCase(name)) {
                        return new LatheException(ErrorCode.COLUMN_NOT_FOUND, "Column '" + name + "' at " + token.position()
                                + " is not in the training query" + Suggestions.withChoices(name, inputColumns.values(), "Columns"), e);
                    }
                }
            }
        }
        if (position.line() <= 0 || e.getMessage().contains(" at line ")) {
            return e; // nowhere better to point, or already placed
        }
        if (e.code() != ErrorCode.SQL_ERROR) { // a rule of the function's own (an argument out of range): where it was broken
            return new LatheException(e.code(), e.getMessage() + " (" + what + " at " + position + ")", e);
        }
        String prefix = "Computing the statistics of " + what + " over the training input failed: ";
        String detail = e.getMessage().startsWith(prefix) ? e.getMessage().substring(prefix.length()) : e.getMessage();
        return new LatheException(e.code(), what + " at " + position + ": computing its statistics over the training input failed: "
                + detail, e);
    }

    private static final java.util.regex.Pattern DEPTH_LIMIT = java.util.regex.Pattern.compile(
            "(?i)max expression depth limit of (\\d+) exceeded");

    /**
     * Where binding the TRANSFORM failed on DuckDB's expression depth limit, the output that nests too deep, at the place it
     * is written, with the limit: DuckDB names neither, and its advice, raising max_expression_depth, ends the process
     * (Warehouse#MAX_EXPRESSION_DEPTH). Each output is bound alone to find it.
     */
    private Optional<LatheException> tooDeep(LatheException e, List<FittedTransform.OutputColumn> outputs) {
        java.util.regex.Matcher limit = DEPTH_LIMIT.matcher(e.getMessage());
        if (!limit.find()) {
            return Optional.empty();
        }
        for (FittedTransform.OutputColumn output : outputs) {
            try {
                columnNames(connection, new FittedTransform(List.of(output), List.of()).apply(input) + " LIMIT 0", "");
            } catch (LatheException failure) {
                if (!DEPTH_LIMIT.matcher(failure.getMessage()).find()) {
                    continue;
                }
                String where = compiling.stream().filter(expression -> expression.alias().map(output.name()::equalsIgnoreCase).orElse(false))
                        .findFirst().map(expression -> " at " + expression.position()).orElse("");
                return Optional.of(new LatheException(ErrorCode.INVALID_ARGUMENT, String.format(Locale.ROOT, "TRANSFORM output '%s'%s"
                        + " nests deeper than DuckDB's limit of %,d expression levels (calls, operators and parentheses inside one"
                        + " another); write it with fewer: a long chain of operators grouped in balanced parentheses, ((a + b) +"
                        + " (c + d)), nests only as deep as the logarithm of its length", output.name(), where,
                        Integer.parseInt(limit.group(1))), e));
            }
        }
        return Optional.empty();
    }

    /** Replaces each STRUCT output by one column per field, {@code <name>_<field>}. */
    private List<FittedTransform.OutputColumn> flattenStructs(List<FittedTransform.OutputColumn> outputs) {
        Map<String, String> types;
        try {
            types = columnNames(connection, new FittedTransform(outputs, List.of()).apply(input) + " LIMIT 0",
                    "TRANSFORM's expressions could not be bound over its input");
        } catch (LatheException e) {
            throw placed(tooDeep(e, outputs).orElse(e), "TRANSFORM", Position.UNKNOWN);
        }
        List<FittedTransform.OutputColumn> flat = new ArrayList<>();
        for (FittedTransform.OutputColumn output : outputs) {
            if (!isStruct(types.getOrDefault(output.name(), ""))) {
                flat.add(output);
                continue;
            }
            String fieldsQuery = "SELECT unnest(" + output.sql() + ") FROM (" + input + ") AS __lathe_input LIMIT 0";
            for (String field : columnNames(connection, fieldsQuery, "TRANSFORM's expressions could not be bound over its input").keySet()) {
                flat.add(new FittedTransform.OutputColumn(output.name() + "_" + field,
                        "(" + output.sql() + ")." + DuckDbRewriter.quoteIdentifier(field)));
            }
        }
        return flat;
    }

    /**
     * Whether a DuckDB type name is a STRUCT itself: {@code STRUCT(...)}, not a list or array of them ({@code STRUCT(...)[]},
     * {@code STRUCT(...)[3]}), which is what the encoders return and stays one sparse feature.
     */
    static boolean isStruct(String type) {
        String upper = type.strip().toUpperCase(Locale.ROOT);
        return upper.startsWith("STRUCT(") && upper.endsWith(")");
    }

    private void add(List<FittedTransform.OutputColumn> outputs, Map<String, Position> seen, FittedTransform.OutputColumn output,
            Position position) {
        Position earlier = seen.putIfAbsent(output.name().toLowerCase(Locale.ROOT), position);
        if (earlier != null) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "TRANSFORM output column '" + output.name() + "' at " + position
                    + " duplicates the one at " + earlier + "; give each output a distinct alias");
        }
        outputs.add(output);
    }

    private String resolveColumn(String name, Position position) {
        String column = inputColumns.get(name.toLowerCase(Locale.ROOT));
        if (column == null) {
            throw new LatheException(ErrorCode.COLUMN_NOT_FOUND, "Column '" + name + "' at " + position + " is not in the training query"
                    + Suggestions.withChoices(name, inputColumns.values(), "Columns"));
        }
        return column;
    }

    /** {@code f1 + f2} becomes {@code f1_plus_f2}: a hint for the alias a computed item needs. */
    static String suggestAlias(String sql) {
        String words = sql.replace("+", " plus ").replace("-", " minus ").replace("*", " times ").replace("/", " div ")
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (words.isEmpty() || Character.isDigit(words.charAt(0))) {
            words = "feature_" + words;
        }
        return words.length() > 40 ? words.substring(0, 40).replaceAll("_+$", "") : words;
    }

    /**
     * Column name to DuckDB type name of a query's result, in order; {@code failing} says what failed (the input's query, or
     * the TRANSFORM's expressions over it: a 1,000-deep expression blamed the input's columns, probe ud F5b).
     */
    private static Map<String, String> columnNames(Connection connection, String sql, String failing) {
        try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            ResultSetMetaData metaData = result.getMetaData();
            Map<String, String> columns = new LinkedHashMap<>();
            for (int i = 1; i <= metaData.getColumnCount(); i++) {
                columns.put(metaData.getColumnName(i), metaData.getColumnTypeName(i));
            }
            return columns;
        } catch (SQLException e) {
            throw new LatheException(ErrorCode.SQL_ERROR, failing + ": "
                    + dev.lathe.core.DuckDbMessages.brief(e.getMessage()), e);
        }
    }
}
