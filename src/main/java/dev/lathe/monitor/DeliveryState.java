package dev.lathe.monitor;

/** Where an alert's webhook POST stands. */
public enum DeliveryState {
    /** The monitor has no webhook: the alert is the record and the log line. */
    NOT_CONFIGURED,
    /** Not delivered yet; attempts go on with backoff. */
    PENDING,
    /** A 2xx answer came back. */
    DELIVERED,
    /** Every attempt failed; the last error is recorded. */
    FAILED
}
