package dev.lathe.sql.functions;

/**
 * SQL for the dictionaries of the encoders. Terms with a count at least {@code frequency_threshold} are ranked
 * by count (descending, ties alphabetical) and the first {@code top_k} kept; the kept terms are then sorted
 * alphabetically and numbered from 1, index 0 standing for NULL, unseen and dropped terms. This reproduces
 * BigQuery ML's ML.LABEL_ENCODER(f, 2, 2) example, where b and d tie at count 2 and b is kept.
 */
final class Vocabulary {
    /** A top_k that never binds (BigQuery's own limit is 1,000,000). */
    static final long UNLIMITED = 1_000_000;

    private Vocabulary() {}

    /** Counts of each non-NULL value of a scalar expression, as a DuckDB MAP. */
    static String valueCounts(String expression, String over) {
        return "histogram(CAST(" + expression + " AS VARCHAR))" + over;
    }

    /** Number of documents (rows) that contain each non-NULL term of an ARRAY expression, as a DuckDB MAP. */
    static String documentCounts(String arrayExpression, String over) {
        return "list_aggregate(flatten(list(list_distinct(CAST(" + arrayExpression + " AS VARCHAR[])))" + over
                + "), 'histogram')";
    }

    /** The dictionary: kept terms in alphabetical order (position = index). */
    static String terms(String counts, long topK, long frequencyThreshold) {
        return "list_sort(list_transform(" + ranked(counts, topK, frequencyThreshold) + ", lambda lathe_r: lathe_r.term))";
    }

    /** The most frequent kept term (ties: smallest), NULL when none is kept. */
    static String mostFrequent(String counts, long topK, long frequencyThreshold) {
        return "(" + ranked(counts, topK, frequencyThreshold) + ")[1].term";
    }

    /**
     * 1-based index of {@code value} in {@code terms}, 0 for NULL or absent: a hash lookup in the ENUM type of a fitted
     * dictionary ({@link SqlLiterals#dictionary}), a scan of any other list (a live window's).
     */
    static String index(String terms, String value) {
        return SqlLiterals.enumType(terms)
                .map(type -> "coalesce(CAST(enum_code(TRY_CAST(" + value + " AS " + type + ")) AS BIGINT) + 1, 0)")
                .orElse("CAST(coalesce(list_position(" + terms + ", " + value + "), 0) AS BIGINT)");
    }

    /** The index of every token of a document, 0 for unknown and NULL tokens. */
    static String tokenIndices(String terms, String arrayExpression) {
        return "list_transform(CAST(" + arrayExpression + " AS VARCHAR[]), lambda lathe_t: " + index(terms, "lathe_t") + ")";
    }

    static String entry(String index, String value) {
        return "{'index': CAST(" + index + " AS BIGINT), 'value': CAST(" + value + " AS DOUBLE)}";
    }

    private static String ranked(String counts, long topK, long frequencyThreshold) {
        return "list_sort(list_transform(list_filter(map_entries(" + counts + "), lambda lathe_e: lathe_e.value >= "
                + frequencyThreshold + "), lambda lathe_e: {'negative_count': -CAST(lathe_e.value AS BIGINT), 'term': lathe_e.key}))[1:"
                + topK + "]";
    }
}
