package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.FileDescriptors;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Connections the server could not accept because the process had no file descriptor left: counted in
 * {@code lathe_http_accept_failures_total} and said in one line at most once a minute, with the limit, the connections
 * open and what to do. Jetty logged "Accept Failure" with a 10-line stack trace about once a second and named neither
 * (probe ta F7). Open connections are served meanwhile; new ones wait in the listen queue until a descriptor is free.
 */
final class AcceptFailures {
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final Consumer<String> log;
    private final LongSupplier nanoTime;
    private final Runnable counted;
    private boolean logged;
    private long lastLogged;
    private long unlogged;

    AcceptFailures(Consumer<String> log, LongSupplier nanoTime, Runnable counted) {
        this.log = requireNonNull(log, "log is null");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.counted = requireNonNull(counted, "counted is null");
    }

    AcceptFailures(ServerMetrics metrics, Consumer<String> log) {
        this(log, System::nanoTime, metrics.counter("lathe_http_accept_failures_total",
                "Connections not accepted at once because the process had no file descriptor left (ulimit -n).").labels()::inc);
    }

    /**
     * Takes a failure of the connector's accept: true, counted and maybe said, when it was for want of file descriptors;
     * false for any other (Jetty's own handling applies).
     */
    boolean record(Throwable failure) {
        if (!FileDescriptors.exhausted(failure)) {
            return false;
        }
        counted.run();
        String line = null;
        synchronized (this) {
            unlogged++;
            long now = nanoTime.getAsLong();
            if (!logged || now - lastLogged >= INTERVAL.toNanos()) {
                line = String.format(Locale.ROOT, "New connections are not being accepted: there is no file descriptor left (%s);"
                        + " open connections are still served, new ones wait until a descriptor is free. %s (%,d failed accepts since"
                        + " the last such line; lathe_http_accept_failures_total counts them)", failure.getMessage(),
                        capitalized(FileDescriptors.advice()), unlogged);
                logged = true;
                lastLogged = now;
                unlogged = 0;
            }
        }
        if (line != null) {
            log.accept(line);
        }
        return true;
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
