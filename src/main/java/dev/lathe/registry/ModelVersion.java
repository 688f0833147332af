package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** One registered model version: its aliases, labels, description, metrics at training, provenance and lineage. */
public record ModelVersion(String dataset, String name, int version, String modelType, String task, List<String> aliases,
        String description, Map<String, String> labels, Map<String, Double> metrics, Provenance provenance, Lineage lineage,
        String createdAt, String updatedAt) {
    public ModelVersion {
        requireNonNull(dataset, "dataset is null");
        requireNonNull(name, "name is null");
        requireNonNull(modelType, "modelType is null");
        requireNonNull(task, "task is null");
        aliases = List.copyOf(aliases);
        requireNonNull(description, "description is null");
        labels = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(labels));
        metrics = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(metrics));
        requireNonNull(provenance, "provenance is null");
        requireNonNull(lineage, "lineage is null");
        requireNonNull(createdAt, "createdAt is null");
        requireNonNull(updatedAt, "updatedAt is null");
    }

    /**
     * The version's etag (spec 2.1): it changes whenever the version's description or labels do (its update time), so an
     * update that names it is refused once someone else changed the version (AIP-154).
     */
    public String etag() {
        try {
            byte[] hash = java.security.MessageDigest.getInstance("SHA-256")
                    .digest((reference() + "|" + updatedAt).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(hash, 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    /** {@code dataset.name@version}. */
    public String reference() {
        return dataset + "." + name + "@" + version;
    }
}
