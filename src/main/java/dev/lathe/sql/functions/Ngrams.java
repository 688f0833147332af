package dev.lathe.sql.functions;

import java.util.List;

/**
 * ML.NGRAMS: for each start position, the n-grams of every length in the range that fit, joined by the
 * separator: (['a','b','c'], [2, 3], '#') gives a#b, a#b#c, b#c.
 */
final class Ngrams extends ScalarFunction {
    @Override
    public String name() {
        return "NGRAMS";
    }

    @Override
    String render(Arguments arguments) {
        arguments.requireCount(2, 3, "NGRAMS(array_input, range [, separator])");
        long low;
        long high;
        if (arguments.isArrayLiteral(1)) {
            List<Double> range = arguments.numberArray(1, "range");
            if (range.size() != 2 || range.stream().anyMatch(v -> v != Math.rint(v)) || range.get(0) < 1 || range.get(1) < range.get(0)) {
                throw arguments.invalid("range", "must be [low, high] with integers 1 <= low <= high", arguments.raw(1),
                        "an integer n >= 1 or an array such as [2, 3]");
            }
            low = range.get(0).longValue();
            high = range.get(1).longValue();
        } else {
            low = arguments.integer(1, "range", 1, 1, Integer.MAX_VALUE);
            high = low;
        }
        String separator = arguments.present(2) ? arguments.stringLiteral(2, "separator") : " ";
        String array = "CAST(" + arguments.expression(0) + " AS VARCHAR[])";
        return "(list_transform([" + array + "], lambda lathe_a: flatten(list_transform(range(1, len(lathe_a) + 1), "
                // an n-gram over a NULL token is left out: array_to_string skipped the NULL, so ['a', NULL, 'c'] gave the "bigrams"
                // a and c and the "trigram" a c, indistinguishable from real ones (probe rg)
                + "lambda lathe_s: list_transform(list_filter(range(" + low + ", " + (high + 1) + "), lambda lathe_n: lathe_s + lathe_n - 1 <= len(lathe_a)"
                + " AND NOT list_contains(list_transform(lathe_a[lathe_s:lathe_s + lathe_n - 1], lambda lathe_t: lathe_t IS NULL), true)), "
                + "lambda lathe_n: array_to_string(lathe_a[lathe_s:lathe_s + lathe_n - 1], " + SqlLiterals.stringLiteral(separator) + "))))))[1]";
    }
}
