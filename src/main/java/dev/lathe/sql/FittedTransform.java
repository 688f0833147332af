package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A TRANSFORM clause fitted on training data: one DuckDB expression per output column, with every
 * statistic frozen as a constant, so that prediction applies exactly what training applied. Stored
 * with the model (plain records, Jackson-serializable).
 *
 * @param columns the output columns in order
 * @param inputColumns the raw input columns the expressions read (what prediction input must contain)
 */
public record FittedTransform(List<OutputColumn> columns, List<String> inputColumns) {
    public FittedTransform {
        columns = List.copyOf(columns);
        inputColumns = List.copyOf(inputColumns);
    }

    /** One output column: its name and its DuckDB expression over the input row. */
    public record OutputColumn(String name, String sql) {
        public OutputColumn {
            requireNonNull(name, "name is null");
            requireNonNull(sql, "sql is null");
        }
    }

    /** A DuckDB query computing the output columns from {@code inputRelationDuckDbSql} (a query text). */
    public String apply(String inputRelationDuckDbSql) {
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            if (i > 0) {
                sql.append(", ");
            }
            sql.append(columns.get(i).sql()).append(" AS ").append(DuckDbRewriter.quoteIdentifier(columns.get(i).name()));
        }
        return sql.append(" FROM (").append(inputRelationDuckDbSql).append(") AS __lathe_input").toString();
    }

    public List<String> outputNames() {
        return columns.stream().map(OutputColumn::name).toList();
    }
}
