package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How alert webhooks are delivered: at most {@code maxAttempts} POSTs, each waiting up to {@code timeout}; after a
 * failed attempt n the next comes {@code initialBackoff * 2^(n-1)} later, never more than {@code maxBackoff}.
 */
public record WebhookPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration timeout) {
    /** 5 attempts over about 15 s (1, 2, 4, 8 s apart), 10 s each. */
    public static final WebhookPolicy DEFAULT = new WebhookPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(1), Duration.ofSeconds(10));

    public WebhookPolicy {
        requireNonNull(initialBackoff, "initialBackoff is null");
        requireNonNull(maxBackoff, "maxBackoff is null");
        requireNonNull(timeout, "timeout is null");
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
        }
    }

    /** The wait after failed attempt {@code attempt} (1-based). */
    public Duration backoffAfter(int attempt) {
        Duration delay = initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 30));
        return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
    }
}
