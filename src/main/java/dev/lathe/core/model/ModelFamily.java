package dev.lathe.core.model;

import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionSpec;
import java.util.List;

/**
 * A model type (LINEAR_REG, BOOSTED_TREE_CLASSIFIER, KMEANS, ...): its options as data, the automatic
 * preprocessing it wants, and how to train and load its estimator. Families are registered in one
 * list ({@code dev.lathe.train.ModelFamilies}); adding one touches one package and that list.
 */
public interface ModelFamily {
    /** Upper-case MODEL_TYPE value. */
    String modelType();

    ModelTask task();

    /**
     * Every option this type accepts except MODEL_TYPE, with BigQuery ML's defaults, including the
     * shared ones it supports (see {@code dev.lathe.train.CommonOptions}).
     */
    List<OptionSpec> options();

    /**
     * Checks combinations the per-option specs cannot (e.g. LEARN_RATE with LINE_SEARCH) and returns
     * the options with data-independent derived values filled in.
     */
    default ModelOptions validate(ModelOptions options) {
        return options;
    }

    EncodingPolicy encoding(ModelOptions options);

    /**
     * Whether the trainer works on floats (XGBoost): the training matrix is then encoded straight into floats
     * ({@link dev.lathe.core.DenseMatrix#ofFloats}) instead of doubles converted afterwards. Same values either way.
     */
    default boolean trainsOnFloats() {
        return false;
    }

    /**
     * Fails, before anything is encoded, when a training matrix of {@code rows} x {@code cols} encoded features cannot
     * be trained on here (XGBoost's dense matrix beyond the memory available). Nothing by default.
     */
    default void requireTrainable(int rows, int cols) {}

    /**
     * Whether the trainer and its estimator read matrices held as one-hot rows ({@link dev.lathe.core.DenseMatrix#ofOneHotRows})
     * without widening them (linear models): the training and evaluation matrices are then encoded so. Same values either
     * way; a dense copy is made only for whatever asks for {@link dev.lathe.core.DenseMatrix#data}.
     */
    default boolean trainsOnOneHotRows() {
        return false;
    }

    /**
     * Called when a statement is about to train this family, before its data is read: starts, off the caller's thread,
     * the one-off set-up training will need (XGBoost's native library), so that it happens while the data is read.
     * Never fails; whatever it could not do, training does itself.
     */
    default void prepareToTrain() {}

    /**
     * Trains on {@code data}. Returns the estimator and the effective options (with data-dependent
     * defaults such as KMEANS num_clusters or the optimizer AUTO_STRATEGY chose recorded).
     */
    Trained train(TrainingSet data, ModelOptions options, TrainingListener listener);

    /**
     * WARM_START: trains as {@link #train} does, but starts from {@code previous}, an estimator of this family
     * trained on the same encoded feature layout (the caller reuses the previous version's fitted preprocessing).
     * Families without a warm start refuse it, naming the model type.
     */
    default Trained warmStart(TrainingSet data, ModelOptions options, TrainingListener listener, Estimator previous) {
        throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.INVALID_OPTION, "warm_start = TRUE is not supported for model_type "
                + modelType() + "; BigQuery ML warm-starts LINEAR_REG, LOGISTIC_REG and KMEANS models (and DNN ones). Retrain without"
                + " warm_start");
    }

    /** Reads back what {@link Estimator#save()} wrote. */
    Estimator load(byte[] payload);

    record Trained(Estimator estimator, ModelOptions effectiveOptions) {}
}
