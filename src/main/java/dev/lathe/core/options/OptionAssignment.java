package dev.lathe.core.options;

import static java.util.Objects.requireNonNull;

/** {@code name = value} inside OPTIONS(...), with where the name was written. */
public record OptionAssignment(String name, OptionValue value, Position position) {
    public OptionAssignment {
        requireNonNull(name, "name is null");
        requireNonNull(value, "value is null");
        requireNonNull(position, "position is null");
    }
}
