package dev.lathe.core;

/**
 * The rule for free text a metadata store keeps (display names, descriptions): no NUL character. PostgreSQL's
 * {@code text} cannot hold U+0000, so such a value was a 500 there and stored as given on SQLite; both stores refuse
 * it alike now, as a 400 naming the field (probe ub F5). Messages Lathe writes around such text have it escaped
 * ({@link #escapeNul}).
 */
public final class StoredText {
    /** The rule, as a field violation states it. */
    public static final String NO_NUL = "must not contain the NUL character (U+0000), which the metadata store cannot keep";

    private StoredText() {}

    /**
     * {@code message} as a metadata store keeps it: each NUL character as the six characters backslash, u, 0000 (as JSON
     * writes it). For text Lathe writes around the user's (a job's error quoting a value or a literal, a webhook's
     * answer), which cannot be refused as a field is: PostgreSQL refused the whole write, so a failed job's end went
     * unrecorded there (probe wops 4).
     */
    public static String escapeNul(String message) {
        return message == null || message.indexOf('\0') < 0 ? message : message.replace("\0", "\\u0000");
    }

    /** Whether {@code text} holds a NUL character. */
    public static boolean hasNul(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }
}
