package dev.lathe.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/** One {@code lathe --data-dir DIR ...} command run in this JVM: its exit code, standard output and standard error. */
record CliRun(int exitCode, String out, String err) {
    static CliRun lathe(Path dataDirectory, String... args) {
        List<String> all = new ArrayList<>(List.of("--data-dir", dataDirectory.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(all.toArray(String[]::new));
        return new CliRun(exitCode, out.toString(), err.toString());
    }
}
