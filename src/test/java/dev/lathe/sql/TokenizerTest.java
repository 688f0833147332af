package dev.lathe.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.options.Position;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {
    private static List<Token> tokens(String text) {
        List<Token> tokens = Tokenizer.tokenize(text);
        return tokens.subList(0, tokens.size() - 1);
    }

    @Test
    void readsIdentifiersNumbersAndSymbolsWithPositions() {
        List<Token> tokens = tokens("SELECT a1,\n  1.5e-3 >= x");
        assertThat(tokens).extracting(Token::text).containsExactly("SELECT", "a1", ",", "1.5e-3", ">=", "x");
        assertThat(tokens).extracting(Token::kind).containsExactly(TokenKind.IDENTIFIER, TokenKind.IDENTIFIER, TokenKind.SYMBOL,
                TokenKind.NUMBER, TokenKind.SYMBOL, TokenKind.IDENTIFIER);
        Token number = tokens.get(3);
        assertThat(number.position()).isEqualTo(new Position(2, 3));
        assertThat(number.start()).isEqualTo(13);
        assertThat(number.end()).isEqualTo(19);
    }

    @Test
    void keepsDotsInsideBacktickQuotedIdentifiers() {
        Token token = tokens("`proj.dataset.table`").getFirst();
        assertThat(token.kind()).isEqualTo(TokenKind.QUOTED_IDENTIFIER);
        assertThat(token.value()).isEqualTo("proj.dataset.table");
    }

    /**
     * Probe sc F9: a NUL escape made a NUL in the text DuckDB reads, which ends its input there: the literal failed as an
     * "unterminated quoted string". A literal cannot hold it; the error says so at the escape, and BYTES keep it.
     */
    @Test
    void refusesTheNulCharacterInAStringButNotInBytes() {
        assertThatThrownBy(() -> Tokenizer.tokenize("SELECT\n  'a\\x00b' AS s"))
                .hasMessage("Syntax error at line 2, column 5: a string literal cannot hold the NUL character (\\x00): DuckDB's SQL"
                        + " text ends at it. Write CHR(0) for the character ('a' || CHR(0) || 'b'), or a BYTES literal, b'\\x00',"
                        + " for a zero byte");
        for (String nul : List.of("'\\000'", "\"\\u0000\"", "'''\\U00000000'''", "'\\0'", "'\\X00'")) {
            assertThatThrownBy(() -> Tokenizer.tokenize(nul)).as(nul).hasMessageContaining("cannot hold the NUL character");
        }
        assertThat(tokens("b'a\\x00b' r'\\x00' '\\x01'")).extracting(Token::value).containsExactly("a\u0000b", "\\x00", "\u0001");
    }

    @Test
    void decodesEveryStringLiteralForm() {
        List<Token> tokens = tokens("'a\\'b' \"c\\nd\" '''multi\nline''' \"\"\"x\"y\"\"\" r'\\d+' R\"\\w\" b'\\x41'");
        assertThat(tokens).extracting(Token::value).containsExactly("a'b", "c\nd", "multi\nline", "x\"y", "\\d+", "\\w", "A");
        assertThat(tokens.getLast().kind()).isEqualTo(TokenKind.BYTES);
        assertThat(tokens.subList(0, 6)).allMatch(t -> t.kind() == TokenKind.STRING);
    }

    /** Probe rf: '\\d' silently became 'd' (a regular expression that forgot its r''); BigQuery refuses the escape. */
    @Test
    void rejectsAnUnknownEscapeInAStringButNotInARawOne() {
        assertThatThrownBy(() -> Tokenizer.tokenize("SELECT REGEXP_CONTAINS(s,\n  '\\d+')"))
                .hasMessageStartingWith("Syntax error at line 2, column 4: Illegal escape sequence: \\d");
        for (String illegal : List.of("'\\.'", "b'\\q'", "\"a\\_\"", "'''\\%'''")) {
            assertThatThrownBy(() -> Tokenizer.tokenize(illegal)).as(illegal).hasMessageContaining("Illegal escape sequence");
        }
        assertThat(tokens("'\\\\ \\' \\\" \\` \\? \\a \\101 \\u00e9' r'\\d\\.' rb'\\q'")).extracting(Token::value)
                .containsExactly("\\ ' \" ` ? \u0007 A \u00e9", "\\d\\.", "\\q");
    }

    @Test
    void skipsAllThreeCommentStyles() {
        Tokenizer.Result result = Tokenizer.scan("SELECT 1 -- one\n# two\n/* three\n */ , 2", new Position(1, 1));
        assertThat(result.tokens()).extracting(Token::text).containsExactly("SELECT", "1", ",", "2", "");
        assertThat(result.comments()).hasSize(3);
        assertThat(result.tokens().get(2).position()).isEqualTo(new Position(4, 5));
    }

    @Test
    void readsAtSignForVersionSuffixes() {
        assertThat(tokens("d.m@3")).extracting(Token::text).containsExactly("d", ".", "m", "@", "3");
    }

    @Test
    void countsPositionsFromAnOrigin() {
        Tokenizer.Result result = Tokenizer.scan("a\n b", new Position(5, 10));
        assertThat(result.tokens().get(0).position()).isEqualTo(new Position(5, 10));
        assertThat(result.tokens().get(1).position()).isEqualTo(new Position(6, 2));
    }

    @Test
    void rejectsUnterminatedStringNamingWhereItStarts() {
        assertThatThrownBy(() -> Tokenizer.tokenize("SELECT\n  'abc"))
                .isInstanceOf(LatheException.class)
                .hasMessageStartingWith("Syntax error at line 2, column 3: unterminated string literal")
                .extracting(e -> ((LatheException) e).code()).isEqualTo(ErrorCode.SYNTAX_ERROR);
    }

    @Test
    void rejectsUnterminatedTripleQuotedString() {
        assertThatThrownBy(() -> Tokenizer.tokenize("x = '''abc\n''"))
                .hasMessageStartingWith("Syntax error at line 1, column 5: unterminated string literal");
    }

    @Test
    void rejectsUnterminatedBlockComment() {
        assertThatThrownBy(() -> Tokenizer.tokenize("SELECT 1 /* no end"))
                .hasMessageStartingWith("Syntax error at line 1, column 10: unterminated comment");
    }

    /** Probe H: `a``b` was two names side by side, which DuckDB took as one named a"b. */
    @Test
    void rejectsADoubledBacktickAndTakesAnEscapedOne() {
        assertThatThrownBy(() -> Tokenizer.tokenize("SELECT 3 AS `a``b`"))
                .hasMessageStartingWith("Syntax error at line 1, column 13: a quoted identifier is followed directly by another backtick");
        assertThat(Tokenizer.tokenize("SELECT 3 AS `a\\`b`").get(3).value()).isEqualTo("a`b");
        // a quoted identifier takes a string literal's escapes, as GoogleSQL's does (probe: `d\x31.t` looked for a schema dx31)
        assertThat(Tokenizer.tokenize("FROM `d\\x31.t` JOIN `a\\\\b\\nc\\u00e9`").stream().map(Token::value).toList())
                .startsWith("FROM", "d1.t", "JOIN", "a\\b\nc\u00e9");
        assertThatThrownBy(() -> Tokenizer.tokenize("SELECT `a\\qb`")).hasMessageContaining("Illegal escape sequence: \\q");
    }

    @Test
    void rejectsUnterminatedBacktick() {
        assertThatThrownBy(() -> Tokenizer.tokenize("FROM `d.t"))
                .hasMessageStartingWith("Syntax error at line 1, column 6: unterminated quoted identifier");
    }

    @Test
    void rejectsUnknownCharacter() {
        assertThatThrownBy(() -> Tokenizer.tokenize("SELECT \\"))
                .hasMessage("Syntax error at line 1, column 8: unexpected character '\\'");
    }
}
