package dev.lathe.sql;

import dev.lathe.core.LatheException;
import java.util.List;

/**
 * A position in {@code tokens[from, limit)}; the token at {@code limit} (END, or the comma or parenthesis
 * that closes a sub-range) is what a syntax error reports as found once the range is used up.
 */
final class TokenCursor {
    private final List<Token> tokens;
    private final int limit;
    private int index;

    TokenCursor(List<Token> tokens) {
        this(tokens, 0, tokens.size() - 1);
        if (tokens.getLast().kind() != TokenKind.END) {
            throw new IllegalArgumentException("token list must end with END");
        }
    }

    TokenCursor(List<Token> tokens, int from, int limit) {
        if (limit >= tokens.size() || from > limit) {
            throw new IllegalArgumentException("range [" + from + ", " + limit + ") outside " + tokens.size() + " tokens");
        }
        this.tokens = tokens;
        this.index = from;
        this.limit = limit;
    }

    List<Token> tokens() {
        return tokens;
    }

    int index() {
        return index;
    }

    int limit() {
        return limit;
    }

    void seek(int newIndex) {
        index = Math.min(newIndex, limit);
    }

    Token peek() {
        return tokens.get(index);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(index + ahead, limit));
    }

    Token next() {
        Token token = tokens.get(index);
        if (index < limit) {
            index++;
        }
        return token;
    }

    boolean atEnd() {
        return index >= limit;
    }

    boolean acceptWord(String word) {
        if (peek().isWord(word)) {
            next();
            return true;
        }
        return false;
    }

    boolean acceptSymbol(String symbol) {
        if (peek().isSymbol(symbol)) {
            next();
            return true;
        }
        return false;
    }

    Token expectWord(String word) {
        if (!peek().isWord(word)) {
            throw expected(word);
        }
        return next();
    }

    Token expectSymbol(String symbol) {
        if (!peek().isSymbol(symbol)) {
            throw expected("'" + symbol + "'");
        }
        return next();
    }

    Token expectName(String what) {
        if (!peek().isName()) {
            throw expected(what);
        }
        return next();
    }

    void expectEnd(String what) {
        if (!atEnd()) {
            throw expected(what);
        }
    }

    LatheException expected(String what) {
        return expected(what, peek());
    }

    static LatheException expected(String what, Token found) {
        return Tokenizer.syntaxError(found.position(), "expected " + what + " but found " + found.describe());
    }

    /** The index of the parenthesis or bracket closing the one at {@code open}, or a syntax error. */
    static int matching(List<Token> tokens, int open) {
        String opening = tokens.get(open).text();
        String closing = opening.equals("(") ? ")" : opening.equals("[") ? "]" : "}";
        int depth = 0;
        for (int i = open; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            if (token.kind() == TokenKind.SYMBOL) {
                if (token.text().equals("(") || token.text().equals("[") || token.text().equals("{")) {
                    depth++;
                } else if (token.text().equals(")") || token.text().equals("]") || token.text().equals("}")) {
                    depth--;
                    if (depth == 0) {
                        if (!token.text().equals(closing)) {
                            throw expected("'" + closing + "' to close '" + opening + "' at " + tokens.get(open).position(), token);
                        }
                        return i;
                    }
                }
            } else if (token.kind() == TokenKind.END) {
                throw expected("'" + closing + "' to close '" + opening + "' at " + tokens.get(open).position(), token);
            }
        }
        throw expected("'" + closing + "'", tokens.getLast());
    }

    /** Splits {@code [from, to)} at commas outside parentheses and brackets; returns [start, end) index pairs. */
    static List<int[]> splitAtCommas(List<Token> tokens, int from, int to) {
        List<int[]> parts = new java.util.ArrayList<>();
        int start = from;
        int depth = 0;
        for (int i = from; i < to; i++) {
            Token token = tokens.get(i);
            if (token.kind() != TokenKind.SYMBOL) {
                continue;
            }
            switch (token.text()) {
                case "(", "[", "{" -> depth++;
                case ")", "]", "}" -> depth--;
                case "," -> {
                    if (depth == 0) {
                        parts.add(new int[] {start, i});
                        start = i + 1;
                    }
                }
                default -> { }
            }
        }
        if (to > from) {
            parts.add(new int[] {start, to});
        }
        return parts;
    }
}
