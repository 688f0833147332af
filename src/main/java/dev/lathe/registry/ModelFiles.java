package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * The stored form of one model version: the manifest plus the fitted payloads, each in its own file.
 * The store moves bytes; the engine turns them into live objects. {@code trainingProfile} is the
 * serialized {@code dev.lathe.profile.DataProfile} of the raw training input ({@code profile.bin}).
 *
 * <p>The evaluation rows and the profile are read on first use ({@link ModelStore#load} gives suppliers that read the
 * file then): prediction needs neither, and a damaged {@code evaluation.bin} stopped ML.PREDICT and a deployed model's
 * serving over a file they never use (probe td F7).
 */
public record ModelFiles(ModelManifest manifest, String pipelineJson, Optional<String> transformJson, byte[] estimator,
        Supplier<EvaluationData> evaluationSource, Supplier<Optional<byte[]>> trainingProfileSource) {
    /** A version held in memory (being written). */
    public ModelFiles(ModelManifest manifest, String pipelineJson, Optional<String> transformJson, byte[] estimator,
            EvaluationData evaluation, Optional<byte[]> trainingProfile) {
        this(manifest, pipelineJson, transformJson, estimator, () -> evaluation, () -> trainingProfile);
        requireNonNull(evaluation, "evaluation is null");
        requireNonNull(trainingProfile, "trainingProfile is null");
    }

    /** A version without a training-data profile (imported models, versions written before profiles existed). */
    public ModelFiles(ModelManifest manifest, String pipelineJson, Optional<String> transformJson, byte[] estimator,
            EvaluationData evaluation) {
        this(manifest, pipelineJson, transformJson, estimator, evaluation, Optional.empty());
    }

    public ModelFiles {
        requireNonNull(manifest, "manifest is null");
        requireNonNull(pipelineJson, "pipelineJson is null");
        requireNonNull(transformJson, "transformJson is null");
        requireNonNull(estimator, "estimator is null");
        requireNonNull(evaluationSource, "evaluationSource is null");
        requireNonNull(trainingProfileSource, "trainingProfileSource is null");
    }

    /** The evaluation rows ({@code evaluation.bin}), read now if they were not yet. */
    public EvaluationData evaluation() {
        return evaluationSource.get();
    }

    /** The training-data profile's bytes ({@code profile.bin}), read now if they were not yet; empty where there is none. */
    public Optional<byte[]> trainingProfile() {
        return trainingProfileSource.get();
    }
}
