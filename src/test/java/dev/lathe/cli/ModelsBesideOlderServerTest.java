package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.metadata.Migrations;
import dev.lathe.metadata.OlderSchema;
import dev.lathe.server.ServerDiscovery;
import dev.lathe.server.ServerInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Probe ua F1: a newer build's read-only {@code lathe models list} migrated the metadata store under a running older server,
 * which could then never start again. Beside a live server the store is never migrated; an older one is refused.
 */
class ModelsBesideOlderServerTest {
    @TempDir
    Path dataDirectory;

    private CliRun lathe(String... args) {
        return CliRun.lathe(dataDirectory, args);
    }

    /** An older server's server.json (no dataDirectory, no apiVersion) naming this live process and {@code port}. */
    private void olderServerAt(int port) {
        ServerDiscovery.write(dataDirectory, new ServerInfo(ProcessHandle.current().pid(), "127.0.0.1", port, "2026-12-07T00:00:00Z",
                "0.1.0-SNAPSHOT"));
    }

    @Test
    void aStoreAnOlderServerUsesIsNeverMigrated() throws Exception {
        String url = "jdbc:sqlite:" + dataDirectory.resolve("metadata.db");
        OlderSchema.create(url, 4); // as an older Lathe left it
        long pid = ProcessHandle.current().pid();
        try (OlderServer older = new OlderServer(dataDirectory, 0)) {
            for (String[] command : List.of(new String[] {"models", "list"}, new String[] {"models", "show", "d.m"},
                    new String[] {"models", "versions", "d.m"}, new String[] {"models", "alias", "d.m@1", "champion"})) {
                CliRun refused = lathe(command);
                assertThat(refused.exitCode()).as(String.join(" ", command) + ": " + refused.err()).isEqualTo(4);
                assertThat(refused.err()).contains("has schema version 4, older than this Lathe's " + Migrations.latest(),
                        "the Lathe server at http://127.0.0.1:" + older.port() + " (PID " + pid + ")",
                        "Stop that server and start this build's lathe server");
                assertThat(OlderSchema.version(url)).isEqualTo(4);
            }
        }

        try (java.net.ServerSocket hung = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            olderServerAt(hung.getLocalPort()); // alive but not answering (kill -STOP): jobs read the store, and do not migrate it
            CliRun refused = lathe("jobs", "list");
            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(4);
            assertThat(refused.err()).contains("has schema version 4", "(PID " + pid + ")");
            assertThat(OlderSchema.version(url)).isEqualTo(4);
        }

        ServerDiscovery.removeAnyway(dataDirectory); // no server: the command's open migrates the store, as ever
        CliRun alone = lathe("models", "list");
        assertThat(alone.exitCode()).as(alone.err()).isZero();
        assertThat(OlderSchema.version(url)).isEqualTo(Migrations.latest());

        try (java.net.ServerSocket hung = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            olderServerAt(hung.getLocalPort());
            CliRun beside = lathe("models", "list"); // a current store beside a server: read as before
            assertThat(beside.exitCode()).as(beside.err()).isZero();
            assertThat(beside.out()).contains("0 models");
        }
    }
}
