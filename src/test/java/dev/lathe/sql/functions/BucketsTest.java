package dev.lathe.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class BucketsTest {
    private static final String ONE_TO_FIVE = FunctionFixture.rows("[1, 2, 3, 4, 5]");
    private FunctionFixture duckdb;

    @BeforeEach
    void open() throws SQLException {
        duckdb = new FunctionFixture();
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
    }

    private Object bucketize(String... arguments) throws SQLException {
        return duckdb.scalar(PreprocessingFunctions.find("BUCKETIZE").orElseThrow().renderWindow(List.of(arguments), ""));
    }

    @Test
    void bucketizeMatchesDocumentedExampleWithAndWithoutBoundaries() throws SQLException {
        assertThat(bucketize("2.5", "[1, 2, 3]")).isEqualTo("bin_3");
        assertThat(bucketize("2.5", "[1, 2, 3]", "TRUE")).isEqualTo("bin_2");
    }

    @Test
    void bucketizePutsSplitPointsInTheUpperBucketAndKeepsNull() throws SQLException {
        assertThat(bucketize("0", "[1, 2, 3]")).isEqualTo("bin_1");
        assertThat(bucketize("1", "[1, 2, 3]")).isEqualTo("bin_2");
        assertThat(bucketize("3", "[1, 2, 3]")).isEqualTo("bin_4");
        assertThat(bucketize("NULL", "[1, 2, 3]")).isNull();
    }

    @Test
    void bucketizeWritesRangesInIntervalNotation() throws SQLException {
        assertThat(bucketize("2.5", "[1, 2.5, 4.6]", "FALSE", "'bucket_ranges'")).isEqualTo("[2.5, 4.6)");
        assertThat(bucketize("0", "[1, 2.5, 4.6]", "FALSE", "'bucket_ranges'")).isEqualTo("(-inf, 1)");
        assertThat(bucketize("9", "[1, 2.5, 4.6]", "FALSE", "'bucket_ranges_json'")).isEqualTo("{\"start\": \"4.6\", \"end\": \"Infinity\"}");
    }

    @Test
    void bucketizeRejectsUnorderedOrInfiniteSplitPoints() {
        assertThatThrownBy(() -> bucketize("1", "[3, 1]"))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("ML.BUCKETIZE").hasMessageContaining("array_split_points").hasMessageContaining("ascending");
        assertThatThrownBy(() -> bucketize("1", "[1, CAST('inf' AS DOUBLE)]"))
                .isInstanceOf(LatheException.class).hasMessageContaining("finite");
        assertThatThrownBy(() -> bucketize("1", "split_column"))
                .isInstanceOf(LatheException.class).hasMessageContaining("array literal");
    }

    @Test
    void quantileBucketizeMatchesDocumentedExampleLiveAndFrozen() throws SQLException {
        List<Object> expected = List.of("bin_1", "bin_2", "bin_2", "bin_3", "bin_3");
        assertThat(duckdb.live("QUANTILE_BUCKETIZE", List.of("f", "3"), ONE_TO_FIVE)).isEqualTo(expected);
        assertThat(duckdb.frozen("QUANTILE_BUCKETIZE", List.of("f", "3"), ONE_TO_FIVE, ONE_TO_FIVE)).isEqualTo(expected);
    }

    @Test
    void quantileBucketizeRangesFollowTheBoundaries() throws SQLException {
        assertThat(duckdb.live("QUANTILE_BUCKETIZE", List.of("f", "3", "'bucket_ranges'"), ONE_TO_FIVE))
                .containsExactly("(-inf, 2)", "[2, 4)", "[2, 4)", "[4, +inf)", "[4, +inf)");
        assertThat(duckdb.live("QUANTILE_BUCKETIZE", List.of("f", "3", "'bucket_ranges_json'"), ONE_TO_FIVE).get(0))
                .isEqualTo("{\"start\": \"-Infinity\", \"end\": \"2\"}");
    }

    @Test
    void frozenQuantileBucketizeAppliesTrainingBoundariesToNewRows() throws SQLException {
        PreprocessingFunction.Fitted fitted = duckdb.fit("QUANTILE_BUCKETIZE", List.of("f", "3"), ONE_TO_FIVE);
        assertThat(fitted.statistics()).containsEntry("boundaries", List.of(2.0, 4.0));
        assertThat(duckdb.column(fitted.sql(), FunctionFixture.rows("[-100, 100, NULL, 3.9]")))
                .containsExactly("bin_1", "bin_3", null, "bin_2");
    }

    @Test
    void quantileBucketizeRequiresALiteralBucketCount() {
        assertThatThrownBy(() -> duckdb.live("QUANTILE_BUCKETIZE", List.of("f", "n"), ONE_TO_FIVE))
                .isInstanceOf(LatheException.class).hasMessageContaining("num_buckets").hasMessageContaining("INT64 literal");
    }

    @Test
    void hashBucketizeGivesBigQuerysBucketsAndKeepsNull() throws SQLException {
        // The spec's example: 'a', 'b', 'c', 'd' with hash_bucket_size 3 give 0, 1, 1, 2 (FARM_FINGERPRINT, unsigned mod).
        String data = FunctionFixture.rows("['a', 'b', 'c', 'd', NULL, 'a']");
        List<Object> buckets = duckdb.live("HASH_BUCKETIZE", List.of("f", "3"), data);
        assertThat(buckets).containsExactly(0L, 1L, 1L, 2L, null, 0L);
        assertThat(duckdb.frozen("HASH_BUCKETIZE", List.of("f", "3"), data, data)).isEqualTo(buckets);
    }

    @Test
    void hashBucketizeWithSizeZeroReturnsTheSignedFarmFingerprint() throws SQLException {
        List<Object> raw = duckdb.live("HASH_BUCKETIZE", List.of("f", "0"), FunctionFixture.rows("['a', 'b', 'c', 'd', NULL]"));
        // FARM_FINGERPRINT('a') and ('d') as BigQuery returns them (signed INT64).
        assertThat(raw.get(0)).isEqualTo(-5528939962900187677L);
        assertThat(raw.get(3)).isEqualTo(4470636696479570465L);
        assertThat(raw.get(4)).isNull();
        assertThat(duckdb.scalar("CAST(FARM_FINGERPRINT('a') AS VARCHAR)")).isEqualTo("-5528939962900187677");
    }

    @Test
    void hashBucketizeRejectsANegativeSize() {
        assertThatThrownBy(() -> duckdb.live("HASH_BUCKETIZE", List.of("f", "-1"), ONE_TO_FIVE))
                .isInstanceOf(LatheException.class).hasMessageContaining("hash_bucket_size");
    }

    @Test
    void normalizerScalesToUnitNorm() throws SQLException {
        PreprocessingFunction normalizer = PreprocessingFunctions.find("NORMALIZER").orElseThrow();
        assertThat(duckdb.scalar(normalizer.renderWindow(List.of("[3, 4]"), ""))).isEqualTo("[0.6,0.8]");
        assertThat(duckdb.scalar(normalizer.renderWindow(List.of("[1, 3]", "1"), ""))).isEqualTo("[0.25,0.75]");
        assertThat(duckdb.scalar(normalizer.renderWindow(List.of("[1, -4]", "CAST('inf' AS DOUBLE)"), ""))).isEqualTo("[0.25,-1.0]");
        assertThat(duckdb.scalar(normalizer.renderWindow(List.of("[0, 0]"), ""))).isEqualTo("[0.0,0.0]");
        // p = 0, as BigQuery takes it: the count of non-zero values (probe rg: refused)
        assertThat(duckdb.scalar(normalizer.renderWindow(List.of("[4.0, 1.0, 2.0, 2.0, 0.0]", "0.0"), ""))).isEqualTo("[1.0,0.25,0.5,0.5,0.0]");
        assertThatThrownBy(() -> normalizer.renderWindow(List.of("[1, 2]", "0.5"), "")).hasMessageContaining("must be 0 or at least 1");
        assertThat(normalizer.analytic()).isFalse();
    }
}
