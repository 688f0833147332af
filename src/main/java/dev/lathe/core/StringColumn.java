package dev.lathe.core;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Categorical values (STRING, BOOL, DATE, DATETIME, TIME, BYTES rendered as text) dictionary-encoded:
 * {@code codes[i]} indexes {@code dictionary}, -1 means NULL. BOOL renders as {@code true}/{@code false},
 * DATE as {@code 2024-01-31}, DATETIME as {@code 2024-01-31 12:00:00}.
 */
public record StringColumn(int[] codes, List<String> dictionary) implements Column {
    public StringColumn {
        requireNonNull(codes, "codes is null");
        dictionary = List.copyOf(dictionary);
    }

    /** Encodes plain values; {@code null} elements become NULL. */
    public static StringColumn of(String... values) {
        if (values.length == 1) { // one online instance: no dictionary map
            return values[0] == null ? new StringColumn(new int[] {-1}, List.of()) : new StringColumn(new int[] {0}, List.of(values[0]));
        }
        Map<String, Integer> index = new HashMap<>();
        List<String> dictionary = new ArrayList<>();
        int[] codes = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null) {
                codes[i] = -1;
            } else {
                codes[i] = index.computeIfAbsent(values[i], v -> {
                    dictionary.add(v);
                    return dictionary.size() - 1;
                });
            }
        }
        return new StringColumn(codes, dictionary);
    }

    @Override
    public int size() {
        return codes.length;
    }

    @Override
    public boolean isNull(int row) {
        return codes[row] < 0;
    }

    /** The value at {@code row}, or null. */
    public String get(int row) {
        int code = codes[row];
        return code < 0 ? null : dictionary.get(code);
    }
}
