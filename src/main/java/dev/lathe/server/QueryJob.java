package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.Engine;
import java.util.Optional;

/**
 * One {@code POST /v1/queries} script, run on a thread of its own so that its request can answer after the request's
 * timeoutMs with {@code jobComplete: false} (BigQuery's jobs.query) while the script goes on; jobs.getQueryResults
 * ({@code GET /v1/queries/{jobId}}) then waits for it, and jobs.cancel stops it.
 */
final class QueryJob {
    private final String id;
    private final Optional<String> requestId;
    /** The session running the script, once it has one: what a cancel stops. */
    private Engine session;
    /** Why the job was cancelled (a client's jobs.cancel, its client gone, the server stopping), once it was. */
    private String cancelled;
    private boolean done;
    private byte[] answer;
    private RuntimeException failure;
    /** Whether its request answered jobComplete: false, so that its outcome is kept for jobs.getQueryResults. */
    private boolean detached;
    /** When it ended (System.nanoTime()), for how long its outcome is kept. */
    private long endedAt;

    QueryJob(String id, Optional<String> requestId) {
        this.id = requireNonNull(id, "id is null");
        this.requestId = requireNonNull(requestId, "requestId is null");
    }

    String id() {
        return id;
    }

    Optional<String> requestId() {
        return requestId;
    }

    /**
     * The session the script runs in from now on, for a cancel to reach; a job cancelled before it had one fails here, as a
     * cancelled statement would (the engine takes a cancel only while a script runs).
     */
    synchronized void running(Engine session) {
        if (cancelled != null) {
            throw new LatheException(ErrorCode.CANCELLED, "Cancelled before it started (" + cancelled + "); a cancelled statement leaves"
                    + " nothing behind");
        }
        this.session = session;
    }

    /** The script is past its session's use: a cancel from now on has nothing to stop. */
    synchronized void stopped() {
        this.session = null;
    }

    /** Whether it was cancelled because it ran past its jobTimeoutMs. */
    private boolean timedOut;

    /** Cancels it for running past its jobTimeoutMs: its failure is then {@link #timedOut()}'s. */
    synchronized void timeOut() {
        if (!done) {
            timedOut = true;
            cancel("it ran past its jobTimeoutMs");
        }
    }

    synchronized boolean timedOut() {
        return timedOut;
    }

    /** Stops the script at its next cancellation point, saying why; false when it had ended. */
    synchronized boolean cancel(String why) {
        if (done) {
            return false;
        }
        if (cancelled == null) {
            cancelled = why;
        }
        if (session != null) {
            session.cancel();
        }
        return true;
    }

    /** The script's answer; true when its request had answered jobComplete: false, so the answer is to be kept. */
    synchronized boolean succeeded(byte[] answer) {
        this.answer = answer;
        end();
        return detached;
    }

    synchronized void failed(RuntimeException failure) {
        this.failure = failure;
        end();
    }

    private void end() {
        done = true;
        session = null;
        endedAt = System.nanoTime();
        notifyAll();
    }

    synchronized boolean done() {
        return done;
    }

    /** Whether it ended more than {@code nanos} ago. */
    synchronized boolean endedBefore(long nanos) {
        return done && System.nanoTime() - endedAt > nanos;
    }

    /**
     * Waits up to {@code millis} for the job to end: its answer, its failure thrown, or empty when it is still running.
     * With {@code detach}, a job still running is marked as answered jobComplete: false, in the same step, so that its
     * outcome is kept ({@link #detached()}). A kept answer, once written to the store, is {@link #STORED}.
     */
    /** What {@link #await} answers for a job whose answer was written to the results' store ({@link #stored()}). */
    static final byte[] STORED = new byte[0];

    synchronized Optional<byte[]> await(long millis, boolean detach) throws InterruptedException {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(millis);
        while (!done) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                detached |= detach;
                return Optional.empty();
            }
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        if (failure != null) {
            throw failure;
        }
        return Optional.of(answer == null ? STORED : answer);
    }

    /** Drops the answer held in memory, once it was written where jobs.getQueryResults reads it. */
    synchronized void stored() {
        answer = null;
    }
}
