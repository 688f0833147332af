package dev.lathe.batch;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What a job was asked to do: the model as given ({@code dataset.model}, {@code @3} or {@code @alias}) and the
 * version it resolved to at submit time (empty when it did not resolve: the job then fails), input, output
 * and the classification threshold.
 */
public record JobSpec(String displayName, String model, Optional<Integer> modelVersion, JobInput input, JobOutput output,
        double threshold) {
    public JobSpec {
        requireNonNull(displayName, "displayName is null");
        requireNonNull(model, "model is null");
        requireNonNull(modelVersion, "modelVersion is null");
        requireNonNull(input, "input is null");
        requireNonNull(output, "output is null");
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold must be in [0, 1], got " + threshold);
        }
    }

    public JobSpec withModelVersion(int version) {
        return new JobSpec(displayName, model, Optional.of(version), input, output, threshold);
    }
}
