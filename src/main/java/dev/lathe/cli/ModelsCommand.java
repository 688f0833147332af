package dev.lathe.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.lathe.core.LatheException;
import dev.lathe.metadata.MetadataStore;
import dev.lathe.registry.ModelStore;
import dev.lathe.registry.ModelVersion;
import dev.lathe.registry.Page;
import dev.lathe.registry.RegisteredModel;
import dev.lathe.registry.Registry;
import dev.lathe.registry.RegistryJson;
import dev.lathe.registry.RegistryService;
import dev.lathe.serve.store.EndpointStore;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code lathe models list|show|versions|alias|delete}: the model registry of a data directory. Opens only the
 * metadata store and the model artifacts (not the warehouse); the logic lives in {@link RegistryService}.
 */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "Lists, inspects and manages registered models, their versions and aliases.",
        subcommands = {
            ModelsCommand.ListModels.class,
            ModelsCommand.Show.class,
            ModelsCommand.Versions.class,
            ModelsCommand.Alias.class,
            ModelsCommand.Delete.class
        })
final class ModelsCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return Main.missingSubcommand(spec);
    }

    /** Runs {@code action} on a registry service over this data directory; failures become one error line and an exit code. */
    int run(CommandSpec command, Function<RegistryService, String> action) {
        PrintWriter out = command.commandLine().getOut();
        try {
            Path dataDirectory = main.dataDirectory();
            try (MetadataStore metadata = openBesideServer(dataDirectory, main.metadataUrl(dataDirectory))) {
                // The registry as it is: `lathe models` runs beside a server or a `lathe sql` that holds the data directory, and
                // the open's reconciling (settling killed statements' leftovers, registering copied folders) is theirs to do
                // under that hold; run here, it settled their statements in flight, undoing a DROP or failing a CREATE (probe pu2).
                Registry registry = Registry.openReadOnly(metadata, ModelStore.open(dataDirectory), new EndpointStore(metadata));
                out.print(action.apply(new RegistryService(registry)));
                out.flush();
            }
            return 0;
        } catch (RuntimeException e) {
            return main.report(e, command.commandLine().getErr());
        }
    }

    /**
     * The data directory's metadata store, never migrated while a server runs for the directory: a newer build's command
     * migrated it under an older server, which could then never start again on it (probe ua F1); such a store is refused
     * naming the server. A server.json whose process took the PID but listens on no port is stale ({@code discover} removes it).
     */
    static MetadataStore openBesideServer(Path dataDirectory, String metadataUrl) {
        dev.lathe.server.LatheClient.discover(dataDirectory);
        return dev.lathe.engine.Platform.openMetadata(dataDirectory, metadataUrl,
                dev.lathe.server.LatheClient.running(dataDirectory).map(dev.lathe.server.ServerInfo::describe));
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw LatheException.internal("Cannot write JSON: " + e.getMessage(), e);
        }
    }

    static String table(List<String> header, List<List<String>> rows) {
        java.io.StringWriter text = new java.io.StringWriter();
        TextTable.print(header, rows, new PrintWriter(text));
        return text.toString();
    }

    static OutputFormat requireTableOrJson(OutputFormat format) {
        return requireTableOrJson(format, "models");
    }

    /** The --format of a command of {@code group}: table or json (csv is for query results). */
    static OutputFormat requireTableOrJson(OutputFormat format, String group) {
        if (format == OutputFormat.CSV) {
            throw LatheException.userError("--format csv is for query results; " + group + " commands accept table or json");
        }
        return format;
    }

    static String aliases(Map<String, Integer> aliases, int version) {
        return aliases.entrySet().stream().filter(e -> e.getValue() == version).map(Map.Entry::getKey).collect(Collectors.joining(", "));
    }

    /** Shared options of the subcommands. */
    abstract static class Subcommand implements Callable<Integer> {
        @ParentCommand
        ModelsCommand models;

        @Spec
        CommandSpec spec;

        @Option(
                names = "--format",
                paramLabel = "FORMAT",
                defaultValue = "table",
                converter = OutputFormat.Converter.class,
                description = "table or json. Default: ${DEFAULT-VALUE}.")
        OutputFormat format = OutputFormat.TABLE;

        @Override
        public Integer call() {
            return models.run(spec, service -> execute(service, requireTableOrJson(format)));
        }

        abstract String execute(RegistryService service, OutputFormat format);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists models, a page at a time.")
    static final class ListModels extends Subcommand {
        @Option(names = "--dataset", paramLabel = "DATASET", description = "Only models of this dataset.")
        Optional<String> dataset = Optional.empty();

        @Option(names = "--search", paramLabel = "TEXT", description = "Only models whose dataset.name or description contains TEXT; or a filter of terms joined by AND:"
                + " labels.<key>=<value>, labels.<key>:*, display_name=<dataset.model> (as the REST API's filter).")
        Optional<String> search = Optional.empty();

        @Option(names = "--page-size", paramLabel = "N", defaultValue = "50", description = "Models per page (1 to 1000). Default: ${DEFAULT-VALUE}.")
        int pageSize = Registry.DEFAULT_PAGE_SIZE;

        @Option(names = "--page-token", paramLabel = "TOKEN", description = "The token a previous page printed, for the next page.")
        Optional<String> pageToken = Optional.empty();

        @Override
        String execute(RegistryService service, OutputFormat format) {
            if (pageSize < 1 || pageSize > Registry.MAX_PAGE_SIZE) { // one message for both ends (2000 got the API's, offering 0)
                throw LatheException.userError("--page-size must be between 1 and " + Registry.MAX_PAGE_SIZE + ", but got " + pageSize);
            }
            Page<RegisteredModel> page = inCliTerms(() -> service.list(dataset, search, pageSize, pageToken), "--dataset and --search");
            if (format == OutputFormat.JSON) {
                return json(RegistryJson.page("models", page, RegistryJson::model));
            }
            List<List<String>> rows = new ArrayList<>();
            for (RegisteredModel model : page.items()) {
                rows.add(List.of(model.qualifiedName(), Integer.toString(model.defaultVersion()), Integer.toString(model.versionCount()),
                        model.modelType(), model.aliases().keySet().stream().collect(Collectors.joining(", ")), model.updatedAt(),
                        model.description()));
            }
            String text = table(List.of("model", "default", "versions", "model_type", "aliases", "updated", "description"), rows);
            text += page.items().size() == 1 ? "1 model\n" : page.items().size() + " models\n";
            if (page.nextPageToken().isPresent()) {
                text += "More models: --page-token " + page.nextPageToken().get() + "\n";
            }
            return text;
        }
    }

    /**
     * A list whose refused page token is said in the command's terms: the REST API's remedy named orderBy and filter,
     * which the CLI has not (probe re).
     */
    private static <T> Page<T> inCliTerms(java.util.function.Supplier<Page<T>> list, String sameArguments) {
        try {
            return list.get();
        } catch (LatheException e) {
            if (e.getMessage().startsWith("pageToken '")) {
                String token = e.getMessage().substring("pageToken '".length(), e.getMessage().indexOf("' is not valid"));
                throw new LatheException(e.code(), "--page-token '" + token + "' is not a token of this list; pass the one the previous"
                        + " page printed (after 'More ...: --page-token'), unchanged and with the same " + sameArguments + ", or leave"
                        + " --page-token out for the first page", e);
            }
            throw e;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Shows one version: D.M (the default version), D.M@3 or D.M@alias.")
    static final class Show extends Subcommand {
        @Parameters(paramLabel = "MODEL", description = "dataset.model[@version|@alias]")
        String reference;

        @Override
        String execute(RegistryService service, OutputFormat format) {
            ModelVersion version = service.show(reference);
            if (format == OutputFormat.JSON) {
                return json(RegistryJson.version(version));
            }
            List<List<String>> rows = new ArrayList<>();
            rows.add(List.of("model", version.dataset() + "." + version.name()));
            rows.add(List.of("version", Integer.toString(version.version())));
            rows.add(List.of("aliases", String.join(", ", version.aliases())));
            rows.add(List.of("model_type", version.modelType()));
            rows.add(List.of("task", version.task()));
            rows.add(List.of("description", version.description()));
            rows.add(List.of("labels", version.labels().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", "))));
            version.metrics().forEach((metric, value) -> rows.add(List.of("metric " + metric, String.valueOf(value))));
            rows.add(List.of("training_sql", version.provenance().trainingSql()));
            rows.add(List.of("input_rows", Long.toString(version.provenance().inputRows())));
            rows.add(List.of("input_hash", version.provenance().inputHash()));
            rows.add(List.of("source_tables", String.join(", ", version.lineage().sourceTables())));
            rows.add(List.of("parent_version", version.lineage().parentVersion().isPresent()
                    ? Integer.toString(version.lineage().parentVersion().getAsInt()) : ""));
            rows.add(List.of("trained_at", version.provenance().trainedAt()));
            rows.add(List.of("platform_version", version.provenance().platformVersion()));
            return table(List.of("field", "value"), rows);
        }
    }

    @Command(name = "versions", mixinStandardHelpOptions = true, description = "Lists the versions of a model, oldest first.")
    static final class Versions extends Subcommand {
        @Parameters(paramLabel = "MODEL", description = "dataset.model")
        String reference;

        @Option(names = "--page-size", paramLabel = "N", defaultValue = "50", description = "Versions per page (1 to 1000). Default: ${DEFAULT-VALUE}.")
        int pageSize = Registry.DEFAULT_PAGE_SIZE;

        @Option(names = "--page-token", paramLabel = "TOKEN", description = "The token a previous page printed, for the next page.")
        Optional<String> pageToken = Optional.empty();

        @Override
        String execute(RegistryService service, OutputFormat format) {
            if (pageSize < 1 || pageSize > Registry.MAX_PAGE_SIZE) { // one message for both ends (2000 got the API's, offering 0)
                throw LatheException.userError("--page-size must be between 1 and " + Registry.MAX_PAGE_SIZE + ", but got " + pageSize);
            }
            Page<ModelVersion> page = inCliTerms(() -> service.versions(reference, pageSize, pageToken), "MODEL");
            if (format == OutputFormat.JSON) {
                return json(RegistryJson.page("models", page, RegistryJson::version));
            }
            List<List<String>> rows = new ArrayList<>();
            for (ModelVersion version : page.items()) {
                rows.add(List.of(Integer.toString(version.version()), String.join(", ", version.aliases()), version.modelType(),
                        Long.toString(version.provenance().inputRows()), version.provenance().trainedAt(), version.description()));
            }
            String text = table(List.of("version", "aliases", "model_type", "input_rows", "trained_at", "description"), rows);
            if (page.nextPageToken().isPresent()) {
                text += "More versions: --page-token " + page.nextPageToken().get() + "\n";
            }
            return text;
        }
    }

    @Command(name = "alias", mixinStandardHelpOptions = true, description = {
        "Points an alias at a version, moving it: alias D.M@3 champion.",
        "Removes an alias: alias --remove D.M champion. 'default' can be moved, never removed."})
    static final class Alias extends Subcommand {
        @Option(names = "--remove", description = "Remove the alias instead of setting it.")
        boolean remove;

        @Parameters(index = "0", paramLabel = "MODEL", description = "dataset.model@version to set; dataset.model with --remove")
        String reference;

        @Parameters(index = "1", paramLabel = "ALIAS", description = "[a-z][a-zA-Z0-9-]{0,126}[a-z0-9], e.g. champion")
        String alias;

        @Override
        String execute(RegistryService service, OutputFormat format) {
            ModelVersion version = remove ? service.removeAlias(reference, alias) : service.setAlias(reference, alias);
            if (format == OutputFormat.JSON) {
                return json(RegistryJson.version(version));
            }
            return (remove ? "Removed alias " + alias + " from " : "Alias " + alias + " now points to ") + version.reference()
                    + "; its aliases: " + (version.aliases().isEmpty() ? "none" : String.join(", ", version.aliases())) + "\n";
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = {
        "Deletes one version (D.M@3 or D.M@alias) or a whole model with all its versions (D.M).",
        "Refused while an endpoint serves the version; the only version of a model goes with the model."})
    static final class Delete extends Subcommand {
        @Parameters(paramLabel = "MODEL", description = "dataset.model@version, or dataset.model for the whole model")
        String reference;

        @Override
        String execute(RegistryService service, OutputFormat format) {
            String message = service.delete(reference);
            return format == OutputFormat.JSON ? json(Map.of("message", message)) : message + "\n";
        }
    }
}
