package dev.lathe.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code lathe quickstart}: the annotated walk-through on the bundled sample data. */
@Command(name = "quickstart", mixinStandardHelpOptions = true, description = "Annotated walk-through on the bundled sample data.")
final class QuickstartCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        // Through a running server of the same data directory when there is one (it holds the warehouse).
        try (SqlRunner runner = SqlRunner.open(main.dataDirectory(), main.metadataUrl(main.dataDirectory()), line -> {});
                PrintStream out = new PrintStream(new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8)) {
            Quickstart.run(runner, main.dataDirectory(), out);
            return 0;
        } catch (RuntimeException e) {
            return main.report(e, spec.commandLine().getErr());
        }
    }
}
