package dev.lathe.core;

/**
 * The rule for free text a metadata store keeps (display names, descriptions): no NUL character. PostgreSQL's
 * {@code text} cannot hold U+0000, so such a value was a 500 there and stored as given on SQLite; both stores refuse
 * it alike now, as a 400 naming the field (probe ub F5).
 */
public final class StoredText {
    /** The rule, as a field violation states it. */
    public static final String NO_NUL = "must not contain the NUL character (U+0000), which the metadata store cannot keep";

    private StoredText() {}

    /** Whether {@code text} holds a NUL character. */
    public static boolean hasNul(String text) {
        return text != null && text.indexOf('\0') >= 0;
    }
}
