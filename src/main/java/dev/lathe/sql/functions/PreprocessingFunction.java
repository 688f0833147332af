package dev.lathe.sql.functions;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/**
 * One BigQuery ML preprocessing function (spec section 3.2: ML.STANDARD_SCALER, ML.BUCKETIZE, ...),
 * rendered as DuckDB SQL. Arguments arrive as DuckDB SQL text, already rewritten.
 *
 * <p>Outside TRANSFORM an analytic function is computed over its window ({@link #renderWindow}).
 * Inside TRANSFORM its statistics are computed once over the training input and frozen into the
 * model as constants ({@link #fit}), so prediction applies exactly the training-time statistics.
 */
public interface PreprocessingFunction {
    /** Upper-case name without the {@code ML.} prefix. */
    String name();

    /** Whether the function takes an {@code OVER()} clause (statistics over the input). */
    boolean analytic();

    /**
     * DuckDB SQL for a call in a plain query. For analytic functions {@code overClause} is the window
     * text as written after OVER (e.g. {@code ()} or {@code (PARTITION BY g)}); for scalar ones it is
     * empty.
     */
    String renderWindow(List<String> arguments, String overClause);

    /**
     * Computes the statistics over {@code inputRelation} (a DuckDB query text usable in FROM) on
     * {@code connection} and returns the frozen expression.
     */
    Fitted fit(List<String> arguments, String inputRelation, Connection connection);

    /**
     * A frozen call: {@code sql} is a DuckDB expression over the input row using only constants, e.g.
     * {@code ((x) - 3.0) / 1.5811388300841898}; {@code statistics} records the fitted values for
     * ML.FEATURE_INFO and provenance.
     */
    record Fitted(String sql, Map<String, Object> statistics) {
        public Fitted {
            statistics = Map.copyOf(statistics);
        }
    }
}
