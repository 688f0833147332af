package dev.lathe.cli;

import java.io.Console;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether standard input (or output) is an interactive terminal. Each is asked on its own: {@code System.console()}
 * answers for both together, so `lathe sql | tee log` (a terminal in, a pipe out) read the terminal as a script, with no
 * prompt, until Ctrl-D (probe th F5); the launcher decides by {@code [ -t 0 ]}, as sqlite3 and duckdb do.
 */
final class Terminals {
    private Terminals() {}

    static boolean standardInputIsTerminal() {
        return isTerminal(0).orElseGet(Terminals::consoleIsTerminal);
    }

    static boolean standardOutputIsTerminal() {
        return isTerminal(1).orElseGet(Terminals::consoleIsTerminal);
    }

    /** Whether descriptor {@code fd} is a terminal device, from /proc (Linux); empty where there is none to ask. */
    private static Optional<Boolean> isTerminal(int fd) {
        try {
            String device = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return Optional.of(device.startsWith("/dev/pts/") || device.startsWith("/dev/tty") || device.equals("/dev/console"));
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static boolean consoleIsTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 System.console() may exist with redirected streams; isTerminal() (22+) then tells.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
