package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lathe.engine.Platform;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Runs the start-up hooks and tells {@code /readyz} whether they all completed. */
final class Readiness {
    private static final Logger LOG = Logger.getLogger(Readiness.class.getName());

    record Hook(String name, StartupHook hook) {
        Hook {
            requireNonNull(name, "name is null");
            requireNonNull(hook, "hook is null");
        }
    }

    private enum State { PENDING, RUNNING, DONE, FAILED }

    private final List<Hook> hooks;
    private final State[] states;
    private final double[] seconds;
    private final String[] failures;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final ServerMetrics.Gauge hookSeconds;
    private volatile boolean ready;

    Readiness(List<Hook> hooks, ServerMetrics metrics) {
        this.hooks = List.copyOf(hooks);
        this.states = new State[this.hooks.size()];
        this.seconds = new double[this.hooks.size()];
        this.failures = new String[this.hooks.size()];
        java.util.Arrays.fill(states, State.PENDING);
        this.hookSeconds = metrics.gauge("lathe_startup_hook_duration_seconds", "How long each start-up hook took.", "hook");
        metrics.gauge("lathe_ready", "1 once every start-up hook completed, else 0.", () -> ready ? 1 : 0);
    }

    /** Starts the hooks on a daemon thread. */
    void start(Platform platform, Runnable onReady) {
        Thread thread = new Thread(() -> runAll(platform, onReady), "lathe-startup");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs every hook in order. A failed hook keeps the server not ready, but the hooks after it still run: they are
     * independent (one model that cannot be loaded must not stop batch jobs or monitors for every other model).
     */
    private void runAll(Platform platform, Runnable onReady) {
        boolean failed = false;
        try {
            for (int i = 0; i < hooks.size(); i++) {
                Hook hook = hooks.get(i);
                synchronized (this) {
                    states[i] = State.RUNNING;
                }
                long start = System.nanoTime();
                try {
                    hook.hook().run(platform);
                    synchronized (this) {
                        states[i] = State.DONE;
                        seconds[i] = (System.nanoTime() - start) / 1e9;
                    }
                    hookSeconds.labels(hook.name()).set(seconds[i]);
                } catch (Exception | Error e) {
                    LOG.log(Level.SEVERE, "Start-up hook '" + hook.name() + "' failed; the server stays not ready", e);
                    synchronized (this) {
                        states[i] = State.FAILED;
                        failures[i] = e.getClass().getSimpleName() + ": " + e.getMessage();
                    }
                    failed = true;
                }
            }
            if (failed) {
                return;
            }
            ready = true;
            onReady.run();
        } finally {
            finished.countDown();
        }
    }

    boolean ready() {
        return ready;
    }

    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit) && ready;
    }

    /** The {@code /readyz} body: overall status and each hook's state. */
    synchronized ObjectNode describe() {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("status", "STARTING");
        boolean failed = false;
        ArrayNode list = body.putArray("startupHooks");
        for (int i = 0; i < hooks.size(); i++) {
            ObjectNode hook = list.addObject().put("name", hooks.get(i).name()).put("state", states[i].name());
            if (states[i] == State.DONE) {
                hook.put("seconds", seconds[i]);
            }
            Optional.ofNullable(failures[i]).ifPresent(f -> hook.put("error", f));
            failed |= states[i] == State.FAILED;
        }
        body.put("status", ready ? "READY" : failed ? "FAILED" : "STARTING");
        return body;
    }
}
