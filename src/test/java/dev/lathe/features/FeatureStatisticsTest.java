package dev.lathe.features;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The median's selection agrees with a full sort, bit for bit, on the inputs that trouble quickselects. */
class FeatureStatisticsTest {
    @Test
    void selectGivesTheSortedOrderStatistic() {
        Random random = new Random(7);
        List<double[]> inputs = new ArrayList<>();
        for (int n : new int[] {1, 2, 3, 10, 101, 4096}) {
            inputs.add(random.doubles(n, -1e6, 1e6).toArray());
            inputs.add(random.ints(n, 0, 5).asDoubleStream().toArray()); // many duplicates
            double[] ascending = new double[n];
            for (int i = 0; i < n; i++) {
                ascending[i] = i;
            }
            inputs.add(ascending);
            double[] descending = new double[n];
            for (int i = 0; i < n; i++) {
                descending[i] = n - i;
            }
            inputs.add(descending);
            double[] constant = new double[n];
            Arrays.fill(constant, 3.5);
            inputs.add(constant);
            double[] zeros = new double[n];
            for (int i = 0; i < n; i++) {
                zeros[i] = i % 2 == 0 ? -0.0 : 0.0;
            }
            inputs.add(zeros);
        }
        for (double[] input : inputs) {
            double[] sorted = input.clone();
            Arrays.sort(sorted);
            for (int k : new int[] {0, (input.length - 1) / 2, input.length - 1}) {
                double[] work = Arrays.copyOf(input, input.length + 3); // values beyond n are ignored
                Arrays.fill(work, input.length, work.length, -5e9);
                assertThat(Double.doubleToRawLongBits(select(work, input.length, k)))
                        .as("k=%d of %d values", k, input.length).isEqualTo(Double.doubleToRawLongBits(sorted[k]));
            }
        }
    }
    /** Order keys compare as Double.compare compares, and give the double back bit for bit. */
    @Test
    void orderKeysOrderAsDoubleCompare() {
        double[] values = {Double.NEGATIVE_INFINITY, -Double.MAX_VALUE, -1e300, -2.5, -1.0, -Double.MIN_NORMAL, -Double.MIN_VALUE,
                -0.0, 0.0, Double.MIN_VALUE, Double.MIN_NORMAL, 1e-300, 1.0, 2.5, 1e300, Double.MAX_VALUE, Double.POSITIVE_INFINITY};
        for (double a : values) {
            assertThat(Double.doubleToRawLongBits(FeatureStatistics.fromOrderKey(FeatureStatistics.orderKey(a))))
                    .isEqualTo(Double.doubleToRawLongBits(a));
            for (double b : values) {
                assertThat(Long.signum(Long.compare(FeatureStatistics.orderKey(a), FeatureStatistics.orderKey(b))))
                        .as("%s vs %s", a, b).isEqualTo(Integer.signum(Double.compare(a, b)));
            }
        }
    }

    /**
     * The {@code k}-th smallest of {@code values[0, n)} (no NaN) in the order of {@link Arrays#sort(double[])}, so -0.0
     * before 0.0, through {@link FeatureStatistics#select(long[], int, int)} of their order keys, as the median is found.
     */
    private static double select(double[] values, int n, int k) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = FeatureStatistics.orderKey(values[i]);
        }
        return FeatureStatistics.fromOrderKey(FeatureStatistics.select(keys, n, k));
    }
}
