package dev.lathe.sql.functions;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The arguments of one ML.* call as DuckDB SQL text, with the literal parsing and validation every function
 * needs. Errors name the function, the argument and what is accepted.
 */
record Arguments(String function, List<String> values) {
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern ARRAY_PREFIX = Pattern.compile("(?is)^ARRAY\\s*(<[^>]*>)?\\s*(?=\\[)");

    Arguments {
        requireNonNull(function, "function is null");
        values = List.copyOf(values);
    }

    static Arguments of(String function, List<String> values) {
        return new Arguments(function, values);
    }

    int size() {
        return values.size();
    }

    boolean present(int index) {
        return index < values.size();
    }

    /** Rejects a call whose argument count is outside [minimum, maximum]; {@code usage} is the signature. */
    Arguments requireCount(int minimum, int maximum, String usage) {
        if (values.size() < minimum || values.size() > maximum) {
            String expected = minimum == maximum ? String.valueOf(minimum) : minimum + " to " + maximum;
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.%s takes %s arguments but got %d; usage: ML.%s"
                    .formatted(function, expected, values.size(), usage));
        }
        return this;
    }

    /** The argument as a parenthesised DuckDB expression, safe to embed in any operator context. */
    String expression(int index) {
        return "(" + values.get(index) + ")";
    }

    String raw(int index) {
        return values.get(index).trim();
    }

    long integer(int index, String name, long defaultValue, long minimum, long maximum) {
        if (!present(index)) {
            return defaultValue;
        }
        String text = unwrap(raw(index));
        if (!INTEGER.matcher(text).matches()) {
            throw invalid(name, "must be an INT64 literal", raw(index), "an integer from " + minimum + " to " + maximum);
        }
        long value;
        try {
            value = Long.parseLong(text.startsWith("+") ? text.substring(1) : text);
        } catch (NumberFormatException e) {
            throw invalid(name, "is out of range", raw(index), "an integer from " + minimum + " to " + maximum);
        }
        if (value < minimum || value > maximum) {
            throw invalid(name, "is out of range", raw(index), "an integer from " + minimum + " to " + maximum);
        }
        return value;
    }

    double number(int index, String name, double defaultValue) {
        if (!present(index)) {
            return defaultValue;
        }
        return parseNumber(unwrap(raw(index))).orElseThrow(
                () -> invalid(name, "must be a numeric literal", raw(index), "a number such as 2 or 1.5"));
    }

    boolean bool(int index, String name, boolean defaultValue) {
        if (!present(index)) {
            return defaultValue;
        }
        return switch (unwrap(raw(index)).toUpperCase(Locale.ROOT)) {
            case "TRUE" -> true;
            case "FALSE" -> false;
            default -> throw invalid(name, "must be a BOOL literal", raw(index), "TRUE or FALSE");
        };
    }

    /** A string literal, compared case-insensitively with {@code allowed}; returns the allowed spelling. */
    String choice(int index, String name, String defaultValue, List<String> allowed) {
        if (!present(index)) {
            return defaultValue;
        }
        String value = stringLiteral(index, name);
        return allowed.stream()
                .filter(a -> a.equalsIgnoreCase(value))
                .findFirst()
                .orElseThrow(() -> invalid(name, "is not a known value", raw(index), "one of " + quoted(allowed)));
    }

    String stringLiteral(int index, String name) {
        return parseString(unwrap(raw(index))).orElseThrow(
                () -> invalid(name, "must be a STRING literal", raw(index), "a quoted string such as ' '"));
    }

    /** A literal array of numbers such as {@code [1, 2.5, 3]} or {@code ARRAY<INT64>[25, 75]}. */
    List<Double> numberArray(int index, String name) {
        String text = ARRAY_PREFIX.matcher(unwrap(raw(index))).replaceFirst("");
        if (!text.startsWith("[") || !text.endsWith("]")) {
            throw invalid(name, "must be an array literal", raw(index), "a literal array of numbers such as [1, 2, 3]");
        }
        List<Double> numbers = new ArrayList<>();
        for (String element : SqlSplitter.splitTopLevel(text.substring(1, text.length() - 1), ',')) {
            numbers.add(parseNumber(unwrap(element)).orElseThrow(() -> invalid(name, "must contain only numeric literals",
                    raw(index), "a literal array of numbers such as [1, 2, 3]")));
        }
        return List.copyOf(numbers);
    }

    boolean isArrayLiteral(int index) {
        return ARRAY_PREFIX.matcher(unwrap(raw(index))).replaceFirst("").startsWith("[");
    }

    LatheException invalid(String name, String rule, String offending, String accepted) {
        return new LatheException(ErrorCode.INVALID_ARGUMENT,
                "Argument '%s' of ML.%s %s: got %s; accepted: %s".formatted(name, function, rule, offending, accepted));
    }

    private static String unwrap(String text) {
        String result = text.trim();
        while (result.startsWith("(") && result.endsWith(")") && balanced(result.substring(1, result.length() - 1))) {
            result = result.substring(1, result.length() - 1).trim();
        }
        return result;
    }

    private static boolean balanced(String text) {
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    private static Optional<Double> parseNumber(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        if (NUMBER.matcher(text).matches()) {
            return Optional.of(Double.parseDouble(text));
        }
        // Non-finite values written as strings or casts still parse, so that the caller can reject them by rule.
        return switch (lower.replaceAll("^cast\\('|'\\s+as\\s+(double|float64)\\)$|'", "")) {
            case "inf", "+inf", "infinity", "+infinity" -> Optional.of(Double.POSITIVE_INFINITY);
            case "-inf", "-infinity" -> Optional.of(Double.NEGATIVE_INFINITY);
            case "nan" -> Optional.of(Double.NaN);
            default -> Optional.empty();
        };
    }

    private static Optional<String> parseString(String text) {
        if (text.length() >= 2 && (text.startsWith("'") && text.endsWith("'") || text.startsWith("\"") && text.endsWith("\""))) {
            char quote = text.charAt(0);
            String body = text.substring(1, text.length() - 1);
            return Optional.of(body.replace(String.valueOf(quote) + quote, String.valueOf(quote)));
        }
        return Optional.empty();
    }

    private static String quoted(List<String> values) {
        return String.join(", ", values.stream().map(v -> "'" + v + "'").toList());
    }
}
