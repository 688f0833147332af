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
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.Warehouse;
import java.sql.Connection;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DataProfileTest {
    private static final List<Field> FIELDS = List.of(Field.of("x", DataType.FLOAT64), Field.of("c", DataType.STRING));

    private static Batch batch(double[] x, String[] c) {
        return new Batch(new Schema(FIELDS), x.length, List.of(DoubleColumn.of(x), StringColumn.of(c)));
    }

    private static double[] gaussian(int n, long seed, double shift) {
        Random random = new Random(seed);
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 97 == 0 ? Double.NaN : random.nextGaussian() * 10 + shift;
        }
        return values;
    }

    private static String[] categories(int n, long seed) {
        Random random = new Random(seed);
        String[] values = new String[n];
        for (int i = 0; i < n; i++) {
            values[i] = i % 50 == 0 ? null : "v" + random.nextInt(20);
        }
        return values;
    }

    private static DataProfile profile(double[] x, String[] c) {
        return new DataProfile.Builder(FIELDS).add(batch(x, c)).build();
    }

    private static <T> T[] concat(T[] a, T[] b) {
        T[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    @Test
    void mergedProfileEqualsTheProfileOfTheConcatenatedData() {
        double[] x1 = gaussian(30_000, 1, 0);
        double[] x2 = gaussian(20_000, 2, 5);
        String[] c1 = categories(30_000, 3);
        String[] c2 = categories(20_000, 4);
        double[] x = new double[x1.length + x2.length];
        System.arraycopy(x1, 0, x, 0, x1.length);
        System.arraycopy(x2, 0, x, x1.length, x2.length);

        DataProfile merged = profile(x1, c1).merge(profile(x2, c2));
        DataProfile whole = profile(x, concat(c1, c2));

        assertThat(merged.rows()).isEqualTo(whole.rows()).isEqualTo(50_000);
        ColumnProfile m = merged.column("x").orElseThrow();
        ColumnProfile w = whole.column("X").orElseThrow();
        assertThat(m.nulls()).isEqualTo(w.nulls());
        assertThat(m.values()).isEqualTo(w.values());
        assertThat(m.min().getAsDouble()).isEqualTo(w.min().getAsDouble());
        assertThat(m.max().getAsDouble()).isEqualTo(w.max().getAsDouble());
        assertThat(m.mean().getAsDouble()).isCloseTo(w.mean().getAsDouble(), within(1e-9));
        assertThat(m.stddev().getAsDouble()).isCloseTo(w.stddev().getAsDouble(), within(1e-9));
        double[] sorted = Arrays.stream(x).filter(v -> !Double.isNaN(v)).sorted().toArray();
        for (double rank : new double[] {0.1, 0.25, 0.5, 0.75, 0.9}) {
            double quantile = m.quantile(rank).getAsDouble();
            double actualRank = (double) Arrays.stream(sorted).filter(v -> v <= quantile).count() / sorted.length;
            assertThat(actualRank).as("rank of the %s quantile", rank).isCloseTo(rank, within(0.02));
        }
        ColumnProfile mc = merged.column("c").orElseThrow();
        ColumnProfile wc = whole.column("c").orElseThrow();
        assertThat(mc.nulls()).isEqualTo(wc.nulls());
        assertThat(mc.topValues(100)).isEqualTo(wc.topValues(100));
        assertThat(mc.distinctCount()).isEqualTo(20);
        assertThat(mc.averageLength().getAsDouble()).isCloseTo(wc.averageLength().getAsDouble(), within(1e-12));
    }

    @Test
    void aColumnOfFewValuesIsSketchedOncePerValueWithTheSameStatistics() {
        // 300 distinct integers over 200k rows take the counted path (ValueCounts); their moments are still summed row by
        // row, the distinct count is that of every value, and the quantiles keep KLL's rank error.
        Random random = new Random(11);
        double[] x = new double[200_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 101 == 0 ? Double.NaN : Math.floor(random.nextGaussian() * 40) + (i % 3 == 0 ? -0.0 : 0.0);
        }
        ColumnProfile counted = profile(x, categories(x.length, 12)).column("x").orElseThrow();
        double[] present = Arrays.stream(x).filter(v -> !Double.isNaN(v)).toArray();
        assertThat(counted.values()).isEqualTo(present.length);
        assertThat(counted.nulls()).isEqualTo(x.length - present.length);
        assertThat(counted.min().getAsDouble()).isEqualTo(Arrays.stream(present).min().orElseThrow());
        assertThat(counted.max().getAsDouble()).isEqualTo(Arrays.stream(present).max().orElseThrow());
        assertThat(counted.mean().getAsDouble()).isCloseTo(Arrays.stream(present).average().orElseThrow(), within(1e-9));
        assertThat(counted.zeros()).isEqualTo(Arrays.stream(present).filter(v -> v == 0).count());
        long distinct = Arrays.stream(present).map(v -> v + 0.0).distinct().count();
        assertThat(counted.distinctCount()).isCloseTo(distinct, within(distinct / 50));
        double[] sorted = present.clone();
        Arrays.sort(sorted);
        for (double rank : new double[] {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99}) {
            double quantile = counted.quantile(rank).getAsDouble();
            long below = Arrays.stream(sorted).filter(v -> v < quantile).count();
            long atOrBelow = Arrays.stream(sorted).filter(v -> v <= quantile).count();
            // With ties, the value's ranks span [below, atOrBelow]; the asked rank is within KLL's error of that span.
            assertThat(rank).as("the %s quantile %s spans ranks %s..%s", rank, quantile, below, atOrBelow)
                    .isBetween((double) below / sorted.length - 0.02, (double) atOrBelow / sorted.length + 0.02);
        }
    }

    @Test
    void bytesRoundTripKeepsCountsQuantilesAndCategories() {
        DataProfile profile = profile(gaussian(10_000, 7, 3), categories(10_000, 8));
        DataProfile read = DataProfile.fromBytes(profile.toBytes());
        ColumnProfile before = profile.column("x").orElseThrow();
        ColumnProfile after = read.column("x").orElseThrow();
        assertThat(read.rows()).isEqualTo(profile.rows());
        assertThat(after.values()).isEqualTo(before.values());
        assertThat(after.nulls()).isEqualTo(before.nulls());
        assertThat(after.mean()).isEqualTo(before.mean());
        assertThat(after.distinctCount()).isEqualTo(before.distinctCount());
        double[] sorted = Arrays.stream(gaussian(10_000, 7, 3)).filter(v -> !Double.isNaN(v)).sorted().toArray();
        for (double rank : new double[] {0.1, 0.5, 0.9}) {
            // Re-inserting the retained items with their weights rebuilds the sketch, not its exact bytes.
            double quantile = after.quantile(rank).getAsDouble();
            double actualRank = (double) Arrays.stream(sorted).filter(v -> v <= quantile).count() / sorted.length;
            assertThat(actualRank).isCloseTo(rank, within(0.02));
        }
        assertThat(read.column("c").orElseThrow().topValues(5)).isEqualTo(profile.column("c").orElseThrow().topValues(5));
        // A read profile still merges.
        assertThat(read.merge(profile).column("x").orElseThrow().values()).isEqualTo(2 * before.values());
    }

    @Test
    void smallDataIsProfiledExactly() {
        DataProfile profile = profile(new double[] {0, 1, 2, 3, Double.NaN}, new String[] {"a", "bb", "a", null, "a"});
        ColumnProfile x = profile.column("x").orElseThrow();
        assertThat(x.values()).isEqualTo(4);
        assertThat(x.nulls()).isEqualTo(1);
        assertThat(x.zeros()).isEqualTo(1);
        assertThat(x.mean().getAsDouble()).isEqualTo(1.5);
        assertThat(x.stddev().getAsDouble()).isCloseTo(Math.sqrt((2.25 + 0.25 + 0.25 + 2.25) / 3), within(1e-12));
        assertThat(x.quantiles(2)).containsExactly(0.0, 1.0, 3.0);
        assertThat(x.distinctCount()).isEqualTo(4);
        ColumnProfile c = profile.column("c").orElseThrow();
        assertThat(c.topValues(1)).containsExactly(java.util.Map.entry("a", 3L));
        assertThat(c.averageLength().getAsDouble()).isEqualTo(5.0 / 4);
        assertThat(c.distinctCount()).isEqualTo(2);
    }

    @Test
    void profilesWithDifferentColumnsDoNotMerge() {
        DataProfile profile = profile(new double[] {1}, new String[] {"a"});
        DataProfile other = new DataProfile.Builder(List.of(Field.of("x", DataType.STRING), Field.of("c", DataType.STRING)))
                .add(new Batch(new Schema(List.of(Field.of("x", DataType.STRING), Field.of("c", DataType.STRING))), 1,
                        List.of(StringColumn.of("1"), StringColumn.of("a"))))
                .build();
        assertThatThrownBy(() -> profile.merge(other)).isInstanceOf(LatheException.class).hasMessageContaining("'x'")
                .hasMessageContaining("FLOAT64").hasMessageContaining("STRING");
    }

    @Test
    void corruptBytesAreAClearError() {
        assertThatThrownBy(() -> DataProfile.fromBytes(new byte[] {1, 2, 3, 4, 5})).isInstanceOf(LatheException.class)
                .hasMessageContaining("profile");
    }

    @Test
    void numbersInManyBatchesHaveTheExactMomentsOfAllOfThem() {
        double[] x = gaussian(10_000, 11, 1e6); // far from 0: the moments' cancellation is what is tested
        x[5] = 0;
        x[6] = -0.0;
        DataProfile.Builder batched = new DataProfile.Builder(FIELDS);
        for (int from = 0; from < x.length; from += 999) {
            int to = Math.min(x.length, from + 999);
            batched.add(batch(Arrays.copyOfRange(x, from, to), new String[to - from]));
        }
        ColumnProfile p = batched.build().column("x").orElseThrow();
        double[] present = Arrays.stream(x).filter(v -> !Double.isNaN(v)).toArray();
        double mean = Arrays.stream(present).sum() / present.length;
        double squares = Arrays.stream(present).map(v -> (v - mean) * (v - mean)).sum();
        assertThat(p.values()).isEqualTo(present.length);
        assertThat(p.nulls()).isEqualTo(x.length - present.length);
        assertThat(p.zeros()).isEqualTo(2);
        assertThat(p.min().getAsDouble()).isEqualTo(Arrays.stream(present).min().getAsDouble());
        assertThat(p.max().getAsDouble()).isEqualTo(Arrays.stream(present).max().getAsDouble());
        assertThat(p.mean().getAsDouble()).isCloseTo(mean, within(1e-9 * Math.abs(mean)));
        assertThat(p.stddev().getAsDouble()).isCloseTo(Math.sqrt(squares / (present.length - 1)), within(1e-9));
        assertThat(p.distinctCount()).isCloseTo(present.length - 1, org.assertj.core.data.Percentage.withPercentage(5));
        assertThat(batched.build().column("c").orElseThrow().nulls()).isEqualTo(x.length);
    }

    @Test
    void profilesStoredInFormatOneStillLoad() throws Exception {
        // Written by the profile code before batched sketch updates (same data as here): the layout is unchanged.
        byte[] stored;
        try (var in = DataProfileTest.class.getResourceAsStream("/dev/lathe/profile/profile-format-1.bin")) {
            stored = in.readAllBytes();
        }
        double[] x = new double[20_000];
        Random numbers = new Random(7);
        for (int i = 0; i < x.length; i++) {
            x[i] = i % 97 == 0 ? Double.NaN : numbers.nextGaussian() * 10 + 5;
        }
        String[] c = new String[20_000];
        Random labels = new Random(8);
        for (int i = 0; i < c.length; i++) {
            c[i] = i % 50 == 0 ? null : "v" + labels.nextInt(20);
        }
        DataProfile old = DataProfile.fromBytes(stored);
        DataProfile now = profile(x, c);
        assertThat(old.rows()).isEqualTo(now.rows()).isEqualTo(20_000);
        ColumnProfile o = old.column("x").orElseThrow();
        ColumnProfile n = now.column("x").orElseThrow();
        assertThat(o.values()).isEqualTo(n.values()).isEqualTo(19_793);
        assertThat(o.nulls()).isEqualTo(n.nulls());
        assertThat(o.mean().getAsDouble()).isCloseTo(n.mean().getAsDouble(), within(1e-9));
        assertThat(o.stddev().getAsDouble()).isCloseTo(n.stddev().getAsDouble(), within(1e-9));
        assertThat(o.distinctCount()).isEqualTo(n.distinctCount());
        assertThat(o.quantile(0.5).getAsDouble()).isCloseTo(n.quantile(0.5).getAsDouble(), within(1.0)); // 2% of rank near sd 10
        assertThat(old.column("c").orElseThrow().topValues(20)).isEqualTo(now.column("c").orElseThrow().topValues(20));
        assertThat(old.merge(now).column("x").orElseThrow().values()).isEqualTo(2 * 19_793);
    }

    @Test
    void streamingFromTheWarehouseEqualsProfilingTheWholeBatch() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            String relation = "SELECT CASE WHEN i % 101 = 0 THEN NULL ELSE (i * 7919) % 100003 END::DOUBLE AS x, "
                    + "CASE WHEN i % 53 = 0 THEN NULL ELSE 'v' || (i % 37) END AS c, "
                    + "TIMESTAMP '2001-01-01' + to_seconds(i) AS t, i % 3 = 0 AS b, DATE '2001-01-01' + (i % 400)::INT AS d "
                    + "FROM range(200000) AS r(i)";
            Schema schema = Warehouse.describe(connection, relation);
            DataProfile streamed = DataProfile.of(connection, relation, schema); // 4 batches, read ahead
            DataProfile whole = DataProfile.of(BatchReader.readAll(connection, relation, schema.fields()));
            assertThat(streamed.rows()).isEqualTo(whole.rows()).isEqualTo(200_000);
            for (ColumnProfile s : streamed.columns()) {
                ColumnProfile w = whole.column(s.name()).orElseThrow();
                assertThat(s.nulls()).as(s.name()).isEqualTo(w.nulls());
                assertThat(s.distinctCount()).as(s.name()).isEqualTo(w.distinctCount());
                assertThat(s.min()).as(s.name()).isEqualTo(w.min());
                assertThat(s.max()).as(s.name()).isEqualTo(w.max());
                if (s.kind() == ColumnProfile.Kind.NUMERIC) {
                    assertThat(s.mean().getAsDouble()).as(s.name()).isCloseTo(w.mean().getAsDouble(), within(1e-12 * Math.abs(w.mean().getAsDouble())));
                    assertThat(s.stddev().getAsDouble() / w.stddev().getAsDouble()).as(s.name()).isCloseTo(1, within(1e-9));
                } else {
                    assertThat(s.topValues(40)).isEqualTo(w.topValues(40));
                }
            }
            assertThat(streamed.column("x").orElseThrow().nulls()).isEqualTo(1981);
            assertThat(streamed.column("d").orElseThrow().distinctCount()).isBetween(390L, 410L);
            assertThat(streamed.column("b").orElseThrow().topValues(2)).containsExactly(java.util.Map.entry("false", 133_333L),
                    java.util.Map.entry("true", 66_667L));
            // Categories only, and no rows at all.
            String categories = "SELECT c, b FROM (" + relation + ")";
            DataProfile counted = DataProfile.of(connection, categories, Warehouse.describe(connection, categories));
            assertThat(counted.rows()).isEqualTo(200_000);
            assertThat(counted.column("c").orElseThrow().topValues(40)).isEqualTo(whole.column("c").orElseThrow().topValues(40));
            String none = relation + " LIMIT 0";
            DataProfile empty = DataProfile.of(connection, none, Warehouse.describe(connection, none));
            assertThat(empty.rows()).isZero();
            assertThat(empty.columns()).allSatisfy(c -> assertThat(c.rows()).isZero());
            assertThat(streamed.column("t").orElseThrow().max().getAsDouble()).isEqualTo(978_307_200e6 + 199_999e6);
        }
    }

    @Test
    void aFailingRelationIsAnErrorAndLeavesTheConnectionUsable() throws Exception {
        try (Warehouse warehouse = Warehouse.inMemory(); Connection connection = warehouse.connect()) {
            String relation = "SELECT CASE WHEN i < 150000 THEN i::DOUBLE ELSE error('row ' || i || ' is bad') END AS x FROM range(200000) AS r(i)";
            Schema schema = Warehouse.describe(connection, relation);
            assertThatThrownBy(() -> DataProfile.of(connection, relation, schema)).isInstanceOf(LatheException.class)
                    .hasMessageContaining("is bad");
            try (var statement = connection.createStatement(); var rows = statement.executeQuery("SELECT 41 + 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
        }
    }
}
