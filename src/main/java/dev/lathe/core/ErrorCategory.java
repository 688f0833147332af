package dev.lathe.core;

/** Broad class of a failure; the HTTP layer maps it to a status and the CLI to an exit code. */
public enum ErrorCategory {
    /** The request, statement or data is wrong; retrying it unchanged fails again. */
    USER_ERROR(400, 2),
    /** A named model, table, version or endpoint does not exist. */
    NOT_FOUND(404, 3),
    /** The request clashes with existing state (a name already taken, a deployed version). */
    CONFLICT(409, 4),
    /** A limit was hit (memory, payload size, queue capacity). */
    RESOURCE_EXHAUSTED(429, 5),
    /** A service Lathe depends on (the metadata database) cannot be reached now; the same request may work later. */
    UNAVAILABLE(503, 6),
    /** The user stopped the statement (an interactive shell's Ctrl-C); it left nothing behind. HTTP 499 is Google's mapping of
     * google.rpc.Code CANCELLED, 130 the shell's status for a command ended by SIGINT. */
    CANCELLED(499, 130),
    /** A bug or an environment failure; the message says what was being done. */
    INTERNAL(500, 1);

    private final int httpStatus;
    private final int exitCode;

    ErrorCategory(int httpStatus, int exitCode) {
        this.httpStatus = httpStatus;
        this.exitCode = exitCode;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int exitCode() {
        return exitCode;
    }
}
