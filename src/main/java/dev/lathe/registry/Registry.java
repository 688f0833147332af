package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import dev.lathe.metadata.MetadataStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;

/**
 * The model registry: an index of every model version in the relational metadata store, with aliases,
 * labels, descriptions, metrics at training, provenance and lineage, over the artifacts in the
 * {@link ModelStore}. Every CREATE [OR REPLACE] MODEL registers a new version and moves the {@code default}
 * alias to it; exactly one version of a model carries {@code default} at any time. Aliases are unique per
 * model and move atomically. Thread-safe.
 *
 * <p>Deleting the version that carries {@code default} moves {@code default} to the newest remaining
 * version; the only version of a model cannot be deleted (delete the model instead, as Vertex AI requires).
 * The store's {@code DEFAULT} file follows the {@code default} alias, so both always agree.
 */
public final class Registry {
    private static final java.util.logging.Logger LOG = java.util.logging.Logger.getLogger(Registry.class.getName());
    public static final int MAX_PAGE_SIZE = 1_000;
    public static final int DEFAULT_PAGE_SIZE = 50;
    private static final String VERSION_COLUMNS = "version, model_type, task, description, labels, metrics, options, training_sql, "
            + "statement_sql, input_rows, input_hash, source_tables, parent_version, platform_version, trained_at, created_at, updated_at";

    private final MetadataStore metadata;
    private final ModelStore store;
    private final DeploymentLookup deployments;

    private Registry(MetadataStore metadata, ModelStore store, DeploymentLookup deployments) {
        this.metadata = metadata;
        this.store = store;
        this.deployments = deployments;
    }

    /**
     * The registry over {@code metadata} and {@code store}. Models the store holds but the registry does not
     * (copied folders, data directories from before the registry) are registered from their manifests, with
     * {@code default} on the version the store's {@code DEFAULT} file names.
     */
    /**
     * The registry over {@code metadata} and {@code store} as it is, reconciling nothing: a serving replica's, and that of
     * any process that does not hold the data directory (`lathe models` beside a server). Only {@link #open} settles the
     * store and registers copied folders, in the process that holds the warehouse.
     */
    public static Registry openReadOnly(MetadataStore metadata, ModelStore store, DeploymentLookup deployments) {
        return new Registry(requireNonNull(metadata, "metadata is null"), requireNonNull(store, "store is null"),
                requireNonNull(deployments, "deployments is null"));
    }

    /** The registry, first reconciling the store with it; only for the process that holds the data directory (its warehouse). */
    public static Registry open(MetadataStore metadata, ModelStore store, DeploymentLookup deployments) {
        Registry registry = new Registry(requireNonNull(metadata, "metadata is null"), requireNonNull(store, "store is null"),
                requireNonNull(deployments, "deployments is null"));
        registry.recoverStore();
        registry.backfill();
        return registry;
    }

    public ModelStore modelStore() {
        return store;
    }

    // ---------------------------------------------------------------- registration

    /**
     * The number the next version of a model gets: never reused, even after a version is deleted, nor after the model is
     * dropped and created again (its numbers go on from the dropped model's, {@code dropped_models}).
     */
    public int nextVersion(String dataset, String name) {
        settleUnsettled();
        String d = dataset.toLowerCase(Locale.ROOT);
        int registered = metadata.read(c -> nextVersion(c, d, name));
        return store.firstFreeVersion(d, name, registered);
    }

    /** The model's counter, or the dropped model's of that name, or 1. */
    private static int nextVersion(Connection c, String dataset, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT next_version FROM models WHERE dataset = ? AND name = ?"
                + " UNION ALL SELECT next_version FROM dropped_models WHERE dataset = ? AND name = ?")) {
            q.setString(1, dataset);
            q.setString(2, name);
            q.setString(3, dataset);
            q.setString(4, name);
            int next = 1;
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    next = Math.max(next, rows.getInt(1));
                }
            }
            return next;
        }
    }

    /** Writes the artifact, then registers it (see {@link #registerVersion}); returns the registered version. */
    public ModelVersion saveVersion(ModelFiles files) {
        settleUnsettled();
        save(files);
        ModelManifest manifest = files.manifest();
        return getVersion(manifest.dataset(), manifest.name(), manifest.version()).orElseThrow();
    }

    /**
     * As {@link #saveVersion}, for callers that need nothing back (CREATE MODEL): the version is not read back, whose
     * JSON columns cost milliseconds to parse in a fresh process.
     */
    public void save(ModelFiles files) {
        save(files, false);
    }

    /**
     * As {@link #save(ModelFiles)}; with {@code newModel} the registration fails with ALREADY_EXISTS (and the artifact is
     * removed) when the model exists by then: a plain CREATE MODEL, which another statement may have beaten to it.
     */
    public void save(ModelFiles files, boolean newModel) {
        ModelManifest manifest = files.manifest();
        OptionalInt previous = store.defaultVersion(manifest.dataset(), manifest.name());
        store.save(files);
        register(manifest, () -> previous, newModel);
    }

    /**
     * Registers a version whose artifact is already in the store and moves {@code default} to it. When the
     * registration fails the artifact version is removed and the store's default restored: nothing half-applied.
     */
    public ModelVersion registerVersion(ModelManifest manifest) {
        requireNonNull(manifest, "manifest is null");
        register(manifest, () -> metadata.inTransaction(
                c -> aliasTarget(c, manifest.dataset().toLowerCase(Locale.ROOT), manifest.name(), RegistryRules.DEFAULT_ALIAS)), false);
        return getVersion(manifest.dataset(), manifest.name(), manifest.version()).orElseThrow();
    }

    private void register(ModelManifest manifest, java.util.function.Supplier<OptionalInt> previousDefault, boolean newModel) {
        String dataset = manifest.dataset().toLowerCase(Locale.ROOT);
        String name = manifest.name();
        try {
            metadata.inTransaction(c -> {
                String now = Instant.now().toString();
                boolean existed = lockOrCreateModel(c, dataset, name, now);
                if (existed && newModel) {
                    throw new LatheException(ErrorCode.ALREADY_EXISTS, "Model " + dataset + "." + name + " was created by another"
                            + " statement while this one ran; use CREATE OR REPLACE MODEL to train a new version");
                }
                OptionalInt parent = existed ? aliasTarget(c, dataset, name, RegistryRules.DEFAULT_ALIAS) : OptionalInt.empty();
                insertVersion(c, manifest, parent, now);
                putAlias(c, dataset, name, RegistryRules.DEFAULT_ALIAS, manifest.version(), now);
                for (String alias : creationAliases(manifest)) { // moved from another version, in the same transaction
                    putAlias(c, dataset, name, alias, manifest.version(), now);
                }
                return null;
            });
        } catch (RuntimeException e) {
            // The metadata store failing (perhaps during the commit, which may have landed) keeps the version's files, still
            // marked unregistered: the next open keeps them if the registry has the version, else removes them. (Deleting
            // them left a registered version without files: probe E.)
            boolean unknownOutcome = e instanceof LatheException latheException
                    && latheException.category() == dev.lathe.core.ErrorCategory.UNAVAILABLE;
            undoArtifact(dataset, name, manifest.version(), previousDefault, e, unknownOutcome);
            throw e;
        }
        store.markRegistered(dataset, name, manifest.version());
        followDefaultAfterCommit(dataset, name);
    }

    /** DEFAULT set to the registry's default alias as read after the caller's commit ({@link ModelStore#followDefault}). */
    private void followDefault(String dataset, String name) {
        store.followDefault(dataset, name, () -> metadata.read(c -> aliasTarget(c, dataset, name, RegistryRules.DEFAULT_ALIAS)));
    }

    /**
     * {@link #followDefault} after a change that committed: a metadata store unavailable for its read leaves DEFAULT for the
     * registry's next open, which sets it from the registry, rather than turn the answer to a change that was made into a
     * failure (a CREATE OR REPLACE MODEL committed, then answered 503 when this read met a dropped connection).
     */
    private void followDefaultAfterCommit(String dataset, String name) {
        try {
            followDefault(dataset, name);
        } catch (LatheException e) {
            if (e.code() != ErrorCode.METADATA_UNAVAILABLE) {
                throw e;
            }
            LOG.warning("Model " + dataset + "." + name + " was changed, but its DEFAULT file could not be updated; the registry's"
                    + " next open (a command, a server start) sets it: " + e.getMessage());
        }
    }

    /**
     * Puts the store back as it was before the version was written: its files removed (unless {@code keepFiles}, for a
     * commit of unknown outcome) and DEFAULT on the previous default, or the model's folder gone when it has no version.
     */
    private void undoArtifact(String dataset, String name, int version, java.util.function.Supplier<OptionalInt> previousDefault,
            RuntimeException failure, boolean keepFiles) {
        try {
            if (!keepFiles) {
                store.deleteVersion(dataset, name, version);
            }
            OptionalInt previous = previousDefault.get();
            if (previous.isPresent() && previous.getAsInt() != version) {
                store.setDefault(dataset, name, previous.getAsInt());
            } else if (!keepFiles && store.versions(dataset, name).isEmpty()) {
                store.drop(dataset, name);
            }
        } catch (RuntimeException cleanup) {
            failure.addSuppressed(cleanup);
        }
    }

    /** Locks the model's row for this transaction (creating it when new); true when the model existed. */
    private static boolean lockOrCreateModel(Connection c, String dataset, String name, String now) throws SQLException {
        if (touch(c, dataset, name, now)) {
            return true;
        }
        int next = nextVersion(c, dataset, name); // a dropped model's name: its numbers go on
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO models (dataset, name, next_version, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, dataset);
            insert.setString(2, name);
            insert.setInt(3, next);
            insert.setString(4, now);
            insert.setString(5, now);
            insert.executeUpdate();
        }
        try (PreparedStatement forget = c.prepareStatement("DELETE FROM dropped_models WHERE dataset = ? AND name = ?")) {
            forget.setString(1, dataset);
            forget.setString(2, name);
            forget.executeUpdate();
        }
        return false;
    }

    /** The first write of every mutating transaction: it takes the model row's lock, so changes to one model serialize. */
    private static boolean touch(Connection c, String dataset, String name, String now) throws SQLException {
        try (PreparedStatement update = c.prepareStatement("UPDATE models SET updated_at = ? WHERE dataset = ? AND name = ?")) {
            update.setString(1, now);
            update.setString(2, dataset);
            update.setString(3, name);
            return update.executeUpdate() == 1;
        }
    }

    private static void insertVersion(Connection c, ModelManifest manifest, OptionalInt parent, String now) throws SQLException {
        String dataset = manifest.dataset().toLowerCase(Locale.ROOT);
        ModelManifest.Fingerprint input = manifest.trainingInput();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO model_versions (dataset, name, " + VERSION_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            insert.setString(i++, dataset);
            insert.setString(i++, manifest.name());
            insert.setInt(i++, manifest.version());
            insert.setString(i++, manifest.modelType());
            insert.setString(i++, Optional.ofNullable(manifest.task()).orElse(""));
            insert.setString(i++, "");
            insert.setString(i++, "{}");
            insert.setString(i++, json(Optional.ofNullable(manifest.evaluationMetrics()).orElse(Map.of())));
            insert.setString(i++, json(Optional.ofNullable(manifest.options()).orElse(Map.of())));
            String trainingSql = Optional.ofNullable(manifest.trainingSql()).orElse("");
            insert.setString(i++, trainingSql);
            insert.setString(i++, Optional.ofNullable(manifest.statementSql()).orElse(""));
            insert.setLong(i++, input == null ? 0 : input.rows());
            insert.setString(i++, input == null || input.contentHash() == null ? "" : input.contentHash());
            insert.setString(i++, json(RegistryRules.sourceTables(trainingSql)));
            if (parent.isPresent()) {
                insert.setInt(i++, parent.getAsInt());
            } else {
                insert.setNull(i++, java.sql.Types.INTEGER);
            }
            insert.setString(i++, Optional.ofNullable(manifest.platformVersion()).orElse(""));
            insert.setString(i++, manifest.timings() == null || manifest.timings().endTime() == null ? now : manifest.timings().endTime());
            insert.setString(i++, now);
            insert.setString(i++, now);
            insert.executeUpdate();
        }
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE models SET next_version = ? WHERE dataset = ? AND name = ? AND next_version <= ?")) {
            update.setInt(1, manifest.version() + 1);
            update.setString(2, dataset);
            update.setString(3, manifest.name());
            update.setInt(4, manifest.version());
            update.executeUpdate();
        }
    }

    /**
     * How long a version folder may stay marked unregistered before the registry's open removes it: far longer than a
     * statement takes between writing its files and committing (a metadata store's busy or pool timeout is seconds).
     */
    static final java.time.Duration UNREGISTERED_GRACE = java.time.Duration.ofMinutes(15);

    /**
     * Settles the store's leftovers of killed statements by what the registry holds ({@link ModelStore#recover}): a drop or
     * version delete that never committed is put back, one that did is finished. Read once, only when the store has any.
     */
    private void recoverStore() {
        Set<String> models = new HashSet<>();
        Set<String> versions = new HashSet<>();
        boolean[] read = {false};
        store.recover(new ModelStore.Registered() {
            @Override
            public boolean model(String dataset, String name) {
                load();
                return models.contains(dataset.toLowerCase(Locale.ROOT) + '\u0000' + name);
            }

            @Override
            public boolean version(String dataset, String name, int version) {
                load();
                return versions.contains(versionKey(dataset.toLowerCase(Locale.ROOT), name, version));
            }

            private void load() {
                if (read[0]) {
                    return;
                }
                read[0] = true;
                metadata.read(c -> {
                    try (PreparedStatement q = c.prepareStatement("SELECT dataset, name, version FROM model_versions");
                            ResultSet rows = q.executeQuery()) {
                        while (rows.next()) {
                            models.add(rows.getString(1) + '\u0000' + rows.getString(2));
                            versions.add(versionKey(rows.getString(1), rows.getString(2), rows.getInt(3)));
                        }
                    }
                    return null;
                });
            }
        });
    }

    private void backfill() {
        List<String> models = store.list(Optional.empty());
        if (models.isEmpty()) {
            return;
        }
        // One read for every registered version, not one per stored version: every process that opens the data
        // directory runs this, and per version it cost 0.7 ms (146 versions: 0.1 s of each `lathe` command).
        Map<String, Integer> defaults = new HashMap<>();
        Set<String> registeredModels = new HashSet<>();
        Set<String> registered = metadata.read(c -> {
            Set<String> keys = new HashSet<>();
            try (PreparedStatement q = c.prepareStatement("SELECT dataset, name, version FROM model_versions");
                    ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    keys.add(versionKey(rows.getString(1), rows.getString(2), rows.getInt(3)));
                    registeredModels.add(rows.getString(1) + '\u0000' + rows.getString(2));
                }
            }
            try (PreparedStatement q = c.prepareStatement("SELECT dataset, name, version FROM model_aliases WHERE alias = ?")) {
                q.setString(1, RegistryRules.DEFAULT_ALIAS);
                try (ResultSet rows = q.executeQuery()) {
                    while (rows.next()) {
                        defaults.put(rows.getString(1) + '\u0000' + rows.getString(2), rows.getInt(3));
                    }
                }
            }
            return keys;
        });
        for (String qualified : models) {
            int dot = qualified.indexOf('.');
            String dataset = qualified.substring(0, dot);
            String name = qualified.substring(dot + 1);
            try {
                reconcile(dataset, name, registered, registeredModels, defaults);
            } catch (RuntimeException e) {
                if (e instanceof LatheException latheException && latheException.category() == dev.lathe.core.ErrorCategory.UNAVAILABLE) {
                    throw e; // the metadata store itself: nothing else can be opened either
                }
                // One model folder that cannot be settled (damaged, copied by hand) is left as it is, and said: it made every
                // command, SELECT 1 and the server's start fail on a constraint of the metadata store (probe td F1, F2).
                LOG.warning("Model folder " + store.modelPath(dataset, name) + " was left as it is and not registered: "
                        + e.getMessage() + "; every other model works. Repair or remove that folder (see docs/registry.md)");
            }
        }
    }

    /** {@link #backfill} for one model folder. */
    private void reconcile(String dataset, String name, Set<String> registered, Set<String> registeredModels,
            Map<String, Integer> defaults) {
        List<Integer> stored = new ArrayList<>(store.versions(dataset, name));
        List<Integer> missing = new ArrayList<>();
        for (int version : List.copyOf(stored)) {
            boolean isRegistered = registered.contains(versionKey(dataset.toLowerCase(Locale.ROOT), name, version));
            Optional<Instant> unregistered = store.unregisteredSince(dataset, name, version);
            if (unregistered.isPresent() && isRegistered) {
                store.markRegistered(dataset, name, version); // registered, but cut off before the marker went
            } else if (unregistered.isPresent()) {
                // Written by a statement that never registered it: killed, or its commit failed. Not registered here (it
                // was, as a "copied folder"); removed once no statement can still be registering it.
                if (unregistered.get().isBefore(Instant.now().minus(UNREGISTERED_GRACE))) {
                    store.deleteVersion(dataset, name, version);
                }
                stored.remove(Integer.valueOf(version));
            } else if (!isRegistered) {
                missing.add(version);
            }
        }
        if (store.defaultDamaged(dataset, name)) {
            LOG.warning("The DEFAULT file in " + store.modelPath(dataset, name) + " holds no version number; it is set again from"
                    + " the registry's default alias (or, for a model the registry lacks, to its newest version)");
        }
        if (missing.isEmpty()) {
            Integer registeredDefault = defaults.get(dataset.toLowerCase(Locale.ROOT) + '\u0000' + name);
            if (stored.isEmpty() && store.versions(dataset, name).isEmpty()) {
                if (registeredModels.contains(dataset.toLowerCase(Locale.ROOT) + '\u0000' + name)) {
                    // The registry has versions whose folders are gone (deleted or moved outside Lathe): not a cut-off
                    // write. The folder and DEFAULT stay, so that restoring the versions' folders from a backup is enough;
                    // removing them (probe sb F2) left a registered, deployed model to be rebuilt by hand.
                    LOG.warning("Model " + dataset + "." + name + " is registered but none of its versions' folders is in "
                            + store.modelPath(dataset, name) + "; restore them from a backup (what uses them fails to load)");
                } else {
                    store.drop(dataset, name); // only cut-off versions were there, and they are gone
                }
            } else if (registeredDefault != null && stored.contains(registeredDefault)
                    && store.defaultVersion(dataset, name).orElse(-1) != registeredDefault) {
                // DEFAULT follows the registry's default: a cut-off version, a killed alias move or a change whose commit
                // failed may have left it elsewhere (probe pu: it stayed wrong after every open)
                store.setDefault(dataset, name, registeredDefault);
            }
            return;
        }
        List<ModelManifest> manifests = new ArrayList<>();
        for (int version : missing) {
            Optional<ModelManifest> manifest = registrable(dataset, name, version);
            if (manifest.isPresent()) {
                manifests.add(manifest.get());
            } else {
                stored.remove(Integer.valueOf(version));
            }
        }
        boolean known = registeredModels.contains(dataset.toLowerCase(Locale.ROOT) + '\u0000' + name);
        if (manifests.isEmpty() && !known) {
            return; // nothing here can be registered: the folder stays as it is, its versions said above
        }
        OptionalInt storeDefault = store.defaultVersion(dataset, name);
        int defaultVersion = metadata.inTransaction(c -> {
            String now = Instant.now().toString();
            boolean existed = lockOrCreateModel(c, dataset, name, now);
            for (ModelManifest manifest : manifests) {
                if (versionExists(c, dataset, name, manifest.version())) {
                    continue;
                }
                // the parent is unknown: the manifest does not record it, and the previous number guessed wrong when
                // the default had been moved before training (probe qe)
                insertVersion(c, manifest, OptionalInt.empty(), now);
            }
            OptionalInt registeredDefault = existed ? aliasTarget(c, dataset, name, RegistryRules.DEFAULT_ALIAS) : OptionalInt.empty();
            if (registeredDefault.isPresent()) {
                return registeredDefault.getAsInt();
            }
            int target = storeDefault.isPresent() && stored.contains(storeDefault.getAsInt())
                    ? storeDefault.getAsInt() : stored.get(stored.size() - 1);
            putAlias(c, dataset, name, RegistryRules.DEFAULT_ALIAS, target, now);
            return target;
        });
        // A version written but never registered (the process died in between) may have taken DEFAULT; the registry's
        // default alias decides, and the pointer follows it.
        if (stored.contains(defaultVersion)) {
            store.setDefault(dataset, name, defaultVersion);
        }
    }

    /**
     * The manifest of a version folder the registry lacks, when it can be registered as it is: readable, and naming the
     * model and version of the folder it is in. A folder copied under another model's name (or another dataset, or version
     * number) keeps the manifest of the model it was copied from, whose identity the registry would have taken: its insert
     * hit the registry's keys and stopped every command (probe td F1). It is refused, with a warning naming the folder, what
     * its manifest says and what to do; a version's files cannot be renamed by copying them, since the manifest (and the
     * registry's provenance) name the model they belong to.
     */
    private Optional<ModelManifest> registrable(String dataset, String name, int version) {
        Path folder = store.versionPath(dataset, name, version);
        ModelManifest manifest;
        try {
            manifest = store.manifest(dataset, name, version);
        } catch (LatheException e) {
            if (e.category() == dev.lathe.core.ErrorCategory.UNAVAILABLE) {
                throw e;
            }
            LOG.warning("Version folder " + folder + " is not registered: " + e.getMessage() + ". Restore the folder whole from a"
                    + " backup, or remove it; the model's other versions and every other model work");
            return Optional.empty();
        }
        boolean same = manifest.dataset().equalsIgnoreCase(dataset) && manifest.name().equals(name) && manifest.version() == version;
        if (!same) {
            LOG.warning("Version folder " + folder + " is not registered: its manifest.json says it is version " + manifest.version()
                    + " of model " + manifest.dataset() + "." + manifest.name() + ", not version " + version + " of " + dataset + "."
                    + name + " (a folder copied or renamed by hand; a version's files keep the name of the model they were trained"
                    + " as). Move it back to models/" + manifest.dataset().toLowerCase(Locale.ROOT) + "/" + manifest.name() + "/"
                    + manifest.version() + " of a data directory that lacks that version, or remove it; to have the model under"
                    + " another name, train it again as that name (CREATE MODEL ... AS with its trainingSql)");
            return Optional.empty();
        }
        return Optional.of(manifest);
    }

    private static String versionKey(String dataset, String name, int version) {
        return dataset + '\u0000' + name + '\u0000' + version;
    }

    // ---------------------------------------------------------------- resolution

    /**
     * The version number {@code dataset.name[@versionOrAlias]} addresses: a number is that version, any other
     * text an alias, no suffix the {@code default} alias.
     *
     * @throws LatheException MODEL_NOT_FOUND naming the model, version or alias and the choices
     */
    public int resolve(String dataset, String name, Optional<String> versionOrAlias) {
        settleUnsettled();
        String d = dataset.toLowerCase(Locale.ROOT);
        String what = versionOrAlias.orElse(RegistryRules.DEFAULT_ALIAS);
        return metadata.read(c -> {
            if (!modelExists(c, d, name)) {
                throw modelNotFound(c, d, name);
            }
            if (ModelReference.numeric(what)) {
                int version = Integer.parseInt(what);
                if (!versionExists(c, d, name, version)) {
                    throw new LatheException(ErrorCode.MODEL_NOT_FOUND, "Model " + d + "." + name + " has no version " + version
                            + "; versions are " + versionNumbers(c, d, name));
                }
                return version;
            }
            OptionalInt target = aliasTarget(c, d, name, what);
            if (target.isEmpty()) {
                Map<String, Integer> aliases = aliases(c, d, name);
                throw new LatheException(ErrorCode.MODEL_NOT_FOUND, "Model " + d + "." + name + " has no version or alias '" + what
                        + "'" + Suggestions.didYouMeanOrStop(what, aliases.keySet()) + " Aliases are: " + describe(aliases)
                        + "; versions are " + versionNumbers(c, d, name));
            }
            return target.getAsInt();
        });
    }

    public boolean exists(String dataset, String name) {
        return metadata.read(c -> modelExists(c, dataset.toLowerCase(Locale.ROOT), name));
    }

    private LatheException modelNotFound(Connection c, String dataset, String name) throws SQLException {
        List<String> known = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT dataset, name FROM models ORDER BY dataset, name");
                ResultSet rows = q.executeQuery()) {
            while (rows.next()) {
                known.add(rows.getString(1) + "." + rows.getString(2));
            }
        }
        return new LatheException(ErrorCode.MODEL_NOT_FOUND, "Model " + dataset + "." + name + " not found"
                + (known.isEmpty() ? " (there are no models yet; create one with CREATE MODEL)"
                        : Suggestions.withChoices(dataset + "." + name, known, "Models")));
    }

    // ---------------------------------------------------------------- reading

    /**
     * Models in (dataset, name) order, optionally of one dataset and matching {@code search} (case-insensitive
     * substring of {@code dataset.name} or of the default version's description). Paging is by key, so a page
     * token stays valid and no model is skipped or repeated while others are created or dropped.
     */
    public Page<RegisteredModel> listModels(Optional<String> dataset, Optional<String> search, int pageSize, Optional<String> pageToken) {
        return listModels(dataset, ModelFilter.parse(search), pageSize, pageToken);
    }

    /** A page of models; {@code filter}'s labels are the default version's. */
    public Page<RegisteredModel> listModels(Optional<String> dataset, ModelFilter filter, int pageSize, Optional<String> pageToken) {
        return listModels(dataset, filter, OrderBy.NONE, pageSize, pageToken);
    }

    /** The fields a model list can be ordered by (ListModels' order_by), and their columns. */
    public static final List<String> MODEL_ORDER_FIELDS = List.of("display_name", "create_time", "update_time");
    private static final Map<String, String> MODEL_ORDER_COLUMNS = Map.of("display_name", "m.dataset || '.' || m.name",
            "create_time", "m.created_at", "update_time", "m.updated_at");
    private static final List<OrderBy.Column> MODEL_KEY = List.of(OrderBy.Column.of("m.dataset"), OrderBy.Column.of("m.name"));

    /**
     * As {@link #listModels(Optional, ModelFilter, int, Optional)}, in {@code order} where one is given, else by dataset and
     * name; paged by key either way. The free text and labels are matched in Java, where both stores agree: SQLite's
     * LOWER folds ASCII only and its LIKE ignores ASCII case, so the same filter answered differently there (probe qe).
     */
    public Page<RegisteredModel> listModels(Optional<String> dataset, ModelFilter filter, OrderBy requested, int pageSize, Optional<String> pageToken) {
        OrderBy order = requested.within(requested.context() + "\n" + filter.canonical() + "\n" + dataset.orElse(""));
        Optional<String> search = filter.text().map(String::strip).filter(t -> !t.isEmpty()).map(t -> t.toLowerCase(Locale.ROOT));
        int size = pageSize(pageSize);
        Optional<List<String>> after = order.after(pageToken, order.terms().size() + MODEL_KEY.size());
        List<String> orderColumns = order.terms().stream().map(t -> MODEL_ORDER_COLUMNS.get(t.field())).toList();
        boolean inJava = search.isPresent() || !filter.labels().isEmpty();
        return metadata.read(c -> {
            StringBuilder sql = new StringBuilder("SELECT m.dataset, m.name" + orderColumns.stream().map(e -> ", " + e).reduce("", String::concat)
                    + " FROM models m WHERE 1 = 1");
            List<String> parameters = new ArrayList<>();
            if (dataset.isPresent()) {
                sql.append(" AND m.dataset = ?");
                parameters.add(dataset.get().toLowerCase(Locale.ROOT));
            }
            if (filter.displayName().isPresent()) { // exact: a dataset's name is case-folded, a model's is not
                String displayName = filter.displayName().get();
                int dot = displayName.indexOf('.');
                sql.append(" AND m.dataset = ? AND m.name = ?");
                parameters.add(dot < 0 ? "" : displayName.substring(0, dot).toLowerCase(Locale.ROOT));
                parameters.add(dot < 0 ? "" : displayName.substring(dot + 1));
            }
            // Labels are stored as compact JSON of keys and values in [a-z0-9_-]: a label is the text "key":"value". LIKE only
            // narrows (SQLite's ignores ASCII case); a key=value term is checked exactly below.
            List<String> labelPatterns = new ArrayList<>();
            filter.labels().forEach((key, value) -> labelPatterns.add("%\"" + likeEscape(key) + "\":\"" + likeEscape(value) + "\"%"));
            filter.labelKeys().forEach(key -> labelPatterns.add("%\"" + likeEscape(key) + "\":%"));
            for (String pattern : labelPatterns) {
                sql.append(" AND EXISTS (SELECT 1 FROM model_aliases a JOIN model_versions v ON v.dataset = a.dataset AND v.name = a.name"
                        + " AND v.version = a.version WHERE a.dataset = m.dataset AND a.name = m.name AND a.alias = 'default'"
                        + " AND v.labels LIKE ? ESCAPE '\\')");
                parameters.add(pattern);
            }
            if (after.isPresent()) {
                sql.append(" AND ").append(order.afterSql(MODEL_ORDER_COLUMNS, MODEL_KEY));
                parameters.addAll(OrderBy.afterParameters(after.get()));
            }
            sql.append(" ORDER BY ").append(order.sql(MODEL_ORDER_COLUMNS, "m.dataset, m.name"));
            if (!inJava) {
                sql.append(" LIMIT ").append(size + 1);
            }
            List<String[]> keys = new ArrayList<>(); // dataset, name, then the order's values
            try (PreparedStatement q = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    q.setString(i + 1, parameters.get(i));
                }
                try (ResultSet rows = q.executeQuery()) {
                    while (rows.next()) {
                        String[] key = new String[2 + orderColumns.size()];
                        for (int i = 0; i < key.length; i++) {
                            key[i] = rows.getString(i + 1);
                        }
                        keys.add(key);
                    }
                }
            }
            List<RegisteredModel> models = new ArrayList<>();
            String[] last = null;
            boolean more = false;
            for (String[] key : keys) {
                Optional<RegisteredModel> model = model(c, key[0], key[1]).filter(m -> matches(m, search, filter));
                if (model.isEmpty()) {
                    continue;
                }
                if (models.size() == size) {
                    more = true;
                    break;
                }
                models.add(model.get());
                last = key;
            }
            Optional<String> next = Optional.empty();
            if (more) {
                List<String> values = new ArrayList<>(List.of(last).subList(2, last.length));
                values.add(last[0]);
                values.add(last[1]);
                next = Optional.of(order.token(values));
            }
            return new Page<>(models, next);
        });
    }

    /** Whether {@code model} has {@code search} (lower case) in its name or default version's description, and the labels. */
    private static boolean matches(RegisteredModel model, Optional<String> search, ModelFilter filter) {
        if (search.isPresent() && !(model.dataset() + "." + model.name()).toLowerCase(Locale.ROOT).contains(search.get())
                && !model.description().toLowerCase(Locale.ROOT).contains(search.get())) {
            return false;
        }
        return filter.labels().entrySet().stream().allMatch(l -> l.getValue().equals(model.labels().get(l.getKey())))
                && model.labels().keySet().containsAll(filter.labelKeys());
    }

    public Optional<RegisteredModel> getModel(String dataset, String name) {
        return metadata.read(c -> model(c, dataset.toLowerCase(Locale.ROOT), name));
    }

    /** Versions of a model, ascending; empty page when the model does not exist. */
    public Page<ModelVersion> listVersions(String dataset, String name, int pageSize, Optional<String> pageToken) {
        return listVersions(dataset, name, pageSize, pageToken, ModelFilter.NONE);
    }

    /**
     * As {@link #listVersions(String, String, int, Optional)}, of the versions whose labels {@code filter}'s label terms
     * match (spec 2.2's ListVersions filter: {@code labels.key=value}, {@code labels:key}).
     */
    public Page<ModelVersion> listVersions(String dataset, String name, int pageSize, Optional<String> pageToken, ModelFilter filter) {
        return listVersions(dataset, name, pageSize, pageToken, filter, OrderBy.NONE);
    }

    /** The fields a version list can be ordered by (spec 2.2's ListVersions orderBy), and their columns. */
    public static final List<String> VERSION_ORDER_FIELDS = List.of("create_time", "update_time");
    private static final Map<String, String> VERSION_ORDER_COLUMNS = Map.of("create_time", "created_at", "update_time", "updated_at");

    /** As {@link #listVersions(String, String, int, Optional, ModelFilter)}, in {@code order} where one is given (paged by key too). */
    public Page<ModelVersion> listVersions(String dataset, String name, int pageSize, Optional<String> pageToken, ModelFilter filter,
            OrderBy requested) {
        OrderBy order = requested.within(requested.context() + "\n" + filter.canonical() + "\n" + dataset.toLowerCase(Locale.ROOT) + "." + name);
        if (filter.text().isPresent() || filter.displayName().isPresent()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "a version list's filter takes labels.<key>=<value>, labels.<key>:* or"
                    + " labels:<key>, joined by AND (a version's labels)");
        }
        int size = pageSize(pageSize);
        String d = dataset.toLowerCase(Locale.ROOT);
        Optional<List<String>> afterOrdered = order.after(pageToken, order.terms().size() + 1);
        return metadata.read(c -> {
            if (!modelExists(c, d, name)) {
                throw modelNotFound(c, d, name);
            }
            List<ModelVersion> versions = new ArrayList<>();
            boolean filtered = !filter.labels().isEmpty() || !filter.labelKeys().isEmpty();
            String ordered = " ORDER BY " + order.sql(VERSION_ORDER_COLUMNS, "version");
            String keyset = afterOrdered.isPresent()
                    ? " AND " + order.afterSql(VERSION_ORDER_COLUMNS, List.of(new OrderBy.Column("version", "CAST(? AS INTEGER)"))) : "";
            try (PreparedStatement q = c.prepareStatement("SELECT " + VERSION_COLUMNS
                    + " FROM model_versions WHERE dataset = ? AND name = ?" + keyset + ordered
                    + (filtered ? "" : " LIMIT " + (size + 1)))) {
                q.setString(1, d);
                q.setString(2, name);
                List<String> parameters = afterOrdered.map(OrderBy::afterParameters).orElse(List.of());
                for (int i = 0; i < parameters.size(); i++) {
                    q.setString(3 + i, parameters.get(i));
                }
                try (ResultSet rows = q.executeQuery()) {
                    while (rows.next() && versions.size() <= size) {
                        ModelVersion version = version(rows, d, name, List.of());
                        if (filter.labels().entrySet().stream().allMatch(l -> l.getValue().equals(version.labels().get(l.getKey())))
                                && version.labels().keySet().containsAll(filter.labelKeys())) {
                            versions.add(version);
                        }
                    }
                }
            }
            Optional<String> next = Optional.empty();
            if (versions.size() > size) {
                versions = versions.subList(0, size);
                ModelVersion last = versions.get(size - 1);
                List<String> values = new ArrayList<>();
                for (OrderBy.Term term : order.terms()) {
                    values.add(term.field().equals("create_time") ? last.createdAt() : last.updatedAt());
                }
                values.add(Integer.toString(last.version()));
                next = Optional.of(order.token(values));
            }
            Map<Integer, List<String>> byVersion = aliasesByVersion(c, d, name);
            List<ModelVersion> withAliases = new ArrayList<>();
            for (ModelVersion v : versions) {
                withAliases.add(withAliases(v, byVersion.getOrDefault(v.version(), List.of())));
            }
            return new Page<>(withAliases, next);
        });
    }

    public Optional<ModelVersion> getVersion(String dataset, String name, int version) {
        return metadata.read(c -> version(c, dataset.toLowerCase(Locale.ROOT), name, version));
    }

    // ---------------------------------------------------------------- changes

    /** The option of CREATE MODEL that names aliases for the new version, as in BigQuery ML with MODEL_REGISTRY = 'VERTEX_AI'. */
    public static final String CREATION_ALIASES_OPTION = "vertex_ai_model_version_aliases";

    /** Fails with INVALID_ARGUMENT, naming the rule, unless every alias is valid (before CREATE MODEL trains). */
    public static void requireValidAliases(Collection<String> aliases) {
        aliases.forEach(RegistryRules::requireValidAlias);
    }

    /** The custom aliases a version's CREATE MODEL named ({@link #CREATION_ALIASES_OPTION}); default comes anyway. */
    private static List<String> creationAliases(ModelManifest manifest) {
        Object value = manifest.options() == null ? null : manifest.options().get(CREATION_ALIASES_OPTION);
        if (!(value instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(String::valueOf).filter(alias -> !alias.equals(RegistryRules.DEFAULT_ALIAS)).distinct().toList();
    }

    /**
     * Points {@code alias} at {@code version}, taking it from whichever version had it, in one transaction.
     * {@code default} may be moved this way too.
     */
    public ModelVersion setAlias(String dataset, String name, int version, String alias) {
        RegistryRules.requireValidAlias(alias);
        String d = dataset.toLowerCase(Locale.ROOT);
        metadata.inTransaction(c -> {
            String now = Instant.now().toString();
            requireVersion(c, d, name, version, now);
            putAlias(c, d, name, alias, version, now);
            return null;
        });
        if (alias.equals(RegistryRules.DEFAULT_ALIAS)) {
            followDefaultAfterCommit(d, name);
        }
        return getVersion(d, name, version).orElseThrow();
    }

    /**
     * Vertex AI's mergeVersionAliases on {@code version}: each name is pointed at it, each {@code -name} removed (from
     * whichever version carries it), all in one transaction: a change that is refused (a malformed alias, removing
     * {@code default} or an alias no version carries) leaves every alias as it was.
     */
    public ModelVersion mergeAliases(String dataset, String name, int version, List<String> changes) {
        String d = dataset.toLowerCase(Locale.ROOT);
        for (String change : changes) {
            String alias = change.startsWith("-") ? change.substring(1) : change;
            RegistryRules.requireValidAlias(alias);
            if (change.startsWith("-") && alias.equals(RegistryRules.DEFAULT_ALIAS)) {
                throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The alias 'default' of model " + d + "." + name
                        + " cannot be removed: exactly one version always carries it. Move it instead: add 'default' to the version"
                        + " that should carry it (its :mergeVersionAliases with [\"default\"], or lathe models alias " + d + "." + name
                        + "@<version> default); nothing was changed");
            }
        }
        // Vertex: adding and removing the same alias in one request cancel out.
        Set<String> added = new LinkedHashSet<>();
        Set<String> removed = new LinkedHashSet<>();
        for (String change : changes) {
            if (change.startsWith("-")) {
                removed.add(change.substring(1));
            } else {
                added.add(change);
            }
        }
        Set<String> cancelled = new HashSet<>(added);
        cancelled.retainAll(removed);
        added.removeAll(cancelled);
        removed.removeAll(cancelled);
        if (added.isEmpty() && removed.isEmpty()) { // everything cancelled out: nothing changes, the model's updateTime neither
            Optional<ModelVersion> unchanged = getVersion(d, name, version);
            if (unchanged.isPresent()) {
                return unchanged.get();
            } // else the transaction below says what is missing
        }
        metadata.inTransaction(c -> {
            String now = Instant.now().toString();
            requireVersion(c, d, name, version, now);
            for (String alias : removed) {
                OptionalInt holder = aliasTarget(c, d, name, alias);
                if (holder.isPresent() && holder.getAsInt() != version) {
                    throw new LatheException(ErrorCode.FAILED_PRECONDITION, "'-" + alias + "' removes the alias from version "
                            + version + " of model " + d + "." + name + ", but '" + alias + "' is on version "
                            + holder.getAsInt() + "; address that version (" + d + "." + name + "@" + holder.getAsInt()
                            + ") to remove it; nothing was changed");
                }
                dropAlias(c, d, name, alias, "; nothing was changed");
            }
            for (String alias : added) {
                putAlias(c, d, name, alias, version, now);
            }
            return null;
        });
        if (added.contains(RegistryRules.DEFAULT_ALIAS)) {
            followDefaultAfterCommit(d, name);
        }
        return getVersion(d, name, version).orElseThrow();
    }

    /** Deletes {@code alias} of the model, returning the version that carried it; MODEL_NOT_FOUND (then {@code suffix}) if none did. */
    private int dropAlias(Connection c, String d, String name, String alias, String suffix) throws SQLException {
        OptionalInt target = aliasTarget(c, d, name, alias);
        if (target.isEmpty()) {
            Map<String, Integer> aliases = aliases(c, d, name);
            throw new LatheException(ErrorCode.MODEL_NOT_FOUND, "Model " + d + "." + name + " has no alias '" + alias + "'"
                    + Suggestions.didYouMeanOrStop(alias, aliases.keySet()) + " Aliases are: " + describe(aliases) + suffix);
        }
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM model_aliases WHERE dataset = ? AND name = ? AND alias = ?")) {
            delete.setString(1, d);
            delete.setString(2, name);
            delete.setString(3, alias);
            delete.executeUpdate();
        }
        return target.getAsInt();
    }

    /** Removes a custom alias; returns the version that carried it. {@code default} can only be moved. */
    public ModelVersion removeAlias(String dataset, String name, String alias) {
        String d = dataset.toLowerCase(Locale.ROOT);
        if (RegistryRules.DEFAULT_ALIAS.equals(alias)) {
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, "The alias 'default' of model " + d + "." + name
                    + " cannot be removed: exactly one version always carries it. Move it instead: lathe models alias "
                    + d + "." + name + "@<version> default");
        }
        int version = metadata.inTransaction(c -> {
            String now = Instant.now().toString();
            if (!touch(c, d, name, now)) {
                throw modelNotFound(c, d, name);
            }
            return dropAlias(c, d, name, alias, "");
        });
        return getVersion(d, name, version).orElseThrow();
    }

    /** Sets a version's description and/or labels (replacing them), both checked before either is written. */
    public ModelVersion updateVersion(String dataset, String name, int version, Optional<String> description,
            Optional<Map<String, String>> labels) {
        return updateVersion(dataset, name, version, description, labels, Optional.empty());
    }

    /**
     * As {@link #updateVersion(String, String, int, Optional, Optional)}, in one transaction (the two were written one after
     * the other), refused with ABORTED when {@code etag} is given and the version's is no longer it.
     */
    public ModelVersion updateVersion(String dataset, String name, int version, Optional<String> description,
            Optional<Map<String, String>> labels, Optional<String> etag) {
        description.ifPresent(RegistryRules::requireValidDescription);
        labels.ifPresent(RegistryRules::requireValidLabels);
        String d = dataset.toLowerCase(Locale.ROOT);
        metadata.inTransaction(c -> {
            String now = Instant.now().toString();
            requireVersion(c, d, name, version, now);
            if (etag.isPresent()) {
                String current = version(c, d, name, version).orElseThrow().etag();
                if (!current.equals(etag.get())) {
                    throw new LatheException(ErrorCode.ABORTED, "Model " + d + "." + name + " version " + version + " changed since it was"
                            + " read (etag '" + etag.get() + "', now '" + current + "'); read it again and retry");
                }
            }
            try (PreparedStatement update = c.prepareStatement("UPDATE model_versions SET description = COALESCE(?, description),"
                    + " labels = COALESCE(?, labels), updated_at = ? WHERE dataset = ? AND name = ? AND version = ?")) {
                update.setString(1, description.orElse(null));
                update.setString(2, labels.map(map -> json(new TreeMap<>(map))).orElse(null));
                update.setString(3, now);
                update.setString(4, d);
                update.setString(5, name);
                update.setInt(6, version);
                update.executeUpdate();
            }
            return null;
        });
        return getVersion(d, name, version).orElseThrow();
    }

    public ModelVersion setLabels(String dataset, String name, int version, Map<String, String> labels) {
        return updateVersion(dataset, name, version, Optional.empty(), Optional.of(labels));
    }

    public ModelVersion setDescription(String dataset, String name, int version, String description) {
        return updateVersion(dataset, name, version, Optional.of(description), Optional.empty());
    }

    /**
     * Deletes one version, its artifact and its aliases; {@code default} moves to the newest remaining version
     * when the deleted one carried it. Refused while an endpoint serves the version, and for the only version.
     *
     * @return the model afterwards
     */
    public RegisteredModel deleteVersion(String dataset, String name, int version) {
        settleUnsettled();
        String d = dataset.toLowerCase(Locale.ROOT);
        requireNotDeployed(d, name, version);
        java.util.concurrent.atomic.AtomicReference<ModelStore.Staged> staged = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            deleteVersionRows(d, name, version, staged);
        } catch (RuntimeException e) {
            Optional.ofNullable(staged.get()).ifPresent(trash -> settle(trash, e, c -> versionExists(c, d, name, version)));
            syncDefaultPointer(d, name);
            throw e;
        }
        Optional.ofNullable(staged.get()).ifPresent(ModelStore::discard);
        followDefaultAfterCommit(d, name); // written inside the transaction too; a writer that committed meanwhile may have written after it
        return getModel(d, name).orElseThrow();
    }

    /**
     * A staged delete whose transaction failed: put back where it surely rolled back; where the metadata store failed, the
     * commit may have landed (PostgreSQL's reply lost: probe pu2 saw a committed DROP put back, then registered again as a
     * copied folder, aliases lost), so the registry decides: asked now if it answers, else by the next open
     * ({@link ModelStore#recover}), the trash staying until then.
     */
    private void settle(ModelStore.Staged trash, RuntimeException failure, SqlCheck stillRegistered) {
        if (!(failure instanceof LatheException lathe && lathe.code() == ErrorCode.METADATA_UNAVAILABLE)) {
            ModelStore.restore(trash);
            return;
        }
        boolean registered;
        try {
            registered = metadata.read(stillRegistered::test);
        } catch (RuntimeException unknown) {
            // asked again by this process's next use of the registry (probe pu3: a server kept a registered model without
            // files until its restart), else by the next open
            unsettled.add(new Unsettled(trash, stillRegistered));
            return;
        }
        if (registered) {
            ModelStore.restore(trash);
        } else {
            ModelStore.discard(trash);
        }
    }

    /** A staged delete whose outcome the registry could not be asked about yet. */
    private record Unsettled(ModelStore.Staged trash, SqlCheck stillRegistered) {}

    private final java.util.Queue<Unsettled> unsettled = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /**
     * Settles the staged deletes whose outcome was unknown, now that the store may answer: before any look-up or change
     * of a model, so a rolled-back DROP's model predicts again and a CREATE of its name never meets its trash. Nothing to
     * do (one emptiness check) on every other call.
     */
    private void settleUnsettled() {
        for (int n = unsettled.size(); n > 0; n--) {
            Unsettled pending = unsettled.poll();
            if (pending == null) {
                return;
            }
            boolean registered;
            try {
                registered = metadata.read(pending.stillRegistered()::test);
            } catch (RuntimeException stillUnknown) {
                unsettled.add(pending);
                return;
            }
            if (registered) {
                ModelStore.restore(pending.trash());
            } else {
                ModelStore.discard(pending.trash());
            }
        }
    }

    /** A check against the metadata store. */
    private interface SqlCheck {
        boolean test(Connection c) throws SQLException;
    }

    /** The store's DEFAULT pointer set to the registry's default alias again (after a change that did not commit). */
    private void syncDefaultPointer(String d, String name) {
        try {
            followDefault(d, name);
        } catch (RuntimeException ignored) {
            // the next open sets it from the registry
        }
    }

    private void deleteVersionRows(String d, String name, int version, java.util.concurrent.atomic.AtomicReference<ModelStore.Staged> staged) {
        metadata.inTransaction(c -> {
            String now = Instant.now().toString();
            requireVersion(c, d, name, version, now);
            List<Integer> versions = versionNumbers(c, d, name);
            if (versions.size() == 1) {
                throw new LatheException(ErrorCode.FAILED_PRECONDITION, "Version " + version + " is the only version of model " + d
                        + "." + name + "; delete the whole model instead: lathe models delete " + d + "." + name + " (or DROP MODEL "
                        + d + "." + name + ")");
            }
            boolean wasDefault = aliasTarget(c, d, name, RegistryRules.DEFAULT_ALIAS).orElse(-1) == version;
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM model_aliases WHERE dataset = ? AND name = ? AND version = ?")) {
                delete.setString(1, d);
                delete.setString(2, name);
                delete.setInt(3, version);
                delete.executeUpdate();
            }
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM model_versions WHERE dataset = ? AND name = ? AND version = ?")) {
                delete.setString(1, d);
                delete.setString(2, name);
                delete.setInt(3, version);
                executeUnlessDeployed(delete, d, name);
            }
            int newest = versions.stream().filter(v -> v != version).mapToInt(Integer::intValue).max().orElseThrow();
            if (wasDefault) {
                putAlias(c, d, name, RegistryRules.DEFAULT_ALIAS, newest, now);
            }
            int target = aliasTarget(c, d, name, RegistryRules.DEFAULT_ALIAS).orElseThrow();
            // The folder is renamed away inside the transaction (if that fails, the registry keeps the version) and removed
            // after its commit; a crash in between is settled by the next open (ModelStore.recover), as a failed commit is here.
            store.setDefault(d, name, target);
            if (staged.get() == null) {
                staged.set(store.stageDeleteVersion(d, name, version).orElse(null));
            }
            return null;
        });
    }

    private static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /** Refuses, as {@link #deleteModel} would, a model any of whose versions is deployed; changes nothing. */
    public void requireDeletable(String dataset, String name) {
        String d = dataset.toLowerCase(Locale.ROOT);
        List<Integer> versions = metadata.read(c -> versionNumbers(c, d, name));
        requireNoneDeployed(d, name, versions);
    }

    /**
     * Keeps a model's version counter past its drop ({@code dropped_models}): the numbers a dropped model used are never
     * given to the next model of its name. They started again at 1, so d.m@1 in a prediction log, a batch job's record or
     * someone's notes named another model after a DROP MODEL and CREATE MODEL, though the docs said numbers are never
     * reused (probe td F9); Vertex gives a model made again a new id, whose versions no old reference names either.
     */
    private static void retire(Connection c, String dataset, String name) throws SQLException {
        int next = nextVersion(c, dataset, name);
        try (PreparedStatement q = c.prepareStatement("SELECT MAX(version) FROM model_versions WHERE dataset = ? AND name = ?")) {
            q.setString(1, dataset);
            q.setString(2, name);
            try (ResultSet rows = q.executeQuery()) {
                if (rows.next()) {
                    next = Math.max(next, rows.getInt(1) + 1);
                }
            }
        }
        try (PreparedStatement forget = c.prepareStatement("DELETE FROM dropped_models WHERE dataset = ? AND name = ?")) {
            forget.setString(1, dataset);
            forget.setString(2, name);
            forget.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO dropped_models (dataset, name, next_version, dropped_at) VALUES (?, ?, ?, ?)")) {
            insert.setString(1, dataset);
            insert.setString(2, name);
            insert.setInt(3, next);
            insert.setString(4, Instant.now().toString());
            insert.executeUpdate();
        }
    }

    /** Deletes a model with all its versions and artifacts (DROP MODEL); refused while any version is deployed. */
    public void deleteModel(String dataset, String name) {
        settleUnsettled();
        String d = dataset.toLowerCase(Locale.ROOT);
        List<Integer> versions = metadata.inTransaction(c -> {
            if (!modelExists(c, d, name)) {
                throw modelNotFound(c, d, name);
            }
            return versionNumbers(c, d, name);
        });
        requireNoneDeployed(d, name, versions);
        // The folder is renamed away inside the transaction and removed after its commit; a failed commit puts it back, and a
        // crash in between is settled by the next open (ModelStore.recover). It was removed before the commit: a process
        // killed there left a registered model without files, or a trash folder that failed every later command (probe pu).
        java.util.concurrent.atomic.AtomicReference<ModelStore.Staged> staged = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            metadata.inTransaction(c -> {
                retire(c, d, name);
                for (String table : List.of("model_aliases", "model_versions", "models")) {
                    try (PreparedStatement delete = c.prepareStatement("DELETE FROM " + table + " WHERE dataset = ? AND name = ?")) {
                        delete.setString(1, d);
                        delete.setString(2, name);
                        executeUnlessDeployed(delete, d, name);
                    }
                }
                if (staged.get() == null) {
                    staged.set(store.stageDrop(d, name).orElse(null));
                }
                return null;
            });
        } catch (RuntimeException e) {
            Optional.ofNullable(staged.get()).ifPresent(trash -> settle(trash, e, c -> modelExists(c, d, name)));
            throw e;
        }
        Optional.ofNullable(staged.get()).ifPresent(ModelStore::discard);
    }

    /**
     * Runs a delete of model rows; a foreign key failure means an endpoint deployed the version after the deployment
     * check (the check runs before the transaction), which is the same refusal, not an internal error.
     */
    private static void executeUnlessDeployed(PreparedStatement delete, String dataset, String name) throws SQLException {
        try {
            delete.executeUpdate();
        } catch (SQLException e) {
            if (MetadataStore.foreignKeyViolation(e)) {
                throw new LatheException(ErrorCode.FAILED_PRECONDITION, "Model " + dataset + "." + name + " was deployed to an endpoint"
                        + " while it was being deleted; undeploy it first; nothing was deleted", e);
            }
            throw e;
        }
    }

    /** Refuses a model whose versions are deployed, naming every one at once (the first alone meant one refusal per deployment). */
    private void requireNoneDeployed(String dataset, String name, List<Integer> versions) {
        List<String> deployed = new ArrayList<>();
        for (int version : versions) {
            List<String> endpoints = deployments.endpointsServing(dataset, name, version);
            if (!endpoints.isEmpty()) {
                deployed.add("version " + version + " to endpoint" + (endpoints.size() == 1 ? " " : "s ") + String.join(", ", endpoints));
            }
        }
        if (!deployed.isEmpty()) {
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, "Model " + dataset + "." + name + " is deployed: " + String.join("; ", deployed)
                    + "; undeploy " + (deployed.size() == 1 && !deployed.get(0).contains(",") ? "it" : "every one") + " first; nothing was deleted");
        }
    }

    private void requireNotDeployed(String dataset, String name, int version) {
        List<String> endpoints = deployments.endpointsServing(dataset, name, version);
        if (!endpoints.isEmpty()) {
            throw new LatheException(ErrorCode.FAILED_PRECONDITION, "Model " + dataset + "." + name + " version " + version
                    + " is deployed to endpoint" + (endpoints.size() == 1 ? " " : "s ") + String.join(", ", endpoints)
                    + "; undeploy it from " + (endpoints.size() == 1 ? "that endpoint" : "those endpoints") + " first");
        }
    }

    // ---------------------------------------------------------------- SQL helpers

    private void requireVersion(Connection c, String dataset, String name, int version, String now) throws SQLException {
        if (!touch(c, dataset, name, now)) {
            throw modelNotFound(c, dataset, name);
        }
        if (!versionExists(c, dataset, name, version)) {
            throw new LatheException(ErrorCode.MODEL_NOT_FOUND, "Model " + dataset + "." + name + " has no version " + version
                    + "; versions are " + versionNumbers(c, dataset, name));
        }
    }

    /** Moves (or creates) an alias: delete then insert in the caller's transaction, under the model row's lock. */
    private static void putAlias(Connection c, String dataset, String name, String alias, int version, String now) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM model_aliases WHERE dataset = ? AND name = ? AND alias = ?")) {
            delete.setString(1, dataset);
            delete.setString(2, name);
            delete.setString(3, alias);
            delete.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement(
                "INSERT INTO model_aliases (dataset, name, alias, version, updated_at) VALUES (?, ?, ?, ?, ?)")) {
            insert.setString(1, dataset);
            insert.setString(2, name);
            insert.setString(3, alias);
            insert.setInt(4, version);
            insert.setString(5, now);
            insert.executeUpdate();
        }
    }

    private static boolean modelExists(Connection c, String dataset, String name) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM models WHERE dataset = ? AND name = ?")) {
            q.setString(1, dataset);
            q.setString(2, name);
            try (ResultSet rows = q.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static boolean versionExists(Connection c, String dataset, String name, int version) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM model_versions WHERE dataset = ? AND name = ? AND version = ?")) {
            q.setString(1, dataset);
            q.setString(2, name);
            q.setInt(3, version);
            try (ResultSet rows = q.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static List<Integer> versionNumbers(Connection c, String dataset, String name) throws SQLException {
        List<Integer> versions = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement("SELECT version FROM model_versions WHERE dataset = ? AND name = ? ORDER BY version")) {
            q.setString(1, dataset);
            q.setString(2, name);
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    versions.add(rows.getInt(1));
                }
            }
        }
        return versions;
    }

    private static OptionalInt aliasTarget(Connection c, String dataset, String name, String alias) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT version FROM model_aliases WHERE dataset = ? AND name = ? AND alias = ?")) {
            q.setString(1, dataset);
            q.setString(2, name);
            q.setString(3, alias);
            try (ResultSet rows = q.executeQuery()) {
                return rows.next() ? OptionalInt.of(rows.getInt(1)) : OptionalInt.empty();
            }
        }
    }

    /** Alias -> version, in alias order. */
    private static Map<String, Integer> aliases(Connection c, String dataset, String name) throws SQLException {
        Map<String, Integer> aliases = new TreeMap<>();
        try (PreparedStatement q = c.prepareStatement("SELECT alias, version FROM model_aliases WHERE dataset = ? AND name = ?")) {
            q.setString(1, dataset);
            q.setString(2, name);
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    aliases.put(rows.getString(1), rows.getInt(2));
                }
            }
        }
        return aliases;
    }

    private static Map<Integer, List<String>> aliasesByVersion(Connection c, String dataset, String name) throws SQLException {
        Map<Integer, List<String>> byVersion = new TreeMap<>();
        for (Map.Entry<String, Integer> alias : aliases(c, dataset, name).entrySet()) {
            byVersion.computeIfAbsent(alias.getValue(), v -> new ArrayList<>()).add(alias.getKey());
        }
        return byVersion;
    }

    private static String describe(Map<String, Integer> aliases) {
        List<String> parts = new ArrayList<>();
        aliases.forEach((alias, version) -> parts.add(alias + " (version " + version + ")"));
        return String.join(", ", parts);
    }

    private static Optional<RegisteredModel> model(Connection c, String dataset, String name) throws SQLException {
        String createdAt;
        String updatedAt;
        try (PreparedStatement q = c.prepareStatement("SELECT created_at, updated_at FROM models WHERE dataset = ? AND name = ?")) {
            q.setString(1, dataset);
            q.setString(2, name);
            try (ResultSet rows = q.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                createdAt = rows.getString(1);
                updatedAt = rows.getString(2);
            }
        }
        List<Integer> versions = versionNumbers(c, dataset, name);
        Map<String, Integer> aliases = aliases(c, dataset, name);
        int defaultVersion = aliases.getOrDefault(RegistryRules.DEFAULT_ALIAS, versions.isEmpty() ? 0 : versions.get(versions.size() - 1));
        Optional<ModelVersion> defaultRow = version(c, dataset, name, defaultVersion);
        return Optional.of(new RegisteredModel(dataset, name, defaultVersion, versions.size(), versions.isEmpty() ? 0 : versions.get(versions.size() - 1),
                aliases, defaultRow.map(ModelVersion::modelType).orElse(""), defaultRow.map(ModelVersion::description).orElse(""),
                defaultRow.map(ModelVersion::labels).orElse(Map.of()), createdAt, updatedAt));
    }

    private static Optional<ModelVersion> version(Connection c, String dataset, String name, int version) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT " + VERSION_COLUMNS
                + " FROM model_versions WHERE dataset = ? AND name = ? AND version = ?")) {
            q.setString(1, dataset);
            q.setString(2, name);
            q.setInt(3, version);
            try (ResultSet rows = q.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(version(rows, dataset, name, aliasesByVersion(c, dataset, name).getOrDefault(version, List.of())));
            }
        }
    }

    private static ModelVersion version(ResultSet rows, String dataset, String name, List<String> aliases) throws SQLException {
        int parent = rows.getInt("parent_version");
        OptionalInt parentVersion = rows.wasNull() ? OptionalInt.empty() : OptionalInt.of(parent);
        return new ModelVersion(dataset, name, rows.getInt("version"), rows.getString("model_type"), rows.getString("task"), aliases,
                rows.getString("description"),
                read(rows.getString("labels"), new TypeReference<Map<String, String>>() {}),
                read(rows.getString("metrics"), new TypeReference<Map<String, Double>>() {}),
                new Provenance(rows.getString("training_sql"), rows.getString("statement_sql"), rows.getLong("input_rows"),
                        rows.getString("input_hash"), read(rows.getString("options"), new TypeReference<LinkedHashMap<String, Object>>() {}),
                        rows.getString("platform_version"), rows.getString("trained_at")),
                new Lineage(read(rows.getString("source_tables"), new TypeReference<List<String>>() {}), parentVersion),
                rows.getString("created_at"), rows.getString("updated_at"));
    }

    private static ModelVersion withAliases(ModelVersion v, List<String> aliases) {
        return new ModelVersion(v.dataset(), v.name(), v.version(), v.modelType(), v.task(), aliases, v.description(), v.labels(),
                v.metrics(), v.provenance(), v.lineage(), v.createdAt(), v.updatedAt());
    }

    private static int pageSize(int requested) {
        if (requested < 0 || requested > MAX_PAGE_SIZE) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Page size " + requested + " is out of range; accepted: 1 to "
                    + MAX_PAGE_SIZE + ", or 0 for the default of " + DEFAULT_PAGE_SIZE);
        }
        return requested == 0 ? DEFAULT_PAGE_SIZE : requested;
    }

    /** Maps and lists of plain values as JSON, as Jackson writes them, without its per-type set-up ({@link RecordJson}). */
    private static String json(Object value) {
        try {
            return new String(RecordJson.writeCompact(value), StandardCharsets.UTF_8);
        } catch (UncheckedIOException e) {
            throw LatheException.internal("Cannot encode registry metadata as JSON: " + e.getMessage(), e);
        }
    }

    /**
     * A JSON column as {@code type} ({@link RecordJson}: what databind reads, without its per-type set-up, which cost a
     * fresh {@code lathe models list} about 20 ms).
     */
    @SuppressWarnings("unchecked")
    private static <T> T read(String json, TypeReference<T> type) {
        try {
            return (T) RecordJson.read(json.getBytes(StandardCharsets.UTF_8), type.getType());
        } catch (IOException e) {
            throw LatheException.internal("Registry metadata is not valid JSON: " + e.getMessage(), e);
        }
    }
}
