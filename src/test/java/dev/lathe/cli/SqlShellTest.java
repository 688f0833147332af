package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlShellTest {
    @TempDir
    Path dataDirectory;

    private String session(String typed) throws IOException {
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Engine engine = Lathe.open(dataDirectory);
                Terminal terminal = new DumbTerminal("test", "dumb",
                        new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8)) {
            new SqlShell(engine, terminal, dataDirectory.resolve(".lathe_history"), new CsvFormatter()).run();
        }
        return screen.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runsMultiLineStatementsReportsErrorsAndKeepsGoing() throws IOException {
        String screen = session("SELECT\n 1 + 1 AS two\n;\nSELECT * FROM missing_table;\nSELECT 'still here' AS s;\n.quit\nSELECT 'after quit';\n");
        // a dumb terminal does not redraw, so the continuation prompt itself is not visible here
        assertThat(screen).contains("two\r\n2\r\n", "Error: ", "missing_table", "s\r\nstill here\r\n");
        assertThat(screen).doesNotContain("after quit\r\n");
        assertThat(Files.readString(dataDirectory.resolve(".lathe_history"))).contains("still here");
    }

    /** Probe sc: leaving the shell inside a transaction rolled it back without a word. */
    @Test
    void leavingInsideATransactionSaysItWasRolledBack() throws IOException {
        String screen = session("CREATE TABLE t AS SELECT 1 AS x;\nBEGIN;\nINSERT INTO t VALUES (2);\n.quit\n");
        assertThat(screen).contains("Warning: the shell was left inside a transaction (BEGIN without COMMIT); it was rolled back");
        assertThat(session("SELECT sum(x) AS s FROM t;\n.quit\n")).contains("s\r\n1\r\n").doesNotContain("Warning");
    }

    @Test
    void ctrlCWhileAStatementRunsCancelsItAndTheSessionGoesOn() throws Exception {
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch cancelled = new java.util.concurrent.CountDownLatch(1);
        java.util.List<String> ran = new java.util.concurrent.CopyOnWriteArrayList<>();
        SqlRunner runner = new SqlRunner() { // a statement that runs until it is cancelled, as a long query does
            @Override
            public void run(String script, ResultPrinter printer) {
                ran.add(script.strip());
                if (script.contains("long")) {
                    started.countDown();
                    try {
                        cancelled.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.SQL_ERROR, "INTERRUPT Error: Interrupted!");
                }
                printer.message("ran " + script.strip());
            }

            @Override
            public void cancel() {
                cancelled.countDown();
            }

            @Override
            public void close() {}
        };
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal("test", "dumb", new ByteArrayInputStream(
                "SELECT 'long';\nSELECT 'next';\n".getBytes(StandardCharsets.UTF_8)), screen, StandardCharsets.UTF_8)) {
            Thread shell = new Thread(() -> new SqlShell(runner, terminal, dataDirectory.resolve(".lathe_history"), new CsvFormatter()).run());
            shell.start();
            started.await();
            terminal.raise(Terminal.Signal.INT); // what Ctrl-C delivers while the statement runs
            shell.join(30_000);
            assertThat(shell.isAlive()).isFalse();
        }
        assertThat(ran).containsExactly("SELECT 'long';", "SELECT 'next';");
        assertThat(screen.toString(StandardCharsets.UTF_8)).contains("Cancelled").contains("ran SELECT 'next';")
                .doesNotContain("INTERRUPT");
    }

    /** Probe th F4: Tab was bound to completion, and with no completer a typed or pasted tab vanished from the statement. */
    @Test
    void aTabIsKeptInTheStatement() throws IOException {
        java.util.List<String> ran = new java.util.ArrayList<>();
        SqlRunner runner = new SqlRunner() {
            @Override
            public void run(String script, ResultPrinter printer) {
                ran.add(script.strip());
            }

            @Override
            public void cancel() {}

            @Override
            public void close() {}
        };
        try (Terminal terminal = new DumbTerminal("test", "dumb", new ByteArrayInputStream(
                "SELECT\t'a\tb' AS\tv;\n".getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), StandardCharsets.UTF_8)) {
            new SqlShell(runner, terminal, dataDirectory.resolve(".lathe_history"), new CsvFormatter()).run();
        }
        assertThat(ran).containsExactly("SELECT\t'a\tb' AS\tv;");
    }

    /** Probe th F6: a directory in the history's place lost the first statement and ended the shell with exit 1. */
    @Test
    void aHistoryPathThatIsADirectoryIsOneWarningAndTheShellGoesOn() throws IOException {
        Files.createDirectory(dataDirectory.resolve(".lathe_history"));
        String screen = session("SELECT 'ran' AS s;\nSELECT 'again' AS s;\n");
        assertThat(screen).contains("s\r\nran\r\n", "s\r\nagain\r\n").doesNotContain("Error", "Exception");
        assertThat(screen.split("Warning: ", -1)).hasSize(2);
        assertThat(screen).contains("Warning: the history file " + dataDirectory.resolve(".lathe_history")
                + " is a directory; the shell keeps no history");
    }

    /** Probe th F6: JLine rewrote a history of lines not in its form without them. */
    @Test
    void aHistoryFileOfAnotherFormIsLeftAsItIs() throws IOException {
        Path history = dataDirectory.resolve(".lathe_history");
        Files.writeString(history, "SELECT 1;\nhello world\n");
        String screen = session("SELECT 'ran' AS s;\n");
        assertThat(screen).contains("s\r\nran\r\n", "Warning: the history file " + history + " has lines that are not Lathe's");
        assertThat(Files.readString(history)).isEqualTo("SELECT 1;\nhello world\n");
    }

    /** Probe th F7: statements can carry secrets (CREATE SECRET), and the history was readable by everyone. */
    @Test
    void theHistoryFileIsTheUsersAlone() throws IOException {
        session("SELECT 1 AS one;\n");
        Path history = dataDirectory.resolve(".lathe_history");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
        Files.setPosixFilePermissions(history, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        session("SELECT 2 AS two;\n");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(history))).isEqualTo("rw-------");
        assertThat(Files.readString(history)).contains("SELECT 1 AS one;", "SELECT 2 AS two;");
    }

    /**
     * Probe th F5: `lathe sql | tee log` (a terminal in, a pipe out) read the terminal as a script, with no prompt, until
     * Ctrl-D. `script` gives the JVM a terminal; its standard output is piped through cat.
     */
    @Test
    void theShellIsInteractiveWhenOnlyStandardInputIsATerminal() throws Exception {
        String javaBinary = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String command = "'" + javaBinary + "' --add-opens=java.base/java.nio=ALL-UNNAMED -cp '" + System.getProperty("java.class.path")
                + "' dev.lathe.cli.Main --data-dir '" + dataDirectory + "' sql --format csv | cat";
        Path screen = dataDirectory.resolve("screen.txt");
        Process process = new ProcessBuilder("script", "-qec", command, "/dev/null")
                .redirectOutput(screen.toFile()).redirectErrorStream(true).start();
        try {
            process.getOutputStream().write("SELECT 42 AS answer;\n.quit\n".getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush(); // left open: a shell reading a script would wait for its end
            assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).as(Files.readString(screen)).isTrue();
        } finally {
            process.destroyForcibly();
        }
        // the terminal adds \r to every \n
        assertThat(Files.readString(screen)).contains("Lathe SQL shell").containsPattern("answer\r+\n42\r+\n");
    }

    @Test
    void endOfInputLeavesAndDotHelpExplains() throws IOException {
        String screen = session(".help\n");
        assertThat(screen).contains(".quit, .exit");
    }
}
