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

    /** {@code "dataset"."table"} (or {@code "table"}). */
    static String relation(ObjectName name) {
        return name.dataset().map(d -> Sql.qualified(d, name.name())).orElse(Sql.quote(name.name()));
    }
}
