package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DoubleColumn;
import dev.lathe.core.TimestampColumn;
import dev.lathe.core.model.EncodedColumn;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
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

    static TimestampEncoder fit(String feature, TimestampColumn values, boolean standardize, boolean oneHotParts) {
        NumericEncoder seconds = NumericEncoder.fit(feature, feature, unixSeconds(values), standardize);
        List<FeatureEncoder> parts = new ArrayList<>();
        DoubleColumn[] extracted = extractAll(values);
        for (TimestampPart part : TimestampPart.values()) {
            String processedInput = part.processedInput(feature);
            DoubleColumn partValues = extracted[part.ordinal()];
            if (oneHotParts) {
                TreeSet<Integer> seen = new TreeSet<>();
                for (int row = 0; row < partValues.size(); row++) {
                    if (!partValues.isNull(row)) {
                        seen.add((int) partValues.get(row));
                    }
                }
                List<String> categories = seen.stream().map(String::valueOf).toList();
                parts.add(new OneHotEncoder(feature, processedInput, categories, Optional.empty()));
            } else {
                parts.add(NumericEncoder.fit(feature, processedInput, partValues, standardize));
            }
        }
        return new TimestampEncoder(feature, seconds, parts);
    }

    @Override
    public List<EncodedColumn> columns() {
        List<EncodedColumn> columns = new ArrayList<>(seconds.columns());
        parts.forEach(part -> columns.addAll(part.columns()));
        return columns;
    }

    /**
     * Writes each row's seconds and parts straight into {@code out}, one pass, no column per part: the values
     * equal encoding {@link #unixSeconds} with {@code seconds} and each of {@link #extractAll}'s columns with its
     * part's encoder (one-hot parts over the part's value rendered as an integer).
     */
    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        TimestampColumn values = input.timestamp();
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
        long cachedDay = Long.MIN_VALUE;
        int[] dayValue = new int[count];
        int[] dayColumn = new int[count]; // a one-hot date part's column for the cached day, -1 for none
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
            long day = Math.floorDiv(second, 86_400L);
            if (day != cachedDay) {
                LocalDateTime midnight = LocalDateTime.ofEpochSecond(day * 86_400L, 0, ZoneOffset.UTC);
                for (int k = 0; k < count; k++) {
                    dayValue[k] = kinds[k].extract(midnight);
                    dayColumn[k] = oneHot[k] == null ? -1 : oneHot[k].column(String.valueOf(dayValue[k]));
                }
                cachedDay = day;
            }
            int secondOfDay = (int) Math.floorMod(second, 86_400L);
            for (int k = 0; k < count; k++) {
                int value = switch (kinds[k]) {
                    case HOUR_OF_DAY -> secondOfDay / 3600;
                    case MINUTE_OF_HOUR -> secondOfDay % 3600 / 60;
                    default -> dayValue[k];
                };
                if (numeric[k] != null) {
                    out[at + first[k]] = numeric[k].encodeValue(value);
                    continue;
                }
                int column;
                if (kinds[k] == TimestampPart.HOUR_OF_DAY || kinds[k] == TimestampPart.MINUTE_OF_HOUR) {
                    if (timeColumn[k] == null) {
                        timeColumn[k] = new int[60];
                        Arrays.fill(timeColumn[k], UNKNOWN);
                    }
                    column = timeColumn[k][value];
                    if (column == UNKNOWN) {
                        column = oneHot[k].column(String.valueOf(value));
                        timeColumn[k][value] = column;
                    }
                } else {
                    column = dayColumn[k];
                }
                if (column >= 0) {
                    out[at + first[k] + column] = 1;
                }
            }
        }
    }

    private static final int UNKNOWN = -2;

    /** Whole seconds since the epoch, like UNIX_SECONDS (which truncates toward the earlier second). */
    static DoubleColumn unixSeconds(TimestampColumn values) {
        double[] seconds = new double[values.size()];
        for (int row = 0; row < seconds.length; row++) {
            seconds[row] = values.isNull(row) ? Double.NaN : Math.floorDiv(values.epochMicros()[row], 1_000_000L);
        }
        return new DoubleColumn(seconds, (BitSet) values.nulls().clone());
    }

    /**
     * Every part of every row, indexed by {@link TimestampPart#ordinal()}, in one pass. The date parts are
     * computed once per distinct UTC day (consecutive rows mostly share a day), the time parts from the
     * second of the day; the values equal {@link TimestampPart#extract} of {@link #utc}.
     */
    static DoubleColumn[] extractAll(TimestampColumn values) {
        TimestampPart[] kinds = TimestampPart.values();
        int rows = values.size();
        double[][] parts = new double[kinds.length][rows];
        long[] micros = values.epochMicros();
        long cachedDay = Long.MIN_VALUE;
        int[] dayParts = new int[kinds.length];
        for (int row = 0; row < rows; row++) {
            if (values.isNull(row)) {
                for (double[] part : parts) {
                    part[row] = Double.NaN;
                }
                continue;
            }
            long second = Math.floorDiv(micros[row], 1_000_000L);
            long day = Math.floorDiv(second, 86_400L);
            if (day != cachedDay) {
                LocalDateTime midnight = LocalDateTime.ofEpochSecond(day * 86_400L, 0, ZoneOffset.UTC);
                for (TimestampPart kind : kinds) {
                    dayParts[kind.ordinal()] = kind.extract(midnight);
                }
                cachedDay = day;
            }
            int secondOfDay = (int) Math.floorMod(second, 86_400L);
            for (int k = 0; k < kinds.length; k++) {
                parts[k][row] = switch (kinds[k]) {
                    case HOUR_OF_DAY -> secondOfDay / 3600;
                    case MINUTE_OF_HOUR -> secondOfDay % 3600 / 60;
                    default -> dayParts[k];
                };
            }
        }
        DoubleColumn[] columns = new DoubleColumn[kinds.length];
        for (int k = 0; k < kinds.length; k++) {
            columns[k] = new DoubleColumn(parts[k], (BitSet) values.nulls().clone());
        }
        return columns;
    }

    static LocalDateTime utc(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        int nanos = (int) Math.floorMod(epochMicros, 1_000_000L) * 1000;
        return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }

}
