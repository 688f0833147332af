package dev.lathe.sql.functions;

import java.util.List;

/** ML.LABEL_ENCODER: the value's dictionary index ({@link Vocabulary}), 0 for NULL, unseen or infrequent. */
final class LabelEncoder extends AnalyticFunction {
    @Override
    public String name() {
        return "LABEL_ENCODER";
    }

    @Override
    Plan plan(Arguments arguments) {
        arguments.requireCount(1, 3, "LABEL_ENCODER(string_expression [, top_k] [, frequency_threshold]) OVER()");
        String x = "CAST(" + arguments.expression(0) + " AS VARCHAR)";
        EncoderArguments limits = EncoderArguments.read(arguments, 1);
        return new Plan(List.of(new Statistic("vocabulary", Kind.STRING_LIST,
                over -> Vocabulary.terms(Vocabulary.valueCounts(x, over), limits.topK(), limits.frequencyThreshold()))),
                s -> Vocabulary.index(s.get(0), x));
    }
}
