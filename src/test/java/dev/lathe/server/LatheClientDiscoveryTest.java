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
