package dev.lathe.engine;

import dev.lathe.registry.ModelStore;
import dev.lathe.train.ModelFamilies;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Loaded model versions, shared by every session, online runtime and batch job of a {@link Platform}, so
 * each version is read and built once per process. Keys are version numbers, which are immutable while a
 * model exists; CREATE [OR REPLACE] and DROP invalidate the model's entries, because a dropped model's
 * numbers start again at 1. Another process's DROP and CREATE do not reach this one (a serving replica beside its
 * primary), so each entry also keeps its version's {@link ModelStore#versionStamp stamp}, and a version whose files were
 * written again is loaded again: a replica served a dropped model's predictions for the new model of its name and
 * number (probe G).
 */
final class ModelCache {
    private record Entry(LoadedModel model, Object stamp) {}

    private final ModelStore store;
    private final ModelFamilies families;
    private final Map<String, Entry> models = new ConcurrentHashMap<>();

    ModelCache(ModelStore store, ModelFamilies families) {
        this.store = store;
        this.families = families;
    }

    LoadedModel get(String dataset, String name, int version) {
        Object stamp = store.versionStamp(dataset, name, version);
        return models.compute(prefix(dataset, name) + version, (key, cached) -> cached != null && cached.stamp().equals(stamp) ? cached
                : new Entry(LoadedModel.load(store, families, dataset, name, version), stamp)).model();
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
