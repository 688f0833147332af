package dev.lathe.sql.functions;

/**
 * ML.HASH_BUCKETIZE: hash mod hash_bucket_size, the raw hash when the size is 0. BigQuery hashes with
 * FARM_FINGERPRINT, which DuckDB cannot compute; this uses DuckDB's {@code hash()}, so the function is
 * deterministic but assigns other buckets than BigQuery (the documented 'a'..'d' example is not reproduced).
 * The raw hash is DuckDB's UBIGINT reinterpreted as a signed INT64, as BigQuery returns INT64.
 */
final class HashBucketize extends ScalarFunction {
    @Override
    public String name() {
        return "HASH_BUCKETIZE";
    }

    @Override
    String render(Arguments arguments) {
        arguments.requireCount(2, 2, "HASH_BUCKETIZE(string_expression, hash_bucket_size)");
        String x = arguments.expression(0);
        long size = arguments.integer(1, "hash_bucket_size", 0, 0, Long.MAX_VALUE);
        String hash = "hash(" + x + ")";
        String value = size == 0
                ? "CAST(CAST(" + hash + " AS HUGEINT) - CASE WHEN " + hash
                        + " > CAST(9223372036854775807 AS UBIGINT) THEN CAST(18446744073709551616 AS HUGEINT) ELSE 0 END AS BIGINT)"
                : "CAST(" + hash + " % CAST(" + size + " AS UBIGINT) AS BIGINT)";
        // DuckDB hashes NULL to a constant; BigQuery returns NULL.
        return "(CASE WHEN " + x + " IS NULL THEN NULL ELSE " + value + " END)";
    }
}
