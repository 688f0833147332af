package dev.lathe.quality;

import static java.util.Objects.requireNonNull;

/**
 * Where the labels come from: a warehouse table, a query in Lathe's SQL dialect (BigQuery's; without ML functions),
 * or a relation already in DuckDB's dialect (what the SQL function hands over after running its argument).
 */
public sealed interface GroundTruth {
    record Table(TableName name) implements GroundTruth {
        public Table {
            requireNonNull(name, "name is null");
        }
    }

    record Query(String sql) implements GroundTruth {
        public Query {
            requireNonNull(sql, "sql is null");
        }
    }

    /** A DuckDB relation usable in FROM, e.g. {@code SELECT * FROM "temp_table"}. */
    record Relation(String duckDbSql) implements GroundTruth {
        public Relation {
            requireNonNull(duckDbSql, "duckDbSql is null");
        }
    }

    static GroundTruth table(String dataset, String table) {
        return new Table(new TableName(dataset, table));
    }

    static GroundTruth query(String sql) {
        return new Query(sql);
    }
}
