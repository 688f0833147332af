import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;

/**
 * The peer: XGBoost4J called directly from Java on the prepared float arrays.
 * <ul>
 *   <li>{@code train <prepared> <rounds> <booster-out>}: DMatrix construction for the training and evaluation
 *       rows, then XGBoost.train for exactly {@code rounds} rounds with both matrices as watches (Lathe
 *       evaluates both every round too), with the parameters Lathe's XgboostParameters gives
 *       BOOSTED_TREE_REGRESSOR's defaults; {@code [repeats]} as for predict ({@code warm_ms}: the median of runs
 *       2..repeats in this JVM);
 *   <li>{@code predict <prepared> <booster> [repeats]}: DMatrix over all rows, then Booster.predict; with
 *       repeats &gt; 1, the same again in this JVM and also the median of runs 2..repeats ({@code warm_ms}: the
 *       booster loaded, the code compiled), to compare with Lathe's warm ML.PREDICT.
 * </ul>
 * Loading the arrays is not timed.
 */
public final class DirectXgboost {
    public static void main(String[] args) throws Exception {
        PrepFlights.Prepared data = PrepFlights.Prepared.read(Path.of(args[1]));
        switch (args[0]) {
            case "train" -> train(data, Integer.parseInt(args[2]), args[3], args.length > 4 ? Integer.parseInt(args[4]) : 1);
            case "predict" -> predict(data, args[2], args.length > 3 ? Integer.parseInt(args[3]) : 1);
            default -> throw new IllegalArgumentException("mode train or predict, got " + args[0]);
        }
    }

    static Map<String, Object> params() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("objective", "reg:squarederror");
        params.put("eval_metric", "rmse");
        params.put("seed", 0);
        params.put("nthread", Runtime.getRuntime().availableProcessors());
        params.put("verbosity", 1);
        params.put("num_parallel_tree", 1L);
        params.put("max_depth", 6L);
        params.put("alpha", 0.0);
        params.put("lambda", 1.0);
        params.put("tree_method", "hist");
        params.put("min_child_weight", 1L);
        params.put("colsample_bytree", 1.0);
        params.put("colsample_bylevel", 1.0);
        params.put("colsample_bynode", 1.0);
        params.put("gamma", 0.0);
        params.put("subsample", 1.0);
        params.put("eta", 0.3);
        params.put("booster", "gbtree");
        return params;
    }

    private static void train(PrepFlights.Prepared data, int rounds, String boosterOut, int repeats) throws Exception {
        String first = "";
        long[] wall = new long[repeats];
        for (int run = 0; run < repeats; run++) {
            Trained trained = trainOnce(data, rounds);
            wall[run] = trained.wallMs();
            if (run == 0) {
                trained.booster().saveModel(boosterOut);
                float[][] metrics = trained.metrics();
                double trainMse = (double) metrics[0][rounds - 1] * metrics[0][rounds - 1];
                double evalMse = (double) metrics[1][rounds - 1] * metrics[1][rounds - 1];
                System.out.printf("  direct: %d rounds on %d rows, last train loss (MSE) %.4f, eval loss %.4f%n", rounds, data.trainRows(),
                        trainMse, evalMse);
                first = "wall_ms=" + trained.wallMs() + " dmatrix_ms=" + trained.dmatrixMs() + " train_ms=" + trained.trainMs()
                        + " rounds=" + rounds + " train_loss=" + trainMse;
            }
            trained.booster().dispose();
        }
        Proc.result("direct_tree_train", first + (repeats > 1 ? " warm_ms=" + Proc.warmMedian(wall) : ""));
    }

    /** One direct training; the caller disposes the booster. */
    record Trained(Booster booster, float[][] metrics, long dmatrixMs, long trainMs, long wallMs) {}

    /** DMatrix for the training and evaluation rows, then {@code rounds} rounds of XGBoost.train watching both. */
    static Trained trainOnce(PrepFlights.Prepared data, int rounds) throws Exception {
        long start = System.nanoTime();
        DMatrix train = new DMatrix(data.trainX(), data.trainRows(), data.cols(), Float.NaN);
        DMatrix eval = new DMatrix(data.evalX(), data.evalRows(), data.cols(), Float.NaN);
        try {
            train.setLabel(data.trainY());
            eval.setLabel(data.evalY());
            long dmatrixMs = Proc.msSince(start);
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            watches.put("train", train);
            watches.put("eval", eval);
            float[][] metrics = new float[watches.size()][rounds];
            long trainStart = System.nanoTime();
            Booster booster = XGBoost.train(train, params(), rounds, watches, metrics, null, null, 0);
            return new Trained(booster, metrics, dmatrixMs, Proc.msSince(trainStart), Proc.msSince(start));
        } finally {
            train.dispose();
            eval.dispose();
        }
    }

    private static void predict(PrepFlights.Prepared data, String boosterFile, int repeats) throws Exception {
        Booster booster = XGBoost.loadModel(boosterFile);
        booster.setParam("nthread", Runtime.getRuntime().availableProcessors());
        String first = "";
        long[] wall = new long[repeats];
        for (int run = 0; run < repeats; run++) {
            long start = System.nanoTime();
            DMatrix all = new DMatrix(data.allX(), data.rows(), data.cols(), Float.NaN);
            long dmatrixMs = Proc.msSince(start);
            long predictStart = System.nanoTime();
            float[][] predicted = booster.predict(all);
            long predictMs = Proc.msSince(predictStart);
            long wallMs = Proc.msSince(start);
            all.dispose();
            wall[run] = wallMs;
            if (run > 0) {
                continue;
            }
            double sum = 0;
            for (float[] row : predicted) {
                sum += row[0];
            }
            System.out.printf("  direct: %d predictions, sum %.1f%n", predicted.length, sum);
            first = "wall_ms=" + wallMs + " dmatrix_ms=" + dmatrixMs + " predict_ms=" + predictMs + " rows=" + predicted.length + " sum=" + sum;
        }
        Proc.result("direct_predict", first + (repeats > 1 ? " warm_ms=" + Proc.warmMedian(wall) : ""));
        booster.dispose();
    }
}
