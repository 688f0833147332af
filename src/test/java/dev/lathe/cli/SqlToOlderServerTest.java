package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe ua F2: this build's {@code lathe sql} against an older build's server failed every statement with "Invalid value for
 * 'requestId': unknown field ...". server.json records the server's HTTP API version; a file without one is an older
 * build's, and the command says so and what to do, sending nothing.
 */
class SqlToOlderServerTest {
    @TempDir
    Path dataDirectory;

    @Test
    void anOlderServerIsNamedAsSuchAndSentNothing() throws Exception {
        long pid = ProcessHandle.current().pid();
        try (OlderServer older = new OlderServer(dataDirectory, 0)) {
            CliRun run = CliRun.lathe(dataDirectory, "sql", "-e", "SELECT 1");
            assertThat(run.exitCode()).as(run.err()).isEqualTo(4);
            assertThat(run.err()).contains("the Lathe server at http://127.0.0.1:" + older.port() + " (PID " + pid + "), is an older"
                    + " Lathe build", "records no HTTP API version; this build's is " + dev.lathe.engine.Version.API,
                    "Stop that server and start this build's lathe server", "use that server's own build of lathe sql")
                    .doesNotContain("requestId");
            assertThat(older.queries).hasValue(0);
        }
        try (OlderServer current = new OlderServer(dataDirectory, dev.lathe.engine.Version.API)) {
            CliRun run = CliRun.lathe(dataDirectory, "sql", "-e", "SELECT 1");
            // a server of this API gets the statement (the stub refuses it); what the command said, if it did not
            assertThat(current.queries).as("exit %d, out %s, err %s", run.exitCode(), run.out(), run.err()).hasValue(1);
            assertThat(run.err()).doesNotContain("older Lathe build");
        }
    }
}
