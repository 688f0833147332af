package dev.lathe.train.boosted;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionSpec;
import java.util.List;

/** BOOSTED_TREE_CLASSIFIER, BOOSTED_TREE_REGRESSOR, RANDOM_FOREST_CLASSIFIER and RANDOM_FOREST_REGRESSOR. */
public final class TreeFamily implements ModelFamily {
    /** The LXGT payload (estimator.bin) format version this build writes and reads. */
    public static final int PAYLOAD_VERSION = ModelEnvelope.FORMAT_VERSION;
    private final Ensemble ensemble;
    private final ModelTask task;
    private final List<OptionSpec> options;

    private TreeFamily(Ensemble ensemble, ModelTask task) {
        this.ensemble = requireNonNull(ensemble, "ensemble is null");
        this.task = requireNonNull(task, "task is null");
        this.options = TreeOptions.specs(ensemble, task);
    }

    public static TreeFamily boostedTreeClassifier() {
        return new TreeFamily(Ensemble.BOOSTED_TREE, ModelTask.CLASSIFICATION);
    }

    public static TreeFamily boostedTreeRegressor() {
        return new TreeFamily(Ensemble.BOOSTED_TREE, ModelTask.REGRESSION);
    }

    public static TreeFamily randomForestClassifier() {
        return new TreeFamily(Ensemble.RANDOM_FOREST, ModelTask.CLASSIFICATION);
    }

    public static TreeFamily randomForestRegressor() {
        return new TreeFamily(Ensemble.RANDOM_FOREST, ModelTask.REGRESSION);
    }

    @Override
    public String modelType() {
        return (ensemble == Ensemble.BOOSTED_TREE ? "BOOSTED_TREE_" : "RANDOM_FOREST_")
                + (task == ModelTask.CLASSIFICATION ? "CLASSIFIER" : "REGRESSOR");
    }

    @Override
    public ModelTask task() {
        return task;
    }

    @Override
    public List<OptionSpec> options() {
        return options;
    }

    @Override
    public ModelOptions validate(ModelOptions options) {
        return TreeOptions.validate(options, ensemble, modelType());
    }

    @Override
    public boolean trainsOnFloats() {
        return true;
    }

    /**
     * XGBoost's dense matrix checked against the memory available before the evaluation rows are encoded: a 10,000-row
     * evaluation split of an 85,000-category one-hot feature took 68 s and 6.9 GB before the refusal came (probe ud F3).
     */
    @Override
    public void requireTrainable(int rows, int cols) {
        TreeTrainer.requireMemory(rows, cols, TreeTrainer.availableMemory());
    }

    /** Trees are not standardized; random forests always label-encode (they have no CATEGORY_ENCODING_METHOD). */
    @Override
    public EncodingPolicy encoding(ModelOptions options) {
        if (ensemble == Ensemble.RANDOM_FOREST || !options.has(TreeOptions.CATEGORY_ENCODING_METHOD)) {
            return EncodingPolicy.trees(CategoryEncoding.LABEL_ENCODING);
        }
        return EncodingPolicy.trees(CategoryEncoding.valueOf(options.getString(TreeOptions.CATEGORY_ENCODING_METHOD)));
    }

    @Override
    public void prepareToTrain() {
        TreeTrainer.loadXgboostInBackground();
    }

    @Override
    public Trained train(TrainingSet data, ModelOptions options, TrainingListener listener) {
        ModelOptions effective = validate(options);
        TreeEstimator estimator = new TreeTrainer(ensemble, task, modelType()).train(data, effective, listener);
        return new Trained(estimator, effective);
    }

    @Override
    public Estimator load(byte[] payload) {
        ModelEnvelope envelope = ModelEnvelope.read(payload);
        if (envelope.objective().task() != task) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "Stored tree model is a " + envelope.objective().task()
                    + " model but is being loaded as " + modelType());
        }
        return TreeEstimator.load(envelope);
    }

    @Override
    public String toString() {
        return modelType();
    }
}
