/**
 * BOOSTED_TREE_* and RANDOM_FOREST_* model families on XGBoost4J: BigQuery ML's options and defaults,
 * round-by-round training with BigQuery ML's early-stop rule, a versioned model envelope, and
 * ML.FEATURE_IMPORTANCE mapped back to input features. Trained trees are parsed once into Java arrays
 * that predict ({@link dev.lathe.train.boosted.TreeWalker}) and explain
 * ({@link dev.lathe.train.boosted.TreeShap}) as XGBoost does, without its per-call overhead.
 */
package dev.lathe.train.boosted;
