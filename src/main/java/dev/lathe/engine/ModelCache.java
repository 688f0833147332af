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
 * numbers start again at 1.
 */
final class ModelCache {
    private final ModelStore store;
    private final ModelFamilies families;
    private final Map<String, LoadedModel> models = new ConcurrentHashMap<>();

    ModelCache(ModelStore store, ModelFamilies families) {
        this.store = store;
        this.families = families;
    }

    LoadedModel get(String dataset, String name, int version) {
        return models.computeIfAbsent(prefix(dataset, name) + version, key -> LoadedModel.load(store, families, dataset, name, version));
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
