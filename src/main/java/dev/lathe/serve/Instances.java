package dev.lathe.serve;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.registry.ModelManifest;
import dev.lathe.server.ApiException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Vertex {@code instances} as the maps {@link ModelRuntime#predict} takes: an object by column name, or an array
 * of values in the model's input column order. Values are JSON scalars; the runtime checks the types.
 */
final class Instances {
    /** Without duplicate detection: {@link #readCommon} detects duplicates itself and leaves them to the tree path. */
    private static final JsonFactory STREAMING = JsonFactory.builder().build();

    private Instances() {}

    /** A {@code :predict} body of the common shape, read by {@link #readCommon}. */
    record Common(List<Map<String, Object>> instances, double threshold) {}

    /**
     * The common {@code :predict} body, {@code {"instances": [{"column": scalar, ...}, ...], "parameters": {"threshold":
     * number}}} (parameters optional), read straight from its bytes into what {@link #read} would make of its tree, for
     * one-row requests where building the tree was a large share of the work. Empty for anything else (instances as
     * arrays, other fields, a duplicate key, malformed JSON, a threshold out of range, ...): the caller then parses the
     * body as a tree, which accepts everything valid and reports every error.
     */
    static Optional<Common> readCommon(byte[] body) {
        return readBody(body, Instances::commonInstances).map(read -> new Common(read.instances(), read.threshold()));
    }

    /** A {@code :predict} body of one instance, read by {@link #readOne}: the values of the model's row input slots. */
    record One(Object[] values, double threshold) {}

    /**
     * {@link #readCommon} for a body of exactly one instance that has each of the {@code input}'s fields once, named
     * exactly, with a value its slot accepts (fields that name none in any case are skipped, as {@link ModelRuntime#predict} skips them): the
     * slots' values, read without the instance's map. Empty for anything else (two instances, a field missing or given in
     * other case, a value of the wrong kind, a key given twice, ...), which the caller then reads with {@link #readCommon}
     * and its errors.
     */
    static Optional<One> readOne(byte[] body, ModelRuntime.RowInput input) {
        return readBody(body, parser -> oneInstance(parser, input)).map(read -> new One(read.instances(), read.threshold()));
    }

    /** Reads a body's {@code instances} array from its start; null where the array is not of the shape it takes. */
    @FunctionalInterface
    private interface InstancesReader<T> {
        T read(JsonParser parser) throws IOException;
    }

    private record Body<T>(T instances, double threshold) {}

    /** {@code {"instances": ..., "parameters": {"threshold": ...}}} (parameters optional), the instances read by {@code reader}. */
    private static <T> Optional<Body<T>> readBody(byte[] body, InstancesReader<T> reader) {
        try (JsonParser parser = STREAMING.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return Optional.empty();
            }
            T instances = null;
            double threshold = 0.5;
            boolean parameters = false;
            for (String field = parser.nextFieldName(); field != null; field = parser.nextFieldName()) {
                if (field.equals("instances") && instances == null) {
                    instances = reader.read(parser);
                    if (instances == null) {
                        return Optional.empty();
                    }
                } else if (field.equals("parameters") && !parameters) {
                    parameters = true;
                    OptionalDouble given = commonThreshold(parser);
                    if (given.isEmpty()) {
                        return Optional.empty();
                    }
                    threshold = given.getAsDouble();
                } else {
                    return Optional.empty();
                }
            }
            if (instances == null || parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                return Optional.empty();
            }
            return Optional.of(new Body<>(instances, threshold));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code [{...}]}, one object with every one of {@code input}'s fields once, as its slots' values; null for anything else. */
    private static Object[] oneInstance(JsonParser parser, ModelRuntime.RowInput input) throws IOException {
        if (parser.nextToken() != JsonToken.START_ARRAY || parser.nextToken() != JsonToken.START_OBJECT) {
            return null;
        }
        Object[] values = new Object[input.size()];
        boolean[] given = new boolean[values.length];
        Set<String> others = null; // fields the model does not read, kept to find one given twice
        int filled = 0;
        int next = 0;
        for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
            int slot = input.slot(key, next);
            Object scalar = scalar(parser.nextToken(), parser);
            if (scalar == ModelRuntime.RowInput.REJECTED) {
                return null;
            }
            if (slot < 0) {
                if (input.namesAFieldInOtherCase(key)) {
                    return null; // "ISLAND" beside "island": the general path refuses the two (probe tb F3)
                }
                others = others == null ? new HashSet<>() : others;
                if (!others.add(key)) {
                    return null;
                }
                continue;
            }
            Object value = input.convert(slot, scalar);
            if (given[slot] || value == ModelRuntime.RowInput.REJECTED) {
                return null;
            }
            values[slot] = value;
            given[slot] = true;
            filled++;
            next = slot + 1;
        }
        if (filled != values.length || parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != JsonToken.END_ARRAY) {
            return null;
        }
        return values;
    }

    /**
     * The scalar at {@code token} as {@link #read} converts it: Long or Double, String, Boolean or null;
     * {@link ModelRuntime.RowInput#REJECTED} for an object or array.
     */
    private static Object scalar(JsonToken token, JsonParser parser) throws IOException {
        return switch (token) {
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? finiteOrRejected(parser.getBigIntegerValue().doubleValue()) // as BigIntegerNode.doubleValue()
                    : (Object) parser.getLongValue();
            case VALUE_NUMBER_FLOAT -> finiteOrRejected(parser.getDoubleValue());
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> ModelRuntime.RowInput.REJECTED;
        };
    }

    /** A number read, or REJECTED (the tree path then names the field) where it overflowed to infinity (1e400). */
    private static Object finiteOrRejected(double value) {
        return Double.isInfinite(value) ? ModelRuntime.RowInput.REJECTED : (Object) value;
    }

    /** A non-empty array of objects of scalars, as {@link #read} converts them; null for anything else. */
    private static List<Map<String, Object>> commonInstances(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            return null;
        }
        List<Map<String, Object>> rows = new ArrayList<>(1);
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (token != JsonToken.START_OBJECT) {
                return null;
            }
            List<String> keys = new ArrayList<>(16);
            List<Object> values = new ArrayList<>(16);
            for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
                Object value = scalar(parser.nextToken(), parser);
                if (value == ModelRuntime.RowInput.REJECTED) {
                    return null;
                }
                keys.add(key);
                values.add(value);
            }
            if (parser.currentToken() != JsonToken.END_OBJECT) {
                return null;
            }
            // sized as read() sizes it, so that even iteration order is the same
            Map<String, Object> row = HashMap.newHashMap(keys.size());
            for (int k = 0; k < keys.size(); k++) {
                row.put(keys.get(k), values.get(k));
            }
            if (row.size() != keys.size()) {
                return null; // a key given twice: the tree path reports it
            }
            rows.add(row);
        }
        return rows.isEmpty() ? null : rows;
    }

    /** {@code null} or {@code {}} (0.5), {@code {"threshold": null}} (0.5) or a number from 0 to 1; empty for anything else. */
    private static OptionalDouble commonThreshold(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == JsonToken.VALUE_NULL) {
            return OptionalDouble.of(0.5);
        }
        if (token != JsonToken.START_OBJECT) {
            return OptionalDouble.empty();
        }
        double threshold = 0.5;
        boolean seen = false;
        for (String key = parser.nextFieldName(); key != null; key = parser.nextFieldName()) {
            if (!key.equals("threshold") || seen) {
                return OptionalDouble.empty();
            }
            seen = true;
            switch (parser.nextToken()) {
                case VALUE_NULL -> threshold = 0.5;
                case VALUE_NUMBER_INT -> {
                    if (parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        return OptionalDouble.empty();
                    }
                    threshold = parser.getLongValue();
                }
                case VALUE_NUMBER_FLOAT -> threshold = parser.getDoubleValue();
                default -> {
                    return OptionalDouble.empty();
                }
            }
        }
        return threshold >= 0 && threshold <= 1 && parser.currentToken() == JsonToken.END_OBJECT ? OptionalDouble.of(threshold)
                : OptionalDouble.empty();
    }

    static List<Map<String, Object>> read(JsonNode instances, ModelRuntime runtime) {
        if (instances == null || instances.isNull()) {
            throw ApiException.badField("instances", "required; give an array of instances (objects by column name, or arrays in input column order)");
        }
        if (!instances.isArray() || instances.isEmpty()) {
            throw ApiException.badField("instances", "must be a non-empty array of instances, got " + describe(instances));
        }
        List<Map<String, Object>> rows = new ArrayList<>(instances.size());
        List<ModelManifest.Column> columns = null;
        java.util.Set<String> read = null; // the input columns, lower case: a field the model does not read is ignored whatever it holds
        for (int i = 0; i < instances.size(); i++) {
            JsonNode instance = instances.get(i);
            if (instance.isObject()) {
                Map<String, Object> row = HashMap.newHashMap(instance.size());
                for (Iterator<Map.Entry<String, JsonNode>> fields = instance.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    if (field.getValue().isContainerNode() && runtime != null) {
                        if (read == null) {
                            read = new java.util.HashSet<>();
                            for (ModelManifest.Column column : runtime.inputColumns()) {
                                read.add(column.name().toLowerCase(java.util.Locale.ROOT));
                            }
                        }
                        if (!read.contains(field.getKey().toLowerCase(java.util.Locale.ROOT))) {
                            continue; // an object or array the model does not read (probe qd: {"foo": {"a": 1}} was a 400)
                        }
                    }
                    row.put(field.getKey(), scalar(field.getValue(), i, field.getKey()));
                }
                rows.add(row);
            } else if (instance.isArray()) {
                if (columns == null) {
                    columns = runtime.inputColumns();
                }
                if (instance.size() != columns.size()) {
                    throw ApiException.badField("instances[" + i + "]", "an array instance holds one value per input column in order ("
                            + columns.stream().map(ModelManifest.Column::name).toList() + "), " + columns.size() + " values; got " + instance.size());
                }
                Map<String, Object> row = HashMap.newHashMap(columns.size());
                for (int c = 0; c < columns.size(); c++) {
                    row.put(columns.get(c).name(), scalar(instance.get(c), i, c));
                }
                rows.add(row);
            } else {
                throw ApiException.badField("instances[" + i + "]", "must be an object (by column name) or an array (in input column order), got "
                        + describe(instance));
            }
        }
        return rows;
    }

    /**
     * {@link #scalar(JsonNode, String)} for {@code instances[i].key} ({@code at} a String) or {@code instances[i][c]}
     * ({@code at} an Integer); the field's name is built only for an error, not per value.
     */
    private static Object scalar(JsonNode value, int instance, Object at) {
        return switch (value.getNodeType()) {
            case NUMBER -> Double.isInfinite(value.doubleValue())
                    ? scalar(value, "instances[" + instance + "]" + (at instanceof String key ? "." + key : "[" + at + "]"))
                    : scalar(value, null);
            case STRING, BOOLEAN, NULL, MISSING -> scalar(value, null);
            case ARRAY -> { // an array feature's value (ARRAY<STRING>, an array of numbers): a list of scalars
                String field = "instances[" + instance + "]" + (at instanceof String key ? "." + key : "[" + at + "]");
                List<Object> elements = new ArrayList<>(value.size());
                for (int i = 0; i < value.size(); i++) {
                    elements.add(scalar(value.get(i), field + "[" + i + "]")); // a nested array or object is refused, named
                }
                yield elements;
            }
            case OBJECT -> { // Vertex AI's form of a BYTES value, {"b64": "<base64>"}; any other object is refused, named
                String field = "instances[" + instance + "]" + (at instanceof String key ? "." + key : "[" + at + "]");
                if (value.size() == 1 && value.get("b64") instanceof JsonNode b64 && b64.isTextual()) {
                    try {
                        yield java.util.Base64.getDecoder().decode(b64.textValue());
                    } catch (IllegalArgumentException e) {
                        throw ApiException.badField(field + ".b64", "must be base64 (RFC 4648), got " + describe(b64));
                    }
                }
                yield scalar(value, field);
            }
            default -> scalar(value, "instances[" + instance + "]" + (at instanceof String key ? "." + key : "[" + at + "]"));
        };
    }

    /** A JSON scalar as the runtime takes it: Long or Double, String, Boolean or null. */
    static Object scalar(JsonNode value, String field) {
        return switch (value.getNodeType()) {
            case NUMBER -> {
                if (value.isIntegralNumber() && value.canConvertToLong()) {
                    yield value.longValue();
                }
                if (Double.isInfinite(value.doubleValue())) {
                    throw ApiException.badField(field, "is a number beyond the range of a FLOAT64 (it reads as infinity);"
                            + " must be a finite number");
                }
                yield value.doubleValue();
            }
            case STRING -> value.textValue();
            case BOOLEAN -> value.booleanValue();
            case NULL, MISSING -> null;
            default -> throw ApiException.badField(field, "must be a number, string, boolean or null, got " + describe(value));
        };
    }

    static String describe(JsonNode node) {
        String text = node.toString();
        String sample = text.length() > 40 ? text.substring(0, 37) + "..." : text;
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> node.isEmpty() ? "an empty array" : "an array";
            case STRING -> "a string (" + sample + ")";
            case NUMBER -> "a number (" + sample + ")";
            case BOOLEAN -> "a boolean (" + sample + ")";
            default -> "null";
        };
    }
}
