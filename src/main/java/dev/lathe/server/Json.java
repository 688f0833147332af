package dev.lathe.server;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdDelegatingSerializer;
import com.fasterxml.jackson.databind.util.StdConverter;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** JSON reading with request-level errors (line, column, field, rule) and writing, shared by all routes. */
public final class Json {
    /**
     * The class of {@code Map.of(...)} with two entries or more (and of {@code Map.copyOf}, {@code toUnmodifiableMap}),
     * whose iteration order is salted per JVM: such a map in a response gave its keys in another order on each primary,
     * replica and restart (probe tc F7: {@code deployedModels} entries, {@code /v2}), though a replica answers "the same as
     * the primary". It is written with its keys sorted, by both writers; other maps keep their own order.
     */
    private static final Class<?> UNORDERED_MAP = Map.of("a", 1, "b", 2).getClass();

    /** As {@link #UNORDERED_MAP}, for {@code Set.of(...)}: of two elements, and of three or more (another class). */
    private static final List<Class<?>> UNORDERED_SETS = List.of(java.util.Set.of(1, 2).getClass(), java.util.Set.of(1, 2, 3).getClass());

    /** Thread-safe once configured; shared because building one is costly. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .addModule(deterministicOrder())
            .build();

    /** Data binding's side of {@link #ordered(Map)} and {@link #ordered(Collection)}, by the two salted classes. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static SimpleModule deterministicOrder() {
        SimpleModule module = new SimpleModule("lathe-deterministic-order");
        module.addSerializer((Class) UNORDERED_MAP, new StdDelegatingSerializer(new StdConverter<Map<?, ?>, Map<?, ?>>() {
            @Override
            public Map<?, ?> convert(Map<?, ?> map) {
                return ordered(map);
            }
        }));
        for (Class<?> set : UNORDERED_SETS) {
            module.addSerializer((Class) set, new StdDelegatingSerializer(new StdConverter<Collection<?>, Collection<?>>() {
                @Override
                public Collection<?> convert(Collection<?> elements) {
                    return ordered(elements);
                }
            }));
        }
        return module;
    }

    /** {@code map} in a deterministic order: its own, unless its class iterates in an order salted per JVM (then by key). */
    static Map<?, ?> ordered(Map<?, ?> map) {
        if (map.getClass() != UNORDERED_MAP) {
            return map;
        }
        Map<Object, Object> sorted = new java.util.LinkedHashMap<>();
        map.keySet().stream().sorted(java.util.Comparator.comparing(String::valueOf)).forEach(key -> sorted.put(key, map.get(key)));
        return sorted;
    }

    /** As {@link #ordered(Map)} for a set: one salted per JVM is written sorted by its elements' text. */
    static Collection<?> ordered(Collection<?> set) {
        if (!UNORDERED_SETS.contains(set.getClass())) {
            return set;
        }
        return set.stream().sorted(java.util.Comparator.comparing(String::valueOf)).toList();
    }

    private Json() {}

    /** Parses a request body; malformed JSON is a 400 naming the line and column. */
    public static JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw ApiException.badRequest("The request body is empty; send a JSON object with Content-Type: application/json");
        }
        try (JsonParser parser = MAPPER.createParser(body)) {
            JsonNode node = MAPPER.readTree(parser);
            if (parser.nextToken() != null) {
                JsonLocation at = parser.currentTokenLocation();
                throw ApiException.badRequest("The request body is not valid JSON: unexpected content after the value at line %d, column %d"
                        .formatted(at.getLineNr(), at.getColumnNr()));
            }
            return node;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line %d, column %d".formatted(at.getLineNr(), at.getColumnNr());
            throw ApiException.badRequest("The request body is not valid JSON" + where + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw ApiException.badRequest("The request body could not be read as JSON: " + e.getMessage());
        }
    }

    /**
     * A response body as JSON. Maps with string keys, lists, strings, numbers, booleans and null (the shapes every
     * route builds) are written straight to the generator; anything else goes to Jackson's data binding. The bytes
     * equal {@code MAPPER.writeValueAsBytes(value)} (both write a {@code Map.of} with its keys sorted); the direct walk
     * only skips data binding's per-value serializer lookups, which were a large share of a one-row prediction.
     */
    public static byte[] bytes(Object value) {
        ByteArrayBuilder buffer = new ByteArrayBuilder(512);
        try (JsonGenerator json = MAPPER.createGenerator(buffer)) {
            write(json, value);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot write a response as JSON: " + e.getMessage(), e);
        }
        return buffer.toByteArray();
    }

    // instanceof tests in order of frequency rather than a pattern switch: this runs for every value of every response
    private static void write(JsonGenerator json, Object value) throws IOException {
        if (value instanceof String text) {
            json.writeString(text);
        } else if (value instanceof Double number) {
            json.writeNumber(number.doubleValue());
        } else if (value instanceof Map<?, ?> map && stringKeys(map)) {
            json.writeStartObject();
            for (Map.Entry<?, ?> entry : ordered(map).entrySet()) {
                json.writeFieldName((String) entry.getKey());
                write(json, entry.getValue());
            }
            json.writeEndObject();
        } else if (value instanceof List<?> list) {
            json.writeStartArray();
            for (Object element : list) {
                write(json, element);
            }
            json.writeEndArray();
        } else if (value == null) {
            json.writeNull();
        } else if (value instanceof Long number) {
            json.writeNumber(number.longValue());
        } else if (value instanceof Integer number) {
            json.writeNumber(number.intValue());
        } else if (value instanceof Float number) {
            json.writeNumber(number.floatValue());
        } else if (value instanceof Boolean flag) {
            json.writeBoolean(flag);
        } else {
            MAPPER.writeValue(json, value);
        }
    }

    private static boolean stringKeys(Map<?, ?> map) {
        for (Object key : map.keySet()) {
            if (!(key instanceof String)) {
                return false;
            }
        }
        return true;
    }

    /** A required string field; 400 naming the field when missing or not a string. */
    public static String requiredString(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            throw ApiException.badField(field, "required; give a string");
        }
        if (!node.isTextual()) {
            throw ApiException.badField(field, "must be a string, got " + kind(node));
        }
        return node.textValue();
    }

    public static Optional<String> optionalString(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiException.badField(field, "must be a string, got " + kind(node));
        }
        return Optional.of(node.textValue());
    }

    /** An optional integer in [min, max]; a string of digits is accepted, as Google APIs accept int64 as strings. */
    public static Optional<Long> optionalLong(ObjectNode object, String field, long min, long max) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        long value;
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            value = node.longValue();
        } else if (node.isTextual() && node.textValue().matches("-?\\d{1,18}")) {
            value = Long.parseLong(node.textValue());
        } else {
            throw ApiException.badField(field, "must be an integer from %d to %d, got %s".formatted(min, max, kind(node)));
        }
        if (value < min || value > max) {
            throw ApiException.badField(field, "must be an integer from %d to %d, got %d".formatted(min, max, value));
        }
        return Optional.of(value);
    }

    public static Optional<Boolean> optionalBoolean(ObjectNode object, String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw ApiException.badField(field, "must be true or false, got " + kind(node));
        }
        return Optional.of(node.booleanValue());
    }

    /** Rejects fields outside {@code accepted}, naming the first unknown one and listing the accepted ones. */
    public static void onlyFields(ObjectNode object, Collection<String> accepted) {
        onlyFields(object, "", accepted);
    }

    /** As {@link #onlyFields(ObjectNode, Collection)} for an object nested at {@code path} ("parameters"), named in the error. */
    public static void onlyFields(ObjectNode object, String path, Collection<String> accepted) {
        for (var names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!accepted.contains(name)) {
                throw ApiException.badField(path.isEmpty() ? name : path + "." + name, "unknown field; accepted: " + String.join(", ", accepted));
            }
        }
    }

    /** "a number (12)", "an object", ... for error messages. */
    static String kind(JsonNode node) {
        String text = node.toString();
        String sample = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string (" + sample + ")";
            case NUMBER -> "a number (" + sample + ")";
            case BOOLEAN -> "a boolean (" + sample + ")";
            case NULL, MISSING -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    /** A bare non-finite number, as Jackson names it: "Non-standard token 'NaN': enable `JsonReadFeature...` to allow". */
    private static final java.util.regex.Pattern NON_FINITE = java.util.regex.Pattern.compile(
            "Non-standard token '([-+]?(?:NaN|Infinity|INF))'.*");
    /** Jackson's advice to enable one of its features, which a client cannot act on. */
    private static final java.util.regex.Pattern FEATURE_ADVICE = java.util.regex.Pattern.compile(
            ": enable `JsonReadFeature\\.\\w+` to allow$| \\(not recognized as one since Feature '\\w+' not enabled for parser\\)$");

    /**
     * A parse error's message told in terms a client can act on: a bare NaN or Infinity (not JSON) is pointed to the
     * strings that stand for them, and Jackson's advice to enable a parser feature is left out (probe tb F9).
     */
    private static String forClients(String message) {
        java.util.regex.Matcher nonFinite = NON_FINITE.matcher(message);
        if (nonFinite.matches()) {
            return "a bare " + nonFinite.group(1) + " is not a JSON value; send a number that is not finite as one of the strings"
                    + " \"NaN\", \"Infinity\" or \"-Infinity\"";
        }
        return FEATURE_ADVICE.matcher(message).replaceAll("");
    }

    /**
     * Jackson's message for a parse error, for a user: its first line, with an earlier place it names ("[Source: REDACTED
     * (...); line: 1, column: 16]") as "line 1, column 16", and no advice about Jackson's features ({@link #forClients}).
     */
    public static String firstLine(String message) {
        if (message == null) {
            return "malformed input";
        }
        int end = message.indexOf('\n');
        String line = end < 0 ? message : message.substring(0, end);
        // Jackson names an earlier place as "[Source: REDACTED (...); line: 1, column: 16]": the place is what matters
        return forClients(JACKSON_SOURCE.matcher(line).replaceAll("line $1, column $2"));
    }

    private static final java.util.regex.Pattern JACKSON_SOURCE = java.util.regex.Pattern.compile(
            "\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
}
