package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.sql.ObjectName;
import dev.lathe.warehouse.Sql;

/** BigQuery names onto DuckDB: a dataset is a schema; the project part names the warehouse and is dropped. */
final class Names {
    private Names() {}

    static String requireDataset(ObjectName name, String kind) {
        return name.dataset().orElseThrow(() -> new LatheException(ErrorCode.INVALID_ARGUMENT, "The " + kind + " name '"
                + name.name() + "' at " + name.position() + " needs a dataset: write dataset." + name.name()));
    }

    /**
     * BigQuery's rule for a model's dataset and name: letters, digits and underscores, at most 1,024 characters. A model is
     * a folder of the data directory by its name, so `c/1` was stored inside model c's version 1 and dropping it deleted
     * that version (probe H).
     */
    static void requireModelName(ObjectName name, String dataset) {
        for (String[] part : new String[][] {{"dataset", dataset}, {"model name", name.name()}}) {
            if (!part[1].matches("[A-Za-z0-9_]{1,1024}")) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The " + part[0] + " '" + part[1] + "' of model " + dataset + "."
                        + name.name() + " at " + name.position() + " has characters a model's " + part[0] + " cannot have; use letters,"
                        + " digits and underscores (at most 1,024), as BigQuery ML does");
            }
        }
    }

    /** {@code "dataset"."table"} (or {@code "table"}). */
    static String relation(ObjectName name) {
        return name.dataset().map(d -> Sql.qualified(d, name.name())).orElse(Sql.quote(name.name()));
    }
}
