package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.options.Position;
import java.util.Locale;

/**
 * One token. {@code text} is the source as written, {@code value} the decoded content (unquoted
 * identifier, unescaped string); {@code start}/{@code end} are offsets into the tokenized text and
 * {@code position} is the 1-based line and column of {@code start}.
 */
public record Token(TokenKind kind, String text, String value, int start, int end, Position position) {
    public Token {
        requireNonNull(kind, "kind is null");
        requireNonNull(text, "text is null");
        requireNonNull(value, "value is null");
        requireNonNull(position, "position is null");
    }

    /** Whether this is the unquoted identifier or keyword {@code word}, compared case-insensitively. */
    public boolean isWord(String word) {
        return kind == TokenKind.IDENTIFIER && text.equalsIgnoreCase(word);
    }

    public boolean isSymbol(String symbol) {
        return kind == TokenKind.SYMBOL && text.equals(symbol);
    }

    /** An identifier, quoted or not. */
    public boolean isName() {
        return kind == TokenKind.IDENTIFIER || kind == TokenKind.QUOTED_IDENTIFIER;
    }

    public String upper() {
        return text.toUpperCase(Locale.ROOT);
    }

    /** How the token reads in "found ..." of a syntax error. */
    public String describe() {
        return kind == TokenKind.END ? "end of input" : "'" + text + "'";
    }
}
