package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

import java.util.List;

/** Where a job reads its instances: a warehouse table, a query, or files. */
public sealed interface JobInput {
    /** {@code dataset.table} of the warehouse. */
    record Table(String dataset, String table) implements JobInput {
        public Table {
            requireNonNull(dataset, "dataset is null");
            requireNonNull(table, "table is null");
        }

        public String display() {
            return dataset + "." + table;
        }
    }

    /** A DuckDB/BigQuery SELECT over the warehouse. */
    record Query(String sql) implements JobInput {
        public Query {
            requireNonNull(sql, "sql is null");
            if (sql.isBlank()) {
                throw new IllegalArgumentException("the input query is empty");
            }
        }
    }

    /** Local files (paths or globs), read in the order given; CSV files have a header line. */
    record Files(FileFormat format, List<String> uris) implements JobInput {
        public Files {
            requireNonNull(format, "format is null");
            uris = List.copyOf(uris);
            if (uris.isEmpty()) {
                throw new IllegalArgumentException("at least one input file is needed");
            }
        }
    }
}
