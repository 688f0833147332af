package dev.lathe.serve.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * The fields an update changes (absent ones stay); {@code etag}, when given, must match the stored one. Logging turned on
 * without a rate logs at the endpoint's kept rate, or at 1 where that is 0.
 */
public record EndpointUpdate(Optional<String> displayName, Optional<String> description, Optional<Map<String, String>> labels,
        Optional<Map<String, Integer>> trafficSplit, Optional<Double> loggingSamplingRate, Optional<Boolean> loggingEnabled,
        Optional<String> etag) {
    public EndpointUpdate {
        requireNonNull(displayName, "displayName is null");
        requireNonNull(description, "description is null");
        requireNonNull(labels, "labels is null");
        requireNonNull(trafficSplit, "trafficSplit is null");
        requireNonNull(loggingSamplingRate, "loggingSamplingRate is null");
        requireNonNull(loggingEnabled, "loggingEnabled is null");
        requireNonNull(etag, "etag is null");
        displayName.ifPresent(EndpointSpec::checkDisplayName);
        description.ifPresent(EndpointSpec::checkDescription);
        labels.ifPresent(EndpointSpec::checkLabels);
        loggingSamplingRate.ifPresent(EndpointSpec::checkSamplingRate);
    }

    /** An update whose logging rate, when given, also turns logging on (above 0) or off (0). */
    public EndpointUpdate(Optional<String> displayName, Optional<String> description, Optional<Map<String, String>> labels,
            Optional<Map<String, Integer>> trafficSplit, Optional<Double> loggingSamplingRate, Optional<String> etag) {
        this(displayName, description, labels, trafficSplit, loggingSamplingRate, loggingSamplingRate.map(rate -> rate > 0), etag);
    }

    public static EndpointUpdate trafficSplit(Map<String, Integer> split) {
        return new EndpointUpdate(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(split), Optional.empty(), Optional.empty(),
                Optional.empty());
    }
}
