package dev.lathe.sql.functions;

import java.util.List;

/**
 * ML.MULTI_HOT_ENCODER: one {@code {index, 1.0}} per distinct known term of the array, ascending, then a single
 * {@code {0, 1.0}} when any element is NULL or outside the dictionary, the order of BigQuery ML's example.
 * Frequencies count documents (rows), which the example requires: with (f, 3, 1) on
 * ['a','b','b','c',NULL], ['c','c','d','d',NULL] the dictionary is a, b, c.
 */
final class MultiHotEncoder extends AnalyticFunction {
    @Override
    public String name() {
        return "MULTI_HOT_ENCODER";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(1, 3, "MULTI_HOT_ENCODER(array_expression [, top_k] [, frequency_threshold]) OVER()");
        String array = arguments.expression(0);
        EncoderArguments limits = EncoderArguments.read(arguments, 1);
        return new Plan(List.of(new Statistic("vocabulary", Kind.STRING_LIST,
                over -> Vocabulary.terms(Vocabulary.documentCounts(array, over), limits.topK(), limits.frequencyThreshold()))),
                s -> "(list_transform([" + Vocabulary.tokenIndices(s.get(0), array) + "], lambda lathe_i: "
                        + "list_transform(list_sort(list_distinct(list_filter(lathe_i, lambda lathe_k: lathe_k > 0))), "
                        + "lambda lathe_k: " + Vocabulary.entry("lathe_k", "1") + ") || CASE WHEN list_contains(lathe_i, 0) THEN ["
                        + Vocabulary.entry("0", "1") + "] ELSE [] END))[1]");
    }
}
