package dev.lathe.cli;

import dev.lathe.core.LatheException;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;

/** The values of {@code --format}. */
public enum OutputFormat {
    TABLE,
    CSV,
    JSON;

    public ResultFormatter formatter() {
        return switch (this) {
            case TABLE -> new TableFormatter();
            case CSV -> new CsvFormatter();
            case JSON -> new JsonFormatter();
        };
    }

    /** Case-insensitive parsing, so {@code --format csv} and {@code --format CSV} both work. */
    static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat format : values()) {
                if (format.name().equalsIgnoreCase(value)) {
                    return format;
                }
            }
            throw LatheException.userError("Unknown --format '%s'; accepted: %s".formatted(
                    value, Arrays.stream(values()).map(f -> f.name().toLowerCase(Locale.ROOT)).toList()));
        }
    }
}
