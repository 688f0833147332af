/**
 * Mergeable data profiles (counts, distinct counts, quantile and frequent-item sketches) of training and
 * serving data, and the distances ML.VALIDATE_DATA_SKEW and ML.VALIDATE_DATA_DRIFT compare them with.
 * Profiles from many replicas or days merge into one with the same error bounds.
 */
package dev.lathe.profile;
