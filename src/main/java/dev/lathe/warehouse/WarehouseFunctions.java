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

    static void register(DuckDBConnection connection) throws SQLException {
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

    /** NULL in, NULL out (DuckDB 1.5's boxed functions are handed NULL cells from columns despite withNullInNullOut). */
    static Long farmFingerprint(String value) {
        return value == null ? null : FINGERPRINT64.hashString(value, StandardCharsets.UTF_8).asLong();
    }
}
