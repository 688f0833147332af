package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The stored form of one model version: the manifest plus the fitted payloads, each in its own file.
 * The store moves bytes; the engine turns them into live objects. {@code trainingProfile} is the
 * serialized {@code dev.lathe.profile.DataProfile} of the raw training input ({@code profile.bin}).
 */
public record ModelFiles(ModelManifest manifest, String pipelineJson, Optional<String> transformJson, byte[] estimator,
        EvaluationData evaluation, Optional<byte[]> trainingProfile) {
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
        requireNonNull(evaluation, "evaluation is null");
        requireNonNull(trainingProfile, "trainingProfile is null");
    }
}
