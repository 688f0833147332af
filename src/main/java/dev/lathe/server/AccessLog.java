package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Access-log lines handed to their sink by one daemon thread. Requests are answered on network threads
 * ({@link LatheServer.Builder#nonBlockingRoute}), and a sink can block (standard output into a full pipe), which
 * would stall every connection of that thread; so a line only joins a bounded queue, and when {@link #CAPACITY}
 * lines wait, further lines are dropped and counted ({@code lathe_http_access_log_dropped_total}). On close the
 * lines still waiting are written, up to a deadline.
 */
final class AccessLog implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(AccessLog.class.getName());
    static final int CAPACITY = 65_536;
    private static final String END = new String("end of the access log"); // compared by identity

    private final Consumer<String> sink;
    private final BlockingQueue<String> queue;
    private final Runnable dropped;
    private final Thread writer;

    AccessLog(Consumer<String> sink, int capacity, ServerMetrics metrics) {
        this(sink, capacity, metrics.counter("lathe_http_access_log_dropped_total",
                "Access-log lines dropped because the log's writer was " + capacity + " lines behind.").labels()::inc, "lathe-access-log");
    }

    /**
     * Lines written by a daemon thread named {@code threadName}; {@code onDrop} runs for each line dropped because
     * {@code capacity} were waiting. (The server's stop says its lines so, as standard output may be a pipe nobody reads.)
     */
    AccessLog(Consumer<String> sink, int capacity, Runnable onDrop, String threadName) {
        this.sink = requireNonNull(sink, "sink is null");
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = requireNonNull(onDrop, "onDrop is null");
        this.writer = Thread.ofPlatform().daemon().name(threadName).start(this::run);
    }

    /** Queues a line; never blocks. */
    void add(String line) {
        if (!queue.offer(line)) {
            dropped.run();
        }
    }

    private void run() {
        try {
            for (String line = queue.take(); line != END; line = queue.take()) {
                try {
                    sink.accept(line);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "Writing an access-log line failed", e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Writes what is waiting for at most {@code timeoutMillis} in all, and stops the writer; a writer still blocked in
     * its sink then (a full pipe) is left to it, a daemon that does not keep the JVM alive.
     */
    void close(long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        try {
            if (queue.offer(END, timeoutMillis, TimeUnit.MILLISECONDS)) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    writer.join(java.time.Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
    }

    @Override
    public void close() {
        close(5_000);
    }
}
