package dev.lathe.cli;

import java.io.PrintWriter;
import java.sql.SQLException;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, fields quoted when they hold a comma, quote or line break. NULL
 * is an empty field and the empty string is {@code ""}, so the two stay distinguishable; but in a one-column result a NULL
 * is {@code ""} too, as Python's csv.writer writes a lone empty field: its empty line was read as no row at all by
 * pandas.read_csv and csv.DictReader (probe th F3).
 */
public final class CsvFormatter implements ResultFormatter {
    private static final String LINE_END = "\r\n";

    @Override
    public void write(RowSource rows, PrintWriter out) throws SQLException {
        int columns = rows.columnCount();
        StringBuilder line = new StringBuilder();
        for (int c = 1; c <= columns; c++) {
            line.append(c == 1 ? "" : ",");
            appendField(line, rows.columnLabel(c - 1));
        }
        out.append(line).append(LINE_END);
        long count = 0;
        while (rows.next()) {
            if (++count % StandardOutput.CHECK_ROWS == 0) {
                StandardOutput.check(out);
            }
            line.setLength(0);
            for (int c = 1; c <= columns; c++) {
                line.append(c == 1 ? "" : ",");
                Object value = rows.value(c - 1);
                if (value != null) {
                    appendField(line, Values.text(value));
                } else if (columns == 1) {
                    line.append("\"\"");
                }
            }
            out.append(line).append(LINE_END);
        }
        out.flush();
    }

    private static void appendField(StringBuilder line, String text) {
        boolean quote = text.isEmpty()
                || text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
        if (quote) {
            line.append('"').append(text.replace("\"", "\"\"")).append('"');
        } else {
            line.append(text);
        }
    }
}
