import dev.lathe.train.boosted.TreeWalker;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * XGBoost4J's in-place prediction vs Lathe's Java tree walker on one booster:
 * {@code TreeWalk <prepared flights.bin> <booster>}. Checks both give the same floats on every row, then
 * (1) one-row latency, median of many calls on random rows, XGBoost with nthread 1 and with the core
 * count (what TreeEstimator used), and (2) all rows in one call, 1 and 2 threads (XGBoost's nthread; the
 * walker inside a fork-join pool of that parallelism), best of 3.
 */
public final class TreeWalk {
    public static void main(String[] args) throws Exception {
        PrepFlights.Prepared data = PrepFlights.Prepared.read(Path.of(args[0]));
        Booster booster = XGBoost.loadModel(args[1]);
        TreeWalker walker = TreeWalker.of(booster).orElseThrow();
        int cols = data.cols();
        int rows = data.rows();
        float[] all = data.allX();
        System.out.printf("rows %d, cols %d, rounds %d%n", rows, cols, booster.getNumBoostedRound());

        booster.setParam("nthread", 2);
        float[][] expected = booster.inplace_predict(all, rows, cols, Float.NaN);
        float[] walked = new float[rows];
        walker.predict(all, rows, cols, walked);
        int differing = 0;
        for (int r = 0; r < rows; r++) {
            if (Float.floatToIntBits(expected[r][0]) != Float.floatToIntBits(walked[r])) {
                differing++;
            }
        }
        System.out.printf("parity: %d of %d rows differ%n", differing, rows);

        Random random = new Random(1);
        int calls = 20_000;
        for (int nthread : new int[] {1, Runtime.getRuntime().availableProcessors()}) {
            booster.setParam("nthread", nthread);
            long[] times = new long[calls];
            for (int warm = 0; warm < 2; warm++) {
                for (int i = 0; i < calls; i++) {
                    int at = random.nextInt(rows) * cols;
                    float[] row = Arrays.copyOfRange(all, at, at + cols);
                    long start = System.nanoTime();
                    booster.inplace_predict(row, 1, cols, Float.NaN);
                    times[i] = System.nanoTime() - start;
                }
            }
            System.out.printf("one row, XGBoost4J inplace_predict (nthread %d): median %.2f us, p99 %.2f us%n", nthread,
                    percentile(times, 0.5) / 1e3, percentile(times, 0.99) / 1e3);
        }
        int walkCalls = 200_000;
        long[] times = new long[walkCalls];
        float[] out = new float[1];
        double sink = 0;
        for (int warm = 0; warm < 3; warm++) {
            for (int i = 0; i < walkCalls; i++) {
                int at = random.nextInt(rows) * cols;
                float[] row = Arrays.copyOfRange(all, at, at + cols);
                long start = System.nanoTime();
                walker.predict(row, 1, cols, out);
                times[i] = System.nanoTime() - start;
                sink += out[0];
            }
        }
        System.out.printf("one row, TreeWalker.predict: median %.2f us, p99 %.2f us%n", percentile(times, 0.5) / 1e3,
                percentile(times, 0.99) / 1e3);

        for (int threads : new int[] {1, 2}) {
            booster.setParam("nthread", threads);
            long best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                booster.inplace_predict(all, rows, cols, Float.NaN);
                best = Math.min(best, System.nanoTime() - start);
            }
            System.out.printf("%d rows, XGBoost4J inplace_predict, nthread %d: %.0f ms (%.2f M rows/s)%n", rows, threads, best / 1e6,
                    rows / (best / 1e9) / 1e6);
            ForkJoinPool pool = new ForkJoinPool(threads);
            best = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                pool.submit(() -> walker.predict(all, rows, cols, walked)).get();
                best = Math.min(best, System.nanoTime() - start);
            }
            pool.shutdown();
            System.out.printf("%d rows, TreeWalker.predict, %d thread(s): %.0f ms (%.2f M rows/s)%n", rows, threads, best / 1e6,
                    rows / (best / 1e9) / 1e6);
        }
        System.out.println(sink > 0 ? "" : " ");
    }

    private static double percentile(long[] times, double q) {
        long[] sorted = times.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))];
    }
}
