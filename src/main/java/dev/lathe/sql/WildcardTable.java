package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.options.Position;

/**
 * BigQuery's wildcard table {@code `dataset.prefix*`} inside a query: the union of the dataset's tables whose names start
 * with {@code prefix}, each row with {@code _TABLE_SUFFIX}, the rest of its table's name. Which tables match is known only
 * when the statement runs (a script may create them first), so the rewriter leaves the name in place and lists it; the
 * executor splices the union of the tables there just before the statement runs.
 *
 * @param dataset the dataset (DuckDB schema) the tables are in
 * @param prefix the start of the tables' names, before {@code *}
 * @param text the name as written, for messages
 * @param start offset of the name in {@link Statement.Query#sql()}
 * @param end offset just after it
 * @param position where the name was written in the user's script
 */
public record WildcardTable(String dataset, String prefix, String text, int start, int end, Position position) {
    /** The name of the pseudo-column that holds each row's table suffix. */
    public static final String SUFFIX_COLUMN = "_TABLE_SUFFIX";

    public WildcardTable {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(prefix, "prefix is null");
        requireNonNull(text, "text is null");
        requireNonNull(position, "position is null");
    }
}
