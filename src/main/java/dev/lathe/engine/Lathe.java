package dev.lathe.engine;

import dev.lathe.registry.ModelStore;
import dev.lathe.train.ModelFamilies;
import dev.lathe.warehouse.Warehouse;
import java.nio.file.Path;
import java.util.function.Consumer;

/** The composition root: opens a data directory and wires the warehouse, model store and model types. */
public final class Lathe {
    private Lathe() {}

    /** Opens (creating if needed) the data directory: {@code warehouse.duckdb} and {@code models/}. */
    public static Engine open(Path dataDirectory) {
        return open(dataDirectory, message -> {});
    }

    /** As {@link #open(Path)}, reporting training progress lines to {@code progress}. */
    public static Engine open(Path dataDirectory, Consumer<String> progress) {
        Warehouse warehouse = Warehouse.open(dataDirectory);
        try {
            return new LatheEngine(warehouse, true, ModelStore.open(dataDirectory), ModelFamilies.standard(), progress);
        } catch (RuntimeException e) {
            warehouse.close();
            throw e;
        }
    }
}
