package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.StringColumn;
import dev.lathe.core.model.EncodedColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One 0/1 column per training category, in the given order, then one for NULL. A value not seen in training
 * sets no column (weight 0 at prediction, as BigQuery ML does). With DUMMY_ENCODING the {@code dropped} category
 * (the most frequent) has no column either: it is the reference level whose weight is 0.
 */
final class OneHotEncoder implements FeatureEncoder {
    private final String feature;
    private final String processedInput;
    private final List<String> categories;
    private final Optional<String> dropped;
    private final Map<String, Integer> columnOf;

    OneHotEncoder(String feature, String processedInput, List<String> categories, Optional<String> dropped) {
        this.feature = requireNonNull(feature, "feature is null");
        this.processedInput = requireNonNull(processedInput, "processedInput is null");
        this.categories = List.copyOf(categories);
        this.dropped = requireNonNull(dropped, "dropped is null");
        this.columnOf = new HashMap<>();
        for (String category : this.categories) {
            if (columnOf.putIfAbsent(category, columnOf.size()) != null) {
                throw new IllegalArgumentException("duplicate category '" + category + "' for " + feature);
            }
        }
        if (dropped.isPresent() && columnOf.containsKey(dropped.get())) {
            throw new IllegalArgumentException("dropped category '" + dropped.get() + "' must not have a column");
        }
    }

    /** All categories that had a column or were dropped, in column order. */
    List<String> categories() {
        return categories;
    }

    @Override
    public Optional<List<String>> vocabulary() {
        if (dropped.isEmpty()) {
            return Optional.of(categories);
        }
        List<String> values = new ArrayList<>(categories);
        values.add(dropped.get());
        return Optional.of(List.copyOf(values));
    }

    String processedInput() {
        return processedInput;
    }

    Optional<String> dropped() {
        return dropped;
    }

    @Override
    public String feature() {
        return feature;
    }

    @Override
    public List<EncodedColumn> columns() {
        List<EncodedColumn> columns = new ArrayList<>();
        for (String category : categories) {
            columns.add(new EncodedColumn(feature, processedInput, EncodedColumn.Kind.ONE_HOT, Optional.of(category), 0, 1));
        }
        columns.add(new EncodedColumn(feature, processedInput, EncodedColumn.Kind.ONE_HOT, Optional.empty(), 0, 1));
        return columns;
    }

    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        encodeValues(input.categorical(), out, stride, offset);
    }

    /** How many columns it writes: one per category, then the NULL column. */
    int width() {
        return categories.size() + 1;
    }

    /** The column NULL sets, relative to this encoder's first. */
    int nullColumn() {
        return categories.size();
    }

    /** The column {@code value} sets, relative to this encoder's first; -1 for none (unseen or dropped). */
    int column(String value) {
        return columnOf.getOrDefault(value, -1);
    }

    @Override
    public boolean encodesOne() {
        return true;
    }

    @Override
    public void encodeOne(Object value, double[] out, int offset) {
        int column = value == null ? categories.size() : column((String) value);
        if (column >= 0) {
            out[offset + column] = 1;
        }
    }

    /**
     * For each row, the column it sets as {@code base} plus the column's position in this encoder's (as {@link #encode}
     * sets it to 1), or -1 where it sets none: into {@code out[row * stride + offset]}.
     */
    void encodeColumns(InputColumn input, int[] out, int stride, int offset, int base) {
        StringColumn values = input.categorical();
        int nullColumn = categories.size();
        int[] columnOfCode = columnsOfCodes(values);
        int[] codes = values.codes();
        for (int row = 0; row < codes.length; row++) {
            int column = codes[row] < 0 ? nullColumn : columnOfCode[codes[row]];
            out[row * stride + offset] = column >= 0 ? base + column : -1;
        }
    }

    private int[] columnsOfCodes(StringColumn values) {
        int[] columnOfCode = new int[values.dictionary().size()];
        for (int code = 0; code < columnOfCode.length; code++) {
            columnOfCode[code] = columnOf.getOrDefault(values.dictionary().get(code), -1);
        }
        return columnOfCode;
    }

    void encodeValues(StringColumn values, double[] out, int stride, int offset) {
        int nullColumn = categories.size();
        int[] columnOfCode = columnsOfCodes(values);
        int[] codes = values.codes();
        for (int row = 0; row < codes.length; row++) {
            int column = codes[row] < 0 ? nullColumn : columnOfCode[codes[row]];
            if (column >= 0) {
                out[row * stride + offset + column] = 1;
            }
        }
    }
}
