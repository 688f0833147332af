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
        return apply(inputRelationDuckDbSql, outputNames());
    }

    /**
     * As {@link #apply(String)}, computing only the named outputs (case-insensitive): prediction needs
     * the features, not the label, so its input need not carry the label column.
     */
    public String apply(String inputRelationDuckDbSql, java.util.Collection<String> outputs) {
        java.util.Set<String> wanted = new java.util.HashSet<>();
        outputs.forEach(o -> wanted.add(o.toLowerCase(java.util.Locale.ROOT)));
        StringBuilder sql = new StringBuilder("SELECT ");
        boolean first = true;
        for (OutputColumn column : columns) {
            if (!wanted.contains(column.name().toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            sql.append(first ? "" : ", ").append(column.sql()).append(" AS ").append(DuckDbRewriter.quoteIdentifier(column.name()));
            first = false;
        }
        return sql.append(" FROM (").append(inputRelationDuckDbSql).append(") AS __lathe_input").toString();
    }

    public List<String> outputNames() {
        return columns.stream().map(OutputColumn::name).toList();
    }
}
