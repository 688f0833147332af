package dev.lathe.engine;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DataType;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.Suggestions;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionAssignment;
import dev.lathe.features.ClassLabels;
import dev.lathe.features.EncodingTarget;
import dev.lathe.features.FeaturePipeline;
import dev.lathe.features.Labels;
import dev.lathe.profile.DataProfile;
import dev.lathe.registry.EvaluationData;
import dev.lathe.registry.ModelFiles;
import dev.lathe.registry.ModelManifest;
import dev.lathe.registry.Registry;
import dev.lathe.sql.FittedTransform;
import dev.lathe.sql.ObjectName;
import dev.lathe.sql.SelectItem;
import dev.lathe.sql.Statement;
import dev.lathe.sql.TransformCheck;
import dev.lathe.sql.TransformCompiler;
import dev.lathe.train.CommonOptions;
import dev.lathe.train.ModelFamilies;
import dev.lathe.train.boosted.TreeOptions;
import dev.lathe.train.linear.GlmOptions;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;
import org.duckdb.DuckDBConnection;

/**
 * CREATE MODEL: runs the training query in DuckDB, applies TRANSFORM, splits, encodes, trains,
 * evaluates, and stores a new model version. Every intermediate lives in the statement's {@link Scope};
 * the version is written atomically at the very end, so a failure leaves no model behind and the
 * previous version intact.
 */
final class ModelCreator {
    private static final String EVAL_FLAG = "__lathe_is_eval";
    /** The training row's {@code hash(...)} (a UBIGINT) as two exact 32-bit halves: reads carry numbers as doubles. */
    private static final String HASH_HIGH = "__lathe_hash_high";
    private static final String HASH_LOW = "__lathe_hash_low";
    private static final String CONTENT_HASH = "duckdb-row-hash-sum:";

    private final DuckDBConnection connection;
    private final Registry registry;
    private final ModelFamilies families;
    private final QueryPreparer preparer;
    private final Consumer<String> progress;
    /** A cancellation point: throws once the session was cancelled, saying what was stopped (LatheEngine.stopIfCancelled). */
    private final Consumer<String> cancellation;

    ModelCreator(DuckDBConnection connection, Registry registry, ModelFamilies families, QueryPreparer preparer,
            Consumer<String> progress, Consumer<String> cancellation) {
        this.connection = connection;
        this.registry = registry;
        this.families = families;
        this.preparer = preparer;
        this.progress = progress;
        this.cancellation = cancellation;
    }

    String create(Statement.CreateModel statement, Scope scope) {
        return create(statement, scope, false);
    }

    /**
     * CREATE MODEL's checks without training: the name, the dataset, the options and the training query, bound. What it
     * would do, or the failure {@link #create} would give before training.
     */
    String check(Statement.CreateModel statement, Scope scope) {
        return create(statement, scope, true);
    }

    private String create(Statement.CreateModel statement, Scope scope, boolean dryRun) {
        long started = System.nanoTime();
        Instant startTime = Instant.now();
        ObjectName name = statement.name();
        String dataset = Names.requireDataset(name, "model", connection);
        Names.requireModelName(name, dataset);
        if (name.version().isPresent()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "CREATE MODEL takes a model name without a version, but got "
                    + name.display() + " at " + name.position());
        }
        if (registry.exists(dataset, name.name())) {
            switch (statement.mode()) {
                case CREATE -> throw new LatheException(ErrorCode.ALREADY_EXISTS, "Model " + dataset + "." + name.name()
                        + " already exists; use CREATE OR REPLACE MODEL to train a new version, or CREATE MODEL IF NOT EXISTS");
                case CREATE_IF_NOT_EXISTS -> {
                    return "Model " + dataset + "." + name.name() + " already exists; nothing done";
                }
                case CREATE_OR_REPLACE -> {
                    // a new version follows
                }
            }
        }
        if (!Warehouse.datasetExists(connection, dataset)) {
            throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Dataset '" + dataset + "' not found; create it with CREATE SCHEMA "
                    + dataset);
        }
        if (Warehouse.relationExists(connection, dataset, name.name())) {
            throw new LatheException(ErrorCode.ALREADY_EXISTS, "A table named " + dataset + "." + name.name()
                    + " exists; models and tables share one namespace per dataset, so choose another model name");
        }
        String modelType = statement.modelType().orElseThrow(() -> new LatheException(ErrorCode.INVALID_OPTION,
                "CREATE MODEL needs OPTIONS(model_type = '...')" + misspeltModelType(statement) + "; supported model types: "
                        + String.join(", ", families.modelTypes())));
        ModelFamily family;
        try {
            family = families.require(modelType);
        } catch (LatheException e) { // where the user wrote it
            Optional<String> at = statement.options().stream().filter(o -> o.name().equalsIgnoreCase("model_type")).findFirst()
                    .map(o -> " (at " + o.position() + ")");
            throw at.isEmpty() ? e : new LatheException(e.code(), e.getMessage() + at.get(), e);
        }
        if (family instanceof dev.lathe.imported.ImportedFamily imported) {
            if (dryRun) {
                return "Would import model " + dataset + "." + name.name() + " (" + family.modelType() + "); its files are read when it runs";
            }
            return new ModelImporter(registry).create(statement, imported, dataset, startTime);
        }
        ModelOptions options = family.validate(ModelOptions.resolve(statement.options(), family.options(), family.modelType()));
        if (options.has(Registry.CREATION_ALIASES_OPTION)) { // checked before training, not when the version is registered
            Registry.requireValidAliases(options.getStringList(Registry.CREATION_ALIASES_OPTION));
        }
        if (!dryRun) {
            family.prepareToTrain();
        }
        Optional<WarmStart> warmStart = WarmStart.of(family, options, registry, families,
                TransformCheck.on(connection), dataset, name.name());
        if (warmStart.isPresent()) {
            options = family.validate(warmStart.get().carryOver(options));
            warmStart.get().requireFixedOptions(options);
        }
        Statement.Query query = statement.queryStatement().orElseThrow(() -> new LatheException(ErrorCode.INVALID_ARGUMENT,
                "CREATE MODEL " + name.display() + " with model_type " + family.modelType() + " needs AS <training query>"));

        // 1. The training query. Without TRANSFORM (and unless a SEQ split needs a quantile of it first) it is read
        // once as it is, and the row count, the split's row hash and the fingerprint come out of that read;
        // otherwise it is materialized first, for TRANSFORM to fit on and the split to query.
        if (dryRun && !query.calls().isEmpty()) {
            throw LatheEngine.noDryRunOf(query.calls().get(0));
        }
        String prepared = preparer.prepare(query, scope);
        requireDistinctColumns(prepared, query);
        if (dryRun) {
            return "Would train model " + dataset + "." + name.name() + " (" + family.modelType() + ")"
                    + (registry.exists(dataset, name.name()) ? " as a new version" : "");
        }
        boolean singleRead = statement.transform().isEmpty() && SplitPlan.computedInRead(options);
        String raw = singleRead ? null : scope.table("training_input");
        if (!singleRead) {
            Sql.execute(connection, "CREATE TEMP TABLE " + Sql.quote(raw) + " AS " + prepared);
        }
        String input = singleRead ? "SELECT * FROM (" + prepared + ") AS __lathe_training_query" : Sql.selectAll(raw);
        String stage = "CREATE MODEL " + name.display();
        cancellation.accept(stage + " (reading the training query)");
        Schema rawSchema = Warehouse.describe(connection, input);
        long counted = Long.MAX_VALUE; // a single read counts while reading
        if (!singleRead) {
            counted = count(input);
            requireRows(name, counted);
        }

        // 2. Columns with a role.
        Optional<String> label = labelColumn(family, options, rawSchema);
        Set<String> special = new LinkedHashSet<>();
        label.ifPresent(special::add);
        for (String option : List.of(CommonOptions.DATA_SPLIT_COL, CommonOptions.INSTANCE_WEIGHT_COL, "kmeans_init_col")) {
            options.optionalString(option).ifPresent(column -> special.add(
                    rawSchema.field(rawSchema.require(column, "the training query (option " + option + ")")).name()));
        }
        options.optionalString(CommonOptions.DATA_SPLIT_COL).filter(c -> label.isPresent() && c.equalsIgnoreCase(label.get())).ifPresent(c -> {
            // a SEQ split on the label trained a classifier on one class (probe ra)
            throw new LatheException(ErrorCode.INVALID_OPTION, "data_split_col names the label column '" + label.get()
                    + "'; the split must come from another column (it is excluded from the features, the label cannot be)");
        });

        // 3. TRANSFORM, fitted on the training input (a warm start's is the previous version's, with its statistics); without
        // one, STRUCT features are expanded by one (spec 2.2).
        Optional<List<SelectItem>> items = statement.transform().or(() -> structExpansion(rawSchema, special, input, statement));
        Optional<FittedTransform> reused = warmStart.isPresent() ? warmStart.get().transform(statement.transform()) : Optional.empty();
        Optional<FittedTransform> transform = reused.isPresent() ? reused
                : items.map(list -> TransformCompiler.fit(list, input, connection, special));
        // what the load will check, checked now: a TRANSFORM that could be stored but never loaded is said at once
        transform.ifPresent(TransformCheck.on(connection)::check);
        cancellation.accept(stage + " (fitting TRANSFORM)");
        String relation = transform.map(t -> t.apply(input)).orElse(input);
        Schema schema = transform.isPresent() ? Warehouse.describe(connection, relation) : rawSchema;
        List<Field> features = new ArrayList<>();
        for (Field field : schema.fields()) {
            if (special.stream().noneMatch(s -> s.equalsIgnoreCase(field.name()))) {
                features.add(field);
            }
        }
        if (features.isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_DATA, "The training query for model " + name.display()
                    + " has no feature columns" + label.map(l -> " besides the label '" + l + "'").orElse("")
                    + ". Columns are: " + String.join(", ", schema.names()));
        }

        // 4. Split, computed in SQL so it is deterministic; the flag is computed while reading, not stored. In a single
        // read the row count is known only afterwards, so RANDOM's flag is taken from the row hash read beside the data.
        SplitPlan plan = SplitPlan.choose(family, options, counted, schema);
        // The columns the split adds beside the query's take names none of its columns has (probe ub F3c).
        List<String> taken = new ArrayList<>(schema.names());
        String evalFlag = Sql.unusedName(EVAL_FLAG, taken);
        taken.add(evalFlag);
        String hashHigh = Sql.unusedName(HASH_HIGH, taken);
        taken.add(hashHigh);
        String hashLow = Sql.unusedName(HASH_LOW, taken);
        String split = singleRead ? plan.sqlWithRowHash(relation, evalFlag, hashHigh, hashLow, schema)
                : plan.sql(relation, evalFlag, connection, schema);

        // 5. Read everything once, as columns.
        long readStarted = System.nanoTime();
        List<Field> read = new ArrayList<>(features);
        Optional<Field> labelField = label.map(l -> schema.field(schema.require(l, "the training query")));
        warmStart.ifPresent(w -> w.requireSameSchema(labelField, features));
        labelField.ifPresent(read::add);
        Optional<Field> weightField = options.optionalString(CommonOptions.INSTANCE_WEIGHT_COL)
                .map(w -> schema.field(schema.require(w, "the training query")));
        weightField.ifPresent(read::add);
        Optional<Field> initField = options.optionalString("kmeans_init_col")
                .map(w -> schema.field(schema.require(w, "the training query")));
        initField.ifPresent(read::add);
        weightField.filter(w -> labelField.isPresent() && w.name().equalsIgnoreCase(labelField.get().name())).ifPresent(w -> {
            throw new LatheException(ErrorCode.INVALID_OPTION, "instance_weight_col names the label column '" + w.name()
                    + "'; row weights must come from another column");
        });
        weightField.filter(w -> !w.type().isNumeric()).ifPresent(w -> {
            throw new LatheException(ErrorCode.INVALID_OPTION, "instance_weight_col names '" + w.name() + "', a " + w.type().bigQueryName()
                    + " column; it must name a numeric column of row weights (finite and >= 0)");
        });
        initField.filter(f -> f.type() != DataType.BOOL).ifPresent(f -> {
            throw new LatheException(ErrorCode.INVALID_OPTION, "kmeans_init_col names '" + f.name() + "', a " + f.type().bigQueryName()
                    + " column; it must name a BOOL column, TRUE on the rows to start the centroids from");
        });
        List<String> columnNames = read.stream().map(Field::name).toList();
        boolean readsFlag = !singleRead || plan.readsFlag();
        List<Field> extra = new ArrayList<>();
        if (readsFlag) {
            extra.add(Field.of(evalFlag, DataType.INT64));
        }
        if (singleRead) {
            extra.add(Field.of(hashHigh, DataType.INT64));
            extra.add(Field.of(hashLow, DataType.INT64));
        }
        read.addAll(extra);
        Batch readBatch = BatchReader.readTraining(connection, split, read);
        Batch all = readBatch.select(columnNames);
        long rows = all.rowCount();
        if (singleRead) {
            requireRows(name, rows);
            plan = SplitPlan.choose(family, options, rows, schema);
        }
        // Raw, pre-TRANSFORM columns of every row: what ML.VALIDATE_DATA_SKEW compares serving data with. With TRANSFORM
        // they are profiled in DuckDB now; without, they are the columns just read, profiled beside training (below).
        Optional<DataProfile> transformedProfile = transform.map(t -> DataProfile.of(connection, input, rawSchema));
        long readMs = (System.nanoTime() - readStarted) / 1_000_000;
        cancellation.accept(stage + " (after reading " + rows + " rows)");
        BitSet trainRows = new BitSet(all.rowCount());
        BitSet evalRows = new BitSet(all.rowCount());
        String inputHash;
        if (singleRead) {
            inputHash = splitByRowHash(readBatch, columnNames.size(), readsFlag, plan, trainRows, evalRows);
        } else {
            inputHash = null;
            splitByFlag((DoubleColumn) readBatch.column(columnNames.size()), trainRows, evalRows);
        }
        if (trainRows.isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_DATA, "The data split left no training rows for model " + name.display()
                    + " (" + plan.describe() + "); " + plan.noTrainingAdvice());
        }
        Batch train = Batches.filter(all, trainRows);
        Batch eval = Batches.filter(all, evalRows);
        List<String> featureNames = features.stream().map(Field::name).toList();

        // 6. Labels and weights.
        long preprocessStarted = System.nanoTime();
        double[] trainLabels = new double[0];
        double[] evalLabels = new double[0];
        List<String> classLabels = List.of();
        Optional<EncodingTarget> target = Optional.empty();
        if (labelField.isPresent()) {
            Field field = labelField.get();
            Column allLabels = all.column(features.size());
            if (family.task() == ModelTask.REGRESSION) {
                // Every row checked once, so that an error names the input's row; the splits' columns are fresh copies
                // of checked rows (Batches.filter), taken as they are.
                Labels.checkRegression(allLabels, field.name());
                trainLabels = ((DoubleColumn) train.column(features.size())).values();
                evalLabels = ((DoubleColumn) eval.column(features.size())).values();
                target = Optional.of(new EncodingTarget.Values(trainLabels));
            } else {
                ClassLabels classes = Labels.classification(allLabels, field, family.modelType(), maxClasses(family));
                if (warmStart.isPresent()) { // the previous version's classes, in its order
                    warmStart.get().classIndices(allLabels, field.name());
                    classes = new ClassLabels(field.name(), warmStart.get().classLabels(), new int[0]);
                }
                classLabels = classes.classes();
                trainLabels = toDoubles(classes.indexOf(train.column(features.size())));
                requireTwoTrainingClasses(field.name(), trainLabels, classLabels, eval.rowCount(), options);
                evalLabels = toDoubles(classes.indexOf(eval.column(features.size())));
                target = Optional.of(new EncodingTarget.Classes(classes.indexOf(train.column(features.size())), classLabels));
            }
        }
        Optional<double[]> classWeights = Weights.classWeights(options, trainLabels, classLabels, family.task());
        double[] trainWeights = Weights.rows(train, weightField, trainLabels, classWeights);
        Weights.requireTrainingWeight(trainWeights, weightField);
        double[] evalWeights = Weights.rows(eval, weightField, evalLabels, classWeights);

        // 7. Automatic preprocessing, fitted on the training rows only. The training data's profile is computed on another
        // thread while XGBoost builds its DMatrix on one (below), so it starts once the training matrix is encoded.
        CompletableFuture<Void> profileStart = new CompletableFuture<>();
        CompletableFuture<DataProfile> profiling = transformedProfile.map(CompletableFuture::completedFuture)
                .orElseGet(() -> profileStart.thenApplyAsync(ignored -> DataProfile.of(all)));
        Runnable startProfile = () -> profileStart.complete(null);
        FeaturePipeline pipeline = warmStart.isPresent() ? warmStart.get().pipeline()
                : FeaturePipeline.fit(train.select(featureNames), family.encoding(options), target);
        family.requireTrainable(train.rowCount(), pipeline.layout().size());
        Function<Batch, DenseMatrix> encode = family.trainsOnOneHotRows() ? pipeline::transformOneHot : pipeline::transform;
        // A tree model's floats are encoded as XGBoost takes them, into its native memory (FeaturePipeline.floatEncoding),
        // when it builds its DMatrix: the profile starts after that.
        DenseMatrix trainMatrix = family.trainsOnFloats() ? pipeline.floatEncoding(train.select(featureNames), startProfile)
                : encode.apply(train.select(featureNames));
        Optional<DenseMatrix> evalMatrix = eval.rowCount() == 0 ? Optional.empty() : Optional.of(encode.apply(eval.select(featureNames)));
        Optional<DenseMatrix> initialCentroids = initField.map(f -> initialCentroids(train, features.size()
                + (labelField.isPresent() ? 1 : 0) + (weightField.isPresent() ? 1 : 0), trainMatrix));
        long preprocessMs = (System.nanoTime() - preprocessStarted) / 1_000_000;

        // 8. Train. The profile is computed on another thread meanwhile: XGBoost builds its DMatrix on one thread
        // before it trains on all of them, so the profile takes a core that would be idle, not one the encoding uses. A
        // matrix that is not an encoding is ready now.
        if (!family.trainsOnFloats()) {
            startProfile.run();
        }
        long trainStarted = System.nanoTime();
        TrainingSet data = new TrainingSet(trainMatrix, trainLabels, trainWeights, evalMatrix, evalLabels, evalWeights,
                classLabels, pipeline.layout(), initialCentroids);
        progress.accept("Training " + family.modelType() + " " + name.display() + " on " + trainMatrix.rows() + " rows x "
                + trainMatrix.cols() + " encoded features" + (evalMatrix.map(m -> ", evaluating on " + m.rows() + " rows").orElse("")));
        cancellation.accept(stage + " (before training)");
        TrainingListener listener = new TrainingListener() {
            @Override
            public void iterationDone(dev.lathe.core.model.TrainingIteration iteration) {
                progress.accept("  iteration " + iteration.iteration() + ": loss " + iteration.loss()
                        + (iteration.evalLoss().isPresent() ? ", eval loss " + iteration.evalLoss().getAsDouble() : ""));
                cancellation.accept(stage + " (training, after iteration " + iteration.iteration() + ")"); // the trainer frees its state
            }

            @Override
            public void stillWorking(String message) {
                progress.accept("  " + message);
            }
        };
        ModelFamily.Trained trained = warmStart.isPresent() ? family.warmStart(data, options, listener, warmStart.get().estimator())
                : family.train(data, options, listener);
        Estimator estimator = trained.estimator();
        long trainMs = (System.nanoTime() - trainStarted) / 1_000_000;

        // 9. Evaluate on the evaluation split, else on the training data (BigQuery ML's rule).
        long evaluateStarted = System.nanoTime();
        DenseMatrix evaluationMatrix = evalMatrix.orElse(trainMatrix);
        double[] evaluationLabels = evalMatrix.isPresent() ? evalLabels : trainLabels;
        Predictions predictions = estimator.predict(evaluationMatrix);
        EvaluationData evaluation = Evaluations.data(family.task(), classLabels.size(), evaluationLabels, predictions);
        Map<String, Double> metrics = family.task() == ModelTask.CLUSTERING
                ? Evaluations.clustering((dev.lathe.train.kmeans.KMeansEstimator) estimator, trainMatrix)
                : Evaluations.metrics(family.task(), evaluation, 0.5);
        long evaluateMs = (System.nanoTime() - evaluateStarted) / 1_000_000;

        // 10. Store the new version.
        DataProfile trainingProfile;
        startProfile.run(); // already started unless the trainer never encoded its matrix
        try {
            trainingProfile = profiling.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        cancellation.accept(stage + " (before storing)");
        int version = registry.nextVersion(dataset, name.name());
        ModelManifest manifest = new ModelManifest(
                ModelManifest.FORMAT_VERSION,
                dataset.toLowerCase(Locale.ROOT),
                name.name(),
                version,
                family.modelType(),
                family.task().name(),
                columns(transform.map(t -> inputColumns(rawSchema, t)).orElse(features)),
                columns(features),
                labelField.map(f -> new ModelManifest.Column(f.name(), f.type().name(), f.duckDbType())).orElse(null),
                classLabels,
                recordedOptions(trained.effectiveOptions().values(), plan),
                List.copyOf(trained.effectiveOptions().explicit()),
                transform.isPresent(),
                query.text(),
                statement.text(),
                new ModelManifest.Fingerprint(rows, trainRows.cardinality(), evalRows.cardinality(),
                        singleRead ? inputHash : fingerprint(input, rawSchema)),
                metrics,
                warmStart.map(w -> w.history(iterations(estimator.trainingInfo()))).orElseGet(() -> iterations(estimator.trainingInfo())),
                new ModelManifest.Timings(startTime.toString(), Instant.now().toString(), readMs, preprocessMs, trainMs, evaluateMs),
                Version.current());
        if (trained.effectiveOptions().values().get(CommonOptions.ENABLE_GLOBAL_EXPLAIN) instanceof Boolean enabled && enabled
                && family.task() != ModelTask.CLUSTERING) {
            manifest = manifest.withGlobalExplanation(GlobalExplanations.compute(estimator, pipeline, evaluationMatrix, predictions,
                    classLabels));
        }
        // The artifact, then its registry entry (which removes the artifact again if it fails). Statements replacing one
        // model at once (through a server) took their numbers before training: one whose number was taken meanwhile takes
        // the next, as every CREATE OR REPLACE makes a new version; a plain CREATE MODEL finds the model made meanwhile.
        String pipelineJson = pipeline.toJson();
        Optional<String> transformJson = transform.map(TransformJson::write);
        byte[] estimatorBytes = estimator.save();
        Optional<byte[]> profileBytes = Optional.of(trainingProfile.toBytes());
        for (int attempt = 1; ; attempt++) {
            try {
                registry.save(new ModelFiles(manifest, pipelineJson, transformJson, estimatorBytes, evaluation, profileBytes),
                        statement.mode() != Statement.CreateMode.CREATE_OR_REPLACE);
                break;
            } catch (LatheException e) {
                if (e.code() == ErrorCode.ALREADY_EXISTS && statement.mode() != Statement.CreateMode.CREATE_OR_REPLACE) {
                    throw new LatheException(ErrorCode.ALREADY_EXISTS, "Model " + dataset + "." + name.name() + " was created by another"
                            + " statement while this one ran; use CREATE OR REPLACE MODEL to train a new version", e);
                }
                int next = e.code() == ErrorCode.ALREADY_EXISTS ? registry.nextVersion(dataset, name.name()) : version;
                if (next == version || attempt == 10) {
                    throw e;
                }
                version = next;
                manifest = manifest.withVersion(version);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return String.format(Locale.ROOT, "Created model %s.%s (version %d): %s on %d training rows%s, %d iteration%s, %.1f s",
                dataset, name.name(), version, family.modelType(), trainRows.cardinality(),
                evalRows.isEmpty() ? noEvaluationSplit(options) : " and " + evalRows.cardinality() + " evaluation rows",
                estimator.trainingInfo().size(), estimator.trainingInfo().size() == 1 ? "" : "s", seconds)
                + notApplied(trained.effectiveOptions(), classLabels.size());
    }

    /**
     * Why a model has no evaluation rows, when a split asked for some: a SEQ split on a column of one value put every row
     * at or below its cut-off into training, silently (probe K), and ML.EVALUATE without input then reports training
     * metrics.
     */
    private static String noEvaluationSplit(ModelOptions options) {
        String method = options.has(CommonOptions.DATA_SPLIT_METHOD) ? options.getString(CommonOptions.DATA_SPLIT_METHOD) : "";
        return switch (method) {
            case "SEQ", "RANDOM", "CUSTOM" -> " (no evaluation split: data_split_method " + method + " left no row for evaluation"
                    + (method.equals("SEQ") ? ", every row's data_split_col being below the cut-off" : "")
                    + "; ML.EVALUATE without input data reports training metrics)";
            default -> " (no evaluation split)";
        };
    }

    /** Options accepted so BigQuery ML SQL runs unchanged, whose effect Lathe does not have yet: said, not silently dropped. */
    static String notApplied(ModelOptions options, int classes) {
        List<String> notes = new ArrayList<>();
        List<String> tuning = CommonOptions.TUNING_OPTIONS.stream().filter(options::isExplicit).toList();
        if (!tuning.isEmpty()) {
            notes.add(String.join(", ", tuning) + " (hyperparameter tuning is not available yet: this is one model, trained with the"
                    + " options as given)");
        }
        if (options.isExplicit(CommonOptions.DATA_SPLIT_TEST_FRACTION)) {
            notes.add("data_split_test_fraction (a test split is made only for hyperparameter tuning, which is not available yet)");
        }
        String method = options.has(CommonOptions.DATA_SPLIT_METHOD) ? options.getString(CommonOptions.DATA_SPLIT_METHOD) : "";
        if (options.isExplicit(CommonOptions.DATA_SPLIT_EVAL_FRACTION) && !method.equals("RANDOM") && !method.equals("SEQ")) {
            notes.add("data_split_eval_fraction (data_split_method " + method + " does not take a fraction; use 'RANDOM' or 'SEQ')");
        }
        if (options.isExplicit(CommonOptions.DATA_SPLIT_COL) && !method.equals("SEQ") && !method.equals("CUSTOM")) {
            notes.add("data_split_col as a split column (data_split_method " + method + " does not read one; the column was left"
                    + " out of the features)");
        }
        if (options.isExplicit(GlmOptions.CALCULATE_P_VALUES) && options.getBool(GlmOptions.CALCULATE_P_VALUES)) {
            // ML.ADVANCED_WEIGHTS's requirements (spec 4.1); the standard errors are computed only when they hold
            List<String> unmet = new ArrayList<>();
            if (!options.getString(GlmOptions.CATEGORY_ENCODING_METHOD).equals("DUMMY_ENCODING")) {
                unmet.add("category_encoding_method = 'DUMMY_ENCODING'");
            }
            if (options.getDouble(CommonOptions.L1_REG) != 0) {
                unmet.add("l1_reg = 0");
            }
            if (classes > 2) {
                unmet.add("a binary label (this one has " + classes + " classes)");
            }
            if (!unmet.isEmpty()) {
                notes.add("calculate_p_values (ML.ADVANCED_WEIGHTS's standard errors and p-values need " + String.join(" and ", unmet) + ")");
            }
        }
        if (options.has(GlmOptions.OPTIMIZE_STRATEGY)) { // the strategy chosen (AUTO_STRATEGY resolved): probe ra
            if (options.getString(GlmOptions.OPTIMIZE_STRATEGY).equals(GlmOptions.NORMAL_EQUATION)) {
                List<String> descent = java.util.stream.Stream.of(GlmOptions.LEARN_RATE_STRATEGY, CommonOptions.LEARN_RATE,
                        GlmOptions.LS_INIT_LEARN_RATE, CommonOptions.MAX_ITERATIONS, CommonOptions.EARLY_STOP, CommonOptions.MIN_REL_PROGRESS)
                        .filter(options::isExplicit).toList();
                if (!descent.isEmpty()) {
                    notes.add(String.join(", ", descent) + " (they set gradient descent; optimize_strategy NORMAL_EQUATION solves in one step)");
                }
            } else if (options.isExplicit(GlmOptions.LS_INIT_LEARN_RATE) && options.has(GlmOptions.LEARN_RATE_STRATEGY)
                    && options.getString(GlmOptions.LEARN_RATE_STRATEGY).equals(GlmOptions.CONSTANT)) {
                notes.add("ls_init_learn_rate (the line search's first rate; learn_rate_strategy CONSTANT steps by learn_rate)");
            }
        }
        List<String> dart = java.util.stream.Stream.of("dropout", "dart_normalize_type").filter(options::isExplicit).toList();
        if (!dart.isEmpty() && options.has("booster_type") && !options.getString("booster_type").equals("DART")) {
            notes.add(String.join(", ", dart) + " (used only with booster_type = 'DART'; this model's is "
                    + options.getString("booster_type") + ")");
        }
        if (options.isExplicit("xgboost_version")) {
            notes.add("xgboost_version (trees are grown by XGBoost 2, whichever version is named; rows start from a base score"
                    + " estimated from the labels, not 0.5: see docs/sql.md)");
        }
        if (options.isExplicit(TreeOptions.APPROX_GLOBAL_FEATURE_CONTRIB) && options.getBool(TreeOptions.APPROX_GLOBAL_FEATURE_CONTRIB)) {
            notes.add("approx_global_feature_contrib (ML.GLOBAL_EXPLAIN's attributions are always exact TreeSHAP, not approximated)");
        }
        if (options.isExplicit("kms_key_name")) {
            notes.add("kms_key_name (the model's files are not encrypted with a customer-managed key)");
        }
        return notes.isEmpty() ? "" : "; not applied: " + String.join("; ", notes);
    }

    private static Optional<String> labelColumn(ModelFamily family, ModelOptions options, Schema schema) {
        if (family.task() == ModelTask.CLUSTERING) {
            return Optional.empty();
        }
        List<String> labels = options.getStringList(CommonOptions.INPUT_LABEL_COLS);
        if (labels.size() != 1) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "Option 'input_label_cols' must name exactly one column, but got "
                    + labels);
        }
        String label = labels.get(0);
        Optional<Integer> index = schema.indexOf(label);
        if (index.isEmpty()) {
            String hint = options.isExplicit(CommonOptions.INPUT_LABEL_COLS) ? ""
                    : " (the default label column; set input_label_cols = ['your_label'])";
            throw new LatheException(ErrorCode.COLUMN_NOT_FOUND, "Label column '" + label + "'" + hint
                    + " not found in the training query" + dev.lathe.core.Suggestions.withChoices(label, schema.names(), "Columns"));
        }
        Field field = schema.field(index.get());
        // a type without a BigQuery name (INTERVAL, MAP, ...) is said by DuckDB's, not as "OTHER" (probe rc)
        String type = field.type() == DataType.OTHER ? field.duckDbType() : field.type().bigQueryName();
        if (family.task() == ModelTask.REGRESSION && !field.type().isNumeric()) {
            throw new LatheException(ErrorCode.INVALID_DATA, "Label column '" + field.name() + "' of " + family.modelType()
                    + " must be numeric, but it is " + type
                    + "; use a classifier for categorical labels, or CAST the label to FLOAT64");
        }
        if (family.task() == ModelTask.CLASSIFICATION && !(field.type().isNumeric() || field.type() == DataType.STRING
                || field.type() == DataType.BOOL)) {
            throw new LatheException(ErrorCode.INVALID_DATA, "Label column '" + field.name() + "' of " + family.modelType()
                    + " must be INT64, FLOAT64, NUMERIC, STRING or BOOL, but it is " + type);
        }
        return Optional.of(field.name());
    }

    private static int maxClasses(ModelFamily family) {
        return family.modelType().equals("LOGISTIC_REG") ? 50 : 1000;
    }

    private static double[] toDoubles(int[] values) {
        double[] doubles = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            doubles[i] = values[i];
        }
        return doubles;
    }

    /**
     * BigQuery ML's automatic STRUCT expansion (spec 2.2): each field of a STRUCT feature becomes a feature named
     * {@code <struct>_<field>}. Done as the TRANSFORM {@code * EXCEPT (s), s.a AS s_a, ...}, so prediction, evaluation and
     * batch jobs take the STRUCT column as it was given in training; empty when no feature is a STRUCT.
     */
    private Optional<List<SelectItem>> structExpansion(Schema rawSchema, Set<String> special, String input, Statement.CreateModel statement) {
        List<Field> structs = rawSchema.fields().stream().filter(f -> f.type() == DataType.STRUCT)
                .filter(f -> special.stream().noneMatch(name -> name.equalsIgnoreCase(f.name()))).toList();
        if (structs.isEmpty()) {
            return Optional.empty();
        }
        List<SelectItem> items = new ArrayList<>();
        items.add(new SelectItem.Star(structs.stream().map(Field::name).toList(), List.of(), statement.position()));
        for (Field struct : structs) {
            Schema fields = Warehouse.describe(connection, "SELECT " + Sql.quote(struct.name()) + ".* FROM (" + input + ") AS __lathe_struct");
            for (Field field : fields.fields()) {
                items.add(new SelectItem.Expression("`" + struct.name().replace("`", "\\`") + "`.`" + field.name().replace("`", "\\`") + "`",
                        Optional.of(struct.name() + "_" + field.name()), Optional.empty(), statement.position()));
            }
        }
        return Optional.of(items);
    }

    /** KMEANS_INIT_COL: the training rows flagged TRUE are the initial centroids. */
    private static DenseMatrix initialCentroids(Batch train, int column, DenseMatrix matrix) {
        Column flags = train.column(column);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < train.rowCount(); i++) {
            if (flags instanceof dev.lathe.core.StringColumn s && "true".equals(s.get(i))) {
                rows.add(i);
            }
        }
        double[] data = new double[rows.size() * matrix.cols()];
        for (int r = 0; r < rows.size(); r++) {
            System.arraycopy(matrix.data(), rows.get(r) * matrix.cols(), data, r * matrix.cols(), matrix.cols());
        }
        return new DenseMatrix(rows.size(), matrix.cols(), data, matrix.columnNames());
    }

    private long count(String relation) {
        try (java.sql.Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM (" + relation + ") AS __lathe_counted")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw Sql.error(e, relation);
        }
    }

    private static void requireRows(ObjectName name, long rows) {
        if (rows == 0) {
            throw new LatheException(ErrorCode.INVALID_DATA, "The training query for model " + name.display()
                    + " returned no rows; CREATE MODEL needs at least one training row");
        }
    }

    /** Sorts rows by the flag column read with them; the input hash is computed separately ({@link #fingerprint}). */
    private static void splitByFlag(DoubleColumn evalFlag, BitSet trainRows, BitSet evalRows) {
        for (int i = 0; i < evalFlag.size(); i++) {
            (evalFlag.get(i) > 0 ? evalRows : trainRows).set(i);
        }
    }

    /**
     * Sorts rows into training and evaluation (RANDOM by the row hash, as {@link SplitPlan#isEvaluation} decides; CUSTOM by
     * the flag read at {@code firstExtra}; NONE all into training), and returns the fingerprint's content hash: the sum
     * of the row hashes modulo 2^64, the same value {@link #fingerprint} computes in SQL. The hash's two halves follow the
     * flag, or start at {@code firstExtra} when the read has no flag.
     */
    private static String splitByRowHash(Batch read, int firstExtra, boolean hasFlag, SplitPlan plan, BitSet trainRows,
            BitSet evalRows) {
        double[] flags = hasFlag ? ((DoubleColumn) read.column(firstExtra)).values() : null;
        int hashColumn = firstExtra + (hasFlag ? 1 : 0);
        double[] high = ((DoubleColumn) read.column(hashColumn)).values();
        double[] low = ((DoubleColumn) read.column(hashColumn + 1)).values();
        boolean random = plan.kind() == SplitPlan.Kind.RANDOM;
        boolean flagged = !random && flags != null;
        long cut = random ? plan.cut() : 0;
        int rows = read.rowCount();
        long sum = 0;
        for (int i = 0; i < rows; i++) { // the cut taken once: a one-shot statement runs this loop interpreted
            long hash = (long) high[i] << 32 | (long) low[i];
            sum += hash;
            boolean evaluation = random ? SplitPlan.isEvaluation(hash, cut) : flagged && flags[i] > 0;
            (evaluation ? evalRows : trainRows).set(i);
        }
        return CONTENT_HASH + Long.toUnsignedString(sum);
    }

    private String fingerprint(String relation, Schema schema) {
        String sql = "SELECT CAST(sum(CAST(" + SplitPlan.rowHash(schema) + " AS HUGEINT)) % 18446744073709551616 AS VARCHAR) FROM ("
                + relation + ") AS __lathe_fingerprinted";
        try (java.sql.Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return CONTENT_HASH + result.getString(1);
        } catch (SQLException e) {
            throw Sql.error(e, sql);
        }
    }

    /**
     * The options as the manifest records them: data_split_eval_fraction as the split used it (AUTO_SPLIT's 10,000 rows of
     * 200,000 are 0.05, a RANDOM 0.333 is 0.33, no split 0), not the option's default or text (probe ra: 0.2 was recorded
     * for each). A CUSTOM split keeps what was given: it takes no fraction.
     */
    private static LinkedHashMap<String, Object> recordedOptions(Map<String, Object> effective, SplitPlan plan) {
        LinkedHashMap<String, Object> recorded = new LinkedHashMap<>(effective);
        if (recorded.containsKey(CommonOptions.DATA_SPLIT_EVAL_FRACTION) && plan.kind() != SplitPlan.Kind.CUSTOM) {
            recorded.put(CommonOptions.DATA_SPLIT_EVAL_FRACTION, plan.kind() == SplitPlan.Kind.NONE ? 0.0 : plan.evalFraction());
        }
        return recorded;
    }

    /**
     * Refuses a classifier whose data split left one class among the training rows: the label's classes were counted over
     * every row, so a CUSTOM or SEQ split that sent every 'male' row to evaluation trained a model predicting 'female' for
     * all, accuracy 0, and said it was created (probe ra).
     */
    private static void requireTwoTrainingClasses(String label, double[] trainLabels, List<String> classes, int evaluationRows,
            ModelOptions options) {
        java.util.BitSet seen = new java.util.BitSet(classes.size());
        for (double code : trainLabels) {
            seen.set((int) code);
            if (seen.cardinality() > 1) {
                return;
            }
        }
        if (evaluationRows == 0 || seen.isEmpty()) {
            return; // no split: the whole input's single class was refused already
        }
        String method = options.has(CommonOptions.DATA_SPLIT_METHOD) ? options.getString(CommonOptions.DATA_SPLIT_METHOD) : "AUTO_SPLIT";
        throw LatheException.invalidData("The training rows hold one class of label '" + label + "' ('" + classes.get(seen.nextSetBit(0))
                + "'): the data split (data_split_method " + method + ") sent every row of the other classes to evaluation; a classifier"
                + " needs at least 2 classes among its training rows. Split so that training keeps rows of each class");
    }

    /** ", but option 'model_typ' at line 1, column 27 looks like model_type", or nothing: a near miss of the name. */
    private static String misspeltModelType(Statement.CreateModel statement) {
        for (OptionAssignment option : statement.options()) {
            if (option.name().equalsIgnoreCase("model_type")) { // model_type = NULL "looked like model_type" (probe ra)
                return ", but option 'model_type' at " + option.position() + " is " + option.value().describe() + ", not a model type's name";
            }
            if (Suggestions.nearest(option.name(), List.of("model_type")).isPresent()) {
                return ", but option '" + option.name() + "' at " + option.position() + " looks like model_type";
            }
        }
        return "";
    }

    private static List<Field> inputColumns(Schema raw, FittedTransform transform) {
        List<Field> fields = new ArrayList<>();
        for (String column : transform.inputColumns()) {
            raw.indexOf(column).ifPresent(i -> fields.add(raw.field(i)));
        }
        return fields;
    }

    private static List<ModelManifest.Column> columns(List<Field> fields) {
        return fields.stream().map(f -> new ModelManifest.Column(f.name(), f.type().name(), f.duckDbType())).toList();
    }

    private static List<ModelManifest.Iteration> iterations(List<TrainingIteration> info) {
        List<ModelManifest.Iteration> iterations = new ArrayList<>();
        for (TrainingIteration i : info) {
            OptionalDouble evalLoss = i.evalLoss();
            iterations.add(new ModelManifest.Iteration(0, i.iteration(), i.loss(), evalLoss.isPresent() ? evalLoss.getAsDouble() : null,
                    i.learningRate(), i.durationMs(), i.clusterInfo().stream()
                            .map(c -> new ModelManifest.Cluster(c.centroidId(), c.clusterRadius(), c.clusterSize())).toList()));
        }
        return iterations;
    }
    /**
     * BigQuery refuses a training query with two columns of one name; DuckDB would rename the second (x_1) when Lathe
     * wraps the query, giving a model whose feature no ordinary input has.
     */
    private void requireDistinctColumns(String prepared, Statement.Query query) {
        try (java.sql.PreparedStatement statement = connection.prepareStatement(prepared)) {
            java.sql.ResultSetMetaData columns = statement.getMetaData();
            Map<String, String> seen = new java.util.HashMap<>();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                String name = columns.getColumnLabel(i);
                String earlier = seen.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
                if (earlier != null) {
                    throw new LatheException(ErrorCode.INVALID_DATA, "The training query at " + query.position() + " has two columns named '"
                            + name + "' (names are case-insensitive); give each column a distinct alias, or leave one out");
                }
            }
        } catch (java.sql.SQLException e) {
            // Bound already by the preparer; metadata that cannot be read leaves the check to the feature pipeline.
        }
    }
}
