package dev.lathe.quality;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.StringColumn;
import dev.lathe.core.model.ModelTask;
import dev.lathe.evaluate.ClassificationMetrics;
import dev.lathe.evaluate.RegressionMetrics;
import dev.lathe.features.ClassLabels;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * ML.EVALUATE's metrics per window from labelled predictions streamed in window order: one window's labels and
 * predictions are held as primitive arrays (what the metric formulas take), scored when the next window starts,
 * then dropped. Labels are checked as ML.EVALUATE checks them: finite numbers, or one of the model's classes.
 */
final class WindowScores {
    /** The columns of a streamed row: window index, request id, instance index, label, then {@code width} predicted values. */
    static final int WINDOW = 0;
    static final int REQUEST_ID = 1;
    static final int INSTANCE = 2;
    static final int LABEL = 3;
    static final int FIRST_VALUE = 4;

    private final PredictionShape shape;
    private final double threshold;
    private final ClassLabels classes;
    private final Map<Integer, Map<String, Double>> metrics = new HashMap<>();
    private int window = -1;
    private double[] actual = new double[1024];
    private double[] predicted;
    private int rows;

    WindowScores(PredictionShape shape, double threshold) {
        this.shape = shape;
        this.threshold = threshold;
        this.classes = new ClassLabels(shape.label(), shape.classes(), new int[0]);
        this.predicted = new double[1024 * shape.width()];
    }

    void add(Batch batch) {
        DoubleColumn windows = (DoubleColumn) batch.column(WINDOW);
        double[] labels = labels(batch);
        int width = shape.width();
        DoubleColumn[] values = new DoubleColumn[width];
        for (int c = 0; c < width; c++) {
            values[c] = (DoubleColumn) batch.column(FIRST_VALUE + c);
        }
        for (int r = 0; r < batch.rowCount(); r++) {
            int rowWindow = (int) windows.get(r);
            if (rowWindow != window) {
                finishWindow();
                window = rowWindow;
            }
            if (rows == actual.length) {
                actual = Arrays.copyOf(actual, rows * 2);
                predicted = Arrays.copyOf(predicted, rows * 2 * width);
            }
            actual[rows] = labels[r];
            for (int c = 0; c < width; c++) {
                predicted[rows * width + c] = values[c].get(r);
            }
            rows++;
        }
    }

    /** The metrics of every window that had labelled predictions, by window index. */
    Map<Integer, Map<String, Double>> finish() {
        finishWindow();
        return metrics;
    }

    private void finishWindow() {
        if (rows == 0) {
            return;
        }
        double[] labels = Arrays.copyOf(actual, rows);
        double[] values = Arrays.copyOf(predicted, rows * shape.width());
        metrics.put(window, switch (shape.task()) {
            case REGRESSION -> RegressionMetrics.compute(labels, values).byName();
            case CLASSIFICATION -> ClassificationMetrics.of(indices(labels), values, shape.classes().size(), threshold).byName();
            case CLUSTERING -> throw new IllegalStateException("clustering predictions have no label");
        });
        rows = 0;
    }

    private double[] labels(Batch batch) {
        Column label = batch.column(LABEL);
        double[] labels = new double[batch.rowCount()];
        if (shape.task() == ModelTask.REGRESSION) {
            DoubleColumn numbers = (DoubleColumn) label;
            for (int r = 0; r < labels.length; r++) {
                labels[r] = numbers.get(r);
                if (!Double.isFinite(labels[r])) {
                    throw new LatheException(ErrorCode.INVALID_DATA, "The ground-truth label of " + where(batch, r) + " is " + labels[r]
                            + "; labels must be finite numbers");
                }
            }
            return labels;
        }
        int[] indices = classes.indexOf(label);
        for (int r = 0; r < labels.length; r++) {
            if (indices[r] < 0) {
                String value = label instanceof StringColumn text ? "'" + text.get(r) + "'" : Double.toString(((DoubleColumn) label).get(r));
                throw new LatheException(ErrorCode.INVALID_DATA, "The ground-truth label of " + where(batch, r) + " is " + value
                        + ", which is not a class the model predicts; the classes of " + shape.label() + " are: "
                        + String.join(", ", shape.classes()));
            }
            labels[r] = indices[r];
        }
        return labels;
    }

    private static String where(Batch batch, int row) {
        return "request_id '" + ((StringColumn) batch.column(REQUEST_ID)).get(row) + "' instance_index "
                + (long) ((DoubleColumn) batch.column(INSTANCE)).get(row);
    }

    private static int[] indices(double[] labels) {
        int[] indices = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            indices[i] = (int) labels[i];
        }
        return indices;
    }
}
