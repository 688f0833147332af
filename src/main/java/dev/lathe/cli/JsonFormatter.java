package dev.lathe.cli;

import java.io.PrintWriter;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;

/**
 * JSON Lines: one object per row keyed by column name. Numbers and booleans keep their JSON types, NULL is
 * null, lists are arrays and structs and maps are objects; NaN and infinities, which JSON lacks, are strings.
 */
public final class JsonFormatter implements ResultFormatter {
    @Override
    public void write(ResultSet rows, PrintWriter out) throws SQLException {
        ResultSetMetaData metadata = rows.getMetaData();
        int columns = metadata.getColumnCount();
        String[] keys = new String[columns];
        for (int c = 0; c < columns; c++) {
            StringBuilder key = new StringBuilder();
            Values.appendString(key, metadata.getColumnLabel(c + 1));
            keys[c] = key.append(':').toString();
        }
        StringBuilder line = new StringBuilder();
        while (rows.next()) {
            line.setLength(0);
            line.append('{');
            for (int c = 0; c < columns; c++) {
                line.append(c == 0 ? "" : ",").append(keys[c]);
                Values.appendJson(line, rows.getObject(c + 1), false);
            }
            line.append('}');
            out.append(line).append('\n');
        }
        out.flush();
    }
}
