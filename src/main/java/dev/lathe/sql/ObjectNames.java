package dev.lathe.sql;

import dev.lathe.core.options.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads an object name: {@code name}, {@code dataset.name}, {@code `project.dataset.name`}, mixed
 * forms such as {@code `project`.dataset.name}, unquoted project ids with dashes
 * ({@code bigquery-public-data.ml_datasets.iris}), and a registry version suffix {@code @3} or
 * {@code @champion}, also inside backticks ({@code `d.m@3`}).
 */
final class ObjectNames {
    private ObjectNames() {}

    static ObjectName parse(TokenCursor cursor, String what) {
        Token first = cursor.peek();
        if (!first.isName()) {
            throw cursor.expected(what);
        }
        List<String> parts = new ArrayList<>();
        Token previous = readPart(cursor, parts);
        while (cursor.peek().isSymbol(".") && cursor.peek(1).isName()) {
            cursor.next();
            previous = readPart(cursor, parts);
        }
        if (parts.size() > 3 || parts.stream().anyMatch(String::isEmpty)) {
            throw Tokenizer.syntaxError(first.position(), "expected " + what + " as name, dataset.name or project.dataset.name but found '"
                    + String.join(".", parts) + "'");
        }
        Optional<String> version = Optional.empty();
        String last = parts.get(parts.size() - 1);
        int inQuotes = previous.kind() == TokenKind.QUOTED_IDENTIFIER ? last.indexOf('@') : -1;
        if (inQuotes > 0) { // `d.m@2`, `project.d.m@champion`: the version inside the backticks
            String suffix = last.substring(inQuotes + 1);
            if (!suffix.matches("[0-9]+|[A-Za-z][A-Za-z0-9_-]*")) {
                throw Tokenizer.syntaxError(previous.position(), "expected a version number or alias after '@' in `" + previous.value()
                        + "`, but found '" + suffix + "'");
            }
            parts.set(parts.size() - 1, last.substring(0, inQuotes));
            version = Optional.of(suffix);
        }
        Token at = cursor.peek();
        if (version.isEmpty() && at.isSymbol("@") && at.start() == previous.end()) {
            cursor.next();
            Token versionToken = cursor.peek();
            if (versionToken.start() != at.end()) { // as no space may come before '@': d.m@ 1 was read as d.m@1 (probe E)
                throw cursor.expected("a version number or alias right after '@', with no space");
            }
            if (versionToken.kind() != TokenKind.NUMBER && !versionToken.isName()) {
                throw cursor.expected("a version number or alias after '@'");
            }
            cursor.next();
            StringBuilder alias = new StringBuilder(versionToken.value());
            if (versionToken.kind() != TokenKind.NUMBER) {
                joinDashed(cursor, versionToken, alias); // an alias such as challenger-2
            }
            version = Optional.of(alias.toString());
        }
        Position position = first.position();
        int n = parts.size();
        return new ObjectName(n == 3 ? Optional.of(parts.get(0)) : Optional.empty(),
                n >= 2 ? Optional.of(parts.get(n - 2)) : Optional.empty(), parts.get(n - 1), version, position);
    }

    /** Reads one part, joining dashed project ids written without spaces; returns the last token read. */
    private static Token readPart(TokenCursor cursor, List<String> parts) {
        Token token = cursor.next();
        if (token.kind() == TokenKind.QUOTED_IDENTIFIER) {
            for (String piece : token.value().split("\\.", -1)) {
                parts.add(piece);
            }
            return token;
        }
        StringBuilder name = new StringBuilder(token.value());
        Token last = joinDashed(cursor, token, name);
        parts.add(name.toString());
        return last;
    }

    /**
     * Appends to {@code text} the words and numbers joined to {@code first} by '-' with no space between them (a dashed
     * project id, an alias such as challenger-2); returns the last token read.
     */
    private static Token joinDashed(TokenCursor cursor, Token first, StringBuilder text) {
        Token last = first;
        while (cursor.peek().isSymbol("-") && cursor.peek().start() == last.end() && cursor.peek(1).start() == cursor.peek().end()
                && (cursor.peek(1).kind() == TokenKind.IDENTIFIER || cursor.peek(1).kind() == TokenKind.NUMBER)) {
            cursor.next();
            last = cursor.next();
            text.append('-').append(last.text());
        }
        return last;
    }
}
