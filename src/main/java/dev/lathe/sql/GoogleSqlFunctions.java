package dev.lathe.sql;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * BigQuery (GoogleSQL) functions that DuckDB lacks or spells differently, as DuckDB text with BigQuery's meaning, so that
 * a feature query written for BigQuery ML trains here unchanged. Only forms whose meaning is certain are rewritten; any
 * other call (a DuckDB spelling such as {@code date_diff('day', a, b)}, a date part whose week starts differ) is left as
 * written, for DuckDB to run or refuse.
 */
public final class GoogleSqlFunctions {
    /** Date parts whose boundaries DuckDB counts as BigQuery does (WEEK starts on Sunday in BigQuery, Monday in DuckDB). */
    private static final Set<String> DATE_PARTS = Set.of("DAY", "MONTH", "QUARTER", "YEAR");
    /** Timestamp parts of TIMESTAMP_DIFF, whole intervals between the two instants. */
    private static final Set<String> TIME_PARTS = Set.of("MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY");
    /** Every date part BigQuery names; a third argument that is none of them is a column (DuckDB's date_diff('day', a, b)). */
    private static final Set<String> ALL_PARTS = Set.of("MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "DAYOFWEEK",
            "DAYOFYEAR", "WEEK", "ISOWEEK", "MONTH", "QUARTER", "YEAR", "ISOYEAR", "DATE", "TIME", "DATETIME");
    /** The names {@link #rewrite} may change. */
    static final Set<String> NAMES = Set.of("SAFE_DIVIDE", "DIV", "REGEXP_CONTAINS", "LOGICAL_AND", "LOGICAL_OR", "DATE_DIFF",
            "TIMESTAMP_DIFF", "FORMAT_DATE", "FORMAT_DATETIME", "FORMAT_TIMESTAMP", "PARSE_DATE", "PARSE_DATETIME", "PARSE_TIMESTAMP",
            "TIMESTAMP_SECONDS", "TIMESTAMP_MILLIS", "TIMESTAMP_MICROS", "UNIX_SECONDS", "UNIX_MILLIS", "UNIX_MICROS",
            "APPROX_QUANTILES", "APPROX_TOP_COUNT", "GENERATE_ARRAY", "GENERATE_DATE_ARRAY", "CURRENT_TIMESTAMP", "RAND", "IEEE_DIVIDE", "TO_JSON_STRING",
            "JSON_EXTRACT_SCALAR", "JSON_VALUE", "JSON_QUERY", "JSON_EXTRACT", "PARSE_JSON", "ARRAY_SLICE", "SPLIT", "FORMAT", "DATE_ADD", "DATE_SUB", "TIMESTAMP_ADD", "TIMESTAMP_SUB",
            "DATETIME_ADD", "DATETIME_SUB", "DATE_TRUNC", "TIMESTAMP_TRUNC", "DATETIME_TRUNC", "DATETIME_DIFF", "DATE", "TIMESTAMP",
            "DATETIME", "TIME", "CURRENT_DATETIME", "UNIX_DATE", "DATE_FROM_UNIX_DATE", "PERCENTILE_CONT", "PERCENTILE_DISC",
            "GENERATE_UUID", "IS_INF", "IS_NAN", "MD5", "SHA1", "SHA256", "TO_HEX", "FROM_HEX", "RANGE_BUCKET", "LPAD", "RPAD",
            "ARRAY_CONCAT", "ARRAY_TO_STRING", "JSON_TYPE", "LAST_DAY", "CONTAINS_SUBSTR",
            // names both dialects have, with BigQuery's meaning where DuckDB's differs
            "CONCAT", "GREATEST", "LEAST", "LOG", "REGEXP_REPLACE", "REGEXP_EXTRACT", "REGEXP_SUBSTR", "REGEXP_EXTRACT_ALL", "SUBSTR", "SUBSTRING");
    /** Parts TIMESTAMP_TRUNC truncates to as DuckDB's date_trunc does (not WEEK: Sunday against Monday). */
    private static final Set<String> TRUNC_PARTS = Set.of("MICROSECOND", "MILLISECOND", "SECOND", "MINUTE", "HOUR", "DAY", "MONTH",
            "QUARTER", "YEAR");

    private GoogleSqlFunctions() {}

    /**
     * The BigQuery function nearest {@code name} among those Lathe gives BigQuery's meaning, for "did you mean" when
     * DuckDB knows no function of that name (DuckDB's own hint searches its catalog: SAFE_DIVDE suggested fdiv).
     */
    public static Optional<String> nearestBigQueryFunction(String name) {
        return dev.lathe.core.Suggestions.nearest(name.toUpperCase(Locale.ROOT), NAMES);
    }

    /**
     * One call's DuckDB text, or empty to leave it as written.
     *
     * @param name the function's name, upper case
     * @param arguments each argument's DuckDB text
     * @param words each argument's single identifier (a date part such as DAY), upper case; empty where it is more
     */
    static Optional<String> rewrite(String name, List<String> written, List<Optional<String>> words) {
        List<String> arguments = coerceLiterals(name, written);
        int count = arguments.size();
        String a = count > 0 ? arguments.get(0) : "";
        String b = count > 1 ? arguments.get(1) : "";
        String text = switch (name) {
            // BigQuery's a / b fails on 0 and SAFE_DIVIDE gives NULL; DuckDB's a / b gives Infinity.
            case "SAFE_DIVIDE" -> count == 2 ? "(CASE WHEN (" + b + ") = 0 THEN NULL ELSE (" + a + ") / (" + b + ") END)" : null;
            case "DIV" -> count == 2 ? "((" + a + ") // (" + b + "))" : null; // both truncate towards zero
            case "REGEXP_CONTAINS" -> count == 2 ? "regexp_matches(" + a + ", " + b + ")" : null;
            case "LOGICAL_AND" -> count == 1 ? "bool_and(" + a + ")" : null;
            case "LOGICAL_OR" -> count == 1 ? "bool_or(" + a + ")" : null;
            // DATE_DIFF(end, start, part) counts part boundaries, as DuckDB's date_diff('part', start, end) does.
            case "DATE_DIFF" -> count == 3 && part(words.get(2), DATE_PARTS) ? "date_diff('" + lower(words.get(2)) + "', " + b + ", " + a + ")"
                    : count == 3 ? weekDiff(a, b, words.get(2), true) : null;
            // TIMESTAMP_DIFF(end, start, part) counts whole intervals, as DuckDB's date_sub('part', start, end) does.
            case "TIMESTAMP_DIFF" -> count == 3 && part(words.get(2), TIME_PARTS)
                    ? "date_sub('" + lower(words.get(2)) + "', " + b + ", " + a + ")" : null;
            case "FORMAT_DATE", "FORMAT_DATETIME", "FORMAT_TIMESTAMP" -> count == 2 ? formatTime(a, b, null, name.equals("FORMAT_TIMESTAMP"))
                    // FORMAT_TIMESTAMP(f, t, zone): t's wall clock in that zone (probe rf: "format_timestamp does not exist")
                    : count == 3 && name.equals("FORMAT_TIMESTAMP") ? formatTime(a, "timezone(" + arguments.get(2) + ", CAST(" + b
                            + " AS TIMESTAMPTZ))", "date_diff('minute', CAST(CAST(" + b + " AS TIMESTAMPTZ) AS TIMESTAMP), timezone("
                            + arguments.get(2) + ", CAST(" + b + " AS TIMESTAMPTZ)))", false) : null;
            case "PARSE_DATE" -> count == 2 ? "CAST(" + parseTime(a, b) + " AS DATE)" : null;
            case "PARSE_DATETIME" -> count == 2 ? parseTime(a, b) : null;
            // PARSE_TIMESTAMP(f, s, zone): the text read as that zone's wall clock, unless it has its own offset (%z)
            case "PARSE_TIMESTAMP" -> {
                String parsed = parseTime(a, b);
                yield count == 2 || count == 3 && (parsed.contains("%z") || parsed.startsWith("make_timestamptz")) ? parsed
                        : count == 3 ? "timezone(" + arguments.get(2) + ", " + parsed + ")" : null;
            }
            case "TIMESTAMP_SECONDS" -> count == 1 ? "make_timestamptz(CAST((" + a + ") AS BIGINT) * 1000000)" : null;
            case "TIMESTAMP_MILLIS" -> count == 1 ? "make_timestamptz(CAST((" + a + ") AS BIGINT) * 1000)" : null;
            case "TIMESTAMP_MICROS" -> count == 1 ? "make_timestamptz(CAST((" + a + ") AS BIGINT))" : null;
            case "UNIX_SECONDS" -> count == 1 ? "CAST(floor(epoch(" + a + ")) AS BIGINT)" : null;
            // rounded down to the millisecond, as BigQuery's (epoch_ms truncates towards 1970: 1969-12-31 23:59:59.9995 gave 0, not -1)
            case "UNIX_MILLIS" -> count == 1 ? "epoch_ms(date_trunc('millisecond', " + a + "))" : null;
            case "UNIX_MICROS" -> count == 1 ? "epoch_us(" + a + ")" : null;
            // APPROX_QUANTILES(x, n): the minimum, the n - 1 quantiles between and the maximum, each a value of the input, as
            // BigQuery's are (DuckDB's approx_quantile, a t-digest, interpolated: penguins' quartiles 3552, 4030, 4770, no
            // penguin's mass; probe pv). Exact order statistics: the same values BigQuery gives wherever its sketch is exact.
            case "APPROX_QUANTILES" -> count == 2 && b.strip().matches("[1-9][0-9]{0,3}") ? "quantile_disc(" + a + ", ["
                    + quantiles(Integer.parseInt(b.strip())) + "])" : null;
            // APPROX_TOP_COUNT(x, n): the n most frequent values with their counts, NULL counted as a value (BigQuery's NULL
            // handling), most frequent first; exact counts (DuckDB's approx_top_k gives no counts)
            case "APPROX_TOP_COUNT" -> count == 2 && b.strip().matches("[1-9][0-9]{0,5}") ? "list_transform(list_slice(list_reverse_sort("
                    + "list_concat(list_transform(map_entries(histogram(" + a + ")), e -> {'c': CAST(e.value AS BIGINT), 'v': e.key}),"
                    + " CASE WHEN count(*) > count(" + a + ") THEN [{'c': count(*) - count(" + a + "), 'v': first(" + a + ") FILTER (WHERE ("
                    + a + ") IS NULL)}] ELSE [] END)), 1, " + b.strip() + "), e -> {'value': e.v, 'count': e.c})" : null;
            // GENERATE_ARRAY(start, end[, step]): start + i * step up to end inclusive (empty when step points away from it),
            // integers for integers; no rounding error accumulates, and the count tolerates (0.9 - 0.1) / 0.4 = 1.9999999999999998.
            case "GENERATE_ARRAY" -> count == 2 || count == 3 ? generateArray(a, b, count == 3 ? arguments.get(2) : "1") : null;
            case "GENERATE_DATE_ARRAY" -> count == 2 || count == 3 ? "CAST(generate_series(CAST(" + a + " AS DATE), CAST(" + b
                    + " AS DATE), " + (count == 3 ? arguments.get(2) : "INTERVAL 1 DAY") + ") AS DATE[])" : null;
            case "CURRENT_TIMESTAMP" -> count == 0 ? "current_timestamp" : null;
            case "RAND" -> count == 0 ? "random()" : null;
            case "IEEE_DIVIDE" -> count == 2 ? "(CAST(" + a + " AS DOUBLE) / CAST(" + b + " AS DOUBLE))" : null; // Infinity, NaN
            case "TO_JSON_STRING" -> count == 1 ? "CAST(to_json(" + a + ") AS VARCHAR)" : null;
            // NULL for an object or array, as BigQuery's JSON_EXTRACT_SCALAR; DuckDB's json_extract_string gives their text.
            // JSON_VALUE is its successor (path '$' by default); DuckDB's json_value gives JSON text, quotes and all.
            case "JSON_EXTRACT_SCALAR", "JSON_VALUE" -> count == 2 || count == 1 && name.equals("JSON_VALUE")
                    ? jsonScalar(a, count == 2 ? b : "'$'") : null;
            // BigQuery's offsets count from 0 and both ends are included; a negative one counts back from the end (-1: the
            // last), as DuckDB's list_slice does, whose positive positions count from 1.
            case "ARRAY_SLICE" -> count == 3 ? "list_slice(" + a + ", " + position(b) + ", " + position(arguments.get(2)) + ")" : null;
            // BigQuery's JSON type names; DuckDB's json_type names its storage (UBIGINT, DOUBLE, VARCHAR, ...)
            case "JSON_TYPE" -> count == 1 ? "(CASE upper(json_type(" + a + ")) WHEN 'OBJECT' THEN 'object' WHEN 'ARRAY' THEN 'array'"
                    + " WHEN 'VARCHAR' THEN 'string' WHEN 'BOOLEAN' THEN 'boolean' WHEN 'NULL' THEN 'null' WHEN 'UBIGINT' THEN 'number'"
                    + " WHEN 'BIGINT' THEN 'number' WHEN 'DOUBLE' THEN 'number' WHEN 'HUGEINT' THEN 'number' END)" : null;
            // JSON for a JSON value, STRING for a STRING one, as BigQuery's (probe: JSON_QUERY(JSON '{"a":[10,20]}', '$.a')[0] was
            // a STRING's subscript, empty). The CASE never takes its first branch: it gives the result the value's type, since
            // DuckDB's VARCHAR and a JSON column unify to JSON, a STRING and VARCHAR to VARCHAR. JSON_EXTRACT is the older name;
            // DuckDB's own json_extract(j, ['$.a', '$.b']) with a list of paths is left as written.
            case "PARSE_JSON" -> count == 1 ? "CAST(" + a + " AS JSON)" : null; // JSON text as a JSON value (DuckDB has no parse_json)
            case "JSON_QUERY", "JSON_EXTRACT" -> count == 2 && !b.strip().startsWith("[") ? "(CASE WHEN FALSE THEN " + a
                    + " ELSE CAST(json_extract(" + a + ", " + b + ") AS VARCHAR) END)" : null;
            case "SPLIT" -> count == 1 ? "string_split(" + a + ", ',')" : null; // BigQuery's default delimiter
            // BigQuery's FORMAT is printf-style; DuckDB's format takes {} and would print a '%d' as it is.
            case "FORMAT" -> count >= 1 && a.startsWith("'") && a.endsWith("'") && a.contains("%") && !a.contains("{")
                    ? "printf(" + String.join(", ", formatArguments(a, arguments)) + ")" : null;
            case "DATE_ADD" -> count == 2 && interval(b) ? "CAST((" + a + ") + (" + b + ") AS DATE)" : null; // DuckDB's is a TIMESTAMP
            case "DATE_SUB" -> count == 2 && interval(b) ? "CAST((" + a + ") - (" + b + ") AS DATE)" : null;
            case "TIMESTAMP_ADD", "DATETIME_ADD" -> count == 2 && interval(b) ? "((" + a + ") + (" + b + "))" : null;
            case "TIMESTAMP_SUB", "DATETIME_SUB" -> count == 2 && interval(b) ? "((" + a + ") - (" + b + "))" : null;
            case "DATETIME_DIFF" -> count == 3 && part(words.get(2), TRUNC_PARTS) // part boundaries crossed, as DATE_DIFF
                    ? "date_diff('" + lower(words.get(2)) + "', " + b + ", " + a + ")" : count == 3 ? weekDiff(a, b, words.get(2), false) : null;
            case "DATE" -> count == 3 ? "make_date(" + String.join(", ", arguments) + ")"
                    : count == 2 ? "CAST(timezone(" + b + ", CAST(" + a + " AS TIMESTAMPTZ)) AS DATE)" // the instant's date there
                    : null; // one argument: DuckDB's date(x) is BigQuery's DATE(x)
            case "TIMESTAMP" -> count == 1 ? "CAST(" + a + " AS TIMESTAMPTZ)"
                    : count == 2 ? "timezone(" + b + ", CAST(" + a + " AS TIMESTAMP))" : null; // the text read in that zone
            case "DATETIME" -> count == 6 ? "make_timestamp(" + String.join(", ", arguments) + ")"
                    : count == 1 ? "CAST(" + a + " AS TIMESTAMP)"
                    : count == 2 && stringLiteral(b) ? "timezone(" + b + ", CAST(" + a + " AS TIMESTAMPTZ))" // a TIMESTAMP's wall clock there
                    : count == 2 ? "(CAST(" + a + " AS DATE) + CAST(" + b + " AS TIME))" : null;
            case "TIME" -> count == 3 ? "make_time(" + a + ", " + b + ", " + arguments.get(2) + ")"
                    : count == 1 ? "CAST(" + a + " AS TIME)" : null;
            case "CURRENT_DATETIME" -> count == 0 ? "CAST(current_timestamp AS TIMESTAMP)" : null; // the session's zone is UTC
            case "UNIX_DATE" -> count == 1 ? "(CAST(" + a + " AS DATE) - DATE '1970-01-01')" : null;
            case "DATE_FROM_UNIX_DATE" -> count == 1 ? "(DATE '1970-01-01' + CAST(" + a + " AS INTEGER))" : null;
            case "PERCENTILE_CONT" -> count == 2 ? "quantile_cont(" + a + ", " + b + ")" : null; // BigQuery's is analytic: OVER (...) follows
            case "PERCENTILE_DISC" -> count == 2 ? "quantile_disc(" + a + ", " + b + ")" : null;
            case "IS_INF" -> count == 1 ? "isinf(" + a + ")" : null;
            case "IS_NAN" -> count == 1 ? "isnan(" + a + ")" : null;
            case "GENERATE_UUID" -> count == 0 ? "CAST(uuid() AS VARCHAR)" : null;
            case "MD5", "SHA1", "SHA256" -> count == 1 ? "unhex(" + name.toLowerCase(Locale.ROOT) + "(" + a + "))" : null; // BYTES, not hex text
            case "TO_HEX" -> count == 1 ? "lower(hex(" + a + "))" : null;
            case "FROM_HEX" -> count == 1 ? "unhex(" + a + ")" : null;
            case "RANGE_BUCKET" -> count == 2 ? "(CASE WHEN (" + a + ") IS NULL THEN NULL ELSE len(list_filter(" + b
                    + ", lambda lathe_e: lathe_e <= (" + a + "))) END)" : null; // how many of the sorted bounds are <= the point
            // NULL when any array is NULL, as BigQuery's (DuckDB's array_concat takes a NULL as empty; its || does not)
            case "ARRAY_CONCAT" -> count >= 1 ? arguments.stream().map(x -> "(" + x + ")").collect(Collectors.joining(" || ", "(", ")"))
                    : null;
            // ARRAY_TO_STRING(a, delimiter, null_text): a NULL element as null_text (without it, DuckDB skips it as BigQuery does)
            case "ARRAY_TO_STRING" -> count == 3 ? "array_to_string(list_transform(" + a + ", lambda lathe_e: coalesce(lathe_e, "
                    + arguments.get(2) + ")), " + b + ")" : null;
            case "LPAD", "RPAD" -> count == 2 ? name.toLowerCase(Locale.ROOT) + "(" + a + ", " + b + ", ' ')" : null;
            case "CONCAT" -> count >= 2 ? arguments.stream().map(x -> "(" + x + ")").collect(Collectors.joining(" || ", "(", ")"))
                    : null; // NULL when any argument is NULL (DuckDB's concat skips them; its || does not)
            case "GREATEST", "LEAST" -> count >= 2 ? "list_reduce([" + String.join(", ", arguments) + "], lambda lathe_x, lathe_y:"
                    + " CASE WHEN lathe_x IS NULL OR lathe_y IS NULL THEN NULL ELSE " + name.toLowerCase(Locale.ROOT)
                    + "(lathe_x, lathe_y) END)" : null; // NULL when any argument is NULL (DuckDB's skip NULLs)
            // SUBSTR(s, pos, len): a position 0, or a negative one before the start, starts at 1 (DuckDB's counts the missing
            // characters against len: SUBSTR('hello', -10, 3) gave '', BigQuery's 'hel'; probe rf)
            // A negative length is BigQuery's error (DuckDB's counts back: SUBSTR('hello', 2, -1) gave 'h').
            case "SUBSTR", "SUBSTRING" -> count == 3 ? "substr(" + a + ", CASE WHEN (" + b + ") = 0 OR (" + b + ") < -length(" + a
                    + ") THEN 1 ELSE (" + b + ") END, CASE WHEN (" + arguments.get(2) + ") < 0 THEN error('" + name
                    + ": the length must not be negative') ELSE (" + arguments.get(2) + ") END)" : null;
            case "LOG" -> count == 1 ? "ln(" + a + ")" : count == 2 ? "log(" + b + ", " + a + ")" : null; // LOG(x) is LN; LOG(x, base)
            case "REGEXP_REPLACE" -> count == 3 ? "regexp_replace(" + a + ", " + b + ", " + arguments.get(2) + ", 'g')" : null; // every match
            case "REGEXP_EXTRACT", "REGEXP_SUBSTR" -> { // the first match's group (or the match); NULL for none
                int groups = captureGroups(b);
                // (s, r, position[, occurrence]): the search starts at the 1-based position and takes that match, as BigQuery's
                // (and its alias REGEXP_SUBSTR); DuckDB's third argument is a group (probe rf: ('a1b2c3', r'\d', 3) gave '')
                yield groups > 1 || count < 2 || count > 4 ? null : count == 2
                        ? "list_extract(regexp_extract_all(" + a + ", " + b + ", " + groups + "), 1)"
                        : regexpAt(a, b, groups, arguments.get(2), count == 4 ? arguments.get(3) : "1", name);
            }
            case "REGEXP_EXTRACT_ALL" -> count == 2 && captureGroups(b) == 1 ? "regexp_extract_all(" + a + ", " + b + ", 1)" : null;
            case "DATE_TRUNC" -> count == 2 && part(words.get(1), DATE_PARTS)
                    ? "CAST(date_trunc('" + lower(words.get(1)) + "', " + a + ") AS DATE)" : count == 2 ? weekTrunc(a, words.get(1), true) : null;
            case "LAST_DAY" -> count == 2 ? lastDay(a, words.get(1)) : null;
            case "CONTAINS_SUBSTR" -> containsSubstr(arguments); // DuckDB's last_day takes no part: the month's
            case "TIMESTAMP_TRUNC", "DATETIME_TRUNC" -> count == 2 ? timeTrunc(a, words.get(1))
                    // TIMESTAMP_TRUNC(t, DAY, zone): the boundary of that zone's day, as an instant (probe rf: "does not exist")
                    : count == 3 && name.equals("TIMESTAMP_TRUNC") && timeTrunc(a, words.get(1)) != null ? "timezone(" + arguments.get(2)
                            + ", " + timeTrunc("timezone(" + arguments.get(2) + ", CAST(" + a + " AS TIMESTAMPTZ))", words.get(1)) + ")" : null;
            default -> null;
        };
        return Optional.ofNullable(text);
    }

    /**
     * Why a BigQuery call with a date part is not rewritten, when its part is one Lathe does not translate
     * ({@code DATE_DIFF(a, b, WEEK)}); empty for any other call.
     */
    static Optional<String> unsupportedPart(String name, List<Optional<String>> words) {
        Set<String> parts = switch (name) {
            case "DATE_DIFF", "DATE_TRUNC" -> DATE_AND_WEEK_PARTS;
            case "LAST_DAY" -> LAST_DAY_PARTS;
            case "TIMESTAMP_DIFF" -> TIME_PARTS;
            case "TIMESTAMP_TRUNC", "DATETIME_TRUNC", "DATETIME_DIFF" -> TRUNC_AND_WEEK_PARTS;
            default -> null;
        };
        int at = name.endsWith("_TRUNC") || name.equals("LAST_DAY") ? 1 : 2; // the part's argument
        boolean zoned = name.equals("TIMESTAMP_TRUNC") && words.size() == 3; // TIMESTAMP_TRUNC(t, part, zone)
        if (parts == null || words.size() != at + 1 && !zoned || words.get(at).isEmpty()) {
            return Optional.empty();
        }
        String part = words.get(at).get();
        boolean weekOf = part.startsWith("WEEK(");
        if (weekOf && weekStart(words.get(at)) < 0) {
            return Optional.of("date part " + part + " names no day of the week; WEEK takes one of " + String.join(", ", WEEKDAYS));
        }
        if (!ALL_PARTS.contains(weekOf ? "WEEK" : part) || parts.contains(weekOf ? "WEEK" : part)) {
            return Optional.empty();
        }
        return Optional.of("date part " + part + " is not supported; supported are " + parts.stream().sorted()
                .collect(Collectors.joining(", ")) + (parts.contains("WEEK") ? " (and WEEK(SUNDAY) ... WEEK(SATURDAY))" : ""));
    }

    /**
     * Whether a timestamp's text names a zone or an offset after its time (+05, -08:00, Z, UTC, America/Los_Angeles): the
     * date's own dashes, and a date alone, do not count.
     */
    static boolean hasZone(String timestamp) {
        String text = timestamp.strip();
        int time = Math.max(text.indexOf('T'), text.indexOf(' '));
        if (time < 0) {
            return false;
        }
        String rest = text.substring(time + 1).strip();
        return rest.matches(".*([+-]\\d{1,2}(:?\\d\\d)?|Z|z|\\s*[A-Za-z][A-Za-z_/+-]*)$") && !rest.matches("[0-9:.]*");
    }

    /**
     * BigQuery type names DuckDB lacks or reads otherwise, as the target of a CAST, SAFE_CAST or TRY_CAST (FLOAT64, which
     * the rewriter turns into DOUBLE wherever it stands, is not among them).
     */
    static Optional<String> castType(String upperName) {
        return switch (upperName) {
            case "BYTES" -> Optional.of("BLOB");
            case "NUMERIC" -> Optional.of("DECIMAL(38, 9)"); // DuckDB's NUMERIC is DECIMAL(18, 3): CAST('1.23456' ...) gave 1.235
            // BigQuery's DECIMAL is NUMERIC (DuckDB's DECIMAL also keeps 3 decimals), BIGDECIMAL is BIGNUMERIC, which DuckDB's
            // decimals hold up to 38 digits; neither BIGNUMERIC nor BIGDECIMAL is a DuckDB type (probe rf)
            case "DECIMAL", "BIGNUMERIC", "BIGDECIMAL" -> Optional.of("DECIMAL(38, 9)");
            // BigQuery's INT64 aliases are 64 bits; DuckDB's INT and INTEGER are 32, SMALLINT 16, TINYINT 8, BYTEINT none
            case "INT", "INTEGER", "SMALLINT", "TINYINT", "BYTEINT" -> Optional.of("BIGINT");
            default -> Optional.empty();
        };
    }

    /**
     * BigQuery's {@code EXTRACT(part FROM x)} where DuckDB reads the part otherwise, as DuckDB text; empty for a part both
     * read alike (YEAR, MONTH, DAY, HOUR, DAYOFYEAR, ...), left as written.
     *
     * @param part the part, upper case
     * @param weekday the day a WEEK(...) part starts its weeks on, upper case, if one was given
     * @param value the DuckDB text of the value
     */
    static Optional<String> extract(String part, Optional<String> weekday, String value) {
        if (weekday.isPresent() && (!part.equals("WEEK") || !WEEKDAYS.contains(weekday.get()))) {
            return Optional.empty(); // not BigQuery's, for DuckDB to refuse
        }
        return Optional.ofNullable(switch (part) {
            case "DAYOFWEEK" -> "(dayofweek(" + value + ") + 1)"; // 1 on Sunday to 7 on Saturday; DuckDB's from 0
            case "WEEK" -> week(weekday.orElse("SUNDAY"), value);
            case "ISOWEEK" -> "week(" + value + ")"; // DuckDB's week is the ISO week
            case "DATE" -> "CAST(" + value + " AS DATE)";
            case "TIME" -> "CAST(" + value + " AS TIME)";
            case "DATETIME" -> "CAST(" + value + " AS TIMESTAMP)";
            // the fraction of the second only; DuckDB's count from the minute (probe rf: 12.345678 s gave 12345, not 345)
            case "MILLISECOND" -> "(millisecond(" + value + ") % 1000)";
            case "MICROSECOND" -> "(microsecond(" + value + ") % 1000000)";
            default -> null;
        });
    }

    private static final List<String> WEEKDAYS = List.of("SUNDAY", "MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY", "SATURDAY");

    /**
     * BigQuery's WEEK(weekday): weeks start on that day and the days before the year's first such day are week 0. Sunday and
     * Monday are strftime's %U and %W; for another day, with j the 0-based day of the year and f the offset of the first such
     * day, (j + 7 - f) / 7.
     */
    private static String week(String weekday, String value) {
        int day = WEEKDAYS.indexOf(weekday);
        if (day <= 1) {
            return "CAST(strftime(" + value + ", '" + (day == 0 ? "%U" : "%W") + "') AS BIGINT)";
        }
        String first = "((" + day + " - dayofweek(date_trunc('year', " + value + ")) + 7) % 7)";
        return "((dayofyear(" + value + ") - 1 + 7 - " + first + ") // 7)";
    }

    private static String jsonScalar(String json, String path) {
        return "(CASE WHEN json_type(" + json + ", " + path + ") IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(" + json + ", "
                + path + ") END)";
    }

    /** A BigQuery array offset (from 0, or negative from the end) as a DuckDB list position (from 1, or negative alike). */
    private static String position(String offset) {
        String text = offset.strip();
        if (text.matches("-?[0-9]{1,9}")) {
            int value = Integer.parseInt(text);
            return Integer.toString(value >= 0 ? value + 1 : value);
        }
        return "(CASE WHEN (" + text + ") >= 0 THEN (" + text + ") + 1 ELSE (" + text + ") END)";
    }

    /**
     * FORMAT's format and arguments for DuckDB's printf. A value under {@code %s} or {@code %t} is printed as its text, as
     * BigQuery's %s prints any type as CAST(x AS STRING) does (printf's %s takes only text: FORMAT('%s', 10) failed,
     * "Invalid type specifier"; probe rf); {@code %T} as a GoogleSQL literal ({@code "a"}, {@code DATE "2024-01-05"},
     * {@code NULL}); the {@code '} flag of {@code %'d} and {@code %'.2f} groups thousands with commas (printf's used
     * apostrophes: 1'234'567). A format that takes a width or precision from an argument ({@code %*d}) is left as written.
     *
     * @param format the format's DuckDB string literal, quotes included ({@code ''} inside for a quote)
     */
    private static List<String> formatArguments(String format, List<String> arguments) {
        List<String> result = new java.util.ArrayList<>(arguments);
        StringBuilder rewritten = new StringBuilder();
        int copied = 0;
        int argument = 1;
        for (int i = format.indexOf('%'); i >= 0 && i + 1 < format.length(); i = format.indexOf('%', i + 1)) {
            int k = i + 1;
            while (k < format.length() && "-+ #0'123456789.*".indexOf(format.charAt(k)) >= 0) {
                if (format.charAt(k) == '*') {
                    return arguments;
                }
                k++;
            }
            if (k >= format.length() || format.charAt(k) == '%') {
                i = k; // %% prints a percent sign and takes no argument
                continue;
            }
            char conversion = format.charAt(k);
            String flags = format.substring(i + 1, k);
            if (argument < result.size()) {
                String value = result.get(argument);
                String text = null; // the value as printed text, for a %s in its place
                if (conversion == 's') {
                    text = "CAST(" + value + " AS VARCHAR)";
                } else if (conversion == 't') { // NULL printed, where another specifier's NULL makes FORMAT NULL
                    text = "coalesce(CAST(" + value + " AS VARCHAR), 'NULL')";
                } else if (conversion == 'T') {
                    text = "(CASE WHEN (" + value + ") IS NULL THEN 'NULL' WHEN typeof(" + value + ") = 'VARCHAR' THEN '\"' || replace(replace("
                            + "CAST(" + value + " AS VARCHAR), '\\', '\\\\'), '\"', '\\\"') || '\"' WHEN typeof(" + value + ") IN ('DATE',"
                            + " 'TIMESTAMP', 'TIME') THEN typeof(" + value + ") || ' \"' || CAST(" + value + " AS VARCHAR) || '\"' ELSE CAST(" + value
                            + " AS VARCHAR) END)";
                } else if (flags.contains("'") && "diu".indexOf(conversion) >= 0) {
                    text = "format('{:,}', CAST(" + value + " AS BIGINT))";
                } else if (flags.contains("'") && "fF".indexOf(conversion) >= 0) {
                    java.util.regex.Matcher precision = PRECISION.matcher(flags);
                    text = "format('{:,." + (precision.find() ? precision.group(1) : "6") + "f}', CAST(" + value + " AS DOUBLE))";
                }
                if (text != null) {
                    result.set(argument, text);
                    // the width and the - flag apply to the text; the precision and the number's own flags do not
                    String width = flags.replaceAll("\\.\\d*", "").replaceAll("[^-0-9]", "").replaceFirst("^(-?)0+", "$1");
                    rewritten.append(format, copied, i).append('%').append(width).append('s');
                    copied = k + 1;
                }
            }
            argument++;
            i = k;
        }
        result.set(0, rewritten.append(format.substring(copied)).toString());
        return result;
    }

    /** A format specifier's precision, {@code .2} of {@code %'.2f}. */
    private static final java.util.regex.Pattern PRECISION = java.util.regex.Pattern.compile("\\.(\\d+)");

    /** BigQuery's seconds with a fraction: {@code %E*S} (all its digits) or {@code %E3S} (that many). */
    private static final java.util.regex.Pattern SECONDS_ELEMENT = java.util.regex.Pattern.compile("E(\\*|[0-9])S");

    /**
     * FORMAT_DATE / _DATETIME / _TIMESTAMP as DuckDB text: strftime, with BigQuery's format elements that strftime lacks
     * (probe rf: "%F ... Unrecognized format for strftime") spelled in its own ({@code %F}, {@code %D}, {@code %R},
     * {@code %E4Y}) or computed beside it ({@code %e}, {@code %E*S}, {@code %E3S}, {@code %Ez}, {@code %z}, {@code %s},
     * {@code %Q}, {@code %C}). A format computed at run time is strftime's.
     *
     * @param offsetMinutes the DuckDB text of the zone's UTC offset in minutes, or null for UTC
     * @param zoneName whether {@code %Z} is UTC's name (FORMAT_TIMESTAMP in its default zone)
     */
    private static String formatTime(String format, String value, String offsetMinutes, boolean zoneName) {
        if (!stringLiteral(format)) {
            return "strftime(" + value + ", " + format + ")";
        }
        String text = format.substring(1, format.length() - 1).replace("''", "'");
        List<String> parts = new java.util.ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != '%' || i + 1 >= text.length()) {
                chunk.append(text.charAt(i));
                continue;
            }
            String rest = text.substring(i + 1);
            java.util.regex.Matcher seconds = SECONDS_ELEMENT.matcher(rest);
            String computed;
            int length = 1; // characters of the element after its %
            if (seconds.lookingAt()) {
                length = 3;
                String digits = seconds.group(1);
                computed = digits.equals("*") ? "strftime(" + value + ", '%S') || rtrim(rtrim('.' || strftime(" + value + ", '%f'), '0'), '.')"
                        : digits.equals("0") ? "strftime(" + value + ", '%S')"
                        : "strftime(" + value + ", '%S.') || " + (Integer.parseInt(digits) <= 6 ? "left(strftime(" + value + ", '%f'), " + digits + ")"
                                : "strftime(" + value + ", '%f') || '" + "0".repeat(Integer.parseInt(digits) - 6) + "'");
            } else if (rest.startsWith("Ez") || rest.startsWith("z")) {
                length = rest.startsWith("Ez") ? 2 : 1;
                String colon = length == 2 ? ":" : "";
                computed = offsetMinutes == null ? "'+00" + colon + "00'" : "(CASE WHEN (" + offsetMinutes + ") < 0 THEN '-' ELSE '+' END"
                        + " || lpad(CAST(abs(" + offsetMinutes + ") // 60 AS VARCHAR), 2, '0') || '" + colon + "' || lpad(CAST(abs("
                        + offsetMinutes + ") % 60 AS VARCHAR), 2, '0'))";
            } else if (rest.startsWith("E4Y")) {
                length = 3;
                computed = null;
                chunk.append("%Y");
            } else {
                computed = switch (rest.charAt(0)) {
                    case 'e' -> "lpad(strftime(" + value + ", '%-d'), 2, ' ')"; // the day, space-padded
                    case 's' -> "CAST(CAST(floor(epoch(" + value + ")) AS BIGINT) AS VARCHAR)";
                    case 'Q' -> "CAST(quarter(" + value + ") AS VARCHAR)";
                    case 'C' -> "lpad(CAST(year(" + value + ") // 100 AS VARCHAR), 2, '0')";
                    case 'c' -> formatTime("'%a %b %e %H:%M:%S %Y'", value, offsetMinutes, false); // Wed Jan  5 21:47:00 2021
                    case 'Z' -> zoneName ? "'UTC'" : null; // FORMAT_TIMESTAMP's default zone, by name

                    default -> null;
                };
                if (computed == null) {
                    chunk.append(switch (rest.charAt(0)) {
                        case 'F' -> "%Y-%m-%d";
                        case 'D' -> "%m/%d/%y";
                        case 'R' -> "%H:%M";
                        case 'x' -> "%m/%d/%y"; // strftime's is the ISO date
                        case 'X', 'T' -> "%H:%M:%S";
                        default -> "%" + rest.charAt(0); // %% and strftime's own
                    });
                }
            }
            if (computed != null) {
                if (!chunk.isEmpty()) {
                    parts.add("strftime(" + value + ", " + quote(chunk.toString()) + ")");
                    chunk.setLength(0);
                }
                parts.add(computed);
            }
            i += length;
        }
        if (parts.isEmpty()) {
            return "strftime(" + value + ", " + quote(chunk.toString()) + ")";
        }
        if (!chunk.isEmpty()) {
            parts.add("strftime(" + value + ", " + quote(chunk.toString()) + ")");
        }
        return "(" + String.join(" || ", parts) + ")";
    }

    /**
     * PARSE_DATE / _DATETIME / _TIMESTAMP's strptime, with BigQuery's format elements that strptime lacks in its own
     * spelling: {@code %F}, {@code %D}, {@code %R}, {@code %e} (the day, with or without its padding), {@code %E4Y},
     * {@code %Ez}, and {@code %E*S} (seconds with or without a fraction: either format of strptime's list).
     */
    private static String parseTime(String format, String text) {
        if (!stringLiteral(format)) {
            return "strptime(" + text + ", " + format + ")";
        }
        String body = format.substring(1, format.length() - 1).replace("''", "'");
        if (body.equals("%s")) { // seconds since 1970, an instant whatever the zone (strptime has no %s)
            return "make_timestamptz(CAST(" + text + " AS BIGINT) * 1000000)";
        }
        List<StringBuilder> formats = new java.util.ArrayList<>(List.of(new StringBuilder()));
        for (int i = 0; i < body.length(); i++) {
            if (body.charAt(i) != '%' || i + 1 >= body.length()) {
                char c = body.charAt(i);
                formats.forEach(f -> f.append(c));
                continue;
            }
            String rest = body.substring(i + 1);
            String element;
            int length = 1;
            if (rest.startsWith("E*S")) {
                List<StringBuilder> plain = formats.stream().map(f -> new StringBuilder(f).append("%S")).toList();
                formats.forEach(f -> f.append("%S.%f"));
                formats.addAll(plain);
                i += 3;
                continue;
            } else if (rest.matches("(?s)E[0-9]S.*")) {
                element = rest.charAt(1) == '0' ? "%S" : "%S.%f";
                length = 3;
            } else if (rest.startsWith("Ez") || rest.startsWith("E4Y")) {
                element = rest.startsWith("Ez") ? "%z" : "%Y";
                length = rest.startsWith("Ez") ? 2 : 3;
            } else {
                element = switch (rest.charAt(0)) {
                    case 'F' -> "%Y-%m-%d";
                    case 'D' -> "%m/%d/%y";
                    case 'R' -> "%H:%M";
                    case 'e' -> "%-d";
                    case 'x' -> "%m/%d/%y";
                    case 'X', 'T' -> "%H:%M:%S";
                    case 'c' -> "%a %b %-d %H:%M:%S %Y";
                    default -> "%" + rest.charAt(0);
                };
            }
            formats.forEach(f -> f.append(element));
            i += length;
        }
        return "strptime(" + text + ", " + (formats.size() == 1 ? quote(formats.get(0).toString())
                : formats.stream().map(f -> quote(f.toString())).collect(Collectors.joining(", ", "[", "]"))) + ")";
    }

    private static String quote(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** Whether an argument's DuckDB text is one string literal ({@code 'a''b'}). */
    /**
     * The arguments with each string literal that stands for a date or time read as one, as BigQuery coerces them
     * ({@code DATE_DIFF('2024-01-05', '2024-01-01', DAY)}; DuckDB could not choose between its DATE, TIMESTAMP and TIME
     * forms): a DATE for DATE_ functions, a TIMESTAMP (wall clock) for DATETIME_ ones, an instant for TIMESTAMP_ and UNIX_.
     */
    private static List<String> coerceLiterals(String name, List<String> arguments) {
        String type = name.startsWith("DATE_") || name.equals("FORMAT_DATE") ? "DATE"
                : name.startsWith("DATETIME_") || name.equals("FORMAT_DATETIME") ? "TIMESTAMP"
                : name.startsWith("TIMESTAMP_") && !name.equals("TIMESTAMP_SECONDS") && !name.equals("TIMESTAMP_MILLIS")
                        && !name.equals("TIMESTAMP_MICROS") || name.equals("FORMAT_TIMESTAMP") || name.startsWith("UNIX_")
                                && !name.equals("UNIX_DATE") ? "TIMESTAMPTZ" : null;
        if (type == null || name.equals("DATE_FROM_UNIX_DATE")) {
            return arguments;
        }
        // the date or time arguments: the first two of a _DIFF, the value after a FORMAT_'s format, else the first
        int from = name.startsWith("FORMAT_") ? 1 : 0;
        int to = name.endsWith("_DIFF") ? 2 : from + 1;
        List<String> result = new java.util.ArrayList<>(arguments);
        for (int i = from; i < Math.min(to, result.size()); i++) {
            if (stringLiteral(result.get(i))) {
                result.set(i, "CAST(" + result.get(i) + " AS " + type + ")");
            }
        }
        return result;
    }

    private static boolean stringLiteral(String argument) {
        return argument.matches("'(?:[^']|'')*'");
    }

    /**
     * How many capturing groups a regular expression given as a string literal has (RE2's syntax: {@code (?:...)} and flags
     * do not capture, {@code (?P<n>...)} does), or a number above 1 when it is not a literal: BigQuery's REGEXP_EXTRACT gives
     * the group where there is one.
     */
    static int captureGroups(String argument) {
        if (!stringLiteral(argument)) {
            return Integer.MAX_VALUE;
        }
        String regex = argument.substring(1, argument.length() - 1).replace("''", "'");
        int groups = 0;
        boolean inClass = false;
        for (int i = 0; i < regex.length(); i++) {
            char c = regex.charAt(i);
            if (c == '\\') {
                i++;
            } else if (inClass) {
                inClass = c != ']';
            } else if (c == '[') {
                inClass = true;
                if (i + 1 < regex.length() && regex.charAt(i + 1) == '^') {
                    i++;
                }
                if (i + 1 < regex.length() && regex.charAt(i + 1) == ']') {
                    i++; // a leading ] is itself a member
                }
            } else if (c == '(') {
                boolean special = i + 1 < regex.length() && regex.charAt(i + 1) == '?';
                if (!special || regex.startsWith("?P<", i + 1) || regex.startsWith("?<", i + 1)) {
                    groups++;
                }
            }
        }
        return groups;
    }

    /**
     * REGEXP_EXTRACT(s, r, position, occurrence) as BigQuery runs it: the occurrence-th match (or its group) in s from the
     * 1-based position on, the search anchored there ({@code ^} matches at it); NULL past the end, an error for a position
     * or an occurrence below 1.
     */
    private static String regexpAt(String text, String regex, int groups, String position, String occurrence, String name) {
        return "(CASE WHEN (" + position + ") < 1 THEN error('" + name + ": the position must be positive')"
                + " WHEN (" + occurrence + ") < 1 THEN error('" + name + ": the occurrence must be positive')"
                + " WHEN (" + position + ") > greatest(length(" + text + "), 1) THEN NULL"
                + " ELSE list_extract(regexp_extract_all(substr(" + text + ", " + position + "), " + regex + ", " + groups + "), "
                + occurrence + ") END)";
    }

    /** Whether an argument's text is an INTERVAL literal ({@code INTERVAL 1 DAY}). */
    private static boolean interval(String argument) {
        return argument.strip().regionMatches(true, 0, "INTERVAL", 0, 8);
    }

    /** Week parts that TRUNC and DIFF functions take besides {@code WEEK(day)}: see {@link #weekTrunc}. */
    private static final Set<String> WEEK_PARTS = Set.of("WEEK", "ISOWEEK", "ISOYEAR");
    private static final Set<String> DATE_AND_WEEK_PARTS = union(DATE_PARTS, WEEK_PARTS);
    private static final Set<String> TRUNC_AND_WEEK_PARTS = union(TRUNC_PARTS, WEEK_PARTS);

    private static Set<String> union(Set<String> a, Set<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }

    /** A DATETIME or TIMESTAMP {@code x} truncated to {@code part}: DuckDB's date_trunc, or a week part's; null for another part. */
    private static String timeTrunc(String x, Optional<String> part) {
        return part(part, TRUNC_PARTS) ? "date_trunc('" + lower(part) + "', " + x + ")" : weekTrunc(x, part, false);
    }

    /**
     * The day a week of the date part {@code word} starts on, as DuckDB's dayofweek numbers it: WEEK is BigQuery's
     * Sunday week, WEEK(MONDAY) ... WEEK(SATURDAY) start on that day, ISOWEEK on Monday; -1 for any other part.
     */
    private static int weekStart(Optional<String> word) {
        if (word.isEmpty()) {
            return -1;
        }
        String part = word.get();
        return part.equals("WEEK") ? 0 : part.equals("ISOWEEK") ? 1 : part.startsWith("WEEK(") && part.endsWith(")")
                ? WEEKDAYS.indexOf(part.substring(5, part.length() - 1)) : -1;
    }

    /**
     * {@code x} truncated to the start of its week (WEEK, WEEK(day), ISOWEEK: that day, on or before x) or of its ISO year
     * (ISOYEAR: the Monday of its first ISO week), as a DATE or, for a DATETIME or TIMESTAMP, its midnight; null for any
     * other part. DuckDB's own weeks start on Monday and it has no ISOYEAR truncation.
     */
    private static String weekTrunc(String x, Optional<String> part, boolean date) {
        if (part.isPresent() && part.get().equals("ISOYEAR")) {
            String start = "date_trunc('week', make_date(CAST(isoyear(" + x + ") AS INTEGER), 1, 4))"; // 4 January is in week 1
            return date ? "CAST(" + start + " AS DATE)" : "CAST(" + start + " AS TIMESTAMP)";
        }
        int start = weekStart(part);
        if (start < 0) {
            return null;
        }
        String back = "CAST((dayofweek(" + x + ") + " + (7 - start) + ") % 7 AS INTEGER)"; // days since the week's first day
        return date ? "(CAST(" + x + " AS DATE) - " + back + ")" : "(date_trunc('day', " + x + ") - to_days(" + back + "))";
    }

    /**
     * DATE_DIFF / DATETIME_DIFF(a, b, part) for the week parts and ISOYEAR: the part's boundaries crossed from b to a, as
     * BigQuery counts them (weeks between the two truncated days; ISO years between the two ISO years); null otherwise.
     */
    private static String weekDiff(String a, String b, Optional<String> part, boolean date) {
        if (part.isPresent() && part.get().equals("ISOYEAR")) {
            return "(isoyear(" + a + ") - isoyear(" + b + "))";
        }
        if (weekStart(part) < 0) {
            return null;
        }
        return "(date_diff('day', " + weekTrunc(b, part, date) + ", " + weekTrunc(a, part, date) + ") // 7)";
    }

    /** CONTAINS_SUBSTR's third argument, {@code json_scope => 'JSON_KEYS'}. */
    private static final java.util.regex.Pattern JSON_SCOPE = java.util.regex.Pattern.compile(
            "(?is)\\s*json_scope\\s*=>\\s*'(JSON_VALUES|JSON_KEYS|JSON_KEYS_AND_VALUES)'\\s*");

    /**
     * BigQuery's CONTAINS_SUBSTR(value, search [, json_scope => scope]) as the warehouse's Java function over the value's
     * JSON text, which searches a STRUCT's fields and an ARRAY's elements recursively and a scalar as its text; a JSON
     * value's keys or values as the scope says. Null for another form (a NULL search, a scope that is none of BigQuery's),
     * which {@link #containsSubstrForms} describes.
     */
    private static String containsSubstr(List<String> arguments) {
        if (arguments.size() < 2 || arguments.size() > 3 || arguments.get(1).strip().equalsIgnoreCase("NULL")) {
            return null;
        }
        String scope = "json_values";
        if (arguments.size() == 3) {
            java.util.regex.Matcher matcher = JSON_SCOPE.matcher(arguments.get(2));
            if (!matcher.matches()) {
                return null;
            }
            scope = matcher.group(1).toLowerCase(Locale.ROOT);
        }
        String value = arguments.get(0);
        String call = "(CAST(to_json(" + value + ") AS VARCHAR), CAST(" + arguments.get(1) + " AS VARCHAR))";
        String search = "CAST(" + arguments.get(1) + " AS VARCHAR)";
        return "(CASE WHEN typeof(" + value + ") = 'VARCHAR' THEN lathe_contains_substr_text(CAST(" + value + " AS VARCHAR), " + search
                + ") WHEN typeof(" + value + ") = 'JSON' THEN lathe_contains_substr_" + scope + call + " ELSE lathe_contains_substr" + call
                + " END)";
    }

    /** What CONTAINS_SUBSTR takes, for the error of a call {@link #containsSubstr} does not rewrite. */
    static String containsSubstrForms() {
        return "takes a value to search (a STRING, a number, a date or time, a STRUCT, an ARRAY, a table's row, JSON), a STRING to"
                + " search for that is not NULL, and optionally json_scope => 'JSON_VALUES', 'JSON_KEYS' or 'JSON_KEYS_AND_VALUES'"
                + " (CONTAINS_SUBSTR(x, 'blue'))";
    }

    /** Parts LAST_DAY takes: its period's last day (probe uc F10: WEEK was DuckDB's binder error, "column WEEK not found"). */
    private static final Set<String> LAST_DAY_PARTS = union(Set.of("YEAR", "QUARTER", "MONTH"), WEEK_PARTS);

    /**
     * BigQuery's LAST_DAY(x, part): the DATE of the last day of the year, quarter, month, week (WEEK, WEEK(day), ISOWEEK:
     * six days after its first) or ISO year holding x; null for another part.
     */
    private static String lastDay(String x, Optional<String> part) {
        if (part(part, Set.of("YEAR", "QUARTER", "MONTH"))) {
            return "CAST(date_trunc('" + lower(part) + "', " + x + ") + INTERVAL 1 " + lower(part) + " - INTERVAL 1 DAY AS DATE)";
        }
        if (part.isPresent() && part.get().equals("ISOYEAR")) { // the day before the next ISO year's first Monday
            return "CAST(date_trunc('week', make_date(CAST(isoyear(" + x + ") AS INTEGER) + 1, 1, 4)) - INTERVAL 1 DAY AS DATE)";
        }
        String start = weekTrunc(x, part, true);
        return start == null ? null : "CAST(" + start + " + 6 AS DATE)";
    }

    private static boolean part(Optional<String> word, Set<String> parts) {
        return word.isPresent() && parts.contains(word.get());
    }

    private static String lower(Optional<String> word) {
        return word.orElseThrow().toLowerCase(Locale.ROOT);
    }

    private static String generateArray(String start, String end, String step) {
        return "list_transform(range(0, CAST(floor(((" + end + ") - (" + start + ")) / (" + step + ") + 1e-9) AS BIGINT) + 1), "
                + "lambda lathe_i: (" + start + ") + lathe_i * (" + step + "))";
    }

    private static String quantiles(int n) {
        return IntStream.rangeClosed(0, n).mapToObj(i -> i == n ? "1.0" : Double.toString((double) i / n)).collect(Collectors.joining(", "));
    }
}
