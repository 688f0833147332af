package dev.lathe.cli;

import dev.lathe.warehouse.JdbcValues;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.SQLException;
import java.sql.Struct;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import org.duckdb.DuckDBStruct;

/**
 * Renders JDBC values from DuckDB: as display text (table, CSV) or as JSON. Lists and structs display
 * BigQuery-like, as JSON with spaces after ':' and ',': {@code [{"label": "Adelie", "prob": 0.97}]}. A MAP is a
 * JSON object keyed by its keys' text, as DuckDB's to_json writes it ({@code {"[1]": "x"}}), with or without a server.
 */
final class Values {
    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Values() {}

    /**
     * A NUMERIC/DECIMAL as BigQuery shows it: without the trailing zeros of its scale (NUMERIC '3.14' is 3.14, not DuckDB's
     * 3.140000000), never in exponent form.
     */
    static String numeric(BigDecimal number) {
        return number.signum() == 0 ? "0" : number.stripTrailingZeros().toPlainString();
    }

    /** Display text of a non-null value. */
    static String text(Object value) throws SQLException {
        String infinity = JdbcValues.infinity(value);
        if (infinity != null) { // DuckDB's infinite DATE or TIMESTAMP, which the driver made a far date
            return infinity;
        }
        return switch (value) {
            case String string -> string;
            case Double number -> formatDouble(number);
            case Float number -> formatFloat(number);
            case BigDecimal number -> numeric(number);
            case Timestamp timestamp -> formatDateTime(JdbcValues.dateTime(timestamp));
            case LocalDateTime dateTime -> formatDateTime(dateTime);
            // An instant (TIMESTAMP WITH TIME ZONE) shows in UTC, as BigQuery's TIMESTAMP and the server's answers do,
            // whatever the host's zone.
            case OffsetDateTime dateTime -> formatDateTime(LocalDateTime.ofEpochSecond(dateTime.toEpochSecond(), dateTime.getNano(), ZoneOffset.UTC));
            case ZonedDateTime dateTime -> formatDateTime(LocalDateTime.ofEpochSecond(dateTime.toEpochSecond(), dateTime.getNano(), ZoneOffset.UTC));
            case LocalTime time -> formatTime(time);
            case java.sql.Time time -> formatTime(time.toLocalTime());
            case java.time.OffsetTime time -> dev.lathe.warehouse.Sql.timeText(time);
            case Array array -> json(array, true);
            case Struct struct -> json(struct, true);
            case Map<?, ?> map -> json(map, true);
            case java.util.List<?> list -> json(list, true);
            case byte[] bytes -> hex(bytes);
            case java.sql.Blob blob -> hex(blob.getBytes(1, Math.toIntExact(blob.length()))); // DuckDB's BLOB values
            default -> value.toString();
        };
    }

    /** JSON text of a value, null included. */
    static String json(Object value, boolean spaced) throws SQLException {
        StringBuilder json = new StringBuilder();
        appendJson(json, value, spaced);
        return json.toString();
    }

    static void appendJson(StringBuilder json, Object value, boolean spaced) throws SQLException {
        String comma = spaced ? ", " : ",";
        String colon = spaced ? ": " : ":";
        switch (value) {
            case null -> json.append("null");
            case Boolean bool -> json.append(bool);
            case Byte number -> json.append(number);
            case Short number -> json.append(number);
            case Integer number -> json.append(number);
            case Long number -> json.append(number);
            case java.math.BigInteger number -> json.append(number);
            case BigDecimal number -> json.append(numeric(number));
            case Double number -> appendJsonNumber(json, number, formatDouble(number));
            case Float number -> appendJsonNumber(json, number, formatFloat(number));
            case Array array -> {
                Object[] elements = (Object[]) array.getArray();
                json.append('[');
                for (int i = 0; i < elements.length; i++) {
                    json.append(i == 0 ? "" : comma);
                    appendJson(json, elements[i], spaced);
                }
                json.append(']');
            }
            case DuckDBStruct struct -> appendObject(json, struct.getMap(), spaced, comma, colon);
            case Struct struct -> {
                // A generic JDBC struct has no field names: its attributes become an array.
                Object[] attributes = struct.getAttributes();
                json.append('[');
                for (int i = 0; i < attributes.length; i++) {
                    json.append(i == 0 ? "" : comma);
                    appendJson(json, attributes[i], spaced);
                }
                json.append(']');
            }
            case Map<?, ?> map -> appendObject(json, map, spaced, comma, colon);
            case java.util.List<?> list -> {
                // Lists come from a server's response, where JDBC arrays arrive as JSON arrays.
                json.append('[');
                for (int i = 0; i < list.size(); i++) {
                    json.append(i == 0 ? "" : comma);
                    appendJson(json, list.get(i), spaced);
                }
                json.append(']');
            }
            default -> appendString(json, text(value));
        }
    }

    private static void appendObject(StringBuilder json, Map<?, ?> map, boolean spaced, String comma, String colon) throws SQLException {
        json.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            json.append(first ? "" : comma);
            first = false;
            appendString(json, entry.getKey() == null ? "null" : text(entry.getKey()));
            json.append(colon);
            appendJson(json, entry.getValue(), spaced);
        }
        json.append('}');
    }

    /** NaN and the infinities are not JSON numbers; they are written as strings, as BigQuery exports them. */
    private static void appendJsonNumber(StringBuilder json, double number, String text) {
        if (Double.isFinite(number)) {
            json.append(text);
        } else {
            appendString(json, text);
        }
    }

    static void appendString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20) {
                        json.append("\\u%04x".formatted((int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }

    /**
     * Shortest text that reads back as the same double (Double.toString), written without an exponent for
     * magnitudes from 1e-4 up to 1e16 so ordinary values read naturally.
     */
    static String formatDouble(double number) {
        String shortest = Double.toString(number);
        return plain(number, shortest);
    }

    static String formatFloat(float number) {
        return plain(number, Float.toString(number));
    }

    private static String plain(double number, String shortest) {
        double magnitude = Math.abs(number);
        if (!Double.isFinite(number) || shortest.indexOf('E') < 0 || magnitude < 1e-4 || magnitude >= 1e16) {
            return shortest;
        }
        String plain = new BigDecimal(shortest).toPlainString();
        return plain.indexOf('.') < 0 ? plain + ".0" : plain;
    }

    private static String formatDateTime(LocalDateTime dateTime) {
        String text = dateTime.format(SECONDS);
        int nanos = dateTime.getNano();
        if (nanos == 0) {
            return text;
        }
        String fraction = "%09d".formatted(nanos).replaceAll("0+$", "");
        return text + "." + fraction;
    }

    /** {@code HH:mm:ss} and the fraction's significant digits: '10:00:00', not LocalTime's '10:00'. */
    private static String formatTime(LocalTime time) {
        String text = "%02d:%02d:%02d".formatted(time.getHour(), time.getMinute(), time.getSecond());
        int nanos = time.getNano();
        return nanos == 0 ? text : text + "." + "%09d".formatted(nanos).replaceAll("0+$", "");
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length * 4);
        for (byte b : bytes) {
            text.append("\\x%02X".formatted(b));
        }
        return text.toString();
    }
}
