package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * How a version was trained, as the registry indexes it (the artifact's manifest has the full record).
 *
 * @param inputRows rows of the training query
 * @param inputHash order-independent content hash of the training query's result
 * @param options every option with its effective value
 */
public record Provenance(String trainingSql, String statementSql, long inputRows, String inputHash, Map<String, Object> options,
        String platformVersion, String trainedAt) {
    public Provenance {
        requireNonNull(trainingSql, "trainingSql is null");
        requireNonNull(statementSql, "statementSql is null");
        requireNonNull(inputHash, "inputHash is null");
        // Options may hold nulls (unset optional values), which Map.copyOf refuses.
        options = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(options));
        requireNonNull(platformVersion, "platformVersion is null");
        requireNonNull(trainedAt, "trainedAt is null");
    }
}
