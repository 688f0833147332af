package dev.lathe.serve;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.serve.store.FieldViolationException;
import dev.lathe.server.ApiException;
import dev.lathe.server.RouteHandler;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Maps serving failures to API errors that name the field and the rule (the server maps the rest). */
final class Errors {
    /** The runtime's instance errors: "instances[3] lacks field 'sex'" and "instances[3].sex is 1 but must be ...". */
    private static final Pattern INSTANCE_FIELD = Pattern.compile("^instances\\[(\\d+)\\](?: lacks field '([^']+)'|\\.([^ ]+) is )");

    private Errors() {}

    static RouteHandler guard(RouteHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (LatheException e) {
                throw translate(e);
            }
        };
    }

    static RuntimeException translate(LatheException e) {
        if (e instanceof FieldViolationException violation) {
            return ApiException.badField(violation.field(), violation.rule());
        }
        if (e.code() == ErrorCode.FAILED_PRECONDITION) {
            return new ApiException(400, "FAILED_PRECONDITION", e.getMessage(), List.of(), ErrorCode.FAILED_PRECONDITION.name());
        }
        if (e.code() == ErrorCode.INVALID_ARGUMENT) {
            Matcher matcher = INSTANCE_FIELD.matcher(e.getMessage());
            if (matcher.find()) {
                String field = "instances[" + matcher.group(1) + "]." + (matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
                return new ApiException(400, "INVALID_ARGUMENT", e.getMessage(), List.of(new ApiException.FieldViolation(field, e.getMessage())),
                        "INVALID_ARGUMENT");
            }
        }
        return e;
    }
}
