package dev.lathe.sql;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.options.Position;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits BigQuery SQL into tokens. Comments ({@code --}, {@code #}, {@code /* *}{@code /}) are not
 * tokens; their spans are kept separately. Double-quoted text is a string literal, as in BigQuery
 * (not an identifier, as in DuckDB); identifiers are quoted with backticks.
 */
public final class Tokenizer {
    private static final String[] MULTI_CHARACTER_SYMBOLS = {"<=>", "<=", ">=", "<>", "!=", "||", "<<", ">>", "=>", "::", "->"};
    private static final String SINGLE_CHARACTER_SYMBOLS = "()[]{},;.+-*/%=<>@~^&|?:!$";

    private final String text;
    private int offset;
    private int line;
    private int column;
    private final List<Token> tokens = new ArrayList<>();
    private final List<Comment> comments = new ArrayList<>();

    private Tokenizer(String text, Position origin) {
        this.text = text;
        this.line = origin.line() <= 0 ? 1 : origin.line();
        this.column = origin.line() <= 0 ? 1 : origin.column();
    }

    /** The tokens of {@code text} (the last one is {@link TokenKind#END}) and its comments. */
    public record Result(List<Token> tokens, List<Comment> comments) {
        public Result {
            tokens = List.copyOf(tokens);
            comments = List.copyOf(comments);
        }
    }

    private static final String UNTERMINATED_STRING = "unterminated string literal starting with ";
    private static final String SAME_LINE = " on the same line";
    private static final String UNTERMINATED_COMMENT = "unterminated comment /* ... */";

    /**
     * Whether {@code text} ends inside what may span lines: a block comment or a triple-quoted string. An interactive
     * shell reads another line then; every other lexical error is the statement's to report.
     */
    public static boolean endsOpen(String text) {
        try {
            scan(text, new Position(1, 1));
            return false;
        } catch (LatheException e) {
            String message = e.getMessage();
            return (message.contains(UNTERMINATED_STRING) && !message.contains(SAME_LINE)) || message.contains(UNTERMINATED_COMMENT);
        }
    }

    public static List<Token> tokenize(String text) {
        return scan(text, new Position(1, 1)).tokens();
    }

    /** Tokenizes {@code text} whose first character is at {@code origin} of a larger script. */
    public static Result scan(String text, Position origin) {
        Tokenizer tokenizer = new Tokenizer(text, origin);
        tokenizer.run();
        return new Result(tokenizer.tokens, tokenizer.comments);
    }

    private void run() {
        while (true) {
            skipWhitespaceAndComments();
            if (offset >= text.length()) {
                tokens.add(new Token(TokenKind.END, "", "", offset, offset, here()));
                return;
            }
            int start = offset;
            Position position = here();
            char c = text.charAt(offset);
            char next = peek(1);
            if ((c == 'r' || c == 'R' || c == 'b' || c == 'B') && isQuote(next)) {
                scanString(start, position, 1, c == 'r' || c == 'R', c == 'b' || c == 'B');
            } else if ((c == 'r' || c == 'R' || c == 'b' || c == 'B') && (next == 'r' || next == 'R' || next == 'b' || next == 'B')
                    && Character.toLowerCase(c) != Character.toLowerCase(next) && isQuote(peek(2))) {
                scanString(start, position, 2, true, true);
            } else if (isQuote(c)) {
                scanString(start, position, 0, false, false);
            } else if (c == '`') {
                scanQuotedIdentifier(start, position);
            } else if (Character.isLetter(c) || c == '_') {
                while (offset < text.length() && (Character.isLetterOrDigit(text.charAt(offset)) || text.charAt(offset) == '_')) {
                    advance();
                }
                String word = text.substring(start, offset);
                tokens.add(new Token(TokenKind.IDENTIFIER, word, word, start, offset, position));
            } else if (Character.isDigit(c) || (c == '.' && Character.isDigit(next))) {
                scanNumber(start, position);
            } else {
                scanSymbol(start, position);
            }
        }
    }

    private static boolean isQuote(char c) {
        return c == '\'' || c == '"';
    }

    private char peek(int ahead) {
        int index = offset + ahead;
        return index < text.length() ? text.charAt(index) : '\0';
    }

    private Position here() {
        return new Position(line, column);
    }

    private void advance() {
        if (text.charAt(offset) == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        offset++;
    }

    private void skipWhitespaceAndComments() {
        while (offset < text.length()) {
            char c = text.charAt(offset);
            if (Character.isWhitespace(c)) {
                advance();
            } else if (c == '#' || (c == '-' && peek(1) == '-')) {
                int start = offset;
                while (offset < text.length() && text.charAt(offset) != '\n') {
                    advance();
                }
                comments.add(new Comment(start, offset, c == '#'));
            } else if (c == '/' && peek(1) == '*') {
                int start = offset;
                Position position = here();
                advance();
                advance();
                while (offset < text.length() && !(text.charAt(offset) == '*' && peek(1) == '/')) {
                    advance();
                }
                if (offset >= text.length()) {
                    throw syntaxError(position, UNTERMINATED_COMMENT + " (add the closing */)");
                }
                advance();
                advance();
                comments.add(new Comment(start, offset, false));
            } else {
                return;
            }
        }
    }

    private void scanString(int start, Position position, int prefixLength, boolean raw, boolean bytes) {
        for (int i = 0; i < prefixLength; i++) {
            advance();
        }
        char quote = text.charAt(offset);
        boolean triple = peek(1) == quote && peek(2) == quote;
        int quoteLength = triple ? 3 : 1;
        for (int i = 0; i < quoteLength; i++) {
            advance();
        }
        StringBuilder value = new StringBuilder();
        while (true) {
            if (offset >= text.length() || (!triple && text.charAt(offset) == '\n')) {
                String quotes = String.valueOf(quote).repeat(quoteLength);
                throw syntaxError(position, UNTERMINATED_STRING + text.substring(start, start + prefixLength)
                        + quotes + " (close it with " + quotes + (triple ? "" : SAME_LINE) + ")");
            }
            char c = text.charAt(offset);
            if (c == quote && (!triple || (peek(1) == quote && peek(2) == quote))) {
                for (int i = 0; i < quoteLength; i++) {
                    advance();
                }
                break;
            }
            if (c == '\\') {
                if (offset + 1 >= text.length()) {
                    advance();
                    continue;
                }
                if (raw) {
                    value.append(c).append(text.charAt(offset + 1));
                    advance();
                    advance();
                } else {
                    Position escapePosition = here();
                    advance();
                    appendEscape(value, escapePosition, bytes);
                }
                continue;
            }
            value.append(c);
            advance();
        }
        tokens.add(new Token(bytes ? TokenKind.BYTES : TokenKind.STRING, text.substring(start, offset), value.toString(), start,
                offset, position));
    }

    /** Appends the character of the escape after the backslash at {@code position}, which is just before {@code offset}. */
    private void appendEscape(StringBuilder value, Position position, boolean bytes) {
        int escapeStart = offset - 1;
        char e = text.charAt(offset);
        advance();
        int length = value.length();
        appendEscape(value, position, e);
        if (!bytes && value.length() > length && value.charAt(length) == 0) {
            // DuckDB's parser ends its input at a NUL: the literal failed as an "unterminated quoted string" (probe sc)
            throw syntaxError(position, "a string literal cannot hold the NUL character (" + text.substring(escapeStart, offset)
                    + "): DuckDB's SQL text ends at it. Write CHR(0) for the character ('a' || CHR(0) || 'b'), or a BYTES literal,"
                    + " b'\\x00', for a zero byte");
        }
    }

    private void appendEscape(StringBuilder value, Position position, char e) {
        switch (e) {
            case 'n' -> value.append('\n');
            case 't' -> value.append('\t');
            case 'r' -> value.append('\r');
            case 'a' -> value.append('\u0007');
            case 'b' -> value.append('\b');
            case 'f' -> value.append('\f');
            case 'v' -> value.append('\u000B');
            case 'x', 'X' -> value.append((char) hex(2, position));
            case 'u' -> value.append((char) hex(4, position));
            case 'U' -> value.appendCodePoint(hex(8, position));
            default -> {
                if (e >= '0' && e <= '7') {
                    int code = e - '0';
                    for (int i = 0; i < 2 && offset < text.length() && text.charAt(offset) >= '0' && text.charAt(offset) <= '7'; i++) {
                        code = code * 8 + (text.charAt(offset) - '0');
                        advance();
                    }
                    value.append((char) code);
                } else if ("\\'\"`?".indexOf(e) >= 0) {
                    value.append(e); // \\, \', \", \` and \? stand for themselves
                } else {
                    // any other escape is BigQuery's error; '\d' silently became 'd', a regex that forgot its r'' matched
                    // otherwise (probe rf)
                    throw syntaxError(position, "Illegal escape sequence: \\" + (e == '\n' ? "<newline>" : String.valueOf(e))
                            + " (write \\\\ for a backslash, or a raw string r'...' for a regular expression)");
                }
            }
        }
    }

    private int hex(int digits, Position position) {
        if (offset + digits > text.length()) {
            throw syntaxError(position, "escape sequence needs " + digits + " hexadecimal digits");
        }
        String hexDigits = text.substring(offset, offset + digits);
        try {
            int code = Integer.parseUnsignedInt(hexDigits, 16);
            for (int i = 0; i < digits; i++) {
                advance();
            }
            return code;
        } catch (NumberFormatException e) {
            throw syntaxError(position, "escape sequence needs " + digits + " hexadecimal digits but found '" + hexDigits + "'");
        }
    }

    private void scanQuotedIdentifier(int start, Position position) {
        advance();
        StringBuilder value = new StringBuilder();
        while (true) {
            if (offset >= text.length() || text.charAt(offset) == '\n') {
                throw syntaxError(position, "unterminated quoted identifier starting with ` (close it with ` on the same line)");
            }
            char c = text.charAt(offset);
            if (c == '`') {
                advance();
                if (offset < text.length() && text.charAt(offset) == '`') {
                    // `a``b` was two names side by side, which DuckDB read as one named a"b (probe H)
                    throw syntaxError(position, "a quoted identifier is followed directly by another backtick; write a backtick"
                            + " inside a quoted identifier as \\` (`a\\`b`)");
                }
                break;
            }
            if (c == '\\' && offset + 1 < text.length()) {
                // a quoted identifier takes a string literal's escapes (GoogleSQL): `d\x31` is d1 (it was dx31), `a\nb` holds a newline
                Position escapePosition = here();
                advance();
                appendEscape(value, escapePosition, false);
                continue;
            }
            value.append(c);
            advance();
        }
        if (value.isEmpty()) {
            throw syntaxError(position, "empty quoted identifier ``");
        }
        tokens.add(new Token(TokenKind.QUOTED_IDENTIFIER, text.substring(start, offset), value.toString(), start, offset, position));
    }

    private void scanNumber(int start, Position position) {
        if (text.charAt(offset) == '0' && (peek(1) == 'x' || peek(1) == 'X')) {
            advance();
            advance();
            while (offset < text.length() && Character.digit(text.charAt(offset), 16) >= 0) {
                advance();
            }
        } else {
            while (offset < text.length() && Character.isDigit(text.charAt(offset))) {
                advance();
            }
            if (offset < text.length() && text.charAt(offset) == '.') {
                advance();
                while (offset < text.length() && Character.isDigit(text.charAt(offset))) {
                    advance();
                }
            }
            char e = offset < text.length() ? text.charAt(offset) : '\0';
            if ((e == 'e' || e == 'E') && (Character.isDigit(peek(1)) || ((peek(1) == '+' || peek(1) == '-') && Character.isDigit(peek(2))))) {
                advance();
                advance();
                while (offset < text.length() && Character.isDigit(text.charAt(offset))) {
                    advance();
                }
            }
        }
        String number = text.substring(start, offset);
        tokens.add(new Token(TokenKind.NUMBER, number, number, start, offset, position));
    }

    private void scanSymbol(int start, Position position) {
        for (String symbol : MULTI_CHARACTER_SYMBOLS) {
            if (text.startsWith(symbol, offset)) {
                for (int i = 0; i < symbol.length(); i++) {
                    advance();
                }
                tokens.add(new Token(TokenKind.SYMBOL, symbol, symbol, start, offset, position));
                return;
            }
        }
        char c = text.charAt(offset);
        if (SINGLE_CHARACTER_SYMBOLS.indexOf(c) < 0) {
            throw syntaxError(position, "unexpected character '" + c + "'");
        }
        advance();
        tokens.add(new Token(TokenKind.SYMBOL, String.valueOf(c), String.valueOf(c), start, offset, position));
    }

    static LatheException syntaxError(Position position, String detail) {
        return new LatheException(ErrorCode.SYNTAX_ERROR, "Syntax error at " + position + ": " + detail);
    }
}
