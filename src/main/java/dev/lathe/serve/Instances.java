package dev.lathe.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.registry.ModelManifest;
import dev.lathe.server.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Vertex {@code instances} as the maps {@link ModelRuntime#predict} takes: an object by column name, or an array
 * of values in the model's input column order. Values are JSON scalars; the runtime checks the types.
 */
final class Instances {
    private Instances() {}

    static List<Map<String, Object>> read(JsonNode instances, ModelRuntime runtime) {
        if (instances == null || instances.isNull()) {
            throw ApiException.badField("instances", "required; give an array of instances (objects by column name, or arrays in input column order)");
        }
        if (!instances.isArray() || instances.isEmpty()) {
            throw ApiException.badField("instances", "must be a non-empty array of instances, got " + describe(instances));
        }
        List<Map<String, Object>> rows = new ArrayList<>(instances.size());
        List<ModelManifest.Column> columns = null;
        for (int i = 0; i < instances.size(); i++) {
            JsonNode instance = instances.get(i);
            if (instance.isObject()) {
                Map<String, Object> row = HashMap.newHashMap(instance.size());
                for (Iterator<Map.Entry<String, JsonNode>> fields = instance.fields(); fields.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = fields.next();
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
            case NUMBER, STRING, BOOLEAN, NULL, MISSING -> scalar(value, null);
            default -> scalar(value, "instances[" + instance + "]" + (at instanceof String key ? "." + key : "[" + at + "]"));
        };
    }

    /** A JSON scalar as the runtime takes it: Long or Double, String, Boolean or null. */
    static Object scalar(JsonNode value, String field) {
        return switch (value.getNodeType()) {
            case NUMBER -> value.isIntegralNumber() && value.canConvertToLong() ? (Object) value.longValue() : (Object) value.doubleValue();
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
