package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import dev.lathe.engine.Engine;
import dev.lathe.engine.Platform;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Engine sessions (one DuckDB connection each) lent to requests: a session is used by one request at a
 * time and handed back afterwards, so the pool grows to the peak number of concurrent queries and no more.
 */
public final class SessionPool implements AutoCloseable {
    private final Platform platform;
    private final Consumer<String> progress;
    private final ConcurrentLinkedDeque<Engine> idle = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    public SessionPool(Platform platform, Consumer<String> progress) {
        this.platform = requireNonNull(platform, "platform is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** Runs {@code work} with a session of its own. */
    public <T> T withSession(java.util.function.Function<Engine, T> work) {
        if (closed.get()) {
            throw new ApiException(503, "UNAVAILABLE", "The server is shutting down; retry on another instance or after restart",
                    java.util.List.of(), "UNAVAILABLE");
        }
        Engine session = idle.pollFirst();
        if (session == null) {
            session = platform.session(progress);
        }
        try {
            return work.apply(session);
        } finally {
            idle.offerFirst(session);
            if (closed.get()) {
                closeIdle();
            }
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeIdle();
        }
    }

    private void closeIdle() {
        Engine session;
        while ((session = idle.pollFirst()) != null) {
            session.close();
        }
    }
}
