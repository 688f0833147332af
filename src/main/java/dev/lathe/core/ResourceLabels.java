package dev.lathe.core;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Vertex AI's rule for a resource's labels (spec 0): keys and values of at most 64 Unicode characters, lowercase
 * letters (international ones too), digits, '_' and '-'; a key starts with a letter and is not empty. One rule for
 * models and endpoints: models took 63 ASCII characters only, endpoints anything (probe R).
 */
public final class ResourceLabels {
    private static final Pattern KEY = Pattern.compile("[\\p{Ll}\\p{Lo}][\\p{Ll}\\p{Lo}\\p{Nd}_-]*");
    private static final Pattern VALUE = Pattern.compile("[\\p{Ll}\\p{Lo}\\p{Nd}_-]*");
    private static final int MAX = 64;

    private ResourceLabels() {}

    /** What is wrong with the label {@code key}: {@code value}, if anything. */
    public static Optional<String> problem(String key, String value) {
        if (key == null || key.codePointCount(0, key.length()) > MAX || !KEY.matcher(key).matches()) {
            return Optional.of("label key '" + key + "' is not valid: a key has 1 to 64 characters, lowercase letters (international ones"
                    + " too), digits, '_' or '-', and starts with a letter");
        }
        if (value == null || value.codePointCount(0, value.length()) > MAX || !VALUE.matcher(value).matches()) {
            return Optional.of("label value '" + value + "' of key '" + key + "' is not valid: a value has 0 to 64 characters, lowercase"
                    + " letters (international ones too), digits, '_' or '-'");
        }
        return Optional.empty();
    }
}
