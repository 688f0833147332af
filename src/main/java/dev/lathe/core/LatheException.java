package dev.lathe.core;

import static java.util.Objects.requireNonNull;

/**
 * The one exception type Lathe throws for anything a user should see. The message states the rule,
 * the offending value, where it is, and what would be accepted.
 */
public class LatheException extends RuntimeException {
    private final ErrorCode code;

    public LatheException(ErrorCode code, String message) {
        super(requireNonNull(message, "message is null"));
        this.code = requireNonNull(code, "code is null");
    }

    public LatheException(ErrorCode code, String message, Throwable cause) {
        super(requireNonNull(message, "message is null"), cause);
        this.code = requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorCategory category() {
        return code.category();
    }

    public static LatheException userError(String message) {
        return new LatheException(ErrorCode.INVALID_ARGUMENT, message);
    }

    public static LatheException invalidData(String message) {
        return new LatheException(ErrorCode.INVALID_DATA, message);
    }

    public static LatheException internal(String message, Throwable cause) {
        return new LatheException(ErrorCode.INTERNAL, message, cause);
    }
}
