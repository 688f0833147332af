package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The stored form of one model version: the manifest plus the fitted payloads, each in its own file.
 * The store moves bytes; the engine turns them into live objects.
 */
public record ModelFiles(ModelManifest manifest, String pipelineJson, Optional<String> transformJson, byte[] estimator,
        EvaluationData evaluation) {
    public ModelFiles {
        requireNonNull(manifest, "manifest is null");
        requireNonNull(pipelineJson, "pipelineJson is null");
        requireNonNull(transformJson, "transformJson is null");
        requireNonNull(estimator, "estimator is null");
        requireNonNull(evaluation, "evaluation is null");
    }
}
