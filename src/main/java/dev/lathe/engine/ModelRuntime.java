package dev.lathe.engine;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DataType;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.Predictions;
import dev.lathe.imported.ImportedColumn;
import dev.lathe.imported.ImportedEstimator;
import dev.lathe.imported.IntegerInputException;
import dev.lathe.imported.OutputColumn;
import dev.lathe.registry.ModelManifest;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.CachedStatements;
import dev.lathe.warehouse.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A loaded model version for online prediction: JSON-like instances in, ML.PREDICT's columns out.
 * Instances become the same {@link Batch} ML.PREDICT reads from DuckDB (numbers as doubles,
 * categoricals as text, timestamps as epoch microseconds), then go through the same pipeline and
 * estimator, so a prediction over HTTP equals ML.PREDICT for the same row to the last digit.
 * Immutable and thread-safe; models with a TRANSFORM need a DuckDB connection to apply it.
 */
public final class ModelRuntime {
    private final LoadedModel model;

    /** A classifier's class labels typed as the label column is ({@link #typedLabel}), made once, not per prediction. */
    private final List<Object> typedClassLabels;
    /** Writes predictions as JSON without maps; null for clustering and imported models (their own output columns). */
    private final PredictionJson json;
    /** Where {@link #predictJsonRow} takes one instance's values; null where that path does not apply. */
    private final RowInput rowInput;
    /** {@link LoadedModel#rawFeatures}, worked out once: a request asks for them (they read the TRANSFORM's SQL). */
    private final List<ModelManifest.Column> inputColumns;
    /** The names an instance's fields are looked up by, exactly and regardless of case ({@link #requireOneFieldPerInput}). */
    private final java.util.Set<String> inputNames = new java.util.HashSet<>();
    private final java.util.NavigableSet<String> inputNamesIgnoringCase = new java.util.TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    ModelRuntime(LoadedModel model) {
        this.model = requireNonNull(model, "model is null");
        this.typedClassLabels = model.manifest().classLabels().stream().map(this::typedLabel).toList();
        this.json = model.task() == ModelTask.CLUSTERING || model.estimator() instanceof ImportedEstimator ? null
                : new PredictionJson(model.label().name(), typedClassLabels);
        this.rowInput = json != null && model.transform().isEmpty() && model.pipeline().encodesRows()
                ? new RowInput(model.pipeline().inputFields()) : null;
        this.inputColumns = model.rawFeatures();
        inputColumns.forEach(column -> inputNames.add(column.name()));
        model.pipeline().inputFields().forEach(field -> inputNames.add(field.name()));
        inputNamesIgnoringCase.addAll(inputNames);
    }

    /**
     * Refuses an instance that gives one input under two names differing only in case ({@code "Island"} and {@code
     * "ISLAND"}): names match the model's columns regardless of case, as in SQL, where two such columns are ambiguous. One
     * of them was used, chosen by the instance map's hash order (probe tb F3), where the Open Inference Protocol's tensors and
     * an exactly repeated field were refused. An instance whose every field is named exactly, or is no input, costs one
     * set lookup per field.
     */
    private void requireOneFieldPerInput(List<Map<String, Object>> instances) {
        for (int r = 0; r < instances.size(); r++) {
            Map<String, Object> instance = instances.get(r);
            for (String key : instance.keySet()) {
                if (!inputNames.contains(key) && inputNamesIgnoringCase.contains(key)) {
                    requireOneFieldPerInput(r, instance);
                    break;
                }
            }
        }
    }

    private void requireOneFieldPerInput(int row, Map<String, Object> instance) {
        Map<String, java.util.SortedSet<String>> byInput = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        for (String key : instance.keySet()) {
            String input = inputNamesIgnoringCase.ceiling(key);
            if (input != null && input.equalsIgnoreCase(key)) {
                byInput.computeIfAbsent(input, k -> new java.util.TreeSet<>()).add(key);
            }
        }
        for (Map.Entry<String, java.util.SortedSet<String>> input : byInput.entrySet()) {
            if (input.getValue().size() > 1) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "instances[" + row + "]." + input.getKey() + " is given "
                        + input.getValue().size() + " times, as '" + String.join("' and '", input.getValue()) + "': field names match the"
                        + " model's columns regardless of case, as column names do in SQL, so these name one input; give it once");
            }
        }
    }

    /**
     * The slots of one instance's values for {@link #predictJsonRow}, the one-instance path that skips the instance's
     * map: present for regression and classification models without a TRANSFORM whose every input is a number or a
     * category (the models {@link #predictJson} encodes a single instance for without building columns).
     */
    public Optional<RowInput> rowInput() {
        return Optional.ofNullable(rowInput);
    }

    /**
     * The input fields of a model in the order {@link #predictJsonRow} takes their values, and the conversion of a JSON
     * scalar to a slot's value, the one {@link #predict} makes of the same instance. Field names are interned, so a
     * parser that interns the names it reads (Jackson's default) finds a field by identity.
     */
    public static final class RowInput {
        /** What {@link #convert} returns for a value {@link #predict} would reject: that path reports the error. */
        public static final Object REJECTED = new Object();

        private final Field[] fields;
        private final String[] names;
        private final Map<String, Integer> slots;

        /** Slots for {@code fields}, in order, each numeric or categorical (the model's pipeline input fields). */
        public RowInput(List<Field> fields) {
            this.fields = fields.toArray(Field[]::new);
            this.names = new String[this.fields.length];
            Map<String, Integer> slots = new java.util.HashMap<>();
            for (int f = 0; f < names.length; f++) {
                names[f] = this.fields[f].name().intern();
                slots.put(names[f], f);
            }
            this.slots = Map.copyOf(slots);
        }

        /** How many values an instance carries. */
        public int size() {
            return fields.length;
        }

        /**
         * The slot of the field named exactly {@code name}, -1 for none; {@code guess} (the slot after the last one
         * found: clients send fields in one order) is tried first.
         */
        public int slot(String name, int guess) {
            if (guess < names.length && names[guess] == name) {
                return guess;
            }
            Integer slot = slots.get(name);
            return slot == null ? -1 : slot;
        }

        /** Whether {@code name}, which has no {@link #slot}, names a field in another case ({@code "ISLAND"} for island). */
        public boolean namesAFieldInOtherCase(String name) {
            for (String field : names) {
                if (field.equalsIgnoreCase(name)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The slot's value for a JSON scalar (a Long or Double, String, Boolean or null), as {@link #predict} converts
         * it: a Double (NaN for null) for a number, a String (null for null) for a category; {@link #REJECTED} for a value
         * of the wrong kind.
         */
        public Object convert(int slot, Object scalar) {
            try {
                return rowValue(fields[slot], scalar);
            } catch (LatheException e) {
                return REJECTED;
            }
        }
    }

    /**
     * {@link #predictJson} for one instance given as its {@link #rowInput} slots' values ({@link RowInput#convert} of
     * each): the same bytes, without the instance's map.
     */
    public byte[] predictJsonRow(Object[] values, double threshold, Function<List<Map<String, Object>>, byte[]> writeRows) {
        if (rowInput == null || values.length != rowInput.size()) {
            throw new IllegalStateException(rowInput == null ? "this model takes no row input" : rowInput.size() + " values expected");
        }
        checkThreshold(threshold);
        return json(model.estimator().predict(model.featuresOfRow(values)), threshold, writeRows);
    }

    public ModelManifest manifest() {
        return model.manifest();
    }

    /**
     * The raw columns an instance must carry (before TRANSFORM): the label left out, which a TRANSFORM lists among its
     * inputs when it passes the label through but which prediction, as ML.PREDICT, does without.
     */
    public List<ModelManifest.Column> inputColumns() {
        return inputColumns;
    }

    /**
     * Instances as a batch of the raw {@link #inputColumns()}, converted exactly as {@link #predict} converts them
     * (numbers as doubles, categoricals as text, timestamps as epoch microseconds); a missing field or a value
     * of the wrong kind fails with INVALID_ARGUMENT naming the instance and field.
     */
    public Batch featureBatch(List<Map<String, Object>> instances) {
        return toBatch(instances, featureFields());
    }

    /** The fields of {@link #featureBatch}'s columns, in order. */
    public List<Field> featureFields() {
        return fields(inputColumns());
    }

    /** The profile of the training data stored with this version; a clear error naming {@code purpose} when it has none. */
    public dev.lathe.profile.DataProfile requireTrainingProfile(String purpose) {
        return model.requireTrainingProfile(purpose);
    }

    /** The features {@link #explain} attributes to (TRANSFORM outputs for models with a TRANSFORM). */
    public List<String> attributionFeatures() {
        return model.pipeline().layout().features();
    }

    /**
     * ML.GLOBAL_EXPLAIN's model-level numbers (mean absolute attribution per feature over the evaluation rows),
     * when the version was trained with ENABLE_GLOBAL_EXPLAIN; empty otherwise.
     */
    public Optional<Map<String, Double>> globalAttributions() {
        if (model.manifest().globalExplanation() == null) {
            return Optional.empty();
        }
        Map<String, Double> attributions = new LinkedHashMap<>();
        for (ModelManifest.GlobalAttribution row : model.manifest().globalExplanation()) {
            if (row.classLabel() == null) {
                attributions.put(row.feature(), row.attribution());
            }
        }
        return Optional.of(attributions);
    }

    public boolean needsConnection() {
        return model.transform().isPresent();
    }

    /**
     * Predicts for {@code instances} (each a map from column name to a JSON value: number, string,
     * boolean or null). Returns one map per instance with ML.PREDICT's prediction columns. A missing
     * column or a value of the wrong kind fails with INVALID_ARGUMENT naming the instance and field.
     *
     * @param connection a DuckDB connection, used only for models with a TRANSFORM
     */
    public List<Map<String, Object>> predict(List<Map<String, Object>> instances, double threshold, Connection connection) {
        checkThreshold(threshold);
        DenseMatrix features = features(instances, connection);
        if (model.estimator() instanceof ImportedEstimator imported) {
            return renderImported(instanceTerms(instances, () -> imported.predictOutputs(features)), imported, features.rows());
        }
        return render(model.estimator().predict(features), threshold);
    }

    /**
     * {@link #predict}'s rows as a JSON array: the bytes {@code writeRows} (the server's JSON writer) would make of them,
     * written straight from the estimator's output for regression and classification models, else by {@code writeRows}.
     */
    public byte[] predictJson(List<Map<String, Object>> instances, double threshold, Connection connection,
            Function<List<Map<String, Object>>, byte[]> writeRows) {
        if (json == null) {
            return writeRows.apply(predict(instances, threshold, connection));
        }
        checkThreshold(threshold);
        return json(model.estimator().predict(features(instances, connection)), threshold, writeRows);
    }

    private byte[] json(Predictions predictions, double threshold, Function<List<Map<String, Object>>, byte[]> writeRows) {
        byte[] bytes = json.write(predictions, predictions instanceof Predictions.Probabilities p ? predictedClasses(p, threshold) : null);
        return bytes != null ? bytes : writeRows.apply(render(predictions, threshold));
    }

    private static void checkThreshold(double threshold) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "threshold is " + threshold + " but must be in [0, 1]");
        }
    }

    /** The estimator's input for the instances: checked and encoded as ML.PREDICT encodes the same rows. */
    private DenseMatrix features(List<Map<String, Object>> instances, Connection connection) {
        requireOneFieldPerInput(instances);
        if (model.estimator() instanceof ImportedEstimator imported) {
            requireImportedInputs(imported, instances);
        }
        if (instances.size() == 1 && model.transform().isEmpty() && model.pipeline().encodesRows()) {
            // One instance, the usual online request: encoded straight from its values, without columns.
            List<Field> fields = model.pipeline().inputFields();
            Object[] values = new Object[fields.size()];
            for (int f = 0; f < values.length; f++) {
                values[f] = rowValue(instances, fields.get(f));
            }
            return model.featuresOfRow(values);
        }
        Batch batch = model.transform().isPresent() ? throughTransform(instances, connection) : toBatch(instances,
                model.pipeline().inputFields());
        return encoded(batch, model::features);
    }

    /**
     * {@code encode} of the instances' batch, an array feature of another length than training's named by its instance
     * ({@code instances[3].v}, a 400 naming the field): the batch's rows are the instances, in order. Through a TRANSFORM
     * the array may be one the TRANSFORM made, so the message stays the column's.
     */
    private DenseMatrix encoded(Batch batch, java.util.function.Function<Batch, DenseMatrix> encode) {
        try {
            return encode.apply(batch);
        } catch (dev.lathe.features.ArrayLengthException e) {
            throw model.transform().isPresent() ? e : e.at("instances[" + e.row() + "]." + e.column());
        }
    }

    /** Per row, the class index {@code threshold} picks, as {@link #render} picks it. */
    private static int[] predictedClasses(Predictions.Probabilities probabilities, double threshold) {
        int[] classes = new int[probabilities.rows()];
        double[] row = new double[probabilities.classes()];
        for (int r = 0; r < classes.length; r++) {
            System.arraycopy(probabilities.probabilities(), r * row.length, row, 0, row.length);
            classes[r] = Predictor.predictedClass(row, threshold);
        }
        return classes;
    }

    /**
     * The one instance's value of a numeric or categorical {@code field} as a one-row batch of it carries it (see
     * {@link #column}): a Double, NaN for NULL, or a String, null for NULL; the same checks and errors.
     */
    private static Object rowValue(List<Map<String, Object>> instances, Field field) {
        return rowValue(field, value(instances, 0, field));
    }

    /** {@link #rowValue(List, Field)} for the instance's {@code value} of {@code field}. */
    private static Object rowValue(Field field, Object value) {
        if (field.type().isNumeric()) {
            return value == null ? Double.NaN : number(0, field, value);
        }
        return value == null ? null : text(0, field, value);
    }

    /**
     * One instance's explanation in Vertex AI's terms: the output explained (the predicted class for
     * classifiers), its value at the baseline and at the instance, and the attribution per input feature
     * (ML.EXPLAIN_PREDICT's numbers).
     */
    public record Explained(Map<String, Object> prediction, double baselineOutputValue, double instanceOutputValue,
            Map<String, Double> featureAttributions, double approximationError, Optional<Integer> outputIndex,
            Optional<String> outputDisplayName) {
        public Explained {
            prediction = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(prediction));
            featureAttributions = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(featureAttributions));
            requireNonNull(outputIndex, "outputIndex is null");
            requireNonNull(outputDisplayName, "outputDisplayName is null");
        }
    }

    /**
     * Predicts and explains {@code instances}, converted exactly as {@link #predict} converts them, so
     * the attributions equal ML.EXPLAIN_PREDICT's for the same row. Features are listed by |attribution|,
     * largest first.
     */
    public List<Explained> explain(List<Map<String, Object>> instances, double threshold, Connection connection) {
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "threshold is " + threshold + " but must be in [0, 1]");
        }
        if (model.task() == ModelTask.CLUSTERING) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "Model " + model.displayName() + " (" + model.manifest().modelType()
                    + ") cannot be explained: :explain needs a model with a supervised output, not clustering");
        }
        requireOneFieldPerInput(instances);
        if (model.estimator() instanceof ImportedEstimator imported) {
            requireImportedInputs(imported, instances);
        }
        Batch batch = model.transform().isPresent() ? throughTransform(instances, connection) : toBatch(instances,
                model.pipeline().inputFields());
        dev.lathe.core.DenseMatrix features = encoded(batch, model.pipeline()::transform);
        Predictions predictions = instanceTerms(instances, () -> model.estimator().predict(features));
        List<Map<String, Object>> rows = model.estimator() instanceof ImportedEstimator imported
                ? renderImported(imported.predictOutputs(features), imported, batch.rowCount()) : render(predictions, threshold);
        int[] outputs = Explanations.explainedOutputs(predictions, threshold);
        dev.lathe.explain.Explanation explanation = Explanations.explainer(model, dev.lathe.explain.Explainer.DEFAULT_PATH_COUNT)
                .explain(features, outputs);
        boolean classifier = model.task() == ModelTask.CLASSIFICATION;
        boolean multiOutput = predictions instanceof Predictions.Probabilities;
        List<Explained> out = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            Map<String, Double> attributions = new LinkedHashMap<>();
            for (int f : explanation.top(r, explanation.features().size())) {
                attributions.put(explanation.features().get(f), explanation.attribution(r, f));
            }
            Optional<String> label = classifier ? Optional.of(model.manifest().classLabels().get(outputs[r])) : Optional.empty();
            out.add(new Explained(rows.get(r), explanation.baselines()[r], explanation.predictions()[r], attributions,
                    explanation.approximationErrors()[r], multiOutput ? Optional.of(probsIndex(rows.get(r), label, outputs[r])) : Optional.empty(),
                    label));
        }
        return out;
    }

    /**
     * Where the explained class stands in the prediction's own {@code predicted_<label>_probs} list, so that a client reading
     * {@code probs[outputIndex[0]]} reads that class; the class's index where the prediction has no such list.
     */
    private int probsIndex(Map<String, Object> prediction, Optional<String> label, int classIndex) {
        // an imported classifier has no label column (label() refuses it): its explanation was a 400 (probe M)
        ModelManifest.Column labelColumn = model.manifest().label();
        Object probs = labelColumn == null ? null : prediction.get("predicted_" + labelColumn.name() + "_probs");
        if (label.isPresent() && probs instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                if (list.get(i) instanceof Map<?, ?> entry && label.get().equals(String.valueOf(entry.get("label")))) {
                    return i;
                }
            }
        }
        return classIndex;
    }

    /**
     * Requests of at most this many instances run their TRANSFORM as a prepared statement that the connection keeps
     * ({@link CachedStatements}), one per instance count; larger ones as a query with the values written in.
     */
    static final int PREPARED_INSTANCES = 16;

    private Batch throughTransform(List<Map<String, Object>> instances, Connection connection) {
        requireNonNull(connection, "a DuckDB connection is needed to apply the model's TRANSFORM");
        List<Field> raw = fields(inputColumns);
        Batch input = exactNumbers(toBatch(instances, raw), instances, raw);
        boolean prepared = input.rowCount() <= PREPARED_INSTANCES;
        StringBuilder values = new StringBuilder();
        for (int row = 0; row < input.rowCount(); row++) {
            values.append(row == 0 ? "" : ", ").append('(');
            for (int c = 0; c < raw.size(); c++) {
                values.append(c == 0 ? "" : ", ")
                        .append(prepared ? placeholder(input.column(c), raw.get(c)) : literal(input.column(c), raw.get(c), row));
            }
            values.append(')');
        }
        List<String> names = raw.stream().map(f -> Sql.quote(f.name())).toList();
        String relation = "SELECT * FROM (VALUES " + values + ") AS __lathe_instances(" + String.join(", ", names) + ")";
        List<String> outputs = model.pipeline().inputFields().stream().map(Field::name).toList();
        String transformed = model.transform().get().apply(relation, outputs);
        if (!prepared) {
            return BatchReader.readAll(connection, transformed, model.pipeline().inputFields());
        }
        String sql = BatchReader.readQuery(transformed, model.pipeline().inputFields());
        try (CachedStatements.Lease lease = CachedStatements.prepare(connection, sql)) {
            try {
                int parameter = 1;
                for (int row = 0; row < input.rowCount(); row++) {
                    for (int c = 0; c < raw.size(); c++) {
                        bind(lease.statement(), parameter++, input.column(c), row);
                    }
                }
                return BatchReader.readAll(lease.statement(), sql, model.pipeline().inputFields());
            } catch (SQLException e) {
                lease.failed();
                throw Sql.error(e, sql);
            } catch (RuntimeException e) {
                lease.failed();
                throw e;
            }
        }
    }

    /**
     * INT64 and NUMERIC inputs as their exact decimal text: the TRANSFORM's SQL computes on the integer itself (user_id %
     * 10), which above 2^53 a DOUBLE no longer holds, and ML.PREDICT reads the BIGINT (or DECIMAL) exactly; the text is
     * cast to the column's type in SQL, as ML.PREDICT's input is. A request with a value the column's type cannot hold
     * (2.5 or 1e20 for an INT64, NaN for either) sends that column as DOUBLE, as ML.PREDICT over those literals would
     * read it: CAST('2.5' AS BIGINT) rounded it to 3, a third answer, and 1e20 or NaN failed with DuckDB's conversion
     * error and Lathe's SQL (probe M). {@code raw} gets the field's DOUBLE stand-in.
     */
    private static Batch exactNumbers(Batch batch, List<Map<String, Object>> instances, List<Field> raw) {
        List<Column> columns = new ArrayList<>(batch.columns());
        boolean changed = false;
        for (int c = 0; c < raw.size(); c++) {
            Field field = raw.get(c);
            if (field.type() != DataType.INT64 && field.type() != DataType.NUMERIC) {
                continue;
            }
            String[] values = new String[batch.rowCount()];
            boolean fits = true;
            for (int r = 0; r < values.length && fits; r++) {
                Object value = value(instances, r, field);
                if (value == null) {
                    continue;
                }
                // toBatch checked the value: a number, or "NaN"/"Infinity"/"-Infinity" (which no INT64 or DECIMAL holds)
                java.math.BigDecimal exact = value instanceof java.math.BigDecimal decimal ? decimal
                        : value instanceof Number number && Double.isFinite(number.doubleValue()) ? new java.math.BigDecimal(number.toString())
                        : value instanceof String text && DECIMAL_TEXT.matcher(text).matches() ? new java.math.BigDecimal(text)
                        : null;
                fits = exact != null && holds(field, exact);
                values[r] = fits ? exact.stripTrailingZeros().toPlainString() : null;
            }
            if (fits) {
                columns.set(c, StringColumn.of(values));
            } else {
                raw.set(c, new Field(field.name(), DataType.FLOAT64, "DOUBLE"));
            }
            changed = true;
        }
        return changed ? new Batch(batch.schema(), batch.rowCount(), columns) : batch;
    }

    private static final java.math.BigDecimal DECIMAL_38_9_LIMIT = new java.math.BigDecimal("1e29");

    /** Whether the field's DuckDB type holds {@code value}: a whole number in INT64's range; below 10^29 for DECIMAL(38,9). */
    private static boolean holds(Field field, java.math.BigDecimal value) {
        if (field.type() == DataType.INT64) {
            return value.stripTrailingZeros().scale() <= 0 && value.toBigInteger().bitLength() < 64;
        }
        return value.abs().compareTo(DECIMAL_38_9_LIMIT) < 0; // more decimals are rounded, as CAST(... AS NUMERIC) rounds them
    }

    /** One value of {@code column} as a parameter, converted to the field's type as {@link #literal} converts it. */
    private static String placeholder(Column column, Field field) {
        return switch (column) {
            case DoubleColumn d -> "CAST(CAST(? AS DOUBLE) AS " + field.duckDbType() + ")";
            case StringColumn s -> "CAST(CAST(? AS VARCHAR) AS " + field.duckDbType() + ")";
            case TimestampColumn t -> timestamp(field, "CAST(? AS BIGINT)");
            default -> throw unsendable(field);
        };
    }

    private static void bind(PreparedStatement statement, int parameter, Column column, int row) throws SQLException {
        if (column.isNull(row)) {
            statement.setObject(parameter, null);
            return;
        }
        switch (column) {
            case DoubleColumn d -> statement.setDouble(parameter, d.get(row));
            case StringColumn s -> statement.setString(parameter, s.get(row));
            case TimestampColumn t -> statement.setLong(parameter, t.epochMicros()[row]);
            default -> throw new IllegalStateException("no placeholder for " + column.getClass().getSimpleName());
        }
    }

    private static List<Field> fields(List<ModelManifest.Column> columns) {
        List<Field> fields = new ArrayList<>();
        for (ModelManifest.Column column : columns) {
            fields.add(new Field(column.name(), DataType.valueOf(column.type()), column.duckDbType()));
        }
        return fields;
    }

    /** A typed SQL literal for one value, as DuckDB would have stored it. */
    private static String literal(Column column, Field field, int row) {
        if (column.isNull(row)) {
            return "CAST(NULL AS " + field.duckDbType() + ")";
        }
        return switch (column) {
            case DoubleColumn d -> "CAST(" + Sql.literal(d.get(row)) + " AS " + field.duckDbType() + ")";
            case StringColumn s -> "CAST(" + Sql.literal(s.get(row)) + " AS " + field.duckDbType() + ")";
            case TimestampColumn t -> timestamp(field, Long.toString(t.epochMicros()[row]));
            default -> throw unsendable(field);
        };
    }

    /**
     * An instant (epoch microseconds) as the column's type: a TIMESTAMP WITH TIME ZONE, or the UTC wall clock of a naive
     * TIMESTAMP (what a CSV load gives). Both were sent as TIMESTAMPTZ, so a TRANSFORM's CAST(ts AS STRING) of a naive column
     * read '2024-01-02 00:00:00+00', never a training category (probe M).
     */
    private static String timestamp(Field field, String micros) {
        String type = field.duckDbType().toUpperCase(java.util.Locale.ROOT);
        if (type.equals("TIMESTAMPTZ") || type.equals("TIMESTAMP WITH TIME ZONE")) {
            return "make_timestamptz(" + micros + ")";
        }
        return "CAST(make_timestamp(" + micros + ") AS " + field.duckDbType() + ")";
    }

    private static LatheException unsendable(Field field) {
        return new LatheException(ErrorCode.UNSUPPORTED, "Column '" + field.name() + "' of type " + field.type().bigQueryName()
                + " cannot be sent in an online prediction request yet");
    }

    /** Instances as a batch of {@code fields}, validated. */
    static Batch toBatch(List<Map<String, Object>> instances, List<Field> fields) {
        int rows = instances.size();
        List<Column> columns = new ArrayList<>();
        for (Field field : fields) {
            columns.add(column(instances, field, rows));
        }
        return new Batch(new Schema(fields), rows, columns);
    }

    private static Column column(List<Map<String, Object>> instances, Field field, int rows) {
        switch (field.type()) {
            case INT64, FLOAT64, NUMERIC -> {
                double[] values = new double[rows];
                BitSet nulls = new BitSet(rows);
                for (int r = 0; r < rows; r++) {
                    Object value = value(instances, r, field);
                    if (value == null) {
                        nulls.set(r);
                        values[r] = Double.NaN;
                    } else {
                        values[r] = number(r, field, value);
                    }
                }
                return new DoubleColumn(values, nulls);
            }
            case STRING, BOOL, BYTES, DATE, DATETIME, TIME -> {
                String[] values = new String[rows];
                for (int r = 0; r < rows; r++) {
                    Object value = value(instances, r, field);
                    values[r] = value == null ? null : text(r, field, value);
                }
                return StringColumn.of(values);
            }
            case TIMESTAMP -> {
                long[] values = new long[rows];
                BitSet nulls = new BitSet(rows);
                for (int r = 0; r < rows; r++) {
                    Object value = value(instances, r, field);
                    if (value == null) {
                        nulls.set(r);
                    } else if (value instanceof String s) {
                        values[r] = epochMicros(r, field, s);
                    } else {
                        throw wrongType(r, field, value, "a timestamp string such as \"2024-01-31 12:00:00\"");
                    }
                }
                return new TimestampColumn(values, nulls);
            }
            case ARRAY_STRING -> {
                ArrayValues arrays = arrays(instances, rows, field, String.class, "an array of strings");
                Map<String, Integer> dictionary = new LinkedHashMap<>();
                int[] codes = arrays.elements().stream()
                        .mapToInt(e -> e == null ? -1 : dictionary.computeIfAbsent((String) e, k -> dictionary.size())).toArray();
                return new StringArrayColumn(arrays.offsets(), codes, List.copyOf(dictionary.keySet()), arrays.nulls());
            }
            case ARRAY_FLOAT64 -> { // element i is feature i, as the readers give it (a sparse vector of the positions)
                ArrayValues arrays = arrays(instances, rows, field, Number.class, "an array of numbers");
                int[] offsets = arrays.offsets();
                int[] indices = new int[arrays.elements().size()];
                for (int r = 0; r < rows; r++) {
                    for (int k = offsets[r]; k < offsets[r + 1]; k++) {
                        indices[k] = k - offsets[r];
                    }
                }
                // a NULL element as NaN, missing, as the readers give it
                double[] values = arrays.elements().stream().mapToDouble(e -> e == null ? Double.NaN : ((Number) e).doubleValue()).toArray();
                return new SparseVectorColumn(offsets, indices, values, arrays.nulls());
            }
            case SPARSE_VECTOR, STRUCT, OTHER -> throw new LatheException(ErrorCode.UNSUPPORTED,
                    "Column '" + field.name() + "' of type " + field.type().bigQueryName()
                            + " cannot be sent in an online prediction request yet");
        }
        throw new IllegalStateException("unreachable");
    }

    /** An array field's values: each row's elements (NULL or of {@code type}) from {@code offsets[r]}, NULL arrays in {@code nulls}. */
    private record ArrayValues(int[] offsets, List<Object> elements, BitSet nulls) {}

    private static ArrayValues arrays(List<Map<String, Object>> instances, int rows, Field field, Class<?> type, String expected) {
        int[] offsets = new int[rows + 1];
        List<Object> elements = new ArrayList<>();
        BitSet nulls = new BitSet(rows);
        for (int r = 0; r < rows; r++) {
            Object value = value(instances, r, field);
            if (value == null) {
                nulls.set(r);
            } else if (value instanceof List<?> list) {
                for (Object element : list) {
                    if (type == Number.class && element instanceof String text && NON_FINITE.containsKey(text)) {
                        element = NON_FINITE.get(text); // as a number field takes them (probe M)
                    }
                    if (element != null && !type.isInstance(element)) {
                        throw wrongType(r, field, value, expected);
                    }
                    elements.add(element);
                }
            } else {
                throw wrongType(r, field, value, expected);
            }
            offsets[r + 1] = elements.size();
        }
        return new ArrayValues(offsets, elements, nulls);
    }

    private static Object value(List<Map<String, Object>> instances, int row, Field field) {
        Object value = lookup(instances.get(row), field.name());
        if (value == ABSENT) {
            throw lacksField(row, field.name(), field.type().bigQueryName(), "send null for a missing value");
        }
        return value;
    }

    /**
     * {@code prediction}'s value, an ONNX integer tensor's refusal of a value (NULL, 2.5, 2^53) told as the instance's
     * field, as :predict tells a value of the wrong type: it said "in a row" and named no field (probe sa).
     */
    private static <T> T instanceTerms(List<Map<String, Object>> instances, java.util.function.Supplier<T> prediction) {
        try {
            return prediction.get();
        } catch (IntegerInputException e) {
            Object given = lookup(instances.get(e.row()), e.column());
            throw wrongType(e.row(), Field.of(e.column(), DataType.INT64), given == ABSENT ? null : given, e.rule());
        }
    }

    /** What {@link #lookup} gives for an instance without the field. */
    private static final Object ABSENT = new Object();

    /** The instance's value of the field {@code name}, spelled so or in another case; {@link #ABSENT} where it has none. */
    private static Object lookup(Map<String, Object> instance, String name) {
        Object value = instance.get(name);
        if (value != null || instance.containsKey(name)) {
            return value;
        }
        for (Map.Entry<String, Object> entry : instance.entrySet()) {
            if (entry.getKey().equalsIgnoreCase(name)) {
                return entry.getValue();
            }
        }
        return ABSENT;
    }

    private static LatheException lacksField(int row, String name, String type, String advice) {
        return new LatheException(ErrorCode.INVALID_ARGUMENT, "instances[" + row + "] lacks field '" + name + "' (" + type + "); " + advice);
    }

    /**
     * An imported model reads every input as DOUBLE, so a missing field was said to be FLOAT64 where the model's input is INT64
     * (probe sa): its instances are checked for the inputs first, naming each with the model's own type. An integer tensor
     * has no missing value, so null is no answer for one.
     */
    private static void requireImportedInputs(ImportedEstimator imported, List<Map<String, Object>> instances) {
        Map<String, double[]> integers = imported.integerInputs();
        for (int r = 0; r < instances.size(); r++) {
            for (ImportedColumn input : imported.signature().inputs()) {
                if (lookup(instances.get(r), input.name()) == ABSENT) {
                    double[] range = integers.get(input.name());
                    throw lacksField(r, input.name(), input.type(), range == null ? "send null for a missing value"
                            : String.format(Locale.ROOT, "send a whole number from %.0f to %.0f (the model reads it as an integer tensor,"
                                    + " which has no missing value)", range[0], range[1]));
                }
            }
        }
    }

    /** A number written as a JSON string, as BigQuery's JSON writes INT64 and NUMERIC values. */
    private static final java.util.regex.Pattern DECIMAL_TEXT = java.util.regex.Pattern.compile("-?\\d+(\\.\\d+)?([eE][+-]?\\d+)?");

    /** The strings BigQuery's JSON (and Lathe's answers) write the non-finite FLOAT64s as. */
    private static final Map<String, Double> NON_FINITE = Map.of("NaN", Double.NaN, "Infinity", Double.POSITIVE_INFINITY,
            "-Infinity", Double.NEGATIVE_INFINITY);

    private static double number(int row, Field field, Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String text && DECIMAL_TEXT.matcher(text).matches()) {
            double parsed = Double.parseDouble(text); // BigQuery's JSON writes INT64 and NUMERIC values as strings ("123", "2.5")
            if (Double.isInfinite(parsed)) { // "1e400" read as Infinity, where the number 1e400 was refused (probe rc)
                throw wrongType(row, field, value, "a number within FLOAT64's range (\"" + text + "\" reads as infinity; send \"Infinity\""
                        + " for that)");
            }
            return parsed;
        }
        if (value instanceof String text && NON_FINITE.containsKey(text)) {
            return NON_FINITE.get(text); // BigQuery's JSON (and Lathe's answers) write the non-finite FLOAT64s as strings
        }
        if (value instanceof Boolean b) {
            // as ML.PREDICT's CAST(TRUE AS DOUBLE): an imported model's BOOL input (OIP metadata says BOOL) was refused online
            return b ? 1.0 : 0.0;
        }
        throw wrongType(row, field, value, "a number, true or false (or \"NaN\", \"Infinity\", \"-Infinity\")");
    }

    /** Categorical text exactly as DuckDB's CAST(... AS VARCHAR) renders it. */
    private static String text(int row, Field field, Object value) {
        return switch (field.type()) {
            case BOOL -> {
                if (value instanceof Boolean b) {
                    yield b.toString();
                }
                // 1 and 0, "true" and "false", as CAST(... AS BOOL) takes them: a single OIP [N, F] tensor of numbers or
                // text could not feed a model with a BOOL input (probe qd)
                if (value instanceof Number n && (n.doubleValue() == 0 || n.doubleValue() == 1)) {
                    yield Boolean.toString(n.doubleValue() == 1);
                }
                if (value instanceof String text && (text.equalsIgnoreCase("true") || text.equalsIgnoreCase("false"))) {
                    yield text.toLowerCase(java.util.Locale.ROOT);
                }
                throw wrongType(row, field, value, "true or false (or 1 or 0)");
            }
            case STRING, BYTES, DATE, DATETIME, TIME -> {
                if (value instanceof byte[] bytes && field.type() == DataType.BYTES) {
                    yield blobText(bytes);
                }
                if (value instanceof String s && field.type() == DataType.DATE) {
                    yield isoDate(row, field, s);
                }
                if (value instanceof String s && field.type() == DataType.TIME) {
                    yield duckTime(row, field, s);
                }
                if (value instanceof String s && field.type() == DataType.BYTES) {
                    // text is its UTF-8 bytes, as BigQuery's CAST(STRING AS BYTES): a model without a TRANSFORM compared the
                    // raw text with DuckDB's rendering of the training bytes, one with a TRANSFORM parsed it as a blob literal
                    yield blobText(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                if (value instanceof String s) {
                    yield s;
                }
                if (field.type() == DataType.STRING && (value instanceof Number || value instanceof Boolean)) {
                    throw wrongType(row, field, value, "a string");
                }
                throw wrongType(row, field, value, "a string");
            }
            default -> throw new IllegalStateException("not categorical: " + field.type());
        };
    }

    /**
     * Bytes as DuckDB's CAST(blob AS VARCHAR) writes them, which is how a BYTES feature's categories were read at
     * training: printable ASCII but the backslash as itself, every other byte as {@code \xHH}.
     */
    static String blobText(byte[] bytes) {
        StringBuilder text = new StringBuilder(bytes.length);
        for (byte b : bytes) {
            int unsigned = b & 0xFF;
            if (unsigned >= 0x20 && unsigned <= 0x7E && unsigned != '\\') {
                text.append((char) unsigned);
            } else {
                text.append(String.format("\\x%02X", unsigned));
            }
        }
        return text.toString();
    }

    private static long epochMicros(int row, Field field, String text) {
        try {
            // BigQuery's own text: "2024-01-01 00:00:00+00", "... UTC" (bq's rendering), a date alone, "2024-1-1 10:00:00"
            String value = text.strip();
            if (value.endsWith(" UTC") || value.endsWith("UTC")) {
                value = value.substring(0, value.length() - 3).strip() + "Z";
            }
            int split = value.indexOf(value.indexOf('T') >= 0 ? 'T' : ' ');
            LocalDate date = LocalDate.parse(split < 0 ? value : value.substring(0, split), DATE);
            if (split < 0) {
                return ChronoUnit.MICROS.between(Instant.EPOCH, date.atStartOfDay().toInstant(ZoneOffset.UTC));
            }
            // the time, its offset's two-digit forms (+05, +0530) as java.time reads them (+05:00, +05:30)
            String time = value.substring(split + 1).strip().replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2")
                    .replaceFirst("([+-]\\d\\d)$", "$1:00");
            String iso = date + "T" + time;
            if (time.endsWith("Z") || time.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return ChronoUnit.MICROS.between(Instant.EPOCH, OffsetDateTime.parse(iso).toInstant());
            }
            return ChronoUnit.MICROS.between(Instant.EPOCH, LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            throw wrongType(row, field, text, "a timestamp such as \"2024-01-31 12:00:00\" or \"2024-01-31T12:00:00Z\"");
        }
    }

    private static final java.time.format.DateTimeFormatter DATE = java.time.format.DateTimeFormatter.ofPattern("uuuu-M-d")
            .withResolverStyle(java.time.format.ResolverStyle.STRICT);

    /** A DATE's text as the model's categories hold it ({@code 2024-01-31}); BigQuery's {@code 2024-1-31} too; else an error. */
    private static String isoDate(int row, Field field, String text) {
        try {
            return LocalDate.parse(text.strip(), DATE).toString();
        } catch (DateTimeParseException e) {
            throw wrongType(row, field, text, "a date such as \"2024-01-31\"");
        }
    }

    /**
     * A TIME's text as DuckDB's CAST(time AS VARCHAR) renders it, which the model's categories hold ({@code 11:00:00},
     * {@code 11:00:00.5}): "11:00" was an unseen category, and /v1/queries wrote TIME '11:00:00' so (probe M).
     */
    private static String duckTime(int row, Field field, String text) {
        String type = field.duckDbType().toUpperCase(java.util.Locale.ROOT);
        if (type.equals("TIMETZ") || type.contains("TIME ZONE")) {
            return duckTimeWithZone(row, field, text);
        }
        try {
            return Sql.timeText(java.time.LocalTime.parse(text.strip()));
        } catch (DateTimeParseException e) {
            throw wrongType(row, field, text, "a time such as \"13:45:00\"");
        }
    }

    private static final java.util.regex.Pattern TIME_WITH_ZONE =
            java.util.regex.Pattern.compile("(\\d\\d:\\d\\d(?::\\d\\d(?:\\.\\d{1,9})?)?)\\s*(?:(Z)|([+-])(\\d\\d)(?::?(\\d\\d))?)?");

    /**
     * A TIME WITH TIME ZONE's text as DuckDB renders it, which the model's categories hold ({@code 01:00:00+00},
     * {@code 01:02:03.5+05:30}): the very text DuckDB prints for such a column was refused as "not a time" (probe rc).
     */
    private static String duckTimeWithZone(int row, Field field, String text) {
        java.util.regex.Matcher parts = TIME_WITH_ZONE.matcher(text.strip());
        try {
            if (parts.matches()) {
                String time = Sql.timeText(java.time.LocalTime.parse(parts.group(1)));
                if (parts.group(3) == null) {
                    return time + "+00"; // no offset, or Z: UTC, as DuckDB's cast takes it
                }
                String minutes = parts.group(5) == null || parts.group(5).equals("00") ? "" : ":" + parts.group(5);
                return time + parts.group(3) + parts.group(4) + minutes;
            }
        } catch (DateTimeParseException e) {
            // said below
        }
        throw wrongType(row, field, text, "a time with its offset such as \"13:45:00+02\" or \"13:45:00+05:30\"");
    }

    private static LatheException wrongType(int row, Field field, Object value, String expected) {
        String shown = value instanceof String s ? "\"" + s + "\"" : value instanceof byte[] ? "bytes ({\"b64\": ...})" : String.valueOf(value);
        return new LatheException(ErrorCode.INVALID_ARGUMENT, "instances[" + row + "]." + field.name() + " is " + shown
                + " but must be " + expected + " (column type " + field.type().bigQueryName() + ")");
    }

    private List<Map<String, Object>> render(Predictions predictions, double threshold) {
        List<Map<String, Object>> out = new ArrayList<>(predictions.rows());
        ModelTask task = model.task();
        for (int r = 0; r < predictions.rows(); r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            switch (predictions) {
                case Predictions.Values v -> row.put("predicted_" + model.label().name(), v.values()[r]);
                case Predictions.Probabilities p -> {
                    double[] probabilities = new double[p.classes()];
                    System.arraycopy(p.probabilities(), r * p.classes(), probabilities, 0, p.classes());
                    String label = model.label().name();
                    List<Object> typed = typedClassLabels;
                    row.put("predicted_" + label, typed.get(Predictor.predictedClass(probabilities, threshold)));
                    List<Map<String, Object>> probs = new ArrayList<>();
                    for (int c = probabilities.length - 1; c >= 0; c--) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("label", typed.get(c));
                        entry.put("prob", probabilities[c]);
                        probs.add(entry);
                    }
                    row.put("predicted_" + label + "_probs", probs);
                }
                case Predictions.Distances d -> {
                    int nearest = Predictor.nearestCount(d.k());
                    long[] ids = new long[nearest];
                    double[] distances = new double[nearest];
                    Predictor.nearestCentroids(d, r, ids, distances);
                    row.put("CENTROID_ID", ids[0]);
                    List<Map<String, Object>> list = new ArrayList<>();
                    for (int i = 0; i < nearest; i++) {
                        Map<String, Object> entry = new LinkedHashMap<>();
                        entry.put("CENTROID_ID", ids[i]);
                        entry.put("DISTANCE", distances[i]);
                        list.add(entry);
                    }
                    row.put("NEAREST_CENTROIDS_DISTANCE", list);
                }
            }
            out.add(row);
        }
        if (task == ModelTask.CLUSTERING && out.isEmpty()) {
            return List.of();
        }
        return out;
    }

    /** An imported model's own output columns, by name, as ML.PREDICT shows them. */
    private static List<Map<String, Object>> renderImported(List<OutputColumn> columns, ImportedEstimator estimator, int rows) {
        List<ImportedColumn> names = estimator.signature().outputs();
        List<Map<String, Object>> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            Map<String, Object> row = new LinkedHashMap<>();
            for (int c = 0; c < columns.size(); c++) {
                row.put(names.get(c).name(), switch (columns.get(c)) {
                    case OutputColumn.Doubles d -> d.values()[r];
                    case OutputColumn.Longs l -> l.values()[r];
                    case OutputColumn.Booleans b -> b.values()[r];
                    case OutputColumn.Strings s -> s.values()[r];
                    case OutputColumn.DoubleArrays a -> java.util.Arrays.stream(a.values()[r]).boxed().toList();
                    case OutputColumn.LongArrays a -> java.util.Arrays.stream(a.values()[r]).boxed().toList();
                    case OutputColumn.StringArrays a -> List.of(a.values()[r]);
                });
            }
            out.add(row);
        }
        return out;
    }

    /** A class label as JSON would carry it: numbers and booleans keep their type. */
    private Object typedLabel(String label) {
        DataType type = DataType.valueOf(model.label().type());
        return switch (type) {
            case INT64 -> Long.parseLong(label);
            case FLOAT64, NUMERIC -> Double.parseDouble(label);
            case BOOL -> Boolean.parseBoolean(label.toLowerCase(Locale.ROOT));
            default -> label;
        };
    }
}
