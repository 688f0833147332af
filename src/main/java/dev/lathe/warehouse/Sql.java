package dev.lathe.warehouse;

import dev.lathe.core.DuckDbMessages;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small helpers for SQL text and DuckDB errors. */
public final class Sql {
    /** INT64's range as BigQuery's overflow errors and Lathe's name it ("INT64's range [-9223372036854775808, 9223372036854775807]"). */
    public static final String INT64_RANGE = "INT64's range [" + Long.MIN_VALUE + ", " + Long.MAX_VALUE + "]";

    private Sql() {}

    /** A double-quoted DuckDB identifier. */
    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    /**
     * {@code base}, or {@code base_2}, {@code base_3}, ... : the first that none of {@code taken} spells, in any case (DuckDB
     * identifiers ignore case). For a column Lathe adds beside {@code *} of a user's relation, which must neither hide
     * nor be hidden by a user column of the same name (probe ub F3c).
     */
    public static String unusedName(String base, java.util.Collection<String> taken) {
        java.util.Set<String> lower = new java.util.HashSet<>();
        taken.forEach(name -> lower.add(name.toLowerCase(java.util.Locale.ROOT)));
        String name = base;
        for (int n = 2; lower.contains(name.toLowerCase(java.util.Locale.ROOT)); n++) {
            name = base + "_" + n;
        }
        return name;
    }

    /** {@code "dataset"."name"}. */
    public static String qualified(String dataset, String name) {
        return quote(dataset) + "." + quote(name);
    }

    /** {@code SELECT * FROM "table"}: relations are passed around as query texts, each wrapped where used. */
    public static String selectAll(String table) {
        return "SELECT * FROM " + quote(table);
    }

    /** A single-quoted SQL string literal. */
    public static String literal(String value) {
        if (value == null) {
            return "NULL";
        }
        String quoted = "'" + value.replace("'", "''") + "'";
        // DuckDB's SQL text ends at a NUL: a value holding one was cut there, its literal left unterminated (a parser error
        // quoting Lathe's SQL for a 17-instance prediction whose 1-16-instance form, bound, was answered: probe ub F4)
        return value.indexOf('\0') < 0 ? quoted : "(" + quoted.replace("\0", "' || chr(0) || '") + ")";
    }

    /**
     * A DOUBLE literal that DuckDB reads back bit for bit, NaN and infinities included: cast from its shortest text, since a
     * bare 0.0036446298831652236 is read as a DECIMAL and loses its last digit on the way to DOUBLE.
     */
    public static String literal(double value) {
        return "CAST('" + value + "' AS DOUBLE)";
    }

    /** Runs a statement that returns no rows. */
    public static void execute(Connection connection, String sql) {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw error(e, sql);
        }
    }

    /** Maps a DuckDB failure to a user-facing error: DuckDB's own message says what and where. */
    public static LatheException error(SQLException e, String sql) {
        return error(e, sql, offset -> QUERY_TEXTS.locate(sql, offset));
    }

    /**
     * User queries in flight whose text Lathe wraps in SQL of its own (a training query read with its split's row hash, an
     * ML function's argument): a failure DuckDB finds only while running the wrapper (a conversion error) is placed
     * where the user wrote it, as binding errors are. Registered for the statement's duration.
     */
    public static final QueryTexts QUERY_TEXTS = new QueryTexts();

    /** Texts of queries being run, each with the way from an offset in it to the user's "line L, column C". */
    public static final class QueryTexts {
        private final java.util.concurrent.ConcurrentHashMap<String, java.util.function.IntFunction<Optional<String>>> texts =
                new java.util.concurrent.ConcurrentHashMap<>();

        private QueryTexts() {}

        /** Registers {@code text}; the returned action removes it again. */
        public Runnable register(String text, java.util.function.IntFunction<Optional<String>> locate) {
            texts.put(text, locate);
            return () -> texts.remove(text, locate);
        }

        /** Where the user's query that {@code sql} runs starts, if {@code sql} holds a registered text. */
        Optional<String> start(String sql) {
            for (var entry : texts.entrySet()) {
                if (sql.contains(entry.getKey())) {
                    return entry.getValue().apply(0);
                }
            }
            return Optional.empty();
        }

        /** Where the user wrote the character at {@code offset} of {@code sql}, if it falls in a registered text. */
        Optional<String> locate(String sql, int offset) {
            for (var entry : texts.entrySet()) {
                int at = sql.indexOf(entry.getKey());
                if (at >= 0 && offset >= at && offset < at + entry.getKey().length()) {
                    return entry.getValue().apply(offset - at);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * As {@link #error(SQLException, String)}; where DuckDB names the character of {@code sql} it failed at ("LINE n:"
     * with a caret under it), {@code locate} may turn that offset into the place the user wrote it ("line 4, column 8"),
     * which then replaces DuckDB's excerpt of {@code sql}: the text DuckDB ran is not always the text the user wrote.
     */
    public static LatheException error(SQLException e, String sql, IntFunction<Optional<String>> locate) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage().strip();
        String lower = message.toLowerCase(Locale.ROOT);
        ErrorCode code = ErrorCode.SQL_ERROR;
        boolean catalog = lower.contains("catalog error");
        if (catalog && lower.contains("does not exist") && lower.contains("function with name")) {
            code = ErrorCode.FUNCTION_NOT_FOUND;
        } else if (catalog && lower.contains("does not exist")
                && (lower.contains("table") || lower.contains("view with name") || lower.contains("schema with name"))) {
            // a schema is a dataset: exit 3 as Lathe's own "Dataset 'x' not found", no longer 2 (probe th F8)
            code = ErrorCode.TABLE_NOT_FOUND;
        } else if (catalog && lower.contains("already exists")) {
            code = ErrorCode.ALREADY_EXISTS; // CREATE TABLE or SCHEMA of a name taken: exit 4, as an existing model (BigQuery's 409)
        } else if (dev.lathe.core.DiskFull.is(lower)) {
            code = ErrorCode.RESOURCE_EXHAUSTED; // a full disk (exit 5), not the statement's fault (it was exit 2: probe pu)
        } else if (lower.startsWith("out of memory error") || lower.contains("out of memory error:")) {
            code = ErrorCode.RESOURCE_EXHAUSTED; // past memory_limit (exit 5, as cli.md says), not bad input (exit 2: probe qa)
        }
        message = DuckDbMessages.withoutDriverWrapper(message);
        OptionalInt offset = errorOffset(message, sql);
        if (offset.isEmpty() && lower.contains("syntax error at end of input") && !sql.isBlank()) {
            offset = OptionalInt.of(sql.stripTrailing().length() - 1); // DuckDB names no character: the statement's last
        }
        Optional<String> where = offset.isPresent() ? locate.apply(offset.getAsInt()) : Optional.empty();
        if (where.isPresent()) {
            message = DuckDbMessages.brief(message) + " (at " + where.get() + ")";
        } else if (offset.isEmpty()) {
            // DuckDB named no character (a value that fails while rows stream): name the user's query it ran in, if any.
            Optional<String> start = QUERY_TEXTS.start(sql);
            if (start.isPresent()) {
                message = DuckDbMessages.brief(message) + " (in the query at " + start.get() + ")";
            }
        }
        // which disk, how much is left and what to do, which DuckDB does not say (probe ta F6)
        String advice = dev.lathe.core.DiskFull.is(lower) ? dev.lathe.core.DiskFull.advice(String.valueOf(e.getMessage())) : "";
        if (lower.contains("map_extract_value(map(k, v), k)") && sql.contains("typeof(") && sql.contains("LIKE '%]'")) {
            // a bare subscript is BigQuery's array subscript, read by the value's type; a DuckDB MAP looked up with a key that is
            // neither a string literal nor an integer cannot take the array's branch (probe uc F2)
            advice = "; a MAP looked up with a key that is not a quoted string or an integer: write map_extract_value(map, key)"
                    + " (a bare m[k] is read as BigQuery's array subscript, see docs/sql.md)";
        }
        if (WIDE_INTEGER_OUT_OF_RANGE.matcher(message).find()) {
            // a 128-bit SUM of INT64 written into an INT64 column (INSERT ... SELECT SUM(x)): BigQuery's own SUM fails first
            advice = "; int64 overflow: the value is beyond " + INT64_RANGE + " (DuckDB"
                    + " computes integer sums in 128 bits). CAST it AS FLOAT64 or NUMERIC (e.g. SUM(CAST(x AS NUMERIC))), in a"
                    + " column of that type, to keep a larger total";
        }
        if (lower.contains("max expression depth limit of")) {
            // DuckDB's advice, SET max_expression_depth, ended the process with a segmentation fault at 1,100 levels (its native
            // stack overflowed): say what to do instead
            message = message.replaceFirst("\\s*Use \"SET max_expression_depth TO x\" to increase the maximum expression depth\\.?", "")
                    .replaceFirst("\\.$", "");
            advice = "; an expression nests deeper than that (calls, operators and parentheses inside one another): write it with"
                    + " fewer levels, e.g. a long chain of operators grouped in balanced parentheses, ((a + b) + (c + d)). Lathe holds"
                    + " max_expression_depth at " + Warehouse.MAX_EXPRESSION_DEPTH + ": a deeper expression overflowed the stack of the"
                    + " thread DuckDB binds it on and ended the process";
        }
        return new LatheException(code, DuckDbMessages.abbreviated(message) + advice, e);
    }

    /** DuckDB's failure to fit a HUGEINT, UHUGEINT or UBIGINT value into a BIGINT (INT64) column. */
    private static final Pattern WIDE_INTEGER_OUT_OF_RANGE = Pattern.compile("Type (?:U?INT128|UINT64) with value -?\\d+ can't be cast"
            + " because the value is out of range for the destination type INT64");

    /**
     * The offset in {@code sql} of the character DuckDB's message points at: its "LINE n: excerpt" line and the caret
     * under it. A long line's excerpt is a window marked with "..." at either end, found again in the line itself.
     */
    static OptionalInt errorOffset(String message, String sql) {
        Matcher excerpt = DuckDbMessages.EXCERPT.matcher(message);
        if (!excerpt.find()) {
            return OptionalInt.empty();
        }
        int lineNumber = Integer.parseInt(excerpt.group(1));
        String shown = excerpt.group(2);
        int caret = excerpt.group(3).length() - ("LINE " + excerpt.group(1) + ": ").length();
        if (lineNumber < 1 || caret < 0) {
            return OptionalInt.empty();
        }
        Matcher breaks = LINE_BREAK.matcher(sql);
        int start = 0;
        for (int l = 1; l < lineNumber; l++) {
            if (!breaks.find()) {
                return OptionalInt.empty();
            }
            start = breaks.end();
        }
        String line = sql.substring(start, breaks.find() ? breaks.start() : sql.length());
        // the caret counts display columns: a wide (CJK) character takes two, a tab none
        caret = charIndex(shown, caret);
        int column = caret;
        if (shown.startsWith("...")) {
            String window = shown.substring(3);
            if (window.endsWith("...")) {
                window = window.substring(0, window.length() - 3);
            }
            int at = line.indexOf(window);
            if (at < 0 || caret < 3) {
                return OptionalInt.empty();
            }
            column = at + caret - 3;
        }
        if (column > line.length()) {
            return OptionalInt.empty();
        }
        return OptionalInt.of(start + column);
    }

    /**
     * The index in {@code shown} of the character at display column {@code column}, as DuckDB draws its excerpt: a wide
     * (East Asian) character two columns, a tab none (so the caret after tabs stands where they begin: it points past them).
     */
    static int charIndex(String shown, int column) {
        int width = 0;
        int i = 0;
        while (i < shown.length() && width < column) {
            int codePoint = shown.codePointAt(i);
            width += Math.max(0, org.jline.utils.WCWidth.wcwidth(codePoint));
            i += Character.charCount(codePoint);
        }
        while (i < shown.length() && org.jline.utils.WCWidth.wcwidth(shown.codePointAt(i)) <= 0) {
            i += Character.charCount(shown.codePointAt(i));
        }
        return i;
    }

    private static final Pattern LINE_BREAK = Pattern.compile("\\R");

    /**
     * A TIMETZ as DuckDB writes it: the time as {@link #timeText(java.time.LocalTime)}, then the offset, +02 or -05:30
     * (OffsetTime's own text, 10:00+02:00, dropped the seconds: probe th F12).
     */
    public static String timeText(java.time.OffsetTime time) {
        int seconds = time.getOffset().getTotalSeconds();
        int minutes = Math.abs(seconds) / 60;
        String offset = (seconds < 0 ? "-" : "+") + String.format("%02d", minutes / 60);
        return timeText(time.toLocalTime()) + (minutes % 60 == 0 ? offset : offset + String.format(":%02d", minutes % 60));
    }

    /** A time of day as DuckDB's CAST(time AS VARCHAR) writes it: seconds always, a fraction when it has one (11:00:00.5). */
    public static String timeText(java.time.LocalTime time) {
        String base = String.format("%02d:%02d:%02d", time.getHour(), time.getMinute(), time.getSecond());
        int micros = time.getNano() / 1000;
        return micros == 0 ? base : base + ("." + String.format("%06d", micros)).replaceFirst("0+$", "");
    }
}
