package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.quality.GroundTruth;
import dev.lathe.quality.PredictionQuality;
import dev.lathe.quality.WindowQuality;
import dev.lathe.quality.Windows;
import dev.lathe.serve.store.DeployedModel;
import dev.lathe.serve.store.FieldViolationException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * PREDICTION_QUALITY: the window's logged predictions of a deployed model scored against ground truth by
 * {@link PredictionQuality} (ML.EVALUATE's metrics, the same join as {@code :evaluatePredictions}), one metric compared
 * with its threshold in the direction that metric improves. A window with nothing to judge says so: no predictions,
 * no labels, or labels not due yet (a manual run before window end + labelDelay; the scheduler waits).
 */
final class PredictionQualityObjective implements Objective {
    static final String CONFIG = "predictionQualityConfig";

    private final PredictionQuality quality;

    PredictionQualityObjective(PredictionQuality quality) {
        this.quality = requireNonNull(quality, "quality is null");
    }

    @Override
    public ObjectiveType type() {
        return ObjectiveType.PREDICTION_QUALITY;
    }

    @Override
    public List<String> thresholdNames(ModelRuntime runtime) {
        return List.of();
    }

    @Override
    public boolean needsExplanations() {
        return false;
    }

    @Override
    public boolean needsProfile() {
        return false;
    }

    @Override
    public boolean judgesEmptyWindows() {
        return true;
    }

    @Override
    public void check(ObjectiveSpec spec, ModelRuntime runtime, DeployedModel deployed, String field) {
        PredictionQualityConfig config = spec.quality().orElseThrow();
        String where = field + "." + CONFIG;
        List<String> names;
        try {
            names = PredictionQuality.metricNames(runtime.manifest());
        } catch (LatheException e) {
            throw new FieldViolationException(where, "deployed model " + deployed.id() + " (" + deployed.reference() + "): " + e.getMessage());
        }
        if (!names.contains(config.metric())) {
            throw new FieldViolationException(where + ".metric", "'" + config.metric() + "' is not a metric ML.EVALUATE gives for deployed model "
                    + deployed.id() + " (" + deployed.reference() + ", " + runtime.manifest().modelType() + ")"
                    + Suggestions.withChoices(config.metric(), names, "Its metrics"));
        }
        try {
            quality.checkGroundTruth(config.groundTruth());
        } catch (LatheException e) {
            boolean table = config.groundTruth() instanceof GroundTruth.Table;
            throw new FieldViolationException(where + ".groundTruth" + (table ? ".table" : ".query"), e.getMessage() + (table
                    ? "; create the ground-truth table (it may start empty) before the monitor" : ""));
        }
    }

    @Override
    public List<Finding> evaluate(WindowContext context, ObjectiveSpec spec) {
        PredictionQualityConfig config = spec.quality().orElseThrow();
        String id = context.deployed().id();
        Instant due = context.windowEnd().plus(config.labelDelay());
        if (context.evaluatedAt().isBefore(due)) {
            return List.of(finding(context, config, OptionalDouble.empty(), FindingStatus.LABELS_PENDING, Optional.of("The labels of this window"
                    + " are complete from " + due + " (window end + labelDelay " + config.labelDelay().getSeconds() + "s); the schedule judges it"
                    + " then. Run a window that ended at least labelDelay ago (windowEndTime) to judge it now"), OptionalLong.empty(),
                    OptionalLong.empty()));
        }
        WindowQuality window;
        try {
            window = quality.evaluate(context.connection(), config.spec(context.endpointId(), id), Windows.single(context.windowStart(),
                    context.windowEnd())).windows().getFirst();
        } catch (LatheException e) {
            // A ground truth that is gone or malformed is said on the finding; the other objectives of the run go on.
            return List.of(finding(context, config, OptionalDouble.empty(), FindingStatus.NOT_COMPUTED, Optional.of(e.getMessage()),
                    OptionalLong.empty(), OptionalLong.empty()));
        }
        OptionalLong logged = OptionalLong.of(window.rowsLogged());
        OptionalLong matched = OptionalLong.of(window.rowsMatched());
        return List.of(switch (window.status()) {
            case NO_PREDICTIONS -> finding(context, config, OptionalDouble.empty(), FindingStatus.NO_PREDICTIONS, window.reason(), logged, matched);
            case NO_LABELS -> finding(context, config, OptionalDouble.empty(), FindingStatus.NO_LABELS, window.reason(), logged, matched);
            case OK -> {
                Optional<Double> value = window.metric(config.metric());
                if (value.isEmpty()) {
                    yield finding(context, config, OptionalDouble.empty(), FindingStatus.NOT_COMPUTED, Optional.of("The predictions of "
                            + context.modelName() + " have no metric '" + config.metric() + "'; its metrics are: "
                            + String.join(", ", window.metrics().keySet())), logged, matched);
                }
                if (!Double.isFinite(value.get())) {
                    yield finding(context, config, OptionalDouble.empty(), FindingStatus.NOT_COMPUTED, Optional.of(config.metric() + " is "
                            + value.get() + " over the " + window.rowsMatched() + " labelled predictions of this window (undefined: e.g."
                            + " roc_auc when the labels hold one class, r2_score when they are all equal)"), logged, matched);
                }
                yield finding(context, config, OptionalDouble.of(value.get()), FindingStatus.OK, Optional.empty(), logged, matched);
            }
        });
    }

    private static Finding finding(WindowContext context, PredictionQualityConfig config, OptionalDouble value, FindingStatus status,
            Optional<String> message, OptionalLong logged, OptionalLong matched) {
        Optional<Boolean> anomaly = value.isPresent() ? Optional.of(config.isAnomaly(value.getAsDouble())) : Optional.empty();
        return new Finding(context.deployed().id(), context.modelName(), ObjectiveType.PREDICTION_QUALITY, Optional.empty(),
                Optional.of(config.metric()), value, OptionalDouble.of(config.metricThreshold()), anomaly, status, message, logged, matched);
    }
}
