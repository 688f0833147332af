package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.FloatSink;
import dev.lathe.core.StringColumn;
import dev.lathe.core.model.EncodedColumn;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** LABEL_ENCODING: one column, the training vocabulary numbered 1..N in alphabetical order; NULL and unseen are 0. */
final class LabelEncoder implements FeatureEncoder {
    private final String feature;
    private final List<String> vocabulary;
    private final Map<String, Integer> numberOf;

    LabelEncoder(String feature, List<String> vocabulary) {
        this.feature = requireNonNull(feature, "feature is null");
        this.vocabulary = List.copyOf(vocabulary);
        this.numberOf = new HashMap<>();
        for (String value : this.vocabulary) {
            if (numberOf.putIfAbsent(value, numberOf.size() + 1) != null) {
                throw new IllegalArgumentException("duplicate value '" + value + "' in the vocabulary of " + feature);
            }
        }
    }

    @Override
    public Optional<List<String>> vocabulary() {
        return Optional.of(vocabulary);
    }

    @Override
    public String feature() {
        return feature;
    }

    @Override
    public List<EncodedColumn> columns() {
        return List.of(new EncodedColumn(feature, feature, EncodedColumn.Kind.ORDINAL, Optional.empty(), 0, 1));
    }

    @Override
    public boolean encodesOne() {
        return true;
    }

    @Override
    public void encodeOne(Object value, double[] out, int offset) {
        out[offset] = value == null ? 0 : numberOf.getOrDefault((String) value, 0);
    }

    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        StringColumn values = input.categorical();
        int[] numberOfCode = numbersOfCodes(values);
        int[] codes = values.codes();
        for (int row = 0; row < codes.length; row++) {
            out[row * stride + offset] = codes[row] < 0 ? 0 : numberOfCode[codes[row]];
        }
    }

    @Override
    public boolean encodeFloats(InputColumn input, FloatSink out, int stride, int offset) {
        StringColumn values = input.categorical();
        int[] numberOfCode = numbersOfCodes(values);
        int[] codes = values.codes();
        for (int row = 0; row < codes.length; row++) {
            out.set((long) row * stride + offset, codes[row] < 0 ? 0 : numberOfCode[codes[row]]);
        }
        return true;
    }

    /** Each dictionary code's number: each distinct value looked up once, not once per row. */
    private int[] numbersOfCodes(StringColumn values) {
        int[] numberOfCode = new int[values.dictionary().size()];
        for (int code = 0; code < numberOfCode.length; code++) {
            numberOfCode[code] = numberOf.getOrDefault(values.dictionary().get(code), 0);
        }
        return numberOfCode;
    }
}
