package dev.lathe.server;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCategory;
import dev.lathe.core.LatheException;
import java.util.List;

/**
 * A request failure with its HTTP status, written as a Google API error:
 * {@code {"error":{"code":400,"status":"INVALID_ARGUMENT","message":"...","details":[{"@type":"...BadRequest","fieldViolations":[{"field":"query","description":"..."}]}, {"@type":"...ErrorInfo","reason":...}]}}}.
 * Route handlers throw it (or a {@link LatheException}, mapped by its category).
 */
public final class ApiException extends RuntimeException {
    /** One offending request field and the rule it breaks. */
    public record FieldViolation(String field, String rule) {
        public FieldViolation {
            requireNonNull(field, "field is null");
            requireNonNull(rule, "rule is null");
        }
    }

    private final int httpStatus;
    private final String status;
    private final List<FieldViolation> violations;
    private final String reason;

    public ApiException(int httpStatus, String status, String message, List<FieldViolation> violations, String reason) {
        super(requireNonNull(message, "message is null"), null, false, false);
        this.httpStatus = httpStatus;
        this.status = requireNonNull(status, "status is null");
        this.violations = List.copyOf(violations);
        this.reason = requireNonNull(reason, "reason is null");
    }

    /** 400 INVALID_ARGUMENT naming the field and the rule. */
    public static ApiException badField(String field, String rule) {
        return new ApiException(400, "INVALID_ARGUMENT", "Invalid value for '" + field + "': " + rule,
                List.of(new FieldViolation(field, rule)), "INVALID_ARGUMENT");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "INVALID_ARGUMENT", message, List.of(), "INVALID_ARGUMENT");
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NOT_FOUND", message, List.of(), "NOT_FOUND");
    }

    /** The HTTP form of a {@link LatheException}: the category's status, the code as the reason. */
    public static ApiException of(LatheException e) {
        ErrorCategory category = e.category();
        String status = switch (category) {
            case USER_ERROR -> "INVALID_ARGUMENT";
            case NOT_FOUND -> "NOT_FOUND";
            case CONFLICT -> switch (e.code()) {
                case FAILED_PRECONDITION -> "FAILED_PRECONDITION";
                case ABORTED -> "ABORTED";
                default -> "ALREADY_EXISTS";
            };
            case RESOURCE_EXHAUSTED -> "RESOURCE_EXHAUSTED";
            case UNAVAILABLE -> "UNAVAILABLE";
            case CANCELLED -> "CANCELLED";
            case INTERNAL -> "INTERNAL";
        };
        // Google's HTTP mapping of google.rpc.Code, which Vertex AI answers by: FAILED_PRECONDITION is 400, ALREADY_EXISTS
        // and ABORTED 409. (The CLI's exit code stays the category's: 4, a conflict with existing state.)
        int httpStatus = e.code() == dev.lathe.core.ErrorCode.FAILED_PRECONDITION ? 400 : category.httpStatus();
        return new ApiException(httpStatus, status, e.getMessage(), List.of(), e.code().name());
    }

    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The google.rpc.Code number of {@link #status()} (INVALID_ARGUMENT 3, NOT_FOUND 5, ...), as an error inside a resource
     * carries it: a long-running operation's or a batch prediction job's {@code error.code}.
     */
    public int rpcCode() {
        return rpcCode(status);
    }

    /** The google.rpc.Code number of the code named {@code status}; 2 (UNKNOWN) for a name it does not know. */
    public static int rpcCode(String status) {
        List<String> codes = List.of("OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
                "PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE", "UNIMPLEMENTED", "INTERNAL",
                "UNAVAILABLE", "DATA_LOSS", "UNAUTHENTICATED");
        int code = codes.indexOf(status);
        return code < 0 ? 2 : code;
    }

    /** The google.rpc.Code name, e.g. INVALID_ARGUMENT. */
    public String status() {
        return status;
    }

    public List<FieldViolation> violations() {
        return violations;
    }

    /** Machine-readable cause: a Lathe {@link dev.lathe.core.ErrorCode} name or the status. */
    public String reason() {
        return reason;
    }
}
