package dev.lathe.server;

import dev.lathe.engine.Platform;

/**
 * Work that must finish before {@code /readyz} answers 200, such as loading the deployed models. Hooks run
 * in registration order on one background thread once the server listens, so {@code /healthz} answers
 * while they run.
 */
@FunctionalInterface
public interface StartupHook {
    void run(Platform platform) throws Exception;
}
