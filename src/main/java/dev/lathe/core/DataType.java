package dev.lathe.core;

import java.util.Locale;

/**
 * BigQuery's logical column types, as Lathe sees DuckDB columns. The mapping decides automatic
 * preprocessing: numbers are standardized, STRING/BOOL/DATE/DATETIME/TIME/BYTES are categorical,
 * TIMESTAMP is split into components.
 */
public enum DataType {
    BOOL("BOOLEAN"),
    INT64("BIGINT"),
    FLOAT64("DOUBLE"),
    NUMERIC("DECIMAL(38,9)"),
    STRING("VARCHAR"),
    BYTES("BLOB"),
    DATE("DATE"),
    DATETIME("TIMESTAMP"),
    TIME("TIME"),
    /**
     * DuckDB's TIMESTAMP and TIMESTAMP WITH TIME ZONE both map here: CSV/Parquet loading produces the
     * former for what BigQuery's schema auto-detection loads as TIMESTAMP.
     */
    TIMESTAMP("TIMESTAMPTZ"),
    ARRAY_STRING("VARCHAR[]"),
    ARRAY_FLOAT64("DOUBLE[]"),
    /** ARRAY&lt;STRUCT&lt;index INT64, value FLOAT64&gt;&gt;: the output of ONE_HOT_ENCODER and friends. */
    SPARSE_VECTOR("STRUCT(\"index\" BIGINT, \"value\" DOUBLE)[]"),
    STRUCT("STRUCT"),
    /** Anything else (MAP, UNION, ...); not usable as a feature. */
    OTHER("VARCHAR");

    private final String duckDbType;

    DataType(String duckDbType) {
        this.duckDbType = duckDbType;
    }

    /** The DuckDB type used when Lathe writes a column of this type. */
    public String duckDbType() {
        return duckDbType;
    }

    public boolean isNumeric() {
        return this == INT64 || this == FLOAT64 || this == NUMERIC;
    }

    /** Types that automatic preprocessing one-hot (or label) encodes. */
    public boolean isCategorical() {
        return switch (this) {
            case STRING, BOOL, BYTES, DATE, DATETIME, TIME -> true;
            case INT64, FLOAT64, NUMERIC, TIMESTAMP, ARRAY_STRING, ARRAY_FLOAT64, SPARSE_VECTOR, STRUCT, OTHER -> false;
        };
    }

    /** The BigQuery name shown to users (FLOAT64, STRING, ...). */
    public String bigQueryName() {
        return switch (this) {
            case ARRAY_STRING -> "ARRAY<STRING>";
            case ARRAY_FLOAT64 -> "ARRAY<FLOAT64>";
            case SPARSE_VECTOR -> "ARRAY<STRUCT<index INT64, value FLOAT64>>";
            default -> name();
        };
    }

    /** Maps a DuckDB column type name (as reported by DESCRIBE or JDBC metadata). */
    public static DataType fromDuckDb(String typeName) {
        String t = typeName.trim().toUpperCase(Locale.ROOT);
        if (t.endsWith("[]")) {
            String element = t.substring(0, t.length() - 2);
            if (element.startsWith("STRUCT") && element.contains("INDEX") && element.contains("VALUE")) {
                return SPARSE_VECTOR;
            }
            DataType elementType = fromDuckDb(element);
            if (elementType.isNumeric()) {
                return ARRAY_FLOAT64;
            }
            return elementType == STRING ? ARRAY_STRING : OTHER;
        }
        if (t.startsWith("DECIMAL") || t.startsWith("NUMERIC")) {
            return NUMERIC;
        }
        if (t.startsWith("STRUCT")) {
            return STRUCT;
        }
        if (t.startsWith("VARCHAR") || t.startsWith("CHAR") || t.equals("TEXT") || t.equals("STRING") || t.equals("UUID")
                || t.startsWith("ENUM")) {
            return STRING;
        }
        return switch (t) {
            case "BOOLEAN", "BOOL", "LOGICAL" -> BOOL;
            case "TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "UHUGEINT", "INT1", "INT2", "INT4", "INT8", "INT64", "LONG", "SHORT" -> INT64;
            case "FLOAT", "DOUBLE", "REAL", "FLOAT4", "FLOAT8", "FLOAT64" -> FLOAT64;
            case "BLOB", "BYTEA", "VARBINARY", "BYTES" -> BYTES;
            case "DATE" -> DATE;
            case "TIME", "TIME WITH TIME ZONE", "TIMETZ" -> TIME;
            case "TIMESTAMP", "DATETIME", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ", "TIMESTAMP_S", "TIMESTAMP_MS",
                 "TIMESTAMP_NS" -> TIMESTAMP;
            default -> OTHER;
        };
    }
}
