package dev.lathe.core.options;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One option a model type accepts: its name (lower case), type, default and valid range. Families own
 * their options as data so the parser can validate them and suggest names without knowing families.
 *
 * @param defaultValue the effective value when the option is not given; empty when there is none or it
 *     depends on the data (the trainer then records the value it chose)
 * @param allowedValues for {@link OptionType#ENUM}, the upper-case values accepted
 * @param min inclusive lower bound for numbers, if any
 * @param max inclusive upper bound for numbers, if any
 * @param minExclusive whether {@code min} itself is rejected
 * @param maxExclusive whether {@code max} itself is rejected
 */
public record OptionSpec(
        String name,
        OptionType type,
        Optional<Object> defaultValue,
        List<String> allowedValues,
        Optional<Double> min,
        Optional<Double> max,
        boolean minExclusive,
        boolean maxExclusive) {
    public OptionSpec {
        requireNonNull(name, "name is null");
        name = name.toLowerCase(Locale.ROOT);
        requireNonNull(type, "type is null");
        requireNonNull(defaultValue, "defaultValue is null");
        allowedValues = allowedValues.stream().map(v -> v.toUpperCase(Locale.ROOT)).toList();
        requireNonNull(min, "min is null");
        requireNonNull(max, "max is null");
    }

    public static OptionSpec bool(String name, boolean defaultValue) {
        return new OptionSpec(name, OptionType.BOOL, Optional.of(defaultValue), List.of(), Optional.empty(), Optional.empty(), false, false);
    }

    public static OptionSpec int64(String name, Long defaultValue, Long min, Long max) {
        return new OptionSpec(name, OptionType.INT64, Optional.ofNullable(defaultValue), List.of(),
                Optional.ofNullable(min).map(Long::doubleValue), Optional.ofNullable(max).map(Long::doubleValue), false, false);
    }

    public static OptionSpec float64(String name, Double defaultValue, Double min, Double max) {
        return new OptionSpec(name, OptionType.FLOAT64, Optional.ofNullable(defaultValue), List.of(),
                Optional.ofNullable(min), Optional.ofNullable(max), false, false);
    }

    public static OptionSpec string(String name, String defaultValue) {
        return new OptionSpec(name, OptionType.STRING, Optional.ofNullable(defaultValue), List.of(), Optional.empty(), Optional.empty(), false, false);
    }

    public static OptionSpec oneOf(String name, String defaultValue, String... allowed) {
        return new OptionSpec(name, OptionType.ENUM, Optional.ofNullable(defaultValue).map(v -> v.toUpperCase(Locale.ROOT)),
                List.of(allowed), Optional.empty(), Optional.empty(), false, false);
    }

    public static OptionSpec stringArray(String name, List<String> defaultValue) {
        return new OptionSpec(name, OptionType.STRING_ARRAY, Optional.ofNullable(defaultValue), List.of(), Optional.empty(), Optional.empty(), false, false);
    }

    public static OptionSpec int64Array(String name) {
        return new OptionSpec(name, OptionType.INT64_ARRAY, Optional.empty(), List.of(), Optional.empty(), Optional.empty(), false, false);
    }

    public static OptionSpec classWeights(String name) {
        return new OptionSpec(name, OptionType.STRING_FLOAT_MAP, Optional.empty(), List.of(), Optional.empty(), Optional.empty(), false, false);
    }

    /** The same spec with an exclusive lower and/or upper bound. */
    public OptionSpec exclusive(boolean lower, boolean upper) {
        return new OptionSpec(name, type, defaultValue, allowedValues, min, max, lower, upper);
    }

    /** The same spec with another default. */
    public OptionSpec withDefault(Object value) {
        return new OptionSpec(name, type, Optional.ofNullable(value), allowedValues, min, max, minExclusive, maxExclusive);
    }

    /** "in (0, 1]" style text for error messages, or the empty string. */
    public String rangeText() {
        if (min.isEmpty() && max.isEmpty()) {
            return "";
        }
        return (minExclusive ? "(" : "[") + min.map(OptionSpec::number).orElse("-inf") + ", "
                + max.map(OptionSpec::number).orElse("+inf") + (maxExclusive ? ")" : "]");
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }
}
