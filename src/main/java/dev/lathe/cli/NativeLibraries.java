package dev.lathe.cli;

import dev.lathe.train.boosted.XgboostLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Unpacks the JDBC drivers' native libraries once per build instead of once per process. DuckDB JDBC inflates its
 * 60 MB library from the jar into a new temporary file at every JVM start (about 0.4 s, and 60 MB left in the
 * temporary directory by every process that is killed), and sqlite-jdbc extracts and compares its own (about 0.1 s).
 * The launcher runs this after each build ({@code java -cp lathe.jar dev.lathe.cli.NativeLibraries <build dir>}):
 * <ul>
 *   <li>DuckDB: this platform's library is written next to the driver jar in {@code lib/}, under the name the driver
 *       gives it ({@code libduckdb_java.so_linux_amd64}), and that copy of the jar loses its bundled libraries: the
 *       driver, finding none inside, loads the one beside its jar (its own fallback), so {@code java -jar lathe.jar}
 *       works without options;
 *   <li>SQLite: this platform's library is written to {@code native/}, and the driver is pointed at it with its
 *       {@code org.sqlite.lib.path} and {@code org.sqlite.lib.name} properties;
 *   <li>XGBoost4J, which copies its 14 MB library into a new temporary file at its first use in every process (about
 *       0.11 s of CPU): this platform's library is written to {@code native/}, and
 *       {@code -Dlathe.xgboost.library=<file>} makes {@code XgboostLibrary} load it instead.
 * </ul>
 * The JVM options that make SQLite's driver and XGBoost use their copies are written to {@code native/jvm-options}, one
 * per line, for the launcher and the benchmark scripts (without them each extracts its own, as before); the file also marks a
 * complete build. Nothing is changed for a platform a driver has no library for, and the jar is
 * rewritten only after the library is in place, so a driver never lacks its library. Maven's test classpath (the
 * local repository's jars) is not touched.
 */
public final class NativeLibraries {
    static final String OPTIONS_FILE = "jvm-options";
    private static final String DUCKDB_PREFIX = "libduckdb_java.so_";

    private NativeLibraries() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: NativeLibraries <build dir holding lib/>");
            System.exit(2);
        }
        List<String> options = prepare(Path.of(args[0]));
        System.out.println(options.isEmpty() ? "native libraries: left in their jars" : "native libraries: unpacked once, " + options);
    }

    /** Unpacks what this platform needs and writes {@code native/jvm-options}; the options written. */
    static List<String> prepare(Path buildDir) throws IOException {
        Path lib = buildDir.resolve("lib");
        Path nativeDir = buildDir.resolve("native").toAbsolutePath();
        Files.createDirectories(nativeDir);
        List<String> options = new ArrayList<>();
        Optional<Path> duckdb = jar(lib, "duckdb_jdbc-");
        if (duckdb.isPresent()) {
            duckdb(duckdb.get());
        }
        Optional<Path> sqlite = jar(lib, "sqlite-jdbc-");
        if (sqlite.isPresent()) {
            Optional<String> name = sqlite(sqlite.get(), nativeDir);
            if (name.isPresent()) {
                options.add("-Dorg.sqlite.lib.path=" + nativeDir);
                options.add("-Dorg.sqlite.lib.name=" + name.get());
            }
        }
        Optional<Path> xgboost = jar(lib, "xgboost4j_");
        if (xgboost.isPresent()) {
            Optional<Path> library = xgboost(xgboost.get(), nativeDir);
            library.ifPresent(path -> options.add("-D" + XgboostLibrary.PROPERTY + "=" + path));
        }
        Path file = nativeDir.resolve(OPTIONS_FILE);
        Path temporary = nativeDir.resolve(OPTIONS_FILE + ".tmp");
        Files.write(temporary, options);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return options;
    }

    /** The jar in {@code lib} whose name starts with {@code prefix}, if any. */
    private static Optional<Path> jar(Path lib, String prefix) throws IOException {
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (var files = Files.list(lib)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix) && f.getFileName().toString().endsWith(".jar")).findFirst();
        }
    }

    /** DuckDB's library for this platform as DuckDBNative names it ({@code libduckdb_java.so_linux_amd64}), if known. */
    static Optional<String> duckdbEntry(String osName, String osArch) {
        return Platform.of(osName, osArch).flatMap(p -> p.os().equals("mac") ? Optional.of(DUCKDB_PREFIX + "osx_universal")
                : p.cpu().map(cpu -> DUCKDB_PREFIX + (p.os().equals("linux") ? "linux_" : "windows_")
                        + (cpu.equals("x86_64") ? "amd64" : "arm64")));
    }

    /** Puts this platform's library beside the driver jar and strips the jar's own, unless that was done already. */
    private static void duckdb(Path jar) throws IOException {
        Optional<String> entry = duckdbEntry(System.getProperty("os.name"), System.getProperty("os.arch"));
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            if (zip.stream().noneMatch(e -> e.getName().startsWith(DUCKDB_PREFIX))) {
                return; // done by an earlier build
            }
            ZipEntry library = entry.map(zip::getEntry).orElse(null);
            if (library == null) {
                return; // no library for this platform in the jar: leave the driver as it is
            }
            extract(zip, library, jar.resolveSibling(library.getName()));
        }
        stripDuckdbLibraries(jar);
    }

    /** XGBoost4J's library for this platform as its jar holds it ({@code lib/linux/x86_64/libxgboost4j.so}), if known. */
    static Optional<String> xgboostEntry(String osName, String osArch) {
        return Platform.of(osName, osArch).flatMap(p -> p.cpu().map(cpu -> switch (p.os()) {
            case "linux" -> "lib/linux/" + cpu + "/libxgboost4j.so";
            case "mac" -> "lib/macos/" + cpu + "/libxgboost4j.dylib";
            default -> "lib/windows/" + cpu + "/xgboost4j.dll";
        }));
    }

    /**
     * The operating system and CPU the drivers name their libraries by, from {@code os.name} and {@code os.arch}: the
     * system linux, mac or windows (others: none), the CPU x86_64 or aarch64 (others: empty).
     */
    private record Platform(String os, Optional<String> cpu) {
        static Optional<Platform> of(String osName, String osArch) {
            String os = osName.toLowerCase(Locale.ROOT);
            String arch = osArch.toLowerCase(Locale.ROOT);
            String system = os.startsWith("linux") ? "linux" : os.startsWith("mac") || os.startsWith("darwin") ? "mac"
                    : os.startsWith("windows") ? "windows" : null;
            String cpu = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64"
                    : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : null;
            return Optional.ofNullable(system).map(name -> new Platform(name, Optional.ofNullable(cpu)));
        }
    }

    /** Writes XGBoost4J's library for this platform to {@code nativeDir}; its path, if the jar has one. */
    private static Optional<Path> xgboost(Path jar, Path nativeDir) throws IOException {
        Optional<String> entry = xgboostEntry(System.getProperty("os.name"), System.getProperty("os.arch"));
        if (entry.isEmpty()) {
            return Optional.empty();
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry library = zip.getEntry(entry.get());
            if (library == null) {
                return Optional.empty();
            }
            Path target = nativeDir.resolve(Path.of(entry.get()).getFileName());
            extract(zip, library, target);
            return Optional.of(target);
        }
    }

    private static Optional<String> sqlite(Path jar, Path nativeDir) throws IOException {
        String name = System.mapLibraryName("sqlitejdbc");
        String folder;
        try {
            folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
        } catch (RuntimeException | LinkageError e) {
            return Optional.empty();
        }
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            ZipEntry library = zip.getEntry("org/sqlite/native/" + folder + "/" + name);
            if (library == null) {
                return Optional.empty();
            }
            extract(zip, library, nativeDir.resolve(name));
        }
        return Optional.of(name);
    }

    private static void extract(ZipFile zip, ZipEntry entry, Path target) throws IOException {
        Path temporary = target.resolveSibling(target.getFileName() + ".tmp");
        try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Rewrites the driver jar without its bundled libraries (every other entry copied as it is), atomically. */
    static void stripDuckdbLibraries(Path jar) throws IOException {
        Path temporary = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (ZipFile zip = new ZipFile(jar.toFile()); OutputStream file = Files.newOutputStream(temporary);
                ZipOutputStream out = new ZipOutputStream(file)) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().startsWith(DUCKDB_PREFIX)) {
                    continue;
                }
                ZipEntry copy = new ZipEntry(entry.getName());
                copy.setTime(entry.getTime());
                out.putNextEntry(copy);
                try (InputStream in = zip.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        Files.move(temporary, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
