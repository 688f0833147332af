package dev.lathe.serve.store;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;

/** A request field that breaks a rule; the HTTP layer answers 400 naming the field and the rule. */
public final class FieldViolationException extends LatheException {
    private final String field;
    private final String rule;

    public FieldViolationException(String field, String rule) {
        super(ErrorCode.INVALID_ARGUMENT, "Invalid value for '" + requireNonNull(field, "field is null") + "': " + requireNonNull(rule, "rule is null"));
        this.field = field;
        this.rule = rule;
    }

    public String field() {
        return field;
    }

    public String rule() {
        return rule;
    }
}
