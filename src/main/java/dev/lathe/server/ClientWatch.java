package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Watches the connection of a request being answered, and runs an action once its client has closed it: Jetty does not
 * read a connection while its request is handled, so a client killed (kill -9) while a long statement ran on the server
 * went unnoticed, and the statement ran to its end (probe wops 2). Closed before the answer is written, after which the
 * action never runs.
 */
public final class ClientWatch implements AutoCloseable {
    /** A watch that never runs its action: a request without a connection of its own (a test's). */
    static final ClientWatch NONE = new ClientWatch();
    /** How often the connection is looked at: a gone client's statement stops within about this long. */
    static final Duration PERIOD = Duration.ofMillis(200);

    private final EndPoint endPoint;
    private final Scheduler scheduler;
    private final Runnable action;
    private boolean closed;
    private Scheduler.Task next;

    private ClientWatch() {
        this.endPoint = null;
        this.scheduler = null;
        this.action = () -> {};
        this.closed = true;
    }

    private ClientWatch(EndPoint endPoint, Scheduler scheduler, Runnable action) {
        this.endPoint = requireNonNull(endPoint, "endPoint is null");
        this.scheduler = requireNonNull(scheduler, "scheduler is null");
        this.action = requireNonNull(action, "action is null");
    }

    /** Starts watching {@code endPoint}; {@code action} runs (on {@code scheduler}'s thread) when its client is gone. */
    static ClientWatch start(EndPoint endPoint, Scheduler scheduler, Runnable action) {
        ClientWatch watch = new ClientWatch(endPoint, scheduler, action);
        synchronized (watch) {
            watch.schedule();
        }
        return watch;
    }

    private void schedule() {
        next = scheduler.schedule(this::check, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized void check() {
        if (closed) {
            return;
        }
        boolean gone = endPoint instanceof DrainAwareEndPoint socket ? socket.peerClosed() : !endPoint.isOpen();
        if (gone) {
            closed = true;
            action.run(); // under the lock: close() returns only once it has run, so it never reaches what comes after
        } else {
            schedule();
        }
    }

    /** Stops watching; once it returns, the action does not run (if it was running, it has ended). */
    @Override
    public synchronized void close() {
        closed = true;
        if (next != null) {
            next.cancel();
        }
    }
}
