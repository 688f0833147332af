/**
 * BOOSTED_TREE_* and RANDOM_FOREST_* model families on XGBoost4J: BigQuery ML's options and defaults,
 * round-by-round training with BigQuery ML's early-stop rule, a versioned model envelope, and
 * ML.FEATURE_IMPORTANCE mapped back to input features.
 */
package dev.lathe.train.boosted;
