package dev.lathe.sql.functions;

import dev.lathe.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * A real in-memory DuckDB and helpers to evaluate a function over a literal column, live (its window SQL) and
 * frozen (fitted on one relation, applied to another). Rows keep the order of the literal list.
 */
final class FunctionFixture implements AutoCloseable {
    private final Warehouse warehouse;
    private final Connection connection;

    /** The warehouse's in-memory database, so the warehouse's own functions (farm_fingerprint) are there. */
    FunctionFixture() {
        warehouse = Warehouse.inMemory();
        connection = warehouse.connect();
    }

    Connection connection() {
        return connection;
    }

    /** A relation with column {@code f} holding the elements of the DuckDB list literal, and their order {@code i}. */
    static String rows(String listLiteral) {
        return "SELECT unnest(lathe_l) AS f, generate_subscripts(lathe_l, 1) AS i FROM (SELECT " + listLiteral + " AS lathe_l)";
    }

    /** The function evaluated over its window on {@code relation}. */
    List<Object> live(String function, List<String> arguments, String relation) throws SQLException {
        String sql = PreprocessingFunctions.find(function).orElseThrow().renderWindow(arguments, "()");
        return column(sql, relation);
    }

    /** The function fitted on {@code trainingRelation}, then applied to {@code scoringRelation}. */
    List<Object> frozen(String function, List<String> arguments, String trainingRelation, String scoringRelation)
            throws SQLException {
        PreprocessingFunction.Fitted fitted =
                PreprocessingFunctions.find(function).orElseThrow().fit(arguments, trainingRelation, connection);
        return column(fitted.sql(), scoringRelation);
    }

    PreprocessingFunction.Fitted fit(String function, List<String> arguments, String trainingRelation) {
        return PreprocessingFunctions.find(function).orElseThrow().fit(arguments, trainingRelation, connection);
    }

    /** {@code expression} over {@code relation} in row order; LISTs and STRUCTs come back as JSON text. */
    List<Object> column(String expression, String relation) throws SQLException {
        String query = "SELECT lathe_value, typeof(lathe_value) FROM (SELECT " + expression + " AS lathe_value, i FROM ("
                + relation + ")) ORDER BY i";
        List<Object> values = new ArrayList<>();
        // DuckDB's JDBC driver closes a Statement after a failed query, so each query gets its own.
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT CASE WHEN t LIKE '%[]' OR t LIKE 'STRUCT%' THEN CAST(to_json(v) AS VARCHAR) END, v, t FROM ("
                        + query.replace("SELECT lathe_value, typeof(lathe_value)", "SELECT lathe_value AS v, typeof(lathe_value) AS t")
                        + ")")) {
            while (rows.next()) {
                String json = rows.getString(1);
                values.add(json != null ? json : rows.getObject(2));
            }
        }
        return values;
    }

    Object scalar(String expression) throws SQLException {
        return column(expression, "SELECT 1 AS i").get(0);
    }

    @Override
    public void close() throws SQLException {
        connection.close();
        warehouse.close();
    }
}
