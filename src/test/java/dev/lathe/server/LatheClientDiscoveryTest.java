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
}
