/**
 * Prediction quality with delayed ground truth: the predictions an endpoint logged to the request-response log are
 * joined on request id (and instance index) with labels that arrive later, and scored per time window with
 * ML.EVALUATE's metrics. {@link dev.lathe.quality.PredictionQuality} is the API that SQL
 * ({@code ML.EVALUATE_PREDICTION_LOG}), REST ({@code :evaluatePredictions}) and monitors call.
 */
package dev.lathe.quality;
