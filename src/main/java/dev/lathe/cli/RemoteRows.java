package dev.lathe.cli;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of a jobs.query response as a {@link RowSource}: BigQuery's string-encoded values turned back
 * into the Java values DuckDB's driver returns (INTEGER to Long, FLOAT to Double, RECORD to an ordered map,
 * REPEATED to a list, a list of lists' LIST records to the inner lists, a MAP's key/value records to an ordered map,
 * a UNION's record to its member's value, TIMESTAMP seconds to a UTC date-time), so the formatters print what direct
 * mode prints.
 */
final class RemoteRows implements RowSource {
    private final List<JsonNode> fields = new ArrayList<>();
    private final java.util.function.BiFunction<String, String, JsonNode> nextPage;
    private Iterator<JsonNode> rows;
    private JsonNode page;
    private JsonNode current;

    RemoteRows(JsonNode response) {
        this(response, (jobId, token) -> {
            throw new IllegalStateException("the response has more pages but no way to fetch them was given");
        });
    }

    /**
     * The rows of {@code response} and of the pages after it, fetched one at a time as they are read with {@code nextPage}
     * (job id, page token): a server's result of millions of rows is never held whole.
     */
    RemoteRows(JsonNode response, java.util.function.BiFunction<String, String, JsonNode> nextPage) {
        requireNonNull(response, "response is null");
        this.nextPage = requireNonNull(nextPage, "nextPage is null");
        response.path("schema").path("fields").forEach(fields::add);
        this.page = response;
        this.rows = response.path("rows").iterator();
    }

    /** True when the response holds rows (a query), false for a statement answered with a message. */
    static boolean hasRows(JsonNode response) {
        return response.has("schema");
    }

    @Override
    public int columnCount() {
        return fields.size();
    }

    @Override
    public String columnLabel(int column) {
        return fields.get(column).path("name").asText();
    }

    @Override
    public boolean next() {
        while (!rows.hasNext()) {
            String token = page.path("pageToken").asText("");
            if (token.isEmpty()) {
                return false;
            }
            page = nextPage.apply(page.path("jobReference").path("jobId").asText(), token);
            rows = page.path("rows").iterator();
        }
        current = rows.next();
        return true;
    }

    @Override
    public Object value(int column) {
        return decode(current.path("f").path(column).path("v"), fields.get(column), true);
    }

    private static Object decode(JsonNode v, JsonNode field, boolean whole) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return null;
        }
        if (whole && "REPEATED".equals(field.path("mode").asText())) {
            if ("MAP".equals(field.path("duckdbType").asText())) {
                return map(v, field.path("fields"));
            }
            List<Object> list = new ArrayList<>(v.size());
            for (JsonNode element : v) {
                list.add(decode(element.path("v"), field, false));
            }
            return list;
        }
        String type = field.path("type").asText();
        if ("LIST".equals(field.path("duckdbType").asText())) { // the record holding an inner list of a list of lists
            return decode(v.path("f").path(0).path("v"), field.path("fields").path(0), true);
        }
        if ("UNION".equals(field.path("duckdbType").asText())) { // the value is that of the member set, as DuckDB's driver gives it
            JsonNode members = field.path("fields");
            for (int i = 0; i < members.size(); i++) {
                Object member = decode(v.path("f").path(i).path("v"), members.get(i), true);
                if (member != null) {
                    return member;
                }
            }
            return null;
        }
        if (type.equals("RECORD") || type.equals("STRUCT")) {
            Map<String, Object> record = new LinkedHashMap<>();
            JsonNode children = field.path("fields");
            JsonNode values = v.path("f");
            for (int i = 0; i < children.size(); i++) {
                record.put(children.get(i).path("name").asText(), decode(values.path(i).path("v"), children.get(i), true));
            }
            return record;
        }
        String text = v.asText();
        if ((type.equals("DATE") || type.equals("DATETIME") || type.equals("TIMESTAMP")) && (text.equals("infinity") || text.equals("-infinity"))) {
            return text; // DuckDB's infinite dates, printed as DuckDB writes them
        }
        return switch (type) {
            case "INTEGER", "INT64" -> integer(text);
            case "FLOAT", "FLOAT64" -> Double.parseDouble(text);
            case "NUMERIC", "BIGNUMERIC" -> new BigDecimal(text);
            case "BOOLEAN", "BOOL" -> Boolean.parseBoolean(text);
            case "DATE" -> LocalDate.parse(text);
            case "TIME" -> text.startsWith("24:") ? text : LocalTime.parse(text); // DuckDB's 24:00:00, past LocalTime's last
            case "DATETIME" -> LocalDateTime.parse(text);
            case "TIMESTAMP" -> timestamp(text);
            case "BYTES" -> Base64.getDecoder().decode(text);
            default -> text;
        };
    }

    /**
     * A DuckDB MAP, sent as BigQuery's repeated key/value record, as the ordered map DuckDB's driver returns: the formatters
     * print it as direct mode does, a JSON object.
     */
    private static Map<Object, Object> map(JsonNode entries, JsonNode keyAndValue) {
        Map<Object, Object> map = new LinkedHashMap<>();
        for (JsonNode entry : entries) {
            JsonNode cells = entry.path("v").path("f");
            map.put(decode(cells.path(0).path("v"), keyAndValue.path(0), true), decode(cells.path(1).path("v"), keyAndValue.path(1), true));
        }
        return map;
    }

    private static Object integer(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return new BigInteger(text);
        }
    }

    private static LocalDateTime timestamp(String seconds) {
        BigDecimal value = new BigDecimal(seconds);
        BigDecimal whole = value.setScale(0, java.math.RoundingMode.FLOOR);
        int nanos = value.subtract(whole).movePointRight(9).intValue();
        return LocalDateTime.ofEpochSecond(whole.longValueExact(), nanos, ZoneOffset.UTC);
    }
}
