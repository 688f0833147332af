package dev.lathe.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Function;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.thread.Invocable;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * Reads a request's body as it arrives, without a thread waiting for it: what has arrived is copied when Jetty says it
 * is there (on the network thread, never blocking), and the body is handed on once whole. A slow upload then costs a
 * connection and the bytes it sent, not a request thread: read on request threads, about as many bodies trickling in
 * as there were threads (64) kept every other request, {@code /healthz} included, waiting for as long as they trickled
 * (probe ub F1).
 *
 * <p>A body must also keep coming at a minimum rate ({@link Rate}): one that has not arrived within its allowance is
 * answered 408, so that a client cannot hold a connection and its buffer for ever by sending a byte now and then (Jetty's
 * idle timeout is per read, and each byte starts it again). The rate is checked by one timer, armed only when a body has
 * to be waited for; a body that came with its headers costs no timer.
 *
 * <p>A body over the limit is read and dropped (up to {@link #DISCARD_BYTES}) before its 413, so that a client still
 * sending it reads the answer rather than a reset connection; that reading waits on no thread either.
 */
final class AsyncBody implements Runnable, Invocable {
    /** Oversized request bodies up to this size are read and dropped before answering 413. */
    static final long DISCARD_BYTES = 16L << 20;

    /** A body of known length up to this size gets its whole buffer at once; a larger one grows as it arrives. */
    private static final int FIRST_BUFFER = 64 * 1024;

    /**
     * How fast a body must arrive: within {@code grace} of its request's headers, plus one second for every
     * {@code bytesPerSecond} bytes received. The server's is Apache httpd's default ({@code RequestReadTimeout
     * body=20,MinRate=500}): 20 s and 500 bytes a second, so a 1 MB body has about 34 minutes, and a client that sends one
     * byte every few seconds is answered 408 after about 20 s.
     */
    record Rate(long graceNanos, long bytesPerSecond) {
        static final Rate DEFAULT = new Rate(TimeUnit.SECONDS.toNanos(20), 500);

        /** Nanoseconds after the headers by which a body of which {@code received} bytes arrived must have come whole. */
        long allowance(long received) {
            return graceNanos + received * (TimeUnit.SECONDS.toNanos(1) / bytesPerSecond);
        }

        String describe() {
            return String.format(Locale.ROOT, "a request body must arrive within %s s of the request's headers, plus 1 s for every %d"
                    + " bytes received", TimeUnit.NANOSECONDS.toMillis(graceNanos) / 1000.0, bytesPerSecond);
        }
    }

    /**
     * The heap a server's request bodies may hold beyond their first {@link #FIRST_BUFFER} bytes each, from their first
     * bytes until their answer is written: read as they arrive, bodies were no longer bounded by the request threads, so
     * many large uploads at once could fill the heap. A body that would go past it is answered 503, to be sent again.
     */
    static final class Budget {
        private final long capacity;
        private final java.util.concurrent.atomic.AtomicLong held = new java.util.concurrent.atomic.AtomicLong();

        Budget(long capacity) {
            this.capacity = capacity;
        }

        boolean reserve(long bytes) {
            while (true) {
                long now = held.get();
                if (now + bytes > capacity) {
                    return false;
                }
                if (held.compareAndSet(now, now + bytes)) {
                    return true;
                }
            }
        }

        void release(long bytes) {
            held.addAndGet(-bytes);
        }

        long held() {
            return held.get();
        }

        long capacity() {
            return capacity;
        }
    }

    /** What came of the reading, given once: the body, or {@code failure} (an {@link IOException}, or the 408 or 413). */
    @FunctionalInterface
    interface Outcome {
        void done(byte[] body, Exception failure);
    }

    private final Request request;
    private final long limit;
    private final Rate rate;
    private final Scheduler scheduler;
    private final long start;
    private final Outcome outcome;
    /** The 413 of a body without a Content-Length that grows past the limit, from its size. */
    private final Function<String, ApiException> overLimit;
    /** 1 once the outcome is given (a field, not an AtomicBoolean: one allocation fewer on every prediction's path). */
    private volatile int finished;
    private static final AtomicIntegerFieldUpdater<AsyncBody> FINISHED = AtomicIntegerFieldUpdater.newUpdater(AsyncBody.class, "finished");
    /** The body so far; null while discarding. Written by the reading only (Jetty runs one demand callback at a time). */
    private byte[] buffer;
    private int size;
    /** Bytes received so far, kept or dropped; read by the rate timer. */
    private volatile long received;
    /** Set when the body is over the limit: the 413 to answer once the rest is dropped. */
    private volatile ApiException tooLarge;
    private volatile Scheduler.Task check;
    /** Where a buffer past {@link #FIRST_BUFFER} is counted (null: nowhere), and how much of it this body holds. */
    private final Budget budget;
    private long reserved;
    /** Set when the budget had no room for this body: its 503. */
    private ApiException busy;

    private AsyncBody(Request request, long limit, Rate rate, Scheduler scheduler, long start, Function<String, ApiException> overLimit,
            ApiException tooLarge, Budget budget, Outcome outcome) {
        this.request = request;
        this.budget = budget;
        this.overLimit = overLimit;
        this.limit = limit;
        this.rate = rate;
        this.scheduler = scheduler;
        this.start = start;
        this.tooLarge = tooLarge;
        this.outcome = outcome;
        long length = request.getLength();
        if (tooLarge == null && length > 0 && length <= FIRST_BUFFER) {
            buffer = new byte[(int) length];
        }
    }

    /**
     * Reads {@code request}'s body, of at most {@code limit} bytes ({@code tooLarge} builds the 413 of a longer one, from
     * its size), and calls {@code outcome} once: maybe before this returns, on this thread, when the body has already
     * arrived; else on the network thread that read its last bytes, or the scheduler's when it came too slowly.
     * {@code start}: when the request's headers arrived ({@link System#nanoTime()}).
     */
    static void read(Request request, long limit, Rate rate, Scheduler scheduler, long start,
            Function<String, ApiException> tooLarge, Budget budget, Outcome outcome) {
        new AsyncBody(request, limit, rate, scheduler, start, tooLarge, null, budget, outcome).run();
    }

    /** Reads and drops a body whose Content-Length is over the limit (up to {@link #DISCARD_BYTES}), then answers {@code tooLarge}. */
    static void discard(Request request, Rate rate, Scheduler scheduler, long start, ApiException tooLarge, Outcome outcome) {
        new AsyncBody(request, 0, rate, scheduler, start, null, tooLarge, null, outcome).run();
    }

    /** Takes what has arrived; asks Jetty to call again when more has. */
    @Override
    public void run() {
        while (finished == 0) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                armCheck();
                request.demand(this);
                return;
            }
            if (Content.Chunk.isFailure(chunk)) {
                Throwable failure = chunk.getFailure();
                finish(null, failure instanceof IOException io ? io : new IOException(failure));
                return;
            }
            boolean last = chunk.isLast();
            try {
                take(chunk.getByteBuffer());
            } finally {
                chunk.release();
            }
            if (busy != null) {
                finish(null, busy);
                return;
            }
            if (tooLarge != null && (last || received >= DISCARD_BYTES)) {
                finish(null, tooLarge);
                return;
            }
            if (last) {
                finish(buffer == null ? new byte[0] : size == buffer.length ? buffer : Arrays.copyOf(buffer, size), null);
                return;
            }
        }
    }

    private void take(ByteBuffer bytes) {
        int n = bytes.remaining();
        received += n;
        if (tooLarge != null) {
            return; // dropped
        }
        if ((long) size + n > limit) { // a body without a Content-Length, past the limit: drop it from here on
            tooLarge = overLimit.apply("more than " + limit + " bytes");
            buffer = null;
            return;
        }
        if (buffer == null || size + n > buffer.length) {
            long wanted = Math.max((long) size + n, buffer == null ? FIRST_BUFFER : 2L * buffer.length);
            long length = request.getLength();
            int grown = (int) Math.min(wanted, length > 0 ? length : limit);
            if (!reserve(grown)) {
                return;
            }
            buffer = Arrays.copyOf(buffer == null ? new byte[0] : buffer, grown);
        }
        bytes.get(buffer, size, n);
        size += n;
    }

    /**
     * Counts a buffer of {@code length} bytes against the budget, past its first {@link #FIRST_BUFFER}; the first count
     * is given back when the request's answer is written. False, the 503 decided, when the budget has no room.
     */
    private boolean reserve(int length) {
        long more = Math.max(0, length - FIRST_BUFFER) - reserved;
        if (budget == null || more <= 0) {
            return true;
        }
        if (!budget.reserve(more)) {
            busy = new ApiException(503, "UNAVAILABLE", String.format(Locale.ROOT, "The server holds %,d MB of request bodies being read"
                    + " or answered, its limit (a quarter of its heap); send the request again shortly", budget.capacity() >> 20), List.of(),
                    "REQUEST_BODIES_OVER_BUDGET");
            return false;
        }
        if (reserved == 0) {
            Request.addCompletionListener(request, failure -> budget.release(reserved));
        }
        reserved += more;
        return true;
    }

    private void finish(byte[] body, Exception failure) {
        if (FINISHED.compareAndSet(this, 0, 1)) {
            Scheduler.Task task = check;
            if (task != null) {
                task.cancel();
            }
            outcome.done(body, failure);
        }
    }

    /** The first time the body must be waited for, the rate's timer. */
    private void armCheck() {
        if (check == null && rate != null) {
            check = checkIn(Math.max(0, start + rate.graceNanos() - System.nanoTime()));
        }
    }

    /**
     * The rate check, {@code nanos} from now. A server in the last step of its stop has stopped its scheduler, which then
     * refuses tasks: no check (the stop closes the connection anyway), rather than an exception out of Jetty's callback.
     */
    private Scheduler.Task checkIn(long nanos) {
        try {
            return scheduler.schedule(this::checkRate, nanos, TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            return () -> false;
        }
    }

    /**
     * Answers 408 (or an oversized body's 413) when the body is late for what it has sent; otherwise looks again when it
     * would be, and not sooner than a second from now, so that a body that keeps just ahead costs one check a second.
     */
    private void checkRate() {
        if (finished != 0) {
            return;
        }
        long now = System.nanoTime();
        long bytes = received;
        long due = start + rate.allowance(bytes);
        if (now - due < 0) {
            check = checkIn(Math.max(due - now, TimeUnit.SECONDS.toNanos(1)));
            if (finished != 0) {
                check.cancel();
            }
            return;
        }
        ApiException oversized = tooLarge;
        if (oversized != null) {
            finish(null, oversized);
            return;
        }
        long length = request.getLength();
        String rule = rate.describe();
        String came = length > 0 ? String.format(Locale.ROOT, "%,d of its %,d bytes", bytes, length)
                : String.format(Locale.ROOT, "%,d bytes", bytes);
        finish(null, new ApiException(408, "DEADLINE_EXCEEDED", String.format(Locale.ROOT, "The request body arrived too slowly (%s in"
                + " %.1f s): %s; send it at least that fast", came, (now - start) / 1e9, rule),
                List.of(new ApiException.FieldViolation("body", rule)), "REQUEST_BODY_TOO_SLOW"));
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING; // it copies bytes and returns: Jetty may call it on the network thread
    }
}
