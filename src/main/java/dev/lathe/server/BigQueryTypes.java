package dev.lathe.server;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * DuckDB column types (as the JDBC driver names them, e.g. {@code STRUCT(label VARCHAR, prob DOUBLE)[]}) as
 * BigQuery schema fields: legacy type names as jobs.query returns them (INTEGER, FLOAT, BOOLEAN, STRING,
 * RECORD, ...), arrays as mode REPEATED, structs with nested fields, maps as repeated key/value records, unions as
 * records of their members.
 */
final class BigQueryTypes {
    /**
     * A schema field; {@code fields} is non-empty only for RECORD. {@code duckdbType} (Lathe's extension of the schema,
     * null for BigQuery's own types) names the DuckDB type a RECORD stands for where BigQuery has none: {@code MAP} on a
     * MAP's repeated key/value record, so a client can read the entries back as one map; {@code LIST} on the record of
     * one field, {@code element}, that holds an inner list of a list of lists (or a MAP in a list); {@code UNION} on the
     * record of a UNION's members, of which the one the value belongs to is set.
     */
    record Field(String name, String type, boolean repeated, List<Field> fields, String duckdbType) {
        Field(String name, String type, boolean repeated, List<Field> fields) {
            this(name, type, repeated, fields, null);
        }
    }

    private BigQueryTypes() {}

    static Field field(String name, String duckDbType) {
        return new TypeReader(duckDbType).field(name);
    }

    private static final class TypeReader {
        private final String text;
        private int at;

        TypeReader(String text) {
            this.text = text == null ? "VARCHAR" : text;
        }

        Field field(String name) {
            Field field = element(name);
            skipSpaces();
            while (at < text.length() && text.charAt(at) == '[') {
                int close = text.indexOf(']', at);
                at = close < 0 ? text.length() : close + 1;
                field = listOf(field);
                skipSpaces();
            }
            return field;
        }

        /**
         * A list of {@code element}'s values. BigQuery has no array of arrays: a list of lists (or of MAPs) is a repeated
         * record whose one field, {@code element}, holds the inner list, marked LIST so a client reads it back as that list.
         */
        private static Field listOf(Field element) {
            if (!element.repeated()) {
                return new Field(element.name(), element.type(), true, element.fields(), element.duckdbType());
            }
            Field inner = new Field("element", element.type(), true, element.fields(), element.duckdbType());
            return new Field(element.name(), "RECORD", true, List.of(inner), "LIST");
        }

        private Field element(String name) {
            skipSpaces();
            int start = at;
            while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_' || text.charAt(at) == ' ')
                    && !startsNested()) {
                at++;
            }
            String base = text.substring(start, at).strip().toUpperCase(Locale.ROOT);
            if (at < text.length() && text.charAt(at) == '(') {
                if (base.equals("STRUCT") || base.equals("UNION")) {
                    at++;
                    List<Field> fields = new ArrayList<>();
                    while (true) {
                        skipSpaces();
                        String fieldName = name();
                        fields.add(field(fieldName));
                        skipSpaces();
                        if (at >= text.length() || text.charAt(at) == ')') {
                            at++;
                            break;
                        }
                        at++; // ','
                    }
                    return new Field(name, "RECORD", false, List.copyOf(fields), base.equals("UNION") ? "UNION" : null);
                }
                if (base.equals("MAP")) {
                    at++;
                    Field key = field("key");
                    skipSpaces();
                    at++; // ','
                    Field value = field("value");
                    skipSpaces();
                    at++; // ')'
                    return new Field(name, "RECORD", true, List.of(key, value), "MAP");
                }
                skipParenthesized();
            }
            return new Field(name, scalar(base), false, List.of());
        }

        /** "TIMESTAMP WITH TIME ZONE" has spaces; a space followed by '(' or '[' does not continue the name. */
        private boolean startsNested() {
            char c = text.charAt(at);
            return c == ' ' && at + 1 < text.length() && (text.charAt(at + 1) == '[' || text.charAt(at + 1) == '(');
        }

        private String name() {
            if (at < text.length() && text.charAt(at) == '"') {
                StringBuilder name = new StringBuilder();
                at++;
                while (at < text.length()) {
                    char c = text.charAt(at++);
                    if (c == '"') {
                        if (at < text.length() && text.charAt(at) == '"') {
                            name.append('"');
                            at++;
                            continue;
                        }
                        break;
                    }
                    name.append(c);
                }
                return name.toString();
            }
            int start = at;
            while (at < text.length() && text.charAt(at) != ' ') {
                at++;
            }
            return text.substring(start, at);
        }

        private void skipParenthesized() {
            int depth = 0;
            do {
                char c = text.charAt(at++);
                depth += c == '(' ? 1 : c == ')' ? -1 : 0;
            } while (depth > 0 && at < text.length());
        }

        private void skipSpaces() {
            while (at < text.length() && text.charAt(at) == ' ') {
                at++;
            }
        }
    }

    /**
     * The member of {@code union} that {@code value} is written under. DuckDB's driver returns a UNION's value as its
     * member's value without saying which member holds it; the first member of the value's own type does (INTEGER for a
     * Long, a repeated field for a list, ...), so a client reads it back as the same value. Members of one type are not
     * told apart, as the value alone, all that is shown, does not tell them apart either.
     */
    static int unionMember(Field union, Object value) {
        List<Field> members = union.fields();
        for (int i = 0; i < members.size(); i++) {
            if (holds(members.get(i), value)) {
                return i;
            }
        }
        for (int i = 0; i < members.size(); i++) { // text, an enum, a UUID, ...: shown as their text
            if (!members.get(i).repeated() && (members.get(i).type().equals("STRING") || members.get(i).type().equals("JSON"))) {
                return i;
            }
        }
        return 0;
    }

    private static boolean holds(Field field, Object value) {
        if (field.repeated()) {
            return "MAP".equals(field.duckdbType()) ? value instanceof java.util.Map<?, ?>
                    : value instanceof java.sql.Array || value instanceof List<?> || value instanceof Object[];
        }
        return switch (field.type()) {
            case "INTEGER" -> value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long
                    || value instanceof java.math.BigInteger;
            case "FLOAT" -> value instanceof Double || value instanceof Float;
            case "NUMERIC" -> value instanceof java.math.BigDecimal;
            case "BOOLEAN" -> value instanceof Boolean;
            case "BYTES" -> value instanceof byte[] || value instanceof java.sql.Blob;
            case "DATE" -> value instanceof java.time.LocalDate;
            case "TIME" -> value instanceof java.time.LocalTime;
            case "TIMESTAMP" -> value instanceof java.sql.Timestamp || value instanceof java.time.LocalDateTime
                    || value instanceof java.time.OffsetDateTime || value instanceof java.time.ZonedDateTime;
            case "RECORD" -> field.duckdbType() == null && value instanceof java.sql.Struct;
            default -> false;
        };
    }

    static String scalar(String duckDb) {
        return switch (duckDb) {
            case "BOOLEAN", "BOOL" -> "BOOLEAN";
            case "TINYINT", "SMALLINT", "INTEGER", "INT", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT", "UHUGEINT" -> "INTEGER";
            case "FLOAT", "DOUBLE", "REAL" -> "FLOAT";
            case "DECIMAL", "NUMERIC" -> "NUMERIC";
            case "BLOB", "BYTEA" -> "BYTES";
            case "DATE" -> "DATE";
            case "TIME" -> "TIME";
            case "TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP WITH TIME ZONE", "TIMESTAMPTZ" -> "TIMESTAMP";
            case "JSON" -> "JSON";
            default -> "STRING";
        };
    }
}
