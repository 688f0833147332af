package dev.lathe.sql.functions;

import java.util.List;
import java.util.Optional;

/**
 * PLACEHOLDER for the registry of preprocessing functions, so that the parser's branch builds on its own.
 * The merge replaces this file with the real registry (same two static methods); until then no
 * preprocessing function is known.
 */
public final class PreprocessingFunctions {
    private PreprocessingFunctions() {}

    /** The function named {@code upperName} (upper case, without {@code ML.}); always empty in this placeholder. */
    public static Optional<PreprocessingFunction> find(String upperName) {
        return Optional.empty();
    }

    /** The names of all functions (upper case, without {@code ML.}); empty in this placeholder. */
    public static List<String> names() {
        return List.of();
    }
}
