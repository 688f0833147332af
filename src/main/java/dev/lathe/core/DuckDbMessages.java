package dev.lathe.core;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** DuckDB's error messages, as users should read them. */
public final class DuckDbMessages {
    private static final Pattern DRIVER_WRAPPER = Pattern.compile(
            "Invalid Input Error: Attempting to execute an unsuccessful or closed pending query result\\s*(?:Error: )?");
    /** DuckDB's excerpt of the SQL it ran: "LINE n: text" and a caret under the column. */
    public static final Pattern EXCERPT = Pattern.compile("(?m)^LINE (\\d+): (.*)\\R( *)\\^");

    private DuckDbMessages() {}

    /**
     * DuckDB's JDBC driver reports a failed statement as "Invalid Input Error: Attempting to execute an unsuccessful or
     * closed pending query result" with the real error after "Error: "; only the real one says anything to the user.
     */
    public static String withoutDriverWrapper(String message) {
        message = withFourByteCharacters(message);
        Matcher wrapped = DRIVER_WRAPPER.matcher(message);
        String unwrapped = wrapped.lookingAt() ? message.substring(wrapped.end()) : message;
        // With no name of the user's close, DuckDB suggests one of its own catalog's ("Did you mean "pg_enum"?"): dropped
        String cleaned = CATALOG_SUGGESTION.matcher(unwrapped).replaceAll("");
        // "... exists in the spatial extension. Please try installing and loading ...: INSTALL spatial; LOAD spatial;": an
        // install needs the network; say what the warehouse has instead (probe pv)
        Matcher extension = EXTENSION_HINT.matcher(cleaned);
        if (!extension.find()) {
            return cleaned;
        }
        return cleaned.substring(0, extension.start()) + "; the warehouse does not download DuckDB extensions (this function is in"
                + " DuckDB's " + extension.group(1) + " extension)" + (extension.group(1).equals("spatial")
                        ? ". Of BigQuery's GEOGRAPHY functions it has ST_GEOGPOINT and ST_DISTANCE (points)" : "")
                + cleaned.substring(extension.end());
    }

    private static final Pattern CATALOG_SUGGESTION = Pattern.compile(
            " ?Did you mean \"(?:main\\.|pg_catalog\\.|information_schema\\.)?(?:pg_|duckdb_|sqlite_|information_schema\\b)[^\"]*\"\\?");

    private static final Pattern EXTENSION_HINT = Pattern.compile(
            ", but it exists in the (\\w+) extension\\.[\\s\\S]*?LOAD \\1;");

    /** The message without DuckDB's "LINE n: ..." excerpt and its caret line. */
    public static String withoutExcerpt(String message) {
        Matcher excerpt = EXCERPT.matcher(message);
        return excerpt.find() ? message.substring(0, excerpt.start()) + message.substring(excerpt.end()) : message;
    }

    /**
     * What went wrong, on one line, for SQL that Lathe built itself (a TRANSFORM's statistics, a column lookup): the
     * driver's wrapper and DuckDB's excerpt of Lathe's SQL left out, the caller saying where instead.
     */
    public static String brief(String message) {
        String text = message == null ? "" : withoutExcerpt(withoutDriverWrapper(message.strip())).strip();
        return abbreviated(String.join(" ", text.split("\\s*\\R\\s*")));
    }

    /** The longest message shown whole; DuckDB quotes whole expressions, and one of Lathe's can hold a 32,000-term dictionary. */
    static final int LONGEST = 2_000;

    /**
     * The message, or where it is longer than {@value #LONGEST} characters its start and end around a note of what was
     * left out: the kind of error leads and the reason ends DuckDB's messages, the middle quotes the SQL.
     */
    public static String abbreviated(String message) {
        if (message.length() <= LONGEST) {
            return message;
        }
        int head = LONGEST * 3 / 5;
        int tail = LONGEST / 5;
        return message.substring(0, head) + " ... (" + (message.length() - head - tail) + " characters left out) ... "
                + message.substring(message.length() - tail);
    }

    /** A character beyond U+FFFF (an emoji) that DuckDB's driver passed as its four UTF-8 bytes, one char each. */
    private static final Pattern FOUR_BYTES = Pattern.compile("[\\u00F0-\\u00F4][\\u0080-\\u00BF]{3}");

    /**
     * {@code message} with each character beyond U+FFFF whole again: the driver builds its exceptions' text through JNI's
     * modified UTF-8, in which a four-byte sequence arrives as four Latin-1 characters, so `t😀` was named "tð" plus three
     * C1 controls (probe th F10). Such a run (a letter U+00F0-U+00F4 and three C1 controls) is not text anyone writes.
     */
    static String withFourByteCharacters(String message) {
        Matcher run = FOUR_BYTES.matcher(message);
        if (!run.find()) {
            return message;
        }
        StringBuilder repaired = new StringBuilder();
        do {
            String bytes = run.group();
            String decoded = new String(bytes.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), java.nio.charset.StandardCharsets.UTF_8);
            run.appendReplacement(repaired, Matcher.quoteReplacement(decoded.codePointCount(0, decoded.length()) == 1
                    && Character.isSupplementaryCodePoint(decoded.codePointAt(0)) ? decoded : bytes));
        } while (run.find());
        return run.appendTail(repaired).toString();
    }
}
