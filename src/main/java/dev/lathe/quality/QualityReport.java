package dev.lathe.quality;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * The windows of one evaluation, in time order. {@code metricNames} are ML.EVALUATE's columns for the models that
 * served (regression or classification; empty when no model ever served the endpoint), and {@code models} the
 * model versions whose logged predictions fall in the range ({@code dataset.model@version}).
 */
public record QualityReport(List<String> metricNames, List<String> models, List<WindowQuality> windows) {
    public QualityReport {
        metricNames = List.copyOf(metricNames);
        models = List.copyOf(models);
        windows = List.copyOf(windows);
        requireNonNull(windows, "windows is null");
    }
}
