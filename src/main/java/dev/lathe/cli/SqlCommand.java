package dev.lathe.cli;

import dev.lathe.core.LatheException;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lathe sql}: runs ML SQL from -e, -f or standard input, or opens the interactive shell. */
@Command(
        name = "sql",
        mixinStandardHelpOptions = true,
        description = {
            "Runs ML SQL statements.",
            "With neither -e nor -f: an interactive shell when standard input is a terminal, else the whole of standard input as a script.",
            "When a Lathe server of the same data directory runs (<data-dir>/server.json), statements run in it."
        })
final class SqlCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = {"-e", "--execute"}, paramLabel = "SQL", description = "Statements to run, separated by ';' (repeatable).")
    List<String> scripts = new ArrayList<>();

    @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "A file of statements to run.")
    Optional<Path> file = Optional.empty();

    @Option(
            names = "--format",
            paramLabel = "FORMAT",
            defaultValue = "table",
            converter = OutputFormat.Converter.class,
            description = "Output format of rows: table, csv or json (JSON Lines). Default: ${DEFAULT-VALUE}.")
    OutputFormat format = OutputFormat.TABLE;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        // rows are written in 64 KB blocks, not flushed line by line (a million-row table made a million writes)
        PrintWriter target = spec.commandLine().getOut();
        PrintWriter out = new PrintWriter(new BufferedWriter(target, 1 << 16), false) {
            @Override
            public boolean checkError() { // the target swallows its writer's failure: ask it too
                return super.checkError() || target.checkError();
            }
        };
        try {
            Optional<String> script = script();
            Path dataDirectory = main.dataDirectory();
            try (SqlRunner runner = SqlRunner.open(dataDirectory, main.metadataUrl(dataDirectory), err::println)) {
                if (script.isPresent()) {
                    // Ctrl-C or SIGTERM ends the process; a server would run the statement on and commit it (probe sc: a
                    // "cancelled" CREATE TABLE was there afterwards), so it is cancelled there first
                    Thread cancel = new Thread(runner::cancel, "lathe-sql-cancel");
                    boolean remote = runner instanceof SqlRunner.Remote;
                    if (remote) {
                        Runtime.getRuntime().addShutdownHook(cancel);
                    }
                    try {
                        runner.run(script.get(), new ResultPrinter(format.formatter(), out, format == OutputFormat.TABLE ? out : err));
                        runner.endScript();
                    } finally {
                        if (remote) {
                            try {
                                Runtime.getRuntime().removeShutdownHook(cancel);
                            } catch (IllegalStateException e) {
                                // the JVM is stopping: the hook runs
                            }
                        }
                    }
                } else {
                    try (Terminal terminal = TerminalBuilder.builder().system(true).encoding(java.nio.charset.StandardCharsets.UTF_8).build()) {
                        // the prompt and editing on the terminal, results where standard output goes (`lathe sql | tee log`)
                        new SqlShell(runner, terminal, dataDirectory.resolve(".lathe_history"), format.formatter(),
                                Terminals.standardOutputIsTerminal() ? terminal.writer() : out).run();
                    }
                }
            }
            return 0;
        } catch (StandardOutput.Failed e) {
            // a reader that went away (`| head`) wanted no more: stop quietly with the status of a process SIGPIPE ended
            return e.brokenPipe() ? 141 : main.report(e, err);
        } catch (LatheException e) {
            return main.report(inOwnScript(e), err);
        } catch (RuntimeException | IOException | OutOfMemoryError e) { // out of memory: exit 5 naming the heap (probe ta F3)
            return main.report(e, err);
        } finally {
            out.flush();
        }
    }

    /**
     * {@code e} with the places it names in the joined text of several {@code -e} given in their own: "line 1, column 8
     * of -e 2" (probe qa: two one-line statements, the second's error at "line 3").
     */
    LatheException inOwnScript(LatheException e) {
        if (scripts.size() < 2) {
            return e;
        }
        return ErrorPlaces.moved(e, (line, column) -> {
            int first = 1; // the joined text's line where -e k starts: each is followed by "\n;\n"
            int k = 0;
            while (k + 1 < scripts.size() && line >= first + scripts.get(k).split("\n", -1).length + 1) {
                first += scripts.get(k).split("\n", -1).length + 1;
                k++;
            }
            return "line " + (line - first + 1) + ", column " + column + " of -e " + (k + 1);
        });
    }

    /** The script to run, or empty for the interactive shell. */
    private Optional<String> script() throws IOException {
        if (!scripts.isEmpty() && file.isPresent()) {
            throw LatheException.userError("Give statements with -e or with -f, not both");
        }
        if (!scripts.isEmpty()) {
            for (int k = 0; k < scripts.size(); k++) {
                UserFiles.argumentIsUtf8(scripts.get(k), scripts.size() == 1 ? "-e" : "-e " + (k + 1));
            }
            // on lines of their own: an -e ending in a -- or # comment would otherwise comment out the separator
            return Optional.of(String.join("\n;\n", scripts));
        }
        if (file.isPresent() && file.get().toString().equals("-")) {
            return Optional.of(UserFiles.text(main.standardInput().readAllBytes(), "standard input (-f -)"));
        }
        if (file.isPresent()) {
            return Optional.of(UserFiles.text(file.get(), "SQL file", "-f", "give the path of a file of statements"));
        }
        if (main.standardInputIsTerminal()) {
            return Optional.empty();
        }
        return Optional.of(UserFiles.text(main.standardInput().readAllBytes(), "standard input"));
    }

}
