package dev.lathe.core;

import java.util.Locale;
import java.util.Optional;

/**
 * An {@link OutOfMemoryError} as the user reads it: RESOURCE_EXHAUSTED (exit code 5, HTTP 429) naming what ran out, its
 * limit and how to raise it. `lathe sql` printed the JVM's stack trace and exited 1, and a server answered 500 "Internal
 * error (OutOfMemoryError)" (probe ta F3). The JVM's heap is set by the launcher: {@code -Xmx8g} unless
 * {@code LATHE_JAVA_OPTS} gives the JVM options instead.
 */
public final class OutOfMemory {
    /** Who runs out, for the remedy's words. */
    public enum Process {
        /** A command of the launcher ({@code ./lathe sql ...}), which its next run can start with more. */
        COMMAND,
        /** A server, which answers the next request as it is and takes more memory at its next start. */
        SERVER
    }

    private OutOfMemory() {}

    /** The {@link OutOfMemoryError} {@code failure} is or was caused by, if any. */
    public static Optional<OutOfMemoryError> in(Throwable failure) {
        Throwable cause = failure;
        for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError error) {
                return Optional.of(error);
            }
        }
        return Optional.empty();
    }

    /** {@code error} as RESOURCE_EXHAUSTED, with this JVM's heap limit. */
    public static LatheException exhausted(OutOfMemoryError error, Process process) {
        return new LatheException(ErrorCode.RESOURCE_EXHAUSTED, message(String.valueOf(error.getMessage()),
                Runtime.getRuntime().maxMemory(), process), error);
    }

    /** The message for an OutOfMemoryError saying {@code reason}, in a JVM whose heap holds at most {@code maxHeap} bytes. */
    static String message(String reason, long maxHeap, Process process) {
        String who = process == Process.SERVER ? "the server's" : "this command's";
        String restart = process == Process.SERVER
                ? "; the server goes on answering. Start it with more: LATHE_JAVA_OPTS='%s' ./lathe server ..."
                : ". Run it with more: LATHE_JAVA_OPTS='%s' ./lathe ...";
        String lower = reason.toLowerCase(Locale.ROOT);
        if (lower.contains("direct buffer memory")) {
            return "Out of memory: " + who + " direct buffers (at most the heap's size, " + size(maxHeap) + ", unless"
                    + " -XX:MaxDirectMemorySize says otherwise) are used up (" + reason + ")" + restart.formatted("-Xmx"
                            + Math.round(maxHeap / (1024.0 * 1024)) + "m -XX:MaxDirectMemorySize=" + larger(maxHeap))
                    + " (LATHE_JAVA_OPTS replaces the launcher's -Xmx8g), or give the statement less data";
        }
        if (lower.contains("metaspace")) {
            return "Out of memory: " + who + " class metadata space is used up (" + reason + ")" + restart.formatted("-Xmx8g"
                    + " -XX:MaxMetaspaceSize=1g") + " (LATHE_JAVA_OPTS replaces the launcher's -Xmx8g)";
        }
        if (lower.contains("native thread")) {
            return "Out of memory: the system refused " + (process == Process.SERVER ? "the server" : "this command") + " a new thread ("
                    + reason + "): raise the limit of processes and threads (ulimit -u) or the memory available, or run fewer"
                    + " statements at once";
        }
        // "Java heap space", "GC overhead limit exceeded", "Requested array size exceeds VM limit", and the rest
        return "Out of memory: " + who + " Java heap, at most " + size(maxHeap) + ", is full (" + reason + ")"
                + restart.formatted("-Xmx" + larger(maxHeap))
                + " (LATHE_JAVA_OPTS replaces the launcher's default -Xmx8g), or give the statement less data";
    }

    /** {@code bytes} in MB, or GB from 1 GB on: "256 MB", "8 GB". */
    private static String size(long bytes) {
        long mb = Math.round(bytes / (1024.0 * 1024));
        return mb >= 1024 && mb % 1024 == 0 ? mb / 1024 + " GB" : mb >= 1024 ? String.format(Locale.ROOT, "%.1f GB", mb / 1024.0)
                : mb + " MB";
    }

    /** An -Xmx value twice {@code bytes}, rounded up to a power of two, at least 512m: "512m", "16g". */
    private static String larger(long bytes) {
        long mb = Math.max(512, Long.highestOneBit(Math.max(1, Math.round(bytes / (1024.0 * 1024)) * 2 - 1)) << 1);
        return mb >= 1024 ? mb / 1024 + "g" : mb + "m";
    }
}
