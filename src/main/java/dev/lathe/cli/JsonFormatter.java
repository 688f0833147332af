package dev.lathe.cli;

import java.io.PrintWriter;
import java.sql.SQLException;

/**
 * JSON Lines: one object per row keyed by column name (a repeated name gets {@code _1}, {@code _2}, ..., skipping names
 * another column has). Numbers and booleans keep their JSON types, NULL is
 * null, lists are arrays and structs and maps are objects; NaN and infinities, which JSON lacks, are strings.
 */
public final class JsonFormatter implements ResultFormatter {
    @Override
    public void write(RowSource rows, PrintWriter out) throws SQLException {
        int columns = rows.columnCount();
        String[] keys = new String[columns];
        // every name the query gave, so that a repeat's new name is none of them: SELECT 1 AS a, 2 AS a, 3 AS a_1 named
        // the second a "a_1" and the query's own a_1 "a_1_1", and key a_1 held another column's value (probe th F2)
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (int c = 0; c < columns; c++) {
            taken.add(rows.columnLabel(c));
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        for (int c = 0; c < columns; c++) {
            String name = rows.columnLabel(c);
            // a second column of one name (a join's two ids, SELECT 1 AS a, 2 AS a) gets _1, _2, ...: a JSON object's
            // repeated key keeps only the last value when parsed
            if (!used.add(name)) {
                for (int n = 1; taken.contains(name); n++) {
                    name = rows.columnLabel(c) + "_" + n;
                }
                taken.add(name);
                used.add(name);
            }
            StringBuilder key = new StringBuilder();
            Values.appendString(key, name);
            keys[c] = key.append(':').toString();
        }
        StringBuilder line = new StringBuilder();
        long count = 0;
        while (rows.next()) {
            if (++count % StandardOutput.CHECK_ROWS == 0) {
                StandardOutput.check(out);
            }
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
