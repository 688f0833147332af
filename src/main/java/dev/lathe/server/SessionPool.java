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

    /** Runs {@code work} with a pooled session, cleared of the temporary objects it leaves before another request has it. */
    public <T> T withSession(java.util.function.Function<Engine, T> work) {
        requireOpen();
        Engine session = idle.pollFirst();
        if (session == null) {
            session = platform.session(progress);
        }
        boolean reusable = false;
        try {
            return work.apply(session);
        } finally {
            try {
                session.discardSessionState(); // the next request may be another client's
                reusable = true;
            } catch (RuntimeException e) {
                java.util.logging.Logger.getLogger(SessionPool.class.getName()).log(java.util.logging.Level.WARNING,
                        "A pooled session's temporary objects could not be cleared; the session is closed instead", e);
            }
            if (reusable) {
                idle.offerFirst(session);
            } else {
                session.close();
            }
            if (closed.get()) {
                closeIdle();
            }
        }
    }

    /**
     * BigQuery's sessions: a client's own engine session, kept between its requests (its temporary tables, variables and
     * macros stay its own), until {@link #abort} or {@link #IDLE_LIMIT} without a request. An interactive shell and a
     * script through a server use one, as they would their own connection without a server.
     */
    private final java.util.concurrent.ConcurrentHashMap<String, Dedicated> dedicated = new java.util.concurrent.ConcurrentHashMap<>();

    /** How long a session may go without a request before it ends (BigQuery ends an idle session after 24 hours). */
    static final java.time.Duration IDLE_LIMIT = java.time.Duration.ofHours(24);

    private static final class Dedicated {
        final Engine engine;
        final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        volatile long lastUsed = System.nanoTime();

        Dedicated(Engine engine) {
            this.engine = engine;
        }
    }

    /** A new session of its own; its id goes with the client's later requests. */
    public String create() {
        requireOpen();
        endIdleSessions();
        String id = java.util.UUID.randomUUID().toString();
        dedicated.put(id, new Dedicated(platform.session(progress)));
        return id;
    }

    /** Runs {@code work} in session {@code id}, one request at a time; an unknown or ended session is a 404. */
    public <T> T withSession(String id, java.util.function.Function<Engine, T> work) {
        requireOpen();
        Dedicated session = dedicated.get(id);
        if (session == null) {
            throw ApiException.notFound("Session " + id + " not found: it ended (CALL BQ.ABORT_SESSION(), " + IDLE_LIMIT.toHours()
                    + " hours without a request, or a restart of the server); start another with createSession");
        }
        session.lock.lock();
        try {
            session.lastUsed = System.nanoTime();
            return work.apply(session.engine);
        } finally {
            session.lastUsed = System.nanoTime();
            session.lock.unlock();
        }
    }

    /** Ends session {@code id} (its temporary objects go with it); false when there is none. */
    public boolean abort(String id) {
        Dedicated session = dedicated.remove(id);
        if (session == null) {
            return false;
        }
        session.lock.lock();
        try {
            session.engine.close();
        } finally {
            session.lock.unlock();
        }
        return true;
    }

    private void endIdleSessions() {
        long now = System.nanoTime();
        dedicated.forEach((id, session) -> {
            if (now - session.lastUsed > IDLE_LIMIT.toNanos() && !session.lock.isLocked()) {
                abort(id);
            }
        });
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new ApiException(503, "UNAVAILABLE", "The server is shutting down; retry on another instance or after restart",
                    java.util.List.of(), "UNAVAILABLE");
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            closeIdle();
            // A client's statement still running after the stop's drain is cancelled: waited for, it held the stop past
            // --drain-seconds for as long as it ran, then committed with its answer dropped (probe sg: 37 s for a 5 s drain)
            dedicated.values().forEach(session -> session.engine.cancel());
            dedicated.keySet().forEach(this::abort);
        }
    }

    private void closeIdle() {
        Engine session;
        while ((session = idle.pollFirst()) != null) {
            session.close();
        }
    }
}
