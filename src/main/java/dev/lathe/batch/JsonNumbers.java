package dev.lathe.batch;

/** JSON text fixes for what DuckDB's JSON writer emits. */
final class JsonNumbers {
    private JsonNumbers() {}

    /**
     * The line with every bare {@code NaN}, {@code Infinity} and {@code -Infinity} outside strings written as a string
     * ({@code "NaN"}); text inside strings is kept as is.
     */
    static String quoteNonFinite(String line) {
        if (line.indexOf("NaN") < 0 && line.indexOf("Infinity") < 0) {
            return line;
        }
        StringBuilder out = new StringBuilder(line.length() + 8);
        boolean inString = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < line.length()) {
                    out.append(line.charAt(++i));
                } else if (c == '"') {
                    inString = false;
                }
                continue;
            }
            if (c == '"') {
                inString = true;
                out.append(c);
            } else if (line.startsWith("NaN", i)) {
                out.append("\"NaN\"");
                i += 2;
            } else if (line.startsWith("-Infinity", i)) {
                out.append("\"-Infinity\"");
                i += 8;
            } else if (line.startsWith("Infinity", i)) {
                out.append("\"Infinity\"");
                i += 7;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
