package dev.lathe.cli;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.LatheException;
import dev.lathe.engine.Engine;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;

/**
 * The interactive SQL shell: line editing and persistent history, statements spanning lines until one ends
 * with ';' outside quotes and comments, Ctrl-C dropping the current input (or cancelling the running query), Ctrl-D leaving, and errors
 * reported without leaving the shell.
 */
final class SqlShell {
    static final String PROMPT = "lathe> ";
    static final String CONTINUATION_PROMPT = "   ...> ";
    private static final String HELP = """
            Enter ML SQL statements ending with ';' (they may span lines). Shell commands:
              .help           this text
              .quit, .exit    leave the shell (Ctrl-D does too); Ctrl-C drops the current input or cancels the running query""";

    private final SqlRunner runner;
    private final Terminal terminal;
    private final Path historyFile;
    private final ResultFormatter formatter;
    private final PrintWriter output;

    SqlShell(Engine engine, Terminal terminal, Path historyFile, ResultFormatter formatter) {
        this(SqlRunner.local(engine), terminal, historyFile, formatter);
    }

    SqlShell(SqlRunner runner, Terminal terminal, Path historyFile, ResultFormatter formatter) {
        this(runner, terminal, historyFile, formatter, terminal.writer());
    }

    /** {@code output} takes results and messages: standard output where it is not the terminal (`lathe sql | tee log`). */
    SqlShell(SqlRunner runner, Terminal terminal, Path historyFile, ResultFormatter formatter, PrintWriter output) {
        this.output = requireNonNull(output, "output is null");
        this.runner = requireNonNull(runner, "runner is null");
        this.terminal = requireNonNull(terminal, "terminal is null");
        this.historyFile = requireNonNull(historyFile, "historyFile is null");
        this.formatter = requireNonNull(formatter, "formatter is null");
    }

    void run() {
        PrintWriter screen = output;
        Optional<String> historyProblem = History.prepare(historyFile);
        LineReaderBuilder builder = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("lathe")
                .parser(new StatementParser())
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, CONTINUATION_PROMPT)
                // SQL uses '!' (as in !=); history expansion would rewrite it.
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true);
        if (historyProblem.isEmpty()) {
            builder.variable(LineReader.HISTORY_FILE, historyFile);
        } else { // one warning, and the shell goes on with this session's history only (probe th F6)
            screen.println("Warning: " + historyProblem.get() + "; the shell keeps no history");
        }
        LineReader reader = builder.build();
        // JLine binds Tab to completion, and with no completer the typed or pasted tab was dropped: 'a<TAB>b' ran as
        // 'ab' (probe th F4). The shell completes nothing, so a tab is a character like any other.
        for (String keyMap : new String[] {LineReader.EMACS, LineReader.VIINS}) {
            reader.getKeyMaps().get(keyMap).bind(new org.jline.reader.Reference(LineReader.SELF_INSERT), "\t");
        }
        java.util.concurrent.atomic.AtomicBoolean cancelled = new java.util.concurrent.atomic.AtomicBoolean();
        // a result being printed stops at its next output check once Ctrl-C was pressed
        PrintWriter out = new PrintWriter(screen) {
            @Override
            public boolean checkError() {
                return super.checkError() || cancelled.get();
            }
        };
        ResultPrinter printer = new ResultPrinter(formatter, out);
        out.println("Lathe SQL shell; statements end with ';'. Type .help for help.");
        out.flush();
        while (true) {
            String input;
            try {
                input = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                continue;
            } catch (EndOfFileException e) {
                out.println(); // Ctrl-D: the shell's prompt line ends, so the next prompt starts on its own
                break;
            }
            String command = input.strip();
            if (command.isEmpty()) {
                continue;
            }
            if (command.startsWith(".")) {
                if (command.equals(".quit") || command.equals(".exit")) {
                    break;
                }
                out.println(command.equals(".help") ? HELP : "Unknown shell command '" + command + "'; accepted: .help, .quit, .exit");
                out.flush();
                continue;
            }
            // Ctrl-C while a statement runs cancels its query and keeps the session (the JVM's default was to exit)
            cancelled.set(false);
            Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, signal -> {
                cancelled.set(true);
                runner.cancel();
            });
            try {
                runner.run(input, printer);
            } catch (LatheException e) {
                out.println(e.code() == dev.lathe.core.ErrorCode.CANCELLED ? Main.oneLine(e.getMessage())
                        : cancelled.get() ? "Cancelled" : "Error: " + Main.oneLine(e.getMessage()));
            } catch (RuntimeException | OutOfMemoryError e) {
                Optional<OutOfMemoryError> outOfMemory = dev.lathe.core.OutOfMemory.in(e); // the session stays, its memory freed
                out.println(outOfMemory.isPresent() ? "Error: " + Main.oneLine(dev.lathe.core.OutOfMemory.exhausted(outOfMemory.get(),
                        dev.lathe.core.OutOfMemory.Process.COMMAND).getMessage())
                        : "Error: internal failure, " + e.getClass().getSimpleName() + ": " + Main.oneLine(String.valueOf(e.getMessage())));
            } finally {
                terminal.handle(Terminal.Signal.INT, previous);
            }
            out.flush();
        }
        try {
            runner.endScript(); // leaving inside a transaction rolls it back: said, not silent (probe sc)
        } catch (dev.lathe.core.LatheException e) {
            out.println("Warning: the shell was left inside a transaction (BEGIN without COMMIT); it was rolled back, so nothing"
                    + " changed after BEGIN is kept");
            out.flush();
        }
        try {
            reader.getHistory().save();
        } catch (java.io.IOException | RuntimeException e) {
            out.println("Warning: could not save the history to " + historyFile + ": " + History.reason(e));
            out.flush();
        }
    }

    /** Asks JLine for another line (with the continuation prompt) until the statement is complete. */
    private static final class StatementParser extends DefaultParser {
        StatementParser() {
            // Backslash is an ordinary character in SQL text.
            escapeChars(new char[0]);
        }

        @Override
        public ParsedLine parse(String line, int cursor, ParseContext context) {
            if (context == ParseContext.ACCEPT_LINE) {
                String text = line.strip();
                boolean complete = text.isEmpty() || (text.startsWith(".") && text.indexOf('\n') < 0) || SqlText.endsStatement(line);
                if (!complete) {
                    throw new EOFError(-1, -1, "statement not ended with ';'", "statement");
                }
            }
            return super.parse(line, cursor, context);
        }
    }
}
