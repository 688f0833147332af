package dev.lathe.core;

/** Stable error codes; each belongs to one {@link ErrorCategory}. */
public enum ErrorCode {
    SYNTAX_ERROR(ErrorCategory.USER_ERROR),
    INVALID_OPTION(ErrorCategory.USER_ERROR),
    INVALID_ARGUMENT(ErrorCategory.USER_ERROR),
    INVALID_DATA(ErrorCategory.USER_ERROR),
    UNSUPPORTED(ErrorCategory.USER_ERROR),
    SQL_ERROR(ErrorCategory.USER_ERROR),
    MODEL_NOT_FOUND(ErrorCategory.NOT_FOUND),
    TABLE_NOT_FOUND(ErrorCategory.NOT_FOUND),
    FUNCTION_NOT_FOUND(ErrorCategory.NOT_FOUND),
    COLUMN_NOT_FOUND(ErrorCategory.NOT_FOUND),
    ENDPOINT_NOT_FOUND(ErrorCategory.NOT_FOUND),
    DEPLOYED_MODEL_NOT_FOUND(ErrorCategory.NOT_FOUND),
    JOB_NOT_FOUND(ErrorCategory.NOT_FOUND),
    ALREADY_EXISTS(ErrorCategory.CONFLICT),
    /** The object is in a state that forbids the operation (a deployed version, the default alias). */
    FAILED_PRECONDITION(ErrorCategory.CONFLICT),
    /**
     * A concurrent change won (Google's ABORTED, HTTP 409): a stale etag, or a change that lost to others on every retry.
     * Read again and retry.
     */
    ABORTED(ErrorCategory.CONFLICT),
    RESOURCE_EXHAUSTED(ErrorCategory.RESOURCE_EXHAUSTED),
    /** The metadata store did not answer or dropped the connection (server down, network); retry later. */
    METADATA_UNAVAILABLE(ErrorCategory.UNAVAILABLE),
    /** Another process holds the warehouse file (DuckDB allows one writing process); the CLI waits for it. */
    WAREHOUSE_BUSY(ErrorCategory.UNAVAILABLE),
    SERVER_UNAVAILABLE(ErrorCategory.UNAVAILABLE),
    CANCELLED(ErrorCategory.CANCELLED),
    INCOMPATIBLE_FORMAT(ErrorCategory.INTERNAL),
    INTERNAL(ErrorCategory.INTERNAL);

    private final ErrorCategory category;

    ErrorCode(ErrorCategory category) {
        this.category = category;
    }

    public ErrorCategory category() {
        return category;
    }
}
