package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Two-sided tail probabilities against SciPy 1.10 ({@code 2 * stats.t.sf(|t|, v)}, {@code 2 * stats.norm.sf(|z|)}). */
class DistributionsTest {
    @Test
    void studentsTMatchesScipy() {
        assertRelative(Distributions.studentTwoSided(2.0, 10), 0.07338803477074039);
        assertRelative(Distributions.studentTwoSided(1.0, 1), 0.49999999999999956);
        assertRelative(Distributions.studentTwoSided(0.5, 3), 0.651447964848151);
        assertRelative(Distributions.studentTwoSided(-3.2, 25), 0.0037159684339301215);
        assertRelative(Distributions.studentTwoSided(12.0, 300), 2.3191247536161138e-27);
        assertRelative(Distributions.studentTwoSided(40.0, 5), 1.8411962171772952e-07);
        assertThat(Distributions.studentTwoSided(0.0, 7)).isEqualTo(1.0);
        assertThat(Distributions.studentTwoSided(Double.POSITIVE_INFINITY, 7)).isZero();
        assertThat(Distributions.studentTwoSided(Double.NaN, 7)).isNaN();
        assertThat(Distributions.studentTwoSided(1.0, 0)).isNaN();
        assertThat(Distributions.studentTwoSided(1.0, Double.NaN)).isNaN();
    }

    @Test
    void normalMatchesScipy() {
        assertRelative(Distributions.normalTwoSided(1.96), 0.04999579029644087);
        assertRelative(Distributions.normalTwoSided(-2.5), 0.012419330651552265);
        assertRelative(Distributions.normalTwoSided(0.1), 0.920344325445942);
        assertRelative(Distributions.normalTwoSided(10.0), 1.523970604832094e-23);
        assertRelative(Distributions.normalTwoSided(37.0), 1.1451142445047853e-299);
        assertThat(Distributions.normalTwoSided(0.0)).isEqualTo(1.0);
        assertThat(Distributions.normalTwoSided(Double.NEGATIVE_INFINITY)).isZero();
        assertThat(Distributions.normalTwoSided(Double.NaN)).isNaN();
    }

    private static void assertRelative(double actual, double expected) {
        assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * 1e-12));
    }
}
