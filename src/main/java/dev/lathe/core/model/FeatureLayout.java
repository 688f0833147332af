package dev.lathe.core.model;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The encoded columns in matrix order.
 *
 * @param droppedCategories for DUMMY_ENCODING, the category left out of each one-hot group, keyed by
 *     processed input (empty Optional = the NULL category); ML.WEIGHTS lists it with weight 0.0
 */
public record FeatureLayout(List<EncodedColumn> columns, Map<String, Optional<String>> droppedCategories) {
    public FeatureLayout {
        columns = List.copyOf(columns);
        droppedCategories = Map.copyOf(droppedCategories);
    }

    public FeatureLayout(List<EncodedColumn> columns) {
        this(columns, Map.of());
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

    /**
     * The encoded columns' names. An unmodifiable list without nulls, which {@code List.copyOf} returns as it is: a
     * {@code Stream.toList()} list allows nulls, so every matrix built with it ({@code DenseMatrix} copies its names) copied
     * it, once per online prediction.
     */
    public List<String> names() {
        return columns.stream().map(c -> c.category().map(v -> c.processedInput() + "_" + v).orElse(c.processedInput()))
                .collect(java.util.stream.Collectors.toUnmodifiableList());
    }
}
