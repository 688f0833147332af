package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.lathe.core.ErrorCategory;
import dev.lathe.core.LatheException;
import dev.lathe.core.OutOfMemory;
import dev.lathe.engine.Platform;
import dev.lathe.metadata.MetadataStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The Lathe HTTP server on Jetty 12's core handler API (no servlets): a route table, JSON errors, metrics,
 * access log, readiness gated by start-up hooks, graceful drain on stop, and the discovery file.
 *
 * <p>Built-in routes: {@code POST /v1/queries}, {@code GET /healthz}, {@code GET /readyz},
 * {@code GET /metrics}. Other components add theirs with {@link Builder#route}.
 */
public final class LatheServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LatheServer.class.getName());
    /** The lines of requests that failed because a dependency was unavailable: one a second ({@link UnavailableLog}). */
    private static final UnavailableLog UNAVAILABLE_LOG = new UnavailableLog(LOG::warning, System::nanoTime);
    /** Jetty's start/stop lines repeat what the server prints itself; its warnings and errors still show. */
    private static final Logger JETTY_LOG = Logger.getLogger("org.eclipse.jetty");

    /**
     * Jetty's thread pool queue pads its slots to this many references per cache line, and when it is not set Jetty
     * asks the platform MBean server whether object references are compressed: that starts JMX (and the JFR diagnostic
     * commands it registers), about 0.2 s of every server start. 16 is Jetty's own answer with compressed references
     * (heaps under 32 GB, the launcher's -Xmx8g) and pads twice as much without them, never less; a value set on the
     * command line is kept.
     */
    private static final String JETTY_REFERENCES_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";

    static {
        JETTY_LOG.setLevel(Level.WARNING);
        if (System.getProperty(JETTY_REFERENCES_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFERENCES_PER_CACHE_LINE, "16");
        }
    }
    private static final byte[] EMPTY = new byte[0];
    private static final Set<String> STANDARD_METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");
    /** What a POST's {@code X-HTTP-Method-Override} may turn it into. */
    private static final Set<String> OVERRIDABLE_METHODS = Set.of("PUT", "PATCH", "DELETE");

    private final Platform platform;
    private final ServerConfig config;
    private final ServerMetrics metrics;
    private final HttpMetrics http;
    private final Router router;
    private final Readiness readiness;
    private final SessionPool sessions;
    /** The query jobs: a stop waits for the ones still running after their request answered. */
    private final QueryService queries;
    private final AccessLog accessLog;
    private final Consumer<String> log;
    private final List<Runnable> stopHooks;
    private final boolean discoverable;
    private final Server jetty;
    private final ServerConnector connector;
    private final AcceptFailures acceptFailures;
    /** How long the connector waits after an accept failed for want of descriptors (Jetty waits 1 s after any failure). */
    private static final java.time.Duration ACCEPT_RETRY = java.time.Duration.ofMillis(200);
    private final QueuedThreadPool threads;
    private final AsyncBody.Rate bodyRate;
    /** The heap request bodies may hold at once past their first 64 KiB each: a quarter of the heap (at least 64 MB). */
    private final AsyncBody.Budget bodyBudget;
    private final Map<String, HttpMetrics.RouteMetrics> unmatched = new ConcurrentHashMap<>();
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final long pid = ProcessHandle.current().pid();
    private final Instant startedAt = Instant.now();

    /** Starts a server with the built-in routes only. */
    public static LatheServer start(Platform platform, ServerConfig config) {
        return builder(platform, config).start();
    }

    public static Builder builder(Platform platform, ServerConfig config) {
        return new Builder(platform, config);
    }

    /** Collects routes, start-up hooks and metrics before the server starts. */
    public static final class Builder {
        private final Platform platform;
        private final ServerConfig config;
        private final ServerMetrics metrics = new ServerMetrics();
        private final List<Object[]> routes = new ArrayList<>();
        private final List<Readiness.Hook> hooks = new ArrayList<>();
        private final List<Runnable> stopHooks = new ArrayList<>();
        private Consumer<String> accessLog = System.out::println;
        private Consumer<String> log = System.out::println;
        private volatile LatheServer started;
        private boolean discoverable = true;
        private AsyncBody.Rate bodyRate = AsyncBody.Rate.DEFAULT;

        private Builder(Platform platform, ServerConfig config) {
            this.platform = requireNonNull(platform, "platform is null");
            this.config = requireNonNull(config, "config is null");
        }

        public Platform platform() {
            return platform;
        }

        public ServerConfig config() {
            return config;
        }

        /** The registry {@code /metrics} exposes; register counters and histograms here or on {@link LatheServer#metrics()}. */
        public ServerMetrics metrics() {
            return metrics;
        }

        /**
         * Adds a route. {@code template} is a path whose segments may hold one {@code {variable}} with a literal
         * prefix or suffix, e.g. {@code /v1/endpoints/{endpoint}:predict}; the template (not the path) labels metrics.
         */
        public Builder route(String method, String template, RouteHandler handler) {
            return add(method, template, handler, false);
        }

        /**
         * Adds a route whose handler answers from memory without waiting on I/O or locks (a prediction from a loaded
         * model): it runs on the network thread that read the request, saving the hand-over to a request thread. A
         * handler that finds it must block after all (a cold cache, a model that predicts through DuckDB) calls
         * {@link ApiRequest#requireRequestThread()} before doing anything, and runs again on a request thread.
         */
        public Builder nonBlockingRoute(String method, String template, RouteHandler handler) {
            return add(method, template, handler, true);
        }

        private Builder add(String method, String template, RouteHandler handler, boolean nonBlocking) {
            requireNonNull(method, "method is null");
            requireNonNull(handler, "handler is null");
            Router.parse(template);
            routes.add(new Object[] {method.toUpperCase(java.util.Locale.ROOT), template, handler, nonBlocking});
            return this;
        }

        /** Adds work that must finish before {@code /readyz} reports ready (run in order, after the server listens). */
        public Builder startupHook(String name, StartupHook hook) {
            hooks.add(new Readiness.Hook(name, hook));
            return this;
        }

        /** Adds work to run on stop, after in-flight requests drained (e.g. flushing a log queue); run in reverse order. */
        public Builder onStop(Runnable hook) {
            stopHooks.add(requireNonNull(hook, "hook is null"));
            return this;
        }

        /** Where access-log lines go when {@link ServerConfig#accessLog()} is on (default standard output). */
        public Builder accessLog(Consumer<String> sink) {
            this.accessLog = requireNonNull(sink, "sink is null");
            return this;
        }

        /** Where start-up and shutdown lines go (default standard output). */
        public Builder log(Consumer<String> sink) {
            this.log = requireNonNull(sink, "sink is null");
            return this;
        }

        /**
         * Whether the server writes {@code server.json} for other commands to find (default true). A command's own
         * short-lived server (one {@code lathe endpoints list}) does not: others would go to it, or a starting
         * {@code lathe server} would take it for a running one.
         */
        public Builder discoverable(boolean value) {
            this.discoverable = value;
            return this;
        }

        /**
         * How fast a request body must arrive: within {@code grace} of its headers, plus 1 s for every {@code bytesPerSecond}
         * bytes received, else 408 (default 20 s and 500 bytes a second; tests shorten it).
         */
        Builder bodyRate(java.time.Duration grace, long bytesPerSecond) {
            if (grace.isNegative() || bytesPerSecond < 1) {
                throw new IllegalArgumentException("grace must not be negative and bytesPerSecond must be at least 1");
            }
            this.bodyRate = new AsyncBody.Rate(grace.toNanos(), bytesPerSecond);
            return this;
        }

        /** The heap request bodies may hold at once past their first 64 KiB each (default: a quarter of the heap, at least 64 MB). */
        Builder bodyBudget(long bytes) {
            if (bytes < 1) {
                throw new IllegalArgumentException("bytes must be at least 1, got " + bytes);
            }
            this.bodyBudget = bytes;
            return this;
        }

        private long bodyBudget = Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4);

        /** Whether the server this builder started has completed every start-up hook (false before {@link #start}). */
        public boolean readyNow() {
            LatheServer server = started;
            return server != null && server.ready();
        }

        public LatheServer start() {
            if (!platform.replica()) {
                // a store it cannot write: refused here in one line, not a server that never became ready (probe sg)
                platform.metadataStore().requireWritable();
            }
            warnOfFewDescriptors(config.maxThreads()); // and the limit is read now: it is named when descriptors run out
            LatheServer server = new LatheServer(this);
            started = server;
            server.startJetty();
            return server;
        }
    }

    /**
     * Warns at start when fewer than 4 file descriptors per request thread are left for connections (probe ta F7: a server
     * under {@code ulimit -n 128} held 62 at start and stopped accepting under load, saying nothing of the limit).
     */
    static void warnOfFewDescriptors(int maxThreads) {
        java.util.OptionalLong limit = dev.lathe.core.FileDescriptors.limit();
        java.util.OptionalLong open = dev.lathe.core.FileDescriptors.open();
        if (limit.isPresent() && open.isPresent() && limit.getAsLong() - open.getAsLong() < 4L * maxThreads) {
            LOG.warning(String.format(Locale.ROOT, "Only %,d more files and connections can be open: the process may have %,d open"
                    + " (ulimit -n) and has %,d at start, fewer than 4 for each of the %,d request threads (--threads); past that, new"
                    + " connections wait unaccepted. Raise the limit, e.g. ulimit -n 65536 in the shell that starts the server",
                    limit.getAsLong() - open.getAsLong(), limit.getAsLong(), open.getAsLong(), maxThreads));
        }
    }

    private LatheServer(Builder builder) {
        this.platform = builder.platform;
        this.config = builder.config;
        this.metrics = builder.metrics;
        this.http = new HttpMetrics(metrics);
        this.accessLog = builder.config.accessLog() ? new AccessLog(builder.accessLog, AccessLog.CAPACITY, metrics) : null;
        this.log = builder.log;
        this.stopHooks = List.copyOf(builder.stopHooks);
        this.discoverable = builder.discoverable;
        this.bodyRate = builder.bodyRate;
        this.bodyBudget = new AsyncBody.Budget(builder.bodyBudget);
        this.sessions = new SessionPool(platform, line -> {});
        this.readiness = new Readiness(builder.hooks, metrics);
        this.router = new Router();
        String version = Optional.ofNullable(LatheServer.class.getPackage().getImplementationVersion()).orElse("development");
        metrics.gauge("lathe_build_info", "Lathe version, metadata schema and HTTP API versions, as the labels of a constant 1.", "version",
                "metadata_schema", "api").labels(version, Integer.toString(dev.lathe.engine.Version.metadataSchema()),
                Integer.toString(dev.lathe.engine.Version.API)).set(1);
        if (platform.metadataStore().poolState().isPresent()) { // PostgreSQL: its connection pool, read at each scrape
            poolGauge("active", "Metadata store connections in a transaction now.", MetadataStore.PoolState::active);
            poolGauge("idle", "Metadata store connections open and idle now.", MetadataStore.PoolState::idle);
            poolGauge("pending", "Threads waiting for a metadata store connection now.", MetadataStore.PoolState::waiting);
            poolGauge("max", "The most metadata store connections the pool opens.", MetadataStore.PoolState::maximum);
        }
        router.add(new Router.Route("GET", "/healthz", request -> ApiResponse.text(200, "ok"), http, true));
        router.add(new Router.Route("GET", "/readyz", request -> ApiResponse.json(readiness.ready() ? 200 : 503, readiness.describe()), http,
                true));
        router.add(new Router.Route("GET", "/metrics", request -> new ApiResponse(200, "text/plain; version=0.0.4; charset=utf-8",
                metrics.scrape().getBytes(StandardCharsets.UTF_8)), http));
        boolean replica = platform.replica();
        QueryResults results = new QueryResults(platform.dataDirectory().resolve("query-results"));
        queries = new QueryService(sessions, results, config.maxThreads());
        router.add(new Router.Route("POST", "/v1/queries", replica ? refusedOnReplica() : queries, http));
        router.add(new Router.Route("POST", "/v1/queries/{requestId}/cancel", replica ? refusedOnReplica()
                : request -> queries.cancel(request.pathParam("requestId")), http));
        router.add(new Router.Route("GET", "/v1/queries/{jobId}", replica ? refusedOnReplica() : request -> {
            // jobs.getQueryResults' parameters; location is taken and has nothing to do (the warehouse is in one place)
            QueryParameters parameters = new QueryParameters(request.queryString(), java.util.Set.of("pageToken", "maxResults",
                    "formatOptions.useInt64Timestamp", "timeoutMs", "location"));
            long timeoutMs = parameters.integer("timeoutMs", QueryService.DEFAULT_TIMEOUT_MS, 0, 0xFFFF_FFFFL);
            if (parameters.get("pageToken").isEmpty()) { // the job's first page, once it has ended: waits up to timeoutMs
                return queries.results(request.pathParam("jobId"), timeoutMs, parameters.integer("maxResults", Long.MAX_VALUE, 0,
                        Integer.MAX_VALUE));
            }
            String token = parameters.get("pageToken").orElseThrow();
            java.util.Optional<Boolean> int64Timestamps = parameters.get("formatOptions.useInt64Timestamp").map(value -> switch (value) {
                case "true" -> true;
                case "false" -> false;
                default -> throw ApiException.badField("formatOptions.useInt64Timestamp", "must be true or false, got '" + value + "'");
            });
            return ApiResponse.jsonBytes(200, results.page(request.pathParam("jobId"), token,
                    parameters.integer("maxResults", Long.MAX_VALUE, 1, Integer.MAX_VALUE), int64Timestamps));
        }, http));
        for (Object[] route : builder.routes) {
            String method = (String) route[0];
            String template = (String) route[1];
            boolean refused = replica && !servesOnReplica(method, template);
            RouteHandler handler = refused ? refusedOnReplica() : (RouteHandler) route[2];
            router.add(new Router.Route(method, template, handler, http, !refused && (Boolean) route[3]));
        }

        acceptFailures = new AcceptFailures(metrics, LOG::warning);
        threads = new QueuedThreadPool(config.maxThreads(), Math.min(8, config.maxThreads()));
        threads.setName("lathe-http");
        jetty = new Server(threads);
        HttpConfiguration httpConfig = new HttpConfiguration();
        httpConfig.setSendServerVersion(false);
        httpConfig.setSendXPoweredBy(false);
        // One selector (network thread) per core, at least two: non-blocking routes run on them, so with Jetty's default
        // of one selector per two cores a 2-core server would answer predictions on one core.
        connector = new ServerConnector(jetty, -1, Math.max(2, Runtime.getRuntime().availableProcessors()),
                new HttpConnectionFactory(httpConfig)) {
            /** Out of descriptors: one line a minute and a count, not Jetty's stack trace every second (probe ta F7). */
            @Override
            protected boolean handleAcceptFailure(Throwable failure) {
                if (!isRunning() || !acceptFailures.record(failure)) {
                    return super.handleAcceptFailure(failure);
                }
                try {
                    Thread.sleep(ACCEPT_RETRY.toMillis()); // as Jetty does, not to spin; a freed descriptor is taken this soon
                    return true;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }

            /**
             * Jetty's graceful stop gives every connection a 1 s idle timeout, the idle keep-alive ones to close them soon;
             * but a request whose body was still arriving then failed its read after a 1 s pause in the upload, answered
             * 400 (not retryable) although the stop promises in-flight requests are finished (probe sb). Connections with
             * a request in flight keep their idle timeout; the drain's own limit still bounds them.
             */
            @Override
            public java.util.concurrent.CompletableFuture<Void> shutdown() {
                java.util.concurrent.CompletableFuture<Void> done = super.shutdown();
                for (org.eclipse.jetty.io.EndPoint endPoint : getConnectedEndPoints()) {
                    if (endPoint.getConnection() instanceof org.eclipse.jetty.server.internal.HttpConnection http
                            && http.getHttpChannel().getRequest() != null) {
                        endPoint.setIdleTimeout(getIdleTimeout());
                    }
                }
                return done;
            }

            @Override
            protected SocketChannelEndPoint newEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key) {
                DrainAwareEndPoint endPoint = new DrainAwareEndPoint(channel, selector, key, getScheduler());
                endPoint.setIdleTimeout(getIdleTimeout());
                return endPoint;
            }
        };
        connector.setHost(config.host());
        connector.setPort(config.port());
        jetty.addConnector(connector);
        jetty.setHandler(new GracefulHandler(new Dispatcher()));
        jetty.setErrorHandler(new JsonErrorHandler());
        jetty.setStopTimeout(config.drainTimeout().toMillis());
        jetty.setStopAtShutdown(false);
    }

    /**
     * What a replica ({@link Platform#replica()}) answers: reads, and the prediction calls that change nothing (Vertex
     * {@code :predict}, {@code :rawPredict}, {@code :explain}; the Open Inference Protocol's {@code /v2/.../infer}).
     */
    public static boolean servesOnReplica(String method, String template) {
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        return method.equals("POST") && (template.endsWith(":predict") || template.endsWith(":rawPredict")
                || template.endsWith(":explain") || (template.startsWith("/v2/") && template.endsWith("/infer")));
    }

    /**
     * A route of the primary only, all of whose methods a replica refuses, reads included (batch jobs and monitors live in
     * the primary's warehouse and scheduler): 403 naming the primary, not "No route".
     */
    public static RouteHandler primaryOnly() {
        return refusedOnReplica();
    }

    /** An access log line's time, to the millisecond as server.md shows it (Instant's own text had nanoseconds). */
    private static final java.time.format.DateTimeFormatter ACCESS_TIME = java.time.format.DateTimeFormatter
            .ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(java.time.ZoneOffset.UTC);

    private static RouteHandler refusedOnReplica() {
        return request -> {
            throw new ApiException(403, "PERMISSION_DENIED", "This server is a serving replica (lathe server --replica): it answers"
                    + " predictions and reads only. Send " + request.method() + " " + request.path() + " to the primary server of its"
                    + " data directory, which owns the warehouse and applies changes", List.of(), "REPLICA_READ_ONLY");
        };
    }

    private void startJetty() {
        try {
            jetty.start();
        } catch (Exception e) {
            sessions.close();
            if (accessLog != null) {
                accessLog.close();
            }
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // The start failure is what the user needs to see.
            }
            throw new LatheException(dev.lathe.core.ErrorCode.INVALID_ARGUMENT, "Cannot listen on %s:%d: %s; choose another --port or --host"
                    .formatted(config.host(), config.port(), e.getMessage()), e);
        }
        if (!platform.replica() && discoverable) { // the CLI's statements go to the primary, never to a replica
            ServerDiscovery.write(platform.dataDirectory(), info());
        }
        log.accept("Lathe " + (platform.replica() ? "replica" : "server") + " listening on " + info().baseUri() + " ("
                + config.withPort(port()).describe() + ", data directory " + platform.dataDirectory().toAbsolutePath() + ")");
        readiness.start(platform, () -> log.accept("Lathe " + (platform.replica() ? "replica" : "server") + " ready"));
    }

    public ServerInfo info() {
        return new ServerInfo(pid, config.host(), port(), startedAt.toString(), Optional.ofNullable(
                LatheServer.class.getPackage().getImplementationVersion()).orElse("development"),
                platform.dataDirectory().toAbsolutePath().normalize().toString(), dev.lathe.engine.Version.API,
                dev.lathe.engine.Version.metadataSchema());
    }

    /** The bound port (the chosen one when the config asked for 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public ServerMetrics metrics() {
        return metrics;
    }

    /** {@code lathe_metadata_connections_<name>}: {@code read} of the metadata store's pool at each scrape, 0 once it is closed. */
    private void poolGauge(String name, String help, java.util.function.ToIntFunction<MetadataStore.PoolState> read) {
        MetadataStore store = platform.metadataStore();
        metrics.gauge("lathe_metadata_connections_" + name, help, () -> store.poolState().map(read::applyAsInt).orElse(0));
    }

    /** Socket reads the open connections skipped because the last one had emptied the socket ({@link DrainAwareEndPoint}). */
    long skippedReads() {
        return connector.getConnectedEndPoints().stream()
                .mapToLong(endPoint -> endPoint instanceof DrainAwareEndPoint drainAware ? drainAware.skippedReads() : 0)
                .sum();
    }

    public ServerConfig config() {
        return config;
    }

    public boolean ready() {
        return readiness.ready();
    }

    /** Waits until the start-up hooks completed; false when the time passed or a hook failed. */
    public boolean awaitReady(long timeout, TimeUnit unit) throws InterruptedException {
        return readiness.await(timeout, unit);
    }

    /**
     * Stops accepting connections, waits up to the drain timeout for in-flight requests, then closes the
     * engine sessions and removes the discovery file. The {@link Platform} stays open: its owner closes it.
     */
    public void stop() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        // The stop's lines are written by a thread of their own, waited for only up to STOP_LOG_WAIT: written here, to a
        // standard output nobody reads (a stuck log collector), the stop blocked on it for good, still serving, before
        // draining anything (probe sb F4).
        AccessLog stopLog = new AccessLog(log, 16, () -> {}, "lathe-stop-log");
        stopLog.add("Lathe server stopping: draining in-flight requests (up to " + config.drainTimeout().toMillis() / 1000.0 + " s)");
        long drainEnd = System.nanoTime() + config.drainTimeout().toNanos();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Stopping the HTTP server did not complete cleanly", e);
        } finally {
            // the queries whose request answered jobComplete: false run on with no request for the drain to wait for: they
            // get what is left of it, then are cancelled, each named in the stop's log
            queries.drain(drainEnd).forEach(stopLog::add);
            for (int i = stopHooks.size() - 1; i >= 0; i--) {
                try {
                    stopHooks.get(i).run();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "A stop hook failed", e);
                }
            }
            sessions.close();
            if (accessLog != null) {
                accessLog.close(ACCESS_LOG_CLOSE.toMillis());
            }
            if (!platform.replica()) {
                ServerDiscovery.remove(platform.dataDirectory(), pid);
            }
        }
        stopLog.add("Lathe server stopped");
        stopLog.close(STOP_LOG_WAIT.toMillis());
    }

    /** How long a stop waits for the access log's waiting lines to be written. */
    static final java.time.Duration ACCESS_LOG_CLOSE = java.time.Duration.ofSeconds(5);

    /** How long a stop waits for its own lines to be written, after everything else is done. */
    static final java.time.Duration STOP_LOG_WAIT = java.time.Duration.ofSeconds(2);

    /** Request-body bytes the budget holds now (for tests). */
    long bodyBytesHeld() {
        return bodyBudget.held();
    }

    /** Blocks until the server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        stop();
    }

    private HttpMetrics.RouteMetrics unmatched(String method) {
        String label = STANDARD_METHODS.contains(method) ? method : "_OTHER";
        return unmatched.computeIfAbsent(label, m -> http.route(HttpMetrics.UNMATCHED, m));
    }

    /**
     * The Content-Type fields of the usual answers, encoded once: Jetty copies a pre-encoded field's bytes instead of
     * checking its value character by character on every response.
     */
    private static final Map<String, HttpField> CONTENT_TYPES = Map.of(
            ApiResponse.JSON, new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, ApiResponse.JSON),
            ApiResponse.TEXT, new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, ApiResponse.TEXT));

    /** Bodies up to this size are read without blocking for a non-blocking route; larger ones go to a request thread. */
    private static final int NON_BLOCKING_BODY_BYTES = 64 * 1024;

    /**
     * Of a connection's requests to non-blocking routes, every {@code INLINE_TURN}-th is answered on a request thread.
     * Answered inline, a keep-alive connection whose client sends its next request before the answer's write returns is
     * read and answered again at once, and again, while the other connections of its selector wait: under load (wrk, 64
     * connections, 2 cores) :predict's p90 was 25-39 ms and its p99 61-106 ms while the handler took under 5 ms for 99.99
     * % of requests. A request handed to a request thread ends the turn (the connection is read again only after that
     * answer): one in 32 gave p90 12-13 ms and p99 24-26 ms at the same throughput (24.5-25.0k req/s against 21.2-25.8k);
     * one in 8, p99 19-21 ms but 10 % fewer requests. Since {@link DrainAwareEndPoint} a connection whose last read
     * emptied its socket goes back to the selector after each answer instead (2026-12-06, eighth session: closed-loop p99
     * 6.8-7.8 ms with or without turns); the turn still bounds one whose reads keep filling the buffer (a pipelining
     * client).
     */
    static final int INLINE_TURN = 32;
    private static final String INLINE_COUNT = "dev.lathe.server.inlineCount";

    /** Where a handler's body comes from: already read ({@link AsyncBody}), or why it could not be. */
    @FunctionalInterface
    private interface BodySource {
        byte[] read() throws IOException;
    }

    /** One request as {@link Dispatcher#handle} found it: what the thread that answers it needs. */
    private record Exchange(Request request, Response response, Callback callback, long start, String method, String path,
            Object found) {}

    /** Whether the request has no body: no Content-Length (or 0) and no Transfer-Encoding. */
    private static boolean bodyless(Request request, long length) {
        return length == 0 || (length < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING));
    }

    /**
     * The one Jetty handler: route, read the body, run the handler, write the answer, record metrics. It never blocks
     * the network thread that calls it: a route added with {@link Builder#nonBlockingRoute} whose body is small and has
     * a length runs right there (its body read asynchronously), every other request is handed to the request threads.
     */
    private final class Dispatcher extends Handler.Abstract.NonBlocking {
        /** The 413 of a body without a Content-Length that grows past the limit. */
        private final java.util.function.Function<String, ApiException> overLimit = this::tooLarge;

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            long start = System.nanoTime();
            http.inFlight.inc();
            String method = effectiveMethod(request);
            String path = request.getHttpURI().getDecodedPath();
            Exchange exchange = new Exchange(request, response, callback, start, method, path, router.find(method, path));
            // a compressed body is inflated on a request thread, not the network thread
            if (exchange.found() instanceof Router.Match match && match.route().nonBlocking && inlineTurn(request)
                    && !request.getHeaders().contains(HttpHeader.CONTENT_ENCODING)) {
                long length = request.getLength();
                if (bodyless(request, length)) {
                    answer(exchange, () -> EMPTY, true, null);
                    return true;
                }
                if (length > 0 && length <= Math.min(NON_BLOCKING_BODY_BYTES, config.maxRequestBytes())) {
                    // read as any body is, held to the same rate (a small body that trickles is a 408 too), answered right here
                    AsyncBody.read(request, length, bodyRate, connector.getScheduler(), start, overLimit, bodyBudget, (body, failure) -> answer(
                            exchange, failure == null ? () -> body : failed(failure), true, null));
                    return true;
                }
            }
            if (exchange.found() instanceof Router.Match) {
                readThenAnswer(exchange);
            } else {
                onRequestThread(exchange, () -> EMPTY, null); // 404 or 405: answered without the body
            }
            return true;
        }

        /**
         * Reads the body as it arrives, taking no thread while it does ({@link AsyncBody}), then answers on a request
         * thread; a body that cannot be had (over the limit, too slow, cut off) is answered at once, on the thread that
         * found it, as its answer does not block.
         */
        private void readThenAnswer(Exchange exchange) {
            Request request = exchange.request();
            long limit = config.maxRequestBytes();
            long length = request.getLength();
            if (length > limit) {
                ApiException tooLarge = tooLarge(length + " bytes (Content-Length)");
                if (length > AsyncBody.DISCARD_BYTES) { // not worth reading: the client may see a reset, which costs nothing
                    answer(exchange, failed(tooLarge), false, null);
                } else {
                    AsyncBody.discard(request, bodyRate, connector.getScheduler(), exchange.start(), tooLarge,
                            (body, failure) -> answer(exchange, failed(tooLarge), false, null));
                }
                return;
            }
            if (bodyless(request, length)) {
                onRequestThread(exchange, () -> EMPTY, null);
                return;
            }
            AsyncBody.read(request, limit, bodyRate, connector.getScheduler(), exchange.start(), overLimit, bodyBudget, (body, failure) -> {
                if (failure == null) {
                    onRequestThread(exchange, () -> body, null);
                } else {
                    answer(exchange, failed(failure), false, null);
                }
            });
        }

        /** A body source that fails as the reading did: an {@link IOException} (the client's, or the drain's end), or a 408 or 413. */
        private static BodySource failed(Exception failure) {
            return () -> {
                if (failure instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) failure;
            };
        }

        /**
         * The request's method, or for a POST the PATCH, PUT or DELETE its {@code X-HTTP-Method-Override} header names
         * (as Google's REST APIs accept it, for clients that cannot send PATCH: {@link LocalHttp}). Any other value
         * leaves the POST a POST.
         */
        private static String effectiveMethod(Request request) {
            String method = request.getMethod();
            if (!"POST".equals(method)) {
                return method;
            }
            String override = request.getHeaders().get(LocalHttp.METHOD_OVERRIDE);
            if (override == null) {
                return method;
            }
            String named = override.strip().toUpperCase(Locale.ROOT);
            return OVERRIDABLE_METHODS.contains(named) ? named : method;
        }

        /** Whether this request of its connection may run inline: all but every {@link LatheServer#INLINE_TURN}-th. */
        private static boolean inlineTurn(Request request) {
            // One request at a time per HTTP/1.1 connection, and Jetty orders one request's threads after the last's.
            ConnectionMetaData connection = request.getConnectionMetaData();
            int[] count = (int[]) connection.getAttribute(INLINE_COUNT);
            if (count == null) {
                count = new int[1];
                connection.setAttribute(INLINE_COUNT, count);
            }
            if (++count[0] < INLINE_TURN) {
                return true;
            }
            count[0] = 0;
            return false;
        }

        /** Answers on a request thread; {@code carried}: what the handler chose on the network thread ({@link ApiRequest#carry}). */
        private void onRequestThread(Exchange exchange, BodySource body, Object carried) {
            try {
                threads.execute(() -> answer(exchange, body, false, carried));
            } catch (RejectedExecutionException e) { // the server is stopping: the connection is closed, never left hanging
                http.inFlight.dec();
                exchange.callback().failed(e);
            }
        }

        private void answer(Exchange exchange, BodySource bodySource, boolean networkThread, Object carried) {
            Request request = exchange.request();
            Response response = exchange.response();
            String method = exchange.method();
            String path = exchange.path();
            Object found = exchange.found();
            HttpMetrics.RouteMetrics routeMetrics = null;
            ApiResponse answer;
            try {
                if (found instanceof Router.Match match) {
                    routeMetrics = match.route().metrics(method);
                    byte[] body = decoded(request, response, readOrReject(bodySource, response));
                    ApiRequest apiRequest = new ApiRequest(method, path, request.getHttpURI().getQuery(), match.params(),
                            name -> request.getHeaders().get(name), body, networkThread, carried,
                            action -> ClientWatch.start(request.getConnectionMetaData().getConnection().getEndPoint(), connector.getScheduler(), action));
                    try {
                        answer = match.route().handler.handle(apiRequest);
                    } catch (ApiRequest.RequestThreadRequired e) {
                        onRequestThread(exchange, () -> body, apiRequest.carried());
                        return;
                    }
                } else {
                    routeMetrics = unmatched(method);
                    Router.Miss miss = (Router.Miss) found;
                    if (miss.pathKnown()) {
                        response.getHeaders().put(HttpHeader.ALLOW, String.join(", ", miss.allowed()));
                        // status UNIMPLEMENTED, the google.rpc.Code gRPC-gateway gives a 405: every error's status is one of those
                        // codes, and METHOD_NOT_ALLOWED is none (probe re)
                        throw new ApiException(405, "UNIMPLEMENTED", "Method " + method + " is not allowed on " + path + "; allowed: "
                                + String.join(", ", miss.allowed()), List.of(), "METHOD_NOT_ALLOWED");
                    }
                    throw new ApiException(404, "NOT_FOUND", "No route for " + method + " " + path, List.of(), "NOT_FOUND");
                }
            } catch (ApiException e) {
                answer = error(path, e);
                routeMetrics.error(e.reason());
            } catch (LatheException e) {
                ApiException api = ApiException.of(e);
                if (e.category() == ErrorCategory.UNAVAILABLE) { // a dependency down: a line a second, not a stack trace each
                    UNAVAILABLE_LOG.failed(method + " " + path + " failed: " + e.getMessage());
                } else if (api.httpStatus() >= 500) {
                    LOG.log(Level.SEVERE, method + " " + path + " failed", e);
                }
                answer = error(path, api);
                routeMetrics.error(api.reason());
            } catch (Exception | Error e) {
                Optional<OutOfMemoryError> outOfMemory = OutOfMemory.in(e);
                ApiException api;
                if (outOfMemory.isPresent()) { // 429 RESOURCE_EXHAUSTED naming the heap and how to raise it (probe ta F3: a bare 500)
                    LatheException exhausted = OutOfMemory.exhausted(outOfMemory.get(), OutOfMemory.Process.SERVER);
                    LOG.log(Level.SEVERE, method + " " + path + " failed: " + exhausted.getMessage(), e);
                    api = ApiException.of(exhausted);
                } else {
                    LOG.log(Level.SEVERE, method + " " + path + " failed with an unexpected error", e);
                    api = new ApiException(500, "INTERNAL", "Internal error (" + e.getClass().getSimpleName()
                            + "); the server log has the details", List.of(), "INTERNAL");
                }
                answer = error(path, api);
                if (routeMetrics == null) {
                    routeMetrics = unmatched(method);
                }
                routeMetrics.error(api.reason());
            }
            response.setStatus(answer.status());
            HttpField contentType = CONTENT_TYPES.get(answer.contentType());
            if (contentType != null) {
                response.getHeaders().put(contentType);
            } else {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, answer.contentType());
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, answer.body().length);
            for (Map.Entry<String, String> header : answer.headers().entrySet()) {
                response.getHeaders().put(header.getKey(), header.getValue());
            }
            // HEAD: GET's status and headers, its Content-Length included, without the content (RFC 9110, 9.3.2)
            boolean head = method.equals("HEAD");
            response.write(true, head ? ByteBuffer.wrap(EMPTY) : ByteBuffer.wrap(answer.body()), exchange.callback());
            routeMetrics.record(answer.status(), exchange.start());
            http.inFlight.dec();
            logAccess(method, path, answer.status(), head ? 0 : answer.body().length, exchange.start());
        }

        /**
         * The body, JSON as its Content-Type says, with its Content-Encoding undone ({@link RequestBodies}); an unsupported
         * type or coding lists the accepted ones.
         */
        private byte[] decoded(Request request, Response response, byte[] body) {
            if (body.length == 0) {
                return body;
            }
            try {
                RequestBodies.requireJson(request.getHeaders().get(HttpHeader.CONTENT_TYPE), request.getHeaders().contains(
                        "Inference-Header-Content-Length"));
            } catch (ApiException e) {
                String method = request.getMethod();
                if ("POST".equals(method) || "PATCH".equals(method)) {
                    response.getHeaders().put("POST".equals(method) ? "Accept-Post" : "Accept-Patch", ApiResponse.JSON);
                }
                throw e;
            }
            if (!request.getHeaders().contains(HttpHeader.CONTENT_ENCODING)) {
                return body;
            }
            try {
                return RequestBodies.decode(request.getHeaders().getCSV(HttpHeader.CONTENT_ENCODING, false), body, config.maxRequestBytes());
            } catch (ApiException e) {
                if (e.httpStatus() == 415) {
                    response.getHeaders().put(HttpHeader.ACCEPT_ENCODING, RequestBodies.ACCEPTED);
                }
                throw e;
            }
        }

        /**
         * The body, or a 400 where it could not be read: a client that closed its connection before sending the length
         * it announced is the client's failure, not the server's (no 500, no error in the log).
         */
        private byte[] readOrReject(BodySource source, Response response) {
            try {
                return source.read();
            } catch (IOException e) {
                if (jetty.isStopping()) {
                    // the drain ended (or the connection was cut) before the body arrived: the client may send it again
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
                    throw new ApiException(503, "UNAVAILABLE", "The server is stopping and the request's body did not arrive"
                            + " before its drain ended; send the request again (to another replica, or once the server is back)",
                            List.of(), dev.lathe.core.ErrorCode.SERVER_UNAVAILABLE.name());
                }
                throw ApiException.badField("body", "must be the Content-Length's bytes; reading it failed ("
                        + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage())
                        + "), as when the client closes the connection before sending all of it");
            }
        }

        private ApiException tooLarge(String size) {
            return new ApiException(413, "RESOURCE_EXHAUSTED", "The request body is " + size + "; the limit is " + config.maxRequestBytes()
                    + " bytes (ServerConfig.maxRequestBytes, --max-request-bytes)",
                    List.of(new ApiException.FieldViolation("body", "at most " + config.maxRequestBytes() + " bytes")), "PAYLOAD_TOO_LARGE");
        }
    }

    /**
     * The error answer for {@code path}: the Open Inference Protocol's {@code {"error": "<message>"}} under {@code /v2}
     * (its routes' own errors already have that shape; this covers the server's: an oversized body, a wrong method),
     * Google's error object elsewhere.
     */
    static ApiResponse error(String path, ApiException e) {
        if (!path.equals("/v2") && !path.startsWith("/v2/")) {
            return error(e);
        }
        ByteArrayBuilder buffer = new ByteArrayBuilder(128);
        try (JsonGenerator json = Json.MAPPER.createGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("error", e.getMessage());
            json.writeEndObject();
        } catch (IOException impossible) {
            throw new java.io.UncheckedIOException(impossible);
        }
        return ApiResponse.jsonBytes(e.httpStatus(), buffer.toByteArray());
    }

    /** A Google API error body. */
    static ApiResponse error(ApiException e) {
        ByteArrayBuilder buffer = new ByteArrayBuilder(256);
        try (JsonGenerator json = Json.MAPPER.createGenerator(buffer)) {
            json.writeStartObject();
            json.writeObjectFieldStart("error");
            json.writeNumberField("code", e.httpStatus());
            json.writeStringField("status", e.status());
            json.writeStringField("message", e.getMessage());
            // google.rpc.Status's details are typed (Any): a BadRequest with the field violations, an ErrorInfo with
            // Lathe's code; untyped, no Google client could parse the error body (probe R)
            json.writeArrayFieldStart("details");
            if (!e.violations().isEmpty()) {
                json.writeStartObject();
                json.writeStringField("@type", "type.googleapis.com/google.rpc.BadRequest");
                json.writeArrayFieldStart("fieldViolations");
                for (ApiException.FieldViolation violation : e.violations()) {
                    json.writeStartObject();
                    json.writeStringField("field", violation.field());
                    json.writeStringField("description", violation.rule());
                    json.writeEndObject();
                }
                json.writeEndArray();
                json.writeEndObject();
            }
            json.writeStartObject();
            json.writeStringField("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            json.writeStringField("reason", e.reason());
            json.writeStringField("domain", "lathe.dev");
            json.writeEndObject();
            json.writeEndArray();
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException io) {
            throw new java.io.UncheckedIOException(io);
        }
        return ApiResponse.jsonBytes(e.httpStatus(), buffer.toByteArray());
    }

    /**
     * Errors Jetty raises itself (malformed HTTP, headers too large) also answer in JSON, and are counted as the unmatched
     * route's requests and errors: they were missing from /metrics (probe qd: a suspicious path character's 400).
     */
    private final class JsonErrorHandler extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause, Callback callback) {
            long start = System.nanoTime();
            String status = switch (code) {
                case 404 -> "NOT_FOUND";
                case 413, 431 -> "RESOURCE_EXHAUSTED";
                case 503 -> "UNAVAILABLE";
                default -> code >= 500 ? "INTERNAL" : "INVALID_ARGUMENT";
            };
            boolean stopping = code == 503 && request.getConnectionMetaData().getConnector().getServer().isStopping();
            if (stopping) {
                // a request read from an open keep-alive connection after SIGTERM: the graceful stop refuses it; it was
                // Jetty's bare "Service Unavailable" (probe O)
                message = "The server is stopping: it finishes the requests it was running and takes no new ones; send this one"
                        + " again (to another replica, or once the server is back)";
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
            }
            // in the Open Inference Protocol's shape under /v2, as the routes' own errors there (probe tb F6: an OIP client
            // reading "error" as a string got Google's object); the path as sent, since decoding it may be what failed
            String path = request.getHttpURI() == null || request.getHttpURI().getPath() == null ? "" : request.getHttpURI().getPath();
            ApiResponse body = error(path, new ApiException(code, status, message == null ? "HTTP error " + code : message, List.of(),
                    stopping ? dev.lathe.core.ErrorCode.SERVER_UNAVAILABLE.name() : status));
            HttpMetrics.RouteMetrics metrics = unmatched(request.getMethod() == null ? "_OTHER" : request.getMethod());
            metrics.error(stopping ? dev.lathe.core.ErrorCode.SERVER_UNAVAILABLE.name() : status);
            metrics.record(code, start);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, ApiResponse.JSON);
            response.write(true, ByteBuffer.wrap(body.body()), callback);
            // the access log has them too, as /metrics does: the 503s of a rolling restart were in neither (probe sb F1)
            logAccess(request.getMethod() == null ? "-" : request.getMethod(), rawPath(request), code, body.body().length, start);
        }
    }

    /** One access-log line (when the log is on): time, method, path, status, body bytes, latency since {@code start}. */
    private void logAccess(String method, String path, int status, int bytes, long start) {
        if (accessLog != null) {
            accessLog.add("%s %s %s %d %dB %.3fms".formatted(ACCESS_TIME.format(Instant.now()), method, path, status, bytes,
                    (System.nanoTime() - start) / 1e6));
        }
    }

    /**
     * The path of a request the HTTP layer refused, as the client sent it (still encoded: decoding may be what failed),
     * with control characters and spaces escaped so that it stays one field of one line; {@code -} when there is none.
     */
    private static String rawPath(Request request) {
        String path = request.getHttpURI() == null ? null : request.getHttpURI().getPath();
        if (path == null || path.isEmpty()) {
            return "-";
        }
        StringBuilder escaped = new StringBuilder(path.length());
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c <= ' ' || c == 0x7f) {
                escaped.append('%').append(String.format(Locale.ROOT, "%02X", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
