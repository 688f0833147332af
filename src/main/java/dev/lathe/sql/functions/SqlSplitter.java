package dev.lathe.sql.functions;

import java.util.ArrayList;
import java.util.List;

/** Splits SQL text at top-level separators, ignoring those inside brackets, quotes or identifiers. */
final class SqlSplitter {
    private SqlSplitter() {}

    static List<String> splitTopLevel(String text, char separator) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'', '"', '`' -> quote = c;
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth--;
                default -> {
                    if (c == separator && depth == 0) {
                        parts.add(text.substring(start, i).trim());
                        start = i + 1;
                    }
                }
            }
        }
        String last = text.substring(start).trim();
        if (!last.isEmpty() || !parts.isEmpty()) {
            parts.add(last);
        }
        return parts;
    }

    /** Index of the last top-level, whole-word, case-insensitive {@code keyword}, or -1. */
    static int lastTopLevelKeyword(String text, String keyword) {
        int depth = 0;
        char quote = 0;
        int found = -1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
                continue;
            }
            switch (c) {
                case '\'', '"', '`' -> quote = c;
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth--;
                default -> {
                    if (depth == 0 && text.regionMatches(true, i, keyword, 0, keyword.length())
                            && boundary(text, i - 1) && boundary(text, i + keyword.length())) {
                        found = i;
                    }
                }
            }
        }
        return found;
    }

    private static boolean boundary(String text, int index) {
        return index < 0 || index >= text.length() || Character.isWhitespace(text.charAt(index));
    }
}
