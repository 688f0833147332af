package dev.lathe.serve.store;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An endpoint: a named, weighted router over deployed model versions. {@code trafficSplit} maps deployed model
 * ids to percentages summing to 100, or is empty (the endpoint takes no traffic). {@code loggingSamplingRate}
 * is the fraction of requests logged to the warehouse (0 = off).
 */
public record Endpoint(
        String id,
        String displayName,
        String description,
        Map<String, String> labels,
        Map<String, Integer> trafficSplit,
        double loggingSamplingRate,
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

    public Optional<DeployedModel> deployedModel(String deployedModelId) {
        return deployedModels.stream().filter(m -> m.id().equals(deployedModelId)).findFirst();
    }
}
