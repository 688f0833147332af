package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import dev.lathe.core.model.Capabilities;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.options.OptionValue;
import dev.lathe.evaluate.ConfusionMatrix;
import dev.lathe.evaluate.RocCurve;
import dev.lathe.features.FeatureInfo;
import dev.lathe.imported.ImportedEstimator;
import dev.lathe.quality.PredictionQuality;
import dev.lathe.evaluate.ScoredRows;
import dev.lathe.registry.ModelManifest;
import dev.lathe.sql.FittedTransform;
import dev.lathe.sql.Parser;
import dev.lathe.sql.Statement;
import dev.lathe.sql.TableFunctionCall;
import dev.lathe.warehouse.Sql;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.duckdb.DuckDBConnection;

/**
 * The ML table functions. Each computes its result into a temporary table or view of the statement's
 * {@link Scope} and returns its name, which replaces the call in the surrounding SQL, so ML functions
 * compose with joins, GROUP BY and CREATE TABLE AS.
 */
final class TableFunctions {
    private static final List<String> SUPPORTED = List.of("PREDICT", "EVALUATE", "CONFUSION_MATRIX", "ROC_CURVE", "TRAINING_INFO",
            "FEATURE_INFO", "WEIGHTS", "ADVANCED_WEIGHTS", "CENTROIDS", "FEATURE_IMPORTANCE", "TRANSFORM", "EXPLAIN_PREDICT",
            "GLOBAL_EXPLAIN", "DESCRIBE_DATA", "VALIDATE_DATA_SKEW", "VALIDATE_DATA_DRIFT", "EVALUATE_PREDICTION_LOG");

    private final DuckDBConnection connection;
    private final Function<TableFunctionCall, LoadedModel> models;
    private final QueryPreparer preparer;
    private final Parser parser;
    private final DataFunctions data;
    private final PredictionLogFunction predictionLog;

    TableFunctions(DuckDBConnection connection, Function<TableFunctionCall, LoadedModel> models, QueryPreparer preparer,
            Parser parser, PredictionQuality quality) {
        this.connection = connection;
        this.models = models;
        this.preparer = preparer;
        this.parser = parser;
        this.data = new DataFunctions(connection, models, preparer, parser);
        this.predictionLog = new PredictionLogFunction(connection, quality, (call, scope) -> materializeInput(call, scope, true));
    }

    /** The STRUCT(... AS name) settings each function accepts. */
    private static final Map<String, List<String>> SETTINGS = Map.ofEntries(
            Map.entry("PREDICT", List.of("threshold", "keep_original_columns", "trial_id")),
            Map.entry("EXPLAIN_PREDICT", List.of("top_k_features", "threshold", "approx_feature_contrib", "integrated_gradients_num_steps",
                    "trial_id")),
            Map.entry("GLOBAL_EXPLAIN", List.of("class_level_explain", "trial_id")),
            Map.entry("EVALUATE", List.of("threshold", "trial_id")),
            Map.entry("CONFUSION_MATRIX", List.of("threshold", "trial_id")),
            Map.entry("ROC_CURVE", List.of("trial_id")),
            Map.entry("TRAINING_INFO", List.of("trial_id")),
            Map.entry("WEIGHTS", List.of("standardize", "trial_id")),
            Map.entry("ADVANCED_WEIGHTS", List.of("standardize")),
            Map.entry("CENTROIDS", List.of("standardize", "trial_id")),
            Map.entry("DESCRIBE_DATA", List.of("num_quantiles", "num_array_length_quantiles", "top_k")),
            Map.entry("VALIDATE_DATA_SKEW", List.of("categorical_default_threshold", "categorical_metric_type", "numerical_default_threshold",
                    "numerical_metric_type", "thresholds", "enable_visualization_link")),
            Map.entry("VALIDATE_DATA_DRIFT", List.of("num_histogram_buckets", "num_quantiles_histogram_buckets", "num_values_histogram_buckets",
                    "num_rank_histogram_buckets", "categorical_default_threshold", "categorical_metric_type",
                    "numerical_default_threshold", "numerical_metric_type", "thresholds")),
            Map.entry("EVALUATE_PREDICTION_LOG", PredictionLogFunction.SETTINGS));

    String run(TableFunctionCall call, Scope scope) {
        if (!SUPPORTED.contains(call.function())) { // before its settings: "takes no settings" would mislead
            throw unsupported(call);
        }
        checkSettings(call);
        rejectImported(call);
        try {
            return expand(call, scope);
        } catch (LatheException e) {
            throw placed(e, call);
        }
    }

    private static final java.util.regex.Pattern PLACED = java.util.regex.Pattern.compile("line \\d+, column \\d+");

    /**
     * {@code failure} with where its call was written, unless it says where already: the input and model checks ("The input
     * to model d.m lacks column x") named no place, so in a script that calls a model twice the user could not tell which
     * call failed (probe pv).
     */
    private static LatheException placed(LatheException failure, TableFunctionCall call) {
        if (failure.getClass() != LatheException.class || failure.getMessage() == null || PLACED.matcher(failure.getMessage()).find()) {
            return failure;
        }
        return new LatheException(failure.code(), failure.getMessage() + " (ML." + call.function() + " at " + call.position() + ")", failure);
    }

    private String expand(TableFunctionCall call, Scope scope) {
        return switch (call.function()) {
            case "PREDICT" -> predict(call, scope);
            case "EVALUATE" -> evaluate(call, scope);
            case "CONFUSION_MATRIX" -> confusionMatrix(call, scope);
            case "ROC_CURVE" -> rocCurve(call, scope);
            case "TRAINING_INFO" -> trainingInfo(call, scope);
            case "FEATURE_INFO" -> featureInfo(call, scope);
            case "WEIGHTS" -> weights(call, scope);
            case "ADVANCED_WEIGHTS" -> advancedWeights(call, scope);
            case "CENTROIDS" -> centroids(call, scope);
            case "FEATURE_IMPORTANCE" -> featureImportance(call, scope);
            case "TRANSFORM" -> transform(call, scope);
            case "DESCRIBE_DATA" -> data.describe(call, scope);
            case "VALIDATE_DATA_SKEW" -> data.skew(call, scope);
            case "VALIDATE_DATA_DRIFT" -> data.drift(call, scope);
            case "EVALUATE_PREDICTION_LOG" -> predictionLog.evaluate(call, scope);
            case "EXPLAIN_PREDICT" -> explainPredict(call, scope);
            case "GLOBAL_EXPLAIN" -> globalExplain(call, scope);
            default -> throw unsupported(call);
        };
    }

    // ---- ML.PREDICT -------------------------------------------------------------------------------

    private String predict(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        double threshold = threshold(call, model);
        if (PredictFunction.covers(model)) {
            String view = scope.view("predict");
            Sql.execute(connection, "CREATE TEMP VIEW " + Sql.quote(view) + " AS "
                    + PredictFunction.select(connection, model, inputRelation(call, scope), threshold, scope));
            return Sql.quote(view);
        }
        String input = materializeInput(call, scope, true);
        String features = features(connection, model, input, false);
        String predictions = scope.table("predictions");
        Predictor.predictInto(connection, model, features, predictions, threshold);
        String view = scope.view("predict");
        Sql.execute(connection, "CREATE TEMP VIEW " + Sql.quote(view) + " AS SELECT " + predictionColumns(model)
                + ", i.* FROM " + Sql.quote(predictions) + " AS p POSITIONAL JOIN " + Sql.quote(input) + " AS i");
        return Sql.quote(view);
    }

    // ---- ML.EXPLAIN_PREDICT, ML.GLOBAL_EXPLAIN -------------------------------------------------

    private String explainPredict(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        requireSupervised(model, call);
        double threshold = threshold(call, model);
        double topK = setting(call, "top_k_features").map(v -> number(v, "top_k_features")).orElse(5.0);
        if (!(topK >= 1) || topK != Math.rint(topK)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "top_k_features in ML.EXPLAIN_PREDICT at " + call.position() + " is "
                    + (topK == Math.rint(topK) && Math.abs(topK) < 1e15 ? Long.toString((long) topK) : Double.toString(topK))
                    + " but must be an integer >= 1");
        }
        // approx_feature_contrib is accepted for compatibility; TreeSHAP is exact and fast enough here. So is
        // integrated_gradients_num_steps (spec 4's signature), which BigQuery applies to DNN models only, which Lathe has not.
        setting(call, "approx_feature_contrib").ifPresent(v -> bool(v, "approx_feature_contrib"));
        setting(call, "integrated_gradients_num_steps").ifPresent(v -> {
            double steps = number(v, "integrated_gradients_num_steps");
            if (!(steps >= 1) || steps != Math.rint(steps)) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "integrated_gradients_num_steps in ML.EXPLAIN_PREDICT at " + call.position()
                        + " must be an integer >= 1 (it applies to DNN models only; Lathe's explanations are exact)");
            }
        });
        String input = materializeInput(call, scope, true);
        String features = features(connection, model, input, false);
        String predictions = scope.table("explanations");
        Predictor.predictInto(connection, model, features, predictions, threshold, rows -> {}, Optional.of(Explanations.columns(model,
                (int) Math.min(topK, Integer.MAX_VALUE))));
        String label = model.estimator() instanceof ImportedEstimator ? "" : Sql.quote("predicted_" + model.label().name());
        String head = model.task() == ModelTask.CLASSIFICATION
                ? predictionColumns(model).substring(0, predictionColumns(model).indexOf(" AS " + label) + label.length() + 4) + ", p."
                        + Sql.quote(Explanations.PROBABILITY) + " AS probability"
                : predictionColumns(model);
        String view = scope.view("explain_predict");
        Sql.execute(connection, "CREATE TEMP VIEW " + Sql.quote(view) + " AS SELECT " + head + ", " + Explanations.selectColumns(model)
                + ", i.* FROM " + Sql.quote(predictions) + " AS p POSITIONAL JOIN " + Sql.quote(input) + " AS i");
        return Sql.quote(view);
    }

    private String globalExplain(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        requireSupervised(model, call);
        boolean classLevel = setting(call, "class_level_explain").map(v -> bool(v, "class_level_explain")).orElse(false);
        List<ModelManifest.GlobalAttribution> stored = model.manifest().globalExplanation();
        if (stored == null || stored.isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.GLOBAL_EXPLAIN at " + call.position() + " needs a model trained with "
                    + "ENABLE_GLOBAL_EXPLAIN = TRUE; " + model.displayName() + " was not. Retrain it with OPTIONS(..., enable_global_explain"
                    + " = TRUE)");
        }
        if (classLevel && model.task() != ModelTask.CLASSIFICATION) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "class_level_explain in ML.GLOBAL_EXPLAIN at " + call.position()
                    + " needs a classification model; " + model.displayName() + " is " + model.manifest().modelType());
        }
        List<ResultTable.ColumnSpec> columns = new ArrayList<>();
        if (classLevel) {
            columns.add(new ResultTable.ColumnSpec("class_label", model.label().duckDbType()));
        }
        columns.add(new ResultTable.ColumnSpec("feature", "VARCHAR"));
        columns.add(new ResultTable.ColumnSpec("attribution", "DOUBLE"));
        List<List<Object>> rows = new ArrayList<>();
        Map<String, Integer> listed = new java.util.HashMap<>();
        for (ModelManifest.GlobalAttribution a : classLevel ? byClassLargestFirst(stored) : stored) {
            if ((a.classLabel() != null) != classLevel) {
                continue;
            }
            // BigQuery: "For each class, only the top 10 most important features are returned" (probe pt)
            if (classLevel && listed.merge(a.classLabel(), 1, Integer::sum) > CLASS_LEVEL_FEATURES) {
                continue;
            }
            List<Object> row = new ArrayList<>();
            if (classLevel) {
                row.add(a.classLabel());
            }
            row.add(a.feature());
            row.add(a.attribution());
            rows.add(row);
        }
        return table(scope, "global_explain", columns, rows);
    }

    /** ML.GLOBAL_EXPLAIN's features per class with class_level_explain, as BigQuery ML returns them. */
    static final int CLASS_LEVEL_FEATURES = 10;

    /** The class-level attributions grouped by class (in the stored order of classes), each class's largest first. */
    private static List<ModelManifest.GlobalAttribution> byClassLargestFirst(List<ModelManifest.GlobalAttribution> stored) {
        Map<String, List<ModelManifest.GlobalAttribution>> byClass = new java.util.LinkedHashMap<>();
        for (ModelManifest.GlobalAttribution a : stored) {
            if (a.classLabel() != null) {
                byClass.computeIfAbsent(a.classLabel(), k -> new ArrayList<>()).add(a);
            }
        }
        List<ModelManifest.GlobalAttribution> ordered = new ArrayList<>();
        for (List<ModelManifest.GlobalAttribution> attributions : byClass.values()) {
            attributions.sort(java.util.Comparator.comparingDouble(ModelManifest.GlobalAttribution::attribution).reversed());
            ordered.addAll(attributions);
        }
        return ordered;
    }

    private static void requireSupervised(LoadedModel model, TableFunctionCall call) {
        if (model.task() == ModelTask.CLUSTERING) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML." + call.function() + " at " + call.position()
                    + " needs a supervised model (regression or classification); " + model.displayName() + " is "
                    + model.manifest().modelType());
        }
    }

    /** BigQuery ML: imported models support ML.PREDICT only (spec 1.14); Lathe also explains them. */
    private void rejectImported(TableFunctionCall call) {
        if (call.function().equals("PREDICT") || call.function().equals("EXPLAIN_PREDICT") || call.model().isEmpty()
                || !SUPPORTED.contains(call.function())) {
            return;
        }
        LoadedModel model = models.apply(call);
        if (model.estimator() instanceof ImportedEstimator) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "ML." + call.function() + " at " + call.position() + " is not supported for"
                    + " imported model " + model.displayName() + " (model_type " + model.manifest().modelType()
                    + "); imported models support ML.PREDICT only (and ML.EXPLAIN_PREDICT, by Sampled Shapley)");
        }
    }

    /** The ML.PREDICT columns that precede the input columns, by task (spec 4.2); an imported model's own outputs. */
    static String predictionColumns(LoadedModel model) {
        if (model.estimator() instanceof ImportedEstimator imported) {
            return String.join(", ", imported.signature().outputs().stream().map(c -> "p." + Sql.quote(c.name())).toList());
        }
        return switch (model.task()) {
            case REGRESSION -> "p." + Sql.quote(Predictor.PREDICTION) + " AS " + Sql.quote("predicted_" + model.label().name());
            case CLASSIFICATION -> {
                ModelManifest.Column label = model.label();
                List<String> literals = new ArrayList<>();
                for (String value : model.manifest().classLabels()) {
                    literals.add("CAST(" + Sql.literal(value) + " AS " + label.duckDbType() + ")");
                }
                String labels = "[" + String.join(", ", literals) + "]";
                // Probabilities are listed with the higher label first, as BigQuery ML shows them.
                yield labels + "[p." + Sql.quote(Predictor.CLASS) + " + 1] AS " + Sql.quote("predicted_" + label.name()) + ", "
                        + "list_transform(range(" + literals.size() + ", 0, -1), c -> {'label': " + labels + "[c], 'prob': p."
                        + Sql.quote(Predictor.PROBABILITIES) + "[c]}) AS " + Sql.quote("predicted_" + label.name() + "_probs");
            }
            case CLUSTERING -> "p." + Sql.quote(Predictor.CENTROIDS) + "[1] AS CENTROID_ID, list_transform(range(1, len(p."
                    + Sql.quote(Predictor.CENTROIDS) + ") + 1), c -> {'CENTROID_ID': p." + Sql.quote(Predictor.CENTROIDS)
                    + "[c], 'DISTANCE': p." + Sql.quote(Predictor.DISTANCES) + "[c]}) AS NEAREST_CENTROIDS_DISTANCE";
        };
    }

    // ---- ML.EVALUATE, ML.CONFUSION_MATRIX, ML.ROC_CURVE -----------------------------------------

    private String evaluate(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        double threshold = threshold(call, model);
        Map<String, Double> metrics;
        if (model.task() == ModelTask.CLUSTERING) {
            metrics = hasInput(call) ? clusteringMetrics(model, call, scope) : model.manifest().evaluationMetrics();
        } else {
            try (ScoredRows data = evaluationData(model, call, scope)) {
                metrics = Evaluations.metrics(model.task(), data, threshold);
            }
        }
        List<ResultTable.ColumnSpec> columns = new ArrayList<>();
        List<Object> row = new ArrayList<>();
        for (Map.Entry<String, Double> metric : metrics.entrySet()) {
            columns.add(new ResultTable.ColumnSpec(metric.getKey(), "DOUBLE"));
            row.add(metric.getValue());
        }
        return table(scope, "evaluate", columns, List.of(row));
    }

    /**
     * ML.EVALUATE of a KMEANS model over an input, read a batch at a time: the metrics are sums over rows
     * ({@link Evaluations#addClustering}), so the input is never on the heap at once, as it was (a dense matrix of every row).
     */
    private Map<String, Double> clusteringMetrics(LoadedModel model, TableFunctionCall call, Scope scope) {
        String input = materializeInput(call, scope, true);
        String features = features(connection, model, input, false);
        Predictor.requireFeatures(connection, model, features);
        dev.lathe.train.kmeans.KMeansEstimator kmeans = (dev.lathe.train.kmeans.KMeansEstimator) model.estimator();
        dev.lathe.evaluate.ClusteringMetrics.Accumulator sums = Evaluations.clusteringAccumulator(kmeans);
        // a batch's dense matrix at most a sixteenth of the heap: one-hot features of thousands of categories make it wide
        long rowBytes = Math.max(1L, (long) model.pipeline().layout().size() * Double.BYTES);
        int batchRows = (int) Math.max(1, Math.min(dev.lathe.warehouse.BatchReader.DEFAULT_BATCH_SIZE,
                Runtime.getRuntime().maxMemory() / 16 / rowBytes));
        // streamed: nothing else runs on the connection while the rows are read
        try (dev.lathe.warehouse.BatchReader reader = dev.lathe.warehouse.BatchReader.openStreaming(connection, features,
                model.pipeline().inputFields(), batchRows)) {
            java.util.Optional<dev.lathe.core.Batch> next;
            while ((next = reader.next()).isPresent()) {
                Evaluations.addClustering(sums, kmeans, model.pipeline().transform(next.get()));
            }
        }
        if (sums.rows() == 0) { // the other models' words, not "assignment is empty" (probe rb)
            throw noRowsToEvaluate(call);
        }
        return Evaluations.clustering(sums);
    }

    private String confusionMatrix(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        requireTask(model, ModelTask.CLASSIFICATION, call);
        double threshold = threshold(call, model);
        int classes = model.manifest().classLabels().size();
        ConfusionMatrix matrix;
        try (ScoredRows data = evaluationData(model, call, scope)) {
            matrix = Evaluations.confusionMatrix(data, classes, threshold);
        }
        List<String> names = ConfusionMatrix.columnNames(model.manifest().classLabels());
        List<ResultTable.ColumnSpec> columns = new ArrayList<>();
        columns.add(new ResultTable.ColumnSpec("expected_label", model.label().duckDbType()));
        for (String name : names) {
            columns.add(new ResultTable.ColumnSpec(name, "BIGINT"));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (int actual = 0; actual < classes; actual++) {
            List<Object> row = new ArrayList<>();
            row.add(model.manifest().classLabels().get(actual));
            for (int predicted = 0; predicted < classes; predicted++) {
                row.add(matrix.count(actual, predicted));
            }
            rows.add(row);
        }
        return table(scope, "confusion_matrix", columns, rows);
    }

    private String rocCurve(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        requireTask(model, ModelTask.CLASSIFICATION, call);
        if (!model.isBinary()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.ROC_CURVE at " + call.position() + " needs a binary classifier; model "
                    + model.displayName() + " has " + model.manifest().classLabels().size() + " classes");
        }
        List<RocCurve.Point> points;
        try (ScoredRows data = evaluationData(model, call, scope)) {
            Optional<double[]> thresholds = call.extraArguments().isEmpty() ? Optional.empty()
                    : Optional.of(thresholds(call.extraArguments().get(0)));
            points = RocCurve.compute(data, 1, thresholds); // P(positive), the second of a row's two probabilities
        }
        List<ResultTable.ColumnSpec> columns = List.of(
                new ResultTable.ColumnSpec("threshold", "DOUBLE"),
                new ResultTable.ColumnSpec("recall", "DOUBLE"),
                new ResultTable.ColumnSpec("false_positive_rate", "DOUBLE"),
                new ResultTable.ColumnSpec("true_positives", "BIGINT"),
                new ResultTable.ColumnSpec("false_positives", "BIGINT"),
                new ResultTable.ColumnSpec("true_negatives", "BIGINT"),
                new ResultTable.ColumnSpec("false_negatives", "BIGINT"));
        List<List<Object>> rows = new ArrayList<>();
        for (RocCurve.Point p : points) {
            rows.add(List.of(p.threshold(), p.recall(), p.falsePositiveRate(), p.truePositives(), p.falsePositives(),
                    p.trueNegatives(), p.falseNegatives()));
        }
        return table(scope, "roc_curve", columns, rows);
    }

    /**
     * BigQuery's GENERATE_ARRAY(start, end[, step]) (end inclusive, the step of either sign), or an array literal of numbers.
     * The bounds are evaluated by DuckDB; values are start + i * step, so no rounding error accumulates. The curve's rows come
     * in ascending threshold order whatever the array's ({@link RocCurve}).
     */
    /** The most thresholds ML.ROC_CURVE takes from a GENERATE_ARRAY. */
    static final int MAX_THRESHOLDS = 2_000_000;

    private double[] thresholds(String expression) {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(?is)\\s*GENERATE_ARRAY\\s*\\((.*)\\)\\s*").matcher(expression);
        String sql = matcher.matches()
                ? "SELECT [" + String.join(", ", java.util.Arrays.stream(matcher.group(1).split(","))
                        .map(a -> "CAST(" + a.strip() + " AS DOUBLE)").toList()) + "]"
                : "SELECT CAST(" + expression + " AS DOUBLE[])";
        double[] values;
        try (java.sql.Statement statement = connection.createStatement(); java.sql.ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            java.sql.Array array = rows.getArray(1);
            if (array == null) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.ROC_CURVE thresholds '" + expression + "' are NULL; give"
                        + " GENERATE_ARRAY(start, end, step) or an array of numbers");
            }
            Object[] objects = (Object[]) array.getArray();
            values = new double[objects.length];
            for (int i = 0; i < objects.length; i++) {
                if (objects[i] == null) { // it said Java's "Cannot invoke Number.doubleValue()" (probe rb)
                    throw new LatheException(ErrorCode.INVALID_ARGUMENT, (matcher.matches() ? "Argument " + (i + 1) + " of '"
                            + expression.strip() + "' is NULL; GENERATE_ARRAY(start, end, step) in ML.ROC_CURVE takes numbers"
                            : "Threshold " + (i + 1) + " of '" + expression.strip() + "' is NULL; ML.ROC_CURVE's thresholds are numbers"));
                }
                values[i] = ((Number) objects[i]).doubleValue();
            }
        } catch (LatheException e) {
            throw e;
        } catch (java.sql.SQLException | RuntimeException e) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.ROC_CURVE thresholds '" + expression
                    + "' must be GENERATE_ARRAY(start, end, step) or an array of numbers: " + e.getMessage(), e);
        }
        if (!matcher.matches()) {
            return values;
        }
        // BigQuery's GENERATE_ARRAY: step 1 by default, any sign but 0; no values where the step leads away from the end
        // (GENERATE_ARRAY(0.9, 0.1, -0.4) is [0.9, 0.5, 0.1], a valid threshold list that was refused: probe vp)
        double step = values.length == 3 ? values[2] : 1;
        if (values.length < 2 || values.length > 3 || step == 0 || !Double.isFinite(step) || !Double.isFinite(values[0])
                || !Double.isFinite(values[1])) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "GENERATE_ARRAY(start, end[, step]) in ML.ROC_CURVE needs finite numbers"
                    + " and a step other than 0, got '" + expression.strip() + "'");
        }
        double span = (values[1] - values[0]) / step;
        double points = span < 0 ? 0 : Math.floor(span + 1e-9) + 1;
        if (points > MAX_THRESHOLDS) { // 1e8 points filled the heap before anything was said (probe rb)
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, String.format(java.util.Locale.ROOT, "'%s' in ML.ROC_CURVE makes %,.0f"
                    + " thresholds; at most %,d are taken (a curve has no more distinct points than the evaluation has rows): take a"
                    + " larger step", expression.strip(), points, MAX_THRESHOLDS));
        }
        int count = (int) points;
        double[] thresholds = new double[count];
        for (int i = 0; i < count; i++) {
            thresholds[i] = values[0] + i * step;
        }
        return thresholds;
    }

    /** The evaluation split stored at training, or the given input data scored now; the caller closes it. */
    private ScoredRows evaluationData(LoadedModel model, TableFunctionCall call, Scope scope) {
        if (!hasInput(call)) {
            return Evaluations.rows(model.evaluation());
        }
        String input = materializeInput(call, scope, false);
        ScoredRows data = Scoring.score(connection, model, features(connection, model, input, true), spillDirectory());
        if (data.count() == 0) { // one answer for EVALUATE, CONFUSION_MATRIX and ROC_CURVE
            data.close();
            throw noRowsToEvaluate(call);
        }
        return data;
    }

    /**
     * Where an evaluation writes its rows past its share of the heap ({@link dev.lathe.evaluate.EvaluationBuffer}): DuckDB's
     * temp_directory, where the warehouse spills too (beside its file), else java.io.tmpdir. Asked before the rows are
     * read, as the connection then streams them.
     */
    private java.nio.file.Path spillDirectory() {
        try (java.sql.Statement statement = connection.createStatement();
                java.sql.ResultSet rows = statement.executeQuery("SELECT current_setting('temp_directory')")) {
            String directory = rows.next() ? rows.getString(1) : null;
            if (directory != null && !directory.isBlank() && java.nio.file.Path.of(directory).isAbsolute()) {
                return java.nio.file.Path.of(directory);
            }
        } catch (java.sql.SQLException | RuntimeException e) {
            // an unusual setting: the JVM's temporary directory will do
        }
        return java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
    }

    private static LatheException noRowsToEvaluate(TableFunctionCall call) {
        return new LatheException(ErrorCode.INVALID_DATA, "ML." + call.function() + " at " + call.position()
                + " got no rows to evaluate; its input must have at least one row");
    }

    // ---- model inspection ---------------------------------------------------------------------

    private String trainingInfo(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        boolean clustering = model.task() == ModelTask.CLUSTERING;
        List<ResultTable.ColumnSpec> columns = new ArrayList<>(List.of(
                new ResultTable.ColumnSpec("training_run", "BIGINT"),
                new ResultTable.ColumnSpec("iteration", "BIGINT"),
                new ResultTable.ColumnSpec("loss", "DOUBLE"),
                new ResultTable.ColumnSpec("eval_loss", "DOUBLE"),
                new ResultTable.ColumnSpec("learning_rate", "DOUBLE"),
                new ResultTable.ColumnSpec("duration_ms", "BIGINT")));
        if (clustering) {
            columns.add(new ResultTable.ColumnSpec("cluster_info",
                    "STRUCT(centroid_id BIGINT, cluster_radius DOUBLE, cluster_size BIGINT)[]"));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (ModelManifest.Iteration i : model.manifest().trainingInfo()) {
            List<Object> row = new ArrayList<>(List.of((long) i.trainingRun(), (long) i.iteration(), i.loss()));
            row.add(i.evalLoss());
            row.add(i.learningRate());
            row.add(i.durationMs());
            if (clustering) {
                List<Object> clusters = new ArrayList<>();
                for (ModelManifest.Cluster c : i.clusterInfo()) {
                    Map<String, Object> cluster = new LinkedHashMap<>();
                    cluster.put("centroid_id", c.centroidId());
                    cluster.put("cluster_radius", c.clusterRadius());
                    cluster.put("cluster_size", c.clusterSize());
                    clusters.add(cluster);
                }
                row.add(clusters);
            }
            rows.add(row);
        }
        // BigQuery ML lists the latest iteration first.
        java.util.Collections.reverse(rows);
        return table(scope, "training_info", columns, rows);
    }

    private String featureInfo(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        List<ResultTable.ColumnSpec> columns = List.of(
                new ResultTable.ColumnSpec("input", "VARCHAR"),
                new ResultTable.ColumnSpec("min", "DOUBLE"),
                new ResultTable.ColumnSpec("max", "DOUBLE"),
                new ResultTable.ColumnSpec("mean", "DOUBLE"),
                new ResultTable.ColumnSpec("median", "DOUBLE"),
                new ResultTable.ColumnSpec("stddev", "DOUBLE"),
                new ResultTable.ColumnSpec("category_count", "BIGINT"),
                new ResultTable.ColumnSpec("null_count", "BIGINT"),
                new ResultTable.ColumnSpec("dimension", "BIGINT")); // ARRAY<STRUCT> inputs only, NULL for the others
        List<List<Object>> rows = new ArrayList<>();
        for (FeatureInfo info : model.pipeline().featureInfo()) {
            List<Object> row = new ArrayList<>();
            row.add(info.input());
            row.add(info.min().orElse(null));
            row.add(info.max().orElse(null));
            row.add(info.mean().orElse(null));
            row.add(info.median().orElse(null));
            row.add(info.stddev().orElse(null));
            row.add(info.categoryCount().orElse(null));
            row.add(info.nullCount());
            row.add(info.dimension().orElse(null));
            rows.add(row);
        }
        return table(scope, "feature_info", columns, rows);
    }

    private String weights(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        if (!(model.estimator() instanceof Capabilities.HasWeights weighted)) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "ML.WEIGHTS at " + call.position() + " needs a LINEAR_REG or LOGISTIC_REG model; "
                    + model.displayName() + " is " + model.manifest().modelType()
                    + (model.estimator() instanceof Capabilities.HasFeatureImportance ? " (use ML.FEATURE_IMPORTANCE)" : ""));
        }
        boolean standardize = setting(call, "standardize").map(v -> bool(v, "standardize")).orElse(false);
        boolean multiclass = model.task() == ModelTask.CLASSIFICATION && model.manifest().classLabels().size() > 2;
        List<ResultTable.ColumnSpec> columns = new ArrayList<>(List.of(
                new ResultTable.ColumnSpec("processed_input", "VARCHAR"),
                new ResultTable.ColumnSpec("weight", "DOUBLE"),
                new ResultTable.ColumnSpec("category_weights", "STRUCT(category VARCHAR, weight DOUBLE)[]")));
        if (multiclass) {
            columns.add(new ResultTable.ColumnSpec("class_label", "VARCHAR"));
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Capabilities.WeightRow w : weighted.weights(model.pipeline().layout(), standardize)) {
            List<Object> row = new ArrayList<>();
            row.add(w.processedInput());
            row.add(w.weight().orElse(null));
            List<Object> categories = new ArrayList<>();
            for (Capabilities.CategoryWeight c : w.categoryWeights()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("category", c.category().orElse(null));
                entry.put("weight", c.weight());
                categories.add(entry);
            }
            row.add(categories);
            if (multiclass) {
                row.add(w.classLabel().orElse(null));
            }
            rows.add(row);
        }
        return table(scope, "weights", columns, rows);
    }

    /**
     * ML.ADVANCED_WEIGHTS: ML.WEIGHTS with each weight's standard error and p-value, for a LINEAR_REG or binary
     * LOGISTIC_REG model trained with CALCULATE_P_VALUES = TRUE, DUMMY_ENCODING and L1_REG = 0 (spec 4.1); any other
     * model is refused naming what it was trained with.
     */
    private String advancedWeights(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        if (!(model.estimator() instanceof Capabilities.HasAdvancedWeights weighted)) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "ML.ADVANCED_WEIGHTS at " + call.position()
                    + " needs a LINEAR_REG or binary LOGISTIC_REG model; " + model.displayName() + " is " + model.manifest().modelType()
                    + (model.estimator() instanceof Capabilities.HasFeatureImportance ? " (use ML.FEATURE_IMPORTANCE)" : ""));
        }
        boolean standardize = setting(call, "standardize").map(v -> bool(v, "standardize")).orElse(false);
        List<Capabilities.AdvancedWeightRow> weights = weighted.advancedWeights(model.pipeline().layout(), standardize)
                .orElseThrow(() -> new LatheException(ErrorCode.UNSUPPORTED, "ML.ADVANCED_WEIGHTS at " + call.position()
                        + " needs a model trained with calculate_p_values = TRUE, category_encoding_method = 'DUMMY_ENCODING' and"
                        + " l1_reg = 0" + (model.task() == ModelTask.CLASSIFICATION ? " on a binary label" : "") + "; "
                        + model.displayName() + " was trained with " + trainedWith(model)
                        + "; retrain it with those options, or use ML.WEIGHTS"));
        List<ResultTable.ColumnSpec> columns = List.of(
                new ResultTable.ColumnSpec("processed_input", "VARCHAR"),
                new ResultTable.ColumnSpec("weight", "DOUBLE"),
                new ResultTable.ColumnSpec("category_weights",
                        "STRUCT(category VARCHAR, weight DOUBLE, standard_error DOUBLE, p_value DOUBLE)[]"),
                new ResultTable.ColumnSpec("standard_error", "DOUBLE"),
                new ResultTable.ColumnSpec("p_value", "DOUBLE"));
        List<List<Object>> rows = new ArrayList<>();
        for (Capabilities.AdvancedWeightRow w : weights) {
            List<Object> categories = new ArrayList<>();
            for (Capabilities.AdvancedCategoryWeight c : w.categoryWeights()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("category", c.category().orElse(null));
                entry.put("weight", c.weight());
                entry.put("standard_error", c.standardError());
                entry.put("p_value", c.pValue());
                categories.add(entry);
            }
            List<Object> row = new ArrayList<>();
            row.add(w.processedInput());
            row.add(w.weight().orElse(null));
            row.add(categories);
            row.add(w.standardError().orElse(null));
            row.add(w.pValue().orElse(null));
            rows.add(row);
        }
        return table(scope, "advanced_weights", columns, rows);
    }

    /** "calculate_p_values = FALSE, category_encoding_method = 'ONE_HOT_ENCODING', l1_reg = 0.0 and 3 classes". */
    private static String trainedWith(LoadedModel model) {
        Map<String, Object> options = model.manifest().options();
        Object encoding = options.get("category_encoding_method");
        String text = "calculate_p_values = " + String.valueOf(options.get("calculate_p_values")).toUpperCase(java.util.Locale.ROOT)
                + ", category_encoding_method = " + (encoding == null ? "NULL" : "'" + encoding + "'")
                + ", l1_reg = " + options.get("l1_reg");
        int classes = model.manifest().classLabels().size();
        return model.task() == ModelTask.CLASSIFICATION ? text + " and " + classes + " classes" : text;
    }

    private String centroids(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        if (!(model.estimator() instanceof Capabilities.HasCentroids clustered)) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "ML.CENTROIDS at " + call.position() + " needs a KMEANS model; "
                    + model.displayName() + " is " + model.manifest().modelType());
        }
        boolean standardize = setting(call, "standardize").map(v -> bool(v, "standardize")).orElse(false);
        List<ResultTable.ColumnSpec> columns = List.of(
                new ResultTable.ColumnSpec("centroid_id", "BIGINT"),
                new ResultTable.ColumnSpec("feature", "VARCHAR"),
                new ResultTable.ColumnSpec("numerical_value", "DOUBLE"),
                new ResultTable.ColumnSpec("categorical_value", "STRUCT(category VARCHAR, value DOUBLE)[]"),
                // BigQuery's GEOGRAPHY features' centroids; Lathe has no GEOGRAPHY features, so always NULL
                new ResultTable.ColumnSpec("geography_value", "VARCHAR"));
        List<List<Object>> rows = new ArrayList<>();
        for (Capabilities.CentroidRow c : clustered.centroids(model.pipeline().layout(), standardize)) {
            List<Object> categories = new ArrayList<>();
            for (Capabilities.CategoryValue v : c.categoricalValue()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("category", v.category());
                entry.put("value", v.value());
                categories.add(entry);
            }
            List<Object> row = new ArrayList<>();
            row.add(c.centroidId());
            row.add(c.feature());
            row.add(c.numericalValue().orElse(null));
            row.add(categories);
            row.add(null);
            rows.add(row);
        }
        return table(scope, "centroids", columns, rows);
    }

    private String featureImportance(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        if (!(model.estimator() instanceof Capabilities.HasFeatureImportance trees)) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "ML.FEATURE_IMPORTANCE at " + call.position()
                    + " needs a boosted tree or random forest model; " + model.displayName() + " is " + model.manifest().modelType()
                    + (model.estimator() instanceof Capabilities.HasWeights ? " (use ML.WEIGHTS)" : ""));
        }
        List<ResultTable.ColumnSpec> columns = List.of(
                new ResultTable.ColumnSpec("feature", "VARCHAR"),
                new ResultTable.ColumnSpec("importance_weight", "DOUBLE"),
                new ResultTable.ColumnSpec("importance_gain", "DOUBLE"),
                new ResultTable.ColumnSpec("importance_cover", "DOUBLE"));
        List<Capabilities.ImportanceRow> importance = trees.featureImportance(model.pipeline().layout());
        if (model.transform().isPresent()) {
            importance = preTransform(importance, model.transform().get());
        }
        List<List<Object>> rows = new ArrayList<>();
        for (Capabilities.ImportanceRow r : importance) {
            rows.add(List.of(r.feature(), r.importanceWeight(), r.importanceGain(), r.importanceCover()));
        }
        return table(scope, "feature_importance", columns, rows);
    }

    /**
     * Importance of a TRANSFORM model's input columns, as BigQuery reports it (pre-TRANSFORM columns): each input gets the
     * splits of every output computed from it (an output of two inputs counts for both), with its gain and cover
     * averaged over those splits.
     */
    static List<Capabilities.ImportanceRow> preTransform(List<Capabilities.ImportanceRow> outputs, FittedTransform transform) {
        Map<String, Capabilities.ImportanceRow> byOutput = new LinkedHashMap<>();
        outputs.forEach(row -> byOutput.put(row.feature().toLowerCase(Locale.ROOT), row));
        Map<String, double[]> sums = new LinkedHashMap<>(); // input -> splits, gain * splits, cover * splits
        transform.inputColumns().forEach(input -> sums.put(input, null));
        for (FittedTransform.OutputColumn output : transform.columns()) {
            Capabilities.ImportanceRow row = byOutput.get(output.name().toLowerCase(Locale.ROOT));
            if (row == null) {
                continue; // the label, or an output the model does not read
            }
            for (String input : transform.inputsReadBy(output)) {
                double[] sum = sums.get(input) == null ? new double[3] : sums.get(input);
                sum[0] += row.importanceWeight();
                sum[1] += row.importanceGain() * row.importanceWeight();
                sum[2] += row.importanceCover() * row.importanceWeight();
                sums.put(input, sum);
            }
        }
        List<Capabilities.ImportanceRow> inputs = new ArrayList<>();
        sums.forEach((input, sum) -> {
            if (sum != null) {
                inputs.add(new Capabilities.ImportanceRow(input, sum[0], sum[0] == 0 ? 0 : sum[1] / sum[0], sum[0] == 0 ? 0 : sum[2] / sum[0]));
            }
        });
        return inputs;
    }

    private String transform(TableFunctionCall call, Scope scope) {
        LoadedModel model = models.apply(call);
        if (model.transform().isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.TRANSFORM at " + call.position() + " needs a model created with a "
                    + "TRANSFORM clause; " + model.displayName() + " has none");
        }
        String input = materializeInput(call, scope, true);
        FittedTransform transform = model.transform().get();
        List<String> outputs = transform.outputNames();
        // A TRANSFORM that passes the label through outputs it when the input has it; ML.PREDICT's input need not.
        String label = labelName(model);
        dev.lathe.core.Schema schema = dev.lathe.warehouse.Warehouse.describe(connection, Sql.selectAll(input));
        Predictor.requireColumns(model, schema, transformInputs(model, false));
        if (label != null && schema.indexOf(label).isEmpty()) {
            outputs = outputs.stream().filter(output -> !output.equalsIgnoreCase(label)).toList();
        }
        // so do the columns that had a role in training only (a split flag, a weight), when the input lacks them
        java.util.Set<String> trainingOnly = model.trainingOnlyColumns();
        outputs = outputs.stream().filter(output -> !trainingOnly.contains(output.toLowerCase(java.util.Locale.ROOT))
                || schema.indexOf(output).isPresent()).toList();
        // As BigQuery: an input column the TRANSFORM does not read passes through unchanged (an id to join the rows back
        // by), after the outputs and before a passed-through label, the order of BigQuery's own example
        java.util.Set<String> taken = new java.util.HashSet<>();
        transform.inputColumns().forEach(c -> taken.add(c.toLowerCase(java.util.Locale.ROOT)));
        transform.outputNames().forEach(c -> taken.add(c.toLowerCase(java.util.Locale.ROOT)));
        List<String> passThrough = schema.names().stream().filter(c -> !taken.contains(c.toLowerCase(java.util.Locale.ROOT))).toList();
        List<String> order = new ArrayList<>(outputs.stream().filter(o -> label == null || !o.equalsIgnoreCase(label)).toList());
        order.addAll(passThrough);
        outputs.stream().filter(o -> label != null && o.equalsIgnoreCase(label)).forEach(order::add);
        String view = scope.view("transform");
        Sql.execute(connection, "CREATE TEMP VIEW " + Sql.quote(view) + " AS SELECT "
                + String.join(", ", order.stream().map(Sql::quote).toList()) + " FROM ("
                + transform.apply(Sql.selectAll(input), outputs, passThrough) + ")");
        return Sql.quote(view);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /**
     * The model's inputs computed from a materialized input table: through the TRANSFORM when the model
     * has one (only the outputs needed, so prediction input may lack the label), else the table itself. An input
     * lacking a column the TRANSFORM reads fails naming it (DuckDB's own message speaks of the TRANSFORM's SQL).
     */
    static String features(Connection connection, LoadedModel model, String input, boolean withLabel) {
        if (model.transform().isEmpty()) {
            return Sql.selectAll(input);
        }
        FittedTransform transform = model.transform().get();
        Predictor.requireTransformInputs(connection, model, Sql.selectAll(input), transformInputs(model, withLabel));
        List<String> outputs = new ArrayList<>(model.pipeline().inputFields().stream().map(dev.lathe.core.Field::name).toList());
        if (withLabel) {
            outputs.add(model.label().name());
        }
        return transform.apply(Sql.selectAll(input), outputs);
    }

    /**
     * The raw columns a model's TRANSFORM reads, its label among them only {@code withLabel} (evaluation), those with a role
     * in training only ({@link LoadedModel#trainingOnlyColumns}) never.
     */
    private static List<String> transformInputs(LoadedModel model, boolean withLabel) {
        String label = labelName(model);
        java.util.Set<String> trainingOnly = model.trainingOnlyColumns();
        return model.transform().orElseThrow().inputColumns().stream()
                .filter(column -> withLabel || label == null || !column.equalsIgnoreCase(label))
                .filter(column -> !trainingOnly.contains(column.toLowerCase(java.util.Locale.ROOT))).toList();
    }

    /** The model's label column, null for a model without one (k-means). */
    private static String labelName(LoadedModel model) {
        return model.manifest().label() == null ? null : model.manifest().label().name();
    }

    private static boolean hasInput(TableFunctionCall call) {
        return call.inputTable().isPresent() || call.inputQuery().isPresent();
    }

    /** Materializes the TABLE or (query) argument as a temporary table, in the input's row order. */
    private String materializeInput(TableFunctionCall call, Scope scope, boolean required) {
        String table = scope.table("input");
        Sql.execute(connection, "CREATE TEMP TABLE " + Sql.quote(table) + " AS " + inputRelation(call, scope));
        return table;
    }

    /** The TABLE or (query) argument as a SELECT. */
    private String inputRelation(TableFunctionCall call, Scope scope) {
        String source;
        if (call.inputTable().isPresent()) {
            source = Names.tableArgument(call.inputTable().get(), scope);
        } else if (call.inputQuery().isPresent()) {
            Statement statement = parser.parse(call.inputQuery().get(), call.inputQueryPosition());
            if (!(statement instanceof Statement.Query query)) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The input of ML." + call.function() + " at "
                        + call.inputQueryPosition() + " must be a query (SELECT ...)");
            }
            source = preparer.prepare(query, scope);
        } else {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML." + call.function() + " at " + call.position()
                    + " needs input data: ML." + call.function() + "(MODEL d.m, TABLE d.t) or ML." + call.function()
                    + "(MODEL d.m, (SELECT ...))");
        }
        return source;
    }

    private String table(Scope scope, String purpose, List<ResultTable.ColumnSpec> columns, List<List<Object>> rows) {
        String table = scope.table(purpose);
        ResultTable.create(connection, table, columns, rows);
        return Sql.quote(table);
    }

    private static void requireTask(LoadedModel model, ModelTask task, TableFunctionCall call) {
        if (model.task() != task) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML." + call.function() + " at " + call.position() + " needs a "
                    + task.name().toLowerCase(Locale.ROOT) + " model; " + model.displayName() + " is " + model.manifest().modelType());
        }
    }

    /**
     * The call's STRUCT(threshold), 0.5 without one: a number in [0, 1], given only for a binary classifier, the one kind of
     * model it changes. BigQuery refuses it for the others ("The threshold option cannot be used with multiclass logistic
     * regression models", ML.EVALUATE's page; "a custom threshold for the binary classification model", ML.PREDICT's); taken
     * and ignored, it let a user believe a cut-off was applied (probe vp F4).
     */
    private double threshold(TableFunctionCall call, LoadedModel model) {
        Optional<OptionValue> given = setting(call, "threshold");
        if (given.isEmpty()) {
            return 0.5;
        }
        double threshold = number(given.get(), "threshold");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "threshold in ML." + call.function() + " at " + call.position()
                    + " is " + threshold + " but must be in [0, 1]");
        }
        boolean classifier = model.task() == ModelTask.CLASSIFICATION && model.manifest().classLabels() != null;
        if (!(classifier && model.manifest().classLabels().size() == 2)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "threshold in ML." + call.function() + " at " + call.position()
                    + " applies to binary classification models; " + model.displayName() + " is " + model.manifest().modelType()
                    + (classifier ? " with " + model.manifest().classLabels().size() + " classes (it predicts the most probable one)"
                            : "") + "; remove the threshold");
        }
        return threshold;
    }

    private static LatheException unsupported(TableFunctionCall call) {
        return new LatheException(ErrorCode.UNSUPPORTED, "ML." + call.function() + " at " + call.position()
                + " is not supported yet; supported table functions: " + String.join(", ", SUPPORTED.stream().map(f -> "ML." + f).toList()));
    }

    private static void checkSettings(TableFunctionCall call) {
        if (call.settings().isEmpty()) {
            return;
        }
        List<String> accepted = SETTINGS.getOrDefault(call.function(), List.of());
        OptionValue.StructValue settings = call.settings().get();
        for (int i = 0; i < settings.fields().size(); i++) {
            Optional<String> name = settings.names().get(i);
            if (name.isEmpty()) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Setting " + settings.fields().get(i).describe() + " of ML."
                        + call.function() + " at " + settings.fields().get(i).position() + " needs a name: STRUCT(value AS name)"
                        + (accepted.isEmpty() ? "" : "; accepted: " + String.join(", ", accepted)));
            }
            if (accepted.stream().noneMatch(a -> a.equalsIgnoreCase(name.get()))) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Unknown setting '" + name.get() + "' of ML." + call.function()
                        + " at " + settings.fields().get(i).position()
                        + (accepted.isEmpty() ? "; ML." + call.function() + " takes no settings"
                                : Suggestions.withChoices(name.get(), accepted, "Accepted settings")));
            }
            if (name.get().equalsIgnoreCase("trial_id")) {
                throw new LatheException(ErrorCode.UNSUPPORTED, "trial_id at " + settings.fields().get(i).position()
                        + " selects a hyperparameter-tuning trial; tuning is not available yet, so models have no trials");
            }
        }
    }

    /** A named field of the trailing STRUCT(... AS name) argument. */
    static Optional<OptionValue> setting(TableFunctionCall call, String name) {
        if (call.settings().isEmpty()) {
            return Optional.empty();
        }
        OptionValue.StructValue settings = call.settings().get();
        List<String> known = new ArrayList<>();
        for (int i = 0; i < settings.fields().size(); i++) {
            Optional<String> fieldName = settings.names().get(i);
            fieldName.ifPresent(known::add);
            if (fieldName.isPresent() && fieldName.get().equalsIgnoreCase(name)) {
                return Optional.of(settings.fields().get(i));
            }
        }
        return Optional.empty();
    }

    static double number(OptionValue value, String name) {
        if (value instanceof OptionValue.NumberValue n) {
            return n.value().doubleValue();
        }
        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' at " + value.position() + " must be a number, got "
                + value.describe());
    }

    private static boolean bool(OptionValue value, String name) {
        if (value instanceof OptionValue.BoolValue b) {
            return b.value();
        }
        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' at " + value.position() + " must be TRUE or FALSE, got "
                + value.describe());
    }

}
