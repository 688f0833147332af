package dev.lathe.engine;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.model.ModelTask;
import dev.lathe.features.FeaturePipeline;
import dev.lathe.registry.EvaluationData;
import dev.lathe.registry.ModelManifest;
import dev.lathe.sql.FittedTransform;
import java.util.Optional;

/** A model version in memory: what every ML function and prediction path works from. */
record LoadedModel(ModelManifest manifest, ModelFamily family, Estimator estimator, FeaturePipeline pipeline,
        Optional<FittedTransform> transform, java.util.function.Supplier<EvaluationData> evaluationSource,
        java.util.function.Supplier<Optional<byte[]>> trainingProfileSource, Optional<String> addressedAs) {
    LoadedModel {
        requireNonNull(addressedAs, "addressedAs is null");
        requireNonNull(manifest, "manifest is null");
        requireNonNull(family, "family is null");
        requireNonNull(estimator, "estimator is null");
        requireNonNull(pipeline, "pipeline is null");
        requireNonNull(transform, "transform is null");
        requireNonNull(evaluationSource, "evaluationSource is null");
        requireNonNull(trainingProfileSource, "trainingProfileSource is null");
    }

    /**
     * Reads a stored version and builds its live objects. A file that does not read as what it must hold is said naming the
     * version, the file and what to do, as an INCOMPATIBLE_FORMAT (internal) error: the readers' own messages named no
     * model or file ("payload is damaged: null"), and some came as the user's bad input (exit code 2), such as an imported
     * model's "The file is not an XGBoost model" or a manifest's unknown model type (probe td F5).
     */
    static LoadedModel load(dev.lathe.registry.ModelStore store, dev.lathe.train.ModelFamilies families,
            dev.lathe.sql.TransformCheck check, String dataset, String name, int version) {
        dev.lathe.registry.ModelFiles files = store.load(dataset, name, version);
        String what = "Model " + dataset + "." + name + " version " + version;
        java.nio.file.Path folder = store.versionPath(dataset, name, version);
        ModelManifest manifest = files.manifest();
        ModelFamily family = stored(what, folder, "manifest.json", () -> {
            try {
                return families.require(manifest.modelType());
            } catch (LatheException e) {
                throw new LatheException(e.code(), "field modelType: " + e.getMessage() + " (a newer Lathe may have written it)", e);
            }
        });
        if (manifest.importedFile() != null && manifest.files() == null) {
            // a version written before manifests recorded their files' checksums: the imported file's own, checked instead
            stored(what, folder, "estimator.bin", () -> {
                dev.lathe.imported.ImportedFamily.verify(files.estimator(), manifest.importedFile().sha256());
                return null;
            });
        }
        Estimator estimator = stored(what, folder, "estimator.bin", () -> family.load(files.estimator()));
        FeaturePipeline pipeline = stored(what, folder, "pipeline.json", () -> FeaturePipeline.fromJson(files.pipelineJson()));
        // checked before anything runs it: a model folder handed over must not run SQL of its own (probe td F8)
        Optional<FittedTransform> transform = stored(what, folder, "transform.json",
                () -> files.transformJson().map(TransformJson::read).map(check::check));
        return new LoadedModel(manifest, family, estimator, pipeline, transform, files.evaluationSource(), files.trainingProfileSource(),
                Optional.empty());
    }

    /**
     * What {@code reader} makes of a stored file; its failure, unless it is an outage of something else (the metadata store,
     * a cancel) or a limit of this machine, is the file's damage, said by {@link dev.lathe.registry.ModelStore#damaged}.
     */
    static <T> T stored(String what, java.nio.file.Path folder, String file, java.util.function.Supplier<T> reader) {
        try {
            return reader.get();
        } catch (LatheException e) {
            if (e.category() == dev.lathe.core.ErrorCategory.UNAVAILABLE || e.category() == dev.lathe.core.ErrorCategory.CANCELLED
                    || e.category() == dev.lathe.core.ErrorCategory.RESOURCE_EXHAUSTED) {
                throw e;
            }
            throw dev.lathe.registry.ModelStore.damaged(what, folder, file, e.getMessage(), e);
        } catch (RuntimeException e) { // a reader's unchecked failure on bytes it did not expect (an index, a null)
            throw dev.lathe.registry.ModelStore.damaged(what, folder, file, e.toString(), e);
        }
    }

    /**
     * This version as a statement addressed it ({@code d.m@1}, {@code d.m@champion}), for its messages: "model d.m" named
     * the default version's name for another version, whose columns may differ. The live objects are shared.
     */
    LoadedModel addressedAs(String reference) {
        return new LoadedModel(manifest, family, estimator, pipeline, transform, evaluationSource, trainingProfileSource,
                Optional.of(reference));
    }

    /**
     * The evaluation rows stored at training ({@code evaluation.bin}), read on first use: prediction does not need them, so a
     * damaged file fails only what does (ML.EVALUATE, ROC_CURVE and CONFUSION_MATRIX without input), naming the file.
     */
    EvaluationData evaluation() {
        return evaluationSource.get();
    }

    /**
     * The estimator's input for {@code batch}'s rows: the pipeline's encoding, as floats when the estimator reads floats,
     * as one-hot rows when it reads those (linear models).
     */
    dev.lathe.core.DenseMatrix features(dev.lathe.core.Batch batch) {
        return encode(batch, true);
    }

    /** As {@link #features} for one row of the pipeline's input fields ({@link dev.lathe.features.FeaturePipeline#encodeRow}). */
    dev.lathe.core.DenseMatrix featuresOfRow(Object[] values) {
        return pipeline.encodeRow(values, estimator.predictsOnFloats());
    }

    /**
     * As {@link #features}, encoded on the calling thread only: for callers that already run on every core, where
     * forking each chunk's columns to the common pool only adds contention (ML.PREDICT's function, which DuckDB's
     * worker threads call with a 2,048-row chunk each: 15-20 % less time and CPU per 1M rows than forking).
     */
    dev.lathe.core.DenseMatrix featuresInOrder(dev.lathe.core.Batch batch) {
        return encode(batch, false);
    }

    /** The pipeline's encoding in the holding the estimator reads; floats encoded in parallel only where {@code mayFork}. */
    private dev.lathe.core.DenseMatrix encode(dev.lathe.core.Batch batch, boolean mayFork) {
        return estimator.predictsOnFloats() ? pipeline.transformFloats(batch, mayFork)
                : estimator.predictsOnOneHotRows() ? pipeline.transformOneHot(batch) : pipeline.transform(batch);
    }

    /** The profile of the raw training input stored with the version; a clear error for versions without one. */
    dev.lathe.profile.DataProfile requireTrainingProfile(String function) {
        byte[] bytes = trainingProfileSource.get().orElseThrow(() -> new LatheException(ErrorCode.INVALID_ARGUMENT,
                function + " needs the training-data profile stored at CREATE MODEL, but model " + displayName() + " version "
                        + manifest.version() + " has no training profile" + (manifest.importedFile() != null
                                ? " (imported models have no training data)" : "; retrain it with CREATE OR REPLACE MODEL")));
        try {
            return dev.lathe.profile.DataProfile.fromBytes(bytes);
        } catch (RuntimeException e) { // the stored file's damage, not the user's input (it was exit code 2)
            java.util.Optional<dev.lathe.core.NewerFormatException> newer = dev.lathe.core.NewerFormatException.in(e);
            if (newer.isPresent()) { // a newer Lathe's file, not damage (probe ua F4)
                throw newer.get().at("Model " + manifest.dataset() + "." + manifest.name() + " version " + manifest.version() + ": profile.bin");
            }
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "Model " + manifest.dataset() + "." + manifest.name() + " version "
                    + manifest.version() + ": profile.bin is damaged (" + e.getMessage() + "); "
                    + dev.lathe.registry.ModelStore.RESTORE, e);
        }
    }

    /**
     * The raw input columns that are features: the label left out, and the other columns with a role in training
     * (data_split_col, instance_weight_col, kmeans_init_col), which a TRANSFORM passes through (spec 3.1) and serving data
     * lacks (probe qc: a TRANSFORM model asked every prediction for the training weight and the split flag), unless a
     * feature's expression reads one.
     */
    java.util.List<ModelManifest.Column> rawFeatures() {
        Optional<String> label = Optional.ofNullable(manifest.label()).map(ModelManifest.Column::name);
        java.util.Set<String> trainingOnly = trainingOnlyColumns();
        return manifest.inputColumns().stream().filter(c -> label.isEmpty() || !label.get().equalsIgnoreCase(c.name()))
                .filter(c -> !trainingOnly.contains(c.name().toLowerCase(java.util.Locale.ROOT))).toList();
    }

    /** The options naming a training input column that is no feature (spec 0), besides the label. */
    private static final java.util.List<String> ROLE_OPTIONS = java.util.List.of("data_split_col", "instance_weight_col", "kmeans_init_col");

    /**
     * The raw input columns (lower case) with a role in training only: named by a role option and read by no output of
     * the TRANSFORM but its own pass-through.
     */
    java.util.Set<String> trainingOnlyColumns() {
        java.util.Set<String> roles = new java.util.HashSet<>();
        for (String option : ROLE_OPTIONS) {
            if (manifest.options().get(option) instanceof String column) {
                roles.add(column.toLowerCase(java.util.Locale.ROOT));
            }
        }
        if (roles.isEmpty() || transform.isEmpty()) {
            return roles;
        }
        java.util.Set<String> readByFeatures = new java.util.HashSet<>();
        for (FittedTransform.OutputColumn output : transform.get().columns()) {
            if (!roles.contains(output.name().toLowerCase(java.util.Locale.ROOT))) {
                transform.get().inputsReadBy(output).forEach(read -> readByFeatures.add(read.toLowerCase(java.util.Locale.ROOT)));
            }
        }
        roles.removeAll(readByFeatures);
        return roles;
    }

    ModelTask task() {
        return family.task();
    }

    String displayName() {
        return addressedAs.orElseGet(() -> manifest.dataset() + "." + manifest.name());
    }

    boolean isBinary() {
        return task() == ModelTask.CLASSIFICATION && manifest.classLabels().size() == 2;
    }

    ModelManifest.Column label() {
        if (manifest.label() == null) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "Model " + displayName() + " (" + manifest.modelType()
                    + ") has no label column");
        }
        return manifest.label();
    }
}
