package dev.lathe.engine;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import dev.lathe.core.model.Predictions;
import dev.lathe.imported.ImportedEstimator;
import dev.lathe.registry.ModelManifest;
import dev.lathe.train.kmeans.KMeansEstimator;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.duckdb.DuckDBColumnType;
import org.duckdb.DuckDBDataChunkReader;
import org.duckdb.DuckDBFunctions;
import org.duckdb.DuckDBReadableVector;
import org.duckdb.DuckDBWritableVector;

/**
 * ML.PREDICT inside DuckDB: the model runs in a vectorized Java scalar function that DuckDB calls once per
 * chunk (up to 2,048 rows) of the input, on its own worker threads, so the input is neither copied nor
 * read out and the predictions are neither written back nor joined to it. The function reads the model's
 * input columns converted in SQL exactly as {@link BatchReader} converts them, builds the same
 * {@link Batch}, and runs the same feature pipeline and estimator, so predictions equal the batch path's
 * bit for bit.
 *
 * <p>DuckDB's Java functions take and return plain values, not lists or structs, and cannot be removed
 * once registered. So one function is registered per database and per argument signature (the model
 * inputs' kinds: numbers, text, timestamps), named by that signature, and takes a handle (which model,
 * with which threshold: an entry of a JVM-wide table that lives for one statement), the index of the
 * output wanted and the rows' features. Each output (the value; or the class and one probability per
 * class; or the nearest centroids and their distances) is one DOUBLE call, and the SQL around the calls
 * assembles ML.PREDICT's columns. A model with several outputs is predicted once per chunk: the first call
 * on a thread keeps its outputs with a hash of the chunk's feature rows (computed by DuckDB), and the other
 * calls reuse them when their rows hash alike, else predict again.
 *
 * <p>Not covered (ML.PREDICT keeps the batch path of {@link Predictor}): imported models, models with a
 * TRANSFORM, and inputs of array or sparse-vector features; also everything when the system property
 * {@value #PROPERTY} is {@code false}.
 */
final class PredictFunction {
    /** {@code -Dlathe.predict.udf=false} sends ML.PREDICT back to the read, predict, write-back and join path. */
    static final String PROPERTY = "lathe.predict.udf";

    private static final String PREFIX = "__lathe_predict_";
    private static final String KEY = "__lathe_key";
    private static final String OUTPUT = "__lathe_out_";
    /** Text inputs whose model vocabulary is at most this long travel as codes ({@link Kind#CODE}), longer ones as text. */
    static final int MAX_CODED_VALUES = 10_000;
    /**
     * The characters of every vocabulary a statement inlines as codes, together, at most: the ENUM cast puts each value
     * into the SQL text, so 200 values of 1 MB were a 200 MB statement that DuckDB took 123 s and 12.8 GB to run on one
     * row (probe ud F2). A vocabulary that would pass it travels as text; 10,000 values of 400 characters stay coded.
     */
    static final long MAX_CODED_CHARS = 4L << 20;

    /** The models of the statements running now, by handle; an entry lives from ML.PREDICT's call to its statement's end. */
    private static final Map<Long, Handle> HANDLES = new ConcurrentHashMap<>();
    /**
     * The functions each open connection's database is known to have (by connection: DuckDB's JDBC connection does not
     * say which database it is in; a connection never outlives its database, and nothing drops these functions).
     * Weak keys: a closed connection's entry goes with it. Guarded by {@code HANDLES}' lock, as registering is.
     */
    private static final Map<Connection, Set<String>> KNOWN_FUNCTIONS = new WeakHashMap<>();
    private static final AtomicLong NEXT_HANDLE = new AtomicLong();

    private PredictFunction() {}

    /**
     * Which of {@code model}'s inputs reach the function as their codes ({@link Kind#CODE}): text with a vocabulary of
     * at most {@link #MAX_CODED_VALUES} values, while the vocabularies coded so far hold at most {@link #MAX_CODED_CHARS}.
     */
    static boolean[] coded(LoadedModel model) {
        List<Field> fields = model.pipeline().inputFields();
        boolean[] coded = new boolean[fields.size()];
        long codedChars = 0;
        for (int i = 0; i < fields.size(); i++) {
            Optional<List<String>> vocabulary = model.pipeline().vocabulary(i);
            if (kind(fields.get(i)).orElseThrow() != Kind.TEXT || vocabulary.isEmpty() || vocabulary.get().isEmpty()
                    || vocabulary.get().size() > MAX_CODED_VALUES) {
                continue;
            }
            long chars = chars(vocabulary.get());
            if (codedChars + chars <= MAX_CODED_CHARS) {
                codedChars += chars;
                coded[i] = true;
            }
        }
        return coded;
    }

    /** The characters of {@code values} together, stopping once past {@link #MAX_CODED_CHARS}. */
    private static long chars(List<String> values) {
        long chars = 0;
        for (int i = 0; i < values.size() && chars <= MAX_CODED_CHARS; i++) {
            chars += values.get(i) == null ? 0 : values.get(i).length();
        }
        return chars;
    }

    /** Whether ML.PREDICT of {@code model} can run as a DuckDB function. */
    static boolean covers(LoadedModel model) {
        if (!Boolean.parseBoolean(System.getProperty(PROPERTY, "true")) || model.estimator() instanceof ImportedEstimator
                || model.transform().isPresent()) {
            return false;
        }
        if (model.task() == dev.lathe.core.model.ModelTask.CLUSTERING && !(model.estimator() instanceof KMeansEstimator)) {
            return false;
        }
        List<Field> fields = model.pipeline().inputFields();
        return !fields.isEmpty() && fields.stream().allMatch(f -> kind(f).isPresent());
    }

    /**
     * The SELECT that predicts each row of {@code relation} with {@code model}: ML.PREDICT's prediction
     * columns, then the relation's columns, in the relation's row order. The model stays reachable from
     * DuckDB until {@code scope} closes; a failure inside the function is reported through {@code scope}.
     */
    static String select(Connection connection, LoadedModel model, String relation, double threshold, Scope scope) {
        // Covered models have no TRANSFORM, so the relation is described; the columns added beside its own take names none of
        // them has, which would otherwise come out renamed (probe ub F3c).
        List<String> taken = new ArrayList<>(Predictor.requireFeatures(connection, model, relation).orElseThrow().names());
        List<Field> fields = model.pipeline().inputFields();
        List<String> arguments = new ArrayList<>(BatchReader.projections(fields));
        List<Kind> kinds = new ArrayList<>();
        List<List<String>> dictionaries = new ArrayList<>();
        boolean[] coded = coded(model);
        for (int i = 0; i < fields.size(); i++) {
            Kind kind = kind(fields.get(i)).orElseThrow();
            List<String> dictionary = List.of();
            Optional<List<String>> vocabulary = model.pipeline().vocabulary(i);
            if (coded[i]) {
                // DuckDB finds each value's position in the vocabulary (an ENUM cast: one hash lookup, no Java String per cell)
                kind = Kind.CODE;
                dictionary = codeDictionary(vocabulary.get());
                arguments.set(i, code(arguments.get(i), vocabulary.get()));
            }
            kinds.add(kind);
            dictionaries.add(dictionary);
        }
        String function = register(connection, kinds);
        int outputs = outputs(model);
        long id = NEXT_HANDLE.incrementAndGet();
        Handle handle = new Handle(model, fields, kinds, dictionaries, threshold, outputs);
        HANDLES.put(id, handle);
        scope.onClose(() -> HANDLES.remove(id));
        scope.onFailure(handle::failure);
        scope.onDuckDbFailure(failure -> Predictor.clearer(failure, model)); // text that is not a number, cast above

        String keyName = Sql.quote(Sql.unusedName(KEY, taken));
        String key = outputs == 1 ? "CAST(0 AS BIGINT)" : keyName;
        List<String> calls = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int k = 0; k < outputs; k++) {
            String name = Sql.unusedName(OUTPUT + k, taken);
            taken.add(name);
            names.add(Sql.quote(name));
            calls.add(function + "(" + id + ", " + k + ", " + key + ", " + String.join(", ", arguments) + ") AS " + names.getLast());
        }
        String input = outputs == 1 ? "(" + relation + ") AS __lathe_in"
                : "(SELECT CAST(hash(" + String.join(", ", fields.stream().map(f -> Sql.quote(f.name())).toList()) + ") >> 1 AS BIGINT) AS "
                        + keyName + ", * FROM (" + relation + ") AS __lathe_in) AS __lathe_keyed";
        List<String> hidden = new ArrayList<>(names);
        if (outputs > 1) {
            hidden.add(keyName);
        }
        return "SELECT " + columns(model, names) + ", * EXCLUDE (" + String.join(", ", hidden) + ") FROM (SELECT " + String.join(", ", calls)
                + ", * FROM " + input + ") AS __lathe_scored";
    }

    /** The handles of statements still running (for tests: none once a statement has ended, however it ended). */
    static int openHandles() {
        return HANDLES.size();
    }

    /** How many DOUBLE outputs the model's prediction takes: see {@link Handle#compute}. */
    private static int outputs(LoadedModel model) {
        return switch (model.task()) {
            case REGRESSION -> 1;
            case CLASSIFICATION -> 1 + model.manifest().classLabels().size();
            case CLUSTERING -> 2 * Predictor.nearestCount(((KMeansEstimator) model.estimator()).k());
        };
    }

    /** ML.PREDICT's prediction columns (spec 4.2) from the outputs, as {@link TableFunctions#predictionColumns} makes them. */
    private static String columns(LoadedModel model, List<String> outputs) {
        return switch (model.task()) {
            case REGRESSION -> outputs.get(0) + " AS " + Sql.quote("predicted_" + model.label().name());
            case CLASSIFICATION -> {
                ModelManifest.Column label = model.label();
                List<String> labels = new ArrayList<>();
                for (String value : model.manifest().classLabels()) {
                    labels.add("CAST(" + Sql.literal(value) + " AS " + label.duckDbType() + ")");
                }
                // Probabilities are listed with the higher label first, as BigQuery ML shows them.
                List<String> probabilities = new ArrayList<>();
                for (int c = labels.size() - 1; c >= 0; c--) {
                    probabilities.add("{'label': " + labels.get(c) + ", 'prob': " + outputs.get(1 + c) + "}");
                }
                yield "[" + String.join(", ", labels) + "][CAST(" + outputs.get(0) + " AS INTEGER) + 1] AS " + Sql.quote("predicted_" + label.name())
                        + ", [" + String.join(", ", probabilities) + "] AS " + Sql.quote("predicted_" + label.name() + "_probs");
            }
            case CLUSTERING -> {
                int nearest = Predictor.nearestCount(((KMeansEstimator) model.estimator()).k());
                List<String> entries = new ArrayList<>();
                for (int i = 0; i < nearest; i++) {
                    entries.add("{'CENTROID_ID': CAST(" + outputs.get(i) + " AS BIGINT), 'DISTANCE': " + outputs.get(nearest + i) + "}");
                }
                yield "CAST(" + outputs.get(0) + " AS BIGINT) AS CENTROID_ID, [" + String.join(", ", entries) + "] AS NEAREST_CENTROIDS_DISTANCE";
            }
        };
    }

    // ---- the DuckDB function -------------------------------------------------------------------------

    /** How one model input travels into the function: as DuckDB converts it for {@link BatchReader}. */
    private enum Kind {
        NUMBER('d', DuckDBColumnType.DOUBLE), TEXT('s', DuckDBColumnType.VARCHAR), TIMESTAMP('t', DuckDBColumnType.BIGINT),
        /** Text the model encodes by vocabulary, as the value's position in it ({@link #code}). */
        CODE('c', DuckDBColumnType.INTEGER);

        final char code;
        final DuckDBColumnType type;

        Kind(char code, DuckDBColumnType type) {
            this.code = code;
            this.type = type;
        }
    }

    private static Optional<Kind> kind(Field field) {
        return switch (field.type()) {
            case INT64, FLOAT64, NUMERIC -> Optional.of(Kind.NUMBER);
            case STRING, BOOL, BYTES, DATE, DATETIME, TIME -> Optional.of(Kind.TEXT);
            case TIMESTAMP -> Optional.of(Kind.TIMESTAMP);
            case ARRAY_STRING, ARRAY_FLOAT64, SPARSE_VECTOR, STRUCT, OTHER -> Optional.empty();
        };
    }

    /**
     * The argument carrying text {@code projection} as its position in {@code vocabulary} (0-based), -1 for NULL,
     * and {@code vocabulary.size()} for any other value: {@link #codeDictionary}'s stand-in, which every
     * encoder encodes as unseen.
     */
    private static String code(String projection, List<String> vocabulary) {
        String values = String.join(", ", vocabulary.stream().map(Sql::literal).toList());
        return "coalesce(CAST(enum_code(TRY_CAST(" + projection + " AS ENUM(" + values + "))) AS INTEGER), CASE WHEN " + projection
                + " IS NULL THEN -1 ELSE " + vocabulary.size() + " END)";
    }

    /** {@code vocabulary} and then one value outside it, standing for every value the model has not seen. */
    private static List<String> codeDictionary(List<String> vocabulary) {
        java.util.Set<String> known = new java.util.HashSet<>(vocabulary);
        String unseen = "\0unseen";
        while (known.contains(unseen)) {
            unseen += "\0";
        }
        List<String> dictionary = new ArrayList<>(vocabulary);
        dictionary.add(unseen);
        return List.copyOf(dictionary);
    }

    /** The function for these inputs' kinds in the connection's database, registered on first use. */
    private static String register(Connection connection, List<Kind> kinds) {
        List<DuckDBColumnType> parameters = new ArrayList<>(List.of(DuckDBColumnType.BIGINT, DuckDBColumnType.INTEGER,
                DuckDBColumnType.BIGINT));
        StringBuilder signature = new StringBuilder();
        char previous = 0;
        int run = 0;
        for (Kind kind : kinds) {
            parameters.add(kind.type);
            if (kind.code != previous && run > 0) {
                signature.append(previous).append(run);
                run = 0;
            }
            previous = kind.code;
            run++;
        }
        signature.append(previous).append(run);
        String name = PREFIX + signature;
        // Functions belong to the database, not the connection, and registering a name again replaces it. Whether the
        // database has it is asked once per connection (DuckDB lists all its thousands of functions for that: 10-20 ms,
        // a tenth of a warm ML.PREDICT over 1M rows) and remembered while the connection lives.
        synchronized (HANDLES) {
            Set<String> known = KNOWN_FUNCTIONS.computeIfAbsent(connection, c -> new HashSet<>());
            if (known.contains(name)) {
                return name;
            }
            if (!registered(connection, name)) {
                try {
                    DuckDBFunctions.scalarFunction().withName(name).withParameters(parameters.toArray(DuckDBColumnType[]::new))
                            .withReturnType(DuckDBColumnType.DOUBLE).withVolatile().withVectorizedFunction(PredictFunction::apply)
                            .register(connection);
                } catch (SQLException e) {
                    throw Sql.error(e, "registering the ML.PREDICT function " + name);
                }
            }
            known.add(name);
        }
        return name;
    }

    private static boolean registered(Connection connection, String name) {
        String sql = "SELECT count(*) FROM duckdb_functions() WHERE function_name = ?";
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, name);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1) > 0;
            }
        } catch (SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    /** DuckDB's call for one chunk: vector 0 the handle, 1 the output, 2 the rows' key, then the features. */
    private static void apply(DuckDBDataChunkReader input, DuckDBWritableVector output) {
        int rows = (int) input.rowCount();
        if (rows == 0) {
            return;
        }
        long id = input.vector(0).getLong(0);
        Handle handle = HANDLES.get(id);
        if (handle == null) {
            throw new IllegalStateException("ML.PREDICT's model (handle " + id + ") is no longer open: its statement has ended");
        }
        double[] values = handle.outputs(input, rows)[input.vector(1).getInt(0)];
        for (int r = 0; r < rows; r++) {
            output.setDouble(r, values[r]);
        }
    }

    /** One ML.PREDICT call's model and threshold, and each DuckDB thread's last chunk of outputs. */
    private static final class Handle {
        private final LoadedModel model;
        private final Schema schema;
        private final List<Kind> kinds;
        /** Per input, the values its codes stand for ({@link Kind#CODE}; empty for other kinds). */
        private final List<List<String>> dictionaries;
        private final double threshold;
        private final int outputs;
        /** Each DuckDB thread's last chunk; dropped with the handle when the statement ends. */
        private final Map<Thread, Chunk> last = new ConcurrentHashMap<>();
        private final AtomicReference<LatheException> failure = new AtomicReference<>();

        Handle(LoadedModel model, List<Field> fields, List<Kind> kinds, List<List<String>> dictionaries, double threshold, int outputs) {
            this.model = requireNonNull(model, "model is null");
            this.schema = new Schema(fields);
            this.kinds = List.copyOf(kinds);
            this.dictionaries = List.copyOf(dictionaries);
            this.threshold = threshold;
            this.outputs = outputs;
        }

        Optional<LatheException> failure() {
            return Optional.ofNullable(failure.get());
        }

        double[][] outputs(DuckDBDataChunkReader input, int rows) {
            try {
                if (outputs == 1) {
                    return compute(input, rows);
                }
                DuckDBReadableVector keyVector = input.vector(2);
                long[] keys = new long[rows];
                for (int r = 0; r < rows; r++) {
                    keys[r] = keyVector.getLong(r);
                }
                Chunk chunk = last.get(Thread.currentThread());
                if (chunk != null && Arrays.equals(chunk.keys, keys)) {
                    return chunk.outputs;
                }
                double[][] computed = compute(input, rows);
                last.put(Thread.currentThread(), new Chunk(keys, computed));
                return computed;
            } catch (LatheException e) {
                failure.compareAndSet(null, e);
                throw e;
            }
        }

        /**
         * Regression: the value. Classification: the predicted class index (threshold applied), then each
         * class's probability. Clustering: the ids of the nearest centroids (up to 5, nearest first), then
         * their distances.
         */
        private double[][] compute(DuckDBDataChunkReader input, int rows) {
            List<Column> columns = new ArrayList<>(kinds.size());
            for (int c = 0; c < kinds.size(); c++) {
                columns.add(column(input.vector(3 + c), kinds.get(c), dictionaries.get(c), rows));
            }
            // DuckDB's worker threads each bring a chunk: they share the table out already, so the features stay on this thread
            Predictions predictions = model.estimator().predict(model.featuresInOrder(new Batch(schema, rows, columns)));
            double[][] out = new double[outputs][rows];
            switch (predictions) {
                case Predictions.Values v -> System.arraycopy(v.values(), 0, out[0], 0, rows);
                case Predictions.Probabilities p -> {
                    int classes = p.classes();
                    double[] row = new double[classes];
                    for (int r = 0; r < rows; r++) {
                        System.arraycopy(p.probabilities(), r * classes, row, 0, classes);
                        out[0][r] = Predictor.predictedClass(row, threshold);
                        for (int c = 0; c < classes; c++) {
                            out[1 + c][r] = row[c];
                        }
                    }
                }
                case Predictions.Distances d -> {
                    int nearest = outputs / 2;
                    long[] ids = new long[nearest];
                    double[] distances = new double[nearest];
                    for (int r = 0; r < rows; r++) {
                        Predictor.nearestCentroids(d, r, ids, distances);
                        for (int i = 0; i < nearest; i++) {
                            out[i][r] = ids[i];
                            out[nearest + i][r] = distances[i];
                        }
                    }
                }
            }
            return out;
        }

        /** The column {@link BatchReader} would have read: NULL numbers are NaN and flagged, NULL text has code -1. */
        private static Column column(DuckDBReadableVector vector, Kind kind, List<String> dictionary, int rows) {
            switch (kind) {
                case CODE -> {
                    int[] codes = new int[rows];
                    for (int r = 0; r < rows; r++) {
                        codes[r] = vector.getInt(r);
                    }
                    return new StringColumn(codes, dictionary);
                }
                case NUMBER -> {
                    double[] values = new double[rows];
                    BitSet nulls = new BitSet(rows);
                    for (int r = 0; r < rows; r++) {
                        if (vector.isNull(r)) {
                            nulls.set(r);
                            values[r] = Double.NaN;
                        } else {
                            values[r] = vector.getDouble(r);
                        }
                    }
                    return new DoubleColumn(values, nulls);
                }
                case TIMESTAMP -> {
                    long[] values = new long[rows];
                    BitSet nulls = new BitSet(rows);
                    for (int r = 0; r < rows; r++) {
                        if (vector.isNull(r)) {
                            nulls.set(r);
                        } else {
                            values[r] = vector.getLong(r);
                        }
                    }
                    return new TimestampColumn(values, nulls);
                }
                case TEXT -> {
                    String[] values = new String[rows];
                    for (int r = 0; r < rows; r++) {
                        values[r] = vector.isNull(r) ? null : vector.getString(r);
                    }
                    return StringColumn.of(values);
                }
            }
            throw new IllegalStateException("unreachable");
        }
    }

    /** One thread's last chunk: the rows' keys and the outputs predicted for them. */
    private record Chunk(long[] keys, double[][] outputs) {}
}
