package dev.lathe.train.linear;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.FeatureLayout;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionAssignment;
import dev.lathe.core.options.OptionValue;
import dev.lathe.core.options.Position;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The penguins test data and a small stand-in for automatic preprocessing (spec 2.1/2.2): numbers
 * z-scored with the sample standard deviation and NULL replaced by the mean, categories one-hot over
 * the sorted training values plus a NULL category. Shared by the GLM and k-means tests.
 */
public final class PenguinsFixture {
    private PenguinsFixture() {}

    /** Rows as column name to raw text; an empty string is a missing value. */
    public static List<Map<String, String>> rows(Predicate<Map<String, String>> keep) {
        try (var stream = Objects.requireNonNull(PenguinsFixture.class.getResourceAsStream("/datasets/penguins.csv"), "penguins.csv");
                BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
            String[] header = split(reader.readLine());
            List<Map<String, String>> rows = new ArrayList<>();
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = split(line);
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 0; i < header.length; i++) {
                    row.put(header[i], i < fields.length ? fields[i] : "");
                }
                if (keep.test(row)) {
                    rows.add(row);
                }
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Penguins has no commas inside quoted fields, so a plain split is enough here.
    private static String[] split(String line) {
        String[] parts = line.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].replace("\"", "").trim();
            if (parts[i].equals("NA")) {
                parts[i] = "";
            }
        }
        return parts;
    }

    public record Encoded(DenseMatrix matrix, FeatureLayout layout) {}

    public static Encoded encode(List<Map<String, String>> rows, List<String> numeric, List<String> categorical, boolean standardize) {
        List<EncodedColumn> columns = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (String name : numeric) {
            double sum = 0;
            int count = 0;
            for (Map<String, String> row : rows) {
                if (!row.get(name).isEmpty()) {
                    sum += Double.parseDouble(row.get(name));
                    count++;
                }
            }
            double mean = sum / count;
            double squares = 0;
            for (Map<String, String> row : rows) {
                if (!row.get(name).isEmpty()) {
                    double d = Double.parseDouble(row.get(name)) - mean;
                    squares += d * d;
                }
            }
            double sd = Math.sqrt(squares / (count - 1));
            double shift = standardize ? mean : 0;
            double scale = standardize ? sd : 1;
            double[] column = new double[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                String text = rows.get(i).get(name);
                double raw = text.isEmpty() ? mean : Double.parseDouble(text);
                column[i] = (raw - shift) / scale;
            }
            columns.add(new EncodedColumn(name, name, EncodedColumn.Kind.NUMERIC, Optional.empty(), shift, scale));
            values.add(column);
        }
        for (String name : categorical) {
            TreeSet<String> categories = new TreeSet<>();
            rows.forEach(row -> {
                if (!row.get(name).isEmpty()) {
                    categories.add(row.get(name));
                }
            });
            List<Optional<String>> levels = new ArrayList<>();
            categories.forEach(c -> levels.add(Optional.of(c)));
            levels.add(Optional.empty());
            for (Optional<String> level : levels) {
                double[] column = new double[rows.size()];
                for (int i = 0; i < rows.size(); i++) {
                    String text = rows.get(i).get(name);
                    column[i] = level.map(text::equals).orElse(text.isEmpty()) ? 1 : 0;
                }
                columns.add(new EncodedColumn(name, name, EncodedColumn.Kind.ONE_HOT, level, 0, 1));
                values.add(column);
            }
        }
        int p = columns.size();
        double[] data = new double[rows.size() * p];
        for (int j = 0; j < p; j++) {
            double[] column = values.get(j);
            for (int i = 0; i < rows.size(); i++) {
                data[i * p + j] = column[i];
            }
        }
        FeatureLayout layout = new FeatureLayout(columns);
        return new Encoded(new DenseMatrix(rows.size(), p, data, layout.names()), layout);
    }

    public static TrainingSet trainingSet(Encoded encoded, double[] labels, List<String> classLabels) {
        double[] weights = new double[encoded.matrix().rows()];
        java.util.Arrays.fill(weights, 1.0);
        return new TrainingSet(encoded.matrix(), labels, weights, Optional.empty(), new double[0], new double[0], classLabels,
                encoded.layout(), Optional.empty());
    }

    /** Resolves and validates options as CREATE MODEL would, from plain Java values. */
    public static ModelOptions options(ModelFamily family, Map<String, Object> given) {
        List<OptionAssignment> assignments = new ArrayList<>();
        given.forEach((name, value) -> assignments.add(new OptionAssignment(name, literal(value), Position.UNKNOWN)));
        return family.validate(ModelOptions.resolve(assignments, family.options(), family.modelType()));
    }

    private static OptionValue literal(Object value) {
        return switch (value) {
            case Boolean b -> new OptionValue.BoolValue(b, Position.UNKNOWN);
            case Integer i -> new OptionValue.NumberValue(BigDecimal.valueOf(i), true, Position.UNKNOWN);
            case Long l -> new OptionValue.NumberValue(BigDecimal.valueOf(l), true, Position.UNKNOWN);
            case Double d -> new OptionValue.NumberValue(BigDecimal.valueOf(d), false, Position.UNKNOWN);
            case String s -> new OptionValue.StringValue(s, Position.UNKNOWN);
            default -> throw new IllegalArgumentException("unsupported option value " + value);
        };
    }
}
