package dev.lathe.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.DataType;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.Field;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * TimestampEncoder fits and encodes in one pass over the rows, never materializing a column per part. It must give
 * exactly what the straightforward definition gives: the whole seconds and each part as a column of numbers (NaN for
 * NULL), each fitted by {@link NumericEncoder#fit} (or one-hot over its distinct values) and encoded by that encoder.
 */
class TimestampEncoderReferenceTest {
    @ParameterizedTest
    @CsvSource({"false,false,false", "true,false,false", "false,true,false", "true,true,false", "false,false,true", "false,true,true"})
    void onePassEqualsThePerPartDefinition(boolean standardize, boolean oneHotParts, boolean shuffled) {
        TimestampColumn values = timestamps(new Random(7), 5_000, shuffled);
        TimestampEncoder fused = TimestampEncoder.fit("t", values, standardize, oneHotParts);

        DoubleColumn[] reference = parts(values);
        assertThat(fused.seconds()).isEqualTo(NumericEncoder.fit("t", "t", seconds(values), standardize));
        List<FeatureEncoder> expectedParts = new ArrayList<>();
        for (TimestampPart part : TimestampPart.values()) {
            DoubleColumn column = reference[part.ordinal()];
            if (oneHotParts) {
                TreeSet<Integer> seen = new TreeSet<>();
                for (int row = 0; row < column.size(); row++) {
                    if (!column.isNull(row)) {
                        seen.add((int) column.get(row));
                    }
                }
                OneHotEncoder expected = new OneHotEncoder("t", part.processedInput("t"), seen.stream().map(String::valueOf).toList(),
                        Optional.empty());
                OneHotEncoder actual = (OneHotEncoder) fused.parts().get(part.ordinal());
                assertThat(actual.categories()).isEqualTo(expected.categories());
                assertThat(actual.processedInput()).isEqualTo(expected.processedInput());
                expectedParts.add(expected);
            } else {
                NumericEncoder expected = NumericEncoder.fit("t", part.processedInput("t"), column, standardize);
                assertThat(fused.parts().get(part.ordinal())).isEqualTo(expected);
                expectedParts.add(expected);
            }
        }

        // Encoding rows the model has not seen (other days, NULLs): per-part columns through each part's encoder.
        TimestampColumn scored = timestamps(new Random(11), 3_000, shuffled);
        int width = fused.columns().size();
        double[] actual = new double[scored.size() * width];
        Field field = Field.of("t", DataType.TIMESTAMP);
        fused.encode(new InputColumn(scored, field, field), actual, width, 0);
        double[] expected = new double[scored.size() * width];
        fused.seconds().encodeValues(seconds(scored), expected, width, 0);
        DoubleColumn[] scoredParts = parts(scored);
        int column = 1;
        for (int k = 0; k < expectedParts.size(); k++) {
            switch (expectedParts.get(k)) {
                case NumericEncoder numeric -> numeric.encodeValues(scoredParts[k], expected, width, column);
                case OneHotEncoder oneHot -> oneHot.encodeValues(asCategories(scoredParts[k]), expected, width, column);
                default -> throw new AssertionError();
            }
            column += expectedParts.get(k).columns().size();
        }
        assertThat(actual).isEqualTo(expected);
    }

    /**
     * Runs of rows within a day (as sorted data has), jumps across years, times before 1970, and NULLs; shuffled, a day
     * seldom lasts more than a row and comes back later.
     */
    private static TimestampColumn timestamps(Random random, int rows, boolean shuffled) {
        long[] micros = new long[rows];
        BitSet nulls = new BitSet(rows);
        long current = -400L * 86_400 * 1_000_000;
        for (int row = 0; row < rows; row++) {
            if (random.nextInt(10) == 0) {
                current += (long) (random.nextDouble() * 2_000 * 86_400) * 1_000_000; // to another day, up to ~5 years on
            } else {
                current += random.nextInt(600) * 1_000_000L + random.nextInt(1_000_000);
            }
            if (random.nextInt(13) == 0) {
                nulls.set(row);
            } else {
                micros[row] = current;
            }
        }
        for (int row = rows - 1; shuffled && row > 0; row--) {
            int other = random.nextInt(row + 1);
            long value = micros[row];
            micros[row] = micros[other];
            micros[other] = value;
            boolean wasNull = nulls.get(row);
            nulls.set(row, nulls.get(other));
            nulls.set(other, wasNull);
        }
        return new TimestampColumn(micros, nulls);
    }

    private static DoubleColumn seconds(TimestampColumn values) {
        double[] seconds = new double[values.size()];
        for (int row = 0; row < seconds.length; row++) {
            seconds[row] = values.isNull(row) ? Double.NaN : Math.floorDiv(values.epochMicros()[row], 1_000_000L);
        }
        return new DoubleColumn(seconds, (BitSet) values.nulls().clone());
    }

    /** Each part of each row straight from java.time, one column per part. */
    private static DoubleColumn[] parts(TimestampColumn values) {
        TimestampPart[] kinds = TimestampPart.values();
        DoubleColumn[] columns = new DoubleColumn[kinds.length];
        for (TimestampPart kind : kinds) {
            double[] part = new double[values.size()];
            for (int row = 0; row < part.length; row++) {
                part[row] = values.isNull(row) ? Double.NaN : kind.extract(utc(values.epochMicros()[row]));
            }
            columns[kind.ordinal()] = new DoubleColumn(part, (BitSet) values.nulls().clone());
        }
        return columns;
    }

    private static LocalDateTime utc(long epochMicros) {
        long seconds = Math.floorDiv(epochMicros, 1_000_000L);
        int nanos = (int) Math.floorMod(epochMicros, 1_000_000L) * 1000;
        return LocalDateTime.ofEpochSecond(seconds, nanos, ZoneOffset.UTC);
    }

    private static StringColumn asCategories(DoubleColumn values) {
        String[] rendered = new String[values.size()];
        for (int row = 0; row < rendered.length; row++) {
            rendered[row] = values.isNull(row) ? null : String.valueOf((int) values.get(row));
        }
        return StringColumn.of(rendered);
    }
}
