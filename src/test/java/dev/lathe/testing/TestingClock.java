package dev.lathe.testing;

import static java.util.Objects.requireNonNull;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/** A clock that stands still until a test moves it; thread-safe, so a scheduler thread may read it. */
public final class TestingClock extends Clock {
    private final AtomicReference<Instant> now;

    public TestingClock(Instant start) {
        this.now = new AtomicReference<>(requireNonNull(start, "start is null"));
    }

    public void set(Instant instant) {
        now.set(requireNonNull(instant, "instant is null"));
    }

    public void advance(Duration duration) {
        now.updateAndGet(t -> t.plus(duration));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a TestingClock is always UTC");
    }
}
