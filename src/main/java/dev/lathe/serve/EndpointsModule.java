package dev.lathe.serve;

import dev.lathe.server.LatheServer;
import dev.lathe.server.ServerModule;

/**
 * Installs serving on the server: the Vertex endpoint routes, the Open Inference Protocol v2 routes, prediction
 * quality ({@code :evaluatePredictions}), the serving metrics, the start-up hook that loads every deployed model before {@code /readyz} turns ready, and
 * the prediction log flush on stop.
 */
public final class EndpointsModule implements ServerModule {
    /** Sampled log rows waiting for the writer; beyond this they are dropped and counted. */
    public static final int DEFAULT_LOG_QUEUE = 10_000;

    private final int logQueueCapacity;

    public EndpointsModule() {
        this(DEFAULT_LOG_QUEUE);
    }

    /** With a log queue of {@code logQueueCapacity} rows (tests use a tiny one to see drops). */
    public EndpointsModule(int logQueueCapacity) {
        this.logQueueCapacity = logQueueCapacity;
    }

    @Override
    public void configure(LatheServer.Builder builder) {
        Deployments deployments = new Deployments(builder.platform(), new EndpointMetrics(builder.metrics()), logQueueCapacity);
        new EndpointRoutes(deployments).register(builder);
        new InferenceRoutes(deployments).register(builder);
        new PredictionQualityRoutes(builder.platform().predictionQuality()).register(builder);
        builder.startupHook("load deployed models", platform -> deployments.loadAll());
        builder.onStop(deployments::close);
        deployments.start();
    }
}
