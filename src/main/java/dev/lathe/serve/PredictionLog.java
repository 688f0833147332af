package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/** One sampled request and its response, as a row of {@code lathe_logs.request_response_logging}. */
record PredictionLog(String endpoint, String deployedModelId, String model, String modelVersion, Instant loggingTime, String requestId,
        String requestPayload, String responsePayload) {
    PredictionLog {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(deployedModelId, "deployedModelId is null");
        requireNonNull(model, "model is null");
        requireNonNull(modelVersion, "modelVersion is null");
        requireNonNull(loggingTime, "loggingTime is null");
        requireNonNull(requestId, "requestId is null");
        requireNonNull(requestPayload, "requestPayload is null");
        requireNonNull(responsePayload, "responsePayload is null");
    }
}
