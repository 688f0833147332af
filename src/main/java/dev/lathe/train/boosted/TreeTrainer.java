package dev.lathe.train.boosted;

import dev.lathe.core.BackgroundThread;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.FloatSink;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.train.CommonOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.atomic.AtomicBoolean;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.util.BigDenseMatrix;

/**
 * Trains one booster round by round so that every round yields an ML.TRAINING_INFO row and BigQuery
 * ML's early-stop rule can end training (XGBoost's own early stopping counts rounds without
 * improvement, a different rule).
 */
final class TreeTrainer {
    /** BigQuery ML's limit for boosted-tree classifiers. */
    static final int MAX_CLASSES = 1000;

    private static final AtomicBoolean LOADING = new AtomicBoolean();

    private static final String TRAIN = "train";
    private static final String EVAL = "eval";

    private final Ensemble ensemble;
    private final ModelTask task;
    private final String modelType;

    /** How often a round still running says so ({@link TrainingListener#stillWorking}). */
    private final Duration heartbeat;

    TreeTrainer(Ensemble ensemble, ModelTask task, String modelType) {
        this(ensemble, task, modelType, Duration.ofSeconds(5));
    }

    TreeTrainer(Ensemble ensemble, ModelTask task, String modelType, Duration heartbeat) {
        this.ensemble = ensemble;
        this.task = task;
        this.modelType = modelType;
        this.heartbeat = heartbeat;
    }

    /**
     * Loads XGBoost4J's native library once per process on a daemon thread: the first use of XGBoost unpacks a 14 MB
     * library from its jar and initializes its JNI classes, about 0.25 s of one core, which training would otherwise
     * pay before its first round. Training that starts meanwhile waits for the class initialization, never repeats it.
     * Returns the thread the first time, empty afterwards.
     */
    static Optional<Thread> loadXgboostInBackground() {
        if (!LOADING.compareAndSet(false, true)) {
            return Optional.empty();
        }
        return Optional.of(BackgroundThread.start("lathe-xgboost-load", () -> {
            try {
                XgboostLibrary.preload(); // first: XGBoostJNI's initializer must not be what loads it (probe ta F2)
                Class.forName("ml.dmlc.xgboost4j.java.XGBoostJNI", true, TreeTrainer.class.getClassLoader());
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) {
                // training loads it itself, again, and reports what is wrong
            }
        }));
    }

    TreeEstimator train(TrainingSet data, ModelOptions options, TrainingListener listener) {
        checkData(data);
        XgboostLibrary.preload(); // when the background load has not begun, or failed (it says why, and is tried again next time)
        int numClasses = task == ModelTask.CLASSIFICATION ? data.numClasses() : 0;
        Objective objective = Objective.of(task, numClasses);
        Map<String, Object> params = XgboostParameters.of(ensemble, objective, numClasses, options);
        double learningRate = XgboostParameters.learningRate(ensemble, options);
        int maxRounds = XgboostParameters.rounds(ensemble, options);
        boolean earlyStop = options.getBool(CommonOptions.EARLY_STOP);
        EarlyStop rule = new EarlyStop(options.getDouble(CommonOptions.MIN_REL_PROGRESS));

        int threads = ((Number) params.get("nthread")).intValue();
        List<DMatrix> matrices = new ArrayList<>();
        Booster booster = null;
        try {
            DMatrix train = matrix(data.train(), data.labels(), data.weights(), matrices);
            Optional<DMatrix> eval = data.eval().isPresent() && data.eval().get().rows() > 0
                    ? Optional.of(matrix(data.eval().get(), data.evalLabels(), data.evalWeights(), matrices))
                    : Optional.empty();
            Map<String, DMatrix> watches = new LinkedHashMap<>();
            watches.put(TRAIN, train);
            eval.ifPresent(e -> watches.put(EVAL, e));
            DMatrix[] evalMatrices = watches.values().toArray(DMatrix[]::new);
            String[] evalNames = watches.keySet().toArray(String[]::new);

            // Zero rounds: XGBoost builds the booster with prediction caches for both splits, so the
            // per-round evaluation below is incremental rather than a full re-prediction.
            booster = XGBoost.train(train, params, 0, watches, null, null);
            List<TrainingIteration> iterations = new ArrayList<>();
            for (int round = 0; round < maxRounds; round++) {
                long start = System.nanoTime();
                try (Heartbeat beat = new Heartbeat(heartbeat,
                        whatGrows(round, params, objective == Objective.MULTICLASS ? numClasses : 1), listener)) {
                    booster.update(train, round); // one call, whatever it grows: a random forest's every tree
                }
                double[] metrics = parseMetrics(evaluate(booster, evalMatrices, evalNames, round, threads), evalNames.length);
                double loss = objective.lossFromMetric(metrics[0]);
                OptionalDouble evalLoss = eval.isPresent() ? OptionalDouble.of(objective.lossFromMetric(metrics[1])) : OptionalDouble.empty();
                TrainingIteration iteration = new TrainingIteration(round, loss, evalLoss, learningRate,
                        (System.nanoTime() - start) / 1_000_000, List.of());
                iterations.add(iteration);
                listener.iterationDone(iteration);
                if (earlyStop && rule.stopAfter(evalLoss.orElse(loss))) {
                    break;
                }
            }
            TreeEstimator estimator = new TreeEstimator(booster, objective, numClasses, data.train().cols(), iterations);
            booster = null; // owned by the estimator from here on
            return estimator;
        } catch (XGBoostError e) {
            String message = XgboostErrors.reason(e);
            if (message.contains("value too large")) { // XGBoost's floats: a finite FLOAT64 beyond +-3.4e38 is infinite there
                throw new LatheException(ErrorCode.INVALID_DATA, (message.contains("Label") ? "The label" : "A feature") + " of "
                        + modelType + " holds a value beyond +-3.4e38, the range of the 32-bit floats XGBoost trains on; scale it"
                        + " down (e.g. divide it, or take its LOG) or filter those rows out", e);
            }
            throw new LatheException(ErrorCode.INTERNAL, "XGBoost failed to train " + modelType + ": " + message, e);
        } finally {
            if (booster != null) {
                booster.dispose();
            }
            matrices.forEach(DMatrix::dispose);
        }
    }

    /**
     * What round {@code round} grows, for the lines said while it runs: "iteration 0: growing a forest of 100 trees";
     * a multiclass model grows a tree per class ({@code classes}; 1 otherwise).
     */
    private String whatGrows(int round, Map<String, Object> params, int classes) {
        long perClass = ((Number) params.get("num_parallel_tree")).longValue();
        long trees = perClass * classes;
        String grown = ensemble == Ensemble.RANDOM_FOREST
                ? String.format(Locale.ROOT, "growing a forest of %,d trees", trees)
                : String.format(Locale.ROOT, "growing %,d tree%s", trees, trees == 1 ? "" : "s");
        return "iteration " + round + ": " + grown
                + (classes > 1 ? String.format(Locale.ROOT, " (%,d per class x %,d classes)", perClass, classes) : "");
    }

    /**
     * Says every {@code period}, on a thread of its own, that a round is still running and for how long: XGBoost grows a
     * random forest in one {@code Booster.update} call, so 100 trees on 500 columns were two minutes of silence between
     * "Training ..." and "iteration 0" (probe ud F4). XGBoost's call cannot be stopped midway, so a cancel still waits
     * for the round's end; these lines at least say it is working and for how long.
     */
    private static final class Heartbeat implements AutoCloseable {
        private final Thread thread;

        Heartbeat(Duration period, String what, TrainingListener listener) {
            long started = System.nanoTime();
            thread = Thread.ofVirtual().name("lathe-training-heartbeat").start(() -> {
                try {
                    while (true) {
                        Thread.sleep(period);
                        long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
                        listener.stillWorking(what + ", " + seconds + " s so far");
                    }
                } catch (InterruptedException e) {
                    // the round ended
                } catch (RuntimeException e) {
                    // a listener that cannot say more (a cancelled statement's) stops the lines, not the round
                }
            });
        }

        @Override
        public void close() {
            thread.interrupt();
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * The round's metric on every watched matrix, computed by XGBoost on one thread. Its CPU metrics sum the rows' losses
     * into one accumulator per thread, adjacent in memory, so with two threads every row's update contends for the same
     * cache line: on 990k rows the two-thread evaluation took 25-55 ms per round against 9 ms on one, more than the
     * round's own tree (15-20 ms). The thread count changes nothing else: the booster is the same to the bit
     * ({@code TreeTrainerTest}), and one thread sums in row order, so the loss no longer depends on the thread count.
     */
    static String evaluate(Booster booster, DMatrix[] matrices, String[] names, int round, int threads) throws XGBoostError {
        if (threads <= 1) {
            return booster.evalSet(matrices, names, round);
        }
        booster.setParam("nthread", 1);
        try {
            return booster.evalSet(matrices, names, round);
        } finally {
            booster.setParam("nthread", threads);
        }
    }

    private void checkData(TrainingSet data) {
        if (data.train().rows() == 0) {
            throw LatheException.invalidData("Cannot train " + modelType + " on zero training rows");
        }
        if (data.labels().length != data.train().rows()
                || !(TrainingSet.unweighted(data.weights()) || data.weights().length == data.train().rows())) {
            throw new IllegalArgumentException(data.train().rows() + " training rows but " + data.labels().length + " labels and "
                    + data.weights().length + " weights");
        }
        if (task == ModelTask.CLASSIFICATION && (data.numClasses() < 2 || data.numClasses() > MAX_CLASSES)) {
            throw LatheException.invalidData(modelType + " needs between 2 and " + MAX_CLASSES
                    + " distinct label values in the training data, found " + data.numClasses() + " " + data.classLabels());
        }
    }

    private static DMatrix matrix(DenseMatrix features, double[] labels, double[] weights, List<DMatrix> owned) throws XGBoostError {
        DMatrix matrix = dmatrix(features);
        owned.add(matrix);
        matrix.setLabel(toFloats(labels));
        if (weights.length == features.rows() && !allOnes(weights)) {
            matrix.setWeight(toFloats(weights));
        }
        return matrix;
    }

    /**
     * The features as XGBoost's matrix, written as floats into native memory that XGBoost copies into its own rows and
     * that is freed as soon as it has. The array constructor's JNI call copies a Java array of the floats to native memory
     * first, so a matrix of 1M rows held 47 MB more at once, all of it fresh pages; a training matrix held as its encoding
     * ({@link DenseMatrix#ofFloatEncoding}) is encoded straight into it and never held as an array at all.
     */
    static DMatrix dmatrix(DenseMatrix features) throws XGBoostError {
        long size = (long) features.rows() * features.cols();
        requireMemory(features.rows(), features.cols(), availableMemory());
        if (size == 0) {
            return new DMatrix(new float[0], features.rows(), features.cols(), Float.NaN);
        }
        BigDenseMatrix floats = new BigDenseMatrix(features.rows(), features.cols());
        try {
            features.writeFloats(FloatSink.atAddress(floats.address, size));
            return new DMatrix(floats, Float.NaN);
        } finally {
            floats.dispose();
        }
    }

    /**
     * Bytes a dense matrix cell costs while XGBoost builds its own: our float (4, freed once XGBoost has copied it) and
     * XGBoost's entry of column index and value (8). SpamAssassin's 4,833 x 24,875 bag of words peaked at ~1.6 GB.
     */
    static final long BYTES_PER_CELL = 12;

    /**
     * Fails with RESOURCE_EXHAUSTED, before anything is allocated, when a rows x cols matrix cannot fit in {@code available}
     * bytes (negative: unknown, no check): a wide sparse feature held dense (a 32,000-term bag of words over a million
     * rows) would otherwise fail at allocation, or have the kernel kill the process.
     */
    static void requireMemory(long rows, long cols, long available) {
        long needed = rows * cols * BYTES_PER_CELL;
        if (available < 0 || needed <= available) {
            return;
        }
        throw new LatheException(ErrorCode.RESOURCE_EXHAUSTED, String.format(Locale.ROOT,
                "XGBoost needs the features as a dense matrix of %,d rows x %,d columns, about %.1f GB while it is built, and this"
                        + " machine has %.1f GB available; wide features make it wide (one column per category of a one-hot feature,"
                        + " per term of an ML.BAG_OF_WORDS or ML.MULTI_HOT_ENCODER dictionary): lower their top_k or raise their"
                        + " frequency_threshold, or train on fewer rows", rows, cols, needed / 1e9, available / 1e9));
    }

    /** Memory the kernel could hand out now (Linux's MemAvailable), or -1 where it does not say. */
    static long availableMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or a kernel without the field: no check
        }
        return -1;
    }

    /**
     * Whether every weight is 1: XGBoost then gets none, as it weighs rows without weights by 1 (the same model to the
     * bit, {@code TreeTrainerTest}), and a 1M-row training skips converting and copying a weight per row.
     */
    static boolean allOnes(double[] weights) {
        for (double weight : weights) {
            if (weight != 1.0) {
                return false;
            }
        }
        return true;
    }

    private static float[] toFloats(double[] values) {
        float[] floats = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    /** Reads {@code [3]\ttrain-logloss:0.51\teval-logloss:0.53} into one value per evaluated matrix. */
    static double[] parseMetrics(String text, int expected) {
        String[] parts = text.trim().split("\t");
        if (parts.length != expected + 1) {
            throw new IllegalStateException("Unexpected XGBoost evaluation output: " + text);
        }
        double[] values = new double[expected];
        for (int i = 0; i < expected; i++) {
            String part = parts[i + 1];
            String number = part.substring(part.lastIndexOf(':') + 1).strip();
            // XGBoost prints an overflowed float metric (labels near 1e19 square past FLOAT32's range) as inf: the loss is
            // infinite, not an internal failure (probe H)
            values[i] = switch (number.toLowerCase(java.util.Locale.ROOT)) {
                case "inf", "+inf", "infinity" -> Double.POSITIVE_INFINITY;
                case "-inf", "-infinity" -> Double.NEGATIVE_INFINITY;
                case "nan", "-nan" -> Double.NaN;
                default -> Double.parseDouble(number);
            };
        }
        return values;
    }
}
