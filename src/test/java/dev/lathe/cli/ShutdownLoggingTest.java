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

    @Test
    void aLineLoggedWhileTheProcessStopsIsPrinted() throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Stopping.class.getName()).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).contains("WARNING: written while stopping");
    }
}
