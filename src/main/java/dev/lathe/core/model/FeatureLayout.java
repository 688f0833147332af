package dev.lathe.core.model;

import java.util.LinkedHashSet;
import java.util.List;

/** The encoded columns in matrix order. */
public record FeatureLayout(List<EncodedColumn> columns) {
    public FeatureLayout {
        columns = List.copyOf(columns);
    }

    public int size() {
        return columns.size();
    }

    public EncodedColumn column(int index) {
        return columns.get(index);
    }

    /** The distinct source features, in order of first appearance. */
    public List<String> features() {
        return List.copyOf(new LinkedHashSet<>(columns.stream().map(EncodedColumn::feature).toList()));
    }

    public List<String> names() {
        return columns.stream().map(c -> c.category().map(v -> c.processedInput() + "_" + v).orElse(c.processedInput())).toList();
    }
}
