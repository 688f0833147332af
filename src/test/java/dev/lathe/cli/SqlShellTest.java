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

    @Test
    void endOfInputLeavesAndDotHelpExplains() throws IOException {
        String screen = session(".help\n");
        assertThat(screen).contains(".quit, .exit");
    }
}
