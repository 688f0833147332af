package dev.lathe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.ErrorCategory;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lathe models ...} end to end: models trained with {@code lathe sql}, then listed, inspected, aliased and deleted. */
class ModelsCommandTest {
    @TempDir
    Path dataDirectory;

    private CliRun lathe(String... args) {
        return CliRun.lathe(dataDirectory, args);
    }

    @BeforeEach
    void trainTwoVersions() {
        String penguins = Path.of("src/main/resources/dev/lathe/samples/penguins.csv").toAbsolutePath().toString();
        String create = "CREATE OR REPLACE MODEL d.weight OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL";
        CliRun run = lathe("sql", "-e", "CREATE SCHEMA d; LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['" + penguins + "']); "
                + create + "; " + create + " AND species = 'Adelie'");
        assertThat(run.exitCode()).as(run.err()).isZero();
    }

    @Test
    void listsShowsAndPagesModels() throws Exception {
        CliRun list = lathe("models", "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out()).contains("d.weight", "LINEAR_REG", "1 model");

        CliRun show = lathe("models", "show", "d.weight@1");
        assertThat(show.out()).contains("│ version ", "│ 1 ", "penguins", "metric r2_score", "d.penguins");

        JsonNode json = new ObjectMapper().readTree(lathe("models", "show", "d.weight", "--format", "json").out());
        assertThat(json.get("versionId").asText()).isEqualTo("2");
        assertThat(json.get("versionAliases")).extracting(JsonNode::asText).containsExactly("default");
        // the list's every-alias map is aliasVersions, as in REST; versionAliases is one version's list (probe re)
        JsonNode listed = new ObjectMapper().readTree(lathe("models", "list", "--format", "json").out()).at("/models/0");
        assertThat(listed.at("/aliasVersions/default").asText()).isEqualTo("2");
        assertThat(listed.has("versionAliases")).isFalse();
        assertThat(json.at("/lineage/parentVersionId").asText()).isEqualTo("1");
        assertThat(json.at("/provenance/trainingSql").asText()).contains("species = 'Adelie'");

        for (String size : new String[] {"0", "2000"}) { // one message for both ends (probe E)
            CliRun refused = lathe("models", "versions", "d.weight", "--page-size", size);
            assertThat(refused.exitCode()).isEqualTo(2);
            assertThat(refused.err()).contains("--page-size must be between 1 and 1000, but got " + size);
        }
        CliRun versions = lathe("models", "versions", "d.weight", "--page-size", "1");
        assertThat(versions.out()).contains("More versions: --page-token ");
        String token = versions.out().substring(versions.out().indexOf("--page-token ") + 13).strip();
        assertThat(lathe("models", "versions", "d.weight", "--page-size", "1", "--page-token", token).out())
                .contains("│ 2 ").doesNotContain("More versions");
        CliRun garbage = lathe("models", "list", "--page-token", "garbage"); // the REST remedy named orderBy and filter (probe re)
        assertThat(garbage.exitCode()).isEqualTo(2);
        assertThat(garbage.err()).contains("--page-token 'garbage' is not a token of this list").contains("the same --dataset and --search")
                .doesNotContain("orderBy");
    }

    @Test
    void setsMovesAndRemovesAliasesAndSqlSeesThem() {
        CliRun set = lathe("models", "alias", "d.weight@1", "champion");
        assertThat(set.exitCode()).as(set.err()).isZero();
        assertThat(set.out()).contains("Alias champion now points to d.weight@1");
        assertThat(lathe("sql", "--format", "csv", "-e", "SELECT COUNT(*) AS n FROM ML.PREDICT(MODEL d.weight@champion, "
                + "(SELECT 200.0 AS flipper_length_mm))").out()).isEqualTo("n\r\n1\r\n");

        assertThat(lathe("models", "alias", "d.weight@champion", "default").out()).contains("d.weight@1");
        assertThat(lathe("models", "show", "d.weight").out()).contains("│ 1 ");

        CliRun bad = lathe("models", "alias", "d.weight@1", "2nd");
        assertThat(bad.exitCode()).isEqualTo(ErrorCategory.USER_ERROR.exitCode());
        assertThat(bad.err()).startsWith("Error: Alias '2nd' is not valid");

        CliRun removeDefault = lathe("models", "alias", "--remove", "d.weight", "default");
        assertThat(removeDefault.exitCode()).isEqualTo(ErrorCategory.CONFLICT.exitCode());
        assertThat(lathe("models", "alias", "--remove", "d.weight", "champion").out()).contains("Removed alias champion");
    }

    /**
     * Probe pu2: `lathe models` beside a server settled the server's statements in flight (a DROP's staged folder put back,
     * a CREATE's .tmp folder removed). It reconciles nothing now: that is the open of the process holding the data directory.
     */
    @Test
    void modelsCommandsLeaveAnotherProcesssStatementsInFlightAlone() throws Exception {
        java.nio.file.Path models = dataDirectory.resolve("models/d");
        java.nio.file.Path staged = models.resolve(".dropped-weight-" + java.util.UUID.randomUUID());
        java.nio.file.Files.move(models.resolve("weight"), staged); // a DROP between its rename and its commit
        java.nio.file.Path writing = java.nio.file.Files.createDirectories(models.resolve("other/.tmp-" + java.util.UUID.randomUUID()));
        assertThat(lathe("models", "list").exitCode()).isZero();
        assertThat(staged).exists();
        assertThat(writing).exists();
        assertThat(models.resolve("weight")).doesNotExist();
    }

    @Test
    void deletesAVersionThenTheModel() {
        CliRun only = lathe("models", "delete", "d.weight@2");
        assertThat(only.exitCode()).as(only.err()).isZero();
        assertThat(only.out()).contains("Deleted version 2", "default is version 1");
        CliRun last = lathe("models", "delete", "d.weight@1");
        assertThat(last.exitCode()).isEqualTo(ErrorCategory.CONFLICT.exitCode());
        assertThat(last.err()).contains("only version");
        assertThat(lathe("models", "delete", "d.weight").out()).contains("Deleted model d.weight");
        CliRun missing = lathe("models", "show", "d.weight");
        assertThat(missing.exitCode()).isEqualTo(ErrorCategory.NOT_FOUND.exitCode());
        assertThat(lathe("models", "list", "--format", "json").out().strip()).isEqualTo("{\"models\":[]}");
    }
}
