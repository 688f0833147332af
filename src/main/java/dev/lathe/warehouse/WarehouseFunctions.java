package dev.lathe.warehouse;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBFunctions;

/**
 * GoogleSQL functions DuckDB lacks, registered as Java scalar functions on every warehouse when it opens (DuckDB
 * shares them with every connection {@link Warehouse#connect()} duplicates). Users' BigQuery SQL calls them by their
 * BigQuery names, and Lathe's own SQL (ML.HASH_BUCKETIZE) builds on them.
 */
final class WarehouseFunctions {
    /** BigQuery's FARM_FINGERPRINT: FarmHash Fingerprint64 of the UTF-8 bytes, as a signed INT64. */
    static final String FARM_FINGERPRINT = "farm_fingerprint";

    private static final HashFunction FINGERPRINT64 = Hashing.farmHashFingerprint64();

    private WarehouseFunctions() {}

    /** BigQuery's INITCAP(s): each word's first character upper case, the others lower case. */
    static final String INITCAP = "initcap";

    /** INITCAP's default delimiters besides whitespace (BigQuery's list). */
    private static final String DELIMITERS = "[](){}/|\\<>!?@\"^#$&~_,.:;*%+-";

    static void register(DuckDBConnection connection) throws SQLException {
        DuckDBFunctions.scalarFunction()
                .withName(FARM_FINGERPRINT)
                .withParameter(String.class)
                .withReturnType(Long.class)
                .withNullInNullOut()
                .withFunction(WarehouseFunctions::farmFingerprint)
                .register(connection);
        DuckDBFunctions.scalarFunction()
                .withName(INITCAP)
                .withParameter(String.class)
                .withReturnType(String.class)
                .withNullInNullOut()
                .withFunction(WarehouseFunctions::initcap)
                .register(connection);
    }

    /** NULL in, NULL out; a word starts at the text's start or after whitespace or one of {@link #DELIMITERS}. */
    static String initcap(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder out = new StringBuilder(value.length());
        boolean start = true;
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            out.appendCodePoint(start ? Character.toUpperCase(c) : Character.toLowerCase(c));
            start = Character.isWhitespace(c) || (c < 128 && DELIMITERS.indexOf(c) >= 0);
            i += Character.charCount(c);
        }
        return out.toString();
    }

    /** NULL in, NULL out (DuckDB 1.5's boxed functions are handed NULL cells from columns despite withNullInNullOut). */
    static Long farmFingerprint(String value) {
        return value == null ? null : FINGERPRINT64.hashString(value, StandardCharsets.UTF_8).asLong();
    }
}
