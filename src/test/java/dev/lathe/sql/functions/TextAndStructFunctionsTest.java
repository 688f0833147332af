package dev.lathe.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TextAndStructFunctionsTest {
    private static final String DOCUMENTS = FunctionFixture.rows("[['a', 'b', 'b', 'c'], ['a', 'c'], ['d']]");
    private FunctionFixture duckdb;

    @BeforeEach
    void open() throws SQLException {
        duckdb = new FunctionFixture();
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
    }

    private Object scalar(String function, String... arguments) throws SQLException {
        return duckdb.scalar(PreprocessingFunctions.find(function).orElseThrow().renderWindow(List.of(arguments), ""));
    }

    @Test
    void featureCrossMatchesDocumentedExample() throws SQLException {
        assertThat(scalar("FEATURE_CROSS", "STRUCT('a' AS f1, 'b' AS f2, 'c' AS f3)"))
                .isEqualTo("{\"f1_f2\":\"a_b\",\"f1_f3\":\"a_c\",\"f2_f3\":\"b_c\"}");
    }

    @Test
    void featureCrossOfDegreeThreeAddsTripleCrosses() throws SQLException {
        assertThat(scalar("FEATURE_CROSS", "STRUCT('a' AS f1, 'b' AS f2, 'c' AS f3)", "3"))
                .isEqualTo("{\"f1_f2\":\"a_b\",\"f1_f2_f3\":\"a_b_c\",\"f1_f3\":\"a_c\",\"f2_f3\":\"b_c\"}");
    }

    @Test
    void featureCrossRejectsDegreeFive() {
        assertThatThrownBy(() -> scalar("FEATURE_CROSS", "STRUCT('a' AS f1, 'b' AS f2)", "5"))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("degree").hasMessageContaining("from 2 to 4");
        // one field crosses nothing, and two of one name would make one name twice (probe rg: "Can't pack nothing into a struct")
        for (String fields : List.of("STRUCT('a' AS f1)", "STRUCT('a' AS f1, 'b' AS F1)")) {
            assertThatThrownBy(() -> scalar("FEATURE_CROSS", fields)).as(fields)
                    .hasMessageContaining("Argument 'struct_categorical_features' of ML.FEATURE_CROSS must have 2 to 10 fields of distinct names");
        }
    }

    @Test
    void polynomialExpandMatchesDocumentedExample() throws SQLException {
        assertThat(scalar("POLYNOMIAL_EXPAND", "STRUCT(2 AS f1, 3 AS f2)"))
                .isEqualTo("{\"f1\":2.0,\"f1_f1\":4.0,\"f1_f2\":6.0,\"f2\":3.0,\"f2_f2\":9.0}");
        assertThat(scalar("POLYNOMIAL_EXPAND", "struct_pack(f1 := 2, f2 := 3)", "1")).isEqualTo("{\"f1\":2.0,\"f2\":3.0}");
    }

    @Test
    void ngramsMatchesDocumentedExample() throws SQLException {
        assertThat(scalar("NGRAMS", "['a', 'b', 'c']", "[2, 3]", "'#'")).isEqualTo("[\"a#b\",\"a#b#c\",\"b#c\"]");
        assertThat(scalar("NGRAMS", "['a', 'b', 'c']", "2")).isEqualTo("[\"a b\",\"b c\"]");
        // an n-gram over a NULL token is left out, not shortened into one of other tokens (probe rg)
        assertThat(scalar("NGRAMS", "['a', NULL, 'c', 'd']", "[1, 2]")).isEqualTo("[\"a\",\"c\",\"c d\",\"d\"]");
    }

    @Test
    void bagOfWordsRanksTermsByDocumentFrequencyAndPoolsUnknownTerms() throws SQLException {
        // Document frequencies: a 2, c 2, b 1, d 1; top_k 2 keeps a (1) and c (2); b and d are unknown (0).
        List<Object> expected = List.of(
                "[{\"index\":0,\"value\":2.0},{\"index\":1,\"value\":1.0},{\"index\":2,\"value\":1.0}]",
                "[{\"index\":1,\"value\":1.0},{\"index\":2,\"value\":1.0}]",
                "[{\"index\":0,\"value\":1.0}]");
        assertThat(duckdb.live("BAG_OF_WORDS", List.of("f", "2", "1"), DOCUMENTS)).isEqualTo(expected);
        assertThat(duckdb.frozen("BAG_OF_WORDS", List.of("f", "2", "1"), DOCUMENTS, DOCUMENTS)).isEqualTo(expected);
    }

    @Test
    void tfIdfFollowsTheDocumentedFormulaWhenFrozen() throws Exception {
        List<Object> rows = duckdb.frozen("TF_IDF", List.of("f", "2", "1"), DOCUMENTS, DOCUMENTS);
        double documents = 3;
        double idfA = Math.log(1 + documents / (1 + 2));
        double idfC = Math.log(1 + documents / (1 + 2));
        double idfUnknown = Math.log(1 + documents / (1 + 2)); // b is unknown in document 1, d in document 3
        JsonNode first = new ObjectMapper().readTree((String) rows.get(0));
        assertThat(first).hasSize(3);
        assertThat(first.get(0).get("index").asLong()).isZero();
        assertThat(first.get(0).get("value").asDouble()).isCloseTo(2.0 / 4 * idfUnknown, within(1e-15));
        assertThat(first.get(1).get("value").asDouble()).isCloseTo(1.0 / 4 * idfA, within(1e-15));
        assertThat(first.get(2).get("value").asDouble()).isCloseTo(1.0 / 4 * idfC, within(1e-15));
        JsonNode unseen = new ObjectMapper().readTree((String) duckdb.frozen("TF_IDF", List.of("f", "2", "1"), DOCUMENTS,
                FunctionFixture.rows("[['z', 'a']]")).get(0));
        assertThat(unseen.get(0).get("value").asDouble()).isCloseTo(0.5 * idfUnknown, within(1e-15));
        assertThat(unseen.get(1).get("value").asDouble()).isCloseTo(0.5 * idfA, within(1e-15));
    }

    @Test
    void tfIdfOutsideTransformIsRejectedAsUnsupported() {
        assertThatThrownBy(() -> duckdb.live("TF_IDF", List.of("f"), DOCUMENTS))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNSUPPORTED))
                .hasMessageContaining("TRANSFORM");
    }
}
