/**
 * Endpoint monitoring (Vertex AI's ModelDeploymentMonitoringJob): monitors read windows of the prediction log,
 * profile the logged instances and compare them with the deployed version's training data or the previous window
 * through pluggable {@link dev.lathe.monitor.Objective}s, or score the logged predictions against ground truth that
 * arrives later (PREDICTION_QUALITY, through {@link dev.lathe.quality.PredictionQuality}). Every run is stored in the warehouse; a run with anomalies
 * raises one alert per monitor and window, logged and POSTed to a webhook with retries.
 */
package dev.lathe.monitor;
