package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.options.Position;
import java.util.Optional;

/**
 * A BigQuery object name: {@code name}, {@code dataset.name} or {@code project.dataset.name}, written
 * plain or in backticks ({@code `project.dataset.name`}). Parts are unquoted. {@code version} is the
 * registry suffix ({@code dataset.model@3} or {@code @champion}), when given.
 */
public record ObjectName(Optional<String> project, Optional<String> dataset, String name, Optional<String> version,
        Position position) {
    public ObjectName {
        requireNonNull(project, "project is null");
        requireNonNull(dataset, "dataset is null");
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(position, "position is null");
    }

    public static ObjectName of(String dataset, String name) {
        return new ObjectName(Optional.empty(), Optional.of(dataset), name, Optional.empty(), Position.UNKNOWN);
    }

    /** {@code dataset.name} (or just {@code name}), as users write it. */
    public String display() {
        return dataset.map(d -> d + "." + name).orElse(name) + version.map(v -> "@" + v).orElse("");
    }

    @Override
    public String toString() {
        return display();
    }
}
