package dev.lathe.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which {@code server.json} a command may remove: a stale one only, never that of a live server slow to answer. */
class LatheClientDiscoveryTest {
    private static ServerInfo info(long pid, int port) {
        return new ServerInfo(pid, "127.0.0.1", port, "2026-12-07T00:00:00Z", "test");
    }

    /** Probe qa: a 2 s stall removed the live server's file, and every later command met its hold as a lock error. */
    @Test
    void aLiveServerThatDoesNotAnswerInTimeKeepsItsFile(@TempDir Path dataDirectory) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) { // accepts, never answers
            ServerDiscovery.write(dataDirectory, info(ProcessHandle.current().pid(), silent.getLocalPort()));
            assertThat(LatheClient.discover(dataDirectory)).isEmpty();
            assertThat(Files.exists(ServerDiscovery.file(dataDirectory))).isTrue();
        }
    }

    /**
     * Probe sg: a data directory copied while its server ran (a backup, a clone) holds the original's file, and the copy's
     * statements ran in the original's warehouse and registry. The file records the directory it serves.
     */
    @Test
    void aCopiedDirectorysFileNamingAnotherDirectorysServerIsIgnoredAndRemoved(@TempDir Path original, @TempDir Path copy) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ServerInfo originals = new ServerInfo(ProcessHandle.current().pid(), "127.0.0.1", silent.getLocalPort(),
                    "2026-12-07T00:00:00Z", "test", original.toAbsolutePath().toString());
            assertThat(originals.serves(original)).isTrue();
            assertThat(originals.serves(copy)).isFalse();
            ServerDiscovery.write(copy, originals); // as cp -r left it
            assertThat(ServerDiscovery.read(copy)).contains(originals);
            assertThat(LatheClient.discover(copy)).isEmpty();
            assertThat(Files.exists(ServerDiscovery.file(copy))).isFalse();
            ServerDiscovery.write(original, originals); // the original's own file stays (its server is only slow here)
            assertThat(LatheClient.discover(original)).isEmpty();
            assertThat(Files.exists(ServerDiscovery.file(original))).isTrue();
        }
    }

    @Test
    void aFileOfNoServerIsRemoved(@TempDir Path dataDirectory) throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        // a live process (a pid taken again) with nothing listening on the port
        ServerDiscovery.write(dataDirectory, info(ProcessHandle.current().pid(), closed));
        assertThat(LatheClient.discover(dataDirectory)).isEmpty();
        assertThat(Files.exists(ServerDiscovery.file(dataDirectory))).isFalse();
        // a process that ended
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        ServerDiscovery.write(dataDirectory, info(ended.pid(), closed));
        assertThat(LatheClient.discover(dataDirectory)).isEmpty();
        assertThat(Files.exists(ServerDiscovery.file(dataDirectory))).isFalse();
    }

    /** Probe sg: the directory's server that lives but does not answer is the one a waiting command names. */
    @Test
    void theUnansweringServerIsTheLiveOneOfThisDirectory(@TempDir Path dataDirectory, @TempDir Path other) throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ServerInfo server = new ServerInfo(ProcessHandle.current().pid(), "127.0.0.1", silent.getLocalPort(), "2026-12-07T00:00:00Z",
                    "test", dataDirectory.toAbsolutePath().toString());
            ServerDiscovery.write(dataDirectory, server);
            assertThat(LatheClient.discover(dataDirectory)).isEmpty();
            assertThat(LatheClient.unanswering(dataDirectory)).contains(server);
            ServerDiscovery.write(other, server); // a copy's file: the server serves another directory
            assertThat(LatheClient.unanswering(other)).isEmpty();
        }
        assertThat(LatheClient.unanswering(other.resolve("none"))).isEmpty();
    }

    /**
     * Probe sg: a statement whose server stopped answering (SIGSTOP) waited with no output at all until Ctrl-C. The wait
     * tells that the server has not answered, and goes on; a cancel the server does not answer either fails soon, and
     * abandoning the wait (what Ctrl-C does then) ends it saying the statement may still run.
     */
    @Test
    void aStatementWaitTellsThatItsServerStoppedAnsweringAndCanBeAbandoned() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) { // accepts, never answers
            java.util.List<String> notices = new java.util.concurrent.CopyOnWriteArrayList<>();
            LatheClient client = new LatheClient(java.net.URI.create("http://127.0.0.1:" + silent.getLocalPort()))
                    .noticing(notices::add).checkingEvery(java.time.Duration.ofMillis(200));
            java.util.concurrent.CompletableFuture<com.fasterxml.jackson.databind.JsonNode> statement = java.util.concurrent.CompletableFuture
                    .supplyAsync(() -> client.query("SELECT 1", 10, java.util.Optional.of("r1")));
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (notices.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(notices).singleElement().asString().startsWith("lathe: the Lathe server at http://127.0.0.1:" + silent.getLocalPort()
                    + " has not answered for ").contains("keeps waiting for its result", "Ctrl-C stops waiting");
            assertThat(statement).isNotDone();
            long start = System.nanoTime();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> client.cancel("r1"))
                    .isInstanceOfSatisfying(dev.lathe.core.LatheException.class, e -> assertThat(e.code())
                            .isEqualTo(dev.lathe.core.ErrorCode.SERVER_UNAVAILABLE))
                    .hasMessageContaining("did not answer the cancel");
            assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(8));
            client.abandon();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> statement.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .hasCauseInstanceOf(dev.lathe.core.LatheException.class)
                    .cause().hasMessageContaining("Stopped waiting for the Lathe server at").hasMessageContaining("may still be running there")
                    .isInstanceOfSatisfying(dev.lathe.core.LatheException.class, e -> assertThat(e.code()).isEqualTo(dev.lathe.core.ErrorCode.CANCELLED));
        }
    }
}
