package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** Probe qd: lines logged in a shutdown hook (a server writing out its prediction log) were never printed. */
class ShutdownLoggingTest {
    /** A process that installs {@link ShutdownLogging}, logs nothing before its end, and logs from a shutdown hook. */
    public static final class Stopping {
        public static void main(String[] args) {
            ShutdownLogging.install();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(300); // after the JDK's own hook ran
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                Logger.getLogger("lathe.test").warning("written while stopping");
            }));
        }
    }

    /**
     * Probe sb F4: {@code lathe server | a reader that does not read}. Once the pipe was full, SIGTERM's stop blocked
     * printing its first line, for good: the server kept serving, and only SIGKILL ended it, without flushing the
     * prediction log or removing server.json. It stops, removing server.json, though standard output is still not read.
     */
    @Test
    void aServerStopsOnSigtermWhileNobodyReadsItsStandardOutput(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
        Path dataDirectory = directory.resolve("data");
        Process server = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED", Main.class.getName(), "--data-dir",
                dataDirectory.toString(), "server", "--port", "0", "--drain-seconds", "2")
                .redirectError(directory.resolve("stderr.txt").toFile())
                .start(); // standard output: a pipe this test never reads
        try {
            java.util.Optional<dev.lathe.server.ServerInfo> info = java.util.Optional.empty();
            for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); info.isEmpty() && System.nanoTime() < deadline; ) {
                Thread.sleep(100);
                info = dev.lathe.server.ServerDiscovery.read(dataDirectory);
            }
            assertThat(info).as(java.nio.file.Files.readString(directory.resolve("stderr.txt"))).isPresent();
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            // 4 KB access-log lines (a long unknown path), 2 MB in all: far more than a pipe holds (64 KB)
            java.net.http.HttpRequest unknown = java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + info.get().port() + "/" + "x".repeat(4_000))).build();
            for (int i = 0; i < 500; i++) {
                assertThat(http.send(unknown, java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(404);
            }

            // SIGTERM, the pipe left open as a stuck reader leaves it (Process.destroy() also closes this end, and the
            // server's blocked write then fails instead)
            assertThat(server.toHandle().destroy()).isTrue();
            assertThat(server.waitFor(60, TimeUnit.SECONDS)).as(java.nio.file.Files.readString(directory.resolve("stderr.txt"))).isTrue();
            assertThat(server.exitValue()).isEqualTo(143);
            assertThat(dev.lathe.server.ServerDiscovery.file(dataDirectory)).doesNotExist();
        } finally {
            server.destroyForcibly();
        }
    }

    @Test
    void aLineLoggedWhileTheProcessStopsIsPrinted() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Stopping.class.getName()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).contains("WARNING: written while stopping");
    }
}
