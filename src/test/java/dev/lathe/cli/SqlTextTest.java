package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTextTest {
    @Test
    void statementEndsAtSemicolonOutsideQuotesAndComments() {
        assertThat(SqlText.endsStatement("SELECT 1;")).isTrue();
        assertThat(SqlText.endsStatement("SELECT 1;  -- done")).isTrue();
        assertThat(SqlText.endsStatement("SELECT 1")).isFalse();
        // a quote left open on its line cannot be closed on the next (only triple quotes span lines): the engine says so
        assertThat(SqlText.endsStatement("SELECT ';")).isTrue();
        assertThat(SqlText.endsStatement("SELECT 'it''s';")).isTrue();
        assertThat(SqlText.endsStatement("SELECT 1 -- ;")).isFalse();
        assertThat(SqlText.endsStatement("SELECT 1 /* ; */")).isFalse();
        assertThat(SqlText.endsStatement("SELECT 1 /* ;")).isFalse();
        assertThat(SqlText.endsStatement("SELECT `a;b`\nFROM t;")).isTrue();
    }

    @Test
    void everyStringFormTheParserTakesEndsAsItDoes() {
        // the shell's own scanner knew only '...' with '': these waited for more lines forever
        assertThat(SqlText.endsStatement("SELECT 'it\\'s' AS q;")).isTrue();
        assertThat(SqlText.endsStatement("SELECT r'a\\'b' AS q;")).isTrue();
        assertThat(SqlText.endsStatement("SELECT '''tri'ple''' AS q;")).isTrue();
        assertThat(SqlText.endsStatement("SELECT \"\"\"dq\"tri\"\"\" AS q;")).isTrue();
        assertThat(SqlText.endsStatement("SELECT 'a;b\\'c;' AS q")).isFalse();
        // a triple-quoted string or a block comment continues on the next line
        assertThat(SqlText.endsStatement("SELECT '''first line;")).isFalse();
        assertThat(SqlText.endsStatement("SELECT '''first line;\nsecond''';")).isTrue();
        assertThat(SqlText.endsStatement("SELECT 1; /* a note;")).isFalse();
    }
}
