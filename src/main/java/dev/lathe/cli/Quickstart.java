package dev.lathe.cli;

import dev.lathe.core.LatheException;
import dev.lathe.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The annotated walk-through behind {@code lathe quickstart}: extracts the bundled sample data into the
 * data directory, then runs {@code quickstart.sql} step by step, printing each comment, statement and
 * result.
 */
public final class Quickstart {
    private static final String RESOURCES = "/dev/lathe/samples/";
    private static final List<String> SAMPLES = List.of("penguins.csv", "telco_churn.csv", "README.md");

    private Quickstart() {}

    /** One narrated statement of the script. */
    record Step(String narration, String sql) {}

    public static void run(Engine engine, Path dataDirectory, PrintStream out) {
        run(SqlRunner.local(engine), dataDirectory, out);
    }

    /** Runs the walk-through through {@code runner}: the warehouse itself, or a running server of it. */
    static void run(SqlRunner runner, Path dataDirectory, PrintStream out) {
        long started = System.nanoTime();
        Path samples = extractSamples(dataDirectory.resolve("samples"));
        // a data directory other than the default must be named again, or a later command opens an empty ./lathe-data
        boolean defaultDirectory = dataDirectory.toAbsolutePath().normalize().equals(Path.of("lathe-data").toAbsolutePath().normalize());
        String lathe = defaultDirectory ? "./lathe" : "./lathe --data-dir " + shellQuoted(dataDirectory.toAbsolutePath().toString());
        List<Step> steps = steps(script().replace("${samples}", samples.toAbsolutePath().toString().replace("'", "''"))
                .replace("${lathe}", lathe));
        PrintWriter writer = new PrintWriter(out, true, StandardCharsets.UTF_8);
        ResultPrinter printer = new ResultPrinter(new TableFormatter(), writer);
        for (Step step : steps) {
            if (!step.narration().isEmpty()) {
                writer.println();
                writer.println(step.narration());
            }
            writer.println();
            writer.println(indent(step.sql()));
            long statementStarted = System.nanoTime();
            runner.run(step.sql(), printer);
            writer.printf(Locale.ROOT, "(%.2f s)%n", (System.nanoTime() - statementStarted) / 1e9);
            writer.flush();
        }
        writer.println();
        writer.printf(Locale.ROOT, "Done in %.1f s. The warehouse and the models are in %s.%n", (System.nanoTime() - started) / 1e9,
                dataDirectory.toAbsolutePath());
        writer.println("Next, a shell on the same data: " + lathe + " sql; try, e.g.");
        writer.println("  SELECT * FROM ML.PREDICT(MODEL quickstart.penguin_species, (SELECT * FROM quickstart.penguins LIMIT 3));");
        writer.flush();
    }

    private static String shellQuoted(String path) {
        return path.matches("[A-Za-z0-9_./@%+=:,-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }

    /** Splits the script into steps: comment lines narrate the statement that follows them. */
    static List<Step> steps(String script) {
        List<Step> steps = new ArrayList<>();
        StringBuilder narration = new StringBuilder();
        StringBuilder sql = new StringBuilder();
        for (String line : script.split("\n", -1)) {
            String trimmed = line.strip();
            if (sql.isEmpty() && trimmed.startsWith("--")) {
                narration.append(narration.isEmpty() ? "" : "\n").append(trimmed);
                continue;
            }
            if (sql.isEmpty() && trimmed.isEmpty()) {
                continue;
            }
            sql.append(sql.isEmpty() ? "" : "\n").append(line);
            if (trimmed.endsWith(";")) {
                steps.add(new Step(narration.toString(), sql.toString()));
                narration.setLength(0);
                sql.setLength(0);
            }
        }
        return steps;
    }

    private static String indent(String sql) {
        StringBuilder out = new StringBuilder();
        String[] lines = sql.split("\n");
        for (int i = 0; i < lines.length; i++) {
            out.append(i == 0 ? "lathe> " : "   ...> ").append(lines[i]).append(i + 1 < lines.length ? "\n" : "");
        }
        return out.toString();
    }

    static String script() {
        try (InputStream in = Quickstart.class.getResourceAsStream(RESOURCES + "quickstart.sql")) {
            if (in == null) {
                throw LatheException.internal("quickstart.sql is missing from the Lathe jar", null);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path extractSamples(Path directory) {
        try {
            Files.createDirectories(directory);
            for (String sample : SAMPLES) {
                try (InputStream in = Quickstart.class.getResourceAsStream(RESOURCES + sample)) {
                    if (in == null) {
                        throw LatheException.internal(sample + " is missing from the Lathe jar", null);
                    }
                    Files.copy(in, directory.resolve(sample), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return directory;
        } catch (IOException e) {
            throw LatheException.internal("Cannot write the sample data to " + directory + ": " + e.getMessage(), e);
        }
    }
}
