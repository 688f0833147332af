package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * A model as a whole: its versions' range, its aliases (alias -> version, {@code default} always among them)
 * and the type, description and labels of the default version.
 */
public record RegisteredModel(String dataset, String name, int defaultVersion, int versionCount, int latestVersion,
        Map<String, Integer> aliases, String modelType, String description, Map<String, String> labels, String createdAt,
        String updatedAt) {
    public RegisteredModel {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(name, "name is null");
        aliases = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(aliases));
        requireNonNull(modelType, "modelType is null");
        requireNonNull(description, "description is null");
        labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    public String qualifiedName() {
        return dataset + "." + name;
    }
}
