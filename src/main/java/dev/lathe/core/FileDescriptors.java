package dev.lathe.core;

import java.util.Locale;
import java.util.OptionalLong;

/**
 * Running out of file descriptors, as the user reads it: each open connection, file and shared library takes one, and
 * the process may hold at most {@code ulimit -n} (often 1,024, or less in a container). What fails then fails with
 * "Too many open files", which names neither the limit nor how to raise it (probe ta F2, F7).
 */
public final class FileDescriptors {
    private FileDescriptors() {}

    /** Whether {@code failure}, or a cause of it, is the process (EMFILE) or the system (ENFILE) out of file descriptors. */
    public static boolean exhausted(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).toLowerCase(Locale.ROOT).contains("too many open files")) {
                return true;
            }
        }
        return false;
    }

    private static volatile OptionalLong limit = OptionalLong.empty();

    /**
     * How many files this process may have open (the soft {@code ulimit -n}), from {@code /proc/self/limits} where there is
     * one. Reading it takes a descriptor, so the first answer is kept: a server asks at its start, and names the limit
     * when descriptors have run out.
     */
    public static OptionalLong limit() {
        OptionalLong known = limit;
        if (known.isPresent()) {
            return known;
        }
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/limits"))) {
                if (line.startsWith("Max open files")) {
                    String soft = line.substring("Max open files".length()).strip().split("\\s+")[0];
                    if (!soft.equals("unlimited")) {
                        limit = OptionalLong.of(Long.parseLong(soft));
                    }
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // no such file (not Linux), or no descriptor to read it with: the limit goes unnamed
        }
        return limit;
    }

    /** How many files and connections this process has open now, where {@code /proc/self/fd} lists them. */
    public static OptionalLong open() {
        try (java.util.stream.Stream<java.nio.file.Path> entries = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return OptionalLong.of(entries.count() - 1); // less the one listing them
        } catch (java.io.IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** "this process may open at most 128 files (ulimit -n): raise it, e.g. ulimit -n 65536 in the shell that starts Lathe". */
    public static String advice() {
        OptionalLong limit = limit();
        return (limit.isPresent() ? String.format(Locale.ROOT, "this process may have at most %,d files and connections open",
                limit.getAsLong()) : "this process has as many files and connections open as it may") + " (ulimit -n): raise the limit,"
                + " e.g. ulimit -n 65536 in the shell that starts Lathe, or close connections";
    }
}
