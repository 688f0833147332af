package dev.lathe.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.sql.Token;
import dev.lathe.sql.Tokenizer;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * jobs.query's {@code queryParameters} and {@code parameterMode}: GoogleSQL's named ({@code @name}) and positional
 * ({@code ?}) query parameters, in BigQuery's JSON shapes ({@code {"name": "n", "parameterType": {"type": "INT64"},
 * "parameterValue": {"value": "3"}}}, ARRAY with {@code arrayType}/{@code arrayValues}, STRUCT with
 * {@code structTypes}/{@code structValues}). Each value is checked against its type and written into the script as a
 * typed literal made from the checked value (a string's characters escaped one by one), in place of the reference's
 * token, so a value is only ever a value: it cannot end its literal or add SQL.
 */
final class QueryParameterBinding {
    private QueryParameterBinding() {}

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final Pattern INTEGER = Pattern.compile("[-+]?\\d{1,19}");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?");
    private static final Pattern FLOAT = Pattern.compile("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|NaN|[-+]?Infinity|[-+]?inf",
            Pattern.CASE_INSENSITIVE);
    private static final String DATE_TEXT = "\\d{4}-\\d{1,2}-\\d{1,2}";
    private static final String TIME_TEXT = "\\d{1,2}:\\d{1,2}(:\\d{1,2}(\\.\\d{1,9})?)?";
    private static final Pattern DATE = Pattern.compile(DATE_TEXT);
    private static final Pattern TIME = Pattern.compile(TIME_TEXT);
    private static final Pattern DATETIME = Pattern.compile(DATE_TEXT + "([ Tt]" + TIME_TEXT + ")?");
    /** A date and time with an optional offset (Z, +05, -08:00) or zone name (UTC, America/New_York). */
    private static final Pattern TIMESTAMP = Pattern.compile(DATE_TEXT + "([ Tt]" + TIME_TEXT + ")?"
            + "( ?([Zz]|[-+]\\d{1,2}(:?\\d{2})?)| [A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*)?");
    private static final Set<String> SCALARS = Set.of("INT64", "FLOAT64", "NUMERIC", "BIGNUMERIC", "BOOL", "STRING", "BYTES", "DATE",
            "DATETIME", "TIME", "TIMESTAMP", "JSON");
    /** Legacy SQL's type names, which BigQuery's clients may send for a parameter's type. */
    private static final Map<String, String> ALIASES = Map.of("INTEGER", "INT64", "FLOAT", "FLOAT64", "BOOLEAN", "BOOL", "DECIMAL", "NUMERIC",
            "BIGDECIMAL", "BIGNUMERIC");

    /**
     * {@code query} with its parameter references replaced by the request's values; the query itself when the request
     * has neither {@code queryParameters} nor {@code parameterMode}. A reference without a parameter, a parameter of the
     * wrong shape or type, and a mode the query's references do not match are 400s naming the parameter.
     */
    static String bind(String query, ObjectNode body) {
        JsonNode modeNode = body.get("parameterMode");
        JsonNode parametersNode = body.get("queryParameters");
        boolean noMode = modeNode == null || modeNode.isNull();
        boolean noParameters = parametersNode == null || parametersNode.isNull();
        if (noMode && noParameters) {
            return query;
        }
        if (!noParameters && !parametersNode.isArray()) {
            throw ApiException.badField("queryParameters", "must be an array of {\"name\": ..., \"parameterType\": ..., \"parameterValue\": ...},"
                    + " got " + Json.kind(parametersNode));
        }
        if (!noMode && !(modeNode.isTextual() && Set.of("NAMED", "POSITIONAL").contains(modeNode.textValue()))) {
            throw ApiException.badField("parameterMode", "must be NAMED (@name parameters) or POSITIONAL (? parameters), got " + Json.kind(modeNode));
        }
        List<JsonNode> given = new ArrayList<>();
        if (!noParameters) {
            parametersNode.forEach(given::add);
        }
        // without a mode, the parameters' names say it, as BigQuery's clients set it: all named, or none
        boolean named = noMode ? given.isEmpty() || given.get(0).path("name").isTextual() : modeNode.textValue().equals("NAMED");
        Map<String, String> byName = new LinkedHashMap<>();
        List<String> byPosition = new ArrayList<>();
        for (int i = 0; i < given.size(); i++) {
            String field = "queryParameters[" + i + "]";
            JsonNode parameter = given.get(i);
            if (!(parameter instanceof ObjectNode object)) {
                throw ApiException.badField(field, "must be an object {\"name\": ..., \"parameterType\": ..., \"parameterValue\": ...}, got "
                        + Json.kind(parameter));
            }
            Json.onlyFields(object, field, List.of("name", "parameterType", "parameterValue"));
            JsonNode name = object.get("name");
            boolean hasName = name != null && !name.isNull() && !(name.isTextual() && name.textValue().isEmpty());
            if (named && !hasName) {
                throw ApiException.badField(field + ".name", "is required with parameterMode NAMED: the name the query writes as @name");
            }
            if (!named && hasName) {
                throw ApiException.badField(field + ".name", "must be absent with parameterMode POSITIONAL, where the query's ? take the"
                        + " parameters in order; use parameterMode NAMED for @" + name.asText());
            }
            if (hasName && !(name.isTextual() && NAME.matcher(name.textValue()).matches())) {
                throw ApiException.badField(field + ".name", "must be letters, digits and underscores, not starting with a digit, got "
                        + Json.kind(name));
            }
            String label = hasName ? "@" + name.textValue() : "parameter " + (i + 1);
            String literal = literal(object.get("parameterType"), object.get("parameterValue"), field, label);
            if (hasName) {
                // GoogleSQL's parameter names, as its identifiers, ignore case
                if (byName.put(name.textValue().toLowerCase(Locale.ROOT), literal) != null) {
                    throw ApiException.badField(field + ".name", "@" + name.textValue() + " is given twice; give each parameter once");
                }
            } else {
                byPosition.add(literal);
            }
        }
        return substitute(query, named, byName, byPosition);
    }

    /** The query with each reference's token(s) replaced by its parameter's literal. */
    private static String substitute(String query, boolean named, Map<String, String> byName, List<String> byPosition) {
        List<Token> tokens = Tokenizer.tokenize(query);
        StringBuilder bound = new StringBuilder();
        int copied = 0;
        int positional = 0;
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            Token previous = i > 0 ? tokens.get(i - 1) : null;
            Token next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            String literal;
            int end;
            if (token.isSymbol("@") && next != null && next.isSymbol("@")) {
                i++; // @@dataset_id: a system variable, no parameter
                continue;
            } else if (token.isSymbol("@") && !(previous != null && previous.isName() && previous.end() == token.start())
                    && next != null && next.isName() && next.start() == token.end()) {
                // @name; a '@' right after a name (MODEL d.m@2) is a model version
                if (!named) {
                    throw ApiException.badField("parameterMode", "is POSITIONAL, but the query writes the named parameter @" + next.value()
                            + " at " + token.position() + "; use parameterMode NAMED with named parameters, or ? in the query");
                }
                literal = byName.get(next.value().toLowerCase(Locale.ROOT));
                if (literal == null) {
                    throw ApiException.badField("queryParameters", "the query uses @" + next.value() + " at " + token.position()
                            + ", but no parameter has that name; " + (byName.isEmpty() ? "none is given" : "given: "
                            + String.join(", ", byName.keySet().stream().map(n -> "@" + n).toList())));
                }
                end = next.end();
                i++;
            } else if (token.isSymbol("?")) {
                if (named) {
                    throw ApiException.badField("parameterMode", "is NAMED, but the query writes the positional parameter ? at "
                            + token.position() + "; use parameterMode POSITIONAL with parameters without names, or @name in the query");
                }
                if (positional >= byPosition.size()) {
                    throw ApiException.badField("queryParameters", "the query's ? at " + token.position() + " is its parameter "
                            + (positional + 1) + ", but " + byPosition.size() + (byPosition.size() == 1 ? " is" : " are")
                            + " given; give one parameter for each ?");
                }
                literal = byPosition.get(positional++);
                end = token.end();
            } else {
                continue;
            }
            bound.append(query, copied, token.start()).append(literal);
            copied = end;
        }
        if (!named && positional < byPosition.size()) {
            throw ApiException.badField("queryParameters", byPosition.size() + " positional parameters are given, but the query has "
                    + positional + " ?; give one parameter for each ?");
        }
        return bound.append(query, copied, query.length()).toString();
    }

    /** The GoogleSQL type of {@code type} ({@code {"type": "ARRAY", "arrayType": {"type": "INT64"}}}): INT64, ARRAY<INT64>, ... */
    private static String typeName(JsonNode type, String field) {
        if (!(type instanceof ObjectNode object)) {
            throw ApiException.badField(field, "is required: an object such as {\"type\": \"STRING\"}, got "
                    + (type == null ? "nothing" : Json.kind(type)));
        }
        Json.onlyFields(object, field, List.of("type", "arrayType", "structTypes", "rangeElementType", "timestampPrecision"));
        String name = kind(object, field);
        return switch (name) {
            case "ARRAY" -> "ARRAY<" + typeName(object.get("arrayType"), field + ".arrayType") + ">";
            case "STRUCT" -> {
                JsonNode fields = object.get("structTypes");
                if (fields == null || !fields.isArray() || fields.isEmpty()) {
                    throw ApiException.badField(field + ".structTypes", "is required for a STRUCT: [{\"name\": \"a\", \"type\": {\"type\":"
                            + " \"INT64\"}}, ...]");
                }
                List<String> members = new ArrayList<>();
                for (int i = 0; i < fields.size(); i++) {
                    String member = field + ".structTypes[" + i + "]";
                    if (!(fields.get(i) instanceof ObjectNode memberObject)) {
                        throw ApiException.badField(member, "must be {\"name\": ..., \"type\": {...}}, got " + Json.kind(fields.get(i)));
                    }
                    Json.onlyFields(memberObject, member, List.of("name", "type", "description"));
                    members.add(memberName(memberObject, member) + " " + typeName(memberObject.get("type"), member + ".type"));
                }
                yield "STRUCT<" + String.join(", ", members) + ">";
            }
            default -> name;
        };
    }

    /** The type's name, legacy names read as GoogleSQL's; a type Lathe has no parameters of is refused. */
    private static String kind(ObjectNode type, String field) {
        JsonNode node = type.get("type");
        if (node == null || !node.isTextual()) {
            throw ApiException.badField(field + ".type", "is required: a type name such as STRING or INT64, got "
                    + (node == null ? "nothing" : Json.kind(node)));
        }
        String name = node.textValue().toUpperCase(Locale.ROOT);
        name = ALIASES.getOrDefault(name, name);
        if (!SCALARS.contains(name) && !name.equals("ARRAY") && !name.equals("STRUCT")) {
            throw ApiException.badField(field + ".type", (Set.of("GEOGRAPHY", "INTERVAL", "RANGE").contains(name) ? name
                    + " parameters are not supported" : "unknown type '" + node.textValue() + "'") + "; accepted: "
                    + String.join(", ", SCALARS.stream().sorted().toList()) + ", ARRAY, STRUCT");
        }
        return name;
    }

    private static String memberName(ObjectNode member, String field) {
        JsonNode name = member.get("name");
        if (name == null || !name.isTextual() || !NAME.matcher(name.textValue()).matches()) {
            throw ApiException.badField(field + ".name", "a STRUCT field's name must be letters, digits and underscores, not starting"
                    + " with a digit, got " + (name == null ? "nothing" : Json.kind(name)));
        }
        return name.textValue();
    }

    /** The literal of one parameter's value, checked against its type; {@code label} names the parameter in errors. */
    private static String literal(JsonNode type, JsonNode value, String field, String label) {
        String typeName = typeName(type, field + ".parameterType");
        return value(type, value, field + ".parameterValue", label, typeName);
    }

    private static String value(JsonNode type, JsonNode value, String field, String label, String typeName) {
        if (value != null && !value.isNull() && !(value instanceof ObjectNode)) {
            throw ApiException.badField(field, "must be an object ({\"value\": \"...\"}), got " + Json.kind(value));
        }
        ObjectNode object = (ObjectNode) value;
        if (object != null) {
            Json.onlyFields(object, field, List.of("value", "arrayValues", "structValues", "rangeValue"));
        }
        String kind = kind((ObjectNode) type, field);
        if (kind.equals("ARRAY")) {
            JsonNode elements = object == null ? null : object.get("arrayValues");
            if (elements == null || elements.isNull()) {
                // BigQuery has no NULL array: an absent arrayValues is the empty array
                return "CAST([] AS " + typeName + ")";
            }
            if (!elements.isArray()) {
                throw ApiException.badField(field + ".arrayValues", "must be an array of {\"value\": ...}, got " + Json.kind(elements));
            }
            JsonNode elementType = type.get("arrayType");
            String elementTypeName = typeName.substring("ARRAY<".length(), typeName.length() - 1);
            List<String> literals = new ArrayList<>();
            for (int i = 0; i < elements.size(); i++) {
                literals.add(value(elementType, elements.get(i), field + ".arrayValues[" + i + "]", label, elementTypeName));
            }
            return "CAST([" + String.join(", ", literals) + "] AS " + typeName + ")";
        }
        if (kind.equals("STRUCT")) {
            JsonNode members = object == null ? null : object.get("structValues");
            if (members == null || members.isNull()) {
                return "CAST(NULL AS " + typeName + ")";
            }
            if (!(members instanceof ObjectNode memberValues)) {
                throw ApiException.badField(field + ".structValues", "must be an object of field names and {\"value\": ...}, got "
                        + Json.kind(members));
            }
            JsonNode memberTypes = type.get("structTypes");
            List<String> names = new ArrayList<>();
            memberTypes.forEach(member -> names.add(member.get("name").textValue()));
            for (var it = memberValues.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (!names.contains(name)) {
                    throw ApiException.badField(field + ".structValues." + name, "is no field of the STRUCT " + typeName);
                }
            }
            List<String> literals = new ArrayList<>();
            for (JsonNode member : memberTypes) {
                String name = member.get("name").textValue();
                String memberTypeName = typeName(member.get("type"), field + ".structTypes." + name);
                literals.add(value(member.get("type"), memberValues.get(name), field + ".structValues." + name, label, memberTypeName)
                        + " AS " + name);
            }
            return "(STRUCT(" + String.join(", ", literals) + "))"; // in parentheses for a field's access: @s.x
        }
        JsonNode scalar = object == null ? null : object.get("value");
        if (scalar == null || scalar.isNull()) {
            return "CAST(NULL AS " + kind + ")";
        }
        if (!scalar.isValueNode()) {
            throw ApiException.badField(field + ".value", label + " is " + kind + ": its value must be a string, got " + Json.kind(scalar));
        }
        String text = scalar.asText();
        return switch (kind) {
            case "INT64" -> {
                checked(INTEGER.matcher(text).matches() && fitsLong(text), field, label, kind, text, "an integer from -2^63 to 2^63-1");
                yield "CAST(" + Long.parseLong(text.startsWith("+") ? text.substring(1) : text) + " AS INT64)";
            }
            case "FLOAT64" -> {
                checked(FLOAT.matcher(text).matches(), field, label, kind, text, "a number, NaN, Infinity or -Infinity");
                yield "CAST('" + floatText(text) + "' AS FLOAT64)";
            }
            case "NUMERIC", "BIGNUMERIC" -> {
                checked(DECIMAL.matcher(text).matches(), field, label, kind, text, "a decimal number such as 3.14");
                yield kind + " '" + new BigDecimal(text).toPlainString() + "'";
            }
            case "BOOL" -> {
                checked(text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"), field, label, kind, text, "true or false");
                yield text.toUpperCase(Locale.ROOT);
            }
            case "STRING" -> stringLiteral(text, field, label);
            case "JSON" -> {
                try {
                    Json.MAPPER.readTree(text);
                } catch (java.io.IOException e) {
                    checked(false, field, label, kind, text, "JSON text");
                }
                yield "JSON " + stringLiteral(text, field, label);
            }
            case "BYTES" -> {
                byte[] bytes;
                try {
                    bytes = Base64.getDecoder().decode(text);
                } catch (IllegalArgumentException e) {
                    throw ApiException.badField(field + ".value", label + " is BYTES: its value must be base64, as BigQuery's clients"
                            + " send bytes (" + e.getMessage() + ")");
                }
                StringBuilder literal = new StringBuilder("b'");
                for (byte b : bytes) {
                    literal.append(String.format("\\x%02x", b & 0xff));
                }
                yield literal.append('\'').toString();
            }
            case "DATE" -> {
                checked(DATE.matcher(text).matches(), field, label, kind, text, "a date such as 2024-01-31");
                yield "DATE '" + text + "'";
            }
            case "DATETIME" -> {
                checked(DATETIME.matcher(text).matches(), field, label, kind, text, "a date and time such as 2024-01-31 10:00:00");
                yield "DATETIME '" + text + "'";
            }
            case "TIME" -> {
                checked(TIME.matcher(text).matches(), field, label, kind, text, "a time such as 10:00:00.5");
                yield "TIME '" + text + "'";
            }
            case "TIMESTAMP" -> {
                checked(TIMESTAMP.matcher(text).matches(), field, label, kind, text,
                        "a date and time with an optional offset or zone, such as 2024-01-31 10:00:00+00:00 or 2024-01-31 10:00:00 UTC");
                yield "TIMESTAMP '" + text + "'";
            }
            default -> throw new IllegalStateException("no literal for " + kind);
        };
    }

    private static boolean fitsLong(String text) {
        try {
            Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** A FLOAT64's text as DuckDB's cast reads it: inf and Infinity alike. */
    private static String floatText(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.equals("nan")) {
            return "NaN";
        }
        if (lower.endsWith("inf") || lower.endsWith("infinity")) {
            return lower.startsWith("-") ? "-Infinity" : "Infinity";
        }
        return new BigDecimal(text).toString();
    }

    private static void checked(boolean valid, String field, String label, String kind, String text, String expected) {
        if (!valid) {
            throw ApiException.badField(field + ".value", label + " is " + kind + ": its value must be " + expected + ", got '"
                    + (text.length() > 60 ? text.substring(0, 57) + "..." : text) + "'");
        }
    }

    /**
     * A GoogleSQL string literal of {@code text}: printable ASCII as is, every other character, the quote and the
     * backslash as a \\u escape, so nothing in the value can end the literal.
     */
    static String stringLiteral(String text) {
        return stringLiteral(text, "query", "the value");
    }

    private static String stringLiteral(String text, String field, String label) {
        StringBuilder literal = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw ApiException.badField(field + ".value", label + " holds the NUL character, which DuckDB's text cannot; send the"
                        + " value without it, or as BYTES");
            }
            if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
                literal.append(c);
            } else {
                literal.append(String.format("\\u%04x", (int) c));
            }
        }
        return literal.append('\'').toString();
    }
}
