package dev.lathe.core;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** An ordered list of fields. Column lookup is case-insensitive, like BigQuery's. */
public record Schema(List<Field> fields) {
    public Schema {
        fields = List.copyOf(fields);
    }

    public int size() {
        return fields.size();
    }

    public Field field(int index) {
        return fields.get(index);
    }

    public List<String> names() {
        return fields.stream().map(Field::name).toList();
    }

    public Optional<Integer> indexOf(String name) {
        for (int i = 0; i < fields.size(); i++) { // the usual case, exact spelling, without lower-casing per call
            if (fields.get(i).name().equals(name)) {
                return Optional.of(i);
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        for (int i = 0; i < fields.size(); i++) {
            if (fields.get(i).name().toLowerCase(Locale.ROOT).equals(lower)) {
                return Optional.of(i);
            }
        }
        return Optional.empty();
    }

    /** The index of {@code name}, or a COLUMN_NOT_FOUND error naming the columns there are. */
    public int require(String name, String where) {
        return indexOf(name).orElseThrow(() -> new LatheException(ErrorCode.COLUMN_NOT_FOUND,
                "Column '" + name + "' not found in " + where + Suggestions.withChoices(name, names(), "Columns")));
    }
}
