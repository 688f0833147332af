import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A CREATE MODEL statement and its direct call alternating in one JVM, {@code rounds} times:
 * {@code SameJvm tree <data-dir> <flights.bin> <rounds> <sql>} (the direct call: DMatrix + XGBoost.train, as
 * {@code DirectXgboost train}) or {@code SameJvm logistic <data-dir> <adult.csv> <rounds> <sql>} (the direct call:
 * LogisticRegressionFamily.train on the prepared TrainingSet, as {@code DirectLogistic}). Both share the JVM's state
 * (its compiled code, its heap, the loaded native libraries), so their ratio is free of what separate JVMs differ in;
 * the figures are the medians of the second half of the rounds, once the JIT has compiled Lathe's code. Prints each
 * round and a RESULT line.
 */
public final class SameJvm {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path dataDir = Path.of(args[1]);
        int rounds = Integer.parseInt(args[3]);
        String sql = args[4];
        Direct direct = switch (mode) {
            case "tree" -> {
                PrepFlights.Prepared data = PrepFlights.Prepared.read(Path.of(args[2]));
                yield boosting -> tree(data, boosting);
            }
            case "logistic" -> {
                DirectLogistic.Prepared prepared = DirectLogistic.prepare(args[2], "income");
                yield boosting -> {
                    long start = System.nanoTime();
                    prepared.train();
                    return Proc.msSince(start);
                };
            }
            default -> throw new IllegalArgumentException("mode is tree or logistic, got " + mode);
        };
        long[] lathe = new long[rounds];
        long[] peer = new long[rounds];
        try (Engine engine = Lathe.open(dataDir, line -> {})) {
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                engine.execute(sql, (statement, result) -> {});
                lathe[round] = Proc.msSince(start);
                String phases = LatheSql.phases(dataDir);
                int boosting = LatheSql.rounds(dataDir);
                peer[round] = direct.call(boosting);
                System.out.printf("  %s round %d: lathe %d ms (%s, %d iterations), direct %d ms, ratio %.2f%n", mode, round + 1,
                        lathe[round], phases.trim(), boosting, peer[round], (double) lathe[round] / peer[round]);
            }
        }
        long l = secondHalfMedian(lathe);
        long p = secondHalfMedian(peer);
        Proc.result("same_jvm_" + mode, "lathe_ms=" + l + " direct_ms=" + p + " ratio="
                + String.format(java.util.Locale.ROOT, "%.2f", (double) l / p));
    }

    /** The direct call, given the rounds Lathe's statement trained (early stopping decides them); wall ms. */
    private interface Direct {
        long call(int rounds) throws Exception;
    }

    /**
     * DMatrix + train for as many rounds as Lathe's model trained, as {@code DirectXgboost train} does it; wall ms. (Until
     * the 2026-12-05 sixth session this was a fixed 6 rounds, the model's count before run 9's split change made it 4.)
     */
    private static long tree(PrepFlights.Prepared data, int rounds) throws Exception {
        DirectXgboost.Trained trained = DirectXgboost.trainOnce(data, rounds);
        trained.booster().dispose();
        return trained.wallMs();
    }

    private static long secondHalfMedian(long[] runs) {
        long[] tail = Arrays.copyOfRange(runs, runs.length / 2, runs.length);
        Arrays.sort(tail);
        return tail[tail.length / 2];
    }
}
