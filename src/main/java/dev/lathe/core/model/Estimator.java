package dev.lathe.core.model;

import dev.lathe.core.DenseMatrix;
import java.util.List;

/**
 * A fitted model on encoded features. One columnar predict call serves ML.PREDICT, ML.EVALUATE, HTTP
 * prediction, batch jobs and explanations. Implementations are immutable and thread-safe.
 */
public interface Estimator {
    /**
     * Predicts for every row of {@code features} (same columns as training). Regression: {@link
     * Predictions.Values}; classification: {@link Predictions.Probabilities}; clustering: {@link
     * Predictions.Distances}.
     */
    Predictions predict(DenseMatrix features);

    /**
     * Whether {@link #predict} reads its features as floats (XGBoost's trees): callers then encode them straight
     * into floats ({@link dev.lathe.core.DenseMatrix#ofFloats}), which gives the same predictions without a double
     * matrix and a narrowing copy.
     */
    default boolean predictsOnFloats() {
        return false;
    }

    /**
     * Whether {@link #predict} reads matrices held as one-hot rows ({@link dev.lathe.core.DenseMatrix#ofOneHotRows}) without
     * widening them (linear models): callers then encode so, for the same predictions from a row's set columns only.
     */
    default boolean predictsOnOneHotRows() {
        return false;
    }

    /** ML.TRAINING_INFO rows, in iteration order. */
    List<TrainingIteration> trainingInfo();

    /** The estimator's own serialized form; {@link ModelFamily#load} reads it back. */
    byte[] save();
}
