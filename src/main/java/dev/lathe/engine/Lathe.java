package dev.lathe.engine;

import java.nio.file.Path;
import java.util.function.Consumer;

/** Opens a single-session engine on a data directory (the CLI's case); servers use {@link Platform}. */
public final class Lathe {
    private Lathe() {}

    /** Opens (creating if needed) the data directory: {@code warehouse.duckdb} and {@code models/}. */
    public static Engine open(Path dataDirectory) {
        return open(dataDirectory, message -> {});
    }

    /** As {@link #open(Path)}, reporting training progress lines to {@code progress}. */
    public static Engine open(Path dataDirectory, Consumer<String> progress) {
        return open(Platform.open(dataDirectory), progress);
    }

    /** As {@link #open(Path, Consumer)}, with the registry in the metadata store at {@code metadataUrl}. */
    public static Engine open(Path dataDirectory, String metadataUrl, Consumer<String> progress) {
        return open(Platform.open(dataDirectory, metadataUrl), progress);
    }

    /** An engine over an opened platform, which closing the engine closes (also when this fails). */
    public static Engine open(Platform platform, Consumer<String> progress) {
        try {
            Engine session = platform.session(progress);
            return new Engine() {
                @Override
                public void execute(String script, ResultSink sink) {
                    session.execute(script, sink);
                }

                @Override
                public boolean rollbackOpenTransaction() {
                    return session.rollbackOpenTransaction();
                }

                @Override
                public void cancel() {
                    session.cancel();
                }

                @Override
                public void close() {
                    try {
                        session.close();
                    } finally {
                        platform.close();
                    }
                }
            };
        } catch (RuntimeException e) {
            platform.close();
            throw e;
        }
    }
}
