package dev.lathe.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ScalersTest {
    private FunctionFixture duckdb;

    @BeforeEach
    void open() throws SQLException {
        duckdb = new FunctionFixture();
    }

    @AfterEach
    void close() throws SQLException {
        duckdb.close();
    }

    private static final String ONE_TO_FIVE = FunctionFixture.rows("[1, 2, 3, 4, 5]");
    private static final String WITH_NULL = FunctionFixture.rows("[NULL, -3, 1, 2, 3, 4, 5]");

    @Test
    void standardScalerMatchesDocumentedExampleLiveAndFrozen() throws SQLException {
        List<Double> expected = List.of(-1.2649110640673518, -0.6324555320336759, 0.0, 0.6324555320336759, 1.2649110640673518);
        assertDoubles(duckdb.live("STANDARD_SCALER", List.of("f"), ONE_TO_FIVE), expected, 1e-15);
        assertDoubles(duckdb.frozen("STANDARD_SCALER", List.of("f"), ONE_TO_FIVE, ONE_TO_FIVE), expected, 1e-15);
    }

    @Test
    void frozenStandardScalerKeepsTrainingStatisticsForNewRows() throws SQLException {
        PreprocessingFunction.Fitted fitted = duckdb.fit("STANDARD_SCALER", List.of("f"), ONE_TO_FIVE);
        assertThat(fitted.statistics()).containsEntry("mean", 3.0);
        double sampleStddev = Math.sqrt((4 + 1 + 0 + 1 + 4) / 4.0);
        assertThat((Double) fitted.statistics().get("stddev")).isEqualTo(sampleStddev);
        assertDoubles(duckdb.column(fitted.sql(), FunctionFixture.rows("[10, NULL]")), Arrays.asList((10 - 3) / sampleStddev, null), 1e-15);
    }

    @Test
    void standardScalerPassesTheOverClauseThrough() {
        String sql = PreprocessingFunctions.find("STANDARD_SCALER").orElseThrow().renderWindow(List.of("x"), "(PARTITION BY g)");
        assertThat(sql).contains("avg(CAST((x) AS DOUBLE)) OVER (PARTITION BY g)").contains("stddev_samp(CASE WHEN isfinite(CAST((x) AS DOUBLE)) THEN CAST((x) AS DOUBLE) END) OVER (PARTITION BY g)");
    }

    /** Probe rg: a NaN or an infinite value failed with DuckDB's "STDDEV_SAMP is out of range!"; BigQuery's is NaN. */
    @Test
    void standardScalerOfANonFiniteColumnIsNaN() throws SQLException {
        for (String bad : List.of("CAST('NaN' AS DOUBLE)", "CAST('inf' AS DOUBLE)")) {
            assertThat(duckdb.live("STANDARD_SCALER", List.of("f"), FunctionFixture.rows("[1.0, " + bad + ", 4.0]")))
                    .as(bad).allSatisfy(v -> assertThat((Double) v).isNaN());
        }
    }

    @Test
    void minMaxScalerMatchesDocumentedExampleAndClipsNewValuesWhenFrozen() throws SQLException {
        List<Double> expected = List.of(0.0, 0.25, 0.5, 0.75, 1.0);
        assertDoubles(duckdb.live("MIN_MAX_SCALER", List.of("f"), ONE_TO_FIVE), expected, 1e-15);
        assertDoubles(duckdb.frozen("MIN_MAX_SCALER", List.of("f"), ONE_TO_FIVE, ONE_TO_FIVE), expected, 1e-15);
        assertDoubles(duckdb.frozen("MIN_MAX_SCALER", List.of("f"), ONE_TO_FIVE, FunctionFixture.rows("[7, -1, 2, NULL]")),
                Arrays.asList(1.0, 0.0, 0.25, null), 1e-15);
        // NaN stays NaN (probe rg: one NaN made every row 1.0, and a NaN input was clipped to 1.0)
        String withNaN = FunctionFixture.rows("[1.0, CAST('NaN' AS DOUBLE), 4.0]");
        assertThat(duckdb.live("MIN_MAX_SCALER", List.of("f"), withNaN)).allSatisfy(v -> assertThat((Double) v).isNaN());
        assertThat((Double) duckdb.frozen("MIN_MAX_SCALER", List.of("f"), ONE_TO_FIVE, FunctionFixture.rows("[CAST('NaN' AS DOUBLE)]"))
                .get(0)).isNaN();
    }

    @Test
    void maxAbsScalerMatchesDocumentedExample() throws SQLException {
        List<Double> expected = Arrays.asList(null, -0.6, 0.2, 0.4, 0.6, 0.8, 1.0);
        assertDoubles(duckdb.live("MAX_ABS_SCALER", List.of("f"), WITH_NULL), expected, 1e-15);
        assertDoubles(duckdb.frozen("MAX_ABS_SCALER", List.of("f"), WITH_NULL, WITH_NULL), expected, 1e-15);
        assertDoubles(duckdb.frozen("MAX_ABS_SCALER", List.of("f"), WITH_NULL, FunctionFixture.rows("[10]")), List.of(2.0), 1e-15);
    }

    @Test
    void robustScalerMatchesDocumentedExample() throws SQLException {
        List<Double> expected = Arrays.asList(null, -1.6667, -0.3333, 0.0, 0.3333, 0.6667, 1.0);
        assertDoubles(duckdb.live("ROBUST_SCALER", List.of("f"), WITH_NULL), expected, 1e-4);
        assertDoubles(duckdb.frozen("ROBUST_SCALER", List.of("f", "[25, 75]", "TRUE", "TRUE"), WITH_NULL, WITH_NULL), expected, 1e-4);
    }

    @Test
    void robustScalerWithoutCenteringOnlyDividesByTheQuantileRange() throws SQLException {
        // Lower-value quartiles of [-3, 1, 2, 3, 4, 5] are 1 and 4, so the range is 3.
        assertDoubles(duckdb.live("ROBUST_SCALER", List.of("f", "[25, 75]", "FALSE"), WITH_NULL),
                Arrays.asList(null, -1.0, 1 / 3.0, 2 / 3.0, 1.0, 4 / 3.0, 5 / 3.0), 1e-12);
        assertDoubles(duckdb.live("ROBUST_SCALER", List.of("f", "[25, 75]", "TRUE", "FALSE"), WITH_NULL),
                Arrays.asList(null, -5.0, -1.0, 0.0, 1.0, 2.0, 3.0), 1e-12);
    }

    @Test
    void robustScalerRejectsAnInvertedQuantileRange() {
        assertThatThrownBy(() -> duckdb.live("ROBUST_SCALER", List.of("f", "[75, 25]"), WITH_NULL))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("ML.ROBUST_SCALER").hasMessageContaining("quantile_range").hasMessageContaining("0 < low < high < 100");
    }

    @Test
    void imputerReplacesNullWithTheMeanAsDocumented() throws SQLException {
        String data = FunctionFixture.rows("[NULL, -3, -3, -3, 1, 2, 3, 4, 5]");
        List<Double> expected = List.of(0.75, -3.0, -3.0, -3.0, 1.0, 2.0, 3.0, 4.0, 5.0);
        assertDoubles(duckdb.live("IMPUTER", List.of("f", "'mean'"), data), expected, 1e-15);
        assertDoubles(duckdb.frozen("IMPUTER", List.of("f", "'mean'"), data, data), expected, 1e-15);
    }

    @Test
    void imputerReplacesNullWithTheMostFrequentStringAsDocumented() throws SQLException {
        String data = FunctionFixture.rows("[NULL, NULL, NULL, NULL, 'a', 'a', 'b', 'b', 'c', 'c', 'c']");
        assertThat(duckdb.live("IMPUTER", List.of("f", "'most_frequent'"), data)).startsWith("c", "c", "c", "c", "a");
        assertThat(duckdb.frozen("IMPUTER", List.of("f", "'most_frequent'"), data, FunctionFixture.rows("[NULL, 'z']")))
                .containsExactly("c", "z");
    }

    @Test
    void imputerMedianIsTheLowerMiddleValue() throws SQLException {
        String data = FunctionFixture.rows("[NULL, 1, 2, 10, 20]");
        assertDoubles(duckdb.live("IMPUTER", List.of("f", "'median'"), data), List.of(2.0, 1.0, 2.0, 10.0, 20.0), 0);
    }

    @Test
    void imputerRejectsAnUnknownStrategy() {
        assertThatThrownBy(() -> duckdb.live("IMPUTER", List.of("f", "'mode'"), WITH_NULL))
                .isInstanceOf(LatheException.class).hasMessageContaining("strategy").hasMessageContaining("'most_frequent'");
    }

    static void assertDoubles(List<Object> actual, List<Double> expected, double tolerance) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            if (expected.get(i) == null) {
                assertThat(actual.get(i)).as("row %d", i + 1).isNull();
            } else {
                assertThat(((Number) actual.get(i)).doubleValue()).as("row %d", i + 1).isCloseTo(expected.get(i), within(tolerance));
            }
        }
    }
}
