package dev.lathe.monitor;

/** Whether a finding has a value, and if not, why (never a silent 0). */
public enum FindingStatus {
    /** Both sides had data; value and is_anomaly are set. */
    OK,
    /** The window has no values of the feature (no usable logged instances, or all null). */
    NO_STUDY_DATA,
    /** The baseline (training data, previous window) has no values of the feature. */
    NO_BASELINE_DATA,
    /** The deployed version has no baseline at all (no training profile, no global explanation); message says why. */
    NO_BASELINE,
    /** The objective could not be computed for this deployed model (e.g. a clustering model has no attributions). */
    NOT_COMPUTED,
    /** PREDICTION_QUALITY: no prediction of the deployed model was logged in the window. */
    NO_PREDICTIONS,
    /** PREDICTION_QUALITY: predictions were logged, but the ground truth has a label for none of them. */
    NO_LABELS,
    /** PREDICTION_QUALITY: the window ended less than labelDelay ago, so its labels cannot all have arrived (manual runs only). */
    LABELS_PENDING
}
