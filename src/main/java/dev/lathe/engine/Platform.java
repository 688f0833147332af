package dev.lathe.engine;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.quality.PredictionQuality;
import dev.lathe.registry.ModelStore;
import dev.lathe.registry.Registry;
import dev.lathe.serve.store.EndpointStore;
import dev.lathe.train.ModelFamilies;
import dev.lathe.warehouse.Warehouse;
import java.nio.file.Files;
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
    private final MetadataStore metadata;
    private final Registry registry;
    private final ModelCache models;
    private final PredictionQuality quality;
    private final boolean replica;

    private Platform(Path dataDirectory, Warehouse warehouse, ModelStore store, ModelFamilies families, MetadataStore metadata,
            Registry registry, boolean replica) {
        this.replica = replica;
        this.dataDirectory = dataDirectory;
        this.warehouse = warehouse;
        this.store = store;
        this.families = families;
        this.metadata = metadata;
        this.registry = registry;
        this.models = new ModelCache(store, families, replica,
                (dataset, name, version) -> registry.getVersion(dataset, name, version).isPresent(),
                dev.lathe.sql.TransformCheck.using(warehouse::connect));
        this.quality = new PredictionQuality(warehouse, store, new EndpointStore(metadata));
    }

    /**
     * Opens (creating if needed) {@code warehouse.duckdb}, {@code models/} and the SQLite metadata store
     * {@code metadata.db} in the data directory.
     */
    public static Platform open(Path dataDirectory) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        return open(dataDirectory, MetadataStore.defaultUrl(dataDirectory));
    }

    /** As {@link #open(Path)}, with the registry in the metadata store at {@code metadataUrl} (SQLite or PostgreSQL JDBC URL). */
    public static Platform open(Path dataDirectory, String metadataUrl) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(metadataUrl, "metadataUrl is null");
        return open(dataDirectory, metadataUrl, Warehouse.open(dataDirectory), false);
    }

    /**
     * A serving replica of a data directory another process owns: the registry and endpoints come from the shared
     * metadata store at {@code metadataUrl}, model artifacts from {@code models/} (read only), and the warehouse is an
     * in-memory DuckDB of its own (TRANSFORM models run there; it never takes {@code warehouse.duckdb}'s lock). Any
     * number of replicas run beside the primary; see docs/server.md.
     */
    public static Platform openReplica(Path dataDirectory, String metadataUrl) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(metadataUrl, "metadataUrl is null");
        if (!Files.isDirectory(dataDirectory.resolve("models"))) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "A replica serves the models of an existing"
                    + " data directory, but " + dataDirectory.toAbsolutePath() + " has no models/ folder; give the primary's --data-dir"
                    + " (shared storage)");
        }
        return open(dataDirectory, metadataUrl, Warehouse.inMemory(), true);
    }

    private static Platform open(Path dataDirectory, String givenUrl, Warehouse warehouse, boolean replica) {
        MetadataStore metadata = null;
        try {
            metadata = MetadataBinding.open(dataDirectory, givenUrl, replica, !replica, java.util.Optional.empty());
            ModelStore store = ModelStore.open(dataDirectory);
            // Deployed versions cannot be deleted: the registry asks the endpoints (DROP MODEL, models delete).
            // A replica reads the registry and never writes it: the folders the registry does not know are the primary's to
            // reconcile (a replica on a stale copy of another directory registered its models into the shared store: probe G).
            Registry registry = replica ? Registry.openReadOnly(metadata, store, new EndpointStore(metadata))
                    : Registry.open(metadata, store, new EndpointStore(metadata));
            return new Platform(dataDirectory, warehouse, store, ModelFamilies.standard(), metadata, registry, replica);
        } catch (RuntimeException e) {
            if (metadata != null) {
                metadata.close();
            }
            warehouse.close();
            throw e;
        }
    }

    /**
     * The metadata store of {@code dataDirectory} alone, for commands that need the registry but not the warehouse
     * ({@code lathe models}, {@code lathe jobs list}); checked against the directory's binding as {@link #open} does.
     */
    public static MetadataStore openMetadata(Path dataDirectory, String metadataUrl) {
        return openMetadata(dataDirectory, metadataUrl, java.util.Optional.empty());
    }

    /**
     * As {@link #openMetadata(Path, String)}; while {@code server} (e.g. "the Lathe server at http://... (PID 12)") runs for
     * the directory, the store is never migrated: one whose schema is older than this code's is refused, naming the server
     * (probe ua F1: an older server could not start again on the store a newer {@code lathe models} had migrated).
     */
    public static MetadataStore openMetadata(Path dataDirectory, String metadataUrl, java.util.Optional<String> server) {
        requireNonNull(dataDirectory, "dataDirectory is null");
        requireNonNull(metadataUrl, "metadataUrl is null");
        requireNonNull(server, "server is null");
        // a directory that does not exist yet is neither claimed nor recorded: the command creates none
        return MetadataBinding.open(dataDirectory, metadataUrl, false, java.nio.file.Files.isDirectory(dataDirectory), server);
    }

    /** Whether this is a serving replica ({@link #openReplica}): it answers predictions and reads, and changes nothing. */
    public boolean replica() {
        return replica;
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

    public MetadataStore metadataStore() {
        return metadata;
    }

    public Registry registry() {
        return registry;
    }

    /** The loaded-model cache every session, runtime and batch job shares. */
    ModelCache models() {
        return models;
    }

    public ModelFamilies families() {
        return families;
    }

    /** Scores endpoints' logged predictions against ground truth (SQL, REST and monitors share it). */
    public PredictionQuality predictionQuality() {
        return quality;
    }

    /**
     * A model version ready for online prediction, loaded once and shared (thread-safe). An empty
     * version means the {@code default} alias; aliases and version numbers resolve through the registry.
     */
    public ModelRuntime runtime(String dataset, String name, java.util.Optional<String> versionOrAlias) {
        return new ModelRuntime(models.get(dataset, name, registry.resolve(dataset, name, versionOrAlias)));
    }

    /** A new session; close it when done (the platform stays open). */
    public Engine session(Consumer<String> progress) {
        return new LatheEngine(warehouse, registry, families, models, quality, progress);
    }

    @Override
    public void close() {
        try {
            warehouse.close();
        } finally {
            metadata.close();
        }
    }
}
