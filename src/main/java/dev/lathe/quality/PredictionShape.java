package dev.lathe.quality;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DataType;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.ModelTask;
import dev.lathe.evaluate.ClassificationMetrics;
import dev.lathe.evaluate.RegressionMetrics;
import dev.lathe.registry.ModelManifest;
import java.util.List;
import java.util.Locale;

/**
 * What the logged predictions hold, from the manifest of the model version that made them: the label they predict,
 * its type and (for classifiers) the classes in ascending order, which is the order ML.EVALUATE indexes them in.
 * Every model version of one evaluation must agree, so one set of metrics means one thing.
 */
record PredictionShape(ModelTask task, String label, DataType labelType, List<String> classes) {
    PredictionShape {
        requireNonNull(task, "task is null");
        requireNonNull(label, "label is null");
        requireNonNull(labelType, "labelType is null");
        classes = List.copyOf(classes);
    }

    /** The shape of a model version's predictions; models without a label (KMEANS, imported) are refused. */
    static PredictionShape of(ModelManifest manifest) {
        String model = manifest.dataset() + "." + manifest.name() + " version " + manifest.version();
        if (manifest.importedFile() != null || manifest.label() == null) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "Model " + model + " (" + manifest.modelType() + ") predicts no label column"
                    + ", so its logged predictions cannot be scored against labels; prediction quality needs a regression or"
                    + " classification model (LINEAR_REG, LOGISTIC_REG, BOOSTED_TREE_*, RANDOM_FOREST_*)");
        }
        ModelTask task = ModelTask.valueOf(manifest.task());
        if (task == ModelTask.CLUSTERING) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "Model " + model + " is " + manifest.modelType() + ", which has no label"
                    + "; prediction quality needs a regression or classification model");
        }
        return new PredictionShape(task, manifest.label().name(), DataType.valueOf(manifest.label().type()),
                task == ModelTask.CLASSIFICATION ? manifest.classLabels() : List.of());
    }

    List<String> metricNames() {
        return switch (task) {
            case REGRESSION -> RegressionMetrics.COLUMN_NAMES;
            case CLASSIFICATION -> ClassificationMetrics.COLUMN_NAMES;
            case CLUSTERING -> throw new IllegalStateException("clustering predictions have no label");
        };
    }

    /** Values per predicted instance in the log's decoded form: the prediction, or one probability per class. */
    int width() {
        return task == ModelTask.CLASSIFICATION ? classes.size() : 1;
    }

    /** Whether a ground-truth column of {@code type} can hold this label: numbers for numbers, else the same type. */
    boolean accepts(DataType type) {
        return task == ModelTask.REGRESSION || labelType.isNumeric() ? type.isNumeric() : type == labelType;
    }

    String describe() {
        return switch (task) {
            case REGRESSION -> label + ", a " + labelType.bigQueryName() + " (regression)";
            case CLASSIFICATION -> label + ", a " + labelType.bigQueryName() + " with classes " + String.join(", ", classes);
            case CLUSTERING -> label;
        };
    }

    String expectedType() {
        return task == ModelTask.REGRESSION || labelType.isNumeric() ? "numbers (INT64, FLOAT64 or NUMERIC)"
                : labelType.bigQueryName().toUpperCase(Locale.ROOT);
    }
}
