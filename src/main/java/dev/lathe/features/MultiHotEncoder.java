package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.RowEntries;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.model.EncodedColumn;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * ARRAY&lt;STRING&gt;: one 0/1 column per distinct training element (sorted), set when the row's array contains it,
 * then one for a NULL array. NULL elements and elements unseen in training set nothing.
 */
final class MultiHotEncoder implements FeatureEncoder {
    private final String feature;
    private final List<String> elements;
    private final Map<String, Integer> columnOf;

    MultiHotEncoder(String feature, List<String> elements) {
        this.feature = requireNonNull(feature, "feature is null");
        this.elements = List.copyOf(elements);
        this.columnOf = new HashMap<>();
        for (String element : this.elements) {
            if (columnOf.putIfAbsent(element, columnOf.size()) != null) {
                throw new IllegalArgumentException("duplicate element '" + element + "' for " + feature);
            }
        }
    }

    static MultiHotEncoder fit(String feature, StringArrayColumn values) {
        return new MultiHotEncoder(feature, List.copyOf(distinctElements(values)));
    }

    static TreeSet<String> distinctElements(StringArrayColumn values) {
        TreeSet<String> elements = new TreeSet<>();
        for (int row = 0; row < values.size(); row++) {
            if (values.isNull(row)) {
                continue;
            }
            for (int i = values.offsets()[row]; i < values.offsets()[row + 1]; i++) {
                int code = values.codes()[i];
                if (code >= 0) {
                    elements.add(values.dictionary().get(code));
                }
            }
        }
        return elements;
    }

    List<String> elements() {
        return elements;
    }

    @Override
    public String feature() {
        return feature;
    }

    @Override
    public List<EncodedColumn> columns() {
        List<EncodedColumn> columns = new ArrayList<>();
        for (String element : elements) {
            columns.add(new EncodedColumn(feature, feature, EncodedColumn.Kind.VECTOR_ELEMENT, Optional.of(element), 0, 1));
        }
        columns.add(new EncodedColumn(feature, feature, EncodedColumn.Kind.VECTOR_ELEMENT, Optional.empty(), 0, 1));
        return columns;
    }

    @Override
    public void encode(InputColumn input, double[] out, int stride, int offset) {
        StringArrayColumn values = input.stringArray();
        int[] columnOfCode = columnsOfCodes(values);
        for (int row = 0; row < values.size(); row++) {
            if (values.isNull(row)) {
                out[row * stride + offset + elements.size()] = 1;
                continue;
            }
            for (int i = values.offsets()[row]; i < values.offsets()[row + 1]; i++) {
                int code = values.codes()[i];
                int column = code < 0 ? -1 : columnOfCode[code];
                if (column >= 0) {
                    out[row * stride + offset + column] = 1;
                }
            }
        }
    }

    /** As {@link #encode}, the columns each row sets ({@code base} plus their position) as list entries of 1. */
    RowEntries encodeList(InputColumn input, int base) {
        StringArrayColumn values = input.stringArray();
        int[] columnOfCode = columnsOfCodes(values);
        RowEntries.Builder entries = new RowEntries.Builder(values.size());
        for (int row = 0; row < values.size(); row++) {
            if (values.isNull(row)) {
                entries.add(base + elements.size(), 1);
            } else {
                for (int i = values.offsets()[row]; i < values.offsets()[row + 1]; i++) {
                    int code = values.codes()[i];
                    int column = code < 0 ? -1 : columnOfCode[code];
                    if (column >= 0) {
                        entries.add(base + column, 1);
                    }
                }
            }
            entries.endRow();
        }
        return entries.build();
    }

    private int[] columnsOfCodes(StringArrayColumn values) {
        int[] columnOfCode = new int[values.dictionary().size()];
        for (int code = 0; code < columnOfCode.length; code++) {
            columnOfCode[code] = columnOf.getOrDefault(values.dictionary().get(code), -1);
        }
        return columnOfCode;
    }
}
