package dev.lathe.monitor;

import dev.lathe.engine.ModelRuntime;
import dev.lathe.serve.store.DeployedModel;
import java.util.List;

/**
 * One kind of check a monitor runs on each deployed model's window: it computes findings (a value per feature or
 * metric with its threshold and whether it is an anomaly, or a status saying why there is no value). Every finding
 * marked anomalous raises the window's alert, whatever objective made it.
 */
public interface Objective {
    ObjectiveType type();

    /** The names per-feature thresholds may use for this model (checked when a monitor is created). */
    List<String> thresholdNames(ModelRuntime runtime);

    /** Whether {@link #evaluate} explains the window's instances (the reader then keeps a sample of them). */
    boolean needsExplanations();

    /** Whether {@link #evaluate} reads the window's profile (the reader otherwise counts the instances without profiling them). */
    default boolean needsProfile() {
        return true;
    }

    /**
     * Whether {@link #evaluate} runs on a window where the monitor read no logged row; objectives that compare
     * logged instances do not (the run says NO_DATA once), one that must say "no predictions" explicitly does.
     */
    default boolean judgesEmptyWindows() {
        return false;
    }

    /**
     * Checks {@code spec} against a deployed model it will watch when the monitor is created; throws a
     * {@link dev.lathe.serve.store.FieldViolationException} on {@code field} (the objective config's request path).
     */
    default void check(ObjectiveSpec spec, ModelRuntime runtime, DeployedModel deployed, String field) {}

    List<Finding> evaluate(WindowContext context, ObjectiveSpec spec);
}
