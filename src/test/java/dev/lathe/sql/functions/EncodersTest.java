package dev.lathe.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.LatheException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EncodersTest {
    private static final String LETTERS = FunctionFixture.rows("[NULL, 'a', 'b', 'b', 'c', 'c', 'c', 'd', 'd']");
    private static final String PEOPLE = FunctionFixture.rows("['Male', 'Female', 'Female']");
    private FunctionFixture duckdb;

    @BeforeEach
    void open() throws SQLException {
        duckdb = new FunctionFixture();
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
    }

    @Test
    void labelEncoderMatchesDocumentedExampleLiveAndFrozen() throws SQLException {
        List<String> arguments = List.of("f", "2", "2");
        List<Object> expected = List.of(0L, 0L, 1L, 1L, 2L, 2L, 2L, 0L, 0L);
        assertThat(duckdb.live("LABEL_ENCODER", arguments, LETTERS)).isEqualTo(expected);
        assertThat(duckdb.frozen("LABEL_ENCODER", arguments, LETTERS, LETTERS)).isEqualTo(expected);
        assertThat(duckdb.frozen("LABEL_ENCODER", arguments, LETTERS, FunctionFixture.rows("['e', 'c']"))).containsExactly(0L, 2L);
        assertThat(duckdb.fit("LABEL_ENCODER", arguments, LETTERS).statistics()).containsEntry("vocabulary", List.of("b", "c"));
    }

    @Test
    void oneHotEncoderMatchesBigframesExampleAndMapsUnseenToZero() throws SQLException {
        List<String> arguments = List.of("f", "'none'", "32000", "1");
        assertThat(duckdb.live("ONE_HOT_ENCODER", arguments, PEOPLE)).containsExactly(
                "[{\"index\":2,\"value\":1.0}]", "[{\"index\":1,\"value\":1.0}]", "[{\"index\":1,\"value\":1.0}]");
        assertThat(duckdb.frozen("ONE_HOT_ENCODER", arguments, PEOPLE, FunctionFixture.rows("['Female', 'Male', 'Unknown', NULL]")))
                .containsExactly("[{\"index\":1,\"value\":1.0}]", "[{\"index\":2,\"value\":1.0}]",
                        "[{\"index\":0,\"value\":1.0}]", "[{\"index\":0,\"value\":1.0}]");
    }

    @Test
    void oneHotEncoderDefaultThresholdOfFiveDropsRareCategories() throws SQLException {
        assertThat(duckdb.live("ONE_HOT_ENCODER", List.of("f"), PEOPLE)).containsOnly("[{\"index\":0,\"value\":1.0}]");
    }

    @Test
    void oneHotEncoderDropMostFrequentGivesThatCategoryValueZero() throws SQLException {
        List<String> arguments = List.of("f", "'most_frequent'", "32000", "1");
        List<Object> expected = List.of("[{\"index\":2,\"value\":1.0}]", "[{\"index\":1,\"value\":0.0}]", "[{\"index\":1,\"value\":0.0}]");
        assertThat(duckdb.live("ONE_HOT_ENCODER", arguments, PEOPLE)).isEqualTo(expected);
        assertThat(duckdb.frozen("ONE_HOT_ENCODER", arguments, PEOPLE, PEOPLE)).isEqualTo(expected);
    }

    @Test
    void oneHotEncoderQuotesCategoriesWhenFrozen() throws SQLException {
        String data = FunctionFixture.rows("['it''s', 'it''s', 'plain']");
        assertThat(duckdb.frozen("ONE_HOT_ENCODER", List.of("f", "'none'", "10", "1"), data, data))
                .containsExactly("[{\"index\":1,\"value\":1.0}]", "[{\"index\":1,\"value\":1.0}]", "[{\"index\":2,\"value\":1.0}]");
    }

    @Test
    void frozenDictionaryLooksUpExactlyTheTermsLiveDoes() throws SQLException {
        // Empty, padded, cased, quoted, non-ASCII and control-character terms: the fitted ENUM matches byte for byte.
        String data = FunctionFixture.rows("['', ' a', 'a', 'A', 'a ', 'it''s', 'é', 'tab' || chr(9), NULL]");
        List<String> arguments = List.of("f", "100", "1");
        List<Object> live = duckdb.live("LABEL_ENCODER", arguments, data);
        assertThat(live).containsExactly(1L, 2L, 4L, 3L, 5L, 6L, 8L, 7L, 0L); // byte order: "", " a", "A", "a", "a ", ...; NULL is 0
        assertThat(duckdb.frozen("LABEL_ENCODER", arguments, data, data)).isEqualTo(live);
        assertThat(duckdb.fit("LABEL_ENCODER", arguments, data).sql()).contains("TRY_CAST").doesNotContain("list_position");
        assertThat(duckdb.frozen("LABEL_ENCODER", arguments, data, FunctionFixture.rows("['b', 'a  ', 'Ab']"))).containsExactly(0L, 0L, 0L);
    }

    @Test
    void anEmptyFrozenDictionaryMapsEverythingToZero() throws SQLException {
        List<String> arguments = List.of("f", "10", "100");
        assertThat(duckdb.fit("LABEL_ENCODER", arguments, LETTERS).statistics()).containsEntry("vocabulary", List.of());
        assertThat(duckdb.frozen("LABEL_ENCODER", arguments, LETTERS, LETTERS)).containsOnly(0L);
        assertThat(duckdb.frozen("MULTI_HOT_ENCODER", arguments, FunctionFixture.rows("[['a', NULL]]"), FunctionFixture.rows("[['a', NULL]]")))
                .containsExactly("[{\"index\":0,\"value\":1.0}]");
    }

    @Test
    void multiHotEncoderMatchesDocumentedExampleLiveAndFrozen() throws SQLException {
        String documents = FunctionFixture.rows("[['a', 'b', 'b', 'c', NULL], ['c', 'c', 'd', 'd', NULL]]");
        List<String> arguments = List.of("f", "3", "1");
        List<Object> expected = List.of(
                "[{\"index\":1,\"value\":1.0},{\"index\":2,\"value\":1.0},{\"index\":3,\"value\":1.0},{\"index\":0,\"value\":1.0}]",
                "[{\"index\":3,\"value\":1.0},{\"index\":0,\"value\":1.0}]");
        assertThat(duckdb.live("MULTI_HOT_ENCODER", arguments, documents)).isEqualTo(expected);
        assertThat(duckdb.frozen("MULTI_HOT_ENCODER", arguments, documents, documents)).isEqualTo(expected);
    }

    @Test
    void encodersRejectTopKOfOneMillion() {
        assertThatThrownBy(() -> duckdb.live("LABEL_ENCODER", List.of("f", "1000000"), LETTERS))
                .isInstanceOf(LatheException.class).hasMessageContaining("ML.LABEL_ENCODER").hasMessageContaining("top_k")
                .hasMessageContaining("999999");
        assertThatThrownBy(() -> duckdb.live("ONE_HOT_ENCODER", List.of("f", "'first'"), LETTERS))
                .isInstanceOf(LatheException.class).hasMessageContaining("drop").hasMessageContaining("'most_frequent'");
    }
}
