package dev.lathe.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.Batch;
import dev.lathe.core.DataType;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.StringColumn;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {
    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    @Test
    void jensenShannonMatchesTheDefinitionOnAHandExample() {
        // m = (0.75, 0.25); JSD = (KL(p||m) + KL(q||m)) / 2 with base-2 logarithms.
        double klP = 0.5 * log2(0.5 / 0.75) + 0.5 * log2(0.5 / 0.25);
        double klQ = 1.0 * log2(1.0 / 0.75);
        assertThat(Distances.jensenShannon(new double[] {0.5, 0.5}, new double[] {1, 0})).isCloseTo((klP + klQ) / 2, within(1e-12));
        assertThat(Distances.jensenShannon(new double[] {0.2, 0.8}, new double[] {0.2, 0.8})).isZero();
        assertThat(Distances.jensenShannon(new double[] {1, 0}, new double[] {0, 1})).isEqualTo(1.0);
    }

    @Test
    void lInfinityIsTheLargestShareDifference() {
        assertThat(Distances.lInfinity(Map.of("a", 0.5, "b", 0.5), Map.of("a", 0.2, "b", 0.3, "c", 0.5))).isCloseTo(0.5, within(1e-12));
        assertThat(Distances.lInfinity(Map.of("a", 0.6, "b", 0.4), Map.of("a", 0.5, "b", 0.5))).isCloseTo(0.1, within(1e-12));
    }

    private static DataProfile numbers(double... values) {
        List<Field> fields = List.of(Field.of("x", DataType.FLOAT64));
        return new DataProfile.Builder(fields).add(new Batch(new Schema(fields), values.length, List.of(DoubleColumn.of(values)))).build();
    }

    private static DataProfile strings(String column, String... values) {
        List<Field> fields = List.of(Field.of(column, DataType.STRING));
        return new DataProfile.Builder(fields).add(new Batch(new Schema(fields), values.length, List.of(StringColumn.of(values)))).build();
    }

    private static Comparison.FeatureResult only(DataProfile base, DataProfile study) {
        List<Comparison.FeatureResult> results = Comparison.compare(base, "base", study, "study", List.of(),
                Comparison.Settings.defaults());
        assertThat(results).hasSize(1);
        return results.get(0);
    }

    @Test
    void numericDivergenceIsZeroForIdenticalDataAndOneForDisjointData() {
        double[] base = new double[100];
        double[] above = new double[100];
        double[] below = new double[100];
        for (int i = 0; i < 100; i++) {
            base[i] = i;
            above[i] = 1000 + i;
            below[i] = -1000 - i;
        }
        assertThat(only(numbers(base), numbers(base)).value().getAsDouble()).isZero();
        Comparison.FeatureResult disjoint = only(numbers(base), numbers(above));
        assertThat(disjoint.value().getAsDouble()).isEqualTo(1.0);
        assertThat(disjoint.isAnomaly()).contains(true);
        assertThat(disjoint.metric()).isEqualTo(Comparison.Metric.JENSEN_SHANNON_DIVERGENCE);
        assertThat(only(numbers(base), numbers(below)).value().getAsDouble()).isEqualTo(1.0);
    }

    @Test
    void numericDivergenceBinsOnTheBaselineQuantiles() {
        // Baseline 0..99 in 10 equal-mass bins; the study puts all its mass in the first bin [0, 10).
        double[] base = new double[100];
        double[] study = new double[10];
        for (int i = 0; i < 100; i++) {
            base[i] = i;
        }
        for (int i = 0; i < 10; i++) {
            study[i] = i;
        }
        double[] p = {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1};
        double[] q = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThat(only(numbers(base), numbers(study)).value().getAsDouble()).isCloseTo(Distances.jensenShannon(p, q), within(1e-12));
    }

    @Test
    void categoricalFeaturesUseLInfinityWithTheDefaultThreshold() {
        Comparison.FeatureResult result = only(strings("c", "a", "a", "b", "b"), strings("c", "a", "b", "c", "c"));
        assertThat(result.metric()).isEqualTo(Comparison.Metric.L_INFTY);
        assertThat(result.threshold()).isEqualTo(0.3);
        assertThat(result.value().getAsDouble()).isCloseTo(0.5, within(1e-12));
        assertThat(result.isAnomaly()).contains(true);
    }

    @Test
    void emptyStudyDataGivesNoValueAndSaysSo() {
        Comparison.FeatureResult result = only(numbers(1, 2, 3), numbers());
        assertThat(result.value()).isEmpty();
        assertThat(result.isAnomaly()).isEmpty();
        assertThat(result.status()).isEqualTo(Comparison.DataStatus.NO_STUDY_DATA);
    }

    @Test
    void aFeatureMissingFromTheStudyIsNamed() {
        assertThatThrownBy(() -> only(strings("c", "a"), strings("d", "a"))).isInstanceOf(LatheException.class)
                .hasMessageContaining("'c'").hasMessageContaining("study");
    }

    @Test
    void aTypeMismatchNamesBothTypes() {
        assertThatThrownBy(() -> only(strings("x", "a"), numbers(1))).isInstanceOf(LatheException.class)
                .hasMessageContaining("'x'").hasMessageContaining("STRING").hasMessageContaining("FLOAT64");
    }

    @Test
    void perFeatureThresholdsOverrideTheDefault() {
        Comparison.Settings settings = new Comparison.Settings(0.3, Comparison.Metric.L_INFTY, 0.3,
                Comparison.Metric.JENSEN_SHANNON_DIVERGENCE, Map.of("C", 0.6), 10);
        Comparison.FeatureResult result = Comparison.compare(strings("c", "a", "a", "b", "b"), "base",
                strings("c", "a", "b", "c", "c"), "study", List.of(), settings).get(0);
        assertThat(result.threshold()).isEqualTo(0.6);
        assertThat(result.isAnomaly()).contains(false);
        assertThatThrownBy(() -> Comparison.compare(strings("c", "a"), "base", strings("c", "a"), "study", List.of(),
                new Comparison.Settings(0.3, Comparison.Metric.L_INFTY, 0.3, Comparison.Metric.JENSEN_SHANNON_DIVERGENCE,
                        Map.of("nope", 0.5), 10))).hasMessageContaining("'nope'");
    }
}
