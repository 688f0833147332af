package dev.lathe.warehouse;

import com.google.common.hash.HashFunction;
import com.google.common.hash.Hashing;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;
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

    /**
     * BigQuery's GEOGRAPHY points, the subset feature queries use (the spec's k-means tutorial measures each station's
     * distance from the city centre): ST_GEOGPOINT(longitude, latitude) is the point as BigQuery prints it, WKT text
     * {@code POINT(-0.1 51.5)}; ST_DISTANCE(a, b) the great-circle distance in meters between two such points on a sphere of
     * the Earth's mean radius, as BigQuery measures without use_spheroid. DuckDB has these only in its spatial extension,
     * which must be downloaded.
     */
    static final String ST_GEOGPOINT = "st_geogpoint";
    static final String ST_DISTANCE = "st_distance";
    /** The Earth's mean radius, meters (IUGG): BigQuery's sphere, to within a part in 10^6. */
    static final double EARTH_RADIUS_M = 6_371_008.8;
    private static final java.util.regex.Pattern POINT = java.util.regex.Pattern.compile(
            "\\s*POINT\\s*\\(\\s*([-+0-9.eE]+)\\s+([-+0-9.eE]+)\\s*\\)\\s*", java.util.regex.Pattern.CASE_INSENSITIVE);

    /**
     * BigQuery's CONTAINS_SUBSTR, as the rewriter calls it: {@code lathe_contains_substr(json, search)} with a SQL value as
     * DuckDB's {@code to_json} text (a STRUCT an object, an ARRAY an array, a scalar itself) and the search text; for a
     * JSON value, {@code lathe_contains_substr_} and BigQuery's json_scope in lower case ({@code _json_keys}).
     */
    static final String CONTAINS_SUBSTR = "lathe_contains_substr";
    private static final List<String> JSON_SCOPES = List.of("JSON_VALUES", "JSON_KEYS", "JSON_KEYS_AND_VALUES");

    static void register(DuckDBConnection connection) throws SQLException {
        for (String scope : JSON_SCOPES) {
            DuckDBFunctions.scalarFunction()
                    .withName(CONTAINS_SUBSTR + "_" + scope.toLowerCase(java.util.Locale.ROOT))
                    .withParameter(String.class)
                    .withParameter(String.class)
                    .withReturnType(Boolean.class)
                    .withFunction((String json, String search) -> containsSubstr(json, search, scope))
                    .register(connection);
        }
        DuckDBFunctions.scalarFunction() // a STRING itself, without its JSON text to write and read back
                .withName(CONTAINS_SUBSTR + "_text")
                .withParameter(String.class)
                .withParameter(String.class)
                .withReturnType(Boolean.class)
                .withFunction(WarehouseFunctions::containsSubstrText)
                .register(connection);
        DuckDBFunctions.scalarFunction()
                .withName(CONTAINS_SUBSTR)
                .withParameter(String.class)
                .withParameter(String.class)
                .withReturnType(Boolean.class)
                .withFunction((String json, String search) -> containsSubstr(json, search, "SQL"))
                .register(connection);
        DuckDBFunctions.scalarFunction()
                .withName(ST_GEOGPOINT)
                .withParameter(Double.class)
                .withParameter(Double.class)
                .withReturnType(String.class)
                .withNullInNullOut()
                .withFunction(WarehouseFunctions::geogPoint)
                .register(connection);
        DuckDBFunctions.scalarFunction()
                .withName(ST_DISTANCE)
                .withParameter(String.class)
                .withParameter(String.class)
                .withReturnType(Double.class)
                .withNullInNullOut()
                .withFunction(WarehouseFunctions::distance)
                .register(connection);
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

    /** {@code POINT(longitude latitude)}; a latitude outside [-90, 90] or a value that is not finite is refused, as BigQuery does. */
    static String geogPoint(Double longitude, Double latitude) {
        if (longitude == null || latitude == null) {
            return null;
        }
        if (!Double.isFinite(longitude) || !Double.isFinite(latitude) || latitude < -90 || latitude > 90) {
            throw new IllegalArgumentException("ST_GEOGPOINT(" + longitude + ", " + latitude + "): the latitude must be from -90 to 90"
                    + " and both coordinates finite");
        }
        double wrapped = longitude > 180 || longitude < -180 ? Math.IEEEremainder(longitude, 360) : longitude;
        return "POINT(" + coordinate(wrapped) + " " + coordinate(latitude) + ")";
    }

    private static String coordinate(double value) {
        return java.math.BigDecimal.valueOf(value == 0 ? 0.0 : value).stripTrailingZeros().toPlainString();
    }

    /** The great-circle (haversine) distance in meters between two points of {@link #geogPoint}. */
    static Double distance(String a, String b) {
        if (a == null || b == null) {
            return null;
        }
        double[] p = point(a);
        double[] q = point(b);
        double phi1 = Math.toRadians(p[1]);
        double phi2 = Math.toRadians(q[1]);
        double dPhi = phi2 - phi1;
        double dLambda = Math.toRadians(q[0] - p[0]);
        double h = Math.sin(dPhi / 2) * Math.sin(dPhi / 2) + Math.cos(phi1) * Math.cos(phi2) * Math.sin(dLambda / 2) * Math.sin(dLambda / 2);
        return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
    }

    private static double[] point(String wkt) {
        java.util.regex.Matcher m = POINT.matcher(wkt);
        if (!m.matches()) {
            throw new IllegalArgumentException("ST_DISTANCE takes points, as ST_GEOGPOINT(longitude, latitude) makes them ('POINT(-0.1 51.5)');"
                    + " got '" + (wkt.length() > 60 ? wkt.substring(0, 57) + "..." : wkt) + "' (other GEOGRAPHY shapes are not supported)");
        }
        try {
            return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("ST_DISTANCE: '" + wkt + "' is not a point with numeric coordinates");
        }
    }

    private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();
    /** The last search text and its folded form: a call's search is a constant, folded once rather than per row. */
    private static volatile String[] lastSearch = {"", ""};

    /**
     * BigQuery's CONTAINS_SUBSTR over one value's JSON text: TRUE if the folded search text is in the folded text of the
     * value or of any field or element (recursively; a STRUCT's field names are not searched), else NULL if the value
     * or any field or element is NULL, else FALSE. A JSON value's keys, values or both are searched as {@code scope}
     * says ('JSON_VALUES', 'JSON_KEYS', 'JSON_KEYS_AND_VALUES'); its JSON nulls are values that match nothing.
     */
    static Boolean containsSubstr(String json, String search, String scope) {
        if (json == null) {
            return null;
        }
        String folded = foldedSearch(search);
        boolean sql = "SQL".equals(scope);
        boolean keys = "JSON_KEYS".equals(scope) || "JSON_KEYS_AND_VALUES".equals(scope);
        boolean values = sql || "JSON_VALUES".equals(scope) || "JSON_KEYS_AND_VALUES".equals(scope);
        boolean sawNull = false;
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.createParser(json)) {
            for (com.fasterxml.jackson.core.JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                switch (token) {
                    case FIELD_NAME -> {
                        if (keys && fold(parser.currentName()).contains(folded)) {
                            return true;
                        }
                    }
                    case VALUE_STRING, VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT, VALUE_TRUE, VALUE_FALSE -> {
                        if (values && fold(parser.getText()).contains(folded)) {
                            return true;
                        }
                    }
                    case VALUE_NULL -> sawNull |= sql;
                    default -> { }
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("CONTAINS_SUBSTR could not read its value as JSON: " + e.getMessage(), e);
        }
        return sawNull ? null : false;
    }

    /** CONTAINS_SUBSTR of a STRING value: NULL for NULL, else whether its folded text holds the folded search text. */
    static Boolean containsSubstrText(String text, String search) {
        return text == null ? null : fold(text).contains(foldedSearch(search));
    }

    private static String foldedSearch(String search) {
        if (search == null) {
            throw new IllegalArgumentException("CONTAINS_SUBSTR: the search value is NULL; it must be a STRING");
        }
        String[] cached = lastSearch;
        if (cached[0].equals(search)) {
            return cached[1];
        }
        String folded = fold(search);
        lastSearch = new String[] {search, folded};
        return folded;
    }

    /**
     * Text normalized and case folded as BigQuery compares it (NFKC, then case folded, so that 'Ⅸ' is 'ix' and 'ß' is
     * 'ss'): Java's NFKC, upper then lower case in the root locale (full case folding's mappings for the scripts that have
     * case), and NFKC again for what folding decomposed.
     */
    static String fold(String text) {
        String normalized = java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFKC);
        return java.text.Normalizer.normalize(normalized.toUpperCase(java.util.Locale.ROOT).toLowerCase(java.util.Locale.ROOT),
                java.text.Normalizer.Form.NFKC);
    }

    /** NULL in, NULL out (DuckDB 1.5's boxed functions are handed NULL cells from columns despite withNullInNullOut). */
    static Long farmFingerprint(String value) {
        return value == null ? null : FINGERPRINT64.hashString(value, StandardCharsets.UTF_8).asLong();
    }
}
