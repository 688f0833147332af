package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs active monitors on their schedule, in the server process, on its own thread (never a request thread): every
 * {@code tick} it runs each window that has ended (fixed-rate windows whose ends are multiples of the interval since
 * the epoch), oldest first, then moves the monitor's schedule on. After downtime it catches up at most
 * {@link #MAX_CATCH_UP} missed windows per monitor; older missed windows are recorded as one SKIPPED run saying so.
 * A failing run is stored as FAILED and the schedule moves on; nothing a run does reaches serving.
 */
public final class MonitorScheduler implements AutoCloseable {
    /** Missed windows run after downtime, per monitor; the ones before are skipped (and recorded as such). */
    public static final int MAX_CATCH_UP = 24;
    private static final Logger LOG = Logger.getLogger(MonitorScheduler.class.getName());

    private final Monitoring monitoring;
    private final ScheduledExecutorService executor;

    public MonitorScheduler(Monitoring monitoring) {
        this.monitoring = requireNonNull(monitoring, "monitoring is null");
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "lathe-monitor-scheduler");
            thread.setDaemon(true);
            return thread;
        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = pool;
    }

    /** Checks for due windows every {@code tick} (the clock decides what is due). */
    public void start(Duration tick) {
        executor.scheduleWithFixedDelay(() -> {
            try {
                runDue();
            } catch (RuntimeException | Error e) {
                // Catch everything: one bad tick must not end the schedule.
                LOG.log(Level.WARNING, "A monitoring schedule tick failed", e);
            }
        }, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Runs every due window of every active monitor now; answers the runs stored. A window is due once it has ended
     * and, for a monitor of prediction quality, its labelDelay has passed too.
     */
    public List<MonitorRun> runDue() {
        Instant now = monitoring.clock().instant();
        List<MonitorRun> done = new ArrayList<>();
        for (Monitor monitor : monitoring.store().active()) {
            if (!monitor.nextRunTime().isAfter(now)) {
                try {
                    done.addAll(monitoring.locked(monitor.id(), () -> runDue(monitor.id(), now)));
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Monitor " + monitor.id() + " could not run its due windows", e);
                }
            }
        }
        return done;
    }

    private List<MonitorRun> runDue(String id, Instant clockNow) {
        List<MonitorRun> done = new ArrayList<>();
        MonitorStore store = monitoring.store();
        Optional<Monitor> current = store.get(id);
        if (current.isEmpty() || current.get().state() != MonitorState.ACTIVE) {
            return done;
        }
        Monitor monitor = current.get();
        // Windows ending after this cannot have their labels yet: they are not due.
        Instant now = clockNow.minus(monitor.spec().labelDelay());
        Duration interval = monitor.spec().interval();
        Instant next = monitor.nextWindowEnd();
        long due = Duration.between(next, now).getSeconds() / interval.getSeconds() + 1;
        if (due > MAX_CATCH_UP) {
            Instant lastSkipped = next.plus(interval.multipliedBy(due - MAX_CATCH_UP - 1));
            String note = (due - MAX_CATCH_UP) + " window(s) ending from " + next + " to " + lastSkipped + " were missed while the scheduler was not "
                    + "running and are skipped: it catches up at most the last " + MAX_CATCH_UP + " windows. Run one with :run and windowEndTime.";
            done.add(monitoring.runner().skipped(monitor, next.minus(monitor.spec().window()), lastSkipped, note));
            Instant resume = lastSkipped.plus(interval);
            if (!store.advance(id, next, resume)) {
                return done;
            }
            next = resume;
        }
        while (!next.isAfter(now)) {
            monitor = store.get(id).filter(m -> m.state() == MonitorState.ACTIVE).orElse(null);
            if (monitor == null) {
                break;
            }
            done.add(monitoring.runner().run(monitor, next.minus(monitor.spec().window()), next, RunTrigger.SCHEDULE));
            if (!store.advance(id, next, next.plus(interval))) {
                break;
            }
            next = next.plus(interval);
        }
        return done;
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
