package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeLibrariesTest {
    @Test
    void duckdbLibraryNamesFollowTheDriver() {
        assertThat(NativeLibraries.duckdbEntry("Linux", "amd64")).hasValue("libduckdb_java.so_linux_amd64");
        assertThat(NativeLibraries.duckdbEntry("Linux", "x86_64")).hasValue("libduckdb_java.so_linux_amd64");
        assertThat(NativeLibraries.duckdbEntry("Linux", "aarch64")).hasValue("libduckdb_java.so_linux_arm64");
        assertThat(NativeLibraries.duckdbEntry("Mac OS X", "aarch64")).hasValue("libduckdb_java.so_osx_universal");
        assertThat(NativeLibraries.duckdbEntry("Windows 11", "amd64")).hasValue("libduckdb_java.so_windows_amd64");
        assertThat(NativeLibraries.duckdbEntry("Linux", "riscv64")).isEmpty();
        assertThat(NativeLibraries.duckdbEntry("FreeBSD", "amd64")).isEmpty();
    }

    /**
     * On the real driver jars: DuckDB's library lands beside its jar, the jar keeps every other entry, a JVM given only
     * that jar still connects (the driver's own fallback), and SQLite's library and options are written; twice is the
     * same as once.
     */
    @Test
    void unpacksOnceAndTheDriversStillLoad(@TempDir Path build) throws Exception {
        Path lib = Files.createDirectories(build.resolve("lib"));
        Path duckdb = lib.resolve("duckdb_jdbc-test.jar");
        Files.copy(jarOf(org.duckdb.DuckDBDriver.class), duckdb);
        Files.copy(jarOf(org.sqlite.JDBC.class), lib.resolve("sqlite-jdbc-test.jar"));
        String library = NativeLibraries.duckdbEntry(System.getProperty("os.name"), System.getProperty("os.arch")).orElseThrow();
        long entries;
        long librarySize;
        try (ZipFile zip = new ZipFile(duckdb.toFile())) {
            entries = zip.stream().filter(e -> !e.getName().startsWith("libduckdb_java.so_")).count();
            librarySize = zip.getEntry(library).getSize();
        }

        List<String> options = NativeLibraries.prepare(build);

        assertThat(Files.size(lib.resolve(library))).isEqualTo(librarySize);
        try (ZipFile zip = new ZipFile(duckdb.toFile())) {
            assertThat(zip.stream().map(ZipEntry::getName)).noneMatch(name -> name.startsWith("libduckdb_java.so_"));
            assertThat(zip.stream().count()).isEqualTo(entries);
            assertThat(zip.getEntry("org/duckdb/DuckDBDriver.class")).isNotNull();
        }
        Path nativeDir = build.resolve("native").toAbsolutePath();
        String sqliteName = System.mapLibraryName("sqlitejdbc");
        assertThat(options).containsExactly("-Dorg.sqlite.lib.path=" + nativeDir, "-Dorg.sqlite.lib.name=" + sqliteName);
        assertThat(Files.readAllLines(nativeDir.resolve(NativeLibraries.OPTIONS_FILE))).isEqualTo(options);
        assertThat(nativeDir.resolve(sqliteName)).isRegularFile();
        assertThat(NativeLibraries.prepare(build)).isEqualTo(options);

        // A fresh JVM with the stripped jar only: DuckDB loads the library beside it.
        Path probe = build.resolve("Probe.java");
        Files.writeString(probe, """
                public class Probe {
                    public static void main(String[] args) throws Exception {
                        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement();
                                var r = s.executeQuery("SELECT 6 * 7")) {
                            r.next();
                            System.out.println("answer " + r.getInt(1));
                        }
                    }
                }
                """);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + build, "-cp", duckdb.toString(), probe.toString())
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(output).contains("answer 42");
        try (var left = Files.list(build)) { // nothing inflated into the temporary directory
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("libduckdb_java"));
        }
    }

    private static Path jarOf(Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
