package dev.lathe.cli;

import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * java.util.logging kept working while Lathe stops. The JDK's LogManager resets (closes) every handler in a shutdown hook
 * of its own, which runs beside Lathe's: a server's stop, which writes out the prediction log and says every 5 s how many
 * requests are left, printed none of it, nor the warning when it gives up (probe qd). {@link #install()} makes
 * {@link Manager} the LogManager (before anything logs), which skips that reset; the handlers flush each record
 * (ConsoleHandler), so nothing is lost when the JVM ends.
 */
public final class ShutdownLogging {
    private ShutdownLogging() {}

    /** The LogManager that ignores the JVM shutdown's reset (the JDK's {@code LogManager$Cleaner} thread). */
    public static final class Manager extends LogManager {
        @Override
        public void reset() {
            if (Thread.currentThread().getClass().getName().equals("java.util.logging.LogManager$Cleaner")) {
                return;
            }
            super.reset();
        }
    }

    /**
     * Chooses {@link Manager} where no LogManager was made yet, and sets up the root handlers now: once the JVM is
     * stopping the JDK no longer sets them up, so a process that logged nothing before its stop would print nothing then.
     */
    static void install() {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", Manager.class.getName());
        }
        Logger.getLogger("").getHandlers();
    }
}
