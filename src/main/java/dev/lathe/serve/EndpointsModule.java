package dev.lathe.serve;

import static java.util.Objects.requireNonNull;

import dev.lathe.engine.Platform;
import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerModule;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Installs serving on the server: the Vertex endpoint routes, the Open Inference Protocol v2 routes, prediction
 * quality ({@code :evaluatePredictions}), the serving metrics, the start-up hook that loads every deployed model
 * before {@code /readyz} turns ready (not on a server started for one call: {@link #forOneCall}), and the prediction
 * log flush on stop. On a replica it also re-reads the deployments on a schedule and ships its
 * prediction log to the primary, which takes such logs in ({@link PredictionLogIngester}).
 */
public final class EndpointsModule implements ServerModule {
    private static final Logger LOG = Logger.getLogger(EndpointsModule.class.getName());
    /** Sampled log rows waiting for the writer; beyond this they are dropped and counted. */
    public static final int DEFAULT_LOG_QUEUE = 10_000;
    /** How often a replica re-reads the deployments and ships its prediction log, and the primary takes logs in. */
    public static final Duration DEFAULT_REPLICA_INTERVAL = Duration.ofSeconds(5);

    private final int logQueueCapacity;
    private final Duration interval;
    private final boolean preload;

    public EndpointsModule() {
        this(DEFAULT_LOG_QUEUE);
    }

    /** With a log queue of {@code logQueueCapacity} rows (tests use a tiny one to see drops). */
    public EndpointsModule(int logQueueCapacity) {
        this(logQueueCapacity, DEFAULT_REPLICA_INTERVAL);
    }

    /**
     * With {@code interval}: on a replica, how often it picks up deployment changes and ships its sampled prediction log
     * to the primary; on the primary, how often it takes in what replicas shipped.
     */
    public EndpointsModule(int logQueueCapacity, Duration interval) {
        this(logQueueCapacity, interval, true);
    }

    private EndpointsModule(int logQueueCapacity, Duration interval, boolean preload) {
        this.logQueueCapacity = logQueueCapacity;
        this.interval = requireNonNull(interval, "interval is null");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("the replica interval must be positive, got " + interval);
        }
        this.preload = preload;
    }

    /**
     * The module of a server a command starts for one call: no start-up hook loading every deployed model (a command
     * that lists endpoints or deploys one would wait for all of them); an endpoint's models load when a request needs them.
     */
    public static EndpointsModule forOneCall() {
        return new EndpointsModule(DEFAULT_LOG_QUEUE, DEFAULT_REPLICA_INTERVAL, false);
    }

    /**
     * One pass of a replica's deployment refresher, counted as ok or failed, that never throws: a scheduled task that
     * throws is never run again, and a replica whose refresher stopped would serve its old deployments for good without
     * a word. An {@link Error} (a native library or class that failed to load for one model) is logged as severe and
     * the next pass runs as usual.
     */
    static Runnable refreshPass(Runnable refreshAll, EndpointMetrics metrics) {
        return () -> {
            try {
                refreshAll.run();
                metrics.replicaRefreshes.labels("ok").inc();
                metrics.replicaLastRefresh.labels().set(System.currentTimeMillis() / 1000.0);
            } catch (RuntimeException e) {
                metrics.replicaRefreshes.labels("failed").inc();
                LOG.log(Level.WARNING, "Reading the deployments from the metadata store failed; serving goes on as before", e);
            } catch (Error e) {
                metrics.replicaRefreshes.labels("failed").inc();
                LOG.log(Level.SEVERE, "Refreshing the deployments failed with an error; serving goes on as before and the next"
                        + " refresh tries again", e);
            }
        };
    }

    @Override
    public void configure(LatheServer.Builder builder) {
        Platform platform = builder.platform();
        EndpointMetrics metrics = new EndpointMetrics(builder.metrics());
        Deployments deployments = new Deployments(platform, metrics, logQueueCapacity, interval);
        new EndpointRoutes(deployments).register(builder);
        new InferenceRoutes(deployments).register(builder);
        new PredictionQualityRoutes(platform.predictionQuality()).register(builder);
        if (preload) {
            builder.startupHook("load deployed models", p -> deployments.loadAll());
        } else {
            deployments.noStartupLoad(); // endpoints load on first use
        }
        builder.onStop(deployments::close);
        deployments.start();
        if (platform.replica()) {
            ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().daemon().name("lathe-deployment-refresh").factory());
            refresher.scheduleWithFixedDelay(refreshPass(deployments::refreshAll, metrics), interval.toMillis(), interval.toMillis(),
                    TimeUnit.MILLISECONDS);
            builder.onStop(refresher::shutdownNow);
        } else {
            PredictionLogIngester ingester = new PredictionLogIngester(platform.warehouse(),
                    PredictionLogIngester.incoming(platform.dataDirectory()), interval, metrics.logIngested);
            // What replicas shipped while no primary ran is in the log table before the server turns ready.
            builder.startupHook("take in replicas' prediction logs", p -> ingester.ingestQuietly());
            ingester.start();
            builder.onStop(ingester::close);
        }
    }
}
