package dev.lathe.train.boosted;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Reads Universal Binary JSON (ubjson.org, draft 12), the format XGBoost saves models in ({@code .ubj}), into a
 * Jackson tree, so a saved booster's trees can be read without loading XGBoost's native library. Numbers keep
 * their stored width: float32 ({@code d}) becomes a float node, so tree thresholds and leaf values come out exactly
 * as XGBoost holds them. Covers what XGBoost writes (objects with length-prefixed keys, strings, int64, float32,
 * booleans, and typed arrays {@code [$type#count}) and the rest of the spec's value types and container forms.
 */
final class Ubjson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_DEPTH = 256;

    private final ByteBuffer in; // big-endian, as UBJSON is

    private Ubjson(byte[] bytes) {
        this.in = ByteBuffer.wrap(bytes);
    }

    /** The document in {@code bytes}: one value, nothing after it. */
    static JsonNode read(byte[] bytes) {
        Ubjson reader = new Ubjson(bytes);
        try {
            JsonNode value = reader.value(reader.marker(), 0);
            if (reader.in.hasRemaining()) {
                throw reader.error("unexpected bytes after the document");
            }
            return value;
        } catch (java.nio.BufferUnderflowException e) {
            throw reader.error("the document ends early");
        }
    }

    private byte marker() {
        byte marker;
        do {
            marker = in.get();
        } while (marker == 'N'); // no-op
        return marker;
    }

    private JsonNode value(byte marker, int depth) {
        if (depth > MAX_DEPTH) {
            throw error("containers nest deeper than " + MAX_DEPTH);
        }
        return switch (marker) {
            case 'Z' -> NODES.nullNode();
            case 'T' -> NODES.booleanNode(true);
            case 'F' -> NODES.booleanNode(false);
            case 'i', 'U', 'I', 'l' -> NODES.numberNode((int) integer(marker));
            case 'L' -> NODES.numberNode(in.getLong());
            case 'd' -> NODES.numberNode(in.getFloat());
            case 'D' -> NODES.numberNode(in.getDouble());
            case 'C' -> NODES.textNode(String.valueOf((char) (in.get() & 0xff)));
            case 'S', 'H' -> NODES.textNode(string()); // a high-precision number is kept as its text
            case '[' -> array(depth);
            case '{' -> object(depth);
            default -> throw error(in.position() - 1, "unknown type marker '" + printable(marker) + "'");
        };
    }

    private long integer(byte marker) {
        return switch (marker) {
            case 'i' -> in.get();
            case 'U' -> in.get() & 0xff;
            case 'I' -> in.getShort();
            case 'l' -> in.getInt();
            case 'L' -> in.getLong();
            default -> throw error("expected an integer type marker, got '" + printable(marker) + "'");
        };
    }

    private int length() {
        long length = integer(marker());
        if (length < 0 || length > in.remaining()) {
            throw error("length " + length + " exceeds the " + in.remaining() + " bytes left");
        }
        return (int) length;
    }

    private String string() {
        int length = length();
        String text = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
        in.position(in.position() + length);
        return text;
    }

    /** A container's optional {@code $type} and {@code #count}: {type marker or 0, count or -1}, and the first marker after them. */
    private long[] header() {
        byte type = 0;
        int count = -1;
        in.mark();
        byte next = in.get();
        if (next == '$') {
            type = in.get();
            if (in.get() != '#') {
                throw error("a typed container needs a count ('#') after its type");
            }
            count = length();
        } else if (next == '#') {
            count = length();
        } else {
            in.reset();
        }
        return new long[] {type, count};
    }

    private ArrayNode array(int depth) {
        long[] header = header();
        byte type = (byte) header[0];
        int count = (int) header[1];
        ArrayNode array = NODES.arrayNode(Math.max(0, Math.min(count, 1 << 16)));
        if (count >= 0) {
            for (int i = 0; i < count; i++) {
                array.add(value(type != 0 ? type : marker(), depth + 1));
            }
            return array;
        }
        for (byte marker = marker(); marker != ']'; marker = marker()) {
            array.add(value(marker, depth + 1));
        }
        return array;
    }

    private ObjectNode object(int depth) {
        long[] header = header();
        byte type = (byte) header[0];
        int count = (int) header[1];
        ObjectNode object = NODES.objectNode();
        if (count >= 0) {
            for (int i = 0; i < count; i++) {
                String key = string();
                object.set(key, value(type != 0 ? type : marker(), depth + 1));
            }
            return object;
        }
        while (true) {
            in.mark();
            byte next = marker();
            if (next == '}') {
                return object;
            }
            in.reset();
            String key = string();
            object.set(key, value(marker(), depth + 1));
        }
    }

    private LatheException error(String what) {
        return error(in.position(), what);
    }

    private static LatheException error(int position, String what) {
        return new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored XGBoost model is not valid UBJSON at byte " + position
                + ": " + what);
    }

    private static String printable(byte marker) {
        return marker >= 32 && marker < 127 ? String.valueOf((char) marker) : String.format("0x%02x", marker & 0xff);
    }
}
