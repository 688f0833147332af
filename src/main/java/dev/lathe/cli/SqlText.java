package dev.lathe.cli;

import dev.lathe.core.LatheException;
import dev.lathe.sql.Token;
import dev.lathe.sql.TokenKind;
import dev.lathe.sql.Tokenizer;
import java.util.List;

/** Lexical facts about SQL text the shell needs before the engine parses it. */
final class SqlText {
    private SqlText() {}

    /**
     * True when the text ends a statement, read by the parser's own tokenizer (so every string form it takes counts:
     * {@code 'it\'s'}, raw {@code r'a\'b'}, triple-quoted {@code '''...'''}): its last token is ';' (comments
     * aside) and no block comment or triple-quoted string is left open. Text with another lexical error is complete too,
     * so that the engine reports it rather than the shell waiting for a line that cannot mend it.
     */
    static boolean endsStatement(String text) {
        if (Tokenizer.endsOpen(text)) {
            return false;
        }
        List<Token> tokens;
        try {
            tokens = Tokenizer.tokenize(text);
        } catch (LatheException e) {
            return true;
        }
        Token last = null;
        for (Token token : tokens) {
            if (token.kind() != TokenKind.END) {
                last = token;
            }
        }
        return last != null && last.kind() == TokenKind.SYMBOL && last.text().equals(";");
    }
}
