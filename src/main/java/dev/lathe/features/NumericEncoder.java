package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DoubleColumn;
import dev.lathe.core.FloatSink;
import dev.lathe.core.model.EncodedColumn;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;

/**
 * A number: NULL becomes {@code imputation} (the training mean), then {@code (value - center) / scale}. Without
 * standardization center is 0 and scale 1.
 */
record NumericEncoder(String feature, String processedInput, double imputation, double center, double scale)
        implements FeatureEncoder {
    NumericEncoder {
        requireNonNull(feature, "feature is null");
        requireNonNull(processedInput, "processedInput is null");
        if (!Double.isFinite(scale) || scale <= 0) {
            throw new IllegalArgumentException("scale must be a positive number, got " + scale);
        }
    }

    /**
     * Fits on the non-NULL training values, which the caller has checked exist. Standardization divides by the
     * sample standard deviation, as ML.STANDARD_SCALER does.
     */
    static NumericEncoder fit(String feature, String processedInput, DoubleColumn values, boolean standardize) {
        return of(feature, processedInput, Moments.of(values), standardize);
    }

    /** As {@link #fit}, from the values' moments (only the mean is read when not standardizing). */
    static NumericEncoder of(String feature, String processedInput, Moments moments, boolean standardize) {
        if (!standardize) {
            return new NumericEncoder(feature, processedInput, moments.mean(), 0, 1);
        }
        // A constant column (or a single value) has no spread to divide by: it is only centered, so it encodes as 0.
        double scale = moments.sampleStandardDeviation().filter(sd -> sd > 0 && Double.isFinite(sd)).orElse(1.0);
        return new NumericEncoder(feature, processedInput, moments.mean(), moments.mean(), scale);
    }

    /** The same scaling without centering: {@code value / scale}, NULL still the training mean. */
    NumericEncoder uncentered() {
        return new NumericEncoder(feature, processedInput, imputation, 0, scale);
    }

    @Override
    public List<EncodedColumn> columns() {
        return List.of(new EncodedColumn(feature, processedInput, EncodedColumn.Kind.NUMERIC, Optional.empty(), center, scale));
    }

    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        encodeValues(input.numeric(), out, stride, offset);
    }

    @Override
    public boolean encodesOne() {
        return true;
    }

    @Override
    public void encodeOne(Object value, double[] out, int offset) {
        out[offset] = encodeValue((Double) value);
    }

    @Override
    public boolean encodeFloats(InputColumn input, FloatSink out, int stride, int offset) {
        DoubleColumn values = input.numeric();
        double[] numbers = values.values();
        for (int row = 0; row < values.size(); row++) {
            out.set((long) row * stride + offset, (float) encodeValue(values.isNull(row) ? Double.NaN : numbers[row]));
        }
        return true;
    }

    void encodeValues(DoubleColumn values, double[] out, int stride, int offset) {
        for (int row = 0; row < values.size(); row++) {
            out[row * stride + offset] = encodeValue(values.isNull(row) ? Double.NaN : values.get(row));
        }
    }

    /** One value's encoding; NaN stands for NULL (and, as NULL, becomes the imputation). */
    double encodeValue(double value) {
        double present = Double.isNaN(value) ? imputation : value;
        return isIdentity() ? present : (present - center) / scale;
    }

    /** Not standardized: {@code (x - 0.0) / 1} is {@code x} for every double (-0.0 and infinities included), so it is skipped. */
    private boolean isIdentity() {
        return Double.doubleToRawLongBits(center) == 0L && scale == 1;
    }

    /** NaN counts as NULL: it carries no information a mean could use. */
    static boolean isMissing(DoubleColumn values, int row) {
        return values.isNull(row) || Double.isNaN(values.get(row));
    }

    /** Mean and sample standard deviation over non-NULL values, two-pass for accuracy. */
    record Moments(long count, double mean, Optional<Double> sampleStandardDeviation) {
        static Moments of(DoubleColumn column) {
            // The arrays taken out once and the NULL mask read only when there are NULLs: a short command runs this
            // loop over every training row in C1's code, where each call per row counts (isMissing's test, inlined).
            double[] values = column.values();
            BitSet nulls = column.nulls();
            boolean anyNull = !nulls.isEmpty();
            long count = 0;
            double sum = 0;
            for (int row = 0; row < values.length; row++) {
                double value = values[row];
                if (!(anyNull && nulls.get(row)) && !Double.isNaN(value)) {
                    count++;
                    sum += value;
                }
            }
            double mean = count == 0 ? Double.NaN : sum / count;
            double squares = 0;
            for (int row = 0; row < values.length; row++) {
                double value = values[row];
                if (!(anyNull && nulls.get(row)) && !Double.isNaN(value)) {
                    double deviation = value - mean;
                    squares += deviation * deviation;
                }
            }
            if (!Double.isFinite(mean) && count > 0 || !Double.isFinite(squares) || squares < SMALL && squares > 0 || squares == 0 && varies(values, nulls, anyNull, mean)) {
                return scaled(values, nulls, anyNull);
            }
            Optional<Double> sd = count < 2 ? Optional.empty() : Optional.of(Math.sqrt(squares / (count - 1)));
            return new Moments(count, mean, sd);
        }

        /** Below this a sum of squares may have lost its digits to underflow (values near 1e-160 and smaller). */
        private static final double SMALL = 1e-290;

        private static boolean varies(double[] values, BitSet nulls, boolean anyNull, double mean) {
            for (int row = 0; row < values.length; row++) {
                if (!(anyNull && nulls.get(row)) && !Double.isNaN(values[row]) && values[row] != mean) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The moments of values whose squares (or sum) leave FLOAT64's range, computed on the values divided by the largest
         * magnitude: FLOAT64 holds 1e200, but its square overflowed, the standard deviation was infinite and every weight
         * of the model 0 (probe H); values near 1e-300 underflowed to a standard deviation of 0.
         */
        private static Moments scaled(double[] values, BitSet nulls, boolean anyNull) {
            double largest = 0;
            long count = 0;
            for (int row = 0; row < values.length; row++) {
                if (!(anyNull && nulls.get(row)) && !Double.isNaN(values[row])) {
                    largest = Math.max(largest, Math.abs(values[row]));
                    count++;
                }
            }
            if (largest == 0 || !Double.isFinite(largest)) {
                return new Moments(count, largest == 0 ? 0 : Double.NaN, count < 2 ? Optional.empty() : Optional.of(largest == 0 ? 0.0 : Double.NaN));
            }
            double sum = 0;
            for (int row = 0; row < values.length; row++) {
                if (!(anyNull && nulls.get(row)) && !Double.isNaN(values[row])) {
                    sum += values[row] / largest;
                }
            }
            double mean = sum / count;
            double squares = 0;
            for (int row = 0; row < values.length; row++) {
                if (!(anyNull && nulls.get(row)) && !Double.isNaN(values[row])) {
                    double deviation = values[row] / largest - mean;
                    squares += deviation * deviation;
                }
            }
            return new Moments(count, mean * largest, count < 2 ? Optional.empty() : Optional.of(Math.sqrt(squares / (count - 1)) * largest));
        }
    }
}
