package dev.lathe.metadata;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One versioned schema change: {@code migrations/V<version>__<description>.sql}, or a per-dialect file
 * {@code V<version>__<description>.<dialect>.sql} that takes precedence where the two SQL dialects differ.
 */
public record Migration(int version, String description) {
    private static final String FOLDER = "/dev/lathe/metadata/migrations/";

    public Migration {
        requireNonNull(description, "description is null");
        if (version < 1) {
            throw new IllegalArgumentException("migration version must be >= 1, got " + version);
        }
    }

    String fileName() {
        return "V%03d__%s".formatted(version, description);
    }

    /** The statements of this migration for {@code dialect}, in order. */
    List<String> statements(Dialect dialect) {
        String sql = read(fileName() + "." + dialect.id() + ".sql")
                .or(() -> read(fileName() + ".sql"))
                .orElseThrow(() -> new IllegalStateException("Migration " + fileName() + ".sql is missing from " + FOLDER));
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : sql.split("\\R")) {
            String stripped = line.strip();
            if (stripped.startsWith("--") || stripped.isEmpty()) {
                continue;
            }
            current.append(line).append('\n');
            // Statements end with ';' at the end of a line; migrations keep no semicolons inside literals.
            if (stripped.endsWith(";")) {
                statements.add(current.substring(0, current.lastIndexOf(";")).strip());
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static Optional<String> read(String file) {
        try (InputStream in = Migration.class.getResourceAsStream(FOLDER + file)) {
            return in == null ? Optional.empty() : Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read migration " + file + ": " + e.getMessage(), e);
        }
    }
}
