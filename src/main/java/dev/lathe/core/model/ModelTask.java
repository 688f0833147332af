package dev.lathe.core.model;

/** What a model predicts; decides label handling, metrics and ML.PREDICT's output columns. */
public enum ModelTask {
    REGRESSION,
    CLASSIFICATION,
    CLUSTERING
}
