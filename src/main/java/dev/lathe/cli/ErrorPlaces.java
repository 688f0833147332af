package dev.lathe.cli;

import dev.lathe.core.LatheException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The places ("line 3, column 8") an error names, moved from the text that ran to the text the user wrote. */
final class ErrorPlaces {
    private static final Pattern POSITION = Pattern.compile("line (\\d+), column (\\d+)");

    private ErrorPlaces() {}

    /** What one place becomes; null keeps it. */
    @FunctionalInterface
    interface Place {
        String at(int line, int column);
    }

    /**
     * {@code e} with each "line L, column C" it names replaced by {@code place.at(L, C)} where that is not null; {@code e}
     * itself when none changed.
     */
    static LatheException moved(LatheException e, Place place) {
        if (e.getMessage() == null) {
            return e;
        }
        Matcher at = POSITION.matcher(e.getMessage());
        StringBuilder message = new StringBuilder();
        boolean changed = false;
        while (at.find()) {
            String replacement = place.at(Integer.parseInt(at.group(1)), Integer.parseInt(at.group(2)));
            changed |= replacement != null;
            at.appendReplacement(message, Matcher.quoteReplacement(replacement == null ? at.group() : replacement));
        }
        at.appendTail(message);
        return changed ? new LatheException(e.code(), message.toString(), e) : e;
    }
}
