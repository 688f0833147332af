package dev.lathe.sql.functions;

/**
 * ML.HASH_BUCKETIZE: BigQuery's FARM_FINGERPRINT of the string taken unsigned, mod hash_bucket_size; the raw
 * (signed) fingerprint when the size is 0; NULL stays NULL. {@code farm_fingerprint} is the warehouse's Java
 * function (FarmHash Fingerprint64), so buckets equal BigQuery's: 'a', 'b', 'c', 'd' with size 3 give 0, 1, 1, 2.
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
        String hash = "farm_fingerprint(CAST(" + x + " AS VARCHAR))";
        // The signed fingerprint's two's-complement bits read as unsigned (DuckDB refuses to CAST a negative BIGINT to UBIGINT).
        String unsigned = "(CAST(" + hash + " AS HUGEINT) & CAST(18446744073709551615 AS HUGEINT))";
        return size == 0 ? hash : "CAST(" + unsigned + " % " + size + " AS BIGINT)";
    }
}
