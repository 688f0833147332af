package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.FloatSink;
import dev.lathe.core.TimestampColumn;
import dev.lathe.core.model.EncodedColumn;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * A TIMESTAMP: Unix seconds as a number (NULL becomes the mean time), then one encoder per {@link TimestampPart}
 * in enum order. Parts are one-hot over the training values (numeric order) with their own NULL category, or,
 * for tree models, plain numbers with NULL as the training mean (standardized if the policy standardizes).
 */
record TimestampEncoder(String feature, NumericEncoder seconds, List<FeatureEncoder> parts) implements FeatureEncoder {
    TimestampEncoder {
        requireNonNull(feature, "feature is null");
        requireNonNull(seconds, "seconds is null");
        parts = List.copyOf(parts);
        if (parts.size() != TimestampPart.values().length) {
            throw new IllegalArgumentException("one encoder per timestamp part expected, got " + parts.size());
        }
        for (FeatureEncoder part : parts) {
            if (!(part instanceof NumericEncoder) && !(part instanceof OneHotEncoder)) {
                throw new IllegalArgumentException("timestamp parts are numeric or one-hot, got " + part.getClass().getSimpleName());
            }
        }
    }

    /** The same encoding with its numbers scaled but not centered ({@link dev.lathe.core.model.EncodingPolicy#centerNumeric}). */
    TimestampEncoder uncentered() {
        return new TimestampEncoder(feature, seconds.uncentered(),
                parts.stream().map(part -> part instanceof NumericEncoder numeric ? (FeatureEncoder) numeric.uncentered() : part).toList());
    }

    /**
     * Fits the seconds and the parts in one pass over the rows (two when standardizing: the squared deviations need
     * the means), without materializing the parts: the same encoders as {@link NumericEncoder#fit} of
     * the whole seconds since the epoch and of each part's column (sums and squares taken in row order), and
     * one-hot parts over the distinct values in numeric order.
     */
    static TimestampEncoder fit(String feature, TimestampColumn values, boolean standardize, boolean oneHotParts) {
        TimestampPart[] kinds = TimestampPart.values();
        int count = kinds.length;
        long[] micros = values.epochMicros();
        long present = 0;
        double secondsSum = 0;
        // The parts are small non-negative integers, so their sums are exact in a long, and equal to the sums of doubles
        // taken row by row (every partial sum an integer below 2^53): the date parts are added once per run of rows of
        // one day (value times rows), the hour and minute counted per value, no work per part and row.
        long[] partTotals = new long[count];
        long[] hours = new long[24];
        long[] minutes = new long[60];
        int[] dayParts = new int[count]; // the date parts of the current run's day (0 for hour and minute)
        long dayRows = 0;
        List<TreeSet<Integer>> seen = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            seen.add(new TreeSet<>());
        }
        Parts parts = new Parts();
        for (int row = 0; row < values.size(); row++) {
            if (values.isNull(row)) {
                continue;
            }
            long second = Math.floorDiv(micros[row], 1_000_000L);
            present++;
            secondsSum += second;
            if (parts.at(second)) {
                for (int k = 0; k < count; k++) {
                    if (k != HOUR && k != MINUTE) {
                        partTotals[k] += dayRows * dayParts[k];
                        dayParts[k] = parts.value[k];
                        if (oneHotParts) {
                            seen.get(k).add(parts.value[k]);
                        }
                    }
                }
                dayRows = 0;
            }
            dayRows++;
            hours[parts.value[HOUR]]++;
            minutes[parts.value[MINUTE]]++;
        }
        for (int k = 0; k < count; k++) {
            partTotals[k] += dayRows * dayParts[k]; // the last run; hour and minute have none (their parts stay 0)
        }
        for (int value = 0; value < minutes.length; value++) {
            if (value < hours.length) {
                partTotals[HOUR] += value * hours[value];
                if (oneHotParts && hours[value] > 0) {
                    seen.get(HOUR).add(value);
                }
            }
            partTotals[MINUTE] += value * minutes[value];
            if (oneHotParts && minutes[value] > 0) {
                seen.get(MINUTE).add(value);
            }
        }
        double secondsMean = present == 0 ? Double.NaN : secondsSum / present;
        double[] partMeans = new double[count];
        for (int k = 0; k < count; k++) {
            partMeans[k] = present == 0 ? Double.NaN : (double) partTotals[k] / present;
        }
        double secondsSquares = 0;
        double[] partSquares = new double[count];
        if (standardize) {
            parts = new Parts();
            for (int row = 0; row < values.size(); row++) {
                if (values.isNull(row)) {
                    continue;
                }
                long second = Math.floorDiv(micros[row], 1_000_000L);
                double deviation = second - secondsMean;
                secondsSquares += deviation * deviation;
                if (!oneHotParts) {
                    parts.at(second);
                    for (int k = 0; k < count; k++) {
                        double partDeviation = parts.value[k] - partMeans[k];
                        partSquares[k] += partDeviation * partDeviation;
                    }
                }
            }
        }
        NumericEncoder seconds = NumericEncoder.of(feature, feature, moments(present, secondsMean, secondsSquares), standardize);
        List<FeatureEncoder> encoders = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            String processedInput = kinds[k].processedInput(feature);
            if (oneHotParts) {
                List<String> categories = seen.get(k).stream().map(String::valueOf).toList();
                encoders.add(new OneHotEncoder(feature, processedInput, categories, Optional.empty()));
            } else {
                encoders.add(NumericEncoder.of(feature, processedInput, moments(present, partMeans[k], partSquares[k]), standardize));
            }
        }
        return new TimestampEncoder(feature, seconds, encoders);
    }

    /** {@link NumericEncoder.Moments} from a count, a mean and the sum of squared deviations, as {@code Moments.of} computes them. */
    private static NumericEncoder.Moments moments(long count, double mean, double squares) {
        return new NumericEncoder.Moments(count, mean, count < 2 ? Optional.empty() : Optional.of(Math.sqrt(squares / (count - 1))));
    }

    /**
     * The parts of one second after another: the date parts computed once per UTC day (consecutive rows mostly share
     * a day), hour and minute from the second of the day; the values equal {@link TimestampPart#extract} of the UTC date-time.
     */
    private static final class Parts {
        private static final TimestampPart[] KINDS = TimestampPart.values();

        /** By {@link TimestampPart#ordinal()}. */
        final int[] value = new int[KINDS.length];
        private long day = Long.MIN_VALUE;

        /** Sets {@link #value} to the parts of {@code second} (since the epoch); true when its day differs from the last one's. */
        boolean at(long second) {
            long today = Math.floorDiv(second, 86_400L);
            boolean newDay = today != day;
            if (newDay) {
                LocalDateTime midnight = LocalDateTime.ofEpochSecond(today * 86_400L, 0, ZoneOffset.UTC);
                for (TimestampPart kind : KINDS) {
                    value[kind.ordinal()] = kind.extract(midnight);
                }
                day = today;
            }
            int secondOfDay = (int) Math.floorMod(second, 86_400L);
            value[HOUR] = secondOfDay / 3600;
            value[MINUTE] = secondOfDay % 3600 / 60;
            return newDay;
        }
    }

    /** Whether every part is one-hot (a linear model's timestamp): then {@link #encodeOneHot} applies. */
    boolean partsOneHot() {
        return parts.stream().allMatch(part -> part instanceof OneHotEncoder);
    }

    /**
     * As {@link #encode}, for one-hot rows ({@link dev.lathe.core.OneHotRows}): each row's seconds into
     * {@code values[row * stride + slot]}, and for part k the column it sets, {@code base} plus its position among this
     * encoder's columns (as {@link #encode} sets it to 1), or -1 where it sets none, into
     * {@code hot[row * groupStride + group + k]}. Only where {@link #partsOneHot}: a 1M-row timestamp is then 9 numbers
     * a row instead of its ~200 columns.
     */
    void encodeOneHot(InputColumn input, double[] values, int stride, int slot, int[] hot, int groupStride, int group, int base) {
        TimestampColumn timestamps = input.timestamp();
        long[] micros = timestamps.epochMicros();
        TimestampPart[] kinds = TimestampPart.values();
        int count = kinds.length;
        OneHotEncoder[] oneHot = new OneHotEncoder[count];
        int[] first = new int[count]; // each part's first column in the matrix
        int next = base + 1;
        for (int k = 0; k < count; k++) {
            oneHot[k] = (OneHotEncoder) parts.get(k);
            first[k] = next;
            next += oneHot[k].width();
        }
        Parts partsOf = new Parts();
        int[] dayColumn = new int[count]; // a date part's column for the current day, -1 for none
        int[][] timeColumn = new int[count][]; // a time part's column by value, filled as values come
        for (int row = 0; row < timestamps.size(); row++) {
            int at = row * groupStride + group;
            if (timestamps.isNull(row)) {
                values[row * stride + slot] = seconds.encodeValue(Double.NaN);
                for (int k = 0; k < count; k++) {
                    hot[at + k] = first[k] + oneHot[k].nullColumn();
                }
                continue;
            }
            long second = Math.floorDiv(micros[row], 1_000_000L);
            values[row * stride + slot] = seconds.encodeValue(second);
            if (partsOf.at(second)) {
                for (int k = 0; k < count; k++) {
                    dayColumn[k] = oneHot[k].column(String.valueOf(partsOf.value[k]));
                }
            }
            for (int k = 0; k < count; k++) {
                int column = k == HOUR || k == MINUTE ? timeColumn(timeColumn, k, oneHot[k], partsOf.value[k]) : dayColumn[k];
                hot[at + k] = column >= 0 ? first[k] + column : -1;
            }
        }
    }

    /**
     * The column (relative to the part's first) that hour or minute {@code value} of part {@code k} sets, -1 for none:
     * looked up once per value and kept in {@code cache[k]}, made on first use.
     */
    private static int timeColumn(int[][] cache, int k, OneHotEncoder encoder, int value) {
        if (cache[k] == null) {
            cache[k] = new int[60];
            Arrays.fill(cache[k], UNKNOWN);
        }
        int column = cache[k][value];
        if (column == UNKNOWN) {
            column = encoder.column(String.valueOf(value));
            cache[k][value] = column;
        }
        return column;
    }

    @Override
    public List<EncodedColumn> columns() {
        List<EncodedColumn> columns = new ArrayList<>(seconds.columns());
        parts.forEach(part -> columns.addAll(part.columns()));
        return columns;
    }

    /**
     * Writes each row's seconds and parts straight into {@code out}, one pass, no column per part: the values
     * equal encoding the whole seconds since the epoch with {@code seconds} and each part's column with its
     * part's encoder (one-hot parts over the part's value rendered as an integer).
     */
    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        TimestampColumn values = input.timestamp();
        NumericEncoder[] numbers = numericParts();
        if (numbers != null) { // a tree model's parts
            new NumberRows(seconds, numbers).encode(values, 0, values.size(), out, stride, offset);
            return;
        }
        long[] micros = values.epochMicros();
        TimestampPart[] kinds = TimestampPart.values();
        int count = kinds.length;
        NumericEncoder[] numeric = new NumericEncoder[count];
        OneHotEncoder[] oneHot = new OneHotEncoder[count];
        int[] first = new int[count]; // each part's first column, after the seconds column
        int next = offset + 1;
        for (int k = 0; k < count; k++) {
            switch (parts.get(k)) {
                case NumericEncoder n -> numeric[k] = n;
                case OneHotEncoder o -> oneHot[k] = o;
                default -> throw new IllegalStateException("checked in the constructor");
            }
            first[k] = next;
            next += oneHot[k] != null ? oneHot[k].width() : 1;
        }
        Parts partsOf = new Parts();
        int[] dayColumn = new int[count]; // a one-hot date part's column for the current day, -1 for none
        int[][] timeColumn = new int[count][]; // a one-hot time part's column by value, filled as values come
        for (int row = 0; row < values.size(); row++) {
            int at = row * stride;
            if (values.isNull(row)) {
                out[at + offset] = seconds.encodeValue(Double.NaN);
                for (int k = 0; k < count; k++) {
                    if (numeric[k] != null) {
                        out[at + first[k]] = numeric[k].encodeValue(Double.NaN);
                    } else {
                        out[at + first[k] + oneHot[k].nullColumn()] = 1;
                    }
                }
                continue;
            }
            long second = Math.floorDiv(micros[row], 1_000_000L);
            out[at + offset] = seconds.encodeValue(second);
            if (partsOf.at(second)) {
                for (int k = 0; k < count; k++) {
                    dayColumn[k] = oneHot[k] == null ? -1 : oneHot[k].column(String.valueOf(partsOf.value[k]));
                }
            }
            for (int k = 0; k < count; k++) {
                int value = partsOf.value[k];
                if (numeric[k] != null) {
                    out[at + first[k]] = numeric[k].encodeValue(value);
                    continue;
                }
                int column = kinds[k] == TimestampPart.HOUR_OF_DAY || kinds[k] == TimestampPart.MINUTE_OF_HOUR
                        ? timeColumn(timeColumn, k, oneHot[k], value) : dayColumn[k];
                if (column >= 0) {
                    out[at + first[k] + column] = 1;
                }
            }
        }
    }

    /**
     * Where every part is a number, the seconds and the parts are narrowed to floats block by block (a small buffer of
     * doubles, reused), not through a buffer of doubles for every row.
     */
    @Override
    public boolean encodeFloats(InputColumn input, FloatSink out, int stride, int offset) {
        NumericEncoder[] numbers = numericParts();
        if (numbers == null) {
            return false;
        }
        TimestampColumn values = input.timestamp();
        int rows = values.size();
        int width = numbers.length + 1;
        int block = Math.min(rows, FLOAT_BLOCK_ROWS);
        double[] buffer = new double[block * width];
        NumberRows encoder = new NumberRows(seconds, numbers);
        for (int from = 0; from < rows; from += block) {
            int to = Math.min(rows, from + block);
            encoder.encode(values, from, to, buffer, width, 0);
            for (int row = from; row < to; row++) {
                int in = (row - from) * width;
                long at = (long) row * stride + offset;
                for (int c = 0; c < width; c++) {
                    out.set(at + c, (float) buffer[in + c]);
                }
            }
        }
        return true;
    }

    /** Rows per block of {@link #encodeFloats}: a 256 KB buffer of doubles, reused while it is in cache. */
    private static final int FLOAT_BLOCK_ROWS = 4096;

    /** The parts' encoders when every part is a number (each one column), else null. */
    private NumericEncoder[] numericParts() {
        NumericEncoder[] numbers = new NumericEncoder[parts.size()];
        for (int k = 0; k < numbers.length; k++) {
            if (!(parts.get(k) instanceof NumericEncoder number)) {
                return null;
            }
            numbers[k] = number;
        }
        return numbers;
    }

    /**
     * Encodes rows when every part is a number: each part's encoded value is computed once per day (the date parts) or
     * once per value met (hour, minute; on first use, so that a one-row batch, an online prediction's, computes only its
     * own), so a row costs its seconds and eight stores. Keeps the current day between calls.
     */
    private static final class NumberRows {
        private final NumericEncoder seconds;
        private final NumericEncoder[] parts;
        private final double[] hours;
        private final double[] minutes;
        private final double[] nulls;
        private final double nullSeconds;
        private final double[] day; // the current day's parts, encoded
        private final Parts partsOf = new Parts();

        NumberRows(NumericEncoder seconds, NumericEncoder[] parts) {
            this.seconds = seconds;
            this.parts = parts;
            this.hours = unknown(24);
            this.minutes = unknown(60);
            this.nulls = new double[parts.length];
            for (int k = 0; k < parts.length; k++) {
                nulls[k] = parts[k].encodeValue(Double.NaN);
            }
            this.nullSeconds = seconds.encodeValue(Double.NaN);
            this.day = new double[parts.length];
        }

        /** Rows {@code from .. to-1}: row r's seconds at {@code out[(r - from) * stride + offset]}, its parts after it. */
        void encode(TimestampColumn values, int from, int to, double[] out, int stride, int offset) {
            long[] micros = values.epochMicros();
            int count = parts.length;
            for (int row = from; row < to; row++) {
                int at = (row - from) * stride + offset;
                if (values.isNull(row)) {
                    out[at] = nullSeconds;
                    for (int k = 0; k < count; k++) {
                        out[at + 1 + k] = nulls[k];
                    }
                    continue;
                }
                long second = Math.floorDiv(micros[row], 1_000_000L);
                out[at] = seconds.encodeValue(second);
                if (partsOf.at(second)) {
                    for (int k = 0; k < count; k++) {
                        day[k] = parts[k].encodeValue(partsOf.value[k]);
                    }
                }
                for (int k = 0; k < count; k++) {
                    out[at + 1 + k] = day[k];
                }
                out[at + 1 + HOUR] = encoded(hours, parts[HOUR], partsOf.value[HOUR]);
                out[at + 1 + MINUTE] = encoded(minutes, parts[MINUTE], partsOf.value[MINUTE]);
            }
        }

        /** A table of encoded values, none known yet (NaN: a whole number never encodes to NaN). */
        private static double[] unknown(int count) {
            double[] table = new double[count];
            Arrays.fill(table, Double.NaN);
            return table;
        }

        /** {@code encoder}'s value for {@code value}, from {@code table} once computed. */
        private static double encoded(double[] table, NumericEncoder encoder, int value) {
            double encoded = table[value];
            if (Double.isNaN(encoded)) {
                encoded = encoder.encodeValue(value);
                table[value] = encoded;
            }
            return encoded;
        }
    }

    private static final int UNKNOWN = -2;
    /** The positions of the hour and the minute among the parts: counted per value in fit, tabled per value in encode. */
    private static final int HOUR = TimestampPart.HOUR_OF_DAY.ordinal();
    private static final int MINUTE = TimestampPart.MINUTE_OF_HOUR.ordinal();
}
