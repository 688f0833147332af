package dev.lathe.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.eclipse.jetty.io.ManagedSelector;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.thread.Scheduler;

/**
 * A socket endpoint that does not ask the kernel for bytes it already said it does not have.
 *
 * <p>After Jetty answers a request that had a body, its connection reads the socket again before waiting for the next
 * request, and retries a read that returned nothing (for TLS; {@code HttpConnection.fillRequestBuffer}): on a
 * keep-alive connection whose client waits for the answer, that is two {@code read} calls failing with EAGAIN per
 * request, about a tenth of a one-instance {@code :predict}'s CPU on one core. A read that returned fewer bytes than
 * the buffer had room for emptied the socket's receive queue at that moment, so until the selector reports the socket
 * readable again this endpoint answers such a read with 0 without the system call. That is always a correct answer
 * (a read may return 0 at any time): Jetty then registers read interest, and the selector, level-triggered, reports
 * at once any bytes that came in between, pipelined requests and the rest of a split body included.
 */
final class DrainAwareEndPoint extends SocketChannelEndPoint {

    /** The last read left the receive queue empty, and the selector has not reported this socket since. */
    private volatile boolean drained;
    /** Reads answered without a system call (for tests and diagnosis; a plain counter, as one thread fills at a time). */
    private long skippedReads;

    DrainAwareEndPoint(SocketChannel channel, ManagedSelector selector, SelectionKey key, Scheduler scheduler) {
        super(channel, selector, key, scheduler);
    }

    /** Bytes {@link #peerClosed} read, which the next {@link #fill} hands on first; null when there are none. */
    private ByteBuffer unread;

    @Override
    public synchronized int fill(ByteBuffer buffer) throws IOException {
        if (unread != null) {
            int handed = BufferUtil.append(buffer, unread);
            if (!unread.hasRemaining()) {
                unread = null;
            }
            return handed;
        }
        if (drained && !isInputShutdown()) {
            skippedReads++;
            return 0;
        }
        // The room before the read; filling may compact the buffer and find more, so a read shorter than this one is
        // short for certain (one as long may still have left bytes behind: then the next read asks the kernel).
        int room = BufferUtil.space(buffer);
        int filled = super.fill(buffer);
        drained = filled >= 0 && filled < room;
        return filled;
    }

    /**
     * Whether the client has closed the connection (or it was reset), found by reading it while its request is handled,
     * when Jetty does not ({@link ClientWatch}). A byte that came instead (a pipelined request) is kept for the next
     * {@link #fill}, and the client counts as there.
     */
    synchronized boolean peerClosed() {
        if (!isOpen() || isInputShutdown()) {
            return true;
        }
        if (unread != null) {
            return false;
        }
        ByteBuffer one = BufferUtil.allocate(1);
        try {
            int filled = super.fill(one);
            if (filled > 0) {
                unread = one;
            }
            return filled < 0;
        } catch (IOException e) {
            return true; // reset by the peer
        }
    }

    long skippedReads() {
        return skippedReads;
    }

    @Override
    public Runnable onSelected() {
        drained = false;
        return super.onSelected();
    }
}
