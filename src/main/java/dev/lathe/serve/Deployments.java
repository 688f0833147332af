package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCategory;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.ModelRuntime;
import dev.lathe.engine.Platform;
import dev.lathe.registry.ModelReference;
import dev.lathe.registry.Page;
import dev.lathe.serve.store.DeployedModel;
import dev.lathe.serve.store.Endpoint;
import dev.lathe.serve.store.EndpointSpec;
import dev.lathe.serve.store.EndpointStore;
import dev.lathe.serve.store.EndpointUpdate;
import dev.lathe.server.ApiException;
import dev.lathe.server.Json;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Endpoints at run time: management calls change the store in one transaction and then swap in a router
 * rebuilt from what was committed; predictions pick a deployed model by the split and run its runtime. The
 * store is the source of truth, so a server replica that did not make a change picks it up on {@link #refresh}.
 */
public final class Deployments implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Deployments.class.getName());
    private final Platform platform;
    private final EndpointStore store;
    private final EndpointMetrics metrics;
    private final PredictionLogger logger;
    private final ConnectionPool connections;
    private final Map<String, TrafficRouter> routers = new ConcurrentHashMap<>();
    private final Set<String> loaded = ConcurrentHashMap.newKeySet();
    private final Object refreshLock = new Object();

    /**
     * How long an endpoint whose deployed models failed to load answers with that failure from memory before a request
     * tries loading them again (a change of its deployment tries at once).
     */
    static final Duration LOAD_RETRY = Duration.ofSeconds(5);

    /**
     * An endpoint's failed load: {@code cause} as thrown, {@code answer} what its requests get, {@code retryAt} (nanoTime)
     * when a request may try again.
     */
    private record LoadFailure(RuntimeException cause, ApiException answer, long retryAt) {
        LoadFailure postponed() {
            return new LoadFailure(cause, answer, System.nanoTime() + LOAD_RETRY.toNanos());
        }
    }

    /**
     * Endpoints without a router because their models failed to load. Their requests are answered from here: each one
     * loaded again, under {@link #refreshLock} (which every deployment change takes), re-reading the artifact and logging
     * a stack trace per request (probe sb F3).
     */
    private final Map<String, LoadFailure> loadFailures = new ConcurrentHashMap<>();

    /** On a replica ({@link Platform#replica()}) sampled rows are shipped to the primary every {@code shipInterval}. */
    /** Every version number of a registry model, oldest first (the OIP metadata of a model lists them all). */
    List<String> versionIds(String dataset, String name) {
        List<String> ids = new java.util.ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            var page = platform.registry().listVersions(dataset, name, 1000, token);
            page.items().forEach(version -> ids.add(Integer.toString(version.version())));
            token = page.nextPageToken();
        } while (token.isPresent());
        return ids;
    }

    Deployments(Platform platform, EndpointMetrics metrics, int logQueueCapacity, Duration shipInterval) {
        this.platform = requireNonNull(platform, "platform is null");
        this.store = new EndpointStore(platform.metadataStore());
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.logger = platform.replica()
                ? new PredictionLogger(platform.warehouse(), logQueueCapacity, metrics,
                        Optional.of(PredictionLogIngester.incoming(platform.dataDirectory())), shipInterval)
                : new PredictionLogger(platform.warehouse(), logQueueCapacity, metrics);
        this.connections = new ConnectionPool(platform.warehouse());
    }

    void start() {
        logger.start();
    }

    public EndpointStore store() {
        return store;
    }

    PredictionLogger logger() {
        return logger;
    }

    // ---------------------------------------------------------------- management

    public Endpoint create(EndpointSpec spec) {
        return refresh(store.create(spec).id());
    }

    public Endpoint get(String id) {
        return store.require(id);
    }

    public Page<Endpoint> list(int pageSize, Optional<String> pageToken) {
        return store.list(pageSize, pageToken);
    }

    public Page<Endpoint> list(int pageSize, Optional<String> pageToken, java.util.function.Predicate<Endpoint> filter) {
        return store.list(pageSize, pageToken, filter);
    }

    /** As {@link #list(int, Optional, java.util.function.Predicate)}, in {@code order} (display_name, create_time, update_time). */
    public Page<Endpoint> list(int pageSize, Optional<String> pageToken, java.util.function.Predicate<Endpoint> filter,
            dev.lathe.registry.OrderBy order) {
        return store.list(pageSize, pageToken, filter, order);
    }

    public void delete(String id) {
        store.delete(id);
        refresh(id);
    }

    /** Deploys a model version (resolved now: an alias names the version it points at today) after loading it. */
    public EndpointStore.Deployment deploy(String endpointId, ModelReference model, Optional<String> displayName,
            Optional<Map<String, Integer>> trafficSplit) {
        store.require(endpointId);
        int version = platform.registry().resolve(model.dataset(), model.name(), model.versionOrAlias());
        try {
            load(model.dataset(), model.name(), version);
        } catch (LatheException e) {
            // deleted meanwhile (a :deleteVersion racing this deploy): its files went first, and reading them failed as an
            // internal error naming a file (probe qd); said as the deleted version it is
            if (platform.registry().getVersion(model.dataset(), model.name(), version).isEmpty()) {
                throw new LatheException(ErrorCode.MODEL_NOT_FOUND, "Model " + model.dataset() + "." + model.name() + " version " + version
                        + " was deleted while it was being deployed; deploy another version", e);
            }
            throw e;
        }
        EndpointStore.Deployment deployment = store.deploy(endpointId, model.dataset(), model.name(), version, displayName, trafficSplit);
        refresh(endpointId);
        return deployment;
    }

    // Each change answers with the endpoint as its own transaction left it: a fresh read after it may already see another
    // request's change (probe O: a committed deploy answered 500 when a concurrent undeploy had taken its model away, a
    // committed update 500 when a concurrent delete had taken the endpoint). The routers are brought in line all the same.

    public Endpoint undeploy(String endpointId, String deployedModelId, Optional<Map<String, Integer>> trafficSplit) {
        Endpoint endpoint = store.undeploy(endpointId, deployedModelId, trafficSplit);
        refresh(endpointId);
        return endpoint;
    }

    public Endpoint update(String endpointId, EndpointUpdate update) {
        Endpoint endpoint = store.update(endpointId, update);
        refresh(endpointId);
        return endpoint;
    }

    /**
     * Loads every endpoint's deployed models (the start-up hook). An endpoint whose models do not load is logged and
     * counted ({@code lathe_model_load_failures_total}) and answers its own requests with the load's error, and its OIP
     * ready route 503, while the server turns ready for the others: one damaged artifact made the whole server unready
     * for good (probe D). A deployment change rebuilds the endpoint's router, loading again.
     */
    public void loadAll() {
        try {
            for (Endpoint endpoint : store.all()) {
                try {
                    refresh(endpoint.id());
                } catch (RuntimeException e) {
                    metrics.modelLoadFailures.labels(endpoint.id()).inc();
                    LOG.log(Level.WARNING, failedLoad(endpoint.id(), e));
                }
            }
        } finally {
            startupLoadDone = true;
        }
    }

    /** Set once {@link #loadAll} ran: before, an endpoint not in memory is still being loaded. */
    private volatile boolean startupLoadDone;

    /** For a server that loads endpoints on first use only: none is ever "still loading". */
    void noStartupLoad() {
        startupLoadDone = true;
    }

    /** Whether the start-up load ({@link #loadAll}) has not finished yet. */
    boolean loading() {
        return !startupLoadDone;
    }

    /**
     * Brings every router in line with the store: endpoints that are new or changed (another etag) are rebuilt, deleted
     * ones dropped. A replica runs this on a schedule, since the changes are made by the primary; an endpoint that
     * fails to load keeps its current router and is retried next time. Returns how many endpoints changed.
     */
    public int refreshAll() {
        Set<String> current = new HashSet<>();
        int changed = 0;
        for (Endpoint endpoint : store.all()) {
            current.add(endpoint.id());
            TrafficRouter router = routers.get(endpoint.id());
            if (router == null || !router.endpoint().etag().equals(endpoint.etag())) {
                LoadFailure before = loadFailures.get(endpoint.id());
                try {
                    refresh(endpoint.id());
                    changed++;
                } catch (RuntimeException e) {
                    metrics.modelLoadFailures.labels(endpoint.id()).inc();
                    // Said once per endpoint and cause, not at every refresh with its stack trace (probe tc F6: one a second
                    // while a deployed version's folder was missing), in words that fit what the endpoint does meanwhile.
                    if (before == null || !String.valueOf(before.cause().getMessage()).equals(String.valueOf(e.getMessage()))) {
                        LOG.log(Level.WARNING, refreshFailed(endpoint.id(), router != null && !router.routes().isEmpty(), e),
                                e instanceof LatheException ? null : e);
                    }
                }
            }
        }
        for (String id : Set.copyOf(routers.keySet())) {
            if (!current.contains(id)) {
                refresh(id);
                changed++;
            }
        }
        return changed;
    }

    /**
     * Rebuilds one endpoint's router from the store and swaps it in (removes it when the endpoint is gone).
     * Serialized, and reading inside the lock, so the last swap always reflects the latest committed state.
     */
    public Endpoint refresh(String endpointId) {
        synchronized (refreshLock) {
            Optional<Endpoint> endpoint = store.get(endpointId);
            if (endpoint.isEmpty()) {
                routers.remove(endpointId);
                loadFailures.remove(endpointId);
                return null;
            }
            List<TrafficRouter.Route> routes = new ArrayList<>();
            for (DeployedModel deployed : endpoint.get().deployedModels()) {
                ModelRuntime runtime;
                try {
                    runtime = load(deployed.dataset(), deployed.model(), deployed.version());
                } catch (RuntimeException e) {
                    remember(endpointId, deployed, e);
                    TrafficRouter current = routers.get(endpointId);
                    if (current != null && current.routes().isEmpty() && loadFailures.containsKey(endpointId)) {
                        // It served no model before this deployment: "keeping" that answered "no model is deployed" while
                        // one is, and left a replica ready (probe tc, a first deployment whose files had not arrived yet).
                        // It answers the load's error instead.
                        routers.remove(endpointId);
                    }
                    throw e;
                }
                routes.add(new TrafficRouter.Route(deployed, runtime, metrics.predictions.labels(endpointId, deployed.id(), "ok"),
                        metrics.latency.labels(endpointId, deployed.id())));
            }
            routers.put(endpointId, new TrafficRouter(endpoint.get(), routes));
            loadFailures.remove(endpointId);
            return endpoint.get();
        }
    }

    /**
     * Keeps a deployed model's load failure for the endpoint's requests ({@link #router}). A metadata store that did not
     * answer is not the model's failure: it is not kept, and the next request tries again.
     */
    private void remember(String endpointId, DeployedModel deployed, RuntimeException failure) {
        ApiException answer;
        if (failure instanceof LatheException e) {
            if (e.category() == ErrorCategory.UNAVAILABLE) {
                return;
            }
            answer = ApiException.of(e);
        } else {
            answer = new ApiException(500, "INTERNAL", "Loading model " + deployed.dataset() + "." + deployed.model() + " version "
                    + deployed.version() + " failed (" + failure + "); the server log has the details", List.of(), "INTERNAL");
        }
        loadFailures.put(endpointId, new LoadFailure(failure, answer, 0).postponed());
    }

    /**
     * A replica's refresh that could not load an endpoint's models: it keeps serving its previous deployment where it had
     * one; one that never loaded answers the error (it had nothing to serve "as before").
     */
    private static String refreshFailed(String endpointId, boolean serving, RuntimeException e) {
        return "Endpoint " + endpointId + (serving ? " changed but its new models did not load; it keeps serving its previous"
                + " deployment" : ": its deployed models have not loaded, so it answers with the error") + " until they do, tried"
                + " again at every refresh (said again only if the error changes): " + e.getMessage();
    }

    private static String failedLoad(String endpointId, RuntimeException e) {
        return "Endpoint " + endpointId + ": its deployed models failed to load, so it answers with the error until they load (tried"
                + " again when its deployment changes, and by a request at most every " + LOAD_RETRY.toSeconds() + " s): " + e.getMessage();
    }

    private ModelRuntime load(String dataset, String model, int version) {
        String key = dataset + "." + model + "@" + version;
        long start = System.nanoTime();
        ModelRuntime runtime = platform.runtime(dataset, model, Optional.of(Integer.toString(version)));
        if (loaded.add(key)) {
            metrics.modelLoad.labels(dataset + "." + model).observeSince(start);
        }
        return runtime;
    }

    // ---------------------------------------------------------------- prediction

    /** The endpoint's current router, built on first use when the start-up hook has not reached it yet. */
    /** The endpoint's router if it is in memory (no metadata lookup). */
    Optional<TrafficRouter> cachedRouter(String endpointId) {
        return Optional.ofNullable(routers.get(endpointId));
    }

    TrafficRouter router(String endpointId) {
        return router(endpointId, false);
    }

    /**
     * As {@link #router(String)} for a prediction request ({@code :predict}, {@code :rawPredict}, {@code :explain}, OIP
     * infer): one answered with the endpoint's load failure is counted in {@code lathe_predictions_total} as an error
     * of no deployed model, as a request refused before a model was chosen is.
     */
    TrafficRouter predictionRouter(String endpointId) {
        return router(endpointId, true);
    }

    /**
     * The endpoint's router; built now when it is not in memory yet. An endpoint whose models failed to load answers with
     * that failure from memory (an {@link ApiException}: not logged per request) until its deployment changes or, at
     * most every {@link #LOAD_RETRY}, one request tries the load again while the others go on answering from memory.
     */
    private TrafficRouter router(String endpointId, boolean prediction) {
        TrafficRouter router = routers.get(endpointId);
        if (router != null) {
            return router;
        }
        LoadFailure failure = loadFailures.get(endpointId);
        if (failure != null && (System.nanoTime() - failure.retryAt() < 0 || !loadFailures.replace(endpointId, failure, failure.postponed()))) {
            throw answer(endpointId, failure, prediction);
        }
        try {
            refresh(endpointId);
        } catch (RuntimeException e) {
            LoadFailure now = loadFailures.get(endpointId);
            if (now == null || now.cause() != e) { // not a load failure (the metadata store did not answer)
                throw e;
            }
            if (failure == null || !String.valueOf(failure.cause().getMessage()).equals(String.valueOf(e.getMessage()))) {
                LOG.log(Level.WARNING, failedLoad(endpointId, e)); // once, not each try: the same failure is said once
            }
            throw answer(endpointId, now, prediction);
        }
        router = routers.get(endpointId);
        if (router == null) {
            store.require(endpointId);
            throw new LatheException(ErrorCode.ENDPOINT_NOT_FOUND, "Endpoint '" + endpointId + "' not found");
        }
        return router;
    }

    /**
     * The endpoints that have nothing to serve because their deployed models failed to load, each with its error, by id.
     * One whose retry is due ({@link #LOAD_RETRY}) is tried again first, as a request would: a server that a load balancer
     * sends no traffic while it is not ready would otherwise never try again. One that keeps serving its previous
     * deployment (a replica's change whose models did not load yet) is not among them.
     */
    java.util.SortedMap<String, String> notLoaded() {
        java.util.SortedMap<String, String> failing = new java.util.TreeMap<>();
        for (String endpointId : List.copyOf(loadFailures.keySet())) {
            if (routers.containsKey(endpointId)) {
                continue;
            }
            try {
                router(endpointId, false);
            } catch (RuntimeException e) {
                // still failing (or gone): what is kept says which
            }
            LoadFailure failure = loadFailures.get(endpointId);
            if (failure != null && !routers.containsKey(endpointId)) {
                failing.put(endpointId, String.valueOf(failure.cause().getMessage()));
            }
        }
        return failing;
    }

    private ApiException answer(String endpointId, LoadFailure failure, boolean prediction) {
        if (prediction) {
            metrics.predictions.labels(endpointId, "", "error").inc();
        }
        return failure.answer();
    }

    /** The deployed model for this request: {@code deployedModelId} when given, else a weighted random pick by the split. */
    TrafficRouter.Route choose(TrafficRouter router, Optional<String> deployedModelId) {
        String endpointId = router.endpoint().id();
        Optional<TrafficRouter.Route> route = deployedModelId.isPresent() ? router.route(deployedModelId.get())
                : router.pick(ThreadLocalRandom.current().nextInt(100));
        if (route.isPresent()) {
            return route.get();
        }
        // Refused before any model was chosen: counted for the endpoint (deployed_model ""), not only as an HTTP 4xx.
        metrics.predictions.labels(endpointId, "", "invalid").inc();
        if (deployedModelId.isPresent()) {
            throw new LatheException(ErrorCode.DEPLOYED_MODEL_NOT_FOUND, "Endpoint '" + endpointId + "' has no deployed model '"
                    + deployedModelId.get() + "'; deployed model ids are " + router.routes().stream().map(r -> r.deployed().id()).toList());
        }
        throw new LatheException(ErrorCode.FAILED_PRECONDITION, "Endpoint '" + endpointId + "' takes no traffic: its traffic split is empty"
                + (router.routes().isEmpty() ? " and no model is deployed; deploy one with a trafficSplit" : "; set one with :update"));
    }

    /**
     * Predicts for {@code instances} on {@code route}, recording latency since {@code startNanos} and the outcome
     * (ok; invalid for a 4xx failure; error otherwise).
     */
    Prediction predict(TrafficRouter router, TrafficRouter.Route route, List<Map<String, Object>> instances, double threshold, long startNanos) {
        return new Prediction(router, route, counted(router, route, startNanos,
                () -> run(route.runtime(), instances, threshold)));
    }

    /**
     * As {@link #predict}, the rows as JSON ({@link ModelRuntime#predictJson}: for most models written without building
     * them), for {@code :predict}'s answer.
     */
    byte[] predictJson(TrafficRouter router, TrafficRouter.Route route, List<Map<String, Object>> instances, double threshold,
            long startNanos) {
        ModelRuntime runtime = route.runtime();
        return counted(router, route, startNanos, () -> withConnection(runtime,
                connection -> runtime.predictJson(instances, threshold, connection, Json::bytes)));
    }

    /** As {@link #predictJson} for one instance given as the values of its runtime's row input ({@link ModelRuntime#predictJsonRow}). */
    byte[] predictJsonRow(TrafficRouter router, TrafficRouter.Route route, Object[] values, double threshold, long startNanos) {
        return counted(router, route, startNanos, () -> route.runtime().predictJsonRow(values, threshold, Json::bytes));
    }

    /** Runs {@code prediction}, counting it as served, or as failed (invalid or error), by {@code route}. */
    private <T> T counted(TrafficRouter router, TrafficRouter.Route route, long startNanos, Supplier<T> prediction) {
        try {
            T result = prediction.get();
            route.ok().inc();
            route.latency().observeSince(startNanos);
            return result;
        } catch (LatheException e) {
            failed(router, route, e.category().httpStatus() < 500);
            throw e;
        } catch (RuntimeException | Error e) {
            failed(router, route, false);
            throw e;
        }
    }

    /** As {@link #predict}, explaining each instance too (Vertex AI's {@code :explain}). */
    List<ModelRuntime.Explained> explain(TrafficRouter router, TrafficRouter.Route route, List<Map<String, Object>> instances,
            double threshold, long startNanos) {
        try {
            List<ModelRuntime.Explained> explained;
            ModelRuntime runtime = route.runtime();
            if (!runtime.needsConnection()) {
                explained = runtime.explain(instances, threshold, null);
            } else {
                Connection connection = connections.borrow();
                try {
                    explained = runtime.explain(instances, threshold, connection);
                } finally {
                    connections.giveBack(connection);
                }
            }
            route.ok().inc();
            route.latency().observeSince(startNanos);
            return explained;
        } catch (LatheException e) {
            failed(router, route, e.category().httpStatus() < 500);
            throw e;
        } catch (RuntimeException | Error e) {
            failed(router, route, false);
            throw e;
        }
    }

    /** Counts a request that failed before or during prediction. */
    /** A request to the endpoint refused before a model was chosen for it (a malformed body): deployed_model "". */
    void refused(TrafficRouter router) {
        metrics.predictions.labels(router.endpoint().id(), "", "invalid").inc();
    }

    void failed(TrafficRouter router, TrafficRouter.Route route, boolean invalid) {
        metrics.predictions.labels(router.endpoint().id(), route.deployed().id(), invalid ? "invalid" : "error").inc();
    }

    /** Runs a runtime outside any endpoint (the OIP v2 route for registry models). */
    List<Map<String, Object>> run(ModelRuntime runtime, List<Map<String, Object>> instances, double threshold) {
        return withConnection(runtime, connection -> runtime.predict(instances, threshold, connection));
    }

    /** {@code call} with a pooled DuckDB connection when the runtime needs one (a TRANSFORM), else with null. */
    private <T> T withConnection(ModelRuntime runtime, Function<Connection, T> call) {
        if (!runtime.needsConnection()) {
            return call.apply(null);
        }
        Connection connection = connections.borrow();
        try {
            return call.apply(connection);
        } finally {
            connections.giveBack(connection);
        }
    }

    /**
     * A registry model's runtime (version or alias; empty = default), for OIP v2 requests that name a model: resolved in the
     * metadata store, and while the store is unavailable the runtime this reference last resolved to, answered from memory
     * (probe tc F2: every such request failed, 503, during an outage, as predictions of endpoints do not).
     */
    ModelRuntime runtime(ModelReference model) {
        String key = model.dataset().toLowerCase(java.util.Locale.ROOT) + "." + model.name() + "@" + model.versionOrAlias().orElse("");
        ModelRuntime runtime;
        try {
            int version = platform.registry().resolve(model.dataset(), model.name(), model.versionOrAlias());
            runtime = load(model.dataset(), model.name(), version);
        } catch (LatheException e) {
            ModelRuntime last = resolved.get(key);
            if (last == null || e.category() != ErrorCategory.UNAVAILABLE) {
                throw e;
            }
            return last;
        }
        resolved.put(key, runtime);
        return runtime;
    }

    /** The runtime each OIP model reference last resolved to ({@link #runtime(ModelReference)}), for an outage of the store. */
    private final Map<String, ModelRuntime> resolved = new ConcurrentHashMap<>();

    /**
     * Samples the request {@code route} of {@code router} answered, and its response, into the prediction log at the
     * endpoint's rate, under {@code requestId}; never blocks or throws.
     */
    void log(TrafficRouter router, TrafficRouter.Route route, String requestId, byte[] request, byte[] response) {
        double rate = router.endpoint().loggingRate();
        if (rate <= 0 || (rate < 1 && ThreadLocalRandom.current().nextDouble() >= rate)) {
            return;
        }
        DeployedModel deployed = route.deployed();
        logger.offer(new PredictionLog(router.endpoint().id(), deployed.id(), deployed.dataset() + "." + deployed.model(),
                Integer.toString(deployed.version()), Instant.now(), requestId,
                new String(request, StandardCharsets.UTF_8), new String(response, StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        logger.close();
        connections.close();
    }
}
