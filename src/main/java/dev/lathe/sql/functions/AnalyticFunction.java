package dev.lathe.sql.functions;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An {@code OVER()} function described once as statistics plus an expression over them. Live, each statistic
 * is an aggregate evaluated over the caller's window; frozen, the same aggregates run in one query over the
 * training input and their values are inlined as literals, so both paths share one formula.
 */
abstract class AnalyticFunction implements PreprocessingFunction {

    /** How a statistic's value is read back and written as a literal. */
    enum Kind {
        DOUBLE,
        DOUBLE_LIST,
        /** Distinct strings in index order (an encoder's dictionary); frozen as {@link SqlLiterals#dictionary}. */
        STRING_LIST,
        /** Any scalar type; frozen as {@code CAST('text' AS type)} using DuckDB's own type name. */
        TYPED
    }

    /**
     * One statistic. {@code sql} receives the window suffix ({@code " OVER (...)"} live, {@code ""} when fitting)
     * and returns an expression whose aggregate calls each end with that suffix.
     */
    record Statistic(String name, Kind kind, Function<String, String> sql) {
        Statistic {
            requireNonNull(name, "name is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(sql, "sql is null");
        }
    }

    /** Statistics and the output expression, which receives one SQL text per statistic, in order. */
    record Plan(List<Statistic> statistics, Function<List<String>, String> expression) {
        Plan {
            statistics = List.copyOf(statistics);
            requireNonNull(expression, "expression is null");
        }
    }

    /** Validates the arguments and describes the computation. */
    abstract Plan plan(Arguments arguments);

    @Override
    public final boolean analytic() {
        return true;
    }

    @Override
    public String renderWindow(List<String> arguments, String overClause) {
        Plan plan = plan(Arguments.of(name(), arguments));
        String suffix = " OVER " + window(overClause);
        return plan.expression().apply(plan.statistics().stream().map(s -> "(" + s.sql().apply(suffix) + ")").toList());
    }

    @Override
    public Fitted fit(List<String> arguments, String inputRelation, Connection connection) {
        Plan plan = plan(Arguments.of(name(), arguments));
        Map<String, Object> statistics = new LinkedHashMap<>();
        List<String> literals = computeLiterals(plan.statistics(), inputRelation, connection, statistics);
        return new Fitted(plan.expression().apply(literals), statistics);
    }

    /** Runs the statistics as plain aggregates over {@code inputRelation}; records values in {@code statistics}. */
    final List<String> computeLiterals(List<Statistic> wanted, String inputRelation, Connection connection,
            Map<String, Object> statistics) {
        List<String> columns = new ArrayList<>();
        for (Statistic statistic : wanted) {
            String sql = statistic.sql().apply("");
            columns.add(sql);
            if (statistic.kind() == Kind.TYPED) {
                columns.add("CAST(" + sql + " AS VARCHAR)");
                columns.add("typeof(" + sql + ")");
            }
        }
        String query = "SELECT " + String.join(", ", columns) + " FROM (" + inputRelation + ") AS lathe_fit_input";
        List<String> literals = new ArrayList<>();
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(query)) {
            row.next();
            int column = 1;
            for (Statistic statistic : wanted) {
                Object value = row.getObject(column);
                switch (statistic.kind()) {
                    case DOUBLE -> {
                        Double number = value == null ? null : ((Number) value).doubleValue();
                        literals.add(number == null ? "CAST(NULL AS DOUBLE)" : SqlLiterals.doubleLiteral(number));
                        record(statistics, statistic, number);
                    }
                    case DOUBLE_LIST -> {
                        List<Double> numbers = elements(value).stream().map(e -> ((Number) e).doubleValue()).toList();
                        literals.add(SqlLiterals.doubleList(numbers));
                        record(statistics, statistic, numbers);
                    }
                    case STRING_LIST -> {
                        List<String> strings = elements(value).stream().map(String::valueOf).toList();
                        literals.add(SqlLiterals.dictionary(strings));
                        record(statistics, statistic, strings);
                    }
                    case TYPED -> {
                        String text = row.getString(column + 1);
                        String type = row.getString(column + 2);
                        column += 2;
                        literals.add(typedLiteral(value, text, type));
                        record(statistics, statistic, value instanceof Number || value instanceof String || value instanceof Boolean
                                ? value : text);
                    }
                }
                column++;
            }
        } catch (SQLException e) {
            throw new LatheException(ErrorCode.SQL_ERROR, "Computing the statistics of ML.%s over the training input failed: %s"
                    .formatted(name(), dev.lathe.core.DuckDbMessages.brief(e.getMessage())), e);
        }
        return literals;
    }

    private static String typedLiteral(Object value, String text, String type) {
        if (value == null) {
            return "CAST(NULL AS " + type + ")";
        }
        if (value instanceof Double d) {
            return SqlLiterals.doubleLiteral(d);
        }
        return "CAST(" + SqlLiterals.stringLiteral(text) + " AS " + type + ")";
    }

    private static void record(Map<String, Object> statistics, Statistic statistic, Object value) {
        // Fitted statistics are an immutable map, which holds no nulls: a statistic of an all-NULL input is absent.
        if (value != null) {
            statistics.put(statistic.name(), value);
        }
    }

    private static List<Object> elements(Object value) throws SQLException {
        if (value == null) {
            return List.of();
        }
        if (value instanceof Array array) {
            return Arrays.asList((Object[]) array.getArray());
        }
        throw new SQLException("expected a LIST but DuckDB returned " + value.getClass().getSimpleName());
    }

    private static String window(String overClause) {
        String trimmed = overClause.trim();
        return trimmed.startsWith("(") ? trimmed : "(" + trimmed + ")";
    }

    /** {@code x} as DOUBLE. */
    static String asDouble(String expression) {
        return "CAST(" + expression + " AS DOUBLE)";
    }

    /** A divisor that is 1 where the spread is 0, so a constant input scales to 0 rather than to infinity. */
    static String nonZero(String expression) {
        return "CASE WHEN " + expression + " = 0 THEN CAST(1 AS DOUBLE) ELSE " + expression + " END";
    }
}
