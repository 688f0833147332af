package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * {@code manifest.json} of a model version: everything needed to use, explain and re-train it except
 * the fitted payloads (pipeline, transform, estimator), which sit beside it. Format documented in
 * docs/model-format.md; {@link #FORMAT_VERSION} changes whenever a reader would misread an old file.
 *
 * @param inputColumns the raw columns prediction needs (before TRANSFORM)
 * @param featureColumns the columns the feature pipeline encodes (after TRANSFORM)
 * @param label the label column, null for unsupervised models
 * @param classLabels class values in class-index order (classification only)
 * @param options every option with its effective value, defaults included
 * @param explicitOptions the options the user wrote
 * @param evaluationMetrics ML.EVALUATE's columns computed at training (on the evaluation split, else
 *     on the training data)
 * @param importedFile for imported models (ONNX, XGBOOST) only: where the model file came from, its
 *     checksum and size, and its output columns; null for trained models
 * @param globalExplanation ML.GLOBAL_EXPLAIN's rows, computed at training when ENABLE_GLOBAL_EXPLAIN is
 *     TRUE; null otherwise (and in manifests written before explanations existed)
 * @param files the version's other files by name ({@code estimator.bin}, ...), each with its size and CRC-32C, which
 *     the store records when it writes the version and checks when it reads a file; null in manifests written before
 */
public record ModelManifest(
        int formatVersion,
        String dataset,
        String name,
        int version,
        String modelType,
        String task,
        List<Column> inputColumns,
        List<Column> featureColumns,
        Column label,
        List<String> classLabels,
        Map<String, Object> options,
        List<String> explicitOptions,
        boolean hasTransform,
        String trainingSql,
        String statementSql,
        Fingerprint trainingInput,
        Map<String, Double> evaluationMetrics,
        List<Iteration> trainingInfo,
        Timings timings,
        String platformVersion,
        ImportedFile importedFile,
        List<GlobalAttribution> globalExplanation,
        Map<String, StoredFile> files) {
    public static final int FORMAT_VERSION = 1;

    /** The manifest without its files' checksums (as a version is made, before the store writes it). */
    public ModelManifest(int formatVersion, String dataset, String name, int version, String modelType, String task,
            List<Column> inputColumns, List<Column> featureColumns, Column label, List<String> classLabels,
            Map<String, Object> options, List<String> explicitOptions, boolean hasTransform, String trainingSql,
            String statementSql, Fingerprint trainingInput, Map<String, Double> evaluationMetrics, List<Iteration> trainingInfo,
            Timings timings, String platformVersion, ImportedFile importedFile, List<GlobalAttribution> globalExplanation) {
        this(formatVersion, dataset, name, version, modelType, task, inputColumns, featureColumns, label, classLabels, options,
                explicitOptions, hasTransform, trainingSql, statementSql, trainingInput, evaluationMetrics, trainingInfo, timings,
                platformVersion, importedFile, globalExplanation, null);
    }

    /** The manifest without global explanations (models trained without ENABLE_GLOBAL_EXPLAIN, imported models). */
    public ModelManifest(int formatVersion, String dataset, String name, int version, String modelType, String task,
            List<Column> inputColumns, List<Column> featureColumns, Column label, List<String> classLabels,
            Map<String, Object> options, List<String> explicitOptions, boolean hasTransform, String trainingSql,
            String statementSql, Fingerprint trainingInput, Map<String, Double> evaluationMetrics, List<Iteration> trainingInfo,
            Timings timings, String platformVersion, ImportedFile importedFile) {
        this(formatVersion, dataset, name, version, modelType, task, inputColumns, featureColumns, label, classLabels, options,
                explicitOptions, hasTransform, trainingSql, statementSql, trainingInput, evaluationMetrics, trainingInfo, timings,
                platformVersion, importedFile, null);
    }

    /** A copy numbered {@code newVersion}: a statement whose number another one took meanwhile takes the next. */
    public ModelManifest withVersion(int newVersion) {
        return new ModelManifest(formatVersion, dataset, name, newVersion, modelType, task, inputColumns, featureColumns, label,
                classLabels, options, explicitOptions, hasTransform, trainingSql, statementSql, trainingInput, evaluationMetrics,
                trainingInfo, timings, platformVersion, importedFile, globalExplanation, files);
    }

    /** A copy recording the checksums of the version's other files ({@link ModelStore#save}). */
    public ModelManifest withFiles(Map<String, StoredFile> checksums) {
        return new ModelManifest(formatVersion, dataset, name, version, modelType, task, inputColumns, featureColumns, label,
                classLabels, options, explicitOptions, hasTransform, trainingSql, statementSql, trainingInput, evaluationMetrics,
                trainingInfo, timings, platformVersion, importedFile, globalExplanation, java.util.Collections.unmodifiableMap(
                        new java.util.LinkedHashMap<>(checksums)));
    }

    /** One stored file's size and CRC-32C (8 hex digits), as {@code files} records them. */
    public record StoredFile(long sizeBytes, String crc32c) {
        public StoredFile {
            requireNonNull(crc32c, "crc32c is null");
        }
    }

    /** A copy with the global explanation computed at training (ENABLE_GLOBAL_EXPLAIN). */
    public ModelManifest withGlobalExplanation(List<GlobalAttribution> attributions) {
        return new ModelManifest(formatVersion, dataset, name, version, modelType, task, inputColumns, featureColumns, label,
                classLabels, options, explicitOptions, hasTransform, trainingSql, statementSql, trainingInput, evaluationMetrics,
                trainingInfo, timings, platformVersion, importedFile, List.copyOf(attributions), files);
    }

    /**
     * One ML.GLOBAL_EXPLAIN row: the mean absolute attribution of an input feature over the evaluation
     * rows; {@code classLabel} is null for the model-level rows and set for the class-level ones.
     */
    public record GlobalAttribution(String feature, double attribution, String classLabel) {
        public GlobalAttribution {
            requireNonNull(feature, "feature is null");
        }
    }

    /** A trained model's manifest (no imported file). */
    public ModelManifest(int formatVersion, String dataset, String name, int version, String modelType, String task,
            List<Column> inputColumns, List<Column> featureColumns, Column label, List<String> classLabels,
            Map<String, Object> options, List<String> explicitOptions, boolean hasTransform, String trainingSql,
            String statementSql, Fingerprint trainingInput, Map<String, Double> evaluationMetrics, List<Iteration> trainingInfo,
            Timings timings, String platformVersion) {
        this(formatVersion, dataset, name, version, modelType, task, inputColumns, featureColumns, label, classLabels, options,
                explicitOptions, hasTransform, trainingSql, statementSql, trainingInput, evaluationMetrics, trainingInfo, timings,
                platformVersion, null);
    }

    /** Each check names the field as {@code manifest.json} spells it, so a manifest missing one says which (probe td F5). */
    public ModelManifest {
        requireNonNull(dataset, "field dataset is missing");
        requireNonNull(name, "field name is missing");
        requireNonNull(modelType, "field modelType is missing");
        inputColumns = List.copyOf(requireNonNull(inputColumns, "field inputColumns is missing"));
        featureColumns = List.copyOf(requireNonNull(featureColumns, "field featureColumns is missing"));
        classLabels = List.copyOf(requireNonNull(classLabels, "field classLabels is missing"));
        explicitOptions = List.copyOf(requireNonNull(explicitOptions, "field explicitOptions is missing"));
        trainingInfo = List.copyOf(requireNonNull(trainingInfo, "field trainingInfo is missing"));
    }

    /** A column with its BigQuery type name and exact DuckDB type. */
    public record Column(String name, String type, String duckDbType) {
        /** An ENUM's type is VARCHAR, as {@link dev.lathe.core.Field}'s: a model stored before said the bare word ENUM. */
        public Column {
            duckDbType = duckDbType == null ? null : dev.lathe.core.Field.castable(duckDbType);
        }
    }

    /**
     * What the model was trained on: row counts and an order-independent content hash of the training
     * query's result (column names included), so a re-run can tell whether the data changed.
     */
    public record Fingerprint(long rows, long trainingRows, long evaluationRows, String contentHash) {}

    /** One ML.TRAINING_INFO row as stored. {@code evalLoss} is null without an evaluation split. */
    public record Iteration(int trainingRun, int iteration, double loss, Double evalLoss, double learningRate, long durationMs,
            List<Cluster> clusterInfo) {}

    public record Cluster(long centroidId, double clusterRadius, long clusterSize) {}

    /**
     * The file an imported model was made from. The bytes themselves are copied into the version's
     * {@code estimator.bin}, so the file may be deleted afterwards.
     *
     * @param modelPath the MODEL_PATH as written
     * @param sha256 hex SHA-256 of the file
     * @param outputColumns the model's own outputs: what ML.PREDICT adds before the input columns
     */
    public record ImportedFile(String modelPath, String sha256, long sizeBytes, List<Column> outputColumns) {
        public ImportedFile {
            requireNonNull(modelPath, "modelPath is null");
            requireNonNull(sha256, "sha256 is null");
            outputColumns = List.copyOf(outputColumns);
        }
    }

    /** Wall-clock timestamps (ISO-8601) and phase durations in milliseconds. */
    public record Timings(String startTime, String endTime, long readMs, long preprocessMs, long trainMs, long evaluateMs) {}
}
