package dev.lathe.sql;

import dev.lathe.core.options.Position;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The common table expressions a point of a statement sees: those of the innermost {@code WITH} around it that end before
 * it. BigQuery lets an ML function's {@code (query)} or {@code TABLE c} argument read them (the k-means tutorial's
 * {@code WITH stationstats AS (...) SELECT ... FROM ML.PREDICT(MODEL m, (SELECT * FROM stationstats ...))}); Lathe runs
 * that argument on its own, so it gets the CTEs it reads as a {@code WITH} of its own, laid out so that every character
 * keeps the line and column it has in the statement (errors point at what the user wrote).
 *
 * @param with the index of the WITH token
 * @param ctes the CTEs before the point, in order
 */
record CommonTables(int with, List<Cte> ctes) {
    /** One CTE: its lower-case name and the indices of its name and of the ")" closing its query. */
    record Cte(String name, int first, int close) {}

    /** The CTEs that token {@code at} of the statement {@code tokens[from, to)} sees, if any. */
    static Optional<CommonTables> visibleAt(List<Token> tokens, int from, int to, int at) {
        CommonTables innermost = null;
        for (int w = from; w < at; w++) {
            if (!tokens.get(w).isWord("WITH") || at >= scopeEnd(tokens, from, to, w)) {
                continue;
            }
            List<Cte> before = parse(tokens, w, to).stream().filter(cte -> cte.close() < at).toList();
            if (!before.isEmpty()) {
                innermost = new CommonTables(w, before); // a later WITH whose scope holds `at` is nested in an earlier one
            }
        }
        return Optional.ofNullable(innermost);
    }

    Set<String> names() {
        Set<String> names = new HashSet<>();
        ctes.forEach(cte -> names.add(cte.name()));
        return names;
    }

    Position position(List<Token> tokens) {
        return tokens.get(with).position();
    }

    /**
     * {@code WITH} and the CTEs that {@code reading} reads (directly or through other CTEs), as the statement's own text
     * from the WITH to the last of them, followed by blanks up to {@code end} (where the query that reads them starts), so
     * that text placed after it stands at its own line and column. CTEs in between that it does not read stay, but one
     * that runs an ML table function is replaced by a constant one, so that the argument does not run it again. Empty when
     * {@code reading} reads none.
     */
    String prefix(String source, List<Token> tokens, List<Token> reading, int end) {
        Set<String> needed = new HashSet<>();
        for (Token token : reading) {
            addIfCte(token, needed);
        }
        int last = -1;
        for (int k = ctes.size() - 1; k >= 0; k--) {
            Cte cte = ctes.get(k);
            if (needed.contains(cte.name())) {
                last = Math.max(last, k);
                for (Token token : tokens.subList(cte.first() + 1, cte.close())) {
                    addIfCte(token, needed);
                }
            }
        }
        if (last < 0) {
            return "";
        }
        StringBuilder text = new StringBuilder();
        int at = tokens.get(with).start();
        for (int k = 0; k <= last; k++) {
            Cte cte = ctes.get(k);
            int start = tokens.get(cte.first()).start();
            int stop = tokens.get(cte.close()).end();
            text.append(source, at, start);
            String own = source.substring(start, stop);
            text.append(needed.contains(cte.name()) || !runsTableFunction(tokens, cte) ? own : constant(own, k));
            at = stop;
        }
        return text + blank(source.substring(at, end));
    }

    private void addIfCte(Token token, Set<String> needed) {
        if (token.isName()) {
            String name = token.value().toLowerCase(Locale.ROOT);
            if (ctes.stream().anyMatch(cte -> cte.name().equals(name))) {
                needed.add(name);
            }
        }
    }

    private static boolean runsTableFunction(List<Token> tokens, Cte cte) {
        for (int i = cte.first(); i + 3 < cte.close(); i++) {
            if (tokens.get(i).isWord("ML") && tokens.get(i + 1).isSymbol(".") && tokens.get(i + 3).isSymbol("(")
                    && MlFunctionCatalog.isTableFunction(tokens.get(i + 2).upper())) {
                return true;
            }
        }
        return false;
    }

    /** A CTE's text replaced by {@code _lathe_unused_k AS (SELECT 1)}, ending at the same line and column. */
    private static String constant(String own, int k) {
        String constant = "_lathe_unused_" + k + " AS (SELECT 1)";
        int newline = own.lastIndexOf('\n');
        if (newline < 0) {
            return own.length() < constant.length() ? own : constant + " ".repeat(own.length() - constant.length());
        }
        return constant + "\n".repeat((int) own.chars().filter(c -> c == '\n').count()) + " ".repeat(own.length() - newline - 1);
    }

    /** Text with every character but line breaks made a space. */
    private static String blank(String text) {
        StringBuilder blank = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            blank.append(c == '\n' || c == '\r' ? c : ' ');
        }
        return blank.toString();
    }

    /** The index just past the scope of the WITH at {@code w}: the ")" of the parentheses around it, or {@code to}. */
    private static int scopeEnd(List<Token> tokens, int from, int to, int w) {
        int depth = 0;
        for (int i = w - 1; i >= from; i--) {
            if (tokens.get(i).isSymbol(")")) {
                depth++;
            } else if (tokens.get(i).isSymbol("(")) {
                if (depth == 0) {
                    return Math.min(TokenCursor.matching(tokens, i), to);
                }
                depth--;
            }
        }
        return to;
    }

    /** The CTEs of the WITH at {@code w}: {@code name [(columns)] AS [NOT] [MATERIALIZED] (query)}, comma-separated. */
    private static List<Cte> parse(List<Token> tokens, int w, int to) {
        List<Cte> ctes = new ArrayList<>();
        int k = w + 1;
        if (k < to && tokens.get(k).isWord("RECURSIVE")) {
            k++;
        }
        while (k < to && tokens.get(k).isName()) {
            int name = k++;
            if (k < to && tokens.get(k).isSymbol("(")) {
                k = TokenCursor.matching(tokens, k) + 1; // a column list
            }
            if (k >= to || !tokens.get(k).isWord("AS")) {
                break;
            }
            k++;
            if (k < to && tokens.get(k).isWord("NOT")) {
                k++;
            }
            if (k < to && tokens.get(k).isWord("MATERIALIZED")) {
                k++;
            }
            if (k >= to || !tokens.get(k).isSymbol("(")) {
                break;
            }
            int close = TokenCursor.matching(tokens, k);
            if (close >= to) {
                break;
            }
            ctes.add(new Cte(tokens.get(name).value().toLowerCase(Locale.ROOT), name, close));
            k = close + 1;
            if (k < to && tokens.get(k).isSymbol(",")) {
                k++;
            } else {
                break;
            }
        }
        return ctes;
    }
}
