package dev.lathe.train.boosted;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A CSV file as strings (RFC 4180 quoting without embedded newlines; an empty field is missing). */
record Table(List<String> header, List<List<Optional<String>>> rows) {
    static Table read(Path path) {
        try {
            List<String> lines = Files.readAllLines(path, StandardCharsets.UTF_8);
            List<String> header = split(lines.get(0)).stream().map(Optional::orElseThrow).toList();
            List<List<Optional<String>>> rows = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (!line.isBlank()) {
                    rows.add(split(line));
                }
            }
            return new Table(header, rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The CSV shipped in src/test/resources/datasets. */
    static Table resource(String name) {
        try {
            return read(Path.of(Table.class.getResource("/datasets/" + name).toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A dataset in the shared folder that must not be copied into the project, if present. */
    static Optional<Path> shared(String name) {
        String dir = System.getProperty("lathe.shared.dir", "../shared");
        Path path = Path.of(dir, "datasets", name);
        return Files.isReadable(path) ? Optional.of(path) : Optional.empty();
    }

    int column(String name) {
        int index = header.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException("no column " + name + " in " + header);
        }
        return index;
    }

    Optional<String> value(int row, String column) {
        return rows.get(row).get(column(column));
    }

    Table filter(Predicate<List<Optional<String>>> keep) {
        return new Table(header, rows.stream().filter(keep).toList());
    }

    Table rowsWhere(Predicate<Integer> keepIndex) {
        List<List<Optional<String>>> kept = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            if (keepIndex.test(i)) {
                kept.add(rows.get(i));
            }
        }
        return new Table(header, kept);
    }

    int size() {
        return rows.size();
    }

    private static List<Optional<String>> split(String line) {
        List<Optional<String>> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
                wasQuoted = true;
            } else if (c == ',') {
                fields.add(field.isEmpty() && !wasQuoted ? Optional.empty() : Optional.of(field.toString()));
                field.setLength(0);
                wasQuoted = false;
            } else {
                field.append(c);
            }
        }
        fields.add(field.isEmpty() && !wasQuoted ? Optional.empty() : Optional.of(field.toString()));
        return fields;
    }
}
