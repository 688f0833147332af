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

    /**
     * The input columns {@code output}'s SQL reads, in input order: identifiers (quoted or bare) outside string literals, so
     * a frozen dictionary's words are not taken for columns.
     */
    public List<String> inputsReadBy(OutputColumn output) {
        java.util.Set<String> words = new java.util.HashSet<>();
        String sql = output.sql();
        int length = sql.length();
        int i = 0;
        while (i < length) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                StringBuilder text = new StringBuilder();
                int j = i + 1;
                while (j < length && (sql.charAt(j) != c || (j + 1 < length && sql.charAt(j + 1) == c))) {
                    text.append(sql.charAt(j));
                    j += sql.charAt(j) == c ? 2 : 1; // a doubled quote is one character of the text
                }
                if (c == '"') {
                    words.add(text.toString().toLowerCase(java.util.Locale.ROOT));
                }
                i = j + 1;
            } else if (Character.isLetter(c) || c == '_') {
                int j = i;
                while (j < length && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j++;
                }
                words.add(sql.substring(i, j).toLowerCase(java.util.Locale.ROOT));
                i = j;
            } else {
                i++;
            }
        }
        return inputColumns.stream().filter(column -> words.contains(column.toLowerCase(java.util.Locale.ROOT))).toList();
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
        return apply(inputRelationDuckDbSql, outputs, List.of());
    }

    /** As {@link #apply(String, java.util.Collection)}, followed by the input columns {@code passThrough} as they are. */
    public String apply(String inputRelationDuckDbSql, java.util.Collection<String> outputs, List<String> passThrough) {
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
        for (String column : passThrough) {
            sql.append(first ? "" : ", ").append("__lathe_input.").append(DuckDbRewriter.quoteIdentifier(column));
            first = false;
        }
        return sql.append(" FROM (").append(inputRelationDuckDbSql).append(") AS __lathe_input").toString();
    }

    public List<String> outputNames() {
        return columns.stream().map(OutputColumn::name).toList();
    }
}
