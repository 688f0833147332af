package dev.lathe.serve;

import dev.lathe.server.ServerMetrics;

/** The serving metrics, registered once on the server's registry; routers keep the children they use. */
final class EndpointMetrics {
    private static final double[] LOAD_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120};

    final ServerMetrics.Counter predictions;
    final ServerMetrics.Histogram latency;
    final ServerMetrics.Histogram modelLoad;
    final ServerMetrics.Counter modelLoadFailures;
    final ServerMetrics.Counter logDropped;
    final ServerMetrics.Counter logWritten;
    final ServerMetrics.Counter logFailed;
    final ServerMetrics.Counter logShipped;
    final ServerMetrics.Counter logShipFailures;
    final ServerMetrics.Counter logIngested;
    final ServerMetrics.Counter replicaRefreshes;
    final ServerMetrics.Gauge replicaLastRefresh;

    EndpointMetrics(ServerMetrics metrics) {
        predictions = metrics.counter("lathe_predictions_total", "Prediction requests by endpoint, deployed model and outcome (ok, invalid, error).",
                "endpoint", "deployed_model", "status");
        latency = metrics.histogram("lathe_prediction_latency_seconds", "Time to predict one request, parsing to response, by endpoint and deployed model.",
                ServerMetrics.LATENCY_BUCKETS, "endpoint", "deployed_model");
        modelLoad = metrics.histogram("lathe_model_load_seconds", "Time to load a model version for serving.", LOAD_BUCKETS, "model");
        modelLoadFailures = metrics.counter("lathe_model_load_failures_total",
                "Endpoints whose deployed models failed to load for serving (at start-up or on a replica's refresh), by endpoint.", "endpoint");
        logDropped = metrics.counter("lathe_prediction_log_dropped_total", "Sampled request-response log rows dropped because the log queue was full.",
                "endpoint");
        logWritten = metrics.counter("lathe_prediction_log_written_total", "Request-response log rows written to the warehouse.", "endpoint");
        logFailed = metrics.counter("lathe_prediction_log_failed_total", "Request-response log rows lost to a failed warehouse write.", "endpoint");
        logShipped = metrics.counter("lathe_prediction_log_shipped_total", "Replica: log rows shipped to the primary as Parquet files.");
        logShipFailures = metrics.counter("lathe_prediction_log_ship_failures_total",
                "Replica: failed ships of the log (the rows wait for the next one).");
        logIngested = metrics.counter("lathe_prediction_log_ingested_total", "Primary: log rows taken in from replicas' shipped files.");
        replicaRefreshes = metrics.counter("lathe_replica_refreshes_total",
                "Replica: reads of the deployments from the metadata store, by result (ok, failed).", "result");
        replicaLastRefresh = metrics.gauge("lathe_replica_last_refresh_timestamp_seconds",
                "Replica: Unix time of the last successful read of the deployments (0 before the first).");
    }
}
