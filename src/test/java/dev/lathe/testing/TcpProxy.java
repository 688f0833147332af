package dev.lathe.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a free local port, for tests of a server that goes away for a while: {@link #cut} closes every
 * connection through it and turns new ones away (accepted and closed at once, as a restarting server's port does),
 * {@link #restore} forwards again.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("tcp-proxy-accept").start(this::accept);
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** A proxy to the server of {@code jdbcUrl} ({@code jdbc:postgresql://host[:port]/...}). */
    public static TcpProxy toServerOf(String jdbcUrl) throws IOException {
        java.net.URI server = java.net.URI.create(jdbcUrl.substring("jdbc:".length()));
        return new TcpProxy(server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
    }

    /** {@code jdbcUrl}, whose server this proxy forwards to, through this proxy. */
    public String through(String jdbcUrl) {
        return jdbcUrl.replaceFirst("//[^/]+/", "//127.0.0.1:" + port() + "/");
    }

    /** Closes every open connection and turns new ones away until {@link #restore}. */
    public void cut() {
        cut = true;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    public void restore() {
        cut = false;
        silent = false;
    }

    private volatile boolean silent;

    /**
     * Until {@link #restore}, keeps every connection open and new ones accepted, but drops what either end sends: a server
     * that stops answering without closing its sockets (a hung host, a network partition).
     */
    public void silence() {
        silent = true;
    }

    private volatile String after;
    private volatile boolean seen;
    /** Whether the server has answered the message holding {@code after} (PostgreSQL's ReadyForQuery went back). */
    private volatile boolean answered;
    private volatile boolean holding;
    private volatile boolean swallow;

    /**
     * Once the client has sent a message holding {@code first}, drops its next message (the COMMIT) and {@link #cut}s,
     * turning connections away until {@link #restore}: a commit that never reached the server, and a server that cannot be
     * asked afterwards.
     */
    public void loseTheMessageAfter(String first) {
        arm(first, true, false);
    }

    /**
     * Once the client has sent a message holding {@code first} (the last statement of a transaction), passes its next
     * message (the COMMIT, which PostgreSQL's driver sends as a prepared statement, not as text) on to the server, drops
     * what the server answers and then {@link #cut}s: a commit that landed whose reply was lost.
     */
    public void loseReplyToTheMessageAfter(String first) {
        arm(first, false, false);
    }

    /** Set once the client's message after the one holding {@code after} went to this server socket: closed once answered. */
    private volatile Socket closeOnceAnswered;
    private volatile boolean closeAfterAnswer;
    /** With {@link #closeAfterAnswer}: {@link #cut} rather than close the one connection. */
    private volatile boolean cutAfterAnswer;

    /**
     * Once the client has sent a message holding {@code first} (the last statement of a transaction), passes its next
     * message (the COMMIT) on to the server and its answer back, then closes that connection at once, both ends, as a
     * server restart or {@code pg_terminate_backend} does: a commit that landed and was answered, on a connection that is
     * dead when the client (its pool) uses it next. Other connections are left alone, and new ones let through.
     */
    public void closeAfterAnsweringTheMessageAfter(String first) {
        cutAfterAnswer = false;
        arm(first, false, true);
    }

    /**
     * As {@link #closeAfterAnsweringTheMessageAfter}, but {@link #cut}s once the COMMIT is answered, turning connections away
     * until {@link #restore}: a commit that landed and was answered, and then a server that cannot be asked.
     */
    public void cutAfterAnsweringTheMessageAfter(String first) {
        cutAfterAnswer = true;
        arm(first, false, true);
    }

    /** Whether an armed loss ({@link #closeAfterAnsweringTheMessageAfter} and the others) has yet to happen. */
    public boolean armed() {
        return after != null || closeOnceAnswered != null;
    }

    private void arm(String first, boolean dropTheMessage, boolean closeAfterTheAnswer) {
        closeAfterAnswer = closeAfterTheAnswer;
        seen = false;
        answered = false;
        holding = false;
        swallow = dropTheMessage;
        after = first; // last: the pump reads the others once it sees this set
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (cut) {
                    closeQuietly(client);
                    continue;
                }
                Socket server = new Socket(targetHost, targetPort);
                open.add(client);
                open.add(server);
                Thread.ofPlatform().daemon().start(() -> pump(client, server, true));
                Thread.ofPlatform().daemon().start(() -> pump(server, client, false));
            } catch (IOException e) {
                // the listener closed, or the target refused: the client sees its connection close
            }
        }
    }

    private void pump(Socket from, Socket to, boolean toServer) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                if (!toServer && seen && readyForQuery(buffer, read)) {
                    answered = true; // the statement holding `after` is done: the client's next message is the COMMIT
                }
                if (!toServer && from == closeOnceAnswered && readyForQuery(buffer, read)) {
                    if (cutAfterAnswer) {
                        cut = true; // first, so that no connection made after the answer gets through
                    }
                    closeQuietly(from); // first, so that nothing the client sends after the answer reaches the server
                    out.write(buffer, 0, read);
                    out.flush();
                    if (cutAfterAnswer) {
                        cut();
                    }
                    closeOnceAnswered = null;
                    return; // the finally closes the client's end
                }
                if (toServer && after != null) {
                    if (seen && answered && closeAfterAnswer) { // the COMMIT: passed on; its answer closes the connection
                        closeAfterAnswer = false;
                        closeOnceAnswered = to;
                        after = null;
                        out.write(buffer, 0, read);
                        out.flush();
                        continue;
                    }
                    if (seen && answered && swallow) { // the message after the one holding `after`: never delivered
                        after = null;
                        cut();
                        return;
                    }
                    if (seen && answered) { // the message after the one holding `after`: passed on, its answer lost
                        holding = true;
                        after = null;
                        out.write(buffer, 0, read);
                        out.flush();
                        Thread.ofPlatform().daemon().start(() -> {
                            try {
                                Thread.sleep(300); // the server commits meanwhile
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            cut();
                            holding = false;
                        });
                        continue;
                    }
                    seen |= new String(buffer, 0, read, java.nio.charset.StandardCharsets.ISO_8859_1).contains(after);
                }
                if ((!toServer && holding) || silent) {
                    continue;
                }
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException e) {
            // closed by cut() or by either end
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    /**
     * Whether the bytes hold PostgreSQL's ReadyForQuery ('Z', length 5, status): the server is done with the client's
     * request, whose parts (Parse, Bind, Execute, Sync) may come in several writes.
     */
    private static boolean readyForQuery(byte[] buffer, int length) {
        for (int i = 0; i + 5 < length; i++) {
            if (buffer[i] == 'Z' && buffer[i + 1] == 0 && buffer[i + 2] == 0 && buffer[i + 3] == 0 && buffer[i + 4] == 5) {
                return true;
            }
        }
        return false;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
