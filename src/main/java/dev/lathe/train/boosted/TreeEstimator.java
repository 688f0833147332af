package dev.lathe.train.boosted;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.Capabilities;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.FeatureLayout;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingIteration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * A trained XGBoost booster behind the Estimator SPI.
 *
 * <p>Prediction walks the trees in Java ({@link TreeWalker}, immutable arrays, bit-identical to XGBoost)
 * and attributions are TreeSHAP in Java ({@link TreeShap}, XGBoost's {@code predictContrib} to float
 * rounding), both built from one parse of the booster's model (its UBJSON, serialized once right after training or
 * as stored, so a stored model predicts without XGBoost's native library), unless the model is DART
 * or {@code -Dlathe.trees.native=false}; then both go through XGBoost.
 *
 * <p>Thread safety: XGBoost prediction uses its in-place prediction, which XGBoost documents as
 * thread-safe for tree boosters and which needs no per-call DMatrix; the booster is never mutated after
 * construction. Its native memory is released when the estimator becomes unreachable (the SPI has no
 * close), as XGBoost4J's Booster finalizer does.
 */
final class TreeEstimator implements Estimator, Capabilities.HasFeatureImportance, Capabilities.HasAttributions {
    /** Bounds the float copy handed to XGBoost (or the tree walker) per call (64k rows x features x 4 bytes). */
    static final int CHUNK_ROWS = 65_536;

    private static final String[] IMPORTANCE_TYPES = {"weight", "gain", "cover"};

    /**
     * The booster's UBJSON: when loaded from storage, what XGBoost loads only when needed; after training, the booster
     * serialized once, which the trees are read from and {@link #save} stores.
     */
    private final byte[] stored;
    private volatile Booster booster;
    private final Objective objective;
    private final int numClasses;
    private final int numFeatures;
    private final List<TrainingIteration> trainingInfo;
    private volatile ColumnImportance importance;
    /** Java prediction from the booster's trees; empty for DART or when {@link TreeWalker#PROPERTY} is false. */
    private final Optional<TreeWalker> walker;
    /** Java TreeSHAP from the same trees; empty exactly when {@link #walker} is. */
    private final Optional<TreeShap> shap;

    TreeEstimator(Booster booster, Objective objective, int numClasses, int numFeatures, List<TrainingIteration> trainingInfo) {
        this(ubjson(requireNonNull(booster, "booster is null")), booster, objective, numClasses, numFeatures, trainingInfo);
    }

    /**
     * A freshly trained booster, serialized once: the walker's trees are read from that UBJSON by Lathe's own reader
     * (not XGBoost's JSON through a new ObjectMapper, 14 of a one-shot CREATE MODEL's 21 ms here), and storing writes the
     * same bytes.
     */
    private TreeEstimator(byte[] ubj, Booster booster, Objective objective, int numClasses, int numFeatures,
            List<TrainingIteration> trainingInfo) {
        this(ubj, booster, TreeWalker.enabled() ? ParsedTrees.fromUbjson(ubj) : Optional.empty(), objective, numClasses, numFeatures,
                trainingInfo);
    }

    private static byte[] ubjson(Booster booster) {
        try {
            return booster.toByteArray("ubj");
        } catch (XGBoostError e) {
            throw LatheException.internal("Cannot serialize the XGBoost model: " + XgboostErrors.reason(e), e);
        }
    }

    private TreeEstimator(byte[] stored, Booster booster, Optional<ParsedTrees> trees, Objective objective, int numClasses,
            int numFeatures, List<TrainingIteration> trainingInfo) {
        this.stored = stored;
        this.booster = booster;
        this.objective = requireNonNull(objective, "objective is null");
        this.numClasses = numClasses;
        this.numFeatures = numFeatures;
        this.trainingInfo = List.copyOf(trainingInfo);
        this.walker = trees.map(TreeWalker::new);
        this.shap = trees.map(TreeShap::new);
    }

    /**
     * The stored estimator. When the Java walker covers the model, its trees are read from the stored UBJSON
     * directly and XGBoost's native library and booster are loaded only if something needs them (feature
     * importance, XGBoost's own prediction); otherwise the booster is loaded now.
     */
    static TreeEstimator load(ModelEnvelope envelope) {
        Optional<ParsedTrees> trees = TreeWalker.enabled() ? ParsedTrees.fromUbjson(envelope.booster()) : Optional.empty();
        Booster booster = trees.isPresent() ? null : loadBooster(envelope.booster());
        return new TreeEstimator(envelope.booster(), booster, trees, envelope.objective(), envelope.numClasses(), envelope.numFeatures(),
                envelope.trainingInfo());
    }

    private static Booster loadBooster(byte[] ubj) {
        XgboostLibrary.preload();
        try {
            Booster booster = XGBoost.loadModel(ubj);
            booster.setParam("nthread", Runtime.getRuntime().availableProcessors());
            return booster;
        } catch (XGBoostError | java.io.IOException e) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "XGBoost cannot read the stored booster: " + XgboostErrors.reason(e), e);
        }
    }

    /** The XGBoost booster, loaded from {@link #stored} on first use. */
    private Booster booster() {
        Booster loaded = booster;
        if (loaded == null) {
            synchronized (this) {
                loaded = booster;
                if (loaded == null) {
                    loaded = loadBooster(stored);
                    booster = loaded;
                }
            }
        }
        return loaded;
    }

    Objective objective() {
        return objective;
    }

    /** XGBoost's weight, gain and cover per encoded column, computed by the booster on first use. */
    ColumnImportance columnImportance() {
        ColumnImportance computed = importance;
        if (computed == null) {
            try {
                computed = columnImportance(booster(), numFeatures);
            } catch (XGBoostError e) {
                throw LatheException.internal("Cannot read the XGBoost model's feature importance: " + XgboostErrors.reason(e), e);
            }
            importance = computed;
        }
        return computed;
    }

    @Override
    public boolean predictsOnFloats() {
        return true;
    }

    @Override
    public Predictions predict(DenseMatrix features) {
        if (features.cols() != numFeatures) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Tree model expects " + numFeatures
                    + " encoded feature columns but got " + features.cols() + " (" + features.columnNames() + ")");
        }
        int width = objective == Objective.REGRESSION ? 1 : numClasses;
        double[] out = new double[features.rows() * width];
        for (int from = 0; from < features.rows(); from += CHUNK_ROWS) {
            int to = Math.min(features.rows(), from + CHUNK_ROWS);
            // a float matrix of one chunk is used as it is; anything else is copied (and narrowed) a chunk at a time
            float[] chunk = from == 0 && to == features.rows() ? features.toFloats() : features.toFloats(from, to);
            if (walker.isPresent()) {
                // The walker's flat output (row-major, outputWidth() per row): no array per row.
                int stride = walker.get().outputWidth();
                float[] predicted = new float[(to - from) * stride];
                walker.get().predict(chunk, to - from, features.cols(), predicted);
                for (int row = from; row < to; row++) {
                    store(predicted, (row - from) * stride, out, row);
                }
            } else {
                float[][] predicted = predictNative(chunk, from, to, features.cols());
                for (int row = from; row < to; row++) {
                    store(predicted[row - from], 0, out, row);
                }
            }
        }
        return objective == Objective.REGRESSION ? new Predictions.Values(out) : new Predictions.Probabilities(numClasses, out);
    }

    /** One row's XGBoost outputs (at {@code values[at]}) as Lathe's prediction values. */
    private void store(float[] values, int at, double[] out, int row) {
        switch (objective) {
            case REGRESSION -> out[row] = values[at];
            case BINARY -> {
                out[row * 2] = 1.0 - values[at];
                out[row * 2 + 1] = values[at];
            }
            case MULTICLASS -> {
                for (int c = 0; c < numClasses; c++) {
                    out[row * numClasses + c] = values[at + c];
                }
            }
        }
    }

    private float[][] predictNative(float[] chunk, int from, int to, int cols) {
        try {
            // An explicit range over every round: with DART, all trees at their normalized weights
            // and no dropout; with a forest, all parallel trees of the single round.
            Booster loaded = booster();
            return loaded.inplace_predict(chunk, to - from, cols, Float.NaN, new int[] {0, loaded.getNumBoostedRound()});
        } catch (XGBoostError e) {
            throw LatheException.internal("XGBoost prediction failed: " + XgboostErrors.reason(e), e);
        }
    }

    @Override
    public List<TrainingIteration> trainingInfo() {
        return trainingInfo;
    }

    @Override
    public byte[] save() {
        return new ModelEnvelope(objective, numClasses, numFeatures, trainingInfo, stored).write();
    }

    @Override
    public List<Capabilities.ImportanceRow> featureImportance(FeatureLayout layout) {
        return columnImportance().byFeature(layout);
    }

    /** Uses positional names so XGBoost's scores map back to matrix columns whatever the feature names hold. */
    private static ColumnImportance columnImportance(Booster booster, int numFeatures) throws XGBoostError {
        String[] names = new String[numFeatures];
        for (int i = 0; i < numFeatures; i++) {
            names[i] = "f" + i;
        }
        double[][] scores = new double[IMPORTANCE_TYPES.length][numFeatures];
        for (int type = 0; type < IMPORTANCE_TYPES.length; type++) {
            if (numFeatures == 0) {
                continue;
            }
            Map<String, Double> byName = booster.getScore(names, IMPORTANCE_TYPES[type]);
            for (Map.Entry<String, Double> entry : byName.entrySet()) {
                scores[type][Integer.parseInt(entry.getKey().substring(1))] = entry.getValue();
            }
        }
        return new ColumnImportance(scores[0], scores[1], scores[2]);
    }

    /**
     * TreeSHAP in margin space, in Java ({@link TreeShap}) or else through XGBoost's own
     * {@code predictContrib}: the last column of each output group is the bias (the expected margin, our
     * baseline). Binary class 0 is the negated positive margin.
     */
    @Override
    public Capabilities.Attributions attributions(DenseMatrix features, int[] explained) {
        if (features.cols() != numFeatures || explained.length != features.rows()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Tree model expects " + numFeatures
                    + " encoded feature columns and one output per row but got " + features.cols() + " columns, "
                    + features.rows() + " rows and " + explained.length + " outputs");
        }
        int width = numFeatures + 1;
        double[] values = new double[features.rows() * numFeatures];
        double[] baselines = new double[features.rows()];
        double[] predictions = new double[features.rows()];
        for (int from = 0; from < features.rows(); from += CHUNK_ROWS) {
            int to = Math.min(features.rows(), from + CHUNK_ROWS);
            int[] groups = new int[to - from];
            for (int row = from; row < to; row++) {
                groups[row - from] = objective == Objective.MULTICLASS ? explained[row] : 0;
            }
            // Per row: the explained group's numFeatures contributions, then its bias.
            float[] contributions = contribChunk(features, from, to, groups);
            for (int row = from; row < to; row++) {
                int at = (row - from) * width;
                double sign = objective == Objective.BINARY && explained[row] == 0 ? -1 : 1;
                double sum = 0;
                for (int j = 0; j < numFeatures; j++) {
                    double value = sign * contributions[at + j];
                    values[row * numFeatures + j] = value;
                    sum += value;
                }
                baselines[row] = sign * contributions[at + numFeatures];
                predictions[row] = baselines[row] + sum;
            }
        }
        if (objective == Objective.REGRESSION && predict(features) instanceof Predictions.Values predicted) {
            // prediction_value is the model's prediction (predicted_<label>), not the attributions' float32 sum, which
            // differed from it by up to 0.008 on a random forest's 4,000 g; approximation_error then shows the gap, as
            // BigQuery's does. A classifier's explained log-odds has no such value to read back: a float32 probability's
            // logit is no closer than the sum (and infinite at 1.0).
            for (int row = 0; row < features.rows(); row++) {
                predictions[row] = predicted.values()[row];
            }
        }
        return new Capabilities.Attributions(numFeatures, values, baselines, predictions);
    }

    private float[] contribChunk(DenseMatrix features, int from, int to, int[] groups) {
        float[] chunk = features.toFloats(from, to);
        int n = to - from;
        int width = numFeatures + 1;
        float[] out = new float[n * width];
        if (shap.isPresent()) {
            shap.get().contributions(chunk, n, features.cols(), groups, out);
            return out;
        }
        DMatrix matrix = null;
        try {
            matrix = new DMatrix(chunk, n, features.cols(), Float.NaN);
            float[][] all = booster().predictContrib(matrix, 0);
            for (int row = 0; row < all.length; row++) {
                System.arraycopy(all[row], groups[row] * width, out, row * width, width);
            }
            return out;
        } catch (XGBoostError e) {
            throw LatheException.internal("XGBoost feature contributions failed: " + XgboostErrors.reason(e), e);
        } finally {
            if (matrix != null) {
                matrix.dispose();
            }
        }
    }
}
