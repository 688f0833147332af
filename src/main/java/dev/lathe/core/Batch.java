package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;

/** A columnar slice of rows: one {@link Column} per schema field, all of {@code rowCount} rows. */
public record Batch(Schema schema, int rowCount, List<Column> columns) {
    public Batch {
        requireNonNull(schema, "schema is null");
        columns = List.copyOf(columns);
        if (columns.size() != schema.size()) {
            throw new IllegalArgumentException("schema has " + schema.size() + " fields but " + columns.size() + " columns given");
        }
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).size() != rowCount) {
                throw new IllegalArgumentException("column '" + schema.field(i).name() + "' has " + columns.get(i).size()
                        + " rows, expected " + rowCount);
            }
        }
    }

    public Column column(int index) {
        return columns.get(index);
    }

    public Column column(String name) {
        return columns.get(schema.require(name, "the input"));
    }

    /** The same rows restricted to the named columns, in the given order. */
    public Batch select(List<String> names) {
        List<Field> fields = new ArrayList<>();
        List<Column> selected = new ArrayList<>();
        for (String name : names) {
            int index = schema.require(name, "the input");
            fields.add(schema.field(index));
            selected.add(columns.get(index));
        }
        return new Batch(new Schema(fields), rowCount, selected);
    }
}
