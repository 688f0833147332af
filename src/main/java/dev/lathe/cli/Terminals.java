package dev.lathe.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether standard input is an interactive terminal. */
final class Terminals {
    private Terminals() {}

    static boolean standardInputIsTerminal() {
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
