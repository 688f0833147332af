import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.Field;
import dev.lathe.core.Schema;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import dev.lathe.engine.Result;
import dev.lathe.profile.ColumnProfile;
import dev.lathe.profile.DataProfile;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.Warehouse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * Data profiling throughput (issue 4, point 7): {@code ProfileBench <data dir> <table> <mode> [<warm-ups> <repeats>]}, where mode is
 * {@code cold-limit}, {@code cold-lathe}, {@code cold-sql} (one timed call, the first of its kind in this JVM) or {@code warm}
 * (warm-ups, then repeats of all three interleaved). The three things timed, in cells (rows x profiled columns) per second:
 * <ul>
 *   <li>limit: the raw DataSketches updates ColumnProfile's sketches need, on values already in Java arrays: per numeric value a
 *       KLL (k = 200) and an HLL (2^12 8-bit registers, the size of Lathe's distinct counter) update; per category value a
 *       frequent-items (map size 1024) and an HLL update, one call per row;</li>
 *   <li>lathe: {@link DataProfile#of(Connection, String, Schema)} over the table, as the training profile and ML.DESCRIBE_DATA use it
 *       (reads the table out of DuckDB, then sketches);</li>
 *   <li>sql: {@code SELECT * FROM ML.DESCRIBE_DATA(TABLE t)} through a session, rows read to the end.</li>
 * </ul>
 * Prints one {@code RESULT} line per timed call.
 */
public final class ProfileBench {
    private static final int KLL_K = 200;
    private static final int LG_HLL = 12;
    private static final int ITEMS_MAP_SIZE = 1024;
    private static long sink;

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        String table = args[1];
        String mode = args[2];
        int warmUps = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        int repeats = args.length > 4 ? Integer.parseInt(args[4]) : 5;
        String relation = "SELECT * FROM " + table;
        try (Platform platform = Platform.open(data); Connection connection = platform.warehouse().connect();
                Engine engine = platform.session(line -> {})) {
            Schema schema = Warehouse.describe(connection, relation);
            List<Field> fields = schema.fields().stream().filter(f -> ColumnProfile.kindOf(f.type()).isPresent()).toList();
            long rows;
            try (var statement = connection.createStatement(); ResultSet count = statement.executeQuery("SELECT count(*) FROM " + table)) {
                count.next();
                rows = count.getLong(1);
            }
            long cells = rows * fields.size();
            String describe = "SELECT * FROM ML.DESCRIBE_DATA(TABLE " + table + ")";
            switch (mode) {
                case "cold-limit" -> {
                    Values values = Values.read(connection, relation, fields);
                    report("cold_limit", cells, limit(values));
                }
                case "cold-lathe" -> report("cold_lathe", cells, lathe(connection, relation, schema));
                case "cold-sql" -> report("cold_sql", cells, sql(engine, describe));
                case "warm" -> {
                    Values values = Values.read(connection, relation, fields);
                    System.out.println("  " + rows + " rows x " + fields.size() + " profiled columns: "
                            + fields.stream().map(f -> f.name() + " " + f.type()).toList());
                    for (int i = 0; i < warmUps; i++) {
                        limit(values);
                        lathe(connection, relation, schema);
                        sql(engine, describe);
                    }
                    for (int i = 0; i < repeats; i++) {
                        report("warm_limit", cells, limit(values));
                        report("warm_lathe", cells, lathe(connection, relation, schema));
                        report("warm_sql", cells, sql(engine, describe));
                    }
                    // Where the time goes: reading every column out of DuckDB (what profiling did before categories were counted
                    // in the warehouse), reading the numeric columns alone, the categorical columns' profile alone (GROUP BY in
                    // DuckDB), each limit sketch alone, and the numeric columns only against their limit.
                    List<Field> numeric = fields.stream().filter(f -> ColumnProfile.kindOf(f.type()).orElseThrow() == ColumnProfile.Kind.NUMERIC).toList();
                    String numericRelation = "SELECT " + String.join(", ", numeric.stream().map(f -> '"' + f.name() + '"').toList()) + " FROM " + table;
                    Values numericValues = new Values(values.numbers(), List.of());
                    Schema numericSchema = new Schema(numeric);
                    long numericCells = rows * numeric.size();
                    for (int i = 0; i < warmUps; i++) {
                        limit(numericValues);
                        lathe(connection, numericRelation, numericSchema);
                    }
                    List<Field> categorical = fields.stream().filter(f -> !numeric.contains(f)).toList();
                    for (int i = 0; i < repeats; i++) {
                        report("warm_read_all", cells, drain(connection, relation, fields));
                        report("warm_read_numbers", numericCells, drain(connection, relation, numeric));
                        String categoricalRelation = "SELECT " + String.join(", ", categorical.stream().map(f -> '"' + f.name() + '"').toList())
                                + " FROM " + table;
                        report("warm_categories", rows * categorical.size(), lathe(connection, categoricalRelation, new Schema(categorical)));
                        report("warm_limit_numeric", numericCells, limit(numericValues));
                        report("warm_lathe_numeric", numericCells, lathe(connection, numericRelation, numericSchema));
                        System.out.println("RESULT warm_parts " + values.parts());
                    }
                }
                default -> throw new IllegalArgumentException("mode must be cold-limit, cold-lathe, cold-sql or warm, got " + mode);
            }
        }
        if (sink == 42) {
            System.out.println();
        }
    }

    private static void report(String name, long cells, long nanos) {
        System.out.printf("RESULT %s ms=%.1f cells=%d cells_per_s=%.0f%n", name, nanos / 1e6, cells, cells / (nanos / 1e9));
    }

    /** The profiled columns' non-null values in Java arrays: numbers (timestamps as epoch microseconds) and per-row category strings. */
    record Values(List<double[]> numbers, List<String[]> categories) {
        static Values read(Connection connection, String relation, List<Field> fields) {
            Batch all = BatchReader.readAll(connection, relation, fields);
            List<double[]> numbers = new ArrayList<>();
            List<String[]> categories = new ArrayList<>();
            for (Column column : all.columns()) {
                switch (column) {
                    case DoubleColumn d -> numbers.add(Arrays.stream(d.values()).filter(v -> !Double.isNaN(v)).toArray());
                    case TimestampColumn t -> {
                        double[] micros = new double[t.size() - t.nulls().cardinality()];
                        int n = 0;
                        for (int i = 0; i < t.size(); i++) {
                            if (!t.isNull(i)) {
                                micros[n++] = t.epochMicros()[i];
                            }
                        }
                        numbers.add(micros);
                    }
                    case StringColumn s -> {
                        List<String> present = new ArrayList<>();
                        for (int code : s.codes()) {
                            if (code >= 0) {
                                present.add(s.dictionary().get(code));
                            }
                        }
                        categories.add(present.toArray(String[]::new));
                    }
                    default -> throw new IllegalArgumentException("unexpected column " + column.getClass().getSimpleName());
                }
            }
            return new Values(numbers, categories);
        }

        /** Each sketch kind on its own, in ns per value: where the limit's time goes. */
        String parts() {
            long numberValues = numbers.stream().mapToLong(c -> c.length).sum();
            long stringValues = categories.stream().mapToLong(c -> c.length).sum();
            return String.format("kll_ns=%.1f hll_number_ns=%.1f items_ns=%.1f hll_string_ns=%.1f",
                    timed(numbers, ProfileBench::kll) / numberValues, timed(numbers, ProfileBench::hll) / numberValues,
                    timed(categories, ProfileBench::items) / stringValues, timed(categories, ProfileBench::hll) / stringValues);
        }

        private static <T> double timed(List<T> columns, java.util.function.ToLongFunction<T> pass) {
            long start = System.nanoTime();
            for (T column : columns) {
                sink += pass.applyAsLong(column);
            }
            return System.nanoTime() - start;
        }
    }

    private static long kll(double[] column) {
        KllDoublesSketch quantiles = KllDoublesSketch.newHeapInstance(KLL_K);
        for (double v : column) {
            quantiles.update(v);
        }
        return quantiles.getN();
    }

    private static long hll(double[] column) {
        HllSketch distinct = new HllSketch(LG_HLL, TgtHllType.HLL_8);
        for (double v : column) {
            distinct.update(v);
        }
        return (long) distinct.getEstimate();
    }

    private static long items(String[] column) {
        ItemsSketch<String> frequent = new ItemsSketch<>(ITEMS_MAP_SIZE);
        for (String v : column) {
            frequent.update(v);
        }
        return frequent.getNumActiveItems();
    }

    private static long hll(String[] column) {
        HllSketch distinct = new HllSketch(LG_HLL, TgtHllType.HLL_8);
        for (String v : column) {
            distinct.update(v);
        }
        return (long) distinct.getEstimate();
    }

    /** The limit: every sketch update ColumnProfile needs, one call per value, on fresh sketches. */
    static long limit(Values values) {
        long start = System.nanoTime();
        for (double[] column : values.numbers()) {
            KllDoublesSketch quantiles = KllDoublesSketch.newHeapInstance(KLL_K);
            HllSketch distinct = new HllSketch(LG_HLL, TgtHllType.HLL_8);
            for (double v : column) {
                quantiles.update(v);
                distinct.update(v);
            }
            sink += quantiles.getN() + (long) distinct.getEstimate();
        }
        for (String[] column : values.categories()) {
            ItemsSketch<String> frequent = new ItemsSketch<>(ITEMS_MAP_SIZE);
            HllSketch distinct = new HllSketch(LG_HLL, TgtHllType.HLL_8);
            for (String v : column) {
                frequent.update(v);
                distinct.update(v);
            }
            sink += frequent.getNumActiveItems() + (long) distinct.getEstimate();
        }
        return System.nanoTime() - start;
    }

    /** Reads {@code fields} of the relation through BatchReader to the end, sketching nothing. */
    static long drain(Connection connection, String relation, List<Field> fields) {
        long start = System.nanoTime();
        try (BatchReader reader = BatchReader.open(connection, relation, fields, BatchReader.DEFAULT_BATCH_SIZE)) {
            for (var batch = reader.next(); batch.isPresent(); batch = reader.next()) {
                sink += batch.get().rowCount();
            }
        }
        return System.nanoTime() - start;
    }

    static long lathe(Connection connection, String relation, Schema schema) {
        long start = System.nanoTime();
        DataProfile profile = DataProfile.of(connection, relation, schema);
        long nanos = System.nanoTime() - start;
        sink += profile.rows() + profile.columns().stream().mapToLong(ColumnProfile::distinctCount).sum();
        return nanos;
    }

    static long sql(Engine engine, String describe) {
        long start = System.nanoTime();
        engine.execute(describe, (text, result) -> {
            if (result instanceof Result.Rows rows) {
                ResultSet set = rows.rows();
                while (set.next()) {
                    sink += set.getLong("unique");
                }
            }
        });
        return System.nanoTime() - start;
    }
}
