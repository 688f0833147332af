package dev.lathe.features;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.DataType;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodingPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JSON form of a {@link FeaturePipeline}, written field by field so the stored format does not move when a
 * Java class is renamed. Bump {@link #FORMAT_VERSION} on any change a version-1 reader could misread.
 */
final class PipelineJson {
    /**
     * The newest format_version written and read. 2 adds the "numeric_array" encoder (an ARRAY of numbers, element i a
     * number each); a pipeline without one is still written as 1, so builds before it read it.
     */
    static final int FORMAT_VERSION = 2;

    private PipelineJson() {}

    static String write(FeaturePipeline pipeline) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("format_version", pipeline.encoders().stream().anyMatch(NumericArrayEncoder.class::isInstance) ? FORMAT_VERSION : 1);
        ObjectNode policy = root.putObject("policy");
        policy.put("standardize_numeric", pipeline.policy().standardizeNumeric());
        policy.put("category_encoding", pipeline.policy().categoryEncoding().name());
        policy.put("timestamp_components", pipeline.policy().timestampComponents());
        policy.put("center_numeric", pipeline.policy().centerNumeric());
        ArrayNode fields = root.putArray("input_fields");
        for (Field field : pipeline.inputFields()) {
            fields.addObject().put("name", field.name()).put("type", field.type().name()).put("duckdb_type", field.duckDbType());
        }
        ArrayNode encoders = root.putArray("encoders");
        pipeline.encoders().forEach(encoder -> encoders.add(writeEncoder(mapper, encoder)));
        ArrayNode info = root.putArray("feature_info");
        for (FeatureInfo row : pipeline.featureInfo()) {
            ObjectNode node = info.addObject();
            node.put("input", row.input());
            putOptional(node, "min", row.min());
            putOptional(node, "max", row.max());
            putOptional(node, "mean", row.mean());
            putOptional(node, "median", row.median());
            putOptional(node, "stddev", row.stddev());
            row.categoryCount().ifPresentOrElse(count -> node.put("category_count", count), () -> node.putNull("category_count"));
            node.put("null_count", row.nullCount());
            row.dimension().ifPresentOrElse(dimension -> node.put("dimension", dimension), () -> node.putNull("dimension"));
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw LatheException.internal("Could not write the feature pipeline as JSON", e);
        }
    }

    static FeaturePipeline read(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored feature pipeline is not valid JSON: "
                    + e.getOriginalMessage(), e);
        }
        JsonNode version = root == null ? null : root.get("format_version");
        if (version == null || !version.canConvertToInt()) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored feature pipeline has no format_version;"
                    + " this Lathe reads format_version " + FORMAT_VERSION);
        }
        if (version.asInt() > FORMAT_VERSION) {
            throw new dev.lathe.core.NewerFormatException("format_version", version.asInt(), FORMAT_VERSION);
        }
        if (version.asInt() < 1) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored feature pipeline has format_version "
                    + version.asInt() + " but this Lathe reads format_version 1 to " + FORMAT_VERSION
                    + "; re-train the model or use the Lathe version that created it");
        }
        try {
            JsonNode policyNode = required(root, "policy");
            boolean standardize = required(policyNode, "standardize_numeric").asBoolean();
            EncodingPolicy policy = new EncodingPolicy(standardize, CategoryEncoding.valueOf(text(policyNode, "category_encoding")),
                    required(policyNode, "timestamp_components").asBoolean(),
                    policyNode.path("center_numeric").asBoolean(standardize)); // absent before FIT_INTERCEPT = FALSE scaled only
            List<Field> fields = new ArrayList<>();
            for (JsonNode node : required(root, "input_fields")) {
                fields.add(new Field(text(node, "name"), DataType.valueOf(text(node, "type")), text(node, "duckdb_type")));
            }
            List<FeatureEncoder> encoders = new ArrayList<>();
            for (JsonNode node : required(root, "encoders")) {
                encoders.add(readEncoder(node));
            }
            List<FeatureInfo> info = new ArrayList<>();
            for (JsonNode node : required(root, "feature_info")) {
                info.add(new FeatureInfo(text(node, "input"), optionalDouble(node, "min"), optionalDouble(node, "max"),
                        optionalDouble(node, "mean"), optionalDouble(node, "median"), optionalDouble(node, "stddev"),
                        optionalLong(node, "category_count"), required(node, "null_count").asLong(),
                        optionalLong(node, "dimension")));
            }
            return new FeaturePipeline(policy, fields, encoders, info);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored feature pipeline (format_version "
                    + version.asInt() + ") is damaged: " + e.getMessage(), e);
        }
    }

    private static ObjectNode writeEncoder(ObjectMapper mapper, FeatureEncoder encoder) {
        ObjectNode node = mapper.createObjectNode();
        node.put("feature", encoder.feature());
        switch (encoder) {
            case NumericEncoder numeric -> {
                node.put("type", "numeric");
                node.put("processed_input", numeric.processedInput());
                putDouble(node, "imputation", numeric.imputation());
                putDouble(node, "center", numeric.center());
                putDouble(node, "scale", numeric.scale());
            }
            case OneHotEncoder oneHot -> {
                node.put("type", "one_hot");
                node.put("processed_input", oneHot.processedInput());
                putStrings(node, "categories", oneHot.categories());
                oneHot.dropped().ifPresentOrElse(dropped -> node.put("dropped", dropped), () -> node.putNull("dropped"));
            }
            case LabelEncoder label -> {
                node.put("type", "label");
                putStrings(node, "vocabulary", label.vocabulary().orElseThrow());
            }
            case TargetEncoder target -> {
                node.put("type", "target");
                putStrings(node, "categories", target.categories());
                putStrings(node, "target_names", target.targetNames());
                ArrayNode encodings = node.putArray("encodings");
                for (double[] column : target.encodings()) {
                    putDoubles(encodings.addArray(), column);
                }
                putDoubles(node.putArray("fallback"), target.fallback());
            }
            case TimestampEncoder timestamp -> {
                node.put("type", "timestamp");
                node.set("seconds", writeEncoder(mapper, timestamp.seconds()));
                ArrayNode parts = node.putArray("parts");
                timestamp.parts().forEach(part -> parts.add(writeEncoder(mapper, part)));
            }
            case MultiHotEncoder multiHot -> {
                node.put("type", "multi_hot");
                putStrings(node, "elements", multiHot.elements());
            }
            case SparseVectorEncoder sparse -> {
                node.put("type", "sparse_vector");
                node.put("dimension", sparse.dimension());
            }
            case NumericArrayEncoder array -> {
                node.put("type", "numeric_array");
                ArrayNode elements = node.putArray("elements");
                array.elements().forEach(element -> elements.add(writeEncoder(mapper, element)));
            }
        }
        return node;
    }

    private static FeatureEncoder readEncoder(JsonNode node) {
        String feature = text(node, "feature");
        String type = text(node, "type");
        return switch (type) {
            case "numeric" -> new NumericEncoder(feature, text(node, "processed_input"), readDouble(node, "imputation"),
                    readDouble(node, "center"), readDouble(node, "scale"));
            case "one_hot" -> new OneHotEncoder(feature, text(node, "processed_input"), strings(node, "categories"),
                    node.hasNonNull("dropped") ? Optional.of(node.get("dropped").asText()) : Optional.empty());
            case "label" -> new LabelEncoder(feature, strings(node, "vocabulary"));
            case "target" -> {
                JsonNode encodingsNode = required(node, "encodings");
                double[][] encodings = new double[encodingsNode.size()][];
                for (int i = 0; i < encodings.length; i++) {
                    encodings[i] = doubles(encodingsNode.get(i));
                }
                yield new TargetEncoder(feature, strings(node, "categories"), strings(node, "target_names"), encodings,
                        doubles(required(node, "fallback")));
            }
            case "timestamp" -> {
                List<FeatureEncoder> parts = new ArrayList<>();
                required(node, "parts").forEach(part -> parts.add(readEncoder(part)));
                if (!(readEncoder(required(node, "seconds")) instanceof NumericEncoder seconds)) {
                    throw new IllegalArgumentException("timestamp seconds of '" + feature + "' must be numeric");
                }
                yield new TimestampEncoder(feature, seconds, parts);
            }
            case "multi_hot" -> new MultiHotEncoder(feature, strings(node, "elements"));
            case "sparse_vector" -> new SparseVectorEncoder(feature, required(node, "dimension").asInt());
            case "numeric_array" -> {
                List<NumericEncoder> elements = new ArrayList<>();
                for (JsonNode element : required(node, "elements")) {
                    if (!(readEncoder(element) instanceof NumericEncoder numeric)) {
                        throw new IllegalArgumentException("element of numeric array '" + feature + "' must be numeric");
                    }
                    elements.add(numeric);
                }
                yield new NumericArrayEncoder(feature, elements);
            }
            default -> throw new IllegalArgumentException("unknown encoder type '" + type + "' for feature '" + feature + "'");
        };
    }

    private static JsonNode required(JsonNode node, String name) {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("missing field '" + name + "'");
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        return required(node, name).asText();
    }

    private static List<String> strings(JsonNode node, String name) {
        List<String> values = new ArrayList<>();
        required(node, name).forEach(value -> values.add(value.asText()));
        return values;
    }

    /** Non-finite doubles are written as strings ("NaN", "Infinity"), which JSON numbers cannot express. */
    private static void putDouble(ObjectNode node, String name, double value) {
        if (Double.isFinite(value)) {
            node.put(name, value);
        } else {
            node.put(name, Double.toString(value));
        }
    }

    private static double readDouble(JsonNode node, String name) {
        return asDouble(required(node, name));
    }

    private static double asDouble(JsonNode value) {
        return value.isTextual() ? Double.parseDouble(value.asText()) : value.doubleValue();
    }

    private static void putDoubles(ArrayNode array, double[] values) {
        for (double value : values) {
            if (Double.isFinite(value)) {
                array.add(value);
            } else {
                array.add(Double.toString(value));
            }
        }
    }

    private static double[] doubles(JsonNode array) {
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = asDouble(array.get(i));
        }
        return values;
    }

    private static void putStrings(ObjectNode node, String name, List<String> values) {
        ArrayNode array = node.putArray(name);
        values.forEach(array::add);
    }

    private static void putOptional(ObjectNode node, String name, Optional<Double> value) {
        value.ifPresentOrElse(v -> putDouble(node, name, v), () -> node.putNull(name));
    }

    private static Optional<Double> optionalDouble(JsonNode node, String name) {
        return node.hasNonNull(name) ? Optional.of(asDouble(node.get(name))) : Optional.empty();
    }

    private static Optional<Long> optionalLong(JsonNode node, String name) {
        return node.hasNonNull(name) ? Optional.of(node.get(name).asLong()) : Optional.empty();
    }
}
