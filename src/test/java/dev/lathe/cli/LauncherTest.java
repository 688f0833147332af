package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script's settings by kind of command (see {@code ./lathe}): commands that end within seconds run C1's code
 * only and compile loops early; the server, the interactive shell and jobs run in the process keep both compilers. Every
 * command gets huge pages where the kernel hands them out on request, unless LATHE_HUGE_PAGES says otherwise. Checked through its dry run, which prints the JVM's
 * command line instead of running it and builds nothing.
 */
class LauncherTest {
    private static final String QUICK = "-XX:TieredStopAtLevel=1";
    private static final String HUGE_PAGES = "-XX:+UseTransparentHugePages";
    private static final String NO_REPLAY = "-XX:-AOTReplayTraining";
    private static final String EARLY_LOOPS = "-XX:Tier3BackEdgeThreshold=2000";
    private static final Path LAUNCHER = Path.of("lathe").toAbsolutePath();

    @TempDir
    Path build;

    @Test
    void commandsThatEndWithinSecondsRunC1Only() throws Exception {
        for (List<String> args : List.<List<String>>of(
                List.of("sql", "-e", "SELECT 1"),
                List.of("sql", "--execute=SELECT 1"),
                List.of("sql", "-eSELECT 1"),
                List.of("--data-dir", "/tmp/x", "sql", "--format", "csv", "-f", "script.sql"),
                List.of("--data-dir=/tmp/x", "sql", "--file=script.sql"),
                List.of("sql"), // statements piped in: standard input is not a terminal here
                List.of("quickstart"),
                List.of("--metadata-url", "jdbc:sqlite:m.db", "models", "list"),
                List.of("endpoints", "predict", "e", "--instances", "[]"),
                List.of("jobs", "list"),
                List.of("monitors", "list"),
                List.of("--version"),
                List.<String>of())) {
            DryRun run = dryRun(Map.of(), args);
            assertThat(run.exitCode()).as("%s", args).isZero();
            assertThat(run.jvmArguments()).as("%s", args).contains(QUICK, EARLY_LOOPS);
            assertThat(run.jvmArguments().contains(HUGE_PAGES)).as("%s", args).isEqualTo(hugePagesOnRequest());
        }
    }

    @Test
    void longRunningCommandsKeepBothCompilers() throws Exception {
        for (List<String> args : List.<List<String>>of(
                List.of("server"),
                List.of("--data-dir", "sql", "server", "--port", "8081"), // a data directory named like a command
                List.of("--data-dir=/tmp/x", "server", "--replica"),
                List.of("jobs", "submit", "--model", "d.m", "--input", "d.t"),
                List.of("aot-training"))) {
            DryRun run = dryRun(Map.of(), args);
            assertThat(run.exitCode()).as("%s", args).isZero();
            assertThat(run.jvmArguments()).as("%s", args).doesNotContain(QUICK, EARLY_LOOPS);
            assertThat(run.jvmArguments().contains(HUGE_PAGES)).as("%s", args).isEqualTo(hugePagesOnRequest());
            assertThat(run.commandArguments()).as("%s", args).isEqualTo(args);
        }
    }

    @Test
    void theInteractiveShellKeepsBothCompilers() throws Exception {
        // `script` gives the launcher a terminal for standard input, as a person typing into `lathe sql` has.
        String command = "LATHE_DRY_RUN=1 LATHE_BUILD_DIR='" + build + "' JAVA_HOME='" + System.getProperty("java.home")
                + "' bash '" + LAUNCHER + "' sql";
        Process process = new ProcessBuilder("script", "-qec", command, "/dev/null")
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();
        assertThat(out).contains("lathe.jar").doesNotContain(QUICK);

        // The same command line with its statements piped in ends with its input: C1 only.
        assertThat(dryRun(Map.of(), List.of("sql")).jvmArguments()).contains(QUICK);
    }

    @Test
    void latheHugePagesOverridesTheChoice() throws Exception {
        assertThat(dryRun(Map.of("LATHE_HUGE_PAGES", "off"), List.of("server")).jvmArguments()).doesNotContain(HUGE_PAGES);
        assertThat(dryRun(Map.of("LATHE_HUGE_PAGES", "off"), List.of("sql", "-e", "x")).jvmArguments()).doesNotContain(HUGE_PAGES);
        for (String value : List.of("on", "auto")) {
            assertThat(dryRun(Map.of("LATHE_HUGE_PAGES", value), List.of("sql", "-e", "x")).jvmArguments().contains(HUGE_PAGES))
                    .as(value).isEqualTo(hugePagesOnRequest());
        }
        // Only the commands that keep their memory, for a host where fresh 2 MB pages cost more after idle.
        assertThat(dryRun(Map.of("LATHE_HUGE_PAGES", "long-running"), List.of("sql", "-e", "x")).jvmArguments())
                .doesNotContain(HUGE_PAGES);
        assertThat(dryRun(Map.of("LATHE_HUGE_PAGES", "long-running"), List.of("server")).jvmArguments().contains(HUGE_PAGES))
                .isEqualTo(hugePagesOnRequest());
        DryRun bad = dryRun(Map.of("LATHE_HUGE_PAGES", "yes"), List.of("server"));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.output()).contains("LATHE_HUGE_PAGES must be on (the default; auto means the same), off or long-running", "not 'yes'");
    }

    /** Probe th F1: under LANG unset or C, the JVM read arguments and the terminal as ASCII, so 'Zoë' was stored as 'Zo��'. */
    @Test
    void theJvmRunsUnderAUtf8LocaleWhateverTheCallersLocale() throws Exception {
        for (Map<String, String> locale : List.<Map<String, String>>of(Map.of("LC_ALL", "C"), Map.of("LANG", "POSIX"),
                Map.of("LANG", "en_US.UTF-8", "LC_ALL", "C"), Map.of("LC_CTYPE", "de_DE.ISO-8859-1"), Map.of())) {
            DryRun run = dryRun(locale, List.of("sql", "-e", "SELECT 'Zoë'"));
            assertThat(run.locale()).as("%s", locale).containsExactly("LC_ALL=C.UTF-8");
            assertThat(run.jvmArguments()).as("%s", locale).contains("-Dstdin.encoding=UTF-8", "-Dstdout.encoding=UTF-8");
        }
        for (Map<String, String> locale : List.<Map<String, String>>of(Map.of("LC_ALL", "C.utf8"), Map.of("LANG", "C", "LC_CTYPE", "C.UTF-8"))) {
            assertThat(dryRun(locale, List.of("sql", "-e", "x")).locale()).as("%s", locale).isEmpty();
        }
        // probe uc F5: a UTF-8 locale glibc does not have (LANG=en_US.UTF-8 in an image without the locales package) leaves
        // the JVM in ASCII as C does; one it has is left as it is
        Path locales = Path.of("/usr/lib/locale");
        boolean archive = Files.exists(locales.resolve("locale-archive"));
        boolean english = archive || Files.isDirectory(locales.resolve("en_US.UTF-8")) || Files.isDirectory(locales.resolve("en_US.utf8"));
        assertThat(dryRun(Map.of("LANG", "en_US.UTF-8"), List.of("sql", "-e", "x")).locale()).as("en_US.UTF-8, installed: %s", english)
                .isEqualTo(english ? List.of() : List.of("LC_ALL=C.UTF-8"));
        if (!archive && Files.isDirectory(locales)) {
            assertThat(dryRun(Map.of("LANG", "xx_XX.UTF-8"), List.of("sql", "-e", "x")).locale()).containsExactly("LC_ALL=C.UTF-8");
        }
    }

    /** Whether this kernel hands out transparent huge pages on request (madvise mode), the only mode the launcher asks in. */
    private static boolean hugePagesOnRequest() throws IOException {
        Path mode = Path.of("/sys/kernel/mm/transparent_hugepage/enabled");
        return Files.isReadable(mode) && Files.readString(mode).contains("[madvise]");
    }

    @Test
    void latheAotTakesOnOrOffOnly() throws Exception {
        for (String value : List.of("maybe", "yes", "0")) {
            DryRun bad = dryRun(Map.of("LATHE_AOT", value), List.of("sql", "-e", "x"));
            assertThat(bad.exitCode()).as(value).isEqualTo(2);
            assertThat(bad.output()).contains("LATHE_AOT must be on or off", "not '" + value + "'");
        }
        assertThat(dryRun(Map.of("LATHE_AOT", "off"), List.of("sql", "-e", "x")).exitCode()).isZero();
    }

    @Test
    void latheJitOverridesTheChoiceAndJavaOptionsComeAfterIt() throws Exception {
        assertThat(dryRun(Map.of("LATHE_JIT", "full"), List.of("sql", "-e", "SELECT 1")).jvmArguments()).doesNotContain(QUICK);
        assertThat(dryRun(Map.of("LATHE_JIT", "quick"), List.of("server")).jvmArguments()).contains(QUICK, EARLY_LOOPS);
        assertThat(dryRun(Map.of("LATHE_JIT", "auto"), List.of("server")).jvmArguments()).doesNotContain(QUICK);

        List<String> jvm = dryRun(Map.of("LATHE_JAVA_OPTS", "-Xmx2g -XX:TieredStopAtLevel=4"), List.of("sql", "-e", "x")).jvmArguments();
        assertThat(jvm).containsSubsequence(QUICK, "-Xmx2g", "-XX:TieredStopAtLevel=4"); // the JVM takes the last one

        DryRun bad = dryRun(Map.of("LATHE_JIT", "fast"), List.of("sql", "-e", "x"));
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.output()).contains("LATHE_JIT must be auto, quick or full, not 'fast'");
    }

    @Test
    void shortCommandsStartFromTheAotCacheWithoutReplayingItsCompilations() throws Exception {
        // A build whose AOT cache is usable by this JDK: newer than the jar, stamped with the JVM that made it, and with
        // the flags the build found this JVM to take.
        Files.writeString(build.resolve("lathe.jar"), "jar");
        Path cache = build.resolve("lathe.aot");
        Files.writeString(cache, "cache");
        Files.setLastModifiedTime(cache, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        Files.writeString(build.resolve("lathe.aot.jvm"), aotStamp() + "\n");
        Files.writeString(build.resolve("lathe.aot.short-flags"), "-XX:+UnlockDiagnosticVMOptions\n-XX:-AOTReplayTraining\n");

        List<String> quick = dryRun(Map.of(), List.of("sql", "-e", "SELECT 1")).jvmArguments();
        if (Runtime.version().feature() < 25) { // no AOT cache before JDK 25 (JEP 483)
            assertThat(quick).noneMatch(a -> a.startsWith("-XX:AOTCache")).doesNotContain(NO_REPLAY);
            return;
        }
        assertThat(quick).contains("-XX:AOTCache=" + cache)
                .containsSubsequence(QUICK, "-XX:+UnlockDiagnosticVMOptions", NO_REPLAY, "-Xmx8g"); // before LATHE_JAVA_OPTS
        assertThat(dryRun(Map.of(), List.of("server")).jvmArguments()).contains("-XX:AOTCache=" + cache).doesNotContain(NO_REPLAY);
        assertThat(dryRun(Map.of("LATHE_JIT", "full"), List.of("sql", "-e", "x")).jvmArguments()).doesNotContain(NO_REPLAY);

        // A JVM that did not take the flags when the cache was made gets none.
        Files.delete(build.resolve("lathe.aot.short-flags"));
        assertThat(dryRun(Map.of(), List.of("sql", "-e", "x")).jvmArguments()).contains("-XX:AOTCache=" + cache).doesNotContain(NO_REPLAY);
    }

    /** The launcher's stamp of the JDK running this test (see aot_stamp in ./lathe): its java, runtime image and release file. */
    private static String aotStamp() throws IOException {
        Path home = Path.of(System.getProperty("java.home"));
        Path modules = home.resolve("lib/modules");
        String image = Files.size(modules) + " " + Files.getLastModifiedTime(modules).toMillis() / 1000;
        Path releaseFile = home.resolve("release");
        String release = Files.isReadable(releaseFile) ? Files.readString(releaseFile) : "";
        String stamp = home.resolve("bin/java") + "\n" + image + "\n" + release;
        while (stamp.endsWith("\n")) {
            stamp = stamp.substring(0, stamp.length() - 1);
        }
        return stamp;
    }

    private DryRun dryRun(Map<String, String> environment, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", LAUNCHER.toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("LATHE_") || name.startsWith("LC_") || name.equals("LANG"));
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        builder.environment().put("LATHE_BUILD_DIR", build.toString());
        builder.environment().put("LATHE_DRY_RUN", "1");
        builder.environment().putAll(environment);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new DryRun(process.exitValue(), out);
    }

    private record DryRun(int exitCode, String output) {
        List<String> lines() {
            return output.lines().toList();
        }

        /** The locale the launcher sets for the JVM (LC_ALL=...), printed before the java binary. */
        List<String> locale() {
            return lines().subList(0, javaLine());
        }

        private int javaLine() {
            List<String> lines = lines();
            int java = 0;
            while (java < lines.size() && lines.get(java).matches("LC_[A-Z]+=.*")) {
                java++;
            }
            return java;
        }

        /** The JVM's own arguments: everything between the java binary and {@code -jar}. */
        List<String> jvmArguments() {
            List<String> lines = lines();
            int jar = lines.indexOf("-jar");
            assertThat(jar).as(output).isPositive();
            return lines.subList(javaLine() + 1, jar);
        }

        /** What Lathe's main method gets: everything after the jar. */
        List<String> commandArguments() {
            List<String> lines = lines();
            return lines.subList(lines.indexOf("-jar") + 2, lines.size());
        }
    }
}
