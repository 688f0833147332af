package dev.lathe.train.boosted;

/** The two ways BigQuery ML grows XGBoost trees. */
enum Ensemble {
    /** MAX_ITERATIONS boosting rounds, each adding NUM_PARALLEL_TREE trees scaled by LEARN_RATE. */
    BOOSTED_TREE,
    /** One round of NUM_PARALLEL_TREE bagged trees with learning rate 1 (XGBoost's random forest mode). */
    RANDOM_FOREST
}
