package dev.lathe.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static dev.lathe.testing.EngineValues.value;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.engine.Engine;
import dev.lathe.engine.Lathe;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.metadata.Migrations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's behaviour, run against each metadata database by a subclass (SQLite and PostgreSQL): the
 * same assertions on both. After every change the {@code default} invariant is checked: exactly one version
 * of each model carries it, and the artifact store's DEFAULT file names the same version.
 */
abstract class RegistryContractTest {
    @TempDir
    Path dataDirectory;

    String url;
    MetadataStore metadata;
    ModelStore store;
    Registry registry;
    final Map<String, List<String>> deployed = new HashMap<>();

    /** A fresh, empty metadata database for one test. */
    abstract String newMetadataUrl(Path directory);

    abstract void dropMetadata(String url);

    @BeforeEach
    void open() {
        url = newMetadataUrl(dataDirectory);
        metadata = MetadataStore.open(url);
        store = ModelStore.open(dataDirectory);
        registry = Registry.open(metadata, store, (dataset, model, version) ->
                deployed.getOrDefault(dataset + "." + model + "@" + version, List.of()));
    }

    @AfterEach
    void close() {
        metadata.close();
        dropMetadata(url);
    }

    static ModelManifest manifest(String dataset, String name, int version, String trainingSql) {
        ModelManifest.Column column = new ModelManifest.Column("flipper_length_mm", "FLOAT64", "DOUBLE");
        return new ModelManifest(ModelManifest.FORMAT_VERSION, dataset, name, version, "LINEAR_REG", "REGRESSION", List.of(column),
                List.of(column), new ModelManifest.Column("body_mass_g", "FLOAT64", "DOUBLE"), List.of(), Map.of("l2_reg", 0.0),
                List.of(), false, trainingSql, "CREATE OR REPLACE MODEL " + dataset + "." + name + " AS " + trainingSql,
                new ModelManifest.Fingerprint(100 + version, 80, 20, "hash-" + version), Map.of("r2_score", 0.5), List.of(),
                new ModelManifest.Timings(Instant.now().toString(), Instant.now().toString(), 1, 1, 1, 1), "test");
    }

    ModelVersion train(String dataset, String name) {
        int version = registry.nextVersion(dataset, name);
        return registry.saveVersion(files(manifest(dataset, name, version, "SELECT * FROM penguins.raw WHERE island = 'Biscoe'")));
    }

    static ModelFiles files(ModelManifest manifest) {
        return new ModelFiles(manifest, "{}", Optional.empty(), new byte[] {1}, new EvaluationData(0, new double[0], new double[0]));
    }

    /** Exactly one `default` per model, on an existing version, and the store's DEFAULT file agrees. */
    void assertDefaultInvariant() {
        metadata.inTransaction(c -> {
            for (String[] model : rows(c, "SELECT dataset, name FROM models")) {
                List<String[]> defaults = rows(c, "SELECT a.version FROM model_aliases a JOIN model_versions v ON v.dataset = a.dataset"
                        + " AND v.name = a.name AND v.version = a.version WHERE a.alias = 'default' AND a.dataset = '" + model[0]
                        + "' AND a.name = '" + model[1] + "'");
                assertThat(defaults).as("default alias of %s.%s", model[0], model[1]).hasSize(1);
                assertThat(store.defaultVersion(model[0], model[1])).as("DEFAULT file of %s.%s", model[0], model[1])
                        .hasValue(Integer.parseInt(defaults.get(0)[0]));
            }
            return null;
        });
    }

    private static List<String[]> rows(Connection c, String sql) throws SQLException {
        List<String[]> rows = new ArrayList<>();
        try (PreparedStatement q = c.prepareStatement(sql); ResultSet r = q.executeQuery()) {
            while (r.next()) {
                String[] row = new String[r.getMetaData().getColumnCount()];
                for (int i = 0; i < row.length; i++) {
                    row[i] = r.getString(i + 1);
                }
                rows.add(row);
            }
        }
        return rows;
    }

    @Test
    void migrationsAreRecordedOnceAndReopeningAppliesNothing() {
        metadata.close();
        metadata = MetadataStore.open(url);
        metadata.close();
        metadata = MetadataStore.open(url);
        assertThat(metadata.schemaVersion()).isEqualTo(Migrations.latest());
        List<String[]> applied = metadata.inTransaction(c -> rows(c, "SELECT version, description FROM schema_migrations ORDER BY version"));
        assertThat(applied).hasSize(Migrations.ALL.size());
        for (int i = 0; i < applied.size(); i++) {
            assertThat(applied.get(i)).containsExactly(Integer.toString(Migrations.ALL.get(i).version()), Migrations.ALL.get(i).description());
        }
    }

    @Test
    void refusesDatabaseWithNewerSchemaNamingBothVersions() {
        int newer = Migrations.latest() + 1;
        metadata.inTransaction(c -> {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, 'from the future', ?)")) {
                insert.setInt(1, newer);
                insert.setString(2, Instant.now().toString());
                insert.executeUpdate();
            }
            return null;
        });
        metadata.close();
        assertThatThrownBy(() -> MetadataStore.open(url))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION)) // exit 4, not internal (probe E)
                .hasMessageContaining("schema version " + newer)
                .hasMessageContaining("schema version " + Migrations.latest());
        metadata = MetadataStore.open(MetadataStore.defaultUrl(dataDirectory.resolve("other")));
    }

    @Test
    void everyCreateMakesANewVersionAndMovesDefaultToIt() {
        for (int i = 1; i <= 3; i++) {
            ModelVersion version = train("penguins", "weight");
            assertThat(version.version()).isEqualTo(i);
            assertThat(version.aliases()).containsExactly("default");
            assertDefaultInvariant();
        }
        RegisteredModel model = registry.getModel("penguins", "weight").orElseThrow();
        assertThat(model.versionCount()).isEqualTo(3);
        assertThat(model.defaultVersion()).isEqualTo(3);
        ModelVersion third = registry.getVersion("penguins", "weight", 3).orElseThrow();
        assertThat(third.lineage().parentVersion()).hasValue(2);
        assertThat(third.lineage().sourceTables()).containsExactly("penguins.raw");
        assertThat(third.provenance().inputHash()).isEqualTo("hash-3");
        assertThat(third.metrics()).containsEntry("r2_score", 0.5);
        assertThat(registry.getVersion("penguins", "weight", 1).orElseThrow().lineage().parentVersion()).isEmpty();
        assertThat(registry.resolve("penguins", "weight", Optional.empty())).isEqualTo(3);
        assertThat(registry.resolve("PENGUINS", "weight", Optional.of("2"))).isEqualTo(2);
    }

    @Test
    void versionNumbersAreNeverReusedAfterDeletingTheNewest() {
        train("d", "m");
        train("d", "m");
        registry.deleteVersion("d", "m", 2);
        assertDefaultInvariant();
        assertThat(train("d", "m").version()).isEqualTo(3);
    }

    @Test
    void aVersionFolderLeftWithoutRegistrationIsNeverOverwritten() throws Exception {
        train("d", "m");
        // a process that died between writing version 2's files and registering them leaves the folder behind
        Path leftover = dataDirectory.resolve("models").resolve("d").resolve("m").resolve("2");
        Files.createDirectories(leftover);
        Files.writeString(leftover.resolve("manifest.json"), "{}");
        assertThat(registry.nextVersion("d", "m")).isEqualTo(3);
        assertThat(train("d", "m").version()).isEqualTo(3);
        assertThat(Files.readString(leftover.resolve("manifest.json"))).isEqualTo("{}");
        assertDefaultInvariant();
    }

    @Test
    void customAliasMovesFromOneVersionToAnotherAtomically() {
        train("d", "m");
        train("d", "m");
        registry.setAlias("d", "m", 1, "champion");
        assertThat(registry.resolve("d", "m", Optional.of("champion"))).isEqualTo(1);
        ModelVersion moved = registry.setAlias("d", "m", 2, "champion");
        assertThat(moved.aliases()).containsExactlyInAnyOrder("default", "champion");
        assertThat(registry.getVersion("d", "m", 1).orElseThrow().aliases()).isEmpty();
        assertThat(registry.getModel("d", "m").orElseThrow().aliases()).containsExactlyInAnyOrderEntriesOf(Map.of("default", 2, "champion", 2));
        assertDefaultInvariant();
    }

    @Test
    void defaultCanBeMovedButNeverRemoved() {
        train("d", "m");
        train("d", "m");
        registry.setAlias("d", "m", 1, "default");
        assertDefaultInvariant();
        assertThat(registry.resolve("d", "m", Optional.empty())).isEqualTo(1);
        assertThatThrownBy(() -> registry.removeAlias("d", "m", "default"))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
                .hasMessageContaining("cannot be removed");
        // the REST way in: its remedy is the REST call too, not only a CLI command (probe re)
        assertThatThrownBy(() -> registry.mergeAliases("d", "m", 1, List.of("-default")))
                .hasMessageContaining("add 'default' to the version that should carry it (its :mergeVersionAliases with [\"default\"]");
        assertDefaultInvariant();
    }

    @Test
    void removedAliasNoLongerResolves() {
        train("d", "m");
        registry.setAlias("d", "m", 1, "challenger");
        assertThat(registry.removeAlias("d", "m", "challenger").aliases()).containsExactly("default");
        assertThatThrownBy(() -> registry.resolve("d", "m", Optional.of("challenger")))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND))
                .hasMessageContaining("no version or alias 'challenger'. Aliases are: default (version 1)");
    }

    @Test
    void rejectsAliasesOutsideTheVertexFormatStatingTheRule() {
        train("d", "m");
        for (String bad : List.of("7", "12x", "Champion", "a", "champion-", "x_y", "a".repeat(129), "")) {
            assertThatThrownBy(() -> registry.setAlias("d", "m", 1, bad)).as(bad)
                    .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]");
        }
        assertThat(registry.setAlias("d", "m", 1, "aB-2").aliases()).contains("aB-2");
    }

    @Test
    void refusesToDeleteADeployedVersionOrModelNamingTheEndpoint() {
        train("d", "m");
        train("d", "m");
        deployed.put("d.m@1", List.of("penguin-endpoint"));
        assertThatThrownBy(() -> registry.deleteVersion("d", "m", 1))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
                .hasMessageContaining("penguin-endpoint").hasMessageContaining("version 1");
        assertThatThrownBy(() -> registry.deleteModel("d", "m")).hasMessageContaining("penguin-endpoint");
        assertThat(registry.getVersion("d", "m", 1)).isPresent();
        assertThat(store.versions("d", "m")).containsExactly(1, 2);
        assertDefaultInvariant();
    }

    @Test
    void deletingTheDefaultVersionMovesDefaultToTheNewestRemaining() {
        train("d", "m");
        train("d", "m");
        train("d", "m");
        registry.setAlias("d", "m", 3, "champion");
        RegisteredModel after = registry.deleteVersion("d", "m", 3);
        assertThat(after.defaultVersion()).isEqualTo(2);
        assertThat(after.aliases()).doesNotContainKey("champion");
        assertThat(store.versions("d", "m")).containsExactly(1, 2);
        assertDefaultInvariant();
    }

    @Test
    void theOnlyVersionGoesOnlyWithTheModel() {
        train("d", "m");
        assertThatThrownBy(() -> registry.deleteVersion("d", "m", 1))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
                .hasMessageContaining("only version").hasMessageContaining("lathe models delete d.m");
        registry.deleteModel("d", "m");
        assertThat(registry.getModel("d", "m")).isEmpty();
        assertThat(store.exists("d", "m")).isFalse();
        assertThatThrownBy(() -> registry.resolve("d", "m", Optional.empty()))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.MODEL_NOT_FOUND));
    }

    /**
     * Probe td F9: after DROP MODEL and CREATE MODEL under the same name, numbers started again at 1, so d.m@1 in a log or a
     * batch job's record named another model, though numbers are never to be reused. They go on from the dropped model's,
     * also after a second drop, and a model the dropped one's name was never given starts at 1.
     */
    @Test
    void aModelDroppedAndMadeAgainGoesOnFromTheDroppedModelsNumbers() {
        train("d", "m");
        train("d", "m");
        train("d", "m");
        registry.deleteVersion("d", "m", 3);
        registry.deleteModel("d", "m");
        assertThat(train("d", "m").version()).isEqualTo(4); // 3 was deleted, and is not given again either
        assertThat(train("d", "m").version()).isEqualTo(5);
        registry.deleteModel("d", "m");
        assertThat(registry.nextVersion("d", "m")).isEqualTo(6);
        assertThat(train("d", "m").version()).isEqualTo(6);
        assertThat(registry.getModel("d", "m").orElseThrow().versionCount()).isEqualTo(1);
        assertThat(train("d", "other").version()).isEqualTo(1);
        assertDefaultInvariant();
    }

    @Test
    void pagingVisitsEveryModelOnceWhileModelsAreAdded() {
        Set<String> expected = new LinkedHashSet<>();
        for (int i = 0; i < 23; i++) {
            String dataset = "ds" + (i % 3);
            String name = "model_" + (char) ('a' + i);
            train(dataset, name);
            expected.add(dataset + "." + name);
        }
        List<String> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int pages = 0;
        do {
            Page<RegisteredModel> page = registry.listModels(Optional.empty(), Optional.empty(), 5, token);
            page.items().forEach(m -> seen.add(m.qualifiedName()));
            token = page.nextPageToken();
            if (pages++ == 1) {
                train("aa", "created_while_paging");
            }
        } while (token.isPresent());
        assertThat(seen).doesNotHaveDuplicates().containsAll(expected).hasSize(expected.size());
        assertThat(registry.listModels(Optional.of("DS1"), Optional.empty(), 100, Optional.empty()).items())
                .extracting(RegisteredModel::dataset).containsOnly("ds1").hasSize(8);
        assertThat(registry.listModels(Optional.empty(), Optional.of("MODEL_C"), 100, Optional.empty()).items())
                .extracting(RegisteredModel::qualifiedName).containsExactly("ds2.model_c");
        assertThatThrownBy(() -> registry.listModels(Optional.empty(), Optional.empty(), 5, Optional.of("not a token!")))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    /** Ordered lists page by key (probe pw: by position, a model deleted between pages made the next page skip one). */
    @Test
    void orderedPagesGoOnAfterTheLastItemListed() {
        for (String name : List.of("c", "a", "b", "d")) {
            train("z", name);
        }
        train("z", "b"); // b's update time is now the newest
        OrderBy byName = OrderBy.parse(Optional.of("display_name desc"), Registry.MODEL_ORDER_FIELDS, "orderBy");
        Page<RegisteredModel> first = registry.listModels(Optional.of("z"), ModelFilter.NONE, byName, 2, Optional.empty());
        assertThat(first.items()).extracting(RegisteredModel::name).containsExactly("d", "c");
        registry.deleteModel("z", "c");
        Page<RegisteredModel> second = registry.listModels(Optional.of("z"), ModelFilter.NONE, byName, 2, first.nextPageToken());
        assertThat(second.items()).extracting(RegisteredModel::name).containsExactly("b", "a");
        assertThat(second.nextPageToken()).isEmpty();
        OrderBy byUpdate = OrderBy.parse(Optional.of("update_time desc, display_name"), Registry.MODEL_ORDER_FIELDS, "orderBy");
        List<String> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<RegisteredModel> page = registry.listModels(Optional.of("z"), ModelFilter.NONE, byUpdate, 1, token);
            page.items().forEach(m -> seen.add(m.name()));
            token = page.nextPageToken();
        } while (token.isPresent());
        assertThat(seen).containsExactly("b", "d", "a");
        OrderBy newest = OrderBy.parse(Optional.of("create_time desc"), Registry.VERSION_ORDER_FIELDS, "orderBy");
        Page<ModelVersion> versions = registry.listVersions("z", "b", 1, Optional.empty(), ModelFilter.NONE, newest);
        assertThat(versions.items()).extracting(ModelVersion::version).containsExactly(2);
        assertThat(registry.listVersions("z", "b", 1, versions.nextPageToken(), ModelFilter.NONE, newest).items())
                .extracting(ModelVersion::version).containsExactly(1);
    }

    /**
     * A filter answers alike on both stores (probe qe): SQLite's LOWER folds ASCII only and its LIKE ignores ASCII case,
     * so a non-ASCII search missed on SQLite and labels.team=RISK matched "risk" there; display_name is exact for the
     * model's part, whose case names another model.
     */
    @Test
    void filtersAnswerAlikeOnEveryStore() {
        train("p", "Upper");
        train("p", "upper");
        train("p", "axb");
        registry.setDescription("p", "Upper", 1, "Größe ÄRGER, école");
        registry.setLabels("p", "upper", 1, Map.of("team", "risk"));
        java.util.function.Function<String, List<String>> listed = filter -> registry.listModels(Optional.empty(),
                ModelFilter.parse(Optional.of(filter)), OrderBy.NONE, 10, Optional.empty()).items().stream()
                .map(RegisteredModel::qualifiedName).toList();
        assertThat(listed.apply("ÄRGER")).containsExactly("p.Upper");
        assertThat(listed.apply("ärger")).containsExactly("p.Upper");
        assertThat(listed.apply("ÉCOLE")).containsExactly("p.Upper");
        assertThat(listed.apply("labels.team=RISK")).isEmpty();
        assertThat(listed.apply("labels.team=risk")).containsExactly("p.upper");
        assertThat(listed.apply("display_name=\"p.Upper\"")).containsExactly("p.Upper");
        assertThat(listed.apply("display_name=\"P.upper\"")).containsExactly("p.upper");
        assertThat(listed.apply("display_name=\"p.UPPER\"")).isEmpty();
    }

    /** A page token goes on only the list that gave it: another filter, dataset or model would skip its first items (probe qe). */
    @Test
    void aPageTokenIsRefusedWithAnotherFilterDatasetOrModel() {
        for (String name : List.of("a", "b", "c")) {
            train("t", name);
            train("t", name);
        }
        Optional<String> token = registry.listModels(Optional.empty(), ModelFilter.NONE, OrderBy.NONE, 1, Optional.empty()).nextPageToken();
        assertThat(registry.listModels(Optional.empty(), ModelFilter.NONE, OrderBy.NONE, 1, token).items())
                .extracting(RegisteredModel::name).containsExactly("b");
        for (Runnable other : List.<Runnable>of(
                () -> registry.listModels(Optional.empty(), ModelFilter.parse(Optional.of("labels:team")), OrderBy.NONE, 1, token),
                () -> registry.listModels(Optional.of("t"), ModelFilter.NONE, OrderBy.NONE, 1, token),
                () -> registry.listModels(Optional.empty(), ModelFilter.NONE, OrderBy.parse(Optional.of("display_name"),
                        Registry.MODEL_ORDER_FIELDS, "orderBy"), 1, token))) {
            assertThatThrownBy(other::run).isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code())
                    .isEqualTo(ErrorCode.INVALID_ARGUMENT)).hasMessageContaining("with the same orderBy and filter");
        }
        Optional<String> versions = registry.listVersions("t", "a", 1, Optional.empty()).nextPageToken();
        assertThat(registry.listVersions("t", "a", 1, versions).items()).extracting(ModelVersion::version).containsExactly(2);
        assertThatThrownBy(() -> registry.listVersions("t", "b", 1, versions)).hasMessageContaining("is not valid for this list");
    }

    @Test
    void versionPagesAreCompleteAndInOrder() {
        for (int i = 0; i < 7; i++) {
            train("d", "m");
        }
        List<Integer> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<ModelVersion> page = registry.listVersions("d", "m", 3, token);
            page.items().forEach(v -> seen.add(v.version()));
            token = page.nextPageToken();
        } while (token.isPresent());
        assertThat(seen).containsExactly(1, 2, 3, 4, 5, 6, 7);
    }

    @Test
    void labelsAndDescriptionsAreKeptPerVersionAndValidated() {
        train("d", "m");
        train("d", "m");
        registry.setLabels("d", "m", 1, Map.of("team", "birds", "stage", "prod-1"));
        registry.setDescription("d", "m", 2, "weight from flipper length");
        assertThat(registry.getVersion("d", "m", 1).orElseThrow().labels()).containsExactlyInAnyOrderEntriesOf(
                Map.of("team", "birds", "stage", "prod-1"));
        assertThat(registry.getVersion("d", "m", 2).orElseThrow().labels()).isEmpty();
        assertThat(registry.getModel("d", "m").orElseThrow().description()).isEqualTo("weight from flipper length");
        assertThat(registry.listModels(Optional.empty(), Optional.of("FLIPPER"), 10, Optional.empty()).items()).hasSize(1);
        assertThatThrownBy(() -> registry.setLabels("d", "m", 1, Map.of("Team", "x"))).hasMessageContaining("Label key 'Team'");
        // characters are counted by code point, as a label's are (probe qe: 5,000 emoji were refused as 10,000)
        registry.setDescription("d", "m", 2, "😀".repeat(5_000));
        assertThatThrownBy(() -> registry.setDescription("d", "m", 2, "😀".repeat(8_193)))
                .hasMessageContaining("at most 8192 characters, but got 8193");
    }

    @Test
    void modelsInTheStoreButNotInTheRegistryAreRegisteredAtOpen() {
        copiedIn(manifest("old", "legacy", 1, "SELECT * FROM old.t"));
        copiedIn(manifest("old", "legacy", 2, "SELECT * FROM old.t"));
        store.setDefault("old", "legacy", 1);
        assertThat(registry.getModel("old", "legacy")).isEmpty();

        registry = Registry.open(metadata, store, DeploymentLookup.NONE);

        RegisteredModel model = registry.getModel("old", "legacy").orElseThrow();
        assertThat(model.versionCount()).isEqualTo(2);
        assertThat(model.defaultVersion()).isEqualTo(1);
        assertThat(registry.getVersion("old", "legacy", 2).orElseThrow().provenance().trainingSql()).isEqualTo("SELECT * FROM old.t");
        // the manifest does not say which version a version was trained from: unknown, not the previous number (probe qe)
        assertThat(registry.getVersion("old", "legacy", 2).orElseThrow().lineage().parentVersion()).isEmpty();
        assertDefaultInvariant();
        Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(registry.getModel("old", "legacy").orElseThrow().versionCount()).isEqualTo(2);
    }

    @Test
    void onlyTheStoredVersionsTheRegistryLacksAreRegisteredAtOpen() {
        train("penguins", "weight");
        train("penguins", "weight");
        registry.setAlias("penguins", "weight", 1, "champion");
        copiedIn(manifest("penguins", "weight", 3, "SELECT * FROM penguins.later"));
        train("iris", "species");

        registry = Registry.open(metadata, store, DeploymentLookup.NONE);

        assertThat(registry.getModel("penguins", "weight").orElseThrow().versionCount()).isEqualTo(3);
        assertThat(registry.getVersion("penguins", "weight", 3).orElseThrow().provenance().trainingSql())
                .isEqualTo("SELECT * FROM penguins.later");
        assertThat(registry.getVersion("penguins", "weight", 1).orElseThrow().aliases()).containsExactly("champion");
        assertThat(registry.getModel("iris", "species").orElseThrow().versionCount()).isEqualTo(1);
        assertDefaultInvariant();
    }

    /**
     * Probe td F1: a model folder copied in under another model's name, or into another dataset, was registered under the
     * folder's name with the manifest's identity, which hit the registry's keys: every command and the server's start
     * failed. Such a folder is left out with a warning naming it and its manifest's identity; the rest opens and works.
     * A version folder copied under another number was skipped without a word; it is said too.
     */
    @Test
    void aFolderCopiedUnderAnotherNameIsNotRegisteredAndTheRestOpens() throws Exception {
        train("d", "lin");
        train("d", "other");
        copyFolder(dataDirectory.resolve("models/d/lin"), dataDirectory.resolve("models/d/lin_copy"));
        copyFolder(dataDirectory.resolve("models/d/lin"), dataDirectory.resolve("models/e/x"));
        copyFolder(dataDirectory.resolve("models/d/other/1"), dataDirectory.resolve("models/d/other/7"));

        List<String> warnings = warningsOf(() -> registry = Registry.open(metadata, store, DeploymentLookup.NONE));

        assertThat(registry.getModel("d", "lin_copy")).isEmpty();
        assertThat(registry.getModel("e", "x")).isEmpty();
        assertThat(registry.getModel("d", "lin").orElseThrow().versionCount()).isEqualTo(1);
        assertThat(registry.getModel("d", "other").orElseThrow().versionCount()).isEqualTo(1);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("models/d/lin_copy/1 is not registered")
                .contains("says it is version 1 of model d.lin, not version 1 of d.lin_copy").contains("Move it back to models/d/lin/1"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("models/e/x/1 is not registered").contains("not version 1 of e.x"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("models/d/other/7 is not registered")
                .contains("version 1 of model d.other, not version 7 of d.other"));
        train("d", "lin"); // changes go on
        assertThat(registry.getModel("d", "lin").orElseThrow().versionCount()).isEqualTo(2);
        assertDefaultInvariant();
    }

    /**
     * Probe td F2: one model's empty DEFAULT file, or a copied-in version's truncated manifest, failed every command. The
     * DEFAULT is set again from the registry; the damaged version is left out with a warning naming its manifest.json, and
     * the other models (its own other versions too) are registered.
     */
    @Test
    void aDamagedDefaultOrManifestIsSaidAndTheOtherModelsWork() throws Exception {
        train("d", "m");
        train("d", "m");
        Files.writeString(dataDirectory.resolve("models/d/m/DEFAULT"), "");
        copiedIn(manifest("old", "intact", 1, "SELECT 1"));
        copiedIn(manifest("old", "torn", 1, "SELECT 1"));
        copiedIn(manifest("old", "torn", 2, "SELECT 2"));
        Path torn = dataDirectory.resolve("models/old/torn/2/manifest.json");
        Files.write(torn, java.util.Arrays.copyOf(Files.readAllBytes(torn), 300));

        List<String> warnings = warningsOf(() -> registry = Registry.open(metadata, store, DeploymentLookup.NONE));

        assertThat(store.defaultVersion("d", "m")).hasValue(2);
        assertThat(registry.getModel("old", "intact")).isPresent();
        assertThat(registry.getModel("old", "torn").orElseThrow().versionCount()).isEqualTo(1);
        assertThat(store.defaultVersion("old", "torn")).hasValue(1);
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("models/d/m holds no version number"));
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains("models/old/torn/2 is not registered")
                .contains("manifest.json in").contains("is damaged"));
        assertDefaultInvariant();
    }

    private static void copyFolder(Path from, Path to) throws java.io.IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Files.createDirectories(to.resolve(from.relativize(file)).getParent());
                Files.copy(file, to.resolve(from.relativize(file)));
            }
        }
    }

    /** The warnings the registry logs while {@code action} runs. */
    static List<String> warningsOf(Runnable action) {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger(Registry.class.getName());
        List<String> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler handler = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                if (record.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        logger.addHandler(handler);
        try {
            action.run();
        } finally {
            logger.removeHandler(handler);
        }
        return warnings;
    }

    /** A version folder put there by hand (copied, or from before the registry): no statement's unregistered marker. */
    private void copiedIn(ModelManifest manifest) {
        store.save(files(manifest));
        store.markRegistered(manifest.dataset(), manifest.name(), manifest.version());
    }

    /**
     * Probe E: a statement killed between writing its version's files and the registry's commit left a folder that the
     * next open registered as a "copied" one, so the killed CREATE MODEL's version appeared later. Its files carry the
     * unregistered marker: the open leaves them alone while a statement could still be registering them, then removes them.
     */
    @Test
    void aVersionItsStatementNeverRegisteredIsNotRegisteredAtOpenAndGoesLater() throws Exception {
        train("d", "m");
        store.save(files(manifest("d", "m", 2, "SELECT 'killed'")));
        store.save(files(manifest("cut", "only", 1, "SELECT 'killed'")));
        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(registry.getModel("d", "m").orElseThrow().versionCount()).isEqualTo(1);
        assertThat(registry.getModel("cut", "only")).isEmpty();
        assertThat(store.versions("d", "m")).containsExactly(1, 2); // maybe still being registered by its statement

        java.nio.file.attribute.FileTime old = java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(Registry.UNREGISTERED_GRACE)
                .minusSeconds(60));
        Files.setLastModifiedTime(dataDirectory.resolve("models/d/m/2/" + ModelStore.UNREGISTERED), old);
        Files.setLastModifiedTime(dataDirectory.resolve("models/cut/only/1/" + ModelStore.UNREGISTERED), old);
        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(store.versions("d", "m")).containsExactly(1);
        assertThat(store.exists("cut", "only")).isFalse();
        assertThat(registry.getModel("d", "m").orElseThrow().defaultVersion()).isEqualTo(1);
        assertThat(store.defaultVersion("d", "m")).hasValue(1);
        // A registered version keeps no marker; one cut off after the commit loses it at the next open.
        assertThat(dataDirectory.resolve("models/d/m/1/" + ModelStore.UNREGISTERED)).doesNotExist();
        Files.write(dataDirectory.resolve("models/d/m/1/" + ModelStore.UNREGISTERED), new byte[0]);
        Files.setLastModifiedTime(dataDirectory.resolve("models/d/m/1/" + ModelStore.UNREGISTERED), old);
        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(dataDirectory.resolve("models/d/m/1/" + ModelStore.UNREGISTERED)).doesNotExist();
        assertThat(store.versions("d", "m")).containsExactly(1);

        // Probe rd: a first CREATE MODEL killed between its version's rename and its DEFAULT's left a folder without
        // DEFAULT, which the open never looked at: it stayed for good
        store.save(files(manifest("cut", "first", 1, "SELECT 'killed'")));
        Files.delete(dataDirectory.resolve("models/cut/first/DEFAULT"));
        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(store.versions("cut", "first")).containsExactly(1); // maybe still being registered by its statement
        Files.setLastModifiedTime(dataDirectory.resolve("models/cut/first/1/" + ModelStore.UNREGISTERED), old);
        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(dataDirectory.resolve("models/cut/first")).doesNotExist();
        assertThat(registry.getModel("cut", "first")).isEmpty();
    }

    /**
     * Probe sb F2: a registered version whose folder was deleted by hand is not a cut-off write: the open removed the
     * model's folder and DEFAULT, so restoring the version from a backup needed both rebuilt. They stay, and the cut-off
     * only-version model beside it still goes.
     */
    @Test
    void aRegisteredVersionWhoseFolderIsMissingKeepsItsModelFolderAndDefault() throws Exception {
        train("d", "kept");
        Path version = dataDirectory.resolve("models/d/kept/1");
        Path backup = Files.move(version, dataDirectory.resolve("backup-of-kept-1"));
        store.save(files(manifest("cut", "only", 1, "SELECT 'killed'")));
        Files.setLastModifiedTime(dataDirectory.resolve("models/cut/only/1/" + ModelStore.UNREGISTERED), java.nio.file.attribute.FileTime
                .from(Instant.now().minus(Registry.UNREGISTERED_GRACE).minusSeconds(60)));

        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        registry = Registry.open(metadata, store, DeploymentLookup.NONE); // and again: nothing more goes
        assertThat(store.defaultVersion("d", "kept")).hasValue(1);
        assertThat(registry.getModel("d", "kept").orElseThrow().defaultVersion()).isEqualTo(1);
        assertThat(store.exists("cut", "only")).isFalse();
        assertThat(dataDirectory.resolve("models/cut/only")).doesNotExist();

        Files.move(backup, version); // restoring the version's folder is all it takes
        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(store.load("d", "kept", 1).manifest().version()).isEqualTo(1);
        assertDefaultInvariant();
    }

    /**
     * Probe rd: an alias move in one process and a CREATE OR REPLACE in another each wrote DEFAULT after its commit with the
     * version it had committed, so the later write won whatever the commit order, and a registry rebuilt from the folders
     * put default on the loser. Two registries of one store (as two processes) moving default back and forth end with
     * DEFAULT on the registry's default.
     */
    @Test
    void defaultFollowsTheRegistryWhateverOrderTwoWritersFinishIn() throws Exception {
        train("d", "m");
        train("d", "m");
        train("d", "m");
        Registry other = Registry.open(metadata, ModelStore.open(dataDirectory), DeploymentLookup.NONE);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 20; round++) {
                int first = 1 + round % 3;
                java.util.concurrent.Future<?> a = pool.submit(() -> registry.setAlias("d", "m", first, "default"));
                int second = 1 + (round + 1) % 3;
                java.util.concurrent.Future<?> b = pool.submit(() -> other.mergeAliases("d", "m", second, List.of("default")));
                a.get();
                b.get();
                assertDefaultInvariant();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Probe pu, kill -9 at each step of DROP MODEL and of deleting a version: the folder renamed away before the commit made
     * every later command fail (".dropped-..." taken for a model) or left a registered model without files; after the
     * commit, trash stayed forever. Each crash state, made by hand, is settled by the next open: what the registry still
     * holds is put back, what it dropped is removed.
     */
    @Test
    void theNextOpenSettlesWhatAKilledDropOrDeleteLeft() throws Exception {
        train("d", "kept");            // dropped, killed before the commit: the registry still has it
        train("d", "gone");            // dropped and committed, killed before the trash went
        train("d", "two");
        train("d", "two");             // version 2 deleted, killed before the commit
        Path models = dataDirectory.resolve("models/d");
        ModelStore.Staged kept = store.stageDrop("d", "kept").orElseThrow();
        assertThat(kept.trash().getFileName().toString()).startsWith(".dropped-kept-");
        assertThat(store.list(Optional.empty())).doesNotContain("d.kept"); // a hidden folder is never a model
        registry.deleteModel("d", "gone");
        Files.createDirectories(models.resolve(".dropped-gone-" + java.util.UUID.randomUUID() + "/1"));
        Path legacy = Files.createDirectories(models.resolve(".dropped-" + java.util.UUID.randomUUID()));
        Files.writeString(legacy.resolve("DEFAULT"), "1"); // a trash folder of before names were kept: removed
        store.stageDeleteVersion("d", "two", 2).orElseThrow();
        store.setDefault("d", "two", 1); // the pointer moved inside the transaction that never committed
        Files.createDirectories(models.resolve("two/.tmp-" + java.util.UUID.randomUUID()));
        Files.writeString(models.resolve("two/.pointer-" + java.util.UUID.randomUUID()), "2");

        registry = Registry.open(metadata, store, DeploymentLookup.NONE);

        assertThat(store.versions("d", "kept")).containsExactly(1);
        assertThat(store.versions("d", "two")).containsExactly(1, 2);
        assertThat(registry.getModel("d", "gone")).isEmpty();
        assertThat(store.exists("d", "gone")).isFalse();
        try (java.util.stream.Stream<Path> left = Files.list(models)) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("kept", "two");
        }
        try (java.util.stream.Stream<Path> left = Files.list(models.resolve("two"))) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("1", "2", "DEFAULT");
        }
        assertDefaultInvariant(); // d.two's DEFAULT back on 2, the registry's default
        assertThat(registry.getModel("d", "two").orElseThrow().defaultVersion()).isEqualTo(2);
    }

    /**
     * Probe pu3: a DROP that never committed left its trash while the model was made again (CREATE OR REPLACE) under the
     * same name; the next open deleted the trash, whose version 1 the registry still held. Its versions go back beside the
     * new ones.
     */
    @Test
    void aModelMadeAgainBesideItsUncommittedDropKeepsTheOldVersions() {
        train("d", "m");
        registry.setAlias("d", "m", 1, "champion");
        store.stageDrop("d", "m").orElseThrow(); // the DROP's commit never landed
        train("d", "m"); // version 2, in a new folder of the same name
        registry = Registry.open(metadata, store, DeploymentLookup.NONE);
        assertThat(store.versions("d", "m")).containsExactly(1, 2);
        assertThat(registry.getVersion("d", "m", 1).orElseThrow().aliases()).containsExactly("champion");
        assertDefaultInvariant();
        try (java.util.stream.Stream<Path> left = Files.list(dataDirectory.resolve("models/d"))) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactly("m");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aDeleteWhoseCommitFailsPutsTheFilesBack() {
        train("d", "m");
        train("d", "m");
        deployed.put("d.m@2", List.of("shop")); // refused before anything moves
        assertThatThrownBy(() -> registry.deleteVersion("d", "m", 2)).isInstanceOf(LatheException.class);
        deployed.clear();
        registry.deleteVersion("d", "m", 2);
        assertThat(store.versions("d", "m")).containsExactly(1);
        try (java.util.stream.Stream<Path> left = Files.list(dataDirectory.resolve("models/d/m"))) {
            assertThat(left.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("1", "DEFAULT");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
        assertDefaultInvariant();
        registry.deleteModel("d", "m");
        assertThat(Files.exists(dataDirectory.resolve("models/d/m"))).isFalse();
        try (java.util.stream.Stream<Path> left = Files.list(dataDirectory.resolve("models/d"))) {
            assertThat(left).isEmpty(); // no trash after a committed drop
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void failedRegistrationRemovesTheArtifactVersion() throws Exception {
        train("d", "m");
        // The registry already has version 1; its artifact vanished, so a second version 1 can be written but not registered.
        store.deleteVersion("d", "m", 1);
        assertThatThrownBy(() -> registry.saveVersion(files(manifest("d", "m", 1, "SELECT 1")))).isInstanceOf(LatheException.class);
        assertThat(store.versions("d", "m")).isEmpty();
        assertThat(Files.exists(dataDirectory.resolve("models/d/m/1"))).isFalse();
    }

    @Test
    void mlPredictAddressesVersionsByAliasThroughSql() {
        metadata.close();
        String penguins = Path.of("src/main/resources/dev/lathe/samples/penguins.csv").toAbsolutePath().toString();
        try (Engine engine = Lathe.open(dataDirectory, url, line -> {})) {
            run(engine, "CREATE SCHEMA d; LOAD DATA INTO d.penguins FROM FILES (format = 'CSV', uris = ['" + penguins + "'])");
            String create = "CREATE OR REPLACE MODEL d.weight OPTIONS (model_type = 'linear_reg', input_label_cols = ['body_mass_g']) AS "
                    + "SELECT flipper_length_mm, body_mass_g FROM d.penguins WHERE body_mass_g IS NOT NULL AND species = ";
            run(engine, create + "'Adelie'");
            run(engine, create + "'Gentoo'");
            metadata = MetadataStore.open(url);
            registry = Registry.open(metadata, store, DeploymentLookup.NONE);
            registry.setAlias("d", "weight", 1, "champion");

            String predict = "SELECT SUM(predicted_body_mass_g) FROM ML.PREDICT(MODEL %s, (SELECT flipper_length_mm FROM d.penguins "
                    + "WHERE flipper_length_mm IS NOT NULL))";
            Object champion = value(engine, predict.formatted("d.weight@champion"));
            assertThat(champion).isEqualTo(value(engine, predict.formatted("d.weight@1")));
            assertThat(value(engine, predict.formatted("d.weight"))).isEqualTo(value(engine, predict.formatted("d.weight@2")))
                    .isNotEqualTo(champion);
            assertThatThrownBy(() -> run(engine, predict.formatted("d.weight@champin")))
                    .hasMessageContaining("no version or alias 'champin'").hasMessageContaining("did you mean 'champion'");

            run(engine, "DROP MODEL d.weight");
            assertThat(registry.getModel("d", "weight")).isEmpty();
            assertThat(store.exists("d", "weight")).isFalse();
        }
    }

    private static void run(Engine engine, String sql) {
        engine.execute(sql, (text, result) -> {});
    }
}
