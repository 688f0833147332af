package dev.lathe.server;

import dev.lathe.monitor.MonitoringModule;
import java.util.List;

/** The modules {@code lathe server} installs, in order; components add theirs to this list. */
public final class ServerModules {
    private ServerModules() {}

    public static List<ServerModule> standard() {
        return standard(dev.lathe.serve.EndpointsModule.DEFAULT_REPLICA_INTERVAL);
    }

    /** The standard modules, taking in replicas' shipped prediction logs every {@code interval}. */
    public static List<ServerModule> standard(java.time.Duration interval) {
        return with(new MonitoringModule(), new dev.lathe.serve.EndpointsModule(dev.lathe.serve.EndpointsModule.DEFAULT_LOG_QUEUE, interval));
    }

    /**
     * The modules of a server a command starts for one call when none runs: the standard ones, but monitoring without
     * its scheduler, so that a short-lived server never runs (or catches up) monitoring windows behind the user's back,
     * and endpoints without loading every deployed model first (a call loads what it uses).
     */
    public static List<ServerModule> forOneCall() {
        return with(MonitoringModule.withoutScheduler(), dev.lathe.serve.EndpointsModule.forOneCall());
    }

    /**
     * The modules of a serving replica ({@code lathe server --replica}): the registry's and the endpoints' routes, with
     * deployments re-read and the prediction log shipped every {@code interval}; no batch jobs and no monitoring,
     * which are the primary's work.
     */
    public static List<ServerModule> replica(java.time.Duration interval) {
        return List.of(new dev.lathe.serve.ModelsModule(),
                new dev.lathe.serve.EndpointsModule(dev.lathe.serve.EndpointsModule.DEFAULT_LOG_QUEUE, interval), ServerModules::primaryOnly);
    }

    /** The batch job and monitor routes, which a replica does not serve: each answers 403 naming the primary (it was 404). */
    private static void primaryOnly(LatheServer.Builder builder) {
        String jobs = dev.lathe.batch.BatchPredictionModule.COLLECTION;
        String monitors = MonitoringModule.COLLECTION;
        for (String collection : List.of(jobs, monitors)) {
            builder.route("GET", collection, LatheServer.primaryOnly());
            builder.route("POST", collection, LatheServer.primaryOnly());
            builder.route("GET", collection + "/{job}", LatheServer.primaryOnly());
            builder.route("DELETE", collection + "/{job}", LatheServer.primaryOnly());
        }
        builder.route("POST", jobs + "/{job}:cancel", LatheServer.primaryOnly());
        for (String verb : List.of("pause", "resume", "run")) {
            builder.route("POST", monitors + "/{job}:" + verb, LatheServer.primaryOnly());
        }
        for (String below : List.of("/runs", "/runs/{run}", "/alerts")) {
            builder.route("GET", monitors + "/{job}" + below, LatheServer.primaryOnly());
        }
    }

    private static List<ServerModule> with(MonitoringModule monitoring, dev.lathe.serve.EndpointsModule endpoints) {
        return List.of(new dev.lathe.serve.ModelsModule(), endpoints, new dev.lathe.batch.BatchPredictionModule(), monitoring);
    }
}
