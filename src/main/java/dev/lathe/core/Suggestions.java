package dev.lathe.core;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" hints: the nearest candidate by edit distance, if it is near enough. */
public final class Suggestions {
    private Suggestions() {}

    /** The candidate closest to {@code input} (case-insensitive), if within a third of its length. */
    public static Optional<String> nearest(String input, Collection<String> candidates) {
        String needle = input.toLowerCase(Locale.ROOT);
        for (String candidate : candidates) {
            // 'linear_regression' for 'LINEAR_REG': a long shared prefix is a better hint than edit distance.
            String lower = candidate.toLowerCase(Locale.ROOT);
            if (lower.length() >= 4 && needle.length() >= 4 && !lower.equals(needle)
                    && (needle.startsWith(lower) || lower.startsWith(needle))) {
                return Optional.of(candidate);
            }
        }
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            int distance = editDistance(needle, candidate.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                bestDistance = distance;
                best = candidate;
            }
        }
        if (best == null) {
            return Optional.empty();
        }
        int allowed = Math.max(2, Math.max(needle.length(), best.length()) / 3);
        return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
    }

    /**
     * The hint and the full list, punctuated for the end of a message: "; did you mean 'x'? Columns are:
     * a, b" or ". Columns are: a, b".
     */
    public static String withChoices(String input, Collection<String> candidates, String what) {
        String list = what + " are: " + String.join(", ", candidates);
        return nearest(input, candidates).map(s -> "; did you mean '" + s + "'? " + list).orElse(". " + list);
    }

    /** "; did you mean 'x'?" or the empty string. */
    public static String didYouMean(String input, Collection<String> candidates) {
        return nearest(input, candidates).map(s -> "; did you mean '" + s + "'?").orElse("");
    }

    /**
     * "; did you mean 'x'?" or "." where no name is near: for a message whose next sentence follows ("... 'x'; did you
     * mean 'y'? Options are: ..." or "... 'x'. Options are: ...").
     */
    public static String didYouMeanOrStop(String input, Collection<String> candidates) {
        String hint = didYouMean(input, candidates);
        return hint.isEmpty() ? "." : hint;
    }

    static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
