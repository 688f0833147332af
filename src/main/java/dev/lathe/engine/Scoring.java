package dev.lathe.engine;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DataType;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.Predictions;
import dev.lathe.features.ClassLabels;
import dev.lathe.features.Labels;
import dev.lathe.evaluate.EvaluationBuffer;
import dev.lathe.registry.ModelManifest;
import dev.lathe.warehouse.BatchReader;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Labels and predictions of a labelled relation, streamed, for ML.EVALUATE and friends with input data. */
final class Scoring {
    private Scoring() {}

    /**
     * The labels and predictions of {@code relation}'s rows, in row order: on the heap up to {@link
     * EvaluationBuffer#defaultHeapBytes}, past that in a file of {@code spillDirectory} (probe ta F4: every row was kept
     * in doubling heap arrays). The caller closes it.
     */
    static EvaluationBuffer score(Connection connection, LoadedModel model, String relation, Path spillDirectory) {
        Predictor.requireFeatures(connection, model, relation);
        List<Field> fields = new ArrayList<>(model.pipeline().inputFields());
        Optional<Field> labelField = Optional.empty();
        DataType evaluationLabelType = null;
        if (model.task() != ModelTask.CLUSTERING) {
            ModelManifest.Column label = model.label();
            dev.lathe.core.Schema schema = dev.lathe.warehouse.Warehouse.describe(connection, relation);
            int index = schema.indexOf(label.name()).orElseThrow(() -> new LatheException(ErrorCode.COLUMN_NOT_FOUND,
                    "The evaluation data for model " + model.displayName() + " lacks the label column '" + label.name()
                            + "'" + dev.lathe.core.Suggestions.withChoices(label.name(), schema.names(), "Columns")));
            Field field = new Field(schema.field(index).name(), DataType.valueOf(label.type()), label.duckDbType());
            labelField = Optional.of(field);
            evaluationLabelType = schema.field(index).type();
            fields.add(field);
        }
        ClassLabels classes = model.task() == ModelTask.CLASSIFICATION
                ? new ClassLabels(model.label().name(), model.manifest().classLabels(), new int[0]) : null;
        // a classifier's row is its class probabilities, a regressor's its value
        int width = model.task() == ModelTask.CLASSIFICATION ? model.manifest().classLabels().size() : 1;
        EvaluationBuffer rows = new EvaluationBuffer(width, EvaluationBuffer.defaultHeapBytes(), () -> spillDirectory);
        // streamed: nothing else runs on the connection while the rows are read (the spill directory was asked before)
        try (BatchReader reader = BatchReader.openStreaming(connection, relation, fields, BatchReader.DEFAULT_BATCH_SIZE)) {
            Optional<Batch> next;
            while ((next = reader.next()).isPresent()) {
                Batch batch = next.get();
                // the encoding ML.PREDICT gives the estimator (one-hot rows for linear models, floats for trees), not a dense
                // matrix: 64k rows x 20,002 columns of one 20,000-category feature were 10.5 GB a batch (probe ta F1)
                DenseMatrix features = model.features(batch);
                Predictions predictions = model.estimator().predict(features);
                double[] labels = labelField.isPresent()
                        ? labels(model, classes, batch.column(fields.size() - 1), rows.count(), evaluationLabelType)
                        : new double[batch.rowCount()];
                double[] values = switch (predictions) {
                    case Predictions.Values v -> v.values();
                    case Predictions.Probabilities p -> p.probabilities();
                    case Predictions.Distances d -> d.distances();
                };
                if (values.length != batch.rowCount() * width) {
                    throw new IllegalStateException("model " + model.displayName() + " gave " + values.length + " predictions for "
                            + batch.rowCount() + " rows of width " + width);
                }
                rows.append(labels, values, batch.rowCount());
            }
        } catch (LatheException e) {
            rows.close();
            throw Predictor.clearer(e, model); // text that is not a number, in a model input's terms
        } catch (RuntimeException | Error e) {
            rows.close();
            throw e;
        }
        return rows;
    }

    private static double[] labels(LoadedModel model, ClassLabels classes, Column column, long firstRow, DataType given) {
        if (model.task() == ModelTask.REGRESSION) {
            return Labels.evaluationRegression(column, model.label().name(), firstRow);
        }
        int[] indices = classes.indexOf(column);
        double[] labels = new double[indices.length];
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 && column.isNull(i)) {
                // as the regression path says it (probe K: NULL was called "not a class at training")
                throw new LatheException(ErrorCode.INVALID_DATA, "Label column '" + model.label().name() + "' is NULL in row " + (firstRow + i + 1)
                        + " of the evaluation data; evaluation needs each row's label. Filter them out, e.g. WHERE "
                        + model.label().name() + " IS NOT NULL");
            }
            if (indices[i] < 0) {
                throw new LatheException(ErrorCode.INVALID_DATA, "Row " + (firstRow + i + 1) + " of the evaluation data has label "
                        + describe(column, i) + " in column '" + model.label().name() + "', which was not a class at training; classes are: "
                        + String.join(", ", model.manifest().classLabels())
                        // the type, where it differs: a BOOL model's INT64 1 is no class (probe rb: "not a class" alone)
                        + (given != null && given != DataType.valueOf(model.label().type()) ? " (the evaluation data's label is "
                                + given.bigQueryName() + ", the model's " + DataType.valueOf(model.label().type()).bigQueryName() + ": CAST("
                                + model.label().name() + " AS " + DataType.valueOf(model.label().type()).bigQueryName() + "))" : ""));
            }
            labels[i] = indices[i];
        }
        return labels;
    }

    private static String describe(Column column, int row) {
        if (column.isNull(row)) {
            return "NULL";
        }
        return switch (column) {
            case dev.lathe.core.StringColumn s -> "'" + s.get(row) + "'";
            case dev.lathe.core.DoubleColumn d -> Labels.renderNumber(d.get(row)); // 2, not 2.0
            default -> "a value";
        };
    }
}
