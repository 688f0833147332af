/**
 * BigQuery ML's automatic preprocessing (spec section 2): a {@link dev.lathe.features.FeaturePipeline} fitted on the
 * training features imputes, standardizes and encodes columns into the dense matrix estimators see, and applies exactly
 * the frozen training statistics at prediction. {@link dev.lathe.features.Labels} validates and indexes label columns.
 */
package dev.lathe.features;
