package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SqlTextTest {
    @Test
    void statementEndsAtSemicolonOutsideQuotesAndComments() {
        assertThat(SqlText.endsStatement("SELECT 1;")).isTrue();
        assertThat(SqlText.endsStatement("SELECT 1;  -- done")).isTrue();
        assertThat(SqlText.endsStatement("SELECT 1")).isFalse();
        assertThat(SqlText.endsStatement("SELECT ';")).isFalse();
        assertThat(SqlText.endsStatement("SELECT 'it''s';")).isTrue();
        assertThat(SqlText.endsStatement("SELECT 1 -- ;")).isFalse();
        assertThat(SqlText.endsStatement("SELECT 1 /* ; */")).isFalse();
        assertThat(SqlText.endsStatement("SELECT 1 /* ;")).isFalse();
        assertThat(SqlText.endsStatement("SELECT `a;b`\nFROM t;")).isTrue();
    }
}
