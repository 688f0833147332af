package dev.lathe.quality;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.warehouse.Sql;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A warehouse table named {@code dataset.table}. */
public record TableName(String dataset, String table) {
    /** Where the server's request-response logging writes (serve.PredictionLogger). */
    public static final TableName PREDICTION_LOG = new TableName("lathe_logs", "request_response_logging");

    private static final Pattern TEXT = Pattern.compile("`?([^.`\\s]+)\\.([^.`\\s]+)`?");

    public TableName {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(table, "table is null");
    }

    /** Parses {@code dataset.table} (backticks allowed around the whole name); {@code what} names the argument in errors. */
    public static TableName parse(String text, String what) {
        Matcher matcher = TEXT.matcher(text.strip());
        if (!matcher.matches()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, what + " '" + text + "' must name a table as dataset.table, e.g. d.labels");
        }
        return new TableName(matcher.group(1), matcher.group(2));
    }

    /** The quoted DuckDB name. */
    String sql() {
        return Sql.qualified(dataset, table);
    }

    @Override
    public String toString() {
        return dataset + "." + table;
    }
}
