package dev.lathe.cli;

import java.io.PrintWriter;
import java.util.List;

/** A box-drawn table of ready-made text cells, in the style of {@link TableFormatter}, for command output that is not a result set. */
final class TextTable {
    private TextTable() {}

    static void print(List<String> header, List<List<String>> rows, PrintWriter out) {
        int[] widths = new int[header.size()];
        for (int c = 0; c < widths.length; c++) {
            widths[c] = TableFormatter.width(header.get(c));
            for (List<String> row : rows) {
                widths[c] = Math.max(widths[c], Math.min(TableFormatter.DEFAULT_MAX_WIDTH, TableFormatter.width(row.get(c))));
            }
        }
        out.println(border('┌', '┬', '┐', widths));
        out.println(line(header, widths));
        out.println(border('├', '┼', '┤', widths));
        for (List<String> row : rows) {
            out.println(line(row, widths));
        }
        out.println(border('└', '┴', '┘', widths));
        out.flush();
    }

    private static String border(char left, char middle, char right, int[] widths) {
        StringBuilder line = new StringBuilder().append(left);
        for (int c = 0; c < widths.length; c++) {
            line.append(c == 0 ? "" : String.valueOf(middle)).append("─".repeat(widths[c] + 2));
        }
        return line.append(right).toString();
    }

    private static String line(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder("│");
        for (int c = 0; c < widths.length; c++) {
            String text = TableFormatter.fit(cells.get(c).replace("\n", " "), widths[c]);
            line.append(' ').append(text).append(" ".repeat(widths[c] - TableFormatter.width(text))).append(" │");
        }
        return line.toString();
    }
}
