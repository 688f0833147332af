package dev.lathe.imported;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.List;
import java.util.Locale;

/**
 * One input or output of an imported model: a name and a BigQuery type, one of {@link #TYPES}.
 * Scalars are one value per row; ARRAY types hold one tensor row (e.g. class probabilities).
 */
public record ImportedColumn(String name, String type) {
    public static final String FLOAT64 = "FLOAT64";
    public static final String INT64 = "INT64";
    public static final String BOOL = "BOOL";
    public static final String STRING = "STRING";
    public static final String ARRAY_FLOAT64 = "ARRAY<FLOAT64>";
    public static final String ARRAY_INT64 = "ARRAY<INT64>";
    public static final String ARRAY_STRING = "ARRAY<STRING>";
    public static final List<String> TYPES = List.of(FLOAT64, INT64, BOOL, STRING, ARRAY_FLOAT64, ARRAY_INT64, ARRAY_STRING);

    public ImportedColumn {
        requireNonNull(name, "name is null");
        type = normalize(requireNonNull(type, "type is null"));
        if (!TYPES.contains(type)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Column '" + name + "' of an imported model has type " + type
                    + "; accepted types are " + String.join(", ", TYPES));
        }
    }

    /** BigQuery spellings: FLOAT64/FLOAT/DOUBLE, INT64/INTEGER, BOOL/BOOLEAN, ARRAY&lt;...&gt; with any spacing. */
    static String normalize(String type) {
        String t = type.replaceAll("\\s+", "").toUpperCase(Locale.ROOT);
        if (t.startsWith("ARRAY<") && t.endsWith(">")) {
            return "ARRAY<" + normalize(t.substring(6, t.length() - 1)) + ">";
        }
        return switch (t) {
            case "FLOAT", "DOUBLE", "FLOAT32", "NUMERIC", "BIGNUMERIC" -> FLOAT64;
            case "INT", "INTEGER", "BIGINT" -> INT64;
            case "BOOLEAN" -> BOOL;
            case "VARCHAR" -> STRING;
            default -> t;
        };
    }

    public boolean isArray() {
        return type.startsWith("ARRAY<");
    }

    public boolean isNumericScalar() {
        return type.equals(FLOAT64) || type.equals(INT64) || type.equals(BOOL);
    }

    /** The DuckDB type Lathe writes this column as. */
    public String duckDbType() {
        return switch (type) {
            case FLOAT64 -> "DOUBLE";
            case INT64 -> "BIGINT";
            case BOOL -> "BOOLEAN";
            case STRING -> "VARCHAR";
            case ARRAY_FLOAT64 -> "DOUBLE[]";
            case ARRAY_INT64 -> "BIGINT[]";
            case ARRAY_STRING -> "VARCHAR[]";
            default -> throw new IllegalStateException(type);
        };
    }

    @Override
    public String toString() {
        return name + " " + type;
    }
}
