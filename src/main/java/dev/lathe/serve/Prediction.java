package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/** The answer of one prediction request: which deployed model served it and ML.PREDICT's columns per instance. */
record Prediction(TrafficRouter router, TrafficRouter.Route route, List<Map<String, Object>> rows) {
    Prediction {
        requireNonNull(router, "router is null");
        requireNonNull(route, "route is null");
        rows = List.copyOf(rows);
    }
}
