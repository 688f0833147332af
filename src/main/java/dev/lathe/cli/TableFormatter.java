package dev.lathe.cli;

import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.jline.utils.WCWidth;

/**
 * Box-drawn table like the DuckDB CLI. Column widths come from the header and the first
 * {@value #DEFAULT_SAMPLE_ROWS} rows, which are buffered; later rows stream with the same widths, and any
 * value wider than its column (or than the width cap) is cut with '…'. Numbers are right-aligned, NULL shows
 * as NULL, and widths count terminal columns (CJK and emoji take two, combining marks none).
 */
public final class TableFormatter implements ResultFormatter {
    static final int DEFAULT_SAMPLE_ROWS = 1_000;
    static final int DEFAULT_MAX_WIDTH = 80;
    private static final String NULL = "NULL";

    private final int sampleRows;
    private final int maxWidth;

    public TableFormatter() {
        this(DEFAULT_SAMPLE_ROWS, DEFAULT_MAX_WIDTH);
    }

    TableFormatter(int sampleRows, int maxWidth) {
        if (sampleRows < 1 || maxWidth < 2) {
            throw new IllegalArgumentException("sampleRows must be >= 1 and maxWidth >= 2, got " + sampleRows + " and " + maxWidth);
        }
        this.sampleRows = sampleRows;
        this.maxWidth = maxWidth;
    }

    private record Cell(String text, boolean rightAligned) {}

    @Override
    public void write(RowSource rows, PrintWriter out) throws SQLException {
        int columns = rows.columnCount();
        int[] widths = new int[columns];
        List<Cell> header = new ArrayList<>(columns);
        for (int c = 0; c < columns; c++) {
            String name = printable(rows.columnLabel(c));
            header.add(new Cell(name, false));
            widths[c] = Math.max(1, Math.min(maxWidth, width(name)));
        }
        List<List<Cell>> sample = new ArrayList<>();
        boolean more = true;
        while (sample.size() < sampleRows && (more = rows.next())) {
            List<Cell> row = read(rows, columns);
            for (int c = 0; c < columns; c++) {
                widths[c] = Math.max(widths[c], Math.min(maxWidth, width(row.get(c).text())));
            }
            sample.add(row);
        }
        long count = sample.size();
        if (columns > 0) {
            out.println(border('┌', '┬', '┐', widths));
            out.println(line(header, widths));
            out.println(border('├', '┼', '┤', widths));
            for (List<Cell> row : sample) {
                out.println(line(row, widths));
            }
            // Only continue when the sample filled up: calling next() again after it returned false is not allowed.
            while (more && rows.next()) {
                out.println(line(read(rows, columns), widths));
                if (++count % StandardOutput.CHECK_ROWS == 0) {
                    StandardOutput.check(out);
                }
            }
            out.println(border('└', '┴', '┘', widths));
        } else {
            while (more && rows.next()) {
                count++;
            }
        }
        out.println(count == 1 ? "1 row" : count + " rows");
        out.flush();
    }

    private static List<Cell> read(RowSource rows, int columns) throws SQLException {
        List<Cell> row = new ArrayList<>(columns);
        for (int c = 1; c <= columns; c++) {
            Object value = rows.value(c - 1);
            row.add(value == null ? new Cell(NULL, false) : new Cell(printable(Values.text(value)), value instanceof Number));
        }
        return row;
    }

    private static String border(char left, char middle, char right, int[] widths) {
        StringBuilder line = new StringBuilder().append(left);
        for (int c = 0; c < widths.length; c++) {
            line.append(c == 0 ? "" : String.valueOf(middle)).append("─".repeat(widths[c] + 2));
        }
        return line.append(right).toString();
    }

    private static String line(List<Cell> cells, int[] widths) {
        StringBuilder line = new StringBuilder("│");
        for (int c = 0; c < widths.length; c++) {
            Cell cell = cells.get(c);
            String text = fit(cell.text(), widths[c]);
            String padding = " ".repeat(widths[c] - width(text));
            line.append(' ');
            if (cell.rightAligned()) {
                line.append(padding).append(text);
            } else {
                line.append(text).append(padding);
            }
            line.append(" │");
        }
        return line.toString();
    }

    /** The text itself if it fits in {@code width} columns, else its longest prefix that fits with '…' appended. */
    static String fit(String text, int width) {
        if (width(text) <= width) {
            return text;
        }
        StringBuilder prefix = new StringBuilder();
        int used = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            int w = Math.max(0, WCWidth.wcwidth(codePoint));
            if (used + w > width - 1) {
                break;
            }
            prefix.appendCodePoint(codePoint);
            used += w;
            i += Character.charCount(codePoint);
        }
        return prefix.append('…').toString();
    }

    /** Terminal columns the text occupies. */
    static int width(String text) {
        int columns = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            columns += Math.max(0, WCWidth.wcwidth(codePoint));
            i += Character.charCount(codePoint);
        }
        return columns;
    }

    /**
     * Line breaks and tabs would wreck the grid, and other control characters would reach the terminal as they are (an
     * ESC in a value could recolour or move the screen, or forge output): they show escaped, \n \r \t by name and the
     * rest as \x1B.
     */
    static String printable(String text) {
        int i = 0;
        while (i < text.length() && !Character.isISOControl(text.charAt(i)) && !isBidiControl(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text;
        }
        StringBuilder escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> escaped.append("\\n");
                case '\r' -> escaped.append("\\r");
                case '\t' -> escaped.append("\\t");
                default -> {
                    if (Character.isISOControl(c)) {
                        escaped.append(String.format("\\x%02X", (int) c));
                    } else if (isBidiControl(c)) {
                        escaped.append(String.format("\\u%04X", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }

    /**
     * A Unicode bidirectional control (U+202A-202E, U+2066-2069, the marks U+200E, U+200F, U+061C): unescaped, a
     * RIGHT-TO-LEFT OVERRIDE in a value reordered the rest of the grid's line, forged output as an escape sequence did (probe th F12).
     */
    private static boolean isBidiControl(char c) {
        return (c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F' || c == '\u061C';
    }
}
