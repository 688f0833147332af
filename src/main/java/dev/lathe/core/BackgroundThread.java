package dev.lathe.core;

import org.slf4j.LoggerFactory;

/** Daemon threads that warm up a library while the caller goes on (Arrow, XGBoost's native library). */
public final class BackgroundThread {
    private BackgroundThread() {}

    /**
     * Starts {@code task} on a new daemon platform thread named {@code name}. SLF4J is initialized on the calling
     * thread first: the libraries warmed up in the background log through it (Arrow directly, XGBoost through
     * commons-logging) as does SQLite's driver on the caller's thread, and when two threads initialize it at once, SLF4J
     * queues the calls of one and prints a three-line "being replayed" notice on standard error, into a command's output.
     */
    public static Thread start(String name, Runnable task) {
        LoggerFactory.getILoggerFactory();
        return Thread.ofPlatform().daemon().name(name).start(task);
    }
}
