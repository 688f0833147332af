package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.engine.Platform;
import dev.lathe.serve.store.DeployedModel;
import dev.lathe.serve.store.Endpoint;
import dev.lathe.serve.store.EndpointStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a monitor over one window: reads each monitored deployed model's logged rows, evaluates its objectives,
 * stores the run (whatever happened: a failure becomes a FAILED run with the error) and raises the window's alert.
 */
final class MonitorRunner {
    private static final Logger LOG = Logger.getLogger(MonitorRunner.class.getName());

    private final Platform platform;
    private final EndpointStore endpoints;
    private final RunStore runs;
    private final Alerter alerter;
    private final Objectives objectives;
    private final Clock clock;

    MonitorRunner(Platform platform, RunStore runs, Alerter alerter, Objectives objectives, Clock clock) {
        this.platform = requireNonNull(platform, "platform is null");
        this.endpoints = new EndpointStore(platform.metadataStore());
        this.runs = requireNonNull(runs, "runs is null");
        this.alerter = requireNonNull(alerter, "alerter is null");
        this.objectives = requireNonNull(objectives, "objectives is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Runs, stores and alerts; answers the stored run. */
    MonitorRun run(Monitor monitor, Instant windowStart, Instant windowEnd, RunTrigger trigger) {
        Instant started = clock.instant();
        MonitorRun run;
        try {
            run = compute(monitor, windowStart, windowEnd, trigger, started);
        } catch (LatheException e) {
            run = failed(monitor, windowStart, windowEnd, trigger, started, e.getMessage());
        } catch (RuntimeException | SQLException | OutOfMemoryError e) {
            LOG.log(Level.WARNING, "Monitor " + monitor.id() + " failed on window [" + windowStart + ", " + windowEnd + ")", e);
            run = failed(monitor, windowStart, windowEnd, trigger, started, "Internal failure: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        MonitorRun stored = runs.save(run);
        try {
            alerter.raise(monitor, stored);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Raising the alert of monitor " + monitor.id() + " run " + stored.id() + " failed", e);
        }
        return stored;
    }

    /** A SKIPPED run covering windows the scheduler will not run (see {@link MonitorScheduler}). */
    MonitorRun skipped(Monitor monitor, Instant windowStart, Instant windowEnd, String note) {
        Instant now = clock.instant();
        return runs.save(new MonitorRun(0, monitor.id(), monitor.spec().endpointId(), windowStart, windowEnd, RunTrigger.SCHEDULE, RunState.SKIPPED,
                0, 0, 0, Map.of(), List.of(note), Optional.empty(), List.of(), now, now));
    }

    private MonitorRun failed(Monitor monitor, Instant windowStart, Instant windowEnd, RunTrigger trigger, Instant started, String error) {
        return new MonitorRun(0, monitor.id(), monitor.spec().endpointId(), windowStart, windowEnd, trigger, RunState.FAILED, 0, 0, 0, Map.of(),
                List.of(), Optional.of(error), List.of(), started, clock.instant());
    }

    private MonitorRun compute(Monitor monitor, Instant windowStart, Instant windowEnd, RunTrigger trigger, Instant started) throws SQLException {
        MonitorSpec spec = monitor.spec();
        Endpoint endpoint = endpoints.get(spec.endpointId()).orElseThrow(() -> new LatheException(ErrorCode.ENDPOINT_NOT_FOUND, "Endpoint '"
                + spec.endpointId() + "' of monitor " + monitor.id() + " no longer exists; delete the monitor or create the endpoint again"));
        List<String> notes = new ArrayList<>();
        if (endpoint.loggingRate() == 0) {
            notes.add("Endpoint '" + endpoint.id() + "' does not log requests (predictRequestResponseLoggingConfig."
                    + (endpoint.loggingEnabled() ? "samplingRate is 0" : "enabled is false") + "), so no new rows reach the prediction log;"
                    + " enable logging to monitor it");
        }
        for (ObjectiveConfig config : spec.objectiveConfigs()) {
            config.deployedModelId().filter(id -> endpoint.deployedModel(id).isEmpty()).ifPresent(id -> notes.add("Deployed model " + id
                    + " named by the monitor is no longer deployed on endpoint '" + endpoint.id() + "'"));
        }
        long rowsRead = 0;
        long rowsSkipped = 0;
        long instances = 0;
        Map<String, Long> reasons = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();
        try (Connection connection = platform.warehouse().connect()) {
            if (!WindowReader.logExists(connection)) {
                notes.add("No request was ever logged: the prediction log lathe_logs.request_response_logging does not exist yet");
            }
            int monitored = 0;
            List<Map.Entry<WindowContext, List<ObjectiveSpec>>> evaluations = new ArrayList<>();
            for (DeployedModel deployed : endpoint.deployedModels()) {
                Optional<List<ObjectiveSpec>> wanted = spec.objectivesFor(deployed.id());
                if (wanted.isEmpty()) {
                    continue;
                }
                monitored++;
                ModelRuntime runtime;
                try {
                    runtime = platform.runtime(deployed.dataset(), deployed.model(), Optional.of(Integer.toString(deployed.version())));
                } catch (LatheException e) {
                    notes.add("Deployed model " + deployed.id() + " (" + deployed.reference() + ") could not be loaded: " + e.getMessage());
                    continue;
                }
                boolean explain = wanted.get().stream().anyMatch(o -> objectives.of(o.type()).needsExplanations());
                int sample = explain ? WindowReader.EXPLAINED_INSTANCES : 0;
                boolean profile = wanted.get().stream().anyMatch(o -> objectives.of(o.type()).needsProfile());
                WindowData window = WindowReader.read(connection, endpoint.id(), deployed, runtime, windowStart, windowEnd, spec.sampleRate(), sample, profile);
                rowsRead += window.rowsRead();
                rowsSkipped += window.rowsSkipped();
                instances += window.instances();
                window.skipReasons().forEach((reason, count) -> reasons.merge(reason, count, Long::sum));
                Instant previousStart = windowStart.minus(java.time.Duration.between(windowStart, windowEnd));
                WindowContext context = new WindowContext(endpoint.id(), deployed, runtime, connection, windowStart, windowEnd, started, window,
                        () -> WindowReader.read(connection, endpoint.id(), deployed, runtime, previousStart, windowStart, spec.sampleRate(), sample, profile));
                evaluations.add(Map.entry(context, wanted.get()));
            }
            // An empty window is one NO_DATA run, not a NO_STUDY_DATA finding per feature; a model without rows in a
            // window where another has some gets its findings, which say NO_STUDY_DATA. Prediction quality still says
            // NO_PREDICTIONS per deployed model: it reads every logged prediction, not the monitor's sample.
            for (Map.Entry<WindowContext, List<ObjectiveSpec>> evaluation : evaluations) {
                for (ObjectiveSpec objective : evaluation.getValue()) {
                    Objective check = objectives.of(objective.type());
                    if (rowsRead > 0 || check.judgesEmptyWindows()) {
                        findings.addAll(check.evaluate(evaluation.getKey(), objective));
                    }
                }
            }
            if (monitored == 0) {
                notes.add("No deployed model of endpoint '" + endpoint.id() + "' is monitored: "
                        + (endpoint.deployedModels().isEmpty() ? "none is deployed" : "the objective configs name none of "
                                + endpoint.deployedModels().stream().map(DeployedModel::id).toList()));
            }
        }
        RunState state = rowsRead == 0 ? RunState.NO_DATA : RunState.SUCCEEDED;
        return new MonitorRun(0, monitor.id(), endpoint.id(), windowStart, windowEnd, trigger, state, rowsRead, rowsSkipped, instances, reasons, notes,
                Optional.empty(), findings, started, clock.instant());
    }
}
