package dev.lathe.batch;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The records of a CSV input file as a batch job numbers them: a record is a line, or several where a quoted value holds
 * line breaks (RFC 4180), and a row's number is its record's, the header's not counted. DuckDB's CSV reader numbers its
 * rejects so, but drops blank lines without a trace: the rows it reads after one were numbered one too low, and listed
 * before a rejected line they came after (probe sd F1). So the job scans the file first, as it does a JSONL file
 * ({@link JsonLines#quick}): a byte scan (no values are decoded) for the header and the blank records after it.
 * A blank line inside a quoted value is data, not a blank record.
 */
final class CsvLines {
    /** The delimiters DuckDB's sniffer tries, in its order. */
    private static final byte[] DELIMITERS = {',', '|', ';', '\t'};

    /**
     * {@code header}: the header's record number (1-based; 0 when the file holds none, only blank lines or nothing);
     * {@code columns}: how many names it holds; {@code blank}: the blank records after it, ascending.
     */
    record Scan(long header, int columns, long[] blank) {
        Scan {
            blank = blank.clone();
        }

        /** A record's row number: the records after the header, counted from 1. */
        long row(long record) {
            return record - header;
        }

        /**
         * The rows no input row came from because they are blank. DuckDB skips a blank line where a record holds several
         * values; where it holds one, a blank line is a row (its value NULL).
         */
        long[] blankRows() {
            return columns < 2 ? new long[0] : Arrays.stream(blank).map(this::row).toArray();
        }
    }

    private CsvLines() {}

    // The scanner's states within a record.
    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    /** A quote inside a quoted value: its end, or the first of a doubled quote. */
    private static final int QUOTE_SEEN = 3;
    /** After a quoted value's closing quote: blanks, then a delimiter or the record's end. */
    private static final int AFTER_CLOSE = 4;

    /** Scans {@code file} as RFC 4180 CSV (values quoted with {@code "}, a quote inside one doubled). */
    static Scan quick(Path file) throws IOException {
        byte delimiter = delimiter(file);
        byte[] buffer = new byte[1 << 16];
        long record = 1;
        long header = 0;
        int columns = 0;
        int fields = 1;
        boolean empty = true; // the record holds no byte so far
        boolean cr = false; // the last byte was a '\r' that ended a record: a '\n' right after it ends nothing
        int state = FIELD_START;
        long[] blank = new long[16];
        int blanks = 0;
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            boolean start = true;
            while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                int from = start && hasBom(buffer, read) ? 3 : 0;
                start = false;
                for (int i = from; i < read; i++) {
                    byte b = buffer[i];
                    if (cr) {
                        cr = false;
                        if (b == '\n') {
                            continue;
                        }
                    }
                    if (state == QUOTED) {
                        if (b == '"') {
                            state = QUOTE_SEEN;
                        }
                        continue; // line breaks inside quotes are data
                    }
                    if (state == QUOTE_SEEN) {
                        if (b == '"') {
                            state = QUOTED;
                            continue;
                        }
                        state = AFTER_CLOSE;
                    }
                    if (b == '\n' || b == '\r') {
                        if (empty) {
                            if (header > 0) {
                                if (blanks == blank.length) {
                                    blank = Arrays.copyOf(blank, blanks * 2);
                                }
                                blank[blanks++] = record;
                            }
                        } else if (header == 0) {
                            header = record;
                            columns = fields;
                        }
                        record++;
                        empty = true;
                        fields = 1;
                        state = FIELD_START;
                        cr = b == '\r';
                        continue;
                    }
                    empty = false;
                    if (b == delimiter) {
                        fields++;
                        state = FIELD_START;
                    } else if (state == FIELD_START && b == '"') {
                        state = QUOTED;
                    } else if (state == FIELD_START && b != ' ') {
                        state = UNQUOTED;
                    }
                }
            }
        }
        if (!empty && header == 0) {
            header = record;
            columns = fields;
        }
        return new Scan(header, columns, Arrays.copyOf(blank, blanks));
    }

    /**
     * The delimiter, as DuckDB's sniffer picks it for a file with a header: the candidate the header line holds most
     * often outside quotes (the first candidate where it holds none).
     */
    static byte delimiter(Path file) throws IOException {
        int[] counts = new int[DELIMITERS.length];
        byte[] buffer = new byte[1 << 16];
        boolean quoted = false;
        boolean seen = false;
        try (InputStream in = Files.newInputStream(file)) {
            int read;
            boolean start = true;
            scan:
            while ((read = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                int from = start && hasBom(buffer, read) ? 3 : 0;
                start = false;
                for (int i = from; i < read; i++) {
                    byte b = buffer[i];
                    if (b == '"') {
                        quoted = !quoted;
                    } else if (!quoted && (b == '\n' || b == '\r')) {
                        if (seen) {
                            break scan;
                        }
                        continue; // a blank line before the header
                    }
                    seen = true;
                    for (int d = 0; !quoted && d < DELIMITERS.length; d++) {
                        if (b == DELIMITERS[d]) {
                            counts[d]++;
                        }
                    }
                }
            }
        }
        int best = 0;
        for (int d = 1; d < DELIMITERS.length; d++) {
            if (counts[d] > counts[best]) {
                best = d;
            }
        }
        return DELIMITERS[best];
    }

    private static boolean hasBom(byte[] buffer, int read) {
        return read >= 3 && (buffer[0] & 0xff) == 0xef && (buffer[1] & 0xff) == 0xbb && (buffer[2] & 0xff) == 0xbf;
    }
}
