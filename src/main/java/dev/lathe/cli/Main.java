package dev.lathe.cli;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** Entry point of the runnable jar: the {@code lathe} command and its subcommands. */
@Command(
        name = "lathe",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Train, evaluate and serve ML models with BigQuery ML SQL on an embedded DuckDB warehouse.",
        footer = {"", "The ./lathe launcher also takes:", "  build   the jar and its start-up cache", "  test    the whole test suite"})
public final class Main implements Callable<Integer> {
    /**
     * The subcommands by name, in the order help lists them. They are made and added by {@link #commandLine} rather
     * than named in the annotation, so that a command line builds picocli's model (reflection over every annotated
     * option, in a JVM that has not compiled any of it yet) of the one subcommand it runs, not of all of them, which
     * took about 0.45 s of every {@code lathe} command on 2 cores (one: about 0.2 s).
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> subcommands = new LinkedHashMap<>();
        subcommands.put("sql", SqlCommand::new);
        subcommands.put("server", ServerCommand::new);
        subcommands.put("quickstart", QuickstartCommand::new);
        subcommands.put("models", ModelsCommand::new);
        subcommands.put("endpoints", EndpointsCommand::new);
        subcommands.put("jobs", JobsCommand::new);
        subcommands.put("monitors", MonitorsCommand::new);
        subcommands.put("aot-training", AotTrainingCommand::new); // hidden: the launcher's AOT cache workload
        subcommands.put("help", CommandLine.HelpCommand::new); // `lathe help [COMMAND]` (it was "Did you mean: lathe models?")
        return Collections.unmodifiableMap(subcommands);
    }

    /** Options of this command that take a value, which may stand before the subcommand's name (MainTest checks the list). */
    static final Set<String> OPTIONS_WITH_VALUES = Set.of("--data-dir", "--metadata-url");
    static final String DATA_DIRECTORY_VARIABLE = "LATHE_DATA_DIR";
    static final String DEBUG_VARIABLE = "LATHE_DEBUG";
    static final String METADATA_URL_VARIABLE = "LATHE_METADATA_URL";
    static final Path DEFAULT_DATA_DIRECTORY = Path.of("lathe-data");

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            scope = ScopeType.INHERIT,
            description = "Warehouse and model directory (default: $" + DATA_DIRECTORY_VARIABLE + ", else ./lathe-data); created if missing.")
    Optional<Path> dataDirectoryOption = Optional.empty();

    @Option(
            names = "--metadata-url",
            paramLabel = "JDBC_URL",
            scope = ScopeType.INHERIT,
            description = "Registry metadata store: jdbc:sqlite:<file> or jdbc:postgresql://host:port/db?user=... "
                    + "(default: $" + METADATA_URL_VARIABLE + ", else SQLite metadata.db in the data directory).")
    Optional<String> metadataUrlOption = Optional.empty();

    @Spec
    CommandSpec spec;

    private final Map<String, String> environment;
    private final InputStream standardInput;
    private final boolean standardInputIsTerminal;

    public Main() {
        this(System.getenv(), System.in, Terminals.standardInputIsTerminal());
    }

    /** For tests and embedding: the environment and standard input the commands see. */
    Main(Map<String, String> environment, InputStream standardInput, boolean standardInputIsTerminal) {
        this.environment = Map.copyOf(requireNonNull(environment, "environment is null"));
        this.standardInput = requireNonNull(standardInput, "standardInput is null");
        this.standardInputIsTerminal = standardInputIsTerminal;
    }

    public static void main(String[] args) {
        ShutdownLogging.install(); // before anything logs: lines logged while a server stops are printed
        StandardOutput.install(); // before picocli wraps System.out
        Main main = new Main();
        CommandLine commandLine = commandLine(main, args);
        int status;
        try {
            status = commandLine.execute(args);
        } catch (VirtualMachineError e) { // out of memory or stack: the one Error line and its exit code, not the JVM's trace
            status = main.report(e, commandLine.getErr());
        }
        System.exit(status);
    }

    /**
     * The command line that runs {@code args}: {@code main} with the subcommand they name, none for a bare
     * {@code --version}, or all of them when they name none or one that does not exist (help, a typo), so that picocli
     * lists them or suggests the nearest.
     */
    static CommandLine commandLine(Main main, String... args) {
        CommandLine commandLine = new CommandLine(main);
        // A wrong flag or value: one "Error:" line saying what was wrong and what is accepted, then where the usage is
        // (picocli would print the converter's exception class and the whole usage text).
        commandLine.setParameterExceptionHandler((e, arguments) -> {
            CommandLine failed = e.getCommandLine();
            Throwable cause = e.getCause();
            String reason = cause instanceof LatheException lathe ? lathe.getMessage() : e.getMessage();
            if (e instanceof picocli.CommandLine.MissingParameterException && !failed.getUnmatchedArguments().isEmpty()) {
                // "--modle x.y": picocli calls --model missing and says nothing of the typo; the typo first, with the nearest
                // name, then what is missing because of it (probe L)
                picocli.CommandLine.UnmatchedArgumentException unknown =
                        new picocli.CommandLine.UnmatchedArgumentException(failed, failed.getUnmatchedArguments());
                reason = unknown.getMessage() + " (so: " + e.getMessage() + ")";
                e = unknown;
            }
            failed.getErr().println("Error: " + plainTypes(reason));
            if (e instanceof picocli.CommandLine.UnmatchedArgumentException unmatched) {
                if (unmatched.getSuggestions().isEmpty()) {
                    nearestOption(unmatched.getUnmatched(), failed).ifPresent(option -> failed.getErr().println("Did you mean: " + option + "?"));
                } else {
                    picocli.CommandLine.UnmatchedArgumentException.printSuggestions(unmatched, failed.getErr()); // "Did you mean: sql?"
                }
            }
            failed.getErr().println("(" + failed.getCommandSpec().qualifiedName() + " --help shows the usage)");
            failed.getErr().flush();
            return failed.getCommandSpec().exitCodeOnInvalidInput();
        });
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            return commandLine; // the version needs no subcommand
        }
        Optional<String> named = subcommandNamed(args);
        SUBCOMMANDS.forEach((name, subcommand) -> {
            if (named.isEmpty() || named.get().equals(name) || named.get().equals("help")) { // help describes the others
                commandLine.addSubcommand(name, subcommand.get());
            }
        });
        return commandLine;
    }

    /**
     * A command group run without its subcommand: the one "Error:" line every failure starts with, naming the commands,
     * then the usage, on standard error, and the bad-usage status.
     */
    static int missingSubcommand(picocli.CommandLine.Model.CommandSpec group) {
        java.io.PrintWriter err = group.commandLine().getErr();
        err.println("Error: " + group.qualifiedName() + " needs a command: " + String.join(", ", group.subcommands().keySet().stream()
                .filter(name -> !group.subcommands().get(name).getCommandSpec().usageMessage().hidden()).toList()));
        group.commandLine().usage(err);
        err.flush();
        return 2;
    }

    /** picocli's Java type names said as what the flag takes (probe re: "'abc' is not an int", "'nope' is not a long"). */
    static String plainTypes(String reason) {
        return reason.replaceAll("' is not an? (int|long|short|byte|Integer|Long)$", "' is not a whole number")
                .replaceAll("' is not an? (double|float|Double|Float)$", "' is not a number");
    }

    /**
     * The option of {@code command} nearest the first unknown option among {@code unmatched}, by edit distance: picocli's
     * own hints miss transpositions ("--prot" for --port).
     */
    static Optional<String> nearestOption(List<String> unmatched, CommandLine command) {
        List<String> names = command.getCommandSpec().options().stream().filter(option -> !option.hidden())
                .flatMap(option -> java.util.Arrays.stream(option.names())).filter(name -> name.startsWith("--")).toList();
        return unmatched.stream().filter(arg -> arg.startsWith("--")).findFirst()
                .flatMap(arg -> Suggestions.nearest(arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg, names));
    }

    /**
     * The subcommand {@code args} run: their first argument that is neither one of this command's options nor the
     * value of one, when it names a subcommand.
     */
    static Optional<String> subcommandNamed(String... args) {
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            int equals = arg.indexOf('=');
            if (OPTIONS_WITH_VALUES.contains(arg)) {
                i++; // --data-dir DIR: skip DIR
            } else if (equals < 0 || !OPTIONS_WITH_VALUES.contains(arg.substring(0, equals))) { // not --data-dir=DIR
                return SUBCOMMANDS.containsKey(arg) ? Optional.of(arg) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 0;
    }

    InputStream standardInput() {
        return standardInput;
    }

    boolean standardInputIsTerminal() {
        return standardInputIsTerminal;
    }

    /** --data-dir, else $LATHE_DATA_DIR, else ./lathe-data, as given: not created (a serving replica's, which must exist). */
    Path givenDataDirectory() {
        return dataDirectoryOption
                .or(() -> Optional.ofNullable(environment.get(DATA_DIRECTORY_VARIABLE)).filter(s -> !s.isBlank()).map(Path::of))
                .orElse(DEFAULT_DATA_DIRECTORY);
    }

    /** --data-dir, else $LATHE_DATA_DIR, else ./lathe-data; created when missing. */
    Path dataDirectory() {
        Path directory = givenDataDirectory();
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw LatheException.userError(("The data directory '%s' (from --data-dir, $%s or the default ./lathe-data) is a file, not a"
                    + " directory; give the path of a directory (it is created when missing)").formatted(directory, DATA_DIRECTORY_VARIABLE));
        }
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw LatheException.userError("Cannot create the data directory '%s' (from --data-dir, $%s or the default ./lathe-data): %s"
                    .formatted(directory, DATA_DIRECTORY_VARIABLE, e.getClass() == IOException.class ? e.getMessage() : e.toString()));
        }
        return directory;
    }

    /** --metadata-url, else $LATHE_METADATA_URL, else SQLite {@code metadata.db} in the data directory. */
    String metadataUrl(Path dataDirectory) {
        return metadataUrlOption
                .or(() -> Optional.ofNullable(environment.get(METADATA_URL_VARIABLE)).filter(s -> !s.isBlank()))
                .orElseGet(() -> dev.lathe.metadata.MetadataStore.defaultUrl(dataDirectory));
    }

    /**
     * Prints a failure as one line on {@code err} and returns the exit code: the error category's code for a
     * {@link LatheException} and for running out of memory (5, with the heap's limit and how to raise it), 1 for anything
     * else. LATHE_DEBUG=1 adds the stack trace.
     */
    int report(Throwable failure, PrintWriter err) {
        if (!(failure instanceof LatheException)) {
            Optional<OutOfMemoryError> outOfMemory = dev.lathe.core.OutOfMemory.in(failure);
            if (outOfMemory.isPresent()) {
                failure = dev.lathe.core.OutOfMemory.exhausted(outOfMemory.get(), dev.lathe.core.OutOfMemory.Process.COMMAND);
            }
        }
        if (failure instanceof LatheException latheException) {
            err.println("Error: " + oneLine(latheException.getMessage()));
        } else {
            err.println("Error: internal failure, " + failure.getClass().getSimpleName() + ": " + oneLine(String.valueOf(failure.getMessage()))
                    + " (set " + DEBUG_VARIABLE + "=1 for the stack trace)");
        }
        if ("1".equals(environment.get(DEBUG_VARIABLE))) {
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            err.print(trace);
        }
        err.flush();
        return failure instanceof LatheException latheException ? latheException.category().exitCode() : 1;
    }

    /**
     * Joins a multi-line message (DuckDB's carry a LINE n: excerpt and a caret line) into one line; lines
     * holding only a caret pointer mean nothing once joined and are dropped.
     */
    static String oneLine(String message) {
        StringBuilder line = new StringBuilder();
        for (String part : message.split("\\R")) {
            String stripped = part.strip();
            if (stripped.isEmpty() || stripped.chars().allMatch(c -> c == '^')) {
                continue;
            }
            line.append(line.isEmpty() ? "" : " ").append(stripped);
        }
        return line.toString();
    }

    /**
     * The jar manifest's Implementation-Version ("dev" when run from classes) and the commit it was built from, then the
     * metadata schema, HTTP API and model artifact format versions this build reads, which tell builds apart (probe ua F6).
     */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return dev.lathe.engine.Version.describe().toArray(String[]::new);
        }
    }
}
