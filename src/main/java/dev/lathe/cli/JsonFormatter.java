package dev.lathe.cli;

import java.io.PrintWriter;
import java.sql.SQLException;

/**
 * JSON Lines: one object per row keyed by column name. Numbers and booleans keep their JSON types, NULL is
 * null, lists are arrays and structs and maps are objects; NaN and infinities, which JSON lacks, are strings.
 */
public final class JsonFormatter implements ResultFormatter {
    @Override
    public void write(RowSource rows, PrintWriter out) throws SQLException {
        int columns = rows.columnCount();
        String[] keys = new String[columns];
        for (int c = 0; c < columns; c++) {
            StringBuilder key = new StringBuilder();
            Values.appendString(key, rows.columnLabel(c));
            keys[c] = key.append(':').toString();
        }
        StringBuilder line = new StringBuilder();
        while (rows.next()) {
            line.setLength(0);
            line.append('{');
            for (int c = 0; c < columns; c++) {
                line.append(c == 0 ? "" : ",").append(keys[c]);
                Values.appendJson(line, rows.value(c), false);
            }
            line.append('}');
            out.append(line).append('\n');
        }
        out.flush();
    }
}
