package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.registry.ModelStore;
import dev.lathe.sql.ObjectName;
import dev.lathe.warehouse.Sql;

/** BigQuery names onto DuckDB: a dataset is a schema; the project part names the warehouse and is dropped. */
final class Names {
    private Names() {}

    /**
     * The dataset of a model (or LOAD DATA's table): the one the name gives, else the session's default dataset, as BigQuery
     * resolves an unqualified name in the query's default dataset: the schema a request's {@code defaultDataset} or a
     * {@code USE dataset} chose (probe re: POST /v1/queries with a defaultDataset found the tables of a statement but not its
     * model). DuckDB's own schema, {@code main}, is no dataset a name defaults to.
     */
    static String requireDataset(ObjectName name, String kind, java.sql.Connection connection) {
        if (name.dataset().isPresent()) {
            return name.dataset().get();
        }
        String schema = currentSchema(connection);
        if (schema.equals("main")) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The " + kind + " name '" + name.name() + "' at " + name.position()
                    + " needs a dataset: write dataset." + name.name() + " (or set a default dataset: USE dataset, or a request's"
                    + " defaultDataset)");
        }
        return schema;
    }

    /** The schema an unqualified name resolves in: {@code main} unless a USE or SET schema (a defaultDataset) chose another. */
    static String currentSchema(java.sql.Connection connection) {
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("SELECT current_schema()")) {
            String schema = rows.next() ? rows.getString(1) : null;
            return schema == null ? "main" : schema;
        } catch (java.sql.SQLException e) {
            throw LatheException.internal("Reading the session's default dataset failed: " + e.getMessage(), e);
        }
    }

    /**
     * BigQuery's rule for a model's dataset and name: letters, digits and underscores, at most 1,024 characters. A model is
     * a folder of the data directory by its name, so `c/1` was stored inside model c's version 1 and dropping it deleted
     * that version (probe H). For the same reason a name is at most as long as a folder's name can be
     * ({@link ModelStore#MAX_NAME_LENGTH}, {@link ModelStore#MAX_DATASET_LENGTH}): a longer one trained and then failed
     * with a 500 INTERNAL "File name too long" (probe ub F6).
     */
    static void requireModelName(ObjectName name, String dataset) {
        for (String[] part : new String[][] {{"dataset", dataset}, {"model name", name.name()}}) {
            if (!part[1].matches("[A-Za-z0-9_]{1,1024}")) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The " + part[0] + " '" + part[1] + "' of model " + dataset + "."
                        + name.name() + " at " + name.position() + " has characters a model's " + part[0] + " cannot have; use letters,"
                        + " digits and underscores (at most 1,024), as BigQuery ML does");
            }
            int limit = part[0].equals("dataset") ? ModelStore.MAX_DATASET_LENGTH : ModelStore.MAX_NAME_LENGTH;
            if (part[1].length() > limit) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The " + part[0] + " '" + part[1].substring(0, 20) + "...' of the model at "
                        + name.position() + " is " + part[1].length() + " characters long; Lathe keeps a model in a folder named after its"
                        + " dataset and name, and a folder's name is at most 255 bytes, so a model's dataset is at most "
                        + ModelStore.MAX_DATASET_LENGTH + " characters and its name at most " + ModelStore.MAX_NAME_LENGTH
                        + " (BigQuery ML allows 1,024)");
            }
        }
    }

    /** {@code "dataset"."table"} (or {@code "table"}). */
    static String relation(ObjectName name) {
        return name.dataset().map(d -> Sql.qualified(d, name.name())).orElse(Sql.quote(name.name()));
    }

    /**
     * {@code SELECT * FROM t} for an ML function's {@code TABLE d.t} argument, registered for the statement's duration so that
     * DuckDB's failure on it (a table that does not exist) is placed at the table as written, as a (query) argument's is: it
     * showed Lathe's statement around it ({@code CREATE TEMP TABLE "__lathe_input_1" AS ...}) and was placed at the function
     * (probe vp F7).
     */
    static String tableArgument(ObjectName table, Scope scope) {
        String sql = "SELECT * FROM " + relation(table);
        scope.onClose(Sql.QUERY_TEXTS.register(sql, offset -> java.util.Optional.of(table.position().toString())));
        return sql;
    }
}
