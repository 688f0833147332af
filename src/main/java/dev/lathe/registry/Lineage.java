package dev.lathe.registry;

import java.util.List;
import java.util.OptionalInt;

/**
 * Where a version came from: the tables its training query reads (best effort, from the SQL text) and the
 * version that was the default when it was trained (what CREATE OR REPLACE replaced), if any.
 */
public record Lineage(List<String> sourceTables, OptionalInt parentVersion) {
    public Lineage {
        sourceTables = List.copyOf(sourceTables);
        java.util.Objects.requireNonNull(parentVersion, "parentVersion is null");
    }
}
