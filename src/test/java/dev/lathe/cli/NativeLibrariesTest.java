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
        String output = runProbe(build, """
                public class Probe {
                    public static void main(String[] args) throws Exception {
                        try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:"); var s = c.createStatement();
                                var r = s.executeQuery("SELECT 6 * 7")) {
                            r.next();
                            System.out.println("answer " + r.getInt(1));
                        }
                    }
                }
                """, "-Djava.io.tmpdir=" + build, "-cp", duckdb.toString());
        assertThat(output).contains("answer 42");
        try (var left = Files.list(build)) { // nothing inflated into the temporary directory
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(name -> name.startsWith("libduckdb_java"));
        }
    }

    @Test
    void xgboostLibraryNamesFollowItsJar() {
        assertThat(NativeLibraries.xgboostEntry("Linux", "amd64")).hasValue("lib/linux/x86_64/libxgboost4j.so");
        assertThat(NativeLibraries.xgboostEntry("Linux", "aarch64")).hasValue("lib/linux/aarch64/libxgboost4j.so");
        assertThat(NativeLibraries.xgboostEntry("Mac OS X", "aarch64")).hasValue("lib/macos/aarch64/libxgboost4j.dylib");
        assertThat(NativeLibraries.xgboostEntry("Windows 11", "amd64")).hasValue("lib/windows/x86_64/xgboost4j.dll");
        assertThat(NativeLibraries.xgboostEntry("Linux", "riscv64")).isEmpty();
    }

    /**
     * On the real XGBoost4J jar: its library is written to native/ with the option that names it, and a fresh JVM given
     * that option loads that file (XgboostLibrary, through XGBoost4J's private flag, which an upgrade must keep) and
     * trains, never copying the library out of the jar.
     */
    @Test
    void xgboostLoadsTheUnpackedLibrary(@TempDir Path build) throws Exception {
        Path lib = Files.createDirectories(build.resolve("lib"));
        Path xgboost = lib.resolve("xgboost4j_2.12-test.jar");
        Files.copy(jarOf(ml.dmlc.xgboost4j.java.XGBoost.class), xgboost);
        String entry = NativeLibraries.xgboostEntry(System.getProperty("os.name"), System.getProperty("os.arch")).orElseThrow();
        long size;
        try (ZipFile zip = new ZipFile(xgboost.toFile())) {
            size = zip.getEntry(entry).getSize();
        }

        List<String> options = NativeLibraries.prepare(build);

        Path library = build.resolve("native").toAbsolutePath().resolve(Path.of(entry).getFileName());
        assertThat(Files.size(library)).isEqualTo(size);
        assertThat(options).contains("-Dlathe.xgboost.library=" + library);

        Path tmp = Files.createDirectories(build.resolve("tmp"));
        String output = runProbe(build, """
                import java.nio.file.*;
                import java.util.Map;
                public class Probe {
                    public static void main(String[] args) throws Exception {
                        boolean preloaded = dev.lathe.train.boosted.XgboostLibrary.preload();
                        var data = new ml.dmlc.xgboost4j.java.DMatrix(new float[] {1, 2, 3, 4, 5, 6}, 3, 2, Float.NaN);
                        data.setLabel(new float[] {1, 0, 1});
                        var booster = ml.dmlc.xgboost4j.java.XGBoost.train(data,
                                Map.<String, Object>of("max_depth", 2, "objective", "reg:squarederror"), 2, Map.of(), null, null);
                        System.out.println("preloaded " + preloaded + ", predictions " + booster.predict(data).length);
                        Path maps = Path.of("/proc/self/maps");
                        if (Files.isReadable(maps)) {
                            System.out.println("mapped " + Files.readAllLines(maps).stream().filter(l -> l.contains("xgboost4j"))
                                    .map(l -> l.substring(l.indexOf('/'))).distinct().toList());
                        }
                    }
                }
                """, "-Djava.io.tmpdir=" + tmp, options.getLast(), "-cp", System.getProperty("java.class.path"));
        assertThat(output).contains("preloaded true, predictions 3");
        if (Files.isReadable(Path.of("/proc/self/maps"))) {
            assertThat(output).contains("mapped [" + library + "]");
        }
    }

    /**
     * A process out of file descriptors at its first use of XGBoost gets RESOURCE_EXHAUSTED naming {@code ulimit -n}, and
     * XGBoost once descriptors are free: its library was loaded by XGBoostJNI's static initializer, whose failure is final,
     * so a server answered NoClassDefFoundError for every tree model until it was restarted (probe ta F2).
     */
    @Test
    void xgboostLoadsOnceDescriptorsAreFreeAfterFailingForWantOfThem(@TempDir Path build) throws Exception {
        Files.createDirectories(build.resolve("lib"));
        Files.copy(jarOf(ml.dmlc.xgboost4j.java.XGBoost.class), build.resolve("lib").resolve("xgboost4j_2.12-test.jar"));
        List<String> options = NativeLibraries.prepare(build);
        String output = runProbe(build, """
                import java.util.*;
                public class Probe {
                    public static void main(String[] args) throws Exception {
                        // the classes the failure needs, loaded while files can be opened (a server's are in its open jar)
                        dev.lathe.core.FileDescriptors.limit();
                        Class.forName("ml.dmlc.xgboost4j.java.NativeLibLoader");
                        Class.forName("dev.lathe.train.boosted.XgboostLibrary");
                        new dev.lathe.core.LatheException(dev.lathe.core.ErrorCode.RESOURCE_EXHAUSTED, "warm").category();
                        List<java.io.FileInputStream> held = new ArrayList<>();
                        try {
                            while (true) {
                                held.add(new java.io.FileInputStream("/dev/null"));
                            }
                        } catch (java.io.IOException e) {
                            System.out.println("descriptors used up after " + held.size());
                        }
                        try {
                            dev.lathe.train.boosted.XgboostLibrary.preload();
                            System.out.println("loaded while out of descriptors");
                        } catch (dev.lathe.core.LatheException e) {
                            System.out.println("first: " + e.code() + " " + e.getMessage());
                        }
                        for (var file : held) {
                            file.close();
                        }
                        boolean preloaded = dev.lathe.train.boosted.XgboostLibrary.preload();
                        var data = new ml.dmlc.xgboost4j.java.DMatrix(new float[] {1, 2, 3, 4, 5, 6}, 3, 2, Float.NaN);
                        data.setLabel(new float[] {1, 0, 1});
                        var booster = ml.dmlc.xgboost4j.java.XGBoost.train(data,
                                Map.<String, Object>of("max_depth", 2, "objective", "reg:squarederror"), 2, Map.of(), null, null);
                        System.out.println("then: preloaded " + preloaded + ", predictions " + booster.predict(data).length);
                    }
                }
                """, "-Xshare:off", options.getLast(), "-cp", System.getProperty("java.class.path"));
        assertThat(output).contains("descriptors used up", "first: RESOURCE_EXHAUSTED XGBoost's native library could not be loaded",
                "Too many open files", "(ulimit -n): raise the limit", "then: preloaded true, predictions 3");
    }

    /**
     * Runs {@code source} (a class named Probe) in a fresh JVM with native access and {@code options}, and returns what it
     * printed; fails when it does not end within a minute.
     */
    private static String runProbe(Path build, String source, String... options) throws IOException, InterruptedException {
        Path probe = build.resolve("Probe.java");
        Files.writeString(probe, source);
        List<String> command = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(options));
        command.add(probe.toString());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(output).isTrue();
        return output;
    }

    private static Path jarOf(Class<?> type) throws IOException {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }
}
