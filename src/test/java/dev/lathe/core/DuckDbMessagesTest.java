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

    /** Probe pv: the advice to INSTALL spatial cannot work without the network. */
    @Test
    void aSpatialFunctionIsAnsweredWithWhatTheWarehouseHas() {
        String message = "Catalog Error: Scalar Function with name \"st_intersects\" is not in the catalog, but it exists in the spatial"
                + " extension.\n\nPlease try installing and loading the spatial extension:\nINSTALL spatial;\nLOAD spatial;";
        assertThat(DuckDbMessages.brief(message)).isEqualTo("Catalog Error: Scalar Function with name \"st_intersects\" is not in the catalog;"
                + " the warehouse does not download DuckDB extensions (this function is in DuckDB's spatial extension). Of BigQuery's GEOGRAPHY functions it has ST_GEOGPOINT and ST_DISTANCE (points)");
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
