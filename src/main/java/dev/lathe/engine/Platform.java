package dev.lathe.engine;

import static java.util.Objects.requireNonNull;

import dev.lathe.registry.ModelStore;
import dev.lathe.train.ModelFamilies;
import dev.lathe.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * The composition root: one data directory's warehouse, model store and model types, shared by every
 * session of a process (the CLI's one, or a server's many). Each {@link #session} is an {@link Engine}
 * with its own DuckDB connection, so sessions run on different threads.
 */
public final class Platform implements AutoCloseable {
    private final Path dataDirectory;
    private final Warehouse warehouse;
    private final ModelStore store;
    private final ModelFamilies families;
    private final java.util.Map<String, ModelRuntime> runtimes = new java.util.concurrent.ConcurrentHashMap<>();

    private Platform(Path dataDirectory, Warehouse warehouse, ModelStore store, ModelFamilies families) {
        this.dataDirectory = dataDirectory;
        this.warehouse = warehouse;
        this.store = store;
        this.families = families;
    }

    /** Opens (creating if needed) {@code warehouse.duckdb} and {@code models/} in the data directory. */
    public static Platform open(Path dataDirectory) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        Warehouse warehouse = Warehouse.open(dataDirectory);
        try {
            return new Platform(dataDirectory, warehouse, ModelStore.open(dataDirectory), ModelFamilies.standard());
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Warehouse warehouse() {
        return warehouse;
    }

    public ModelStore modelStore() {
        return store;
    }

    public ModelFamilies families() {
        return families;
    }

    /**
     * A model version ready for online prediction, loaded once and shared (thread-safe). An empty
     * version means the default one.
     */
    public ModelRuntime runtime(String dataset, String name, java.util.OptionalInt version) {
        int resolved = version.isPresent() ? version.getAsInt() : store.defaultVersion(dataset, name).orElseThrow(() ->
                new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.MODEL_NOT_FOUND, "Model " + dataset + "." + name + " not found"));
        String key = dataset.toLowerCase(java.util.Locale.ROOT) + "." + name + "@" + resolved;
        return runtimes.computeIfAbsent(key, k -> new ModelRuntime(LoadedModel.load(store, families, dataset, name, resolved)));
    }

    /** A new session; close it when done (the platform stays open). */
    public Engine session(Consumer<String> progress) {
        return new LatheEngine(warehouse, store, families, progress);
    }

    @Override
    public void close() {
        warehouse.close();
    }
}
