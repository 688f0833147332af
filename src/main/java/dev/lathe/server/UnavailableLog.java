package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The log line of a request that failed because a dependency was unavailable (the metadata store down): at most one a
 * second, with how many such failures it stands for. One line per request was thousands a second once the store's
 * outage made calls fail at once (probe tc F2); the access log and {@code lathe_http_requests_total} still have each.
 */
final class UnavailableLog {
    static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Consumer<String> log;
    private final LongSupplier nanoTime;
    private boolean logged;
    private long lastLogged;
    private long unlogged;

    UnavailableLog(Consumer<String> log, LongSupplier nanoTime) {
        this.log = requireNonNull(log, "log is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
    }

    /** Takes the line of one failed request ({@code METHOD path failed: message}); says it unless one was said this second. */
    void failed(String line) {
        String said = null;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            if (!logged || now - lastLogged >= INTERVAL.toNanos()) {
                said = unlogged == 0 ? line : String.format(Locale.ROOT, "%s (%,d more requests failed as unavailable since the"
                        + " last such line, not logged one by one)", line, unlogged);
                logged = true;
                lastLogged = now;
                unlogged = 0;
            } else {
                unlogged++;
            }
        }
        if (said != null) {
            log.accept(said);
        }
    }
}
