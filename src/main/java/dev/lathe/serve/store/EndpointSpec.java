package dev.lathe.serve.store;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a create request gives: the endpoint id (chosen by the caller), display name, description, labels, logging rate and
 * whether logging is on (a rate is kept while it is off).
 */
public record EndpointSpec(String id, String displayName, String description, Map<String, String> labels, double loggingSamplingRate,
        boolean loggingEnabled) {
    /** Lower-case letters, digits and hyphens, starting with a letter or digit: usable in URLs and as a metric label. */
    public static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern LABEL = Pattern.compile("[\\p{Ll}\\p{Lo}0-9_-]{0,64}");

    public EndpointSpec {
        requireNonNull(id, "id is null");
        requireNonNull(displayName, "displayName is null");
        requireNonNull(description, "description is null");
        labels = Map.copyOf(labels);
        if (!ID.matcher(id).matches()) {
            throw new FieldViolationException("endpointId", "must be 1 to 63 lower-case letters, digits and hyphens starting with a letter or digit, got '"
                    + id + "'");
        }
        checkDisplayName(displayName);
        checkDescription(description);
        checkLabels(labels);
        checkSamplingRate(loggingSamplingRate);
    }

    /** An endpoint that logs at {@code loggingSamplingRate}, which 0 turns off. */
    public EndpointSpec(String id, String displayName, String description, Map<String, String> labels, double loggingSamplingRate) {
        this(id, displayName, description, labels, loggingSamplingRate, loggingSamplingRate > 0);
    }

    static void checkDisplayName(String displayName) {
        if (displayName.isBlank() || displayName.codePointCount(0, displayName.length()) > 128) {
            throw new FieldViolationException("displayName", "must be 1 to 128 characters, got '" + displayName + "'");
        }
        if (dev.lathe.core.StoredText.hasNul(displayName)) {
            throw new FieldViolationException("displayName", dev.lathe.core.StoredText.NO_NUL);
        }
    }

    static void checkDescription(String description) {
        if (dev.lathe.core.StoredText.hasNul(description)) {
            throw new FieldViolationException("description", dev.lathe.core.StoredText.NO_NUL);
        }
    }

    static void checkLabels(Map<String, String> labels) {
        labels.forEach((key, value) -> {
            if (key.isEmpty() || !LABEL.matcher(key).matches() || !LABEL.matcher(value).matches()) {
                throw new FieldViolationException("labels." + key, "keys (1 to 64) and values (0 to 64) are lower-case letters, digits, "
                        + "'_' and '-'; got '" + key + "': '" + value + "'");
            }
        });
    }

    static void checkSamplingRate(double rate) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new FieldViolationException("predictRequestResponseLoggingConfig.samplingRate", "must be a number from 0 to 1, got " + rate);
        }
    }
}
