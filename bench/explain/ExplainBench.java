import dev.lathe.core.Batch;
import dev.lathe.core.DenseMatrix;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import dev.lathe.features.FeaturePipeline;
import dev.lathe.train.boosted.TreeShap;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.Warehouse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ForkJoinPool;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * TreeSHAP throughput (issue 4, point 7): XGBoost4J's predictContrib against Lathe's Java TreeShap on the
 * same booster and the same float arrays, and ML.EXPLAIN_PREDICT end to end.
 * <ul>
 *   <li>{@code direct <data-dir> <model-version-dir> <table> <repeats>}: reads the table's rows through the
 *       model's own pipeline (pipeline.json) into the encoded float matrix Lathe explains, loads the booster
 *       out of estimator.bin, checks both give the same floats, then per thread count (1, then the core
 *       count: XGBoost's nthread, TreeShap inside a fork-join pool of that parallelism) times, interleaved,
 *       the DMatrix build, predictContrib on it and TreeShap.contributions; the first call of each and the
 *       median of the rest, in wall time and in the process's CPU time (all threads), and the best call.
 *   <li>{@code sql <data-dir> <sql> <repeats>}: the statement through Lathe's engine, first call (the model
 *       loads) and the median of the rest.
 * </ul>
 */
public final class ExplainBench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "direct" -> direct(Path.of(args[1]), Path.of(args[2]), args[3], Integer.parseInt(args[4]));
            case "sql" -> sql(Path.of(args[1]), args[2], Integer.parseInt(args[3]));
            default -> throw new IllegalArgumentException("mode direct or sql, got " + args[0]);
        }
    }

    private static void direct(Path dataDir, Path version, String table, int repeats) throws Exception {
        FeaturePipeline pipeline = FeaturePipeline.fromJson(Files.readString(version.resolve("pipeline.json")));
        Properties readOnly = new Properties();
        readOnly.setProperty("duckdb.read_only", "true");
        DenseMatrix matrix;
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + dataDir.resolve(Warehouse.FILE_NAME), readOnly)) {
            Batch batch = BatchReader.readAll(connection, "SELECT * FROM " + table, pipeline.inputFields());
            matrix = pipeline.transform(batch);
        }
        float[] data = matrix.toFloats();
        int rows = matrix.rows();
        int cols = matrix.cols();
        Booster booster = XGBoost.loadModel(PredictFloor.boosterBytes(Files.readAllBytes(version.resolve("estimator.bin"))));
        TreeShap shap = TreeShap.of(booster).orElseThrow();
        int width = shap.numGroups() * (cols + 1);
        System.out.printf(Locale.ROOT, "rows %d, encoded columns %d, trees %d%n", rows, cols, booster.getNumBoostedRound());

        int cores = Runtime.getRuntime().availableProcessors();
        booster.setParam("nthread", cores);
        float[] java = new float[rows * width];
        shap.contributions(data, rows, cols, java);
        DMatrix check = new DMatrix(data, rows, cols, Float.NaN);
        float[][] xgboost = booster.predictContrib(check, 0);
        check.dispose();
        long differing = 0;
        double largest = 0;
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < width; i++) {
                float ours = java[r * width + i];
                differing += Float.floatToIntBits(ours) == Float.floatToIntBits(xgboost[r][i]) ? 0 : 1;
                largest = Math.max(largest, Math.abs(ours - xgboost[r][i]));
            }
        }
        System.out.printf(Locale.ROOT, "parity: %d of %d values differ from predictContrib, largest difference %.3g%n", differing,
                (long) rows * width, largest);

        for (int threads : cores == 1 ? new int[] {1} : new int[] {1, cores}) {
            booster.setParam("nthread", threads);
            ForkJoinPool pool = new ForkJoinPool(threads);
            long[] dmatrix = new long[repeats];
            long[] contrib = new long[repeats];
            long[] java2 = new long[repeats];
            long[] contribCpu = new long[repeats];
            long[] javaCpu = new long[repeats];
            for (int i = 0; i < repeats; i++) {
                long start = System.nanoTime();
                DMatrix m = new DMatrix(data, rows, cols, Float.NaN);
                dmatrix[i] = System.nanoTime() - start;
                long cpu = Proc.cpuNanos();
                start = System.nanoTime();
                booster.predictContrib(m, 0);
                contrib[i] = System.nanoTime() - start;
                contribCpu[i] = Proc.cpuNanos() - cpu;
                m.dispose();
                cpu = Proc.cpuNanos();
                start = System.nanoTime();
                pool.submit(() -> shap.contributions(data, rows, cols, java)).get();
                java2[i] = System.nanoTime() - start;
                javaCpu[i] = Proc.cpuNanos() - cpu;
            }
            pool.shutdown();
            Proc.result("direct_t" + threads, String.format(Locale.ROOT,
                    "threads=%d rows=%d dmatrix_ms=%.1f xgb_ms=%.1f xgb_first_ms=%.1f xgb_rows_s=%.0f java_ms=%.1f java_first_ms=%.1f"
                            + " java_rows_s=%.0f ratio=%.3f xgb_cpu_ms=%.1f java_cpu_ms=%.1f cpu_ratio=%.3f xgb_best_ms=%.1f java_best_ms=%.1f",
                    threads, rows, median(dmatrix) / 1e6, median(contrib) / 1e6, contrib[0] / 1e6, rows / (median(contrib) / 1e9),
                    median(java2) / 1e6, java2[0] / 1e6, rows / (median(java2) / 1e9), (double) median(contrib) / median(java2),
                    median(contribCpu) / 1e6, median(javaCpu) / 1e6, (double) median(contribCpu) / median(javaCpu),
                    Arrays.stream(contrib).min().orElseThrow() / 1e6, Arrays.stream(java2).min().orElseThrow() / 1e6));
        }
    }

    private static void sql(Path dataDir, String sql, int repeats) throws Exception {
        long[] times = new long[repeats];
        try (Engine engine = Lathe.open(dataDir, line -> { })) {
            for (int i = 0; i < repeats; i++) {
                boolean first = i == 0;
                long start = System.nanoTime();
                engine.execute(sql, (statement, result) -> {
                    if (result instanceof dev.lathe.engine.Result.Rows r) {
                        while (r.rows().next()) {
                            if (first) {
                                System.out.println("  ROW " + r.rows().getString(1));
                            }
                        }
                    }
                });
                times[i] = System.nanoTime() - start;
            }
        }
        Proc.result("sql", String.format(Locale.ROOT, "first_ms=%.0f warm_ms=%.0f", times[0] / 1e6, median(times) / 1e6));
    }

    /** The median of every call after the first (all of them when there is only one). */
    private static long median(long[] times) {
        long[] warm = times.length > 1 ? Arrays.copyOfRange(times, 1, times.length) : times.clone();
        Arrays.sort(warm);
        return warm[warm.length / 2];
    }
}
