package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.registry.ModelStore;
import dev.lathe.train.ModelFamilies;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loaded model versions, shared by every session, online runtime and batch job of a {@link Platform}, so
 * each version is read and built once per process. Keys are version numbers, which are never reused (a model made again
 * under a dropped model's name goes on from its numbers); CREATE [OR REPLACE] and DROP invalidate the model's entries all
 * the same. A serving replica does not see its primary's DDL, and a version folder may be written again by hand (a backup
 * of another model's restored over it, a data directory from before numbers were kept past a drop), so there each entry
 * also keeps its version's {@link ModelStore#versionStamp stamp}, and a version whose files were written again is loaded
 * again: a replica served a dropped model's predictions for the new model of its name and number (probe G). A primary
 * runs every DDL itself, so it reads no stamp (a file system call per look-up).
 */
final class ModelCache {
    private record Entry(LoadedModel model, Object stamp) {}

    private final ModelStore store;
    private final ModelFamilies families;
    private final Map<String, Entry> models = new ConcurrentHashMap<>();
    private final boolean stamped;

    /** Whether the registry has a version (asked only when its files are missing). */
    @FunctionalInterface
    interface Registered {
        boolean test(String dataset, String name, int version);
    }

    private final Registered registered;
    private final dev.lathe.sql.TransformCheck check;

    /**
     * {@code stamped}: another process drops and creates models (this one is a serving replica); {@code check} checks a
     * stored TRANSFORM before it is used.
     */
    ModelCache(ModelStore store, ModelFamilies families, boolean stamped, Registered registered, dev.lathe.sql.TransformCheck check) {
        this.store = store;
        this.families = families;
        this.stamped = stamped;
        this.registered = registered;
        this.check = check;
    }

    /**
     * The loaded version the registry resolved. Its folder missing (deleted or moved outside Lathe) is a damaged artifact,
     * an INTERNAL error naming the folder, as a corrupt file is: it was "has no version 1; versions are []", a 404 that
     * told a client and a readiness probe that a deployed model did not exist (probe sb F2). A version the registry no
     * longer has either (deleted meanwhile) stays MODEL_NOT_FOUND.
     */
    LoadedModel get(String dataset, String name, int version) {
        Object stamp = stamped ? store.versionStamp(dataset, name, version) : Boolean.TRUE;
        try {
            return models.compute(prefix(dataset, name) + version, (key, cached) -> cached != null && cached.stamp().equals(stamp) ? cached
                    : new Entry(LoadedModel.load(store, families, check, dataset, name, version), stamp)).model();
        } catch (LatheException e) {
            if (e.code() == ErrorCode.MODEL_NOT_FOUND && registered.test(dataset, name, version)) {
                throw new LatheException(ErrorCode.INTERNAL, "Model " + dataset + "." + name + " version " + version + " is registered"
                        + " but its files are missing: " + store.versionPath(dataset, name, version) + " does not exist; restore that"
                        + " folder from a backup, or use another version", e);
            }
            throw e;
        }
    }

    /** Forgets every loaded version of {@code dataset.name}. */
    void invalidate(String dataset, String name) {
        String prefix = prefix(dataset, name);
        models.keySet().removeIf(key -> key.startsWith(prefix));
    }

    private static String prefix(String dataset, String name) {
        return dataset.toLowerCase(Locale.ROOT) + "." + name + "@";
    }
}
