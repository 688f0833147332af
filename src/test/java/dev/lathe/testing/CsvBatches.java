package dev.lathe.testing;

import dev.lathe.core.Batch;
import dev.lathe.core.DataType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads an RFC-4180 CSV file with a header row into a {@link Batch}, for tests. An empty field is NULL. A column
 * whose every non-empty field is a number becomes INT64 (all integral) or FLOAT64; every other column STRING.
 */
public final class CsvBatches {
    private CsvBatches() {}

    /** A CSV file on the test class path, e.g. {@code datasets/penguins.csv}. */
    public static Batch resource(String name) {
        InputStream stream = CsvBatches.class.getClassLoader().getResourceAsStream(name);
        if (stream == null) {
            throw new IllegalArgumentException("test resource '" + name + "' not found");
        }
        try (Reader reader = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
            return read(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Batch read(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return read(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Batch read(Reader reader) throws IOException {
        List<List<String>> records = parse(new BufferedReader(reader));
        if (records.isEmpty()) {
            throw new IllegalArgumentException("CSV has no header row");
        }
        List<String> header = records.getFirst();
        List<List<String>> rows = records.subList(1, records.size());
        BatchBuilder builder = BatchBuilder.create();
        for (int column = 0; column < header.size(); column++) {
            String[] values = new String[rows.size()];
            for (int row = 0; row < rows.size(); row++) {
                List<String> record = rows.get(row);
                String value = column < record.size() ? record.get(column) : null;
                values[row] = value == null || value.isEmpty() ? null : value;
            }
            addColumn(builder, header.get(column), values);
        }
        return builder.build();
    }

    private static void addColumn(BatchBuilder builder, String name, String[] values) {
        Double[] numbers = new Double[values.length];
        boolean integral = true;
        for (int row = 0; row < values.length; row++) {
            if (values[row] == null) {
                continue;
            }
            try {
                numbers[row] = Double.parseDouble(values[row]);
                integral &= numbers[row] == Math.rint(numbers[row]);
            } catch (NumberFormatException e) {
                builder.strings(name, values);
                return;
            }
        }
        builder.numbers(name, integral ? DataType.INT64 : DataType.FLOAT64, numbers);
    }

    /** Records of fields; a null field is an unquoted empty one. */
    private static List<List<String>> parse(BufferedReader reader) throws IOException {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean inQuotes = false;
        int c;
        boolean any = false;
        while ((c = reader.read()) != -1) {
            any = true;
            char ch = (char) c;
            if (inQuotes) {
                if (ch == '"') {
                    reader.mark(1);
                    int next = reader.read();
                    if (next == '"') {
                        field.append('"');
                    } else {
                        inQuotes = false;
                        if (next != -1) {
                            reader.reset();
                        }
                    }
                } else {
                    field.append(ch);
                }
            } else if (ch == '"') {
                inQuotes = true;
                quoted = true;
            } else if (ch == ',') {
                record.add(quoted || !field.isEmpty() ? field.toString() : null);
                field.setLength(0);
                quoted = false;
            } else if (ch == '\n') {
                record.add(quoted || !field.isEmpty() ? field.toString() : null);
                records.add(record);
                record = new ArrayList<>();
                field.setLength(0);
                quoted = false;
                any = false;
            } else if (ch != '\r') {
                field.append(ch);
            }
        }
        if (any) {
            record.add(quoted || !field.isEmpty() ? field.toString() : null);
            records.add(record);
        }
        return records;
    }
}
