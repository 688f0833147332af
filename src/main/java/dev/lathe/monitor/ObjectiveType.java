package dev.lathe.monitor;

/**
 * What a monitor compares, by Vertex AI's objective names. Each has one {@link Objective} in {@link Objectives};
 * adding a kind of check is one constant here, one implementation and its line there.
 */
public enum ObjectiveType {
    /** Logged feature distributions vs the deployed version's training profile. */
    RAW_FEATURE_SKEW,
    /** Logged feature distributions vs those of the previous window. */
    RAW_FEATURE_DRIFT,
    /** Each feature's share of the mean |attribution| in the window vs the training data's (ML.GLOBAL_EXPLAIN). */
    FEATURE_ATTRIBUTION_SKEW,
    /** Each feature's share of the mean |attribution| in the window vs the previous window's. */
    FEATURE_ATTRIBUTION_DRIFT,
    /**
     * One ML.EVALUATE metric of the window's logged predictions scored against ground truth that arrives later
     * ({@link dev.lathe.quality.PredictionQuality}) vs a threshold it must not fall below (or rise above).
     */
    PREDICTION_QUALITY
}
