package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A stored monitor: its spec, whether it is scheduled, and the end of the next window the scheduler runs
 * ({@code nextWindowEnd}, always a multiple of the interval since the epoch).
 */
public record Monitor(String id, MonitorSpec spec, MonitorState state, Instant nextWindowEnd, Instant createTime, Instant updateTime) {
    public Monitor {
        requireNonNull(id, "id is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(state, "state is null");
        requireNonNull(nextWindowEnd, "nextWindowEnd is null");
        requireNonNull(createTime, "createTime is null");
        requireNonNull(updateTime, "updateTime is null");
    }

    /** When the scheduler runs the next window: once it has ended and the spec's labelDelay has passed. */
    public Instant nextRunTime() {
        return nextWindowEnd.plus(spec.labelDelay());
    }

    /** The first aligned window end at or after {@code time}: windows end at multiples of the interval since the epoch. */
    public static Instant alignedEndAtOrAfter(Instant time, java.time.Duration interval) {
        long seconds = interval.getSeconds();
        long epoch = time.getEpochSecond() + (time.getNano() > 0 ? 1 : 0);
        return Instant.ofEpochSecond(Math.ceilDiv(epoch, seconds) * seconds);
    }
}
