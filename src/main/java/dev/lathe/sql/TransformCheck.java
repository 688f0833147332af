package dev.lathe.sql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Checks a fitted TRANSFORM's expressions before any of them runs: each must be what {@link TransformCompiler} makes, an
 * expression computing one value from the input row's own columns, with the statistics frozen as constants.
 * {@code transform.json} holds them as DuckDB SQL, which prediction runs as it is; a model folder handed over (copied
 * into {@code models/}, restored, served by a replica) could otherwise read local files or other tables at the first
 * ML.PREDICT, e.g. {@code (SELECT content FROM read_text('/etc/passwd'))} (probe td F8).
 *
 * <p>DuckDB's own parser reads them ({@code json_serialize_sql}, which parses without binding or running anything), so
 * what is checked is exactly what DuckDB would run: no hand-written scanner can disagree with it about where a string or
 * a comment ends. Refused: more than one statement, a FROM clause (table functions such as {@code read_text} or
 * {@code read_csv} live there) or any other clause, a subquery, a window, {@code *}, a parameter, a function of another
 * schema or catalog, and the few built-in scalar functions that read or change state beyond the row (sequences, settings,
 * variables, the random seed).
 */
public final class TransformCheck {
    /** The expression classes of DuckDB's parse tree that a TRANSFORM's expressions are made of. */
    private static final Set<String> EXPRESSIONS = Set.of("CONSTANT", "COLUMN_REF", "FUNCTION", "OPERATOR", "CAST", "CASE",
            "COMPARISON", "CONJUNCTION", "BETWEEN", "LAMBDA", "LAMBDA_REF", "COLLATE");

    /** Built-in scalar functions that read or change state outside the row. */
    private static final Set<String> REFUSED_FUNCTIONS = Set.of("nextval", "currval", "setseed", "getvariable", "current_setting",
            "getenv", "current_query", "current_query_id", "json_deserialize_sql", "json_execute_serialized_sql");

    /** Schemas a built-in function may be named in (the parser itself names some, such as {@code main.list_value}). */
    private static final Set<String> BUILT_IN_SCHEMAS = Set.of("", "main", "pg_catalog", "system");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Connection> connections;
    private final boolean closeEach;

    private TransformCheck(Supplier<Connection> connections, boolean closeEach) {
        this.connections = connections;
        this.closeEach = closeEach;
    }

    /** A check that parses on a new connection from {@code newConnection} each time, closed after. */
    public static TransformCheck using(Supplier<Connection> newConnection) {
        return new TransformCheck(newConnection, true);
    }

    /** A check that parses on {@code connection}, which it leaves open. */
    public static TransformCheck on(Connection connection) {
        return new TransformCheck(() -> connection, false);
    }

    /**
     * {@code transform}, once every output's expression is one a TRANSFORM makes; otherwise INVALID_ARGUMENT naming the
     * output column and what it holds (a stored file's reader says which file).
     */
    public FittedTransform check(FittedTransform transform) {
        List<FittedTransform.OutputColumn> columns = transform.columns();
        if (columns.isEmpty()) {
            return transform;
        }
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            select.append(i == 0 ? "" : ", ").append(columns.get(i).sql()).append(" AS c").append(i);
        }
        JsonNode tree = parse(select.toString());
        if (tree.path("error").asBoolean(false)) {
            throw refused("its expressions do not parse as DuckDB SQL (" + tree.path("error_message").asText() + ")");
        }
        JsonNode statements = tree.path("statements");
        JsonNode node = statements.path(0).path("node");
        if (statements.size() != 1 || !"SELECT_NODE".equals(node.path("type").asText())) {
            throw refused("its expressions hold " + (statements.size() == 1 ? "a statement other than a SELECT list"
                    : statements.size() + " statements") + ", where a TRANSFORM makes one expression per output column");
        }
        for (Map.Entry<String, String> clause : Map.of("from_table", "a FROM clause (a table or a table function such as"
                + " read_text)", "where_clause", "a WHERE clause", "having", "a HAVING clause", "qualify", "a QUALIFY clause",
                "sample", "a SAMPLE clause").entrySet()) {
            JsonNode value = node.path(clause.getKey());
            boolean empty = value.isMissingNode() || value.isNull() || "EMPTY".equals(value.path("type").asText());
            if (!empty) {
                throw refused("its expressions add " + clause.getValue() + " to the query around them");
            }
        }
        if (node.path("group_expressions").size() > 0 || node.path("modifiers").size() > 0
                || node.path("cte_map").path("map").size() > 0) {
            throw refused("its expressions add a GROUP BY, ORDER BY, LIMIT or WITH clause to the query around them");
        }
        JsonNode list = node.path("select_list");
        if (list.size() != columns.size()) {
            throw refused("its expressions make " + list.size() + " columns where the TRANSFORM has " + columns.size()
                    + " outputs: one expression holds a comma outside its own parentheses");
        }
        for (int i = 0; i < columns.size(); i++) {
            walk(list.get(i), columns.get(i).name(), true);
        }
        return transform;
    }

    /** Checks {@code node} and everything below it; {@code top}: the output column's own expression. */
    private static void walk(JsonNode node, String column, boolean top) {
        if (node.isArray()) {
            node.forEach(item -> walk(item, column, false));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        if (!top && "SELECT_NODE".equals(node.path("type").asText())) {
            throw refusedIn(column, "a query");
        }
        JsonNode kind = node.get("class");
        if (kind != null && kind.isTextual()) {
            String expression = kind.asText();
            if (expression.equals("SUBQUERY") && unnestMembership(node)) {
                // GoogleSQL's x IN UNNEST(array), as the rewriter writes it: x IN (SELECT unnest(array)), which reads no table
                // (refused, models made with it before the check came stopped loading: probe uc F1)
                walk(node.path("child"), column, false);
                walk(node.path("subquery").path("node").path("select_list").get(0).path("children"), column, false);
                return;
            }
            if (!EXPRESSIONS.contains(expression)) {
                throw refusedIn(column, describe(expression));
            }
            if (expression.equals("FUNCTION")) {
                String name = node.path("function_name").asText().toLowerCase(Locale.ROOT);
                String schema = node.path("schema").asText("").toLowerCase(Locale.ROOT);
                String catalog = node.path("catalog").asText("").toLowerCase(Locale.ROOT);
                if (REFUSED_FUNCTIONS.contains(name)) {
                    throw refusedIn(column, "a call of " + name + ", which reads or changes state beyond the row");
                }
                if (!BUILT_IN_SCHEMAS.contains(schema) || !(catalog.isEmpty() || catalog.equals("system"))) {
                    throw refusedIn(column, "a call of " + (catalog.isEmpty() ? "" : catalog + ".") + schema + "." + name
                            + ", a function of a database or schema of its own");
                }
            }
        }
        for (Iterator<JsonNode> fields = node.elements(); fields.hasNext(); ) {
            walk(fields.next(), column, false);
        }
    }

    /**
     * Whether the SUBQUERY {@code node} is {@code child IN (SELECT unnest(list))}, no more: one unnest of the built-in
     * schema in its SELECT list, and no FROM, WHERE or other clause.
     */
    private static boolean unnestMembership(JsonNode node) {
        JsonNode query = node.path("subquery").path("node");
        JsonNode list = query.path("select_list");
        if (!"ANY".equals(node.path("subquery_type").asText()) || !"COMPARE_EQUAL".equals(node.path("comparison_type").asText())
                || !"SELECT_NODE".equals(query.path("type").asText()) || list.size() != 1
                || node.path("subquery").path("named_param_map").size() > 0) {
            return false;
        }
        JsonNode unnest = list.get(0);
        if (!"FUNCTION".equals(unnest.path("class").asText()) || !"unnest".equalsIgnoreCase(unnest.path("function_name").asText())
                || !BUILT_IN_SCHEMAS.contains(unnest.path("schema").asText("").toLowerCase(Locale.ROOT))
                || !unnest.path("catalog").asText("").isEmpty() || unnest.path("children").size() != 1
                || unnest.path("distinct").asBoolean(false) || !unnest.path("filter").isNull() && !unnest.path("filter").isMissingNode()) {
            return false;
        }
        JsonNode from = query.path("from_table");
        if (!"EMPTY".equals(from.path("type").asText())) {
            return false;
        }
        for (String clause : List.of("where_clause", "having", "qualify", "sample")) {
            JsonNode value = query.path(clause);
            if (!(value.isMissingNode() || value.isNull())) {
                return false;
            }
        }
        return query.path("group_expressions").size() == 0 && query.path("group_sets").size() == 0
                && query.path("modifiers").size() == 0 && query.path("cte_map").path("map").size() == 0;
    }

    private static String describe(String expression) {
        return switch (expression) {
            case "SUBQUERY" -> "a subquery";
            case "WINDOW" -> "a window function (OVER)";
            case "STAR" -> "a * or COLUMNS(...) expression";
            case "PARAMETER" -> "a parameter";
            default -> "a " + expression.toLowerCase(Locale.ROOT) + " expression";
        };
    }

    private JsonNode parse(String sql) {
        Connection connection = connections.get();
        // a constant, as json_serialize_sql takes no parameter: one string literal, each quote doubled (DuckDB's strings
        // know no backslash escapes)
        try (PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql('" + sql.replace("'", "''") + "')")) {
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return JSON.readTree(result.getString(1));
            }
        } catch (SQLException | IOException e) {
            throw LatheException.internal("Cannot parse the TRANSFORM's expressions to check them: " + e.getMessage(), e);
        } finally {
            if (closeEach) {
                try {
                    connection.close();
                } catch (SQLException e) {
                    // a parse-only connection: nothing was written on it
                }
            }
        }
    }

    private static LatheException refusedIn(String column, String what) {
        return refused("output column '" + column + "' holds " + what + ", which no TRANSFORM makes: a TRANSFORM's expressions compute"
                + " each output from the row's own columns, with its statistics as constants");
    }

    private static LatheException refused(String what) {
        return new LatheException(ErrorCode.INVALID_ARGUMENT, "the TRANSFORM is refused: " + what + " (docs/model-format.md, Trust)");
    }
}
