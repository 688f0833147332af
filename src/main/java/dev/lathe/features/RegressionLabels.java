package dev.lathe.features;

import static java.util.Objects.requireNonNull;

/** A regression label column as finite doubles, one per training row. */
public record RegressionLabels(String name, double[] values) {
    public RegressionLabels {
        requireNonNull(name, "name is null");
        requireNonNull(values, "values is null");
    }
}
