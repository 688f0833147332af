package dev.lathe.evaluate;

import dev.lathe.core.LatheException;

/** Argument checks shared by the metric classes; messages name the argument and the accepted shape. */
final class Checks {
    private Checks() {}

    static void sameLength(String first, int firstLength, String second, int secondLength) {
        if (firstLength != secondLength) {
            throw LatheException.userError(
                    "%s and %s must have the same length, but have %d and %d".formatted(first, second, firstLength, secondLength));
        }
    }

    static void notEmpty(String name, long length) {
        if (length == 0) {
            throw LatheException.invalidData("Cannot evaluate on zero rows: %s is empty; the evaluation input must have at least one row".formatted(name));
        }
    }

    static void classIndex(String name, long row, int value, int classes) {
        if (value < 0 || value >= classes) {
            throw LatheException.userError(
                    "%s[%d] is %d; class indexes must be in [0, %d)".formatted(name, row, value, classes));
        }
    }
}
