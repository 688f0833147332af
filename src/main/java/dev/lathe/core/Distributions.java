package dev.lathe.core;

/**
 * Two-sided tail probabilities of the standard normal and Student's t distributions, for the p-values of
 * ML.ADVANCED_WEIGHTS. Both come from the regularized incomplete gamma and beta functions (series and Lentz's
 * continued fractions, as in Numerical Recipes, 3rd ed., 6.2 and 6.4), accurate to about 1e-14 relative.
 */
public final class Distributions {
    private static final double EPSILON = 1e-16;
    private static final double TINY = 1e-300;
    private static final int MAX_TERMS = 10_000;
    private static final double[] LANCZOS = {57.1562356658629235, -59.5979603554754912, 14.1360979747417471,
            -0.491913816097620199, .339946499848118887e-4, .465236289270485756e-4, -.983744753048795646e-4,
            .158088703224912494e-3, -.210264441724104883e-3, .217439618115212643e-3, -.164318106536763890e-3,
            .844182239838527433e-4, -.261908384015814087e-4, .368991826595316234e-5};

    private Distributions() {}

    /** P(|Z| >= |z|) for a standard normal Z: {@code erfc(|z| / sqrt 2)}; NaN for NaN. */
    public static double normalTwoSided(double z) {
        if (Double.isNaN(z)) {
            return Double.NaN;
        }
        if (Double.isInfinite(z)) {
            return 0;
        }
        double x = Math.abs(z) / Math.sqrt(2);
        return x == 0 ? 1 : upperIncompleteGamma(0.5, x * x);
    }

    /**
     * P(|T| >= |t|) for Student's t with {@code degreesOfFreedom} (> 0): the regularized incomplete beta
     * {@code I_{v / (v + t^2)}(v / 2, 1 / 2)}; NaN for NaN or no degrees of freedom.
     */
    public static double studentTwoSided(double t, double degreesOfFreedom) {
        if (Double.isNaN(t) || !(degreesOfFreedom > 0)) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return 0;
        }
        return incompleteBeta(degreesOfFreedom / 2, 0.5, degreesOfFreedom / (degreesOfFreedom + t * t));
    }

    /** ln Gamma(x) for x > 0 (Lanczos, g = 671/128). */
    static double logGamma(double x) {
        double y = x;
        double tmp = x + 5.24218750000000000;
        tmp = (x + 0.5) * Math.log(tmp) - tmp;
        double series = 0.999999999999997092;
        for (double coefficient : LANCZOS) {
            series += coefficient / ++y;
        }
        return tmp + Math.log(2.5066282746310005 * series / x);
    }

    /** Q(a, x) = Gamma(a, x) / Gamma(a), the regularized upper incomplete gamma function. */
    static double upperIncompleteGamma(double a, double x) {
        if (x <= 0) {
            return 1;
        }
        double logPrefix = -x + a * Math.log(x) - logGamma(a);
        if (x < a + 1) { // the series for P converges quickly here
            double term = 1 / a;
            double sum = term;
            for (int n = 1; n < MAX_TERMS && Math.abs(term) > Math.abs(sum) * EPSILON; n++) {
                term *= x / (a + n);
                sum += term;
            }
            return 1 - sum * Math.exp(logPrefix);
        }
        double b = x + 1 - a; // the continued fraction for Q
        Lentz fraction = new Lentz(1 / TINY, 1 / b);
        double h = fraction.d;
        for (int i = 1; i < MAX_TERMS; i++) {
            b += 2;
            double delta = fraction.step(-i * (i - a), b);
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                break;
            }
        }
        return Math.exp(logPrefix) * h;
    }

    /** I_x(a, b), the regularized incomplete beta function, for 0 <= x <= 1. */
    static double incompleteBeta(double a, double b, double x) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double logFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        if (x < (a + 1) / (a + b + 2)) {
            return Math.exp(logFront) * betaFraction(a, b, x) / a;
        }
        return 1 - Math.exp(logFront) * betaFraction(b, a, 1 - x) / b;
    }

    private static double betaFraction(double a, double b, double x) {
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        Lentz fraction = new Lentz(1, 1 / nonZero(1 - qab * x / qap));
        double h = fraction.d;
        for (int m = 1; m < MAX_TERMS; m++) {
            int m2 = 2 * m;
            h *= fraction.step(m * (b - m) * x / ((qam + m2) * (a + m2)), 1);
            double delta = fraction.step(-(a + m) * (qab + m) * x / ((a + m2) * (qap + m2)), 1);
            h *= delta;
            if (Math.abs(delta - 1) < EPSILON) {
                break;
            }
        }
        return h;
    }

    private static double nonZero(double value) {
        return Math.abs(value) < TINY ? TINY : value;
    }

    /** Lentz's modified method for a continued fraction: one term {@code a / (b + ...)} at a time. */
    private static final class Lentz {
        private double c;
        private double d;

        Lentz(double c, double d) {
            this.c = c;
            this.d = d;
        }

        /** Takes term {@code a / (b + ...)}; returns the factor the fraction's value changes by. */
        double step(double a, double b) {
            d = 1 / nonZero(b + a * d);
            c = nonZero(b + a / c);
            return c * d;
        }
    }
}
