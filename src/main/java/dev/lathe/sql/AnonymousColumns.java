package dev.lathe.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The anonymous items of a query's outermost SELECT list: those with neither an alias nor an implicit one. GoogleSQL names
 * a column reference {@code a}, a path {@code t.a} and a field access {@code s[OFFSET(0)].a} after their last name;
 * anything else (a call, an operator, a literal, a subquery) is anonymous, and BigQuery's result calls such columns
 * {@code f0_}, {@code f1_}, ..., numbered among themselves from 0 ({@code SELECT name, COUNT(*)} answers {@code name} and
 * {@code f0_}). DuckDB would name them by their text ({@code count_star()}, {@code (age * 2)}). Only the outermost list
 * is looked at: a set operation's columns are named by its first operand, and columns that come through a star keep
 * their names.
 */
final class AnonymousColumns {
    /** One anonymous item: its place in the select list (from 1) and its tokens {@code [first, last]}. */
    record Item(int ordinal, int first, int last) {}

    /** Words that end a SELECT list outside parentheses. */
    private static final Set<String> AFTER_SELECT_LIST = Set.of("FROM", "WHERE", "GROUP", "HAVING", "QUALIFY", "WINDOW", "ORDER",
            "LIMIT", "UNION", "EXCEPT", "INTERSECT");
    /** Single words that are values, not column references. */
    private static final Set<String> VALUE_WORDS = Set.of("NULL", "TRUE", "FALSE", "CURRENT_DATE", "CURRENT_TIME", "CURRENT_TIMESTAMP",
            "CURRENT_DATETIME");
    private static final Set<String> INTERVAL_PARTS = Set.of("MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "WEEK",
            "MONTH", "QUARTER", "YEAR");

    private AnonymousColumns() {}

    /**
     * The names of the anonymous items of the query {@code tokens[from, to)}, by the index of each one's last token: f0_, f1_,
     * ..., a name another column of the list has taken skipped ({@code SELECT x AS f0_, 3} answers {@code f0_, f1_}: two
     * columns of one name would be ambiguous).
     */
    static java.util.Map<Integer, String> names(List<Token> tokens, int from, int to) {
        Set<String> taken = new java.util.HashSet<>();
        List<Item> anonymous = new ArrayList<>();
        for (Item item : items(tokens, from, to)) {
            Token last = tokens.get(item.last());
            if (anonymous(tokens, item.first(), item.last() + 1)) {
                anonymous.add(item);
            } else if (last.isName()) {
                taken.add(last.value().toLowerCase(java.util.Locale.ROOT)); // an alias, a column, a path's last name
            }
        }
        java.util.Map<Integer, String> names = new java.util.HashMap<>();
        int number = 0;
        for (Item item : anonymous) {
            while (taken.contains("f" + number + "_")) {
                number++;
            }
            names.put(item.last(), "f" + number++ + "_");
        }
        return names;
    }

    /** The anonymous items of the query {@code tokens[from, to)} ({@code [WITH ...] SELECT ...}, maybe in parentheses). */
    static List<Item> of(List<Token> tokens, int from, int to) {
        return items(tokens, from, to).stream().filter(item -> anonymous(tokens, item.first(), item.last() + 1)).toList();
    }

    /** Every item of the outermost SELECT list of the query {@code tokens[from, to)}, anonymous or not. */
    private static List<Item> items(List<Token> tokens, int from, int to) {
        int i = from;
        int end = to;
        while (i < end) {
            if (tokens.get(i).isWord("WITH")) {
                i = afterWith(tokens, i + 1, end);
            } else if (tokens.get(i).isSymbol("(")) {
                end = Math.min(end, TokenCursor.matching(tokens, i)); // the first operand names a set operation's columns
                i++;
            } else {
                break;
            }
        }
        if (i >= end || !tokens.get(i).isWord("SELECT")) {
            return List.of();
        }
        i++;
        if (i < end && (tokens.get(i).isWord("DISTINCT") || tokens.get(i).isWord("ALL"))) {
            i++;
        }
        if (i < end && tokens.get(i).isWord("AS")) {
            return List.of(); // SELECT AS STRUCT | AS VALUE: one value per row, not columns
        }
        List<Item> items = new ArrayList<>();
        int itemStart = i;
        int ordinal = 1;
        int depth = 0;
        for (int k = i; ; k++) {
            boolean last = k >= end;
            boolean boundary = last;
            if (!last) {
                Token token = tokens.get(k);
                if (token.isSymbol("(") || token.isSymbol("[") || token.isSymbol("{")) {
                    depth++;
                } else if (token.isSymbol(")") || token.isSymbol("]") || token.isSymbol("}")) {
                    last = depth-- == 0;
                } else if (depth == 0 && (token.isSymbol(";") || token.kind() == TokenKind.IDENTIFIER
                        && AFTER_SELECT_LIST.contains(token.upper()) && !(token.isWord("EXCEPT") && tokens.get(k - 1).isSymbol("*")))) {
                    last = true; // * EXCEPT (a) is the star's, not a set operation
                }
                boundary = last || depth == 0 && token.isSymbol(",");
            }
            if (boundary) {
                if (k > itemStart) {
                    items.add(new Item(ordinal, itemStart, k - 1));
                }
                ordinal++;
                itemStart = k + 1;
            }
            if (last) {
                return items;
            }
        }
    }

    /** The index after {@code name [(columns)] AS (query), ...} of a WITH clause starting at {@code i}; {@code end} if it is not one. */
    private static int afterWith(List<Token> tokens, int i, int end) {
        if (i < end && tokens.get(i).isWord("RECURSIVE")) {
            i++;
        }
        while (i + 2 < end && tokens.get(i).isName()) {
            i++;
            if (tokens.get(i).isSymbol("(")) {
                i = TokenCursor.matching(tokens, i) + 1;
            }
            if (i + 1 >= end || !tokens.get(i).isWord("AS") || !tokens.get(i + 1).isSymbol("(")) {
                return end;
            }
            i = TokenCursor.matching(tokens, i + 1) + 1;
            if (i >= end || !tokens.get(i).isSymbol(",")) {
                return i;
            }
            i++;
        }
        return end;
    }

    /**
     * Whether the select item {@code tokens[from, to)} has no name: not a star (nor DuckDB's {@code COLUMNS(...)}, which
     * expands to columns named as they are), not aliased, not a path ({@code (x)} and {@code ((t.x))} are x's column).
     */
    private static boolean anonymous(List<Token> tokens, int from, int to) {
        while (to - from > 2 && tokens.get(from).isSymbol("(") && TokenCursor.matching(tokens, from) == to - 1
                && !tokens.get(from + 1).isWord("SELECT") && !tokens.get(from + 1).isWord("WITH")) {
            from++; // a value in parentheses has the value's name; a subquery (SELECT ...) has none
            to--;
        }
        for (int k = from; k + 1 < to; k++) {
            if (tokens.get(k).isWord("COLUMNS") && tokens.get(k + 1).isSymbol("(")) {
                return false; // DuckDB's star expression: one alias would name every column it expands to
            }
        }
        int depth = 0;
        boolean interval = false;
        boolean path = true; // names, dots and bracketed groups only: t.a, f(x).a, s[OFFSET(0)].a
        for (int k = from; k < to; k++) {
            Token token = tokens.get(k);
            if (token.isSymbol("(") || token.isSymbol("[") || token.isSymbol("{")) {
                depth++;
            } else if (token.isSymbol(")") || token.isSymbol("]") || token.isSymbol("}")) {
                depth--;
            } else if (depth == 0 && token.isSymbol("*") && (k == from || tokens.get(k - 1).isSymbol("."))) {
                return false; // *, t.*, * EXCEPT (...), * REPLACE (...)
            } else if (depth == 0) {
                interval |= token.isWord("INTERVAL");
                path &= token.isSymbol(".") || token.isName() && !(k > from && tokens.get(k - 1).isName());
            }
        }
        Token last = tokens.get(to - 1);
        if (!StatementParser.endsOperand(last) && !last.isSymbol("}")) {
            return false; // cut short (SELECT 1 +): DuckDB's syntax error, placed at its end, not at an alias after it
        }
        if (!last.isName()) {
            return true;
        }
        if (to - from == 1) {
            return last.kind() == TokenKind.IDENTIFIER && VALUE_WORDS.contains(last.upper());
        }
        Token before = tokens.get(to - 2);
        if (before.isWord("AS") || before.isSymbol(".") && path) {
            return false; // x AS name; t.a, s[OFFSET(0)].a
        }
        boolean intervalPart = interval && last.kind() == TokenKind.IDENTIFIER && INTERVAL_PARTS.contains(last.upper());
        return intervalPart || !StatementParser.implicitAlias(last, before); // COUNT(*) n names it n; INTERVAL 1 DAY does not
    }
}
