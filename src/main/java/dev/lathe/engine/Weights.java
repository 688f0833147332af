package dev.lathe.engine;

import dev.lathe.core.Batch;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.train.CommonOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Row weights from AUTO_CLASS_WEIGHTS, CLASS_WEIGHTS and INSTANCE_WEIGHT_COL (spec 1.1). */
final class Weights {
    private Weights() {}

    /**
     * Per-class weights, or empty when no class weighting is asked for. AUTO_CLASS_WEIGHTS gives class c
     * {@code total_rows / (rows_of_c * number_of_classes)} over the training rows.
     */
    static Optional<double[]> classWeights(ModelOptions options, double[] trainLabels, List<String> classLabels, ModelTask task) {
        boolean auto = options.has(CommonOptions.AUTO_CLASS_WEIGHTS) && options.getBool(CommonOptions.AUTO_CLASS_WEIGHTS);
        Optional<Map<String, Double>> explicit = options.has(CommonOptions.CLASS_WEIGHTS)
                ? options.optionalWeights(CommonOptions.CLASS_WEIGHTS) : Optional.empty();
        if (auto && explicit.isPresent()) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "auto_class_weights and class_weights cannot both be set; choose one");
        }
        if ((auto || explicit.isPresent()) && options.optionalString(CommonOptions.INSTANCE_WEIGHT_COL).isPresent()) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "instance_weight_col cannot be combined with auto_class_weights or class_weights");
        }
        if (task != ModelTask.CLASSIFICATION || (!auto && explicit.isEmpty())) {
            return Optional.empty();
        }
        double[] weights = new double[classLabels.size()];
        if (auto) {
            long[] counts = new long[classLabels.size()];
            for (double label : trainLabels) {
                counts[(int) label]++;
            }
            for (int c = 0; c < weights.length; c++) {
                weights[c] = counts[c] == 0 ? 0.0 : (double) trainLabels.length / (counts[c] * (double) weights.length);
            }
            return Optional.of(weights);
        }
        Map<String, Double> given = explicit.get();
        // a name that is no class first: 'TRUE' for a BOOL label's true was reported as "missing: false, true" (probe ra)
        for (String key : given.keySet()) {
            if (!classLabels.contains(key)) {
                String sameLetters = classLabels.stream().filter(c -> c.equalsIgnoreCase(key)).findFirst()
                        .map(c -> " (class names are compared exactly: '" + c + "'?)").orElse("");
                throw new LatheException(ErrorCode.INVALID_OPTION, "class_weights names '" + key + "', which is not a class" + sameLetters
                        + "; classes are " + String.join(", ", classLabels));
            }
        }
        List<String> missing = new ArrayList<>();
        for (int c = 0; c < weights.length; c++) {
            Double weight = given.get(classLabels.get(c));
            if (weight == null) {
                missing.add(classLabels.get(c));
            } else {
                weights[c] = weight;
            }
        }
        if (!missing.isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "class_weights must give a weight for every class; missing: "
                    + String.join(", ", missing) + " (classes are " + String.join(", ", classLabels) + ")");
        }
        return Optional.of(weights);
    }

    /**
     * Row weights: instance weights, else class weights; with neither, no array at all ({@link TrainingSet#UNWEIGHTED}:
     * every row weighs 1), not one 1.0 per row (8 MB of fresh memory on 1M rows).
     */
    static double[] rows(Batch batch, Optional<Field> weightField, double[] labels, Optional<double[]> classWeights) {
        if (weightField.isEmpty() && classWeights.isEmpty()) {
            return TrainingSet.UNWEIGHTED;
        }
        double[] weights = new double[batch.rowCount()];
        if (weightField.isPresent()) {
            DoubleColumn column = (DoubleColumn) batch.column(weightField.get().name());
            for (int i = 0; i < weights.length; i++) {
                if (column.isNull(i) || column.get(i) < 0 || Double.isInfinite(column.get(i))) {
                    throw new LatheException(ErrorCode.INVALID_DATA, "instance_weight_col '" + weightField.get().name() + "' is "
                            + (column.isNull(i) ? "NULL" : Double.toString(column.get(i))) + " in a training row; weights must be finite and >= 0");
                }
                weights[i] = column.get(i);
            }
        } else if (classWeights.isPresent()) {
            for (int i = 0; i < weights.length; i++) {
                weights[i] = classWeights.get()[(int) labels[i]];
            }
        }
        return weights;
    }

    /**
     * Fails where {@code instance_weight_col} weighs every training row 0: nothing is left to fit (XGBoost trained a model
     * predicting the prior with a NaN loss), as class_weights that give every class 0 are refused.
     */
    static void requireTrainingWeight(double[] trainWeights, Optional<Field> weightField) {
        if (weightField.isEmpty() || trainWeights.length == 0 || Arrays.stream(trainWeights).anyMatch(w -> w > 0)) {
            return;
        }
        throw new LatheException(ErrorCode.INVALID_DATA, "instance_weight_col '" + weightField.get().name() + "' is 0 in every one of"
                + " the " + trainWeights.length + " training rows, which leaves nothing to fit; give at least one training row a"
                + " positive weight");
    }
}
