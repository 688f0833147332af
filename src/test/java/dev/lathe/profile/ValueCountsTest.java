package dev.lathe.profile;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValueCountsTest {
    @Test
    void countsEveryDistinctValueOfTheRange() {
        Random random = new Random(5);
        double[] values = new double[20_000];
        Map<Double, Long> expected = new HashMap<>();
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextInt(300) - 100; // integers, as a delay in minutes: keys whose low bits are all zero
            if (i >= 1_000) {
                expected.merge(values[i], 1L, Long::sum);
            }
        }
        ValueCounts counts = ValueCounts.of(values, 1_000, values.length - 1_000, 4096).orElseThrow();
        Map<Double, Long> counted = new HashMap<>();
        for (int i = 0; i < counts.size(); i++) {
            assertThat(counted.put(counts.value(i), counts.count(i))).as("value %s twice", counts.value(i)).isNull();
        }
        assertThat(counted).isEqualTo(expected);
    }

    @Test
    void negativeZeroIsCountedAsZero() {
        ValueCounts counts = ValueCounts.of(new double[] {0.0, -0.0, 1.5, -0.0}, 0, 4, 10).orElseThrow();
        assertThat(counts.size()).isEqualTo(2);
        Map<Double, Long> counted = new HashMap<>();
        for (int i = 0; i < counts.size(); i++) {
            counted.put(counts.value(i), counts.count(i));
        }
        assertThat(counted).containsExactlyInAnyOrderEntriesOf(Map.of(0.0, 3L, 1.5, 1L));
        assertThat(Double.doubleToRawLongBits(counted.keySet().stream().filter(v -> v == 0).findFirst().orElseThrow())).isZero();
    }

    @Test
    void givesUpAtOneValueTooMany() {
        double[] values = {1, 2, 3, 1, 2, 3, 4};
        assertThat(ValueCounts.of(values, 0, values.length, 4)).isPresent();
        assertThat(ValueCounts.of(values, 0, values.length, 3)).isEmpty();
        assertThat(ValueCounts.of(values, 0, 6, 3)).isPresent();
    }
}
