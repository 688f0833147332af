package dev.lathe.monitor;

import static java.util.Objects.requireNonNull;

import dev.lathe.engine.ModelRuntime;
import dev.lathe.serve.store.DeployedModel;
import java.sql.Connection;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * What objectives see of one deployed model in one window: the model, the window's data, the previous window's
 * (read on first use), mean absolute attributions (computed on first use), the time of the run and a warehouse
 * connection for objectives that query more.
 */
public final class WindowContext {
    private final String endpointId;
    private final DeployedModel deployed;
    private final ModelRuntime runtime;
    private final Connection connection;
    private final Instant windowStart;
    private final Instant windowEnd;
    private final Instant evaluatedAt;
    private final WindowData window;
    private final Supplier<WindowData> previousReader;
    private WindowData previous;
    private final Map<WindowData, Map<String, Double>> attributions = new IdentityHashMap<>();

    WindowContext(String endpointId, DeployedModel deployed, ModelRuntime runtime, Connection connection, Instant windowStart, Instant windowEnd, Instant evaluatedAt,
            WindowData window, Supplier<WindowData> previousReader) {
        this.endpointId = requireNonNull(endpointId, "endpointId is null");
        this.deployed = requireNonNull(deployed, "deployed is null");
        this.runtime = requireNonNull(runtime, "runtime is null");
        this.connection = requireNonNull(connection, "connection is null");
        this.windowStart = requireNonNull(windowStart, "windowStart is null");
        this.windowEnd = requireNonNull(windowEnd, "windowEnd is null");
        this.evaluatedAt = requireNonNull(evaluatedAt, "evaluatedAt is null");
        this.window = requireNonNull(window, "window is null");
        this.previousReader = requireNonNull(previousReader, "previousReader is null");
    }

    public String endpointId() {
        return endpointId;
    }

    public DeployedModel deployed() {
        return deployed;
    }

    public ModelRuntime runtime() {
        return runtime;
    }

    public Connection connection() {
        return connection;
    }

    public Instant windowStart() {
        return windowStart;
    }

    public Instant windowEnd() {
        return windowEnd;
    }

    /** When the run started, by the monitoring clock. */
    public Instant evaluatedAt() {
        return evaluatedAt;
    }

    public WindowData window() {
        return window;
    }

    /** The window of the same length that ends where this one starts. */
    public WindowData previous() {
        if (previous == null) {
            previous = previousReader.get();
        }
        return previous;
    }

    /**
     * The mean absolute attribution per feature over {@code data}'s explained sample (ML.GLOBAL_EXPLAIN's statistic on
     * the logged instances); empty when the sample is. Explanations use the endpoint's path: {@link ModelRuntime#explain}.
     */
    public Map<String, Double> meanAbsoluteAttributions(WindowData data) {
        Map<String, Double> cached = attributions.get(data);
        if (cached != null) {
            return cached;
        }
        Map<String, Double> sums = new LinkedHashMap<>();
        List<Map<String, Object>> sample = data.explainSample();
        if (!sample.isEmpty()) {
            for (ModelRuntime.Explained explained : runtime.explain(sample, 0.5, runtime.needsConnection() ? connection : null)) {
                explained.featureAttributions().forEach((feature, value) -> sums.merge(feature, Math.abs(value), Double::sum));
            }
        }
        Map<String, Double> means = new HashMap<>();
        sums.forEach((feature, sum) -> means.put(feature, sum / sample.size()));
        attributions.put(data, means);
        return means;
    }

    /** {@code dataset.model@version}. */
    public String modelName() {
        return deployed.reference();
    }
}
