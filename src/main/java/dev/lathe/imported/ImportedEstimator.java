package dev.lathe.imported;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingIteration;
import java.util.List;

/**
 * A model trained elsewhere. Its feature matrix has one column per {@link ImportedSignature#inputs()}
 * entry, in that order, NaN for NULL (the identity feature pipeline makes it). {@link #predictOutputs}
 * gives the model's own outputs (what ML.PREDICT shows); {@link #predict} maps them onto the shared
 * {@link Predictions} where that is meaningful, so generic front ends (HTTP, batch) work unchanged.
 */
public interface ImportedEstimator extends Estimator {
    ImportedSignature signature();

    /**
     * The inputs fed to integer tensors, by column name, with the whole numbers each takes ({min, max}): a NULL, a fraction
     * or a number outside the range cannot be fed, so a batch job sets such a row aside instead of failing on it.
     */
    default java.util.Map<String, double[]> integerInputs() {
        return java.util.Map.of();
    }

    /** One column per {@link ImportedSignature#outputs()} entry, in that order. */
    List<OutputColumn> predictOutputs(DenseMatrix features);

    /**
     * The first scalar numeric output as {@link Predictions.Values}; else the first ARRAY&lt;FLOAT64&gt;
     * output as {@link Predictions.Probabilities}.
     */
    @Override
    default Predictions predict(DenseMatrix features) {
        List<OutputColumn> outputs = predictOutputs(features);
        for (OutputColumn output : outputs) {
            switch (output) {
                case OutputColumn.Doubles d -> {
                    return new Predictions.Values(d.values());
                }
                case OutputColumn.Longs l -> {
                    double[] values = new double[l.values().length];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = l.values()[i];
                    }
                    return new Predictions.Values(values);
                }
                default -> {
                    // keep looking
                }
            }
        }
        for (OutputColumn output : outputs) {
            if (output instanceof OutputColumn.DoubleArrays arrays && arrays.rows() > 0) {
                int classes = arrays.values()[0].length;
                double[] flat = new double[arrays.rows() * classes];
                for (int r = 0; r < arrays.rows(); r++) {
                    System.arraycopy(arrays.values()[r], 0, flat, r * classes, classes);
                }
                return new Predictions.Probabilities(classes, flat);
            }
        }
        throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.UNSUPPORTED, "The " + signature().format()
                + " model has no numeric output to serve as a prediction; its outputs are " + signature().outputs());
    }

    /** Imported models were not trained here. */
    @Override
    default List<TrainingIteration> trainingInfo() {
        return List.of();
    }
}
