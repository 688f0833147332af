package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The one alert of a monitor for one window: the run that raised it, its anomalous findings, and how the webhook
 * delivery went (attempts so far, the last error, when it was delivered).
 */
public record Alert(long id, String monitorId, Instant windowStart, Instant windowEnd, long runId, List<Finding> anomalies, Optional<URI> webhook,
        DeliveryState deliveryState, int deliveryAttempts, Optional<String> lastError, Optional<Instant> deliveredAt, Instant createTime) {
    public Alert {
        requireNonNull(monitorId, "monitorId is null");
        requireNonNull(windowStart, "windowStart is null");
        requireNonNull(windowEnd, "windowEnd is null");
        anomalies = List.copyOf(anomalies);
        requireNonNull(webhook, "webhook is null");
        requireNonNull(deliveryState, "deliveryState is null");
        requireNonNull(lastError, "lastError is null");
        requireNonNull(deliveredAt, "deliveredAt is null");
        requireNonNull(createTime, "createTime is null");
    }
}
