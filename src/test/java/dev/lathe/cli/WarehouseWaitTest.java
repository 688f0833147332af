package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A command started while another process holds the warehouse waits its turn: users never see DuckDB's lock error. */
class WarehouseWaitTest {
    @TempDir
    Path dataDirectory;

    @Test
    void aSecondCommandWaitsForTheWarehouseAndThenRuns() throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "--enable-native-access=ALL-UNNAMED", HoldWarehouse.class.getName(),
                dataDirectory.toString(), "2500");
        Process holder = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            BufferedReader output = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = output.readLine()) != null && !line.equals("held")) {
                // the child's start-up noise, if any
            }
            assertThat(line).as("the child holds the warehouse").isEqualTo("held");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            CommandLine lathe = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false));
            lathe.setOut(new PrintWriter(out, true));
            lathe.setErr(new PrintWriter(err, true));
            long start = System.nanoTime();
            int exit = lathe.execute("--data-dir", dataDirectory.toString(), "sql", "--format", "csv", "-e", "SELECT 42 AS answer");
            assertThat(exit).as(err.toString()).isZero();
            assertThat(out.toString()).contains("42");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(500));
            assertThat(holder.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void aBusyWarehouseIsToldOnceAndTheLimitEndsTheWaitWithWhatToDo() {
        List<String> notices = new ArrayList<>();
        int[] tries = {0};
        assertThatThrownBy(() -> WarehouseWait.open(Optional::empty, () -> {
            tries[0]++;
            throw new LatheException(ErrorCode.WAREHOUSE_BUSY, "The warehouse w is in use by another Lathe process (PID 7)");
        }, notices::add, Duration.ofMillis(700)))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAREHOUSE_BUSY))
                .hasMessageContaining("(PID 7)").hasMessageContaining("stayed in use").hasMessageContaining("./lathe server");
        assertThat(notices).hasSize(1).allSatisfy(n -> assertThat(n).contains("waiting for it"));
        assertThat(tries[0]).isGreaterThan(1);
        // Another failure is not waited on.
        assertThatThrownBy(() -> WarehouseWait.open(Optional::empty, () -> {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "bad");
        }, notices::add, Duration.ofSeconds(5))).hasMessage("bad");
        // A server that appears while waiting is used.
        int[] polls = {0};
        assertThat(WarehouseWait.open(() -> ++polls[0] >= 3 ? Optional.of("server") : Optional.empty(), () -> {
            throw new LatheException(ErrorCode.WAREHOUSE_BUSY, "busy");
        }, notices::add, Duration.ofSeconds(30))).isEqualTo("server");
    }

    /**
     * Probe sg: with the directory's server stopped (SIGSTOP), a command waited, then blamed "another Lathe process" and
     * advised to run ./lathe server, although that process was the server. The wait names the server that does not answer,
     * and its end says how to resume or stop it.
     */
    @Test
    void aWarehouseHeldByTheDirectorysSilentServerNamesThatServer() {
        dev.lathe.server.ServerInfo server = new dev.lathe.server.ServerInfo(7, "127.0.0.1", 18157, "2026-12-07T00:00:00Z", "test");
        List<String> notices = new ArrayList<>();
        assertThatThrownBy(() -> WarehouseWait.open(Optional::empty, () -> {
            throw new LatheException(ErrorCode.WAREHOUSE_BUSY, "The warehouse w is in use by another Lathe process (PID 7)");
        }, notices::add, Duration.ofMillis(500), () -> Optional.of(server)))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVER_UNAVAILABLE))
                .hasMessageStartingWith("The Lathe server of this data directory at http://127.0.0.1:18157 (PID 7) holds the warehouse but"
                        + " did not answer for 0 s")
                .hasMessageContaining("kill -CONT 7").hasMessageContaining("kill 7")
                .hasMessageNotContaining("another Lathe process").hasMessageNotContaining("run ./lathe server");
        assertThat(notices).containsExactly("lathe: the Lathe server of this data directory at http://127.0.0.1:18157 (PID 7) holds the"
                + " warehouse but does not answer; waiting for it (up to 0 s)...");
        // another process holds it (DuckDB names it): that process is named, as before
        assertThatThrownBy(() -> WarehouseWait.open(Optional::empty, () -> {
            throw new LatheException(ErrorCode.WAREHOUSE_BUSY, "The warehouse w is in use by another Lathe process (PID 8)");
        }, line -> {}, Duration.ofMillis(300), () -> Optional.of(server)))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.WAREHOUSE_BUSY))
                .hasMessageContaining("(PID 8)").hasMessageContaining("./lathe server");
    }
}
