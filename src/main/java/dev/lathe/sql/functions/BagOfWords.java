package dev.lathe.sql.functions;

import java.util.List;

/**
 * ML.BAG_OF_WORDS: {@code {index, count}} per dictionary term present in the document, ascending by index;
 * index 0 counts the unknown and NULL tokens. The dictionary ranks terms by document frequency.
 */
final class BagOfWords extends AnalyticFunction {
    @Override
    public String name() {
        return "BAG_OF_WORDS";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(1, 3, "BAG_OF_WORDS(tokenized_document [, top_k] [, frequency_threshold]) OVER()");
        String document = arguments.expression(0);
        EncoderArguments limits = EncoderArguments.read(arguments, 1);
        return new Plan(List.of(new Statistic("vocabulary", Kind.STRING_LIST,
                over -> Vocabulary.terms(Vocabulary.documentCounts(document, over), limits.topK(), limits.frequencyThreshold()))),
                s -> termCounts(Vocabulary.tokenIndices(s.get(0), document), "lathe_e.value"));
    }

    /** Groups a document's token indices; {@code value} is an expression over {@code lathe_e} (key, value) and {@code lathe_i}. */
    static String termCounts(String tokenIndices, String value) {
        return "(list_transform([" + tokenIndices + "], lambda lathe_i: list_sort(list_transform(map_entries(list_aggregate("
                + "lathe_i, 'histogram')), lambda lathe_e: " + Vocabulary.entry("lathe_e.key", value) + "))))[1]";
    }
}
