package dev.lathe.batch;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The lines of a JSONL input file as a batch job numbers them: the 1-based line, as an editor shows it. DuckDB's
 * {@code read_json} numbers records, skipping blank lines, and fails the whole read at the first malformed line; so the
 * job scans the file first. {@link #quick} (no parsing, about the speed of reading the file) finds the blank lines, which
 * shift the numbering, and the lines that cannot be an object; {@link #clean} parses every line and writes the ones
 * that hold one JSON object each to a copy that DuckDB reads instead, for a file with lines that are not.
 */
final class JsonLines {
    /** A line that is not one JSON object: its 1-based number and what is wrong with it. */
    record Bad(long line, String message) {}

    /** Blank lines (1-based, ascending) and bad lines, in file order, of {@code lines} in all. */
    record Scan(long[] blank, List<Bad> bad, long lines) {
        Scan {
            blank = blank.clone();
            bad = List.copyOf(bad);
        }

        /** Whether the file holds nothing but blank lines (or nothing at all). */
        boolean empty() {
            return blank.length == lines;
        }
    }

    // Lenient as DuckDB's reader (yyjson) is: NaN and the infinities, and a trailing comma, are read by both.
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(JsonReadFeature.ALLOW_TRAILING_COMMA)
            .build();

    private JsonLines() {}

    /** Blank lines and lines whose first character is not <code>{</code>, by a byte scan (lines are not copied). */
    static Scan quick(Path file) throws IOException {
        Collector collector = new Collector();
        byte[] buffer = new byte[1 << 16];
        long number = 1;
        int first = -1; // the line's first byte other than a blank, -1 while there is none
        boolean start = true;
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                int from = start && read >= 3 && (buffer[0] & 0xff) == 0xef && (buffer[1] & 0xff) == 0xbb && (buffer[2] & 0xff) == 0xbf ? 3 : 0;
                start = false;
                for (int i = from; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        collector.line(number++, first);
                        first = -1;
                    } else if (first < 0 && b != ' ' && b != '\t' && b != '\r') {
                        first = b & 0xff;
                    }
                }
            }
        }
        if (first >= 0) {
            collector.line(number, first);
        }
        return collector.scan(first >= 0 ? number : number - 1);
    }

    /**
     * Parses every line; writes each that is one JSON object, as it is, to {@code copy}, one a line, in order. Answers the
     * blank lines and the bad ones.
     */
    static Scan clean(Path file, Path copy) throws IOException {
        Collector collector = new Collector();
        long[] lines = {0};
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(copy), 1 << 16)) {
            lines(file, (number, line, length) -> {
                lines[0] = number;
                int first = firstNonBlank(line, length);
                if (first < 0) {
                    collector.blank(number);
                    return;
                }
                Optional<String> problem = problem(line, length);
                if (problem.isPresent()) {
                    collector.bad.add(new Bad(number, problem.get()));
                } else {
                    out.write(line, 0, length);
                    out.write('\n');
                }
            });
        }
        return collector.scan(lines[0]);
    }

    /** What keeps a non-blank line from being one JSON object, if anything. */
    private static Optional<String> problem(byte[] line, int length) throws IOException {
        try (JsonParser parser = JSON.createParser(line, 0, length)) {
            JsonToken token = parser.nextToken();
            if (token != JsonToken.START_OBJECT) {
                return Optional.of(notAnObject(line[firstNonBlank(line, length)]));
            }
            parser.skipChildren();
            if (parser.nextToken() != null) {
                return Optional.of("malformed JSON at column " + parser.currentTokenLocation().getColumnNr()
                        + ": more after the object's closing '}'; a JSONL line holds one object");
            }
            return Optional.empty();
        } catch (JsonParseException e) {
            return Optional.of("malformed JSON at column " + e.getLocation().getColumnNr() + ": "
                    + dev.lathe.server.Json.firstLine(e.getOriginalMessage()));
        }
    }

    private static String notAnObject(byte first) {
        String what = switch (first) {
            case '[' -> "an array";
            case '"' -> "a string";
            default -> first == '-' || (first >= '0' && first <= '9') ? "a number" : "not JSON";
        };
        return "the line is " + what + ", not a JSON object; each JSONL line holds one object of the instance's fields";
    }

    private static int firstNonBlank(byte[] line, int length) {
        for (int i = 0; i < length; i++) {
            byte b = line[i];
            if (b != ' ' && b != '\t' && b != '\r') {
                return i;
            }
        }
        return -1;
    }

    @FunctionalInterface
    private interface LineConsumer {
        void accept(long number, byte[] line, int length) throws IOException;
    }

    /** Each line without its end ({@code \n} or {@code \r\n}); a UTF-8 byte order mark before the first is left out. */
    private static void lines(Path file, LineConsumer consumer) throws IOException {
        byte[] line = new byte[256];
        int length = 0;
        long number = 1;
        byte[] buffer = new byte[1 << 16];
        boolean start = true;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            int read;
            while ((read = in.read(buffer)) > 0) {
                int from = 0;
                if (start && read >= 3 && (buffer[0] & 0xff) == 0xef && (buffer[1] & 0xff) == 0xbb && (buffer[2] & 0xff) == 0xbf) {
                    from = 3;
                }
                start = false;
                for (int i = from; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '\n') {
                        consumer.accept(number++, line, length > 0 && line[length - 1] == '\r' ? length - 1 : length);
                        length = 0;
                    } else {
                        if (length == line.length) {
                            line = Arrays.copyOf(line, line.length * 2);
                        }
                        line[length++] = b;
                    }
                }
            }
        }
        if (length > 0) {
            consumer.accept(number, line, line[length - 1] == '\r' ? length - 1 : length);
        }
    }

    private static final class Collector {
        private long[] blank = new long[16];
        private int blanks;
        private final List<Bad> bad = new ArrayList<>();

        /** A line seen by {@link #quick}: blank ({@code first} -1), or bad unless it starts an object. */
        void line(long number, int first) {
            if (first < 0) {
                blank(number);
            } else if (first != '{') {
                bad.add(new Bad(number, notAnObject((byte) first)));
            }
        }

        void blank(long number) {
            if (blanks == blank.length) {
                blank = Arrays.copyOf(blank, blanks * 2);
            }
            blank[blanks++] = number;
        }

        Scan scan(long lines) {
            return new Scan(Arrays.copyOf(blank, blanks), bad, lines);
        }
    }
}
