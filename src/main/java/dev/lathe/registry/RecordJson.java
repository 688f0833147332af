package dev.lathe.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes records of records, collections, maps, strings, numbers and booleans as indented JSON, byte for byte what
 * {@link ModelStore#json()} (Jackson's databind, INDENT_OUTPUT) writes for them: components in declaration order, nulls
 * written as null. Jackson's databind first builds a serializer per type by introspecting it, which in a fresh
 * process costs tens of milliseconds for a manifest (a one-shot CREATE MODEL writes one); reading the components
 * directly costs a fraction of a millisecond. Values of other types are handed to Jackson.
 *
 * <p>{@link #read} is the reverse for the same shapes, as databind reads them with {@code ModelStore.json()} (unknown
 * fields skipped, a missing component null or zero, numbers in untyped values as Integer, Long or Double, quoted
 * {@code "NaN"} and infinities into doubles): a one-shot ML.PREDICT or a server start reads manifests, and databind's
 * first manifest cost about 0.1 s of it.
 */
final class RecordJson {
    /**
     * Writes the values of other types in compact answers (ModelStore's mapper would indent the rest of the output); made
     * on first use, since they are rare and a mapper's construction is not free in a fresh process.
     */
    private static final class Compact {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    /**
     * A record type's components, looked up once per type: {@code Class.getRecordComponents()} makes new objects on every
     * call, whose generic types are then parsed again (a manifest holds a record per column and per training iteration).
     */
    private record Shape(RecordComponent[] components, String[] names, Class<?>[] types, Type[] genericTypes) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            String[] names = new String[components.length];
            Class<?>[] types = new Class<?>[components.length];
            Type[] genericTypes = new Type[components.length];
            for (int c = 0; c < components.length; c++) {
                names[c] = components[c].getName();
                types[c] = components[c].getType();
                genericTypes[c] = components[c].getGenericType();
            }
            return new Shape(components, names, types, genericTypes);
        }
    };

    private RecordJson() {}

    /** Indented, as {@link ModelStore#json()} writes. */
    static byte[] write(Object value) {
        return write(value, true);
    }

    /** Without indentation, as a default {@code ObjectMapper}'s {@code writeValueAsString} writes (UTF-8 bytes). */
    static byte[] writeCompact(Object value) {
        return write(value, false);
    }

    private static byte[] write(Object value, boolean indented) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(indented ? 8192 : 256);
        try (JsonGenerator generator = ModelStore.json().getFactory().createGenerator(bytes)) {
            if (indented) {
                generator.setPrettyPrinter(new DefaultPrettyPrinter());
            }
            write(generator, value, indented);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(JsonGenerator out, Object value, boolean indented) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case String text -> out.writeString(text);
            case Boolean flag -> out.writeBoolean(flag);
            case Integer number -> out.writeNumber(number);
            case Long number -> out.writeNumber(number);
            case Double number -> out.writeNumber(number);
            case Float number -> out.writeNumber(number);
            case Short number -> out.writeNumber(number);
            case Byte number -> out.writeNumber(number);
            case BigInteger number -> out.writeNumber(number);
            case BigDecimal number -> out.writeNumber(number);
            case Record record -> {
                out.writeStartObject();
                String[] names = SHAPES.get(record.getClass()).names();
                Object[] values = components(record);
                for (int c = 0; c < names.length; c++) {
                    out.writeFieldName(names[c]);
                    write(out, values[c], indented);
                }
                out.writeEndObject();
            }
            case Collection<?> items -> {
                out.writeStartArray();
                for (Object item : items) {
                    write(out, item, indented);
                }
                out.writeEndArray();
            }
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeFieldName(String.valueOf(entry.getKey()));
                    write(out, entry.getValue(), indented);
                }
                out.writeEndObject();
            }
            // anything else (an enum, a date): as Jackson writes it
            default -> (indented ? ModelStore.json() : Compact.MAPPER).writeValue(out, value);
        }
    }

    /**
     * A record's component values in declaration order. The manifest's own records are read by direct calls: the first
     * reflective call of each accessor in a process builds a method handle, which made most of the cold cost left
     * (about 8 ms of a fresh CREATE MODEL's 0.5 s); other records by reflection. A test compares the two.
     */
    static Object[] components(Record record) {
        return switch (record) {
            case ModelManifest m -> new Object[] {m.formatVersion(), m.dataset(), m.name(), m.version(), m.modelType(), m.task(),
                m.inputColumns(), m.featureColumns(), m.label(), m.classLabels(), m.options(), m.explicitOptions(), m.hasTransform(),
                m.trainingSql(), m.statementSql(), m.trainingInput(), m.evaluationMetrics(), m.trainingInfo(), m.timings(),
                m.platformVersion(), m.importedFile(), m.globalExplanation(), m.files()};
            case ModelManifest.Column c -> new Object[] {c.name(), c.type(), c.duckDbType()};
            case ModelManifest.Fingerprint f -> new Object[] {f.rows(), f.trainingRows(), f.evaluationRows(), f.contentHash()};
            case ModelManifest.Iteration i -> new Object[] {i.trainingRun(), i.iteration(), i.loss(), i.evalLoss(), i.learningRate(),
                i.durationMs(), i.clusterInfo()};
            case ModelManifest.Cluster c -> new Object[] {c.centroidId(), c.clusterRadius(), c.clusterSize()};
            case ModelManifest.Timings t -> new Object[] {t.startTime(), t.endTime(), t.readMs(), t.preprocessMs(), t.trainMs(),
                t.evaluateMs()};
            case ModelManifest.ImportedFile f -> new Object[] {f.modelPath(), f.sha256(), f.sizeBytes(), f.outputColumns()};
            case ModelManifest.GlobalAttribution g -> new Object[] {g.feature(), g.attribution(), g.classLabel()};
            case ModelManifest.StoredFile f -> new Object[] {f.sizeBytes(), f.crc32c()};
            default -> reflectiveComponents(record);
        };
    }

    static Object[] reflectiveComponents(Record record) {
        RecordComponent[] components = SHAPES.get(record.getClass()).components();
        Object[] values = new Object[components.length];
        for (int c = 0; c < components.length; c++) {
            try {
                values[c] = components[c].getAccessor().invoke(record);
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("Cannot read " + record.getClass().getSimpleName() + "." + components[c].getName(), e);
            }
        }
        return values;
    }

    /**
     * A record made from its component values (declaration order): the manifest's own records by direct calls (the first
     * reflective construction of each costs about 4 ms in a fresh process: 34 ms of a one-shot ML.PREDICT's manifest
     * read), other records through their canonical constructor.
     */
    @SuppressWarnings("unchecked")
    static Object construct(Class<?> type, Object[] a) throws ReflectiveOperationException {
        if (type == ModelManifest.class) {
            return new ModelManifest((int) a[0], (String) a[1], (String) a[2], (int) a[3], (String) a[4], (String) a[5],
                    (List<ModelManifest.Column>) a[6], (List<ModelManifest.Column>) a[7], (ModelManifest.Column) a[8],
                    (List<String>) a[9], (Map<String, Object>) a[10], (List<String>) a[11], (boolean) a[12], (String) a[13],
                    (String) a[14], (ModelManifest.Fingerprint) a[15], (Map<String, Double>) a[16],
                    (List<ModelManifest.Iteration>) a[17], (ModelManifest.Timings) a[18], (String) a[19],
                    (ModelManifest.ImportedFile) a[20], (List<ModelManifest.GlobalAttribution>) a[21],
                    (Map<String, ModelManifest.StoredFile>) a[22]);
        }
        if (type == ModelManifest.Column.class) {
            return new ModelManifest.Column((String) a[0], (String) a[1], (String) a[2]);
        }
        if (type == ModelManifest.Fingerprint.class) {
            return new ModelManifest.Fingerprint((long) a[0], (long) a[1], (long) a[2], (String) a[3]);
        }
        if (type == ModelManifest.Iteration.class) {
            return new ModelManifest.Iteration((int) a[0], (int) a[1], (double) a[2], (Double) a[3], (double) a[4], (long) a[5],
                    (List<ModelManifest.Cluster>) a[6]);
        }
        if (type == ModelManifest.Cluster.class) {
            return new ModelManifest.Cluster((long) a[0], (double) a[1], (long) a[2]);
        }
        if (type == ModelManifest.Timings.class) {
            return new ModelManifest.Timings((String) a[0], (String) a[1], (long) a[2], (long) a[3], (long) a[4], (long) a[5]);
        }
        if (type == ModelManifest.ImportedFile.class) {
            return new ModelManifest.ImportedFile((String) a[0], (String) a[1], (long) a[2], (List<ModelManifest.Column>) a[3]);
        }
        if (type == ModelManifest.GlobalAttribution.class) {
            return new ModelManifest.GlobalAttribution((String) a[0], (double) a[1], (String) a[2]);
        }
        if (type == ModelManifest.StoredFile.class) {
            return new ModelManifest.StoredFile((long) a[0], (String) a[1]);
        }
        Constructor<?> canonical = type.getDeclaredConstructor(SHAPES.get(type).types());
        return canonical.newInstance(a);
    }

    /** Reads {@code json} as a {@code type}, as {@code ModelStore.json().readValue(json, type)} does for these shapes. */
    static <T> T read(byte[] json, Class<T> type) throws IOException {
        return type.cast(read(json, (Type) type));
    }

    /** As {@link #read(byte[], Class)}, for a generic type such as {@code Map<String, Double>}. */
    static Object read(byte[] json, Type type) throws IOException {
        try (JsonParser in = ModelStore.json().getFactory().createParser(json)) {
            if (in.nextToken() == null) {
                throw new IOException("No JSON content");
            }
            return read(in, type);
        }
    }

    /** The value at the parser's current token, which it leaves on the value's last token. */
    private static Object read(JsonParser in, Type type) throws IOException {
        Class<?> raw = raw(type);
        JsonToken token = in.currentToken();
        if (token == JsonToken.VALUE_NULL) {
            return raw.isPrimitive() ? zero(raw) : null;
        }
        if (raw == String.class && token.isScalarValue()) {
            return in.getText();
        }
        if ((raw == double.class || raw == Double.class) && (token.isNumeric() || token == JsonToken.VALUE_STRING)) {
            return token.isNumeric() ? in.getDoubleValue() : Double.parseDouble(in.getText().strip());
        }
        if ((raw == long.class || raw == Long.class) && token == JsonToken.VALUE_NUMBER_INT) {
            return in.getLongValue();
        }
        if ((raw == int.class || raw == Integer.class) && token == JsonToken.VALUE_NUMBER_INT) {
            return in.getIntValue();
        }
        if ((raw == boolean.class || raw == Boolean.class) && token.isBoolean()) {
            return in.getBooleanValue();
        }
        if (raw == Object.class) {
            return untyped(in);
        }
        if (raw.isRecord() && token == JsonToken.START_OBJECT) {
            return record(in, raw);
        }
        if ((raw == List.class || raw == ArrayList.class) && token == JsonToken.START_ARRAY) {
            return list(in, argument(type, 0));
        }
        if ((raw == Map.class || raw == LinkedHashMap.class) && token == JsonToken.START_OBJECT && argument(type, 0) == String.class) {
            return map(in, argument(type, 1));
        }
        // anything else: as Jackson reads it
        return ModelStore.json().readValue(in, ModelStore.json().getTypeFactory().constructType(type));
    }

    /** A JSON array as an ArrayList of {@code element}s (as databind makes a List). */
    private static List<Object> list(JsonParser in, Type element) throws IOException {
        List<Object> items = new ArrayList<>();
        while (in.nextToken() != JsonToken.END_ARRAY) {
            items.add(read(in, element));
        }
        return items;
    }

    /** A JSON object as a LinkedHashMap of {@code value}s by field name (as databind makes a Map). */
    private static Map<String, Object> map(JsonParser in, Type value) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            String key = in.currentName();
            in.nextToken();
            map.put(key, read(in, value));
        }
        return map;
    }

    private static Object record(JsonParser in, Class<?> type) throws IOException {
        Shape shape = SHAPES.get(type);
        String[] names = shape.names();
        Object[] arguments = new Object[names.length];
        boolean[] given = new boolean[names.length];
        while (in.nextToken() == JsonToken.FIELD_NAME) {
            int index = Arrays.asList(names).indexOf(in.currentName());
            in.nextToken();
            if (index < 0) {
                in.skipChildren(); // an unknown field, as ModelStore.json() ignores them
                continue;
            }
            arguments[index] = read(in, shape.genericTypes()[index]);
            given[index] = true;
        }
        for (int c = 0; c < names.length; c++) {
            if (!given[c] && shape.types()[c].isPrimitive()) {
                arguments[c] = zero(shape.types()[c]);
            }
        }
        try {
            return construct(type, arguments);
        } catch (InvocationTargetException e) {
            throw new IOException("Cannot make a " + type.getSimpleName() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) { // RuntimeException: the record's own checks, called directly
            throw new IOException("Cannot make a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /** A value of unknown type, as databind's untyped reading makes it. */
    private static Object untyped(JsonParser in) throws IOException {
        switch (in.currentToken()) {
            case START_OBJECT -> {
                return map(in, Object.class);
            }
            case START_ARRAY -> {
                return list(in, Object.class);
            }
            case VALUE_STRING -> {
                return in.getText();
            }
            case VALUE_NUMBER_INT -> {
                return in.getNumberValue(); // Integer, Long or BigInteger, the smallest that holds it
            }
            case VALUE_NUMBER_FLOAT -> {
                return in.getDoubleValue();
            }
            case VALUE_TRUE -> {
                return Boolean.TRUE;
            }
            case VALUE_FALSE -> {
                return Boolean.FALSE;
            }
            case VALUE_NULL -> {
                return null;
            }
            default -> {
                return ModelStore.json().readValue(in, Object.class);
            }
        }
    }

    private static Class<?> raw(Type type) {
        return switch (type) {
            case Class<?> c -> c;
            case ParameterizedType p -> (Class<?>) p.getRawType();
            default -> Object.class;
        };
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }

    /** A primitive type's default value, boxed (what a missing component gets, as databind gives it). */
    private static Object zero(Class<?> primitive) {
        return Array.get(Array.newInstance(primitive, 1), 0);
    }
}
