package dev.lathe.engine;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.DataType;
import dev.lathe.core.Field;
import dev.lathe.warehouse.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.duckdb.DuckDBConnection;

/**
 * ML.PREDICT for batch prediction jobs: the same model loading, TRANSFORM and {@link Predictor} loop, but rows
 * whose model inputs cannot be converted are set aside as errors instead of failing the statement, and
 * progress is reported after every 64k-row batch. Everything it creates is a temporary table of the caller's
 * connection, so an interrupted run leaves nothing in the warehouse.
 */
public final class BatchScoring {
    /** The rows predicted and the rows set aside as errors. */
    public record Outcome(long predicted, long failed) {
        public Outcome {
            if (predicted < 0 || failed < 0) {
                throw new IllegalArgumentException("counts must be >= 0, got " + predicted + " and " + failed);
            }
        }
    }

    private BatchScoring() {}

    /**
     * Predicts each row of the relation {@code input} (a table or view of {@code connection}) with model
     * {@code dataset.name} version {@code version}. Creates temporary table {@code output} with ML.PREDICT's
     * columns (prediction columns, then the input's columns except {@code keyColumns}) for the good rows, in
     * input order, and temporary table {@code errors} ({@code keyColumns}, {@code column_name}, {@code error_message})
     * with one row per input row whose feature value cannot be converted to the type the model needs (e.g.
     * {@code 'abc'} for a number, an unparseable timestamp). {@code progress} gets the rows handled so far
     * (set-aside rows included) after each batch and may throw to stop the run. {@code filesLacking} maps a column
     * (lower case) to the input files that do not have it, where the input is several files read by name: a column the
     * model reads must be in every one of them (the others are extra, ignored).
     */
    public static Outcome predict(Platform platform, Connection connection, String dataset, String name, int version, String input,
            List<String> keyColumns, String output, String errors, double threshold, java.util.Map<String, List<String>> filesLacking,
            LongConsumer progress) {
        requireNonNull(platform, "platform is null");
        requireNonNull(keyColumns, "keyColumns is null");
        requireNonNull(progress, "progress is null");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold is " + threshold + " but must be in [0, 1]");
        }
        DuckDBConnection duck = (DuckDBConnection) connection;
        LoadedModel model = platform.models().get(dataset, name, version);
        for (var column : model.rawFeatures()) {
            List<String> lacking = filesLacking.getOrDefault(column.name().toLowerCase(java.util.Locale.ROOT), List.of());
            if (!lacking.isEmpty()) {
                throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.INVALID_DATA, "Input file" + (lacking.size() == 1 ? " " : "s ")
                        + String.join(", ", lacking) + (lacking.size() == 1 ? " lacks" : " lack") + " column " + column.name() + ", which model "
                        + model.displayName() + " reads; every input file must hold the model's columns (other columns are ignored)");
            }
        }
        String inputSql = "SELECT * FROM " + Sql.quote(input);
        Predictor.requireFeatures(duck, model, TableFunctions.features(duck, model, input, false));
        List<Check> checks = checks(model, dev.lathe.warehouse.Warehouse.describe(duck, inputSql));
        String keys = String.join(", ", keyColumns.stream().map(Sql::quote).toList());
        String keyPrefix = keys.isEmpty() ? "" : keys + ", ";
        Sql.execute(duck, "CREATE TEMP TABLE " + Sql.quote(errors) + " AS SELECT " + keyPrefix + badColumn(checks) + " AS column_name, "
                + badMessage(checks) + " AS error_message FROM (" + inputSql + ") AS __lathe_in WHERE " + anyBad(checks));
        long failed = count(duck, errors);
        try (Scope scope = new Scope(duck, new AtomicLong())) {
            String good = scope.table("batch_good");
            Sql.execute(duck, "CREATE TEMP TABLE " + Sql.quote(good) + " AS SELECT * FROM (" + inputSql + ") AS __lathe_in WHERE NOT ("
                    + anyBad(checks) + ")");
            String converted = scope.view("batch_converted");
            Sql.execute(duck, "CREATE TEMP VIEW " + Sql.quote(converted) + " AS SELECT * " + replace(checks) + " FROM " + Sql.quote(good));
            String predictions = scope.table("batch_predictions");
            Predictor.predictInto(duck, model, TableFunctions.features(duck, model, converted, false), predictions, threshold,
                    rows -> progress.accept(rows + failed));
            String exclude = keys.isEmpty() ? "" : " EXCLUDE (" + keys + ")";
            Sql.execute(duck, "CREATE TEMP TABLE " + Sql.quote(output) + " AS SELECT " + TableFunctions.predictionColumns(model) + ", i.*"
                    + exclude + " FROM " + Sql.quote(predictions) + " AS p POSITIONAL JOIN " + Sql.quote(good) + " AS i");
            long predicted = count(duck, output);
            progress.accept(predicted + failed);
            return new Outcome(predicted, failed);
        }
    }

    /**
     * A raw column a model's TRANSFORM reads that {@code input} holds as text although the model was trained on it as a
     * number: {@code column} as the model names it, {@code trainedType} (BigQuery's name), the first of its values that
     * is no number (empty where every one is) and that row's key columns' values.
     */
    public record TextForNumber(String column, String trainedType, java.util.Optional<String> value, List<Object> keys) {
        public TextForNumber {
            requireNonNull(column, "column is null");
            requireNonNull(trainedType, "trainedType is null");
            requireNonNull(value, "value is null");
            keys = java.util.Collections.unmodifiableList(new ArrayList<>(keys)); // a key may be NULL
        }
    }

    /**
     * For a model with a TRANSFORM clause, which gets no per-row conversion check (its SQL converts the raw columns): the
     * first raw column it was trained on as a number that the relation {@code input} holds as text, with the first value
     * that is no number, if there is such a column. A TRANSFORM fails on it for the whole relation, in DuckDB's words and
     * with Lathe's generated SQL ("No function matches the given name and argument types '*(VARCHAR, INTEGER_LITERAL)'"):
     * this names the column and the row instead.
     */
    public static java.util.Optional<TextForNumber> transformTextForNumber(Platform platform, Connection connection, String dataset, String name,
            int version, String input, List<String> keyColumns) {
        LoadedModel model = platform.models().get(dataset, name, version);
        if (model.transform().isEmpty()) {
            return java.util.Optional.empty();
        }
        dev.lathe.core.Schema schema = dev.lathe.warehouse.Warehouse.describe(connection, "SELECT * FROM " + Sql.quote(input));
        List<String> reads = model.transform().get().inputColumns();
        for (var trained : model.manifest().inputColumns()) {
            DataType type = DataType.valueOf(trained.type());
            if (!type.isNumeric() || reads.stream().noneMatch(trained.name()::equalsIgnoreCase)
                    || schema.indexOf(trained.name()).map(i -> schema.field(i).type() != DataType.STRING).orElse(true)) {
                continue;
            }
            String column = Sql.quote(trained.name());
            String keys = keyColumns.stream().map(k -> Sql.quote(k) + ", ").collect(java.util.stream.Collectors.joining());
            String sql = "SELECT " + keys + "left(" + column + ", 100) FROM " + Sql.quote(input) + " WHERE " + column + " IS NOT NULL AND TRY_CAST("
                    + column + " AS DOUBLE) IS NULL LIMIT 1";
            try (java.sql.Statement statement = connection.createStatement(); java.sql.ResultSet rows = statement.executeQuery(sql)) {
                List<Object> values = new ArrayList<>();
                java.util.Optional<String> value = java.util.Optional.empty();
                if (rows.next()) {
                    for (int k = 1; k <= keyColumns.size(); k++) {
                        values.add(rows.getObject(k));
                    }
                    value = java.util.Optional.of(rows.getString(keyColumns.size() + 1));
                }
                return java.util.Optional.of(new TextForNumber(trained.name(), type.bigQueryName(), value, values));
            } catch (java.sql.SQLException e) {
                throw Sql.error(e, sql);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * One input column checked by TRY_CAST to the type its feature is read as; {@code whole}, when present, also refuses
     * NULL, fractions and numbers outside {min, max} (an ONNX integer tensor, which has no missing value and takes whole
     * numbers of its type's range).
     */
    private record Check(String column, String duckDbType, String bigQueryType, java.util.Optional<double[]> whole) {
        Check(String column, String duckDbType, String bigQueryType) {
            this(column, duckDbType, bigQueryType, java.util.Optional.empty());
        }

        boolean wholeNumber() {
            return whole.isPresent();
        }
    }

    /**
     * Numbers and timestamps can fail to convert; categorical features are read as text, which never fails.
     * Models with a TRANSFORM read raw columns the TRANSFORM's SQL converts, so they are not checked here.
     */
    private static List<Check> checks(LoadedModel model, dev.lathe.core.Schema input) {
        List<Check> checks = new ArrayList<>();
        if (model.transform().isPresent()) {
            return checks;
        }
        // An imported ONNX model's pipeline reads every input as DOUBLE; its estimator knows the integer tensors' ranges.
        java.util.Map<String, double[]> integerInputs = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        if (model.estimator() instanceof dev.lathe.imported.ImportedEstimator imported) {
            integerInputs.putAll(imported.integerInputs());
        }
        for (Field field : model.pipeline().inputFields()) {
            if (integerInputs.containsKey(field.name())) {
                // An integer tensor: a NULL, a fraction or a number out of its range is this row's fault, not the whole job's.
                checks.add(new Check(field.name(), "DOUBLE", DataType.INT64.bigQueryName(), java.util.Optional.of(integerInputs.get(field.name()))));
                continue;
            }
            // Only text can fail to convert: a typed column already holds what the model reads.
            DataType given = input.indexOf(field.name()).map(i -> input.field(i).type()).orElse(DataType.STRING);
            if (given != DataType.STRING && given != DataType.OTHER) {
                continue;
            }
            if (field.type().isNumeric()) {
                checks.add(new Check(field.name(), "DOUBLE", field.type().bigQueryName())); // the model's own type name
            } else if (field.type() == DataType.TIMESTAMP) {
                checks.add(new Check(field.name(), "TIMESTAMP", DataType.TIMESTAMP.bigQueryName()));
            } else if (field.type() == DataType.ARRAY_STRING || field.type() == DataType.ARRAY_FLOAT64) {
                // a CSV holds an array as its text ("[a, b]"): converted here, where it failed later as DuckDB's binder error
                // "Invalid LIST argument during lambda function binding!" naming no column (probe H)
                checks.add(new Check(field.name(), field.type().duckDbType(), field.type().bigQueryName()));
            }
        }
        return checks;
    }

    private static String bad(Check check) {
        String column = Sql.quote(check.column());
        if (check.wholeNumber()) {
            String number = "TRY_CAST(" + column + " AS DOUBLE)";
            double[] range = check.whole().orElseThrow();
            return "(" + number + " IS NULL OR " + number + " <> round(" + number + ") OR " + number + " < " + Sql.literal(range[0])
                    + " OR " + number + " > " + Sql.literal(range[1]) + ")";
        }
        return "(" + column + " IS NOT NULL AND TRY_CAST(" + column + " AS " + check.duckDbType() + ") IS NULL)";
    }

    private static String anyBad(List<Check> checks) {
        return checks.isEmpty() ? "FALSE" : String.join(" OR ", checks.stream().map(BatchScoring::bad).toList());
    }

    private static String badColumn(List<Check> checks) {
        if (checks.isEmpty()) {
            return "CAST(NULL AS VARCHAR)";
        }
        StringBuilder sql = new StringBuilder("CASE");
        for (Check check : checks) {
            sql.append(" WHEN ").append(bad(check)).append(" THEN ").append(Sql.literal(check.column()));
        }
        return sql.append(" END").toString();
    }

    private static String badMessage(List<Check> checks) {
        if (checks.isEmpty()) {
            return "CAST(NULL AS VARCHAR)";
        }
        StringBuilder sql = new StringBuilder("CASE");
        for (Check check : checks) {
            String value = "left(CAST(" + Sql.quote(check.column()) + " AS VARCHAR), 100)";
            if (check.wholeNumber()) {
                sql.append(" WHEN ").append(bad(check)).append(" THEN ").append(Sql.literal("column " + check.column() + ": "))
                        .append(" || coalesce('''' || ").append(value).append(" || '''', 'NULL') || ")
                        .append(Sql.literal(String.format(java.util.Locale.ROOT, " is not a whole number from %.0f to %.0f; the ONNX model"
                                + " reads it as an integer tensor", check.whole().orElseThrow()[0], check.whole().orElseThrow()[1])));
                continue;
            }
            sql.append(" WHEN ").append(bad(check)).append(" THEN ").append(Sql.literal("column " + check.column() + ": cannot convert '"))
                    .append(" || ").append(value).append(" || ")
                    .append(Sql.literal("' to " + check.bigQueryType() + ", the type the model reads it as"));
        }
        return sql.append(" END").toString();
    }

    /** The checked columns replaced by their converted values, so the model reads numbers, not text. */
    private static String replace(List<Check> checks) {
        if (checks.isEmpty()) {
            return "";
        }
        List<String> items = new ArrayList<>();
        for (Check check : checks) {
            String column = Sql.quote(check.column());
            items.add("TRY_CAST(" + column + " AS " + check.duckDbType() + ") AS " + column);
        }
        return "REPLACE (" + String.join(", ", items) + ")";
    }

    private static long count(Connection connection, String table) {
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + Sql.quote(table))) {
            rows.next();
            return rows.getLong(1);
        } catch (java.sql.SQLException e) {
            throw Sql.error(e, "SELECT count(*) FROM " + table);
        }
    }
}
