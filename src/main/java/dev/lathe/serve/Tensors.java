package dev.lathe.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lathe.registry.ModelManifest;
import dev.lathe.server.ApiException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Open Inference Protocol v2 tensors to and from instance rows. Inputs are one tensor per input column (shape
 * [N] or [N, 1]) or a single [N, F] tensor in input column order; outputs are one tensor per prediction column,
 * and one per field for array-of-struct columns ({@code predicted_species_probs.prob}, shape [N, K]).
 */
final class Tensors {
    private static final Set<String> NUMERIC = Set.of("FP64", "FP32", "FP16", "BF16", "INT64", "INT32", "INT16", "INT8", "UINT64", "UINT32",
            "UINT16", "UINT8");

    private Tensors() {}

    static List<Map<String, Object>> rows(JsonNode inputs, List<ModelManifest.Column> columns) {
        if (inputs == null || inputs.isNull()) {
            throw ApiException.badField("inputs", "required; give a non-empty array of tensors {name, shape, datatype, data}");
        }
        if (!inputs.isArray() || inputs.isEmpty()) {
            throw ApiException.badField("inputs", "must be a non-empty array of tensors {name, shape, datatype, data}, got "
                    + Instances.describe(inputs));
        }
        for (int t = 0; t < inputs.size(); t++) {
            JsonNode tensor = inputs.get(t);
            if (!tensor.isObject()) {
                throw ApiException.badField("inputs[" + t + "]", "must be a tensor {name, shape, datatype, data}, got " + Instances.describe(tensor));
            }
            if (tensor.has("name") && !tensor.get("name").isTextual()) {
                throw ApiException.badField("inputs[" + t + "].name", "must be a string, got " + Instances.describe(tensor.get("name")));
            }
        }
        // names match regardless of case, as ML.PREDICT's columns and :predict's fields do
        Map<String, ModelManifest.Column> byName = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        columns.forEach(c -> byName.put(c.name(), c));
        if (inputs.size() == 1 && !byName.containsKey(inputs.get(0).path("name").asText()) && columns.size() > 1) {
            return matrix(inputs.get(0), columns);
        }
        Integer rows = null;
        Map<String, List<Object>> values = new HashMap<>();
        for (int t = 0; t < inputs.size(); t++) {
            JsonNode tensor = inputs.get(t);
            String where = "inputs[" + t + "]";
            String name = tensor.path("name").asText("");
            if (name.isEmpty()) {
                throw ApiException.badField(where + ".name", "every input tensor needs a name: one of "
                        + columns.stream().map(ModelManifest.Column::name).toList());
            }
            if (!byName.containsKey(name)) {
                continue; // a column the model does not read, ignored as :predict ignores such instance fields
            }
            name = byName.get(name).name();
            long[] shape = shape(tensor, where);
            if (shape.length == 0 || shape.length > 2 || (shape.length == 2 && shape[1] != 1)) {
                throw ApiException.badField(where + ".shape", "a column tensor has shape [N] or [N, 1], got " + tensor.get("shape"));
            }
            List<Object> data = data(tensor, where, shape);
            String type = byName.get(name).type();
            if (type.startsWith("ARRAY_")) {
                data = arrays(data, where, name, type);
            }
            if (rows != null && rows != data.size()) {
                throw ApiException.badField(where + ".shape", "every input tensor must have the same first dimension; got " + data.size()
                        + " and " + rows);
            }
            rows = data.size();
            if (values.put(name, data) != null) {
                throw ApiException.badField(where + ".name", "'" + name + "' is given twice; send one tensor per input");
            }
        }
        if (rows != null && rows == 0) {
            throw ApiException.badField("inputs", "the tensors hold no rows; send at least one (shape [N] with N >= 1)");
        }
        for (ModelManifest.Column column : columns) {
            if (!values.containsKey(column.name())) {
                throw ApiException.badField("inputs", "lacks input '" + column.name() + "' (" + column.type() + "); send one tensor per input "
                        + "column, or one [N, " + columns.size() + "] tensor in input column order");
            }
        }
        List<Map<String, Object>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Map<String, Object> row = HashMap.newHashMap(columns.size());
            for (ModelManifest.Column column : columns) {
                row.put(column.name(), values.get(column.name()).get(r));
            }
            out.add(row);
        }
        return out;
    }

    /**
     * An ARRAY column's tensor: BYTES, each element a JSON array as text ({@code "[\"a\", \"b\"]"}, {@code "[1.5, 2]"}), as the
     * metadata's BYTES [-1] input says; a tensor has one value per row, so an array feature could not be sent at all (probe rc).
     */
    private static List<Object> arrays(List<Object> data, String where, String name, String type) {
        String kind = type.equals("ARRAY_STRING") ? "ARRAY<STRING>" : "ARRAY<FLOAT64>";
        List<Object> arrays = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            Object element = data.get(i);
            if (element == null) {
                arrays.add(null);
                continue;
            }
            JsonNode parsed = null;
            if (element instanceof String text) {
                try {
                    parsed = dev.lathe.server.Json.MAPPER.readTree(text);
                } catch (java.io.IOException e) {
                    // said below
                }
            }
            if (parsed == null || !parsed.isArray()) {
                throw ApiException.badField(where + ".data", "element " + i + " of '" + name + "' (" + kind + ") must be a JSON array as text in"
                        + " a BYTES tensor, e.g. " + (kind.equals("ARRAY<STRING>") ? "\"[\\\"a\\\", \\\"b\\\"]\"" : "\"[1.5, 2]\"") + ", got "
                        + Instances.describe(dev.lathe.server.Json.MAPPER.valueToTree(element)));
            }
            arrays.add(dev.lathe.server.Json.MAPPER.convertValue(parsed, List.class));
        }
        return arrays;
    }

    private static List<Map<String, Object>> matrix(JsonNode tensor, List<ModelManifest.Column> columns) {
        long[] shape = shape(tensor, "inputs[0]");
        if (shape.length != 2 || shape[1] != columns.size()) {
            throw ApiException.badField("inputs[0].shape", "a single input tensor must have shape [N, " + columns.size() + "] (one value per input column "
                    + columns.stream().map(ModelManifest.Column::name).toList() + "), got " + tensor.get("shape"));
        }
        List<Object> data = data(tensor, "inputs[0]", shape);
        if (data.isEmpty()) { // as the per-column form refuses it; it answered 200 with no outputs, or DuckDB's parser error (probe tb)
            throw ApiException.badField("inputs[0].shape", "the tensor holds no rows; send at least one (shape [N, " + columns.size()
                    + "] with N >= 1)");
        }
        int rows = data.size() / columns.size();
        List<Map<String, Object>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Map<String, Object> row = HashMap.newHashMap(columns.size());
            for (int c = 0; c < columns.size(); c++) {
                row.put(columns.get(c).name(), data.get(r * columns.size() + c));
            }
            out.add(row);
        }
        return out;
    }

    private static long[] shape(JsonNode tensor, String where) {
        JsonNode shape = tensor.get("shape");
        if (shape == null || !shape.isArray()) {
            throw ApiException.badField(where + ".shape", "required; give the dimensions, e.g. [3]");
        }
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            if (!shape.get(i).isIntegralNumber() || shape.get(i).bigIntegerValue().signum() < 0) {
                throw ApiException.badField(where + ".shape", "dimensions are non-negative integers, got " + shape);
            }
            // a dimension past a long (the protocol's are unsigned 64-bit) needs more elements than any body holds: the
            // element count, compared exactly, refuses it
            dims[i] = shape.get(i).canConvertToLong() ? shape.get(i).longValue() : Long.MAX_VALUE;
        }
        return dims;
    }

    /** The tensor's elements, row-major (nested arrays flattened), checked against its datatype and shape. */
    private static List<Object> data(JsonNode tensor, String where, long[] shape) {
        String datatype = tensor.path("datatype").asText("");
        if (!NUMERIC.contains(datatype) && !datatype.equals("BYTES") && !datatype.equals("BOOL")) {
            throw ApiException.badField(where + ".datatype", "must be one of BOOL, BYTES, FP64, FP32, INT64, ... got '" + datatype + "'");
        }
        List<Object> values = new ArrayList<>();
        JsonNode data = tensor.get("data");
        if (data != null && !data.isArray()) { // the protocol's data is an array; a bare 5 was taken as [5] (probe tb F8)
            throw ApiException.badField(where + ".data", "must be an array of the tensor's elements, flat or nested as the shape "
                    + tensor.get("shape") + ", got " + Instances.describe(data));
        }
        boolean nested = false;
        for (int i = 0; data != null && i < data.size() && !nested; i++) {
            nested = data.get(i).isArray();
        }
        if (nested) { // nested arrays must be the shape itself: [[5 values], [3 values]] is not a [2, 4] tensor (probe D), nor [1, [2]] a [2, 1] one (probe tb F8)
            requireNesting(data, shape, 0, where + ".data", tensor.get("shape"));
        }
        flatten(data, values, where + ".data", datatype);
        // counted exactly: in a long, [2^62, 4] wrapped to 0 elements and passed the check, then failed as a 500 (probe tb F2)
        java.math.BigInteger expected = java.math.BigInteger.ONE;
        for (JsonNode dim : tensor.get("shape")) {
            expected = expected.multiply(dim.bigIntegerValue());
        }
        if (!expected.equals(java.math.BigInteger.valueOf(values.size()))) {
            throw ApiException.badField(where + ".data", "holds " + values.size() + " elements but the shape " + tensor.get("shape") + " needs " + expected);
        }
        return values;
    }

    private static void requireNesting(JsonNode node, long[] shape, int depth, String where, JsonNode shapeJson) {
        if (depth == shape.length) {
            if (node.isArray()) {
                throw ApiException.badField(where, "nests deeper than the shape " + shapeJson + "; give the elements flat or nested as the shape");
            }
            return;
        }
        if (!node.isArray() || node.size() != shape[depth]) {
            throw ApiException.badField(where, "is nested as " + (node.isArray() ? node.size() + " arrays or elements" : "a single element")
                    + " at depth " + depth + " where the shape " + shapeJson + " has " + shapeJson.get(depth) + "; give the elements flat or nested as the shape");
        }
        for (int i = 0; i < node.size(); i++) {
            requireNesting(node.get(i), shape, depth + 1, where + "[" + i + "]", shapeJson);
        }
    }

    private static void flatten(JsonNode node, List<Object> into, String where, String datatype) {
        if (node == null) {
            throw ApiException.badField(where, "required; give the tensor's elements");
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                flatten(element, into, where, datatype);
            }
            return;
        }
        boolean nonFinite = node.isTextual() && datatype.startsWith("FP") && Set.of("NaN", "Infinity", "-Infinity").contains(node.textValue());
        if (nonFinite) { // as Lathe answers them in FP tensors, and as BigQuery's JSON writes them
            into.add(node.textValue().equals("NaN") ? Double.NaN : node.textValue().startsWith("-") ? Double.NEGATIVE_INFINITY
                    : Double.POSITIVE_INFINITY);
            return;
        }
        boolean fits = node.isNull() || switch (datatype) {
            case "BYTES" -> node.isTextual();
            case "BOOL" -> node.isBoolean();
            default -> node.isNumber();
        };
        if (!fits) {
            throw ApiException.badField(where, "element " + into.size() + " is " + Instances.describe(node) + " but the datatype is " + datatype);
        }
        if (node.isNumber() && datatype.matches("U?INT(8|16|32|64)")) {
            requireInRange(node, where, into.size(), datatype);
        }
        Object scalar = Instances.scalar(node, where);
        if (node.isNumber() && FLOAT_TYPES.containsKey(datatype)) {
            scalar = asFloatType(scalar, node, where, into.size(), datatype);
        }
        into.add(scalar);
    }

    /** A narrower float type: bits of significand (the implicit one included), least normal exponent, largest finite value. */
    private record FloatType(int precision, int minExponent, double max) {}

    private static final Map<String, FloatType> FLOAT_TYPES = Map.of(
            "FP32", new FloatType(24, Float.MIN_EXPONENT, Float.MAX_VALUE),
            "FP16", new FloatType(11, -14, 65504),
            "BF16", new FloatType(8, Float.MIN_EXPONENT, 0x1.FEp127));

    /**
     * An element of an FP32, FP16 or BF16 tensor as that type holds it: rounded to its precision (to nearest, ties to even,
     * as the type's own conversion rounds; subnormals included), and refused beyond its range, as an integer tensor's
     * element is. Both were taken at a FLOAT64's precision and range: 1e300 in an FP32, 1e6 in an FP16 (probe tb F7).
     * {@code scalar} (a Long or Double) is kept when the type holds it exactly.
     */
    private static Object asFloatType(Object scalar, JsonNode node, String where, int element, String datatype) {
        FloatType type = FLOAT_TYPES.get(datatype);
        double value = ((Number) scalar).doubleValue();
        // a power-of-two quantum makes the division and multiplication exact, and rint rounds ties to even
        double quantum = Math.scalb(1.0, Math.max(Math.getExponent(value), type.minExponent()) - (type.precision() - 1));
        double rounded = Math.rint(value / quantum) * quantum;
        if (Math.abs(rounded) > type.max()) {
            throw ApiException.badField(where, "element " + element + " is " + node + " but " + datatype + " holds numbers up to "
                    + (datatype.equals("FP16") ? "65504" : "about 3.4e38") + " in magnitude; send a number in range, or an FP64 tensor");
        }
        if (rounded == value && (!(scalar instanceof Long whole) || (long) rounded == whole)) {
            return scalar;
        }
        return rounded;
    }

    /** An element of an integer tensor must be a whole number its datatype can hold (300 is not a UINT8, 181.7 not an INT64). */
    private static void requireInRange(JsonNode node, String where, int element, String datatype) {
        boolean unsigned = datatype.startsWith("U");
        int bits = Integer.parseInt(datatype.substring(unsigned ? 4 : 3));
        java.math.BigInteger min = unsigned ? java.math.BigInteger.ZERO : java.math.BigInteger.ONE.shiftLeft(bits - 1).negate();
        java.math.BigInteger max = java.math.BigInteger.ONE.shiftLeft(unsigned ? bits : bits - 1).subtract(java.math.BigInteger.ONE);
        if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue())) {
            throw ApiException.badField(where, "element " + element + " is beyond the range of a FLOAT64, not a " + datatype);
        }
        java.math.BigDecimal value = node.decimalValue();
        boolean whole = value.signum() == 0 || value.stripTrailingZeros().scale() <= 0;
        if (!whole || value.toBigInteger().compareTo(min) < 0 || value.toBigInteger().compareTo(max) > 0) {
            throw ApiException.badField(where, "element " + element + " is " + node + " but a " + datatype + " is a whole number in ["
                    + min + ", " + max + "]");
        }
    }

    /** Prediction rows as output tensors, keeping only {@code wanted} names when given. */
    static List<Map<String, Object>> outputs(List<Map<String, Object>> rows, Set<String> wanted) {
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        Map<String, Integer> widths = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            for (Map.Entry<String, Object> cell : row.entrySet()) {
                if (cell.getValue() instanceof List<?> list) {
                    for (Object element : list) {
                        if (element instanceof Map<?, ?> struct) {
                            for (Map.Entry<?, ?> field : struct.entrySet()) {
                                columns.computeIfAbsent(cell.getKey() + "." + field.getKey(), k -> new ArrayList<>()).add(field.getValue());
                            }
                        } else {
                            columns.computeIfAbsent(cell.getKey(), k -> new ArrayList<>()).add(element);
                        }
                    }
                    for (String name : columns.keySet()) {
                        if (name.equals(cell.getKey()) || name.startsWith(cell.getKey() + ".")) {
                            widths.put(name, list.size());
                        }
                    }
                } else {
                    columns.computeIfAbsent(cell.getKey(), k -> new ArrayList<>()).add(cell.getValue());
                }
            }
        }
        List<Map<String, Object>> tensors = new ArrayList<>();
        for (Map.Entry<String, List<Object>> column : columns.entrySet()) {
            if (!wanted.isEmpty() && !wanted.contains(column.getKey())) {
                continue;
            }
            Map<String, Object> tensor = new LinkedHashMap<>();
            tensor.put("name", column.getKey());
            Integer width = widths.get(column.getKey());
            tensor.put("shape", width == null ? List.of(rows.size()) : List.of(rows.size(), width));
            tensor.put("datatype", datatype(column.getValue()));
            tensor.put("data", column.getValue());
            tensors.add(tensor);
        }
        return tensors;
    }

    private static String datatype(List<Object> values) {
        for (Object value : values) {
            if (value instanceof Double || value instanceof Float) {
                return "FP64";
            }
            if (value instanceof Long || value instanceof Integer) {
                return "INT64";
            }
            if (value instanceof Boolean) {
                return "BOOL";
            }
            if (value != null) {
                return "BYTES";
            }
        }
        return "BYTES";
    }

    /** The OIP datatype of a BigQuery column type. */
    static String datatype(String bigQueryType) {
        return switch (bigQueryType) {
            case "INT64" -> "INT64";
            case "FLOAT64", "NUMERIC" -> "FP64";
            case "BOOL" -> "BOOL";
            default -> "BYTES";
        };
    }
}
