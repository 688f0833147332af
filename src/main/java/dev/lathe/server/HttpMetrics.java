package dev.lathe.server;

import java.util.concurrent.ConcurrentHashMap;

/** The server's own HTTP metrics, labelled by route template (never the raw path), method and status. */
final class HttpMetrics {
    /** Route label for requests no route matched, so unknown paths cannot grow the label set. */
    static final String UNMATCHED = "unmatched";

    private final ServerMetrics.Counter requests;
    private final ServerMetrics.Histogram duration;
    private final ServerMetrics.Counter errors;
    final ServerMetrics.Gauge.Child inFlight;

    HttpMetrics(ServerMetrics metrics) {
        requests = metrics.counter("lathe_http_requests_total", "HTTP requests answered, by route template, method and status.",
                "route", "method", "status");
        duration = metrics.histogram("lathe_http_request_duration_seconds", "Time from request start to response, by route template and method.",
                ServerMetrics.LATENCY_BUCKETS, "route", "method");
        errors = metrics.counter("lathe_http_errors_total", "Error responses by route template and reason (a Lathe error code or HTTP status name).",
                "route", "reason");
        inFlight = metrics.gauge("lathe_http_requests_in_flight", "Requests being handled now.").labels();
    }

    RouteMetrics route(String template, String method) {
        return new RouteMetrics(template, method);
    }

    /** Children for one route and method, created once; statuses are few, so they are cached by code. */
    final class RouteMetrics {
        private final String template;
        private final String method;
        private final ServerMetrics.Histogram.Child latency;
        private final ConcurrentHashMap<Integer, ServerMetrics.Counter.Child> byStatus = new ConcurrentHashMap<>();

        RouteMetrics(String template, String method) {
            this.template = template;
            this.method = method;
            this.latency = duration.labels(template, method);
        }

        void record(int status, long startNanos) {
            latency.observeSince(startNanos);
            ServerMetrics.Counter.Child counter = byStatus.get(status);
            if (counter == null) {
                counter = byStatus.computeIfAbsent(status, s -> requests.labels(template, method, Integer.toString(s)));
            }
            counter.inc();
        }

        void error(String reason) {
            errors.labels(template, reason).inc();
        }
    }
}
