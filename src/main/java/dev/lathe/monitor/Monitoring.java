package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.engine.Platform;
import dev.lathe.serve.store.DeployedModel;
import dev.lathe.serve.store.Endpoint;
import dev.lathe.serve.store.EndpointSpec;
import dev.lathe.serve.store.EndpointStore;
import dev.lathe.serve.store.FieldViolationException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Endpoint monitoring of one platform: monitors (checked against the endpoint and its deployed models when
 * created), their runs, alerts and webhook deliveries. Runs of one monitor never overlap: the scheduler, {@link #runNow}
 * and {@link #delete} take the monitor's lock. Time comes from the {@link Clock}, so tests move it instead of sleeping.
 */
public final class Monitoring implements AutoCloseable {
    private final Platform platform;
    private final EndpointStore endpoints;
    private final MonitorStore store;
    private final RunStore runs;
    private final Alerter alerter;
    private final Objectives objectives;
    private final MonitorRunner runner;
    private final Clock clock;
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();

    private Monitoring(Platform platform, Clock clock, WebhookPolicy policy) {
        this.platform = platform;
        this.clock = clock;
        this.endpoints = new EndpointStore(platform.metadataStore());
        this.store = new MonitorStore(platform.metadataStore(), clock);
        this.runs = new RunStore(platform.warehouse());
        this.alerter = new Alerter(store, policy, clock);
        this.objectives = Objectives.standard(platform.predictionQuality());
        this.runner = new MonitorRunner(platform, runs, alerter, objectives, clock);
    }

    /** Creates the warehouse tables of runs when missing and goes on delivering webhooks a previous process left pending. */
    public static Monitoring open(Platform platform, Clock clock, WebhookPolicy policy) {
        requireNonNull(platform, "platform is null");
        requireNonNull(clock, "clock is null");
        requireNonNull(policy, "policy is null");
        Monitoring monitoring = new Monitoring(platform, clock, policy);
        monitoring.runs.initialize();
        monitoring.alerter.resumePending(monitoring.store::get);
        return monitoring;
    }

    Clock clock() {
        return clock;
    }

    MonitorStore store() {
        return store;
    }

    MonitorRunner runner() {
        return runner;
    }

    // ---- monitors ------------------------------------------------------------------------------------

    /**
     * Creates a monitor after checking that its endpoint exists, that the deployed models it names are deployed there,
     * and that every per-feature threshold names a feature of the deployed models it covers; {@code id} defaults to a
     * random 10-digit number, as Vertex AI's job ids.
     */
    public Monitor create(Optional<String> id, MonitorSpec spec) {
        requireNonNull(spec, "spec is null");
        String chosen = id.orElseGet(() -> Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 10_000_000_000L)));
        if (!EndpointSpec.ID.matcher(chosen).matches()) {
            throw new FieldViolationException("modelDeploymentMonitoringJobId", "must be 1 to 63 lower-case letters, digits and hyphens starting "
                    + "with a letter or digit, got '" + chosen + "'");
        }
        check(spec);
        return store.create(chosen, spec);
    }

    private void check(MonitorSpec spec) {
        Endpoint endpoint = endpoints.get(spec.endpointId()).orElseThrow(() -> new FieldViolationException("endpoint", "endpoint '" + spec.endpointId()
                + "' does not exist" + Suggestions.withChoices(spec.endpointId(), endpoints.all().stream().map(Endpoint::id).toList(), "Endpoints")));
        List<String> deployedIds = endpoint.deployedModels().stream().map(DeployedModel::id).toList();
        for (int i = 0; i < spec.objectiveConfigs().size(); i++) {
            ObjectiveConfig config = spec.objectiveConfigs().get(i);
            int index = i;
            List<DeployedModel> covered = new ArrayList<>();
            if (config.deployedModelId().isPresent()) {
                String wanted = config.deployedModelId().get();
                covered.add(endpoint.deployedModel(wanted).orElseThrow(() -> new FieldViolationException("modelDeploymentMonitoringObjectiveConfigs["
                        + index + "].deployedModelId", "deployed model '" + wanted + "' is not deployed on endpoint '" + endpoint.id()
                        + "'; deployed model ids there are " + deployedIds)));
            } else {
                endpoint.deployedModels().stream().filter(d -> spec.objectiveConfigs().stream()
                        .noneMatch(c -> c.deployedModelId().equals(Optional.of(d.id())))).forEach(covered::add);
            }
            for (DeployedModel deployed : covered) {
                ModelRuntime runtime = platform.runtime(deployed.dataset(), deployed.model(), Optional.of(Integer.toString(deployed.version())));
                for (ObjectiveSpec objective : config.objectives()) {
                    objectives.of(objective.type()).check(objective, runtime, deployed, MonitorJson.objectiveConfigField(i));
                    List<String> names = objectives.of(objective.type()).thresholdNames(runtime);
                    for (String feature : objective.thresholds().keySet()) {
                        if (names.stream().noneMatch(n -> n.equalsIgnoreCase(feature))) {
                            throw new FieldViolationException(MonitorJson.thresholdsField(MonitorJson.objectiveConfigField(i), objective.type()) + "."
                                    + feature, "'" + feature + "' is not a feature " + objective.type() + " compares for deployed model " + deployed.id()
                                    + " (" + deployed.reference() + ")" + Suggestions.withChoices(feature, names, "Its features"));
                        }
                    }
                }
            }
        }
    }

    public Monitor get(String id) {
        return store.require(id);
    }

    /** Monitors in id order after {@code after}, at most {@code limit}. */
    public List<Monitor> list(int limit, String after) {
        return store.list(limit, after);
    }

    public Monitor pause(String id) {
        return store.setState(id, MonitorState.PAUSED);
    }

    /** Resumes the schedule at the next interval boundary (windows passed while paused are not run). */
    public Monitor resume(String id) {
        return store.setState(id, MonitorState.ACTIVE);
    }

    /**
     * Deletes the monitor, its alerts and its runs; waits for a run in progress to end first. The runs are deleted in
     * a warehouse transaction that commits only once the metadata store has deleted the monitor, so a failure on
     * either side leaves the monitor and its runs as they were.
     */
    public void delete(String id) {
        locked(id, () -> {
            runs.delete(id, () -> store.delete(id));
            return null;
        });
        locks.remove(id);
    }

    // ---- runs ----------------------------------------------------------------------------------------

    /**
     * Runs a monitor now (paused ones too) over the window that ends at {@code windowEnd} (default: now, to the
     * microsecond the log stores, so that a prediction logged a moment ago is in it; whole seconds dropped what was
     * logged in the current one) and lasts the monitor's window; a second run of the same window stores another run but
     * no second alert.
     */
    public MonitorRun runNow(String id, Optional<Instant> windowEnd) {
        Monitor monitor = store.require(id);
        Instant end = windowEnd.orElseGet(() -> clock.instant().truncatedTo(ChronoUnit.MICROS));
        return locked(id, () -> runner.run(store.require(id), end.minus(monitor.spec().window()), end, RunTrigger.MANUAL));
    }

    public List<MonitorRun> runs(String id, int limit, long offset) {
        store.require(id);
        return runs.list(id, limit, offset);
    }

    public MonitorRun run(String id, long runId) {
        store.require(id);
        return runs.get(id, runId).orElseThrow(() -> new LatheException(ErrorCode.TABLE_NOT_FOUND, "Monitor '" + id + "' has no run " + runId
                + "; list its runs with GET .../modelDeploymentMonitoringJobs/" + id + "/runs or `lathe monitors runs " + id + "`"));
    }

    /** Alerts newest first, of one monitor or (empty) of all. */
    public List<Alert> alerts(Optional<String> id, int limit, long offset) {
        id.ifPresent(store::require);
        return store.alerts(id, limit, offset);
    }

    /** Runs {@code work} holding the monitor's lock, so that runs of one monitor never overlap. */
    <T> T locked(String id, Supplier<T> work) {
        ReentrantLock lock = locks.computeIfAbsent(id, key -> new ReentrantLock());
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Stops webhook deliveries (pending ones resume at the next {@link #open}). */
    @Override
    public void close() {
        alerter.close();
    }
}
