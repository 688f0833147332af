package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

/** Where a job writes: a new warehouse table (and {@code <table>_errors}), or a new directory of files. */
public sealed interface JobOutput {
    /** A table that must not exist yet; bad rows go to {@code <table>_errors}, created only when there are some. */
    record Table(String dataset, String table) implements JobOutput {
        public Table {
            requireNonNull(dataset, "dataset is null");
            requireNonNull(table, "table is null");
        }

        public String display() {
            return dataset + "." + table;
        }

        public String errorsTable() {
            return table + "_errors";
        }
    }

    /**
     * A directory that must not exist or be empty: {@code predictions_0001.<ext>} and, when rows failed,
     * {@code errors_0001.<ext>}.
     */
    record Files(FileFormat format, String directory) implements JobOutput {
        public Files {
            requireNonNull(format, "format is null");
            requireNonNull(directory, "directory is null");
        }
    }
}
