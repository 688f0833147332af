package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.common.base.Suppliers;
import dev.lathe.server.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Turns a run's anomalies into the window's one alert: a record (none when the window already has one), a WARNING
 * log line, and a JSON POST to the monitor's webhook off the run's thread, retried with exponential backoff. Every
 * attempt's outcome is recorded on the alert; a failing webhook is logged and never fails a run or the scheduler.
 */
final class Alerter implements AutoCloseable {
    static final Logger LOG = Logger.getLogger(Alerter.class.getName());
    /** Alerts name their monitor under this parent, as the CLI's REST calls do. */
    static final String PARENT = "projects/local/locations/local";

    private final MonitorStore store;
    private final WebhookPolicy policy;
    private final Clock clock;
    /**
     * Made on the first delivery: building an {@link HttpClient} initializes the JDK's default TLS context and its
     * selector thread, about 0.4 s of a fresh JVM, which every server start paid in its monitoring hook although
     * most never send a webhook.
     */
    private final Supplier<HttpClient> http;
    private final ScheduledExecutorService executor;

    Alerter(MonitorStore store, WebhookPolicy policy, Clock clock) {
        this.store = requireNonNull(store, "store is null");
        this.policy = requireNonNull(policy, "policy is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.http = Suppliers.memoize(() -> HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(policy.timeout()).build());
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "lathe-monitor-webhooks");
            thread.setDaemon(true);
            return thread;
        });
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.executor = pool;
    }

    /** Raises the alert of {@code run}'s window when the run has anomalies; answers it, or empty (none, or already raised). */
    Optional<Alert> raise(Monitor monitor, MonitorRun run) {
        List<Finding> anomalies = run.anomalies();
        if (anomalies.isEmpty()) {
            return Optional.empty();
        }
        Optional<Alert> alert = store.createAlert(run, anomalies, monitor.spec().webhook());
        if (alert.isEmpty()) {
            LOG.info("Monitor " + monitor.id() + " window [" + run.windowStart() + ", " + run.windowEnd() + ") already has its alert; run "
                    + run.id() + " raises no other");
            return Optional.empty();
        }
        LOG.warning("Monitor " + monitor.id() + " (endpoint " + monitor.spec().endpointId() + ") window [" + run.windowStart() + ", "
                + run.windowEnd() + "): " + anomalies.size() + " anomal" + (anomalies.size() == 1 ? "y" : "ies") + " in run " + run.id() + ": "
                + anomalies.stream().map(Finding::describe).collect(Collectors.joining("; ")) + " (alert " + alert.get().id() + ")");
        if (alert.get().webhook().isPresent()) {
            schedule(monitor, alert.get(), 1, 0);
        }
        return alert;
    }

    /** Goes on delivering the alerts a previous process left PENDING. */
    void resumePending(java.util.function.Function<String, Optional<Monitor>> monitors) {
        for (Alert alert : store.pendingDeliveries()) {
            monitors.apply(alert.monitorId()).ifPresent(monitor -> schedule(monitor, alert, alert.deliveryAttempts() + 1, 0));
        }
    }

    private void schedule(Monitor monitor, Alert alert, int attempt, long delayMillis) {
        try {
            executor.schedule(() -> attempt(monitor, alert, attempt), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.info("Alert " + alert.id() + " webhook attempt " + attempt + " not scheduled: the server is stopping (it resumes at the next start)");
        }
    }

    private void attempt(Monitor monitor, Alert alert, int attempt) {
        URI uri = alert.webhook().orElseThrow();
        String error;
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(policy.timeout()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body(monitor, alert)))).build();
            HttpResponse<String> response = http.get().send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                store.recordDelivery(alert.id(), DeliveryState.DELIVERED, attempt, Optional.empty(), Optional.of(clock.instant()));
                return;
            }
            String text = response.body() == null ? "" : response.body().strip();
            error = "HTTP " + response.statusCode() + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) + "..." : text));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (Exception e) {
            error = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }
        try {
            if (attempt < policy.maxAttempts()) {
                store.recordDelivery(alert.id(), DeliveryState.PENDING, attempt, Optional.of(error), Optional.empty());
                LOG.warning("Alert " + alert.id() + " webhook POST to " + uri + " failed (attempt " + attempt + " of " + policy.maxAttempts() + "): "
                        + error + "; retrying in " + policy.backoffAfter(attempt).toMillis() + " ms");
                schedule(monitor, alert, attempt + 1, policy.backoffAfter(attempt).toMillis());
            } else {
                // Logged before FAILED is stored, so whoever reads the FAILED state finds the line already written.
                LOG.warning("Alert " + alert.id() + " webhook POST to " + uri + " failed " + attempt + " times; giving up. Last error: " + error);
                store.recordDelivery(alert.id(), DeliveryState.FAILED, attempt, Optional.of(error), Optional.empty());
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Recording the webhook delivery of alert " + alert.id() + " failed", e);
        }
    }

    /** The webhook body: the alert resource and the monitor it belongs to. */
    static ObjectNode body(Monitor monitor, Alert alert) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.putObject("modelDeploymentMonitoringJob").put("name", PARENT + "/modelDeploymentMonitoringJobs/" + monitor.id())
                .put("displayName", monitor.spec().displayName()).put("endpoint", PARENT + "/endpoints/" + monitor.spec().endpointId());
        body.set("alert", MonitorJson.alert(alert, PARENT));
        return body;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
