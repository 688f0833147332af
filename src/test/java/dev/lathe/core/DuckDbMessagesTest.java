package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DuckDbMessagesTest {
    @Test
    void briefLeavesOutTheDriversWrapperAndTheExcerptOfLathesSql() {
        String message = """
                Invalid Input Error: Attempting to execute an unsuccessful or closed pending query result
                Error: Binder Error: Referenced column "nope" not found in FROM clause!
                Candidate bindings: "species"

                LINE 1: SELECT avg(CAST((nope) AS DOUBLE)) FROM (SELECT * FROM "__lathe_training_input_1")
                                        ^""";
        assertThat(DuckDbMessages.brief(message))
                .isEqualTo("Binder Error: Referenced column \"nope\" not found in FROM clause! Candidate bindings: \"species\"");
        assertThat(DuckDbMessages.brief("Parser Error: syntax error at end of input")).isEqualTo("Parser Error: syntax error at end of input");
        assertThat(DuckDbMessages.brief(null)).isEmpty();
    }

    @Test
    void aMessageQuotingAHugeExpressionKeepsItsStartAndReason() {
        String expression = "list_position(CAST([" + "'term', ".repeat(5_000) + "'last'] AS VARCHAR[]), token)";
        String message = "Binder Error: Cannot extract field '" + expression + "' because it is not a struct, union, map, or json";
        String shown = DuckDbMessages.brief(message);
        assertThat(shown).hasSizeLessThan(DuckDbMessages.LONGEST + 60).startsWith("Binder Error: Cannot extract field 'list_position(")
                .contains("characters left out").endsWith("because it is not a struct, union, map, or json");
        assertThat(DuckDbMessages.abbreviated("short")).isEqualTo("short");
    }
}
