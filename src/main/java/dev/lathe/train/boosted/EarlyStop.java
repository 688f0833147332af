package dev.lathe.train.boosted;

import java.util.OptionalDouble;

/**
 * BigQuery ML's EARLY_STOP rule: training stops after the first iteration whose relative loss
 * improvement over the previous iteration is below MIN_REL_PROGRESS. The first iteration has nothing
 * to compare with and never stops training.
 */
final class EarlyStop {
    private final double minRelativeProgress;
    private OptionalDouble previous = OptionalDouble.empty();

    EarlyStop(double minRelativeProgress) {
        this.minRelativeProgress = minRelativeProgress;
    }

    /** Records this iteration's monitored loss and says whether training should stop after it. */
    boolean stopAfter(double loss) {
        OptionalDouble before = previous;
        previous = OptionalDouble.of(loss);
        if (before.isEmpty()) {
            return false;
        }
        return relativeImprovement(before.getAsDouble(), loss) < minRelativeProgress;
    }

    /** A loss already at zero cannot improve, so it counts as no progress. */
    static double relativeImprovement(double before, double after) {
        return before > 0 ? (before - after) / before : 0.0;
    }
}
