package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * Models written by format version 1 (src/test/resources/golden/v1, made by an earlier build) still load
 * and predict exactly what they predicted then. Changing the artifact format without a reader for the
 * old one fails here.
 */
class GoldenArtifactTest {
    private static final Path GOLDEN = Path.of("src/test/resources/golden/v1");

    @TempDir
    Path dataDirectory;

    @ParameterizedTest
    @ValueSource(strings = {"linear", "logistic", "trees", "clusters"})
    void versionOneModelsPredictAsTheyDid(String model) throws IOException {
        copy(GOLDEN.resolve("models"), dataDirectory.resolve("models"));
        String samples = Path.of("src/main/resources/dev/lathe/samples/penguins.csv").toAbsolutePath().toString();
        String out = run("--data-dir", dataDirectory.toString(), "sql", "--format", "csv", "-e",
                "CREATE SCHEMA d; LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['" + samples + "']);"
                        + " SELECT * EXCLUDE (species, island, bill_length_mm, bill_depth_mm, flipper_length_mm, body_mass_g, sex, year)"
                        + " FROM ML.PREDICT(MODEL d." + model + ", TABLE d.penguins)");
        String expected = Files.readString(GOLDEN.resolve(model + ".csv"));
        assertThat(out).endsWith(expected);
    }

    private static String run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = Main.commandLine(new Main(Map.of(), InputStream.nullInputStream(), false));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        assertThat(exitCode).as(err.toString()).isZero();
        return out.toString();
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path source : paths.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
