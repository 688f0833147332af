package dev.lathe.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.Batch;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.testing.CsvBatches;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The BigQuery ML linear-regression tutorial's features (penguins, label body_mass_g). Expected figures are computed
 * here from the raw CSV text with a separate, naive reading, not from the pipeline's own code paths.
 */
class PenguinsFeaturesTest {
    private static final List<String> FEATURES = List.of("species", "island", "bill_length_mm", "bill_depth_mm",
            "flipper_length_mm", "sex");

    @Test
    void oneHotMatrixHasOneColumnPerCategoryPlusNullAndOnePerNumber() throws IOException {
        List<String[]> rows = rawRows();
        Batch features = CsvBatches.resource("datasets/penguins.csv").select(FEATURES);

        DenseMatrix matrix = FeaturePipeline.fit(features, EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING),
                Optional.empty()).transform(features);

        int expectedColumns = 0;
        for (String feature : FEATURES) {
            List<String> values = values(rows, feature);
            boolean numeric = values.stream().filter(v -> !v.isEmpty()).allMatch(v -> v.matches("-?[0-9.]+"));
            expectedColumns += numeric ? 1 : distinctNonEmpty(values) + 1;
        }
        assertThat(matrix.rows()).isEqualTo(344);
        assertThat(matrix.cols()).isEqualTo(expectedColumns);
        // Every one-hot group sums to exactly 1 per row: each row is one training value or NULL.
        for (String group : List.of("species", "island", "sex")) {
            for (int row = 0; row < matrix.rows(); row++) {
                double sum = 0;
                for (int column = 0; column < matrix.cols(); column++) {
                    String name = matrix.columnNames().get(column);
                    if (name.equals(group) || name.startsWith(group + "_")) {
                        sum += matrix.get(row, column);
                    }
                }
                assertThat(sum).as("%s in row %d", group, row).isEqualTo(1.0);
            }
        }
        // Standardized numbers have mean 0 and sample standard deviation 1 over non-NULL rows.
        int bill = matrix.columnNames().indexOf("bill_length_mm");
        double[] standardized = FeaturePipelineTest.column(matrix, bill);
        assertThat(Arrays.stream(standardized).average().orElseThrow()).isCloseTo(0.0, within(1e-12));
    }

    @Test
    void featureInfoMatchesAnIndependentComputationOverTheCsv() throws IOException {
        List<String[]> rows = rawRows();
        Batch features = CsvBatches.resource("datasets/penguins.csv").select(FEATURES);

        List<FeatureInfo> info = FeaturePipeline.fit(features, EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING),
                Optional.empty()).featureInfo();

        assertThat(info).extracting(FeatureInfo::input).containsExactlyElementsOf(FEATURES);
        for (FeatureInfo row : info) {
            List<String> values = values(rows, row.input());
            long nulls = values.stream().filter(String::isEmpty).count();
            assertThat(row.nullCount()).as(row.input()).isEqualTo(nulls);
            if (List.of("species", "island", "sex").contains(row.input())) {
                assertThat(row.categoryCount()).as(row.input()).contains((long) distinctNonEmpty(values));
                assertThat(row.mean()).isEmpty();
                assertThat(row.stddev()).isEmpty();
                continue;
            }
            double[] present = values.stream().filter(v -> !v.isEmpty()).mapToDouble(Double::parseDouble).sorted().toArray();
            double mean = Arrays.stream(present).sum() / present.length;
            double squares = Arrays.stream(present).map(v -> (v - mean) * (v - mean)).sum();
            assertThat(row.categoryCount()).isEmpty();
            assertThat(row.min()).contains(present[0]);
            assertThat(row.max()).contains(present[present.length - 1]);
            assertThat(row.mean().orElseThrow()).isCloseTo(mean, within(1e-9));
            assertThat(row.stddev().orElseThrow()).isCloseTo(Math.sqrt(squares / (present.length - 1)), within(1e-9));
            assertThat(row.median()).contains(present[(present.length - 1) / 2]);
        }
        // Published palmerpenguins summary figures (R: mean and sd with na.rm = TRUE).
        FeatureInfo bill = info.get(2);
        assertThat(bill.mean().orElseThrow()).isCloseTo(43.92193, within(1e-5));
        assertThat(bill.stddev().orElseThrow()).isCloseTo(5.459584, within(1e-6));
        assertThat(info.get(5).nullCount()).isEqualTo(11);
    }

    private static List<String[]> rawRows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                PenguinsFeaturesTest.class.getClassLoader().getResourceAsStream("datasets/penguins.csv"),
                StandardCharsets.UTF_8))) {
            // The file has no embedded commas or quotes inside values, so a plain split is enough here.
            reader.lines().forEach(line -> rows.add(line.replace("\"", "").split(",", -1)));
        }
        return rows;
    }

    private static List<String> values(List<String[]> rows, String column) {
        int index = Arrays.asList(rows.getFirst()).indexOf(column);
        return rows.subList(1, rows.size()).stream().map(row -> row[index]).toList();
    }

    private static int distinctNonEmpty(List<String> values) {
        return values.stream().filter(v -> !v.isEmpty()).collect(Collectors.toMap(Function.identity(), v -> 1, (a, b) -> a))
                .size();
    }
}
