package dev.lathe.cli;

import dev.lathe.core.LatheException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            Optional<String> script = script();
            Path dataDirectory = main.dataDirectory();
            try (SqlRunner runner = SqlRunner.open(dataDirectory, main.metadataUrl(dataDirectory), err::println)) {
                if (script.isPresent()) {
                    runner.run(script.get(), new ResultPrinter(format.formatter(), out));
                } else {
                    try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
                        new SqlShell(runner, terminal, dataDirectory.resolve(".lathe_history"), format.formatter()).run();
                    }
                }
            }
            return 0;
        } catch (RuntimeException | IOException e) {
            return main.report(e, err);
        }
    }

    /** The script to run, or empty for the interactive shell. */
    private Optional<String> script() throws IOException {
        if (!scripts.isEmpty() && file.isPresent()) {
            throw LatheException.userError("Give statements with -e or with -f, not both");
        }
        if (!scripts.isEmpty()) {
            return Optional.of(String.join(";\n", scripts));
        }
        if (file.isPresent()) {
            Path path = file.get();
            try {
                return Optional.of(Files.readString(path, StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                throw LatheException.userError("SQL file '%s' (from -f) does not exist; give the path of a readable file of statements"
                        .formatted(path.toAbsolutePath()));
            }
        }
        if (main.standardInputIsTerminal()) {
            return Optional.empty();
        }
        return Optional.of(new String(main.standardInput().readAllBytes(), StandardCharsets.UTF_8));
    }
}
