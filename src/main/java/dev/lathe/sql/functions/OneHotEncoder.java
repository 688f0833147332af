package dev.lathe.sql.functions;

import java.util.ArrayList;
import java.util.List;

/**
 * ML.ONE_HOT_ENCODER: {@code [{index, value}]} with the value's dictionary index ({@link Vocabulary}) and value
 * 1.0. With drop 'most_frequent' the most frequent kept category keeps its index but gets value 0.0.
 */
final class OneHotEncoder extends AnalyticFunction {
    @Override
    public String name() {
        return "ONE_HOT_ENCODER";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(1, 4, "ONE_HOT_ENCODER(string_expression [, drop] [, top_k] [, frequency_threshold]) OVER()");
        String x = "CAST(" + arguments.expression(0) + " AS VARCHAR)";
        boolean dropMostFrequent = arguments.choice(1, "drop", "none", List.of("none", "most_frequent")).equals("most_frequent");
        EncoderArguments limits = EncoderArguments.read(arguments, 2);
        List<Statistic> statistics = new ArrayList<>();
        statistics.add(new Statistic("vocabulary", Kind.STRING_LIST,
                over -> Vocabulary.terms(Vocabulary.valueCounts(x, over), limits.topK(), limits.frequencyThreshold())));
        if (dropMostFrequent) {
            statistics.add(new Statistic("dropped", Kind.TYPED,
                    over -> Vocabulary.mostFrequent(Vocabulary.valueCounts(x, over), limits.topK(), limits.frequencyThreshold())));
        }
        return new Plan(statistics, s -> {
            String value = dropMostFrequent ? "CASE WHEN " + x + " = " + s.get(1) + " THEN 0 ELSE 1 END" : "1";
            return "[" + Vocabulary.entry(Vocabulary.index(s.get(0), x), value) + "]";
        });
    }
}
