package dev.lathe.registry;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A model list's {@code filter}: free text (a substring of {@code dataset.model} or the default version's description),
 * or Vertex AI's AIP-160 terms joined by AND: {@code labels.team=risk}, {@code labels.team:*} or {@code labels:team} (has the label),
 * {@code display_name="d.m"}. Any other expression is refused rather than matching nothing.
 */
public record ModelFilter(Optional<String> text, Map<String, String> labels, Set<String> labelKeys, Optional<String> displayName) {
    private static final Pattern LABEL = Pattern.compile("labels\\.([\\p{Ll}\\p{Lo}][\\p{Ll}\\p{Lo}\\p{Nd}_-]{0,63})\\s*(=|:)\\s*(\"[^\"]*\"|[^\\s\"]+)");
    /** {@code labels:team}, the spec's (AIP-160's) has-key form: the map has the key. */
    private static final Pattern LABEL_KEY = Pattern.compile("labels\\s*:\\s*(\"?)([\\p{Ll}\\p{Lo}][\\p{Ll}\\p{Lo}\\p{Nd}_-]{0,63})\\1");
    private static final Pattern DISPLAY_NAME = Pattern.compile("(?:display_name|displayName)\\s*=\\s*(\"[^\"]*\"|[^\\s\"]+)");
    private static final String ACCEPTED = "free text (part of dataset.model or the description), or terms joined by AND:"
            + " labels.<key>=<value>, labels.<key>:* or labels:<key> (has the label), display_name=\"dataset.model\"";

    public static final ModelFilter NONE = new ModelFilter(Optional.empty(), Map.of(), Set.of(), Optional.empty());

    public ModelFilter {
        labels = Map.copyOf(labels);
        labelKeys = Set.copyOf(labelKeys);
    }

    public static ModelFilter parse(Optional<String> filter) {
        if (filter.isEmpty() || filter.get().isBlank()) {
            return NONE;
        }
        String text = filter.get().strip();
        if (!text.matches("(?s).*[=:<>!].*")) { // free text, AND and all: only an operator makes it an expression
            return new ModelFilter(Optional.of(text), Map.of(), Set.of(), Optional.empty());
        }
        Map<String, String> labels = new LinkedHashMap<>();
        Set<String> keys = new LinkedHashSet<>();
        Optional<String> displayName = Optional.empty();
        for (String term : text.split("\\s+AND\\s+")) {
            String t = term.strip();
            Matcher label = LABEL.matcher(t);
            Matcher name = DISPLAY_NAME.matcher(t);
            Matcher key = LABEL_KEY.matcher(t);
            if (key.matches()) {
                keys.add(key.group(2));
            } else if (label.matches()) {
                String value = unquote(label.group(3));
                if (label.group(2).equals(":") && value.equals("*")) {
                    keys.add(label.group(1));
                } else {
                    labels.put(label.group(1), value);
                }
            } else if (name.matches()) {
                displayName = Optional.of(unquote(name.group(1)));
            } else {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "filter term '" + t + "' is not supported; accepted: " + ACCEPTED);
            }
        }
        return new ModelFilter(Optional.empty(), labels, keys, displayName);
    }

    /** This filter in one text, the same for equal filters in any process (what a page token is bound to). */
    public String canonical() {
        return text.orElse("") + "\n" + new java.util.TreeMap<>(labels) + "\n" + new java.util.TreeSet<>(labelKeys) + "\n" + displayName.orElse("");
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
    }
}
