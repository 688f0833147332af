package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import dev.lathe.engine.ModelRuntime;
import dev.lathe.serve.store.DeployedModel;
import dev.lathe.serve.store.Endpoint;
import dev.lathe.server.ServerMetrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An immutable snapshot of one endpoint: its deployed models with their loaded runtimes, metric children and
 * cumulative traffic weights. A change builds a new router and swaps it in; a request keeps the router it
 * started with, so no request sees half a change.
 */
final class TrafficRouter {
    /** One deployed model ready to serve, with the metric children its requests update. */
    record Route(DeployedModel deployed, ModelRuntime runtime, ServerMetrics.Counter.Child ok, ServerMetrics.Histogram.Child latency) {
        Route {
            requireNonNull(deployed, "deployed is null");
            requireNonNull(runtime, "runtime is null");
            requireNonNull(ok, "ok is null");
            requireNonNull(latency, "latency is null");
        }
    }

    private final Endpoint endpoint;
    private final List<Route> all;
    private final Route[] weighted;
    private final int[] cumulative;

    TrafficRouter(Endpoint endpoint, List<Route> routes) {
        this.endpoint = requireNonNull(endpoint, "endpoint is null");
        this.all = List.copyOf(routes);
        List<Route> withTraffic = new ArrayList<>();
        List<Integer> bounds = new ArrayList<>();
        int sum = 0;
        for (Route route : routes) {
            int percent = endpoint.trafficSplit().getOrDefault(route.deployed().id(), 0);
            if (percent > 0) {
                sum += percent;
                withTraffic.add(route);
                bounds.add(sum);
            }
        }
        this.weighted = withTraffic.toArray(Route[]::new);
        this.cumulative = bounds.stream().mapToInt(Integer::intValue).toArray();
    }

    Endpoint endpoint() {
        return endpoint;
    }

    List<Route> routes() {
        return all;
    }

    /** The model for a uniform draw in [0, 100); empty when the split is empty (the endpoint takes no traffic). */
    Optional<Route> pick(int draw) {
        for (int i = 0; i < cumulative.length; i++) {
            if (draw < cumulative[i]) {
                return Optional.of(weighted[i]);
            }
        }
        return Optional.empty();
    }

    Optional<Route> route(String deployedModelId) {
        for (Route route : all) {
            if (route.deployed().id().equals(deployedModelId)) {
                return Optional.of(route);
            }
        }
        return Optional.empty();
    }
}
