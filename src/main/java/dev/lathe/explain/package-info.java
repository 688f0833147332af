/**
 * Feature attributions: exact for models that explain themselves (linear: weight times value; trees:
 * XGBoost's TreeSHAP), Sampled Shapley for any other estimator, always summed back from encoded
 * columns to the input features. ML.EXPLAIN_PREDICT, ML.GLOBAL_EXPLAIN and {@code :explain} use it.
 */
package dev.lathe.explain;
