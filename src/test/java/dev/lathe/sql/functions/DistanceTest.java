package dev.lathe.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** ML.DISTANCE and ML.LP_NORM, the scalar helpers of spec section 3, on dense arrays. */
class DistanceTest {
    private static final String PAIRS = FunctionFixture.rows("[[1.0, 2.0], [0.0, 3.0], NULL]");
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
    void distancesBetweenEachRowAndAFixedPoint() throws SQLException {
        assertThat(duckdb.live("DISTANCE", List.of("f", "[4.0, 6.0]"), PAIRS)).containsExactly(5.0, Math.sqrt(25), null);
        assertThat(duckdb.live("DISTANCE", List.of("f", "[4.0, 6.0]", "'MANHATTAN'"), PAIRS)).containsExactly(7.0, 7.0, null);
        List<Object> cosine = duckdb.live("DISTANCE", List.of("f", "[2.0, 4.0]", "'cosine'"), PAIRS);
        assertThat((Double) cosine.get(0)).isCloseTo(0.0, within(1e-12)); // same direction
        assertThat((Double) cosine.get(1)).isCloseTo(1 - 12 / (3 * Math.sqrt(20)), within(1e-12));
        assertThat(cosine.get(2)).isNull();
        // probe rg: DuckDB's similarity is -1 where the norms' product is 0 or not finite, a distance of 2 ("opposite")
        String edges = FunctionFixture.rows("[[0.0, 0.0], [1e155, 2e155], [1e-200, 1e-200], [-1.0, -2.0]]");
        List<Object> scaled = duckdb.live("DISTANCE", List.of("f", "f", "'COSINE'"), edges);
        assertThat((Double) scaled.get(0)).isNaN(); // a zero vector has no direction
        assertThat((Double) scaled.get(1)).isCloseTo(0.0, within(1e-12));
        assertThat((Double) scaled.get(2)).isCloseTo(0.0, within(1e-12));
        assertThat((Double) duckdb.live("DISTANCE", List.of("f", "[1.0, 2.0]", "'COSINE'"), edges).get(3)).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void arraysOfDifferentLengthsAndUnknownTypesFail() {
        assertThatThrownBy(() -> duckdb.live("DISTANCE", List.of("f", "[1.0]", "'MANHATTAN'"), PAIRS))
                .hasMessageContaining("ML.DISTANCE needs two arrays of one length, got 2 and 1");
        for (String type : List.of("'COSINE'", "'EUCLIDEAN'")) { // in ML.DISTANCE's words, not list_distance's (probe rg)
            assertThatThrownBy(() -> duckdb.live("DISTANCE", List.of("f", "[1.0]", type), PAIRS))
                    .hasMessageContaining("ML.DISTANCE needs two arrays of one length, got 2 and 1");
            assertThatThrownBy(() -> duckdb.live("DISTANCE", List.of("f", "[1.0, NULL]", type), PAIRS))
                    .hasMessageContaining("ML.DISTANCE needs arrays without NULL elements");
        }
        assertThatThrownBy(() -> duckdb.live("DISTANCE", List.of("f", "[1.0]", "'CHEBYSHEV'"), PAIRS))
                .hasMessageContaining("one of 'EUCLIDEAN', 'MANHATTAN', 'COSINE'");
    }

    @Test
    void lpNormsForFiniteZeroAndInfiniteP() throws SQLException {
        String vectors = FunctionFixture.rows("[[3.0, -4.0, 0.0], NULL]");
        assertThat(duckdb.live("LP_NORM", List.of("f", "2"), vectors)).containsExactly(5.0, null);
        assertThat(duckdb.live("LP_NORM", List.of("f", "1"), vectors)).containsExactly(7.0, null);
        assertThat(duckdb.live("LP_NORM", List.of("f", "0"), vectors).get(0)).isEqualTo(2.0);
        assertThat(duckdb.live("LP_NORM", List.of("f", "CAST('inf' AS FLOAT64)"), vectors).get(0)).isEqualTo(4.0);
        assertThatThrownBy(() -> duckdb.live("LP_NORM", List.of("f", "-1"), vectors)).hasMessageContaining("must be 0 or greater");
    }
}
