package dev.lathe.serve.store;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An endpoint: a named, weighted router over deployed model versions. {@code trafficSplit} maps deployed model
 * ids to percentages summing to 100, or is empty (the endpoint takes no traffic). {@code loggingSamplingRate}
 * is the fraction of requests logged to the warehouse while {@code loggingEnabled}; a disabled endpoint keeps its rate
 * for when logging is turned on again and logs nothing ({@link #loggingRate()}).
 */
public record Endpoint(
        String id,
        String displayName,
        String description,
        Map<String, String> labels,
        Map<String, Integer> trafficSplit,
        double loggingSamplingRate,
        boolean loggingEnabled,
        List<DeployedModel> deployedModels,
        String createTime,
        String updateTime,
        String etag) {
    public Endpoint {
        requireNonNull(id, "id is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(description, "description is null");
        labels = Map.copyOf(labels);
        trafficSplit = Map.copyOf(trafficSplit);
        deployedModels = List.copyOf(deployedModels);
        requireNonNull(createTime, "createTime is null");
        requireNonNull(updateTime, "updateTime is null");
        requireNonNull(etag, "etag is null");
        if (!(loggingSamplingRate >= 0 && loggingSamplingRate <= 1)) {
            throw new IllegalArgumentException("loggingSamplingRate must be in [0, 1], got " + loggingSamplingRate);
        }
    }

    /** The fraction of requests logged now: the sampling rate while logging is enabled, else 0. */
    public double loggingRate() {
        return loggingEnabled ? loggingSamplingRate : 0;
    }

    public Optional<DeployedModel> deployedModel(String deployedModelId) {
        return deployedModels.stream().filter(m -> m.id().equals(deployedModelId)).findFirst();
    }
}
