package dev.lathe.registry;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Writes records of records, collections, maps, strings, numbers and booleans as indented JSON, byte for byte what
 * {@link ModelStore#json()} (Jackson's databind, INDENT_OUTPUT) writes for them: components in declaration order, nulls
 * written as null. Jackson's databind first builds a serializer per type by introspecting it, which in a fresh
 * process costs tens of milliseconds for a manifest (a one-shot CREATE MODEL writes one); reading the components
 * directly costs a fraction of a millisecond. Values of other types are handed to Jackson; reading stays with Jackson.
 */
final class RecordJson {
    /** Writes the values of other types in compact answers (ModelStore's mapper would indent the rest of the output). */
    private static final ObjectMapper COMPACT = new ObjectMapper();

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
            write(generator, value, indented ? ModelStore.json() : COMPACT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(JsonGenerator out, Object value, ObjectMapper others) throws IOException {
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
                for (RecordComponent component : record.getClass().getRecordComponents()) {
                    out.writeFieldName(component.getName());
                    write(out, read(component, record), others);
                }
                out.writeEndObject();
            }
            case Collection<?> items -> {
                out.writeStartArray();
                for (Object item : items) {
                    write(out, item, others);
                }
                out.writeEndArray();
            }
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    out.writeFieldName(String.valueOf(entry.getKey()));
                    write(out, entry.getValue(), others);
                }
                out.writeEndObject();
            }
            default -> others.writeValue(out, value); // anything else (an enum, a date): as Jackson writes it
        }
    }

    private static Object read(RecordComponent component, Record record) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("Cannot read " + record.getClass().getSimpleName() + "." + component.getName(), e);
        }
    }
}
