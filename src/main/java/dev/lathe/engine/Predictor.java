package dev.lathe.engine;

import dev.lathe.core.Batch;
import dev.lathe.core.DataType;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.model.Predictions;
import dev.lathe.imported.ImportedEstimator;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.ColumnWriter;
import dev.lathe.warehouse.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The one prediction path: rows stream out of DuckDB in batches, through the model's feature pipeline
 * and estimator, and the predictions go back into DuckDB one batch at a time, as columns.
 */
final class Predictor {
    static final String PREDICTION = "__lathe_prediction";
    static final String CLASS = "__lathe_class";
    static final String PROBABILITIES = "__lathe_probabilities";
    static final String CENTROIDS = "__lathe_centroids";
    static final String DISTANCES = "__lathe_distances";

    private Predictor() {}

    /** Checks that {@code relation} has each of {@code columns}, raw inputs of {@code model}, naming the missing ones. */
    static void requireColumns(Connection connection, LoadedModel model, String relation, List<String> columns) {
        requireColumns(model, dev.lathe.warehouse.Warehouse.describe(connection, relation), columns);
    }

    /** As {@link #requireColumns(Connection, LoadedModel, String, List)}, for a relation already described. */
    static void requireColumns(LoadedModel model, Schema schema, List<String> columns) {
        List<String> missing = columns.stream().filter(column -> schema.indexOf(column).isEmpty()).toList();
        if (!missing.isEmpty()) {
            throw new LatheException(dev.lathe.core.ErrorCode.COLUMN_NOT_FOUND, "The input to model " + model.displayName()
                    + " lacks column" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + "; the model needs: "
                    + String.join(", ", columns));
        }
    }

    /**
     * Checks that {@code relation} has every column the model needs, naming the missing ones. A model with a TRANSFORM
     * needs no check here: its relation is {@link TableFunctions#features}, which checked the raw input and whose SQL
     * outputs the pipeline's inputs by construction (describing it would bind the TRANSFORM's SQL once more). The schema
     * described, empty for such a model.
     */
    static Optional<Schema> requireFeatures(Connection connection, LoadedModel model, String relation) {
        if (model.transform().isEmpty()) {
            Schema schema = dev.lathe.warehouse.Warehouse.describe(connection, relation);
            requireColumns(model, schema, model.pipeline().inputFields().stream().map(Field::name).toList());
            requireCategoriesAreNotNumbers(model, schema, model.pipeline().inputFields());
            requireNumbersCanBeRead(model, schema, model.pipeline().inputFields());
            return Optional.of(schema);
        }
        return Optional.empty();
    }

    /**
     * A TRANSFORM model's raw input: the columns its TRANSFORM reads present, and each of the type it was trained on, as
     * {@link #requireFeatures} checks a model's features. Without it a category given as a number was silently encoded as
     * unseen, and a DATE for a number failed in DuckDB's words over Lathe's SQL, its frozen statistics included (probe rg).
     */
    static void requireTransformInputs(Connection connection, LoadedModel model, String relation, List<String> columns) {
        Schema schema = dev.lathe.warehouse.Warehouse.describe(connection, relation);
        requireColumns(model, schema, columns);
        List<Field> trained = model.manifest().inputColumns().stream()
                .filter(c -> columns.stream().anyMatch(name -> name.equalsIgnoreCase(c.name())))
                .map(c -> new Field(c.name(), DataType.valueOf(c.type()), c.duckDbType())).toList();
        requireCategoriesAreNotNumbers(model, schema, trained);
        requireNumbersCanBeRead(model, schema, trained);
    }

    /**
     * A feature the model reads as a number given as a DATE, TIMESTAMP, BYTES, ARRAY or STRUCT fails in DuckDB's cast with
     * its own words and, for an imported model, an excerpt of Lathe's SQL: refused here, naming the column and the type.
     * Text is read as numbers where it holds them ({@link #clearer} words the failure where it does not).
     */
    private static void requireNumbersCanBeRead(LoadedModel model, Schema schema, List<Field> inputs) {
        for (Field trained : inputs) {
            if (!trained.type().isNumeric()) {
                continue;
            }
            schema.indexOf(trained.name()).map(schema::field)
                    .filter(given -> !given.type().isNumeric() && given.type() != DataType.STRING && given.type() != DataType.OTHER
                            && given.type() != DataType.BOOL)
                    .ifPresent(given -> {
                        String type = typeName(model, trained.name());
                        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Column " + given.name() + " of the input to model "
                                + model.displayName() + " is " + given.type().bigQueryName() + ", but the model reads it as a number ("
                                + type + "); give it as " + type);
                    });
        }
    }

    /**
     * The type the model takes input {@code column} as: an imported model's declared or inferred one (its pipeline reads every
     * input as FLOAT64, so an INT32 tensor's input was named FLOAT64), else the training column's.
     */
    private static String typeName(LoadedModel model, String column) {
        if (model.estimator() instanceof ImportedEstimator imported) {
            Optional<String> declared = imported.signature().inputs().stream().filter(c -> c.name().equalsIgnoreCase(column))
                    .map(dev.lathe.imported.ImportedColumn::type).findFirst();
            if (declared.isPresent()) {
                return declared.get();
            }
        }
        return model.pipeline().inputFields().stream().filter(f -> f.name().equalsIgnoreCase(column)).findFirst()
                .map(f -> f.type().bigQueryName())
                .or(() -> model.manifest().inputColumns().stream().filter(c -> c.name().equalsIgnoreCase(column)).findFirst()
                        .map(c -> DataType.valueOf(c.type()).bigQueryName())) // a TRANSFORM's raw input
                .orElse(DataType.FLOAT64.bigQueryName());
    }

    private static final Pattern NOT_A_NUMBER = Pattern.compile(
            "Could not convert string '(.*?)' to \\w+ when casting from source column \"?([^\\s\"]+)\"?");
    private static final Pattern QUERY_AT = Pattern.compile(" \\(in the query at [^)]*\\)");

    /**
     * DuckDB's "Could not convert string 'x' to DOUBLE when casting from source column a" (with, for an imported model,
     * an excerpt of Lathe's own SQL) in the terms of the model's input; any other failure as it was.
     */
    static LatheException clearer(LatheException failure, LoadedModel model) {
        Matcher text = NOT_A_NUMBER.matcher(String.valueOf(failure.getMessage()));
        if (!text.find()) {
            return failure;
        }
        String column = text.group(2);
        if (model.pipeline().inputFields().stream().noneMatch(f -> f.name().equalsIgnoreCase(column) && f.type().isNumeric())
                && (model.transform().isEmpty() || model.manifest().inputColumns().stream()
                        .noneMatch(c -> c.name().equalsIgnoreCase(column) && DataType.valueOf(c.type()).isNumeric()))) {
            return failure; // a cast of the user's own
        }
        String type = typeName(model, column);
        Matcher at = QUERY_AT.matcher(failure.getMessage());
        return new LatheException(ErrorCode.INVALID_ARGUMENT, "Column " + column + " of the input to model " + model.displayName()
                + " holds '" + text.group(1) + "', which is not a number; the model reads " + column + " as " + type
                + " (give numbers, or SAFE_CAST(" + column + " AS " + type + ") for NULL where the text is not one)"
                + (at.find() ? at.group() : ""), failure);
    }

    /**
     * A feature the model took as categories (STRING, BOOL, DATE, ...) given as numbers would read as text no category
     * matches ('94103.0' for '94103'), so every row would encode as unseen and predict alike: refused, naming the cast
     * that makes it what the model was trained on, as BigQuery refuses the wrong type.
     */
    private static void requireCategoriesAreNotNumbers(LoadedModel model, Schema schema, List<Field> inputs) {
        for (Field trained : inputs) {
            if (!trained.type().isCategorical()) {
                continue;
            }
            schema.indexOf(trained.name()).map(schema::field).filter(given -> given.type().isNumeric()).ifPresent(given -> {
                throw new LatheException(dev.lathe.core.ErrorCode.INVALID_ARGUMENT, "Column " + given.name() + " of the input to model "
                        + model.displayName() + " is " + given.type().bigQueryName() + ", but the model was trained on it as "
                        + trained.type().bigQueryName() + "; give it as that type, e.g. CAST(" + given.name() + " AS "
                        + trained.type().bigQueryName() + ")");
            });
        }
    }

    /** Creates {@code table} with the prediction columns for each row of {@code relation}, in order. */
    static void predictInto(DuckDBConnection connection, LoadedModel model, String relation, String table, double threshold) {
        predictInto(connection, model, relation, table, threshold, rows -> {});
    }

    /**
     * As {@link #predictInto(DuckDBConnection, LoadedModel, String, String, double)}, telling {@code progress} the
     * rows predicted so far after each batch; batch prediction jobs stop by throwing from it.
     */
    static void predictInto(DuckDBConnection connection, LoadedModel model, String relation, String table, double threshold,
            java.util.function.LongConsumer progress) {
        predictInto(connection, model, relation, table, threshold, progress, Optional.empty());
    }

    /**
     * Columns some callers add after the prediction columns, computed from the same encoded batch
     * (ML.EXPLAIN_PREDICT's attributions), so they share this one prediction path.
     */
    interface Extra {
        /** The column definitions, e.g. {@code "x" DOUBLE, "y" DOUBLE[]}. */
        String columns();

        List<ColumnWriter.Values> values(DenseMatrix features, Predictions predictions, double threshold);
    }

    static void predictInto(DuckDBConnection connection, LoadedModel model, String relation, String table, double threshold,
            java.util.function.LongConsumer progress, Optional<Extra> extra) {
        requireFeatures(connection, model, relation);
        try {
            predictChecked(connection, model, relation, table, threshold, progress, extra);
        } catch (LatheException e) {
            throw clearer(e, model);
        }
    }

    private static void predictChecked(DuckDBConnection connection, LoadedModel model, String relation, String table, double threshold,
            java.util.function.LongConsumer progress, Optional<Extra> extra) {
        if (model.estimator() instanceof ImportedEstimator imported) {
            ImportedPredictor.predictInto(connection, model, imported, relation, table, progress, extra);
            return;
        }
        String columns = switch (model.task()) {
            case REGRESSION -> Sql.quote(PREDICTION) + " DOUBLE";
            case CLASSIFICATION -> Sql.quote(CLASS) + " INTEGER, " + Sql.quote(PROBABILITIES) + " DOUBLE[]";
            case CLUSTERING -> Sql.quote(CENTROIDS) + " BIGINT[], " + Sql.quote(DISTANCES) + " DOUBLE[]";
        };
        Sql.execute(connection, "CREATE TEMP TABLE " + Sql.quote(table) + " (" + columns
                + extra.map(e -> ", " + e.columns()).orElse("") + ")");
        try (ColumnWriter writer = ColumnWriter.toTempTable(connection, table);
                BatchReader reader = BatchReader.open(connection, relation, model.pipeline().inputFields(),
                        BatchReader.DEFAULT_BATCH_SIZE)) {
            Optional<Batch> batch;
            long done = 0;
            while ((batch = reader.next()).isPresent()) {
                DenseMatrix features = model.features(batch.get());
                Predictions predictions = model.estimator().predict(features);
                List<ColumnWriter.Values> values = new ArrayList<>(columns(predictions, threshold));
                if (extra.isPresent()) {
                    values.addAll(extra.get().values(features, predictions, threshold));
                }
                writer.append(values);
                done += batch.get().rowCount();
                progress.accept(done);
            }
        }
    }

    /** The prediction columns of a batch, in the order of the table {@link #predictInto} creates. */
    private static List<ColumnWriter.Values> columns(Predictions predictions, double threshold) {
        return switch (predictions) {
            case Predictions.Values values -> List.of(new ColumnWriter.Doubles(values.values()));
            case Predictions.Probabilities probabilities -> {
                int classes = probabilities.classes();
                int[] predicted = new int[probabilities.rows()];
                double[] row = new double[classes];
                for (int r = 0; r < predicted.length; r++) {
                    System.arraycopy(probabilities.probabilities(), r * classes, row, 0, classes);
                    predicted[r] = predictedClass(row, threshold);
                }
                yield List.of(new ColumnWriter.Ints(predicted), new ColumnWriter.DoubleLists(probabilities.probabilities(), classes));
            }
            case Predictions.Distances distances -> {
                int nearest = nearestCount(distances.k());
                long[] ids = new long[distances.rows() * nearest];
                double[] values = new double[distances.rows() * nearest];
                long[] rowIds = new long[nearest];
                double[] rowValues = new double[nearest];
                for (int r = 0; r < distances.rows(); r++) {
                    nearestCentroids(distances, r, rowIds, rowValues);
                    System.arraycopy(rowIds, 0, ids, r * nearest, nearest);
                    System.arraycopy(rowValues, 0, values, r * nearest, nearest);
                }
                yield List.of(new ColumnWriter.LongLists(ids, nearest), new ColumnWriter.DoubleLists(values, nearest));
            }
        };
    }

    /** Binary: the positive class iff its probability exceeds the threshold; multiclass: the argmax. */
    static int predictedClass(double[] probabilities, double threshold) {
        if (probabilities.length == 2) {
            return probabilities[1] > threshold ? 1 : 0;
        }
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return best;
    }

    /** How many nearest centroids a clustering prediction reports for {@code k} centroids: up to 5. */
    static int nearestCount(int k) {
        return Math.min(k, 5);
    }

    /** The nearest {@code ids.length} centroids of row {@code r}, nearest first; ids are 1-based. */
    static void nearestCentroids(Predictions.Distances distances, int r, long[] ids, double[] values) {
        int k = distances.k();
        boolean[] taken = new boolean[k];
        for (int slot = 0; slot < ids.length; slot++) {
            int best = -1;
            for (int c = 0; c < k; c++) {
                if (!taken[c] && (best < 0 || distances.get(r, c) < distances.get(r, best))) {
                    best = c;
                }
            }
            taken[best] = true;
            ids[slot] = best + 1;
            values[slot] = distances.get(r, best);
        }
    }
}
