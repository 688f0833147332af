package dev.lathe.batch;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The records of a CSV input file as a batch job numbers them: a record is a line, or several where a quoted value holds
 * line breaks (RFC 4180), and a row's number is its record's, the header's not counted. DuckDB's CSV reader numbers its
 * rejects so, but drops blank lines without a trace: the rows it reads after one were numbered one too low, and listed
 * before a rejected line they came after (probe sd F1). So the job scans the file first, as it does a JSONL file
 * ({@link JsonLines#quick}): a byte scan (no values are decoded) for the header, the blank records after it and the
 * records whose quoting is bad. A blank line inside a quoted value is data, not a blank record.
 *
 * <p>Values are quoted with {@code "} and a quote inside one is doubled (RFC 4180, what a CSV of Vertex AI's is), as
 * the job tells DuckDB's reader. With that fixed, one record with bad quoting fails DuckDB's sniffer for the whole file
 * (left to sniff the quote, it read the file unquoted instead: every name and value kept its quotes, probe sd F2), and a
 * quote never closed makes the rest of the file one value. So such a record is a bad row found here, and the file is
 * read from a copy without it ({@link #clean}). Where the bad quote's value ran on past its line (a quote never closed,
 * or closed on a later line by the quote that opens a value there), the record is bad up to that line's end and the
 * reading goes on at the next: a broken quote spoils its own line, not the rows after it.
 */
final class CsvLines {
    /** The delimiters DuckDB's sniffer tries, in its order. */
    private static final byte[] DELIMITERS = {',', '|', ';', '\t'};
    /** The longest record DuckDB's reader takes (its max_line_size): a quote open that long is taken as never closed. */
    static final long MAX_RECORD = 2_097_152;

    /** A record with bad quoting: its number, the column it is in (by the header's name) and what is wrong. */
    record Bad(long record, Optional<String> column, String message) {}

    /**
     * {@code delimiter}: the one the header holds; {@code header}: the header's record number (1-based; 0 when the file
     * holds none, only blank lines or nothing), {@code columns} how many names it holds; {@code blank}: the blank records
     * after it, ascending; {@code bad} the records with bad quoting, ascending (the header among them where its quoting
     * is bad); {@code removed}: the byte ranges of the bad records, {start, end} pairs, which {@link #clean} leaves out.
     */
    record Scan(byte delimiter, long header, int columns, long[] blank, List<Bad> bad, long[] removed) {
        Scan {
            blank = blank.clone();
            bad = List.copyOf(bad);
            removed = removed.clone();
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

        /** The header's bad quoting, if it has any. */
        Optional<Bad> badHeader() {
            return bad.isEmpty() || bad.get(0).record() != header ? Optional.empty() : Optional.of(bad.get(0));
        }

        /**
         * For each record left out of the copy, in order, the records before it that are in the copy: record {@code c} of
         * the copy is {@code c} plus the number of these below {@code c} in the file.
         */
        long[] shifts() {
            long[] shifts = new long[bad.size()];
            for (int j = 0; j < shifts.length; j++) {
                shifts[j] = bad.get(j).record() - (j + 1);
            }
            return shifts;
        }
    }

    private CsvLines() {}

    /** Scans {@code file} as RFC 4180 CSV. */
    static Scan quick(Path file) throws IOException {
        try (Bytes bytes = new Bytes(file)) {
            byte delimiter = delimiter(bytes);
            Scanner scanner = new Scanner(bytes, delimiter);
            long[] restart = {bytes.bom(), 1};
            while (restart != null) {
                restart = scanner.run(restart[0], restart[1]);
            }
            return scanner.scan();
        }
    }

    /** Copies {@code file} to {@code copy} without the records {@link #quick} found bad quoting in. */
    static void clean(Path file, Scan scan, Path copy) throws IOException {
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(copy, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            long from = 0;
            long[] removed = scan.removed();
            for (int i = 0; i <= removed.length; i += 2) {
                long to = i < removed.length ? removed[i] : in.size();
                while (from < to) {
                    from += in.transferTo(from, to - from, out);
                }
                if (i < removed.length) {
                    from = removed[i + 1];
                }
            }
        }
    }

    // The scanner's states within a record.
    private static final int FIELD_START = 0;
    private static final int UNQUOTED = 1;
    private static final int QUOTED = 2;
    /** A quote inside a quoted value: its end, or the first of a doubled quote. */
    private static final int QUOTE_SEEN = 3;
    /** After a quoted value's closing quote: blanks, then a delimiter or the record's end. */
    private static final int AFTER_CLOSE = 4;
    /** The record's quoting is bad: the rest of its line is skipped. */
    private static final int BAD = 5;

    /** Finds the records; one pass per quote never closed (each goes on at the line after that quote's record started). */
    private static final class Scanner {
        private final Bytes bytes;
        private final byte delimiter;
        private long header;
        private int columns;
        private final List<String> names = new ArrayList<>();
        private long[] blank = new long[16];
        private int blanks;
        private final List<Bad> bad = new ArrayList<>();
        private long[] removed = new long[16];
        private int removes;

        Scanner(Bytes bytes, byte delimiter) {
            this.bytes = bytes;
            this.delimiter = delimiter;
        }

        /** Scans records from byte {@code position} on, the first numbered {@code record}; answers where to go on, or null. */
        long[] run(long position, long record) throws IOException {
            long start = position; // the record's first byte
            int state = FIELD_START;
            boolean empty = true; // the record holds no byte so far
            int field = 0;
            long valueStart = -1; // in the header, where the value being read starts
            int quotedField = -1;
            long lineEnd = -1; // while a quote is open: the end of the line it opened on
            long p = position;
            for (int b; (b = bytes.at(p)) >= 0; p++) {
                if (state == QUOTED) {
                    if (b == '"') {
                        state = QUOTE_SEEN;
                    } else if ((b == '\n' || b == '\r') && lineEnd < 0) {
                        lineEnd = b == '\r' && bytes.at(p + 1) == '\n' ? p + 2 : p + 1;
                    } else if (p - start > MAX_RECORD) {
                        break; // taken as never closed
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
                    long lineBreak = p;
                    if (b == '\r' && bytes.at(p + 1) == '\n') {
                        p++; // one break
                    }
                    long end = p + 1;
                    if (state == BAD) {
                        remove(start, end);
                    } else if (empty) {
                        if (header > 0) {
                            blank(record);
                        }
                    } else if (header == 0) {
                        name(valueStart, lineBreak);
                        header = record;
                        columns = field + 1;
                    }
                    record++;
                    start = end;
                    state = FIELD_START;
                    empty = true;
                    field = 0;
                    valueStart = -1;
                    continue;
                }
                if (empty) {
                    empty = false;
                    if (header == 0) {
                        valueStart = p;
                    }
                }
                if (state == BAD) {
                    continue;
                }
                if (state == AFTER_CLOSE && b != delimiter && b != ' ') {
                    bad(record, field, "UNQUOTED VALUE: the quoted value " + of(field) + (lineEnd < 0 ? "" : "runs on to the next line and ")
                            + "is followed by '" + (char) b + "' before the next delimiter; a quoted value ends at a delimiter or the line's end,"
                            + " and a quote inside one is doubled (\"\")");
                    if (lineEnd >= 0) {
                        // its quote most likely closed on the wrong line: the record is bad up to that line's end, the next is read anew
                        remove(start, lineEnd);
                        return new long[] {lineEnd, record + 1};
                    }
                    state = BAD;
                } else if (b == delimiter) {
                    if (header == 0) {
                        name(valueStart, p);
                        valueStart = p + 1;
                    }
                    field++;
                    state = FIELD_START;
                } else if (state == FIELD_START && b == '"') {
                    state = QUOTED;
                    quotedField = field;
                    lineEnd = -1;
                } else if (state == FIELD_START && b != ' ') {
                    state = UNQUOTED;
                }
            }
            if (state == QUOTED) {
                // The quote is never closed: the rest of the file would be one value. Its record is bad; the next line is read
                // as the next record.
                bad(record, quotedField, "UNQUOTED VALUE: the value " + of(quotedField) + "opens a quote that no quote closes"
                        + (bytes.at(p) >= 0 ? " within " + MAX_RECORD / (1 << 20) + " MiB" : " before the end of the file")
                        + "; a quoted value ends with a quote, and a quote inside one is doubled (\"\")");
                long end = lineEnd < 0 ? bytes.size() : lineEnd;
                remove(start, end);
                return lineEnd < 0 ? null : new long[] {lineEnd, record + 1};
            }
            if (!empty) {
                if (state == BAD) {
                    remove(start, p);
                } else if (header == 0) {
                    name(valueStart, p);
                    header = record;
                    columns = field + 1;
                }
            }
            return null;
        }

        /** "of column x " for a value in the header's {@code field}-th column, "" where the header names none. */
        private String of(int field) {
            return field < names.size() ? "of column " + names.get(field) + " " : "";
        }

        /** A header name, the bytes from {@code from} to {@code to} unquoted. */
        private void name(long from, long to) throws IOException {
            byte[] raw = new byte[(int) Math.max(0, Math.min(to - from, 1024))];
            for (int i = 0; i < raw.length; i++) {
                raw[i] = (byte) bytes.at(from + i);
            }
            String value = new String(raw, StandardCharsets.UTF_8).strip();
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                value = value.substring(1, value.length() - 1).replace("\"\"", "\"");
            }
            names.add(value);
        }

        private void bad(long record, int field, String message) {
            if (header == 0) {
                header = record; // the header itself: the job cannot read the file
            }
            bad.add(new Bad(record, field < names.size() ? Optional.of(names.get(field)) : Optional.empty(), message));
        }

        private void blank(long record) {
            if (blanks == blank.length) {
                blank = Arrays.copyOf(blank, blanks * 2);
            }
            blank[blanks++] = record;
        }

        private void remove(long from, long to) {
            if (removes + 2 > removed.length) {
                removed = Arrays.copyOf(removed, removed.length * 2);
            }
            removed[removes++] = from;
            removed[removes++] = to;
        }

        Scan scan() {
            return new Scan(delimiter, header, columns, Arrays.copyOf(blank, blanks), bad, Arrays.copyOf(removed, removes));
        }
    }

    /**
     * The delimiter, as DuckDB's sniffer picks it for a file with a header: the candidate the header line holds most
     * often outside quotes (the first candidate where it holds none).
     */
    private static byte delimiter(Bytes bytes) throws IOException {
        int[] counts = new int[DELIMITERS.length];
        boolean quoted = false;
        boolean seen = false;
        for (long p = bytes.bom(), b; (b = bytes.at(p)) >= 0 && p < MAX_RECORD; p++) {
            if (b == '"') {
                quoted = !quoted;
            } else if (!quoted && (b == '\n' || b == '\r')) {
                if (seen) {
                    break;
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
        int best = 0;
        for (int d = 1; d < DELIMITERS.length; d++) {
            if (counts[d] > counts[best]) {
                best = d;
            }
        }
        return DELIMITERS[best];
    }

    /** A file's bytes by position, read through a window that moves forward (and back, for a pass that starts again). */
    private static final class Bytes implements AutoCloseable {
        private final FileChannel channel;
        private final long size;
        private final ByteBuffer window = ByteBuffer.allocate(1 << 16);
        private long windowStart;
        private int windowLength;

        Bytes(Path file) throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            size = channel.size();
        }

        long size() {
            return size;
        }

        /** The byte at {@code position} (0 to 255), or -1 past the end. */
        int at(long position) throws IOException {
            long offset = position - windowStart;
            if (offset < 0 || offset >= windowLength) {
                if (position >= size) {
                    return -1;
                }
                window.clear();
                windowStart = position;
                int read = 0;
                while (window.hasRemaining() && position + read < size) {
                    int n = channel.read(window, position + read);
                    if (n < 0) {
                        break;
                    }
                    read += n;
                }
                windowLength = read;
                if (read == 0) {
                    return -1;
                }
                offset = 0;
            }
            return window.get((int) offset) & 0xff;
        }

        /** 3 where the file starts with UTF-8's byte order mark, else 0. */
        long bom() throws IOException {
            return at(0) == 0xef && at(1) == 0xbb && at(2) == 0xbf ? 3 : 0;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
