package dev.lathe.sql;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.options.OptionValue;
import dev.lathe.core.options.Position;
import dev.lathe.sql.functions.PreprocessingFunction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Rewrites BigQuery query text into DuckDB text, leaving everything it does not need to change byte for
 * byte as written:
 * <ul>
 *   <li>{@code `project.dataset.table`} becomes {@code "dataset"."table"}: the project names the
 *       warehouse, which is the DuckDB database, so only dataset (schema) and table are kept;
 *       {@code `dataset.table`} becomes {@code "dataset"."table"}. Unquoted dashed project ids
 *       ({@code bigquery-public-data.ml_datasets.iris}) are dropped the same way.</li>
 *   <li>{@code * EXCEPT(a, b)} becomes {@code * EXCLUDE(a, b)} (DuckDB reads EXCEPT there as a set operation).</li>
 *   <li>String literals with BigQuery escapes, double quotes, triple quotes or the raw prefix become
 *       standard single-quoted strings ({@code "x"} is a string in BigQuery but an identifier in DuckDB).</li>
 *   <li>Array subscripts {@code [OFFSET(i)]} and {@code [SAFE_OFFSET(i)]} become {@code [(i) + 1]}, {@code [ORDINAL(i)]}
 *       and {@code [SAFE_ORDINAL(i)]} become {@code [(i)]} (DuckDB's lists count from 1; an index out of range, a negative
 *       one included, is NULL, where BigQuery's OFFSET and ORDINAL fail).</li>
 *   <li>GoogleSQL functions DuckDB lacks ({@link GoogleSqlFunctions}): {@code SAFE_CAST} becomes {@code TRY_CAST}, the
 *       cast types FLOAT64, BYTES and NUMERIC (DECIMAL, BIGNUMERIC, BIGDECIMAL) DuckDB's DOUBLE, BLOB and DECIMAL(38, 9),
 *       and calls such as {@code SAFE_DIVIDE(a, b)} or {@code DATE_DIFF(a, b, DAY)} DuckDB text with the same meaning.</li>
 *   <li>The typed literals {@code NUMERIC 'x'} and {@code BIGNUMERIC 'x'} become {@code CAST('x' AS DECIMAL(38, 9))}, and
 *       {@code TIMESTAMP 'x'} with a zone or offset in x the UTC time of that instant ({@code CAST(TIMESTAMPTZ 'x' AS
 *       TIMESTAMP)}; the warehouse runs in UTC).</li>
 *   <li>The type name FLOAT64 becomes DOUBLE wherever a type stands (a column or alias named float64 stays), and {@code CREATE TEMP FUNCTION f(x FLOAT64) RETURNS FLOAT64
 *       AS (...)} loses its RETURNS clause, which DuckDB's macros do not take.</li>
 *   <li>{@code STRUCT(x AS a, y)} becomes {@code struct_pack(a := x, y)}.</li>
 *   <li>{@code SAFE.f(args)} becomes {@code try(f(args))}: NULL where the call would fail.</li>
 *   <li>{@code x IN UNNEST(a)} becomes {@code x IN (SELECT unnest(a))}.</li>
 *   <li>{@code UNNEST(a) AS x} in a FROM clause becomes {@code UNNEST(a) AS x(x)}: x names the element, as in BigQuery, not a
 *       table whose column is "unnest"; with {@code WITH OFFSET AS o}, a lateral subquery of the element and its 0-based
 *       position. Without an element alias, {@code UNNEST(a)} becomes {@code (SELECT unnest(a, max_depth := 2))}: an array of
 *       STRUCTs gives a column per field, as in BigQuery.</li>
 *   <li>BigQuery's array path in a FROM clause, {@code FROM t AS p, p.arr AS x} (an implicit UNNEST of a range variable's
 *       array), becomes {@code UNNEST(p.arr) AS x(x)}, unless the {@link RelationCatalog} has a table arr in dataset p.</li>
 *   <li>{@code ANY_VALUE(x HAVING MAX y)} and {@code HAVING MIN} become DuckDB's {@code arg_max_null} and {@code arg_min_null}
 *       with BigQuery's NULL handling; the clause in another aggregate is refused.</li>
 *   <li>{@code #} comments become {@code --} comments.</li>
 *   <li>Preprocessing calls {@code ML.F(args) [OVER (...)]} are replaced by the function's DuckDB text.</li>
 *   <li>ML table-function calls are kept as written and listed with their spans in the output.</li>
 * </ul>
 */
final class DuckDbRewriter {
    /** Produces the DuckDB text of one preprocessing call; arguments are already rewritten. */
    @FunctionalInterface
    interface PreprocessingRenderer {
        String render(PreprocessingFunction function, List<String> arguments, Optional<String> overClause, Token at);
    }

    /** The rewritten text, the table-function calls located in it, and the way back to the source. */
    record Rewritten(String sql, List<TableFunctionCall> calls, List<WildcardTable> wildcards, SourceMap sourceMap) {}

    private final String source;
    private final Position origin;
    private final List<Token> tokens;
    private final List<Comment> comments;
    private final MlFunctionCatalog functions;
    private final PreprocessingRenderer renderer;
    private final Optional<String> tableFunctionContext;

    private final StringBuilder out = new StringBuilder();
    private final List<SourceMap.Segment> segments = new ArrayList<>();
    /**
     * Per token of the range rewritten (index less {@link #statementFrom}), the length of {@link #out} and of
     * {@link #segments} where its rewriting began (-1: its rewriting began none). Sized to the range, not to the script's
     * tokens: every nested rewrite (a subscript's base, a call's arguments) has its own.
     */
    private int[] outAt = new int[0];
    private int[] segmentsAt = new int[0];
    /** The length of {@link #out} after the last suffix written: a rewrite that takes back output must not take it back. */
    private int lastSuffixEnd = -1;
    private final List<TableFunctionCall> calls = new ArrayList<>();
    private final List<WildcardTable> wildcards = new ArrayList<>();
    /** The result's anonymous columns' names, by their items' last tokens ({@link #naming}). */
    private Map<Integer, String> names = Map.of();
    /** Asked whether a path such as {@code d.u} after {@code FROM d.t AS d} is a table ({@link #catalog}). */
    private RelationCatalog catalog = RelationCatalog.UNKNOWN;
    /** Whether the rewrite asked {@link #catalog}: its text depends on the tables that exist when it was made. */
    private boolean askedCatalog;
    /** The statement's tokens, [statementFrom, statementTo): where its CTEs are looked for. */
    private int statementFrom;
    private int statementTo;

    /**
     * @param tableFunctionContext empty where table functions are allowed, else the name of the place that
     *     forbids them (for the error message)
     */
    DuckDbRewriter(String source, Position origin, List<Token> tokens, List<Comment> comments, MlFunctionCatalog functions,
            PreprocessingRenderer renderer, Optional<String> tableFunctionContext) {
        this.source = source;
        this.origin = origin;
        this.tokens = tokens;
        this.comments = comments;
        this.functions = functions;
        this.renderer = renderer;
        this.tableFunctionContext = tableFunctionContext;
    }

    /** Renders analytic calls over their window, as in a plain query. */
    static PreprocessingRenderer windowRenderer() {
        return (function, arguments, over, at) -> {
            // BigQuery: "You must always use an empty OVER() clause with ML analytic functions"; a partition or an order
            // gave per-group or running statistics here, answers BigQuery refuses to give
            if (function.analytic() && over.isPresent() && !over.get().replaceAll("\\s+", "").equals("()")) {
                throw new LatheException(ErrorCode.UNSUPPORTED, "ML." + function.name() + " at " + at.position() + " takes OVER() with an"
                        + " empty window, as in BigQuery: its statistics are over the whole input; found OVER " + over.get().strip());
            }
            return function.renderWindow(arguments, over.orElse(""));
        };
    }

    /**
     * Names the anonymous columns of a query's result (BigQuery's {@code f0_}, ...): token index of an item's last token ->
     * its name, added as an alias (see {@link AnonymousColumns}).
     */
    DuckDbRewriter naming(Map<Integer, String> names) {
        this.names = Map.copyOf(names);
        return this;
    }

    /**
     * The warehouse's tables, asked where a FROM item {@code p.x} can be both table x of dataset p and BigQuery's array path,
     * column x of a range variable p in scope: a table that exists wins ({@link RelationCatalog#UNKNOWN}: every table may).
     */
    DuckDbRewriter catalog(RelationCatalog catalog) {
        this.catalog = catalog;
        return this;
    }

    /** Whether the last {@link #rewrite} asked the {@link #catalog}: run later, its text could differ. */
    boolean askedCatalog() {
        return askedCatalog;
    }

    /** Rewrites {@code tokens[from, to)}. */
    Rewritten rewrite(int from, int to) {
        statementFrom = from;
        statementTo = to;
        Map<Integer, String> closers = new HashMap<>(); // index of a ")" -> its DuckDB text ([OFFSET(i)], IN UNNEST(a))
        // index of a token -> text to add after it; a later one closes a construct nested in an earlier one, so goes first
        java.util.TreeMap<Integer, String> suffixes = new java.util.TreeMap<>();
        names.forEach((last, name) -> suffixes.put(last, " AS " + name)); // first, so what closes within the item goes before it
        int tableHeaderEnd = tableFunctionContext.isEmpty() ? createTableHeaderEnd(from, to) : -1;
        outAt = new int[Math.max(0, to - from)];
        segmentsAt = new int[outAt.length];
        java.util.Arrays.fill(outAt, -1);
        for (int i = from; i < to; i++) {
            Token token = tokens.get(i);
            ArrayAggClauses arrayAgg;
            int extractFrom;
            int integerCast;
            int bareSubscript;
            while (!suffixes.isEmpty() && suffixes.firstKey() < i) { // before the gap, where a comment may stand
                Map.Entry<Integer, String> suffix = suffixes.pollFirstEntry();
                appendReplacement(suffix.getValue(), tokens.get(suffix.getKey()).end(), tokens.get(suffix.getKey()).end());
                lastSuffixEnd = out.length();
            }
            if (i > from) {
                appendGap(tokens.get(i - 1).end(), token.start());
            }
            outAt[i - from] = out.length();
            segmentsAt[i - from] = segments.size();
            int xorEnd = xorEnd(i, from, to);
            if (xorEnd > 0) {
                // a ^ b is BigQuery's bitwise XOR, DuckDB's power (probe rf: 5 ^ 3 gave 125.0, not 6): xor(a, b), where each
                // operand is one value and what stands around them binds more loosely than BigQuery's ^
                appendReplacement("xor(", token.start(), token.start());
                closers.put(atomEnd(i, to), ",");
                suffixes.merge(xorEnd - 1, ")", (earlier, later) -> later + earlier);
            }
            String closer = closers.remove(i);
            int unnestWithOffsetEnd;
            int bareUnnestEnd;
            int havingExtreme;
            int arrayPathEnd;
            int tableClauseEnd;
            int wildcardEnd;
            int wildcardStar;
            if (i == from && tableFunctionContext.isEmpty() && i + 1 < to && tokens.get(i + 1).isName()
                    && (token.isWord("MERGE") && !tokens.get(i + 1).isWord("INTO")
                            || token.isWord("INSERT") && !tokens.get(i + 1).isWord("INTO") && !tokens.get(i + 1).isWord("OR")
                            || token.isWord("DELETE") && !tokens.get(i + 1).isWord("FROM"))) {
                // BigQuery's INTO and FROM are optional here (MERGE t USING ..., INSERT t VALUES ..., DELETE t WHERE ...)
                appendReplacement(token.text() + (token.isWord("DELETE") ? " FROM" : " INTO"), token.start(), token.end());
            } else if (i < tableHeaderEnd && (tableClauseEnd = tableClauseEnd(i, tableHeaderEnd)) > i) {
                // CREATE TABLE's PARTITION BY, CLUSTER BY and OPTIONS(...): storage settings of BigQuery's that DuckDB has no
                // place for, and that change no row (probe pv: each was a parser error)
                appendReplacement("", token.start(), tokens.get(tableClauseEnd - 1).end());
                i = tableClauseEnd - 1;
            } else if (closer != null) {
                int last = closer.endsWith("]") ? i + 1 : i; // a subscript's closer takes its "]" too
                appendReplacement(closer, token.start(), tokens.get(last).end());
                i = last;
            } else if ((bareSubscript = bareSubscriptClose(i, from, to)) > 0) {
                // a[i] counts from 0 in BigQuery (as a[OFFSET(i)]), DuckDB's list a[i] from 1 (a[0] was NULL, a[1] the first);
                // DuckDB's JSON subscript counts from 0 already, and a MAP's is a key. By the value's type, fixed when bound.
                int baseStart = subscriptBaseStart(i, from);
                String base = rewriteNested(baseStart, i, "a subscripted value");
                String index = rewriteNested(i + 1, bareSubscript, "a subscript");
                // The choice covers the whole subscript, not the index alone: the index of a JSON or MAP lookup may be text or a date,
                // which the list's index arithmetic cannot take (probe uc F2: m[k] and j[key] failed to bind); the list's index
                // goes through text, which every type converts to, so that its branch binds for any index.
                String alias = itemAlias(baseStart, bareSubscript, from, to);
                nameField(baseStart, bareSubscript, from, to, suffixes);
                int baseOut = outAt[baseStart - from];
                // a STRING has no subscript in BigQuery (DuckDB's takes a character: JSON_QUERY(text, p)[0], a STRING, gave '')
                String text = " WHEN typeof(" + base + ") = 'VARCHAR' THEN error('" + ("the subscript at " + token.position() + " is of a"
                        + " STRING, which has none in BigQuery: it takes an ARRAY or JSON (PARSE_JSON(s)[i] reads JSON text, SUBSTR(s, i"
                        + " + 1, 1) takes a character)").replace("'", "''") + "')";
                if (baseOut >= 0 && lastSuffixEnd <= baseOut) {
                    String listIndex = "nullif(greatest(TRY_CAST(CAST((" + index + ") AS VARCHAR) AS BIGINT), -1), -1) + 1";
                    out.setLength(baseOut); // the base as written so far, taken back: it is written within the choice
                    segments.subList(segmentsAt[baseStart - from], segments.size()).clear();
                    appendReplacement("(CASE WHEN typeof(" + base + ") LIKE '%]' THEN (" + base + ")[" + listIndex + "]" + text + " ELSE ("
                            + base + ")[" + index + "] END)" + alias, tokens.get(baseStart).start(), tokens.get(bareSubscript).end());
                } else {
                    appendReplacement("[CASE WHEN typeof(" + base + ") LIKE '%]' THEN nullif(greatest((" + index + "), -1), -1) + 1" + text
                            + " ELSE (" + index + ") END]" + alias, token.start(), tokens.get(bareSubscript).end());
                }
                i = bareSubscript;
            } else if (subscriptStart(i, to)) {
                // [OFFSET(i)] counts from 0, DuckDB's [i] from 1. DuckDB reads a negative position from the end, BigQuery's is out
                // of range (probe rf: [SAFE_OFFSET(-2)] gave the last element): unless i is a plain number, a negative one is NULL
                int close = TokenCursor.matching(tokens, i + 2);
                boolean offset = tokens.get(i + 1).upper().endsWith("OFFSET");
                boolean safe = tokens.get(i + 1).upper().startsWith("SAFE_");
                // a literal past INT64's last position is out of range: its + 1 overflowed (probe: SAFE_OFFSET(9223372036854775807))
                boolean number = close == i + 4 && tokens.get(i + 3).kind() == TokenKind.NUMBER && tokens.get(i + 3).text().matches("[0-9]{1,18}");
                int baseStart = subscriptBaseStart(i, from);
                int baseOut = baseStart >= 0 ? outAt[baseStart - from] : -1;
                String alias = itemAlias(baseStart, close + 1, from, to);
                nameField(baseStart, close + 1, from, to, suffixes);
                if (!safe && baseOut >= 0 && lastSuffixEnd <= baseOut) {
                    // BigQuery's OFFSET and ORDINAL fail out of range (DuckDB's gave NULL), with its message. The array and the index
                    // are bound once, as a lambda's parameter, so a nested subscript's text is not repeated at each level.
                    String base = rewriteNested(baseStart, i, "a subscripted value");
                    String index = rewriteNested(i + 3, close, tokens.get(i + 1).upper() + "(...)");
                    int first = offset ? 0 : 1;
                    out.setLength(baseOut); // the base as written so far, taken back: it is written within the choice
                    segments.subList(segmentsAt[baseStart - from], segments.size()).clear();
                    String bounds = "error('Array index ' || CAST(lathe_s.i AS VARCHAR) || ' is out of bounds (";
                    appendReplacement("list_transform([{'a': (" + base + "), 'i': (" + index + ")}], lambda lathe_s: CASE WHEN lathe_s.a IS NULL"
                            + " THEN NULL WHEN lathe_s.i < " + first + " THEN " + bounds + "underflow)') WHEN lathe_s.i >= len(lathe_s.a) + " + first
                            + " THEN " + bounds + "overflow)') ELSE lathe_s.a[lathe_s.i" + (offset ? " + 1" : "") + "] END)[1]" + alias,
                            tokens.get(baseStart).start(), tokens.get(close + 1).end());
                    i = close + 1;
                    continue;
                }
                String floor = offset ? "-1" : "0";
                // the position's + 1 cannot overflow: the last INT64 is out of range either way
                String ceiling = offset ? "), 9223372036854775806)" : ")";
                closers.put(close, (number ? ")" : ceiling + ", " + floor + "), " + floor + ")") + (offset ? " + 1]" : "]"));
                if (!alias.isEmpty()) {
                    suffixes.merge(close + 1, alias, (earlier, later) -> later + earlier);
                }
                appendReplacement(number ? "[(" : "[nullif(greatest(" + (offset ? "least(" : "") + "(", token.start(), tokens.get(i + 2).end());
                i += 2;
            } else if (token.kind() == TokenKind.IDENTIFIER && DATE_PART_WORDS.contains(token.upper()) && implicitAlias(i, from, to)) {
                // SELECT EXTRACT(YEAR FROM d) year: DuckDB's grammar reads a date part after a value as an interval's unit and
                // fails (probe rf: "syntax error at or near year"); BigQuery reads an alias, which AS makes DuckDB read too
                appendReplacement("AS " + token.text(), token.start(), token.end());
            } else if (isMlCall(i, to)) {
                i = rewriteMlCall(i, to);
            } else if (safePrefix(i, from, to)) {
                // SAFE.f(args): BigQuery's NULL instead of an error, DuckDB's try(f(args)).
                int close = TokenCursor.matching(tokens, i + 3);
                appendReplacement("try(" + rewriteNested(i + 2, close + 1, "SAFE." + tokens.get(i + 2).upper()) + ")", token.start(),
                        tokens.get(close).end());
                i = close;
            } else if (token.isWord("SELECT") && selectAsAt(i, to) > 0) {
                // SELECT AS STRUCT a, b AS c: one STRUCT column (ARRAY(SELECT AS STRUCT ...) builds nested features); SELECT AS
                // VALUE x: the value itself (probe pv: both were parser errors)
                i = rewriteSelectAs(i, to);
            } else if (token.isWord("STRUCT") && i + 1 < to && tokens.get(i + 1).isSymbol("(") && !qualified(i, from)) {
                i = rewriteStruct(i, to);
            } else if (timestampCastClose(i, from, to) > 0) {
                // CAST(s AS TIMESTAMP) of a STRING with an offset or zone ('... 10:00:00+02', '... America/New_York') is that
                // instant in UTC in BigQuery; DuckDB's cast dropped the offset or refused the zone (probe rf). Through
                // TIMESTAMPTZ, read in the session's zone (UTC): a TIMESTAMP or DATE keeps its value, the result stays a TIMESTAMP.
                String cast = token.isWord("CAST") ? "CAST" : "TRY_CAST";
                closers.put(timestampCastClose(i, from, to) - 1, "TIMESTAMPTZ) AS TIMESTAMP");
                appendReplacement(cast + "(" + cast + "(", token.start(), tokens.get(i + 1).end());
                i++;
            } else if ((integerCast = integerCastClose(i, from, to)) > 0) {
                // CAST(x AS INT64) of a FLOAT64 rounds a half away from zero in BigQuery (2.5 to 3, -2.5 to -3); DuckDB's cast
                // rounds it to even (2). Every alias of INT64 is DuckDB's BIGINT (DuckDB's INT and INTEGER are 32 bits).
                String cast = token.isWord("CAST") ? "CAST" : "TRY_CAST";
                String value = rewriteNested(i + 2, integerCast - 2, "CAST(...)");
                appendReplacement("(CASE WHEN typeof(" + value + ") IN ('DOUBLE', 'FLOAT') THEN " + cast + "(round(TRY_CAST(" + value
                        + " AS DOUBLE)) AS BIGINT) ELSE " + cast + "(" + value + " AS BIGINT) END)", token.start(), tokens.get(integerCast).end());
                i = integerCast;
            } else if (token.isWord("SAFE_CAST") && i + 1 < to && tokens.get(i + 1).isSymbol("(") && !qualified(i, from)) {
                appendReplacement("TRY_CAST", token.start(), token.end());
            } else if (token.isWord("RETURNS") && i + 2 < to && tokens.get(i + 1).kind() == TokenKind.IDENTIFIER
                    && tokens.get(i + 2).isWord("AS") && createsFunction(from, i)) {
                // CREATE TEMP FUNCTION f(x FLOAT64) RETURNS FLOAT64 AS (...): a DuckDB macro has no declared result type.
                appendReplacement("", token.start(), tokens.get(i + 1).end());
                i++;
            } else if ((token.isWord("ARRAY") || token.isWord("STRUCT")) && !qualified(i, from) && i + 1 < to && tokens.get(i + 1).isSymbol("<")
                    && typeEnd(i, to) > i) {
                // BigQuery's parameterized types, ARRAY<T> and STRUCT<a T, ...>, as DuckDB's T[] and STRUCT(a T, ...); a typed
                // constructor after them (STRUCT<x INT64>(1), ARRAY<INT64>[1, 2]) as a cast of the untyped one (probe pv)
                int end = typeEnd(i, to);
                String type = duckDbType(i, end + 1);
                if (end + 1 < to && tokens.get(end + 1).isSymbol("(") && token.isWord("STRUCT")) {
                    closers.put(TokenCursor.matching(tokens, end + 1), ") AS " + type + ")");
                    appendReplacement("CAST(ROW", token.start(), tokens.get(end).end());
                } else if (end + 1 < to && tokens.get(end + 1).isSymbol("[") && token.isWord("ARRAY")) {
                    closers.put(TokenCursor.matching(tokens, end + 1), "] AS " + type + ")");
                    appendReplacement("CAST(", token.start(), tokens.get(end).end());
                } else {
                    appendReplacement(type, token.start(), tokens.get(end).end());
                }
                i = end;
            } else if (COLUMN_TYPES.contains(token.upper()) && token.kind() == TokenKind.IDENTIFIER
                    && (columnDefinitionType(i, from) || functionParameterType(i, from))) {
                // CREATE TABLE t (h BYTES): DuckDB has no such type name (probe pv); cast targets are handled below. BIGNUMERIC(P, S)
                // is DuckDB's DECIMAL(P, S) up to its 38 digits (probe pw: a parser error). A NUMERIC or DECIMAL column or
                // function parameter is BigQuery's 9 decimals, not DuckDB's 3 (probe rf: NUMERIC '1.123456789' stored 1.123);
                // NUMERIC(P, S) and DECIMAL(P, S) are DuckDB's own
                boolean parameterized = i + 1 < to && tokens.get(i + 1).isSymbol("(");
                if (parameterized && (token.isWord("NUMERIC") || token.isWord("DECIMAL"))) {
                    appendVerbatim(token.start(), token.end());
                } else if (parameterized && (token.isWord("BIGNUMERIC") || token.isWord("BIGDECIMAL"))) {
                    int close = TokenCursor.matching(tokens, i + 1);
                    if (i + 2 < close && tokens.get(i + 2).kind() == TokenKind.NUMBER && tokens.get(i + 2).text().matches("\\d+")
                            && Integer.parseInt(tokens.get(i + 2).text()) > 38) {
                        throw Tokenizer.syntaxError(tokens.get(i + 2).position(), token.upper() + "(" + tokens.get(i + 2).text()
                                + ", ...) asks for more digits than the warehouse's decimals hold (38); give a precision of at most 38");
                    }
                    appendReplacement("DECIMAL", token.start(), token.end());
                } else {
                    appendReplacement(GoogleSqlFunctions.castType(token.upper()).orElse("DECIMAL(38, 9)"), token.start(), token.end());
                }
            } else if (token.isWord("FLOAT64") && token.kind() == TokenKind.IDENTIFIER && float64Type(i, from, to)) {
                appendReplacement("DOUBLE", token.start(), token.end()); // a type wherever it stands (a function's parameter)
            } else if (castTarget(i, from, to)) {
                appendReplacement(GoogleSqlFunctions.castType(token.upper()).orElseThrow(), token.start(), token.end());
            } else if (token.isWord("EXTRACT") && !qualified(i, from) && i + 3 < to && tokens.get(i + 1).isSymbol("(")
                    && tokens.get(i + 2).kind() == TokenKind.IDENTIFIER && (extractFrom = extractFrom(i)) > 0 && extractFrom < to) {
                i = rewriteExtract(i, extractFrom, to);
            } else if (token.kind() == TokenKind.IDENTIFIER && !qualified(i, from) && i + 1 < to && tokens.get(i + 1).isSymbol("(")
                    && (havingExtreme = havingExtreme(i, to)) > 0) {
                i = rewriteHavingExtreme(i, havingExtreme, to);
            } else if (token.isWord("ARRAY_AGG") && !qualified(i, from) && i + 1 < to && tokens.get(i + 1).isSymbol("(")
                    && (arrayAgg = arrayAggClauses(i, to)) != null) {
                i = rewriteArrayAgg(i, arrayAgg);
            } else if (isGoogleSqlCall(i, from, to)) {
                i = rewriteGoogleSqlCall(i, to);
            } else if (token.isWord("UNNEST") && i > from && tokens.get(i - 1).isWord("IN") && i + 1 < to && tokens.get(i + 1).isSymbol("(")) {
                // x IN UNNEST(a): BigQuery's membership test, DuckDB's x IN (SELECT unnest(a)).
                closers.put(TokenCursor.matching(tokens, i + 1), "))");
                appendReplacement("(SELECT unnest", token.start(), token.end());
            } else if ((unnestWithOffsetEnd = unnestWithOffsetEnd(i, from, to)) > 0) {
                i = rewriteUnnestWithOffset(i, unnestWithOffsetEnd);
            } else if ((bareUnnestEnd = bareUnnestEnd(i, from, to)) > 0) {
                i = rewriteBareUnnest(i, bareUnnestEnd);
            } else if ((arrayPathEnd = arrayPathEnd(i, from, to)) > 0) {
                i = rewriteArrayPath(i, arrayPathEnd);
            } else if ((wildcardEnd = wildcardTableEnd(i, from, to)) >= i) {
                i = rewriteWildcardTable(i, wildcardEnd);
            } else if (token.isSymbol("*") && (wildcardStar = wildcardStar(i, from, to)) != 0) {
                // SELECT * over a wildcard table: _TABLE_SUFFIX is a pseudo-column, not one of the star's columns
                appendVerbatim(token.start(), token.end());
                if (wildcardStar > 0) { // * EXCEPT (a, b): its list gains the pseudo-column
                    closers.put(wildcardStar, ", " + WildcardTable.SUFFIX_COLUMN + ")");
                } else {
                    appendReplacement(" EXCLUDE (" + WildcardTable.SUFFIX_COLUMN + ")", token.end(), token.end());
                }
            } else if (unnestAlias(i, from, to)) {
                String alias = token.kind() == TokenKind.QUOTED_IDENTIFIER ? quoteName(token.value()) : token.text();
                appendReplacement(alias + "(" + alias + ")", token.start(), token.end());
            } else if (informationSchemaEnd(i, from, to) >= i) {
                int end = informationSchemaEnd(i, from, to);
                appendReplacement(informationSchema(i, end, to), token.start(), tokens.get(end).end());
                i = end;
            } else if (relationNameEnd(i, from, to) >= i) {
                // `my-proj`.ds.t, `proj.ds`.t, CREATE SCHEMA `proj.ds`: a project part written with backticks is dropped.
                int end = relationNameEnd(i, from, to);
                appendReplacement(relationName(i, end), token.start(), tokens.get(end).end());
                i = end;
            } else if (token.kind() == TokenKind.QUOTED_IDENTIFIER) {
                appendReplacement(quoteName(token.value()), token.start(), token.end());
            } else if (token.kind() == TokenKind.BYTES) {
                // b'abc' is BYTES in BigQuery; DuckDB would read it as text. A BLOB literal spells every byte.
                StringBuilder blob = new StringBuilder("CAST('");
                for (char c : token.value().toCharArray()) {
                    for (byte b : c <= 0xff ? new byte[] {(byte) c} : String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                        blob.append(String.format("\\x%02X", b & 0xff));
                    }
                }
                appendReplacement(blob.append("' AS BLOB)").toString(), token.start(), token.end());
            } else if (token.isWord("INTERVAL") && !qualified(i, from) && intervalCountEnd(i, to) > i + 1) {
                // INTERVAL id DAY and INTERVAL -1 DAY: DuckDB takes a column or a negative count in parentheses only.
                int end = intervalCountEnd(i, to);
                appendReplacement("INTERVAL (" + rewriteNested(i + 1, end, "an INTERVAL") + ")",
                        token.start(), tokens.get(end - 1).end());
                i = end - 1;
            } else if (token.kind() == TokenKind.NUMBER && (token.text().startsWith("0x") || token.text().startsWith("0X"))) {
                // GoogleSQL's hex INT64 literal 0x1F; DuckDB read it as 0 with the alias x1F (probe rf: SELECT 0x1F gave 0)
                appendReplacement(hexInteger(token), token.start(), token.end());
            } else if (token.kind() == TokenKind.NUMBER && token.text().indexOf('.') >= 0
                    && token.text().indexOf('e') < 0 && token.text().indexOf('E') < 0) {
                // BigQuery reads 0.1 as FLOAT64 (0.1 + 0.2 is 0.30000000000000004), DuckDB as a DECIMAL unless it has an
                // exponent: 0.1e0 is DuckDB's DOUBLE, parsed from its text (no digit lost past the 18th), still a literal
                // wherever one must stand (TABLESAMPLE SYSTEM (10.5 PERCENT)) and named as written (0.1 + 0.2)
                appendReplacement(token.text() + "e0", token.start(), token.end());
            } else if ((token.isWord("NUMERIC") || token.isWord("BIGNUMERIC") || token.isWord("TIMESTAMP")) && !qualified(i, from)
                    && i + 1 < to && tokens.get(i + 1).kind() == TokenKind.STRING) {
                // Typed literals DuckDB reads otherwise (probe M): NUMERIC '2.5678' was DuckDB's DECIMAL(18, 3), 2.568; and
                // TIMESTAMP '2024-01-01 15:00:00+05' dropped its offset (15:00, where BigQuery's instant is 10:00 UTC).
                // BIGNUMERIC '2.5' is no DuckDB type at all (probe rf); its 38 digits, as elsewhere.
                String value = tokens.get(i + 1).value();
                String text = "'" + value.replace("'", "''") + "'";
                String replacement = !token.isWord("TIMESTAMP") ? "CAST(" + text + " AS DECIMAL(38, 9))"
                        : GoogleSqlFunctions.hasZone(value) ? "CAST(TIMESTAMPTZ " + text + " AS TIMESTAMP)" : token.text() + " " + text;
                appendReplacement(replacement, token.start(), tokens.get(i + 1).end());
                i++;
            } else if (token.kind() == TokenKind.STRING) {
                String standard = "'" + token.value().replace("'", "''") + "'";
                if (standard.equals(token.text())) {
                    appendVerbatim(token.start(), token.end());
                } else {
                    appendReplacement(standard, token.start(), token.end());
                }
            } else if (token.isWord("LIKE") && token.kind() == TokenKind.IDENTIFIER && !qualified(i, from) && likePatternEnd(i, to) > i + 1) {
                // BigQuery's LIKE takes \ as its escape ('a_c' LIKE 'a\\_c'), DuckDB's none unless ESCAPE names one (probe rf)
                suffixes.merge(likePatternEnd(i, to) - 1, " ESCAPE '\\'", (earlier, later) -> later + earlier);
                appendVerbatim(token.start(), token.end());
            } else if (token.isSymbol("^")) {
                throw new LatheException(ErrorCode.UNSUPPORTED, "^ at " + token.position() + " is BigQuery's bitwise XOR (DuckDB's is a"
                        + " power) and its operands here are not single values: write them in parentheses, (a + b) ^ (c), for XOR,"
                        + " or POW(a, b) for a power");
            } else if (token.isWord("EXCEPT") && i > from && tokens.get(i - 1).isSymbol("*") && i + 1 < to
                    && tokens.get(i + 1).isSymbol("(")) {
                appendReplacement("EXCLUDE", token.start(), token.end());
            } else if (dashedProjectEnd(i, from, to) > i) {
                int dot = dashedProjectEnd(i, from, to);
                appendReplacement("", token.start(), tokens.get(dot).end());
                i = dot;
            } else {
                appendVerbatim(token.start(), token.end());
            }
        }
        suffixes.forEach((k, suffix) -> appendReplacement(suffix, tokens.get(k).end(), tokens.get(k).end()));
        return new Rewritten(out.toString(), calls, wildcards, new SourceMap(source, origin, segments));
    }

    /** Symbols that bind as tightly as BigQuery's ^ or more, or continue a value: an operand of ^ beside them is not whole. */
    private static final Set<String> TIGHT_SYMBOLS = Set.of("*", "/", "%", "||", "+", "-", "<<", ">>", "&", "^", "[", "]", ".", "::",
            "(", ")", "~", "!", "@");
    /** Words after which a value starts an operand of its own (they bind more loosely than any arithmetic). */
    private static final Set<String> LOOSE_WORDS = Set.of("SELECT", "DISTINCT", "WHERE", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE",
            "CASE", "ON", "HAVING", "BY", "QUALIFY", "RETURN", "IS", "LIKE", "BETWEEN", "AS");

    /**
     * The index just past one value starting at {@code tokens[i]}: a number, a string, a (dotted) name, a call
     * {@code f(...)} or a group {@code (...)}; else -1.
     */
    private int atomEnd(int i, int to) {
        Token t = tokens.get(i);
        int k = i;
        if (t.kind() == TokenKind.NUMBER || t.kind() == TokenKind.STRING) {
            return i + 1;
        }
        if (t.isName() && !(t.kind() == TokenKind.IDENTIFIER && LOOSE_WORDS.contains(t.upper()))) {
            while (k + 2 < to && tokens.get(k + 1).isSymbol(".") && tokens.get(k + 2).isName()) {
                k += 2;
            }
            if (k + 1 >= to || !tokens.get(k + 1).isSymbol("(")) {
                return k + 1;
            }
            k++;
        }
        if (!tokens.get(k).isSymbol("(")) {
            return -1;
        }
        int close = TokenCursor.matching(tokens, k);
        return close < to ? close + 1 : -1;
    }

    /**
     * For {@code a ^ b} whose left operand a starts at {@code tokens[i]}, the index just past b, when each is one value
     * (b with a sign or ~ before it) and what stands before a and after b binds more loosely than BigQuery's ^ (a comparison,
     * |, AND, a clause word, a comma, the end); else -1.
     */
    private int xorEnd(int i, int from, int to) {
        int caret = atomEnd(i, to);
        if (caret < 0 || caret + 1 >= to || !tokens.get(caret).isSymbol("^")) {
            return -1;
        }
        Token before = i > from ? tokens.get(i - 1) : null;
        if (before != null && (before.kind() == TokenKind.SYMBOL ? TIGHT_SYMBOLS.contains(before.text()) && !before.isSymbol("(")
                : !(before.kind() == TokenKind.IDENTIFIER && LOOSE_WORDS.contains(before.upper())))) {
            return -1;
        }
        int right = caret + 1;
        if (tokens.get(right).isSymbol("-") || tokens.get(right).isSymbol("+") || tokens.get(right).isSymbol("~")) {
            right++;
        }
        int end = right < to ? atomEnd(right, to) : -1;
        if (end < 0 || end < to && tokens.get(end).kind() == TokenKind.SYMBOL && TIGHT_SYMBOLS.contains(tokens.get(end).text())
                && !tokens.get(end).isSymbol(")")) {
            return -1;
        }
        return end;
    }

    /** Words that end LIKE's pattern at its level: they bind more loosely than LIKE, or start a clause. */
    private static final Set<String> AFTER_LIKE_PATTERN = Set.of("AND", "OR", "NOT", "IS", "BETWEEN", "IN", "LIKE", "ILIKE", "THEN",
            "WHEN", "ELSE", "END", "AS", "FROM", "WHERE", "GROUP", "ORDER", "HAVING", "LIMIT", "OFFSET", "QUALIFY", "WINDOW", "UNION",
            "EXCEPT", "INTERSECT", "ON", "USING", "JOIN", "LEFT", "RIGHT", "INNER", "FULL", "CROSS", "ASC", "DESC", "NULLS", "FOR");
    /** Symbols that end LIKE's pattern at its level: comparisons bind more loosely, and the ends of lists. */
    private static final Set<String> AFTER_LIKE_SYMBOLS = Set.of(",", ")", "]", ";", "=", "<", ">", "<=", ">=", "<>", "!=", "<=>", "=>");

    /**
     * The index just past the pattern of the LIKE at {@code tokens[i]}: its right operand, which binds more tightly than
     * LIKE ({@code 'a' || x}, {@code f(x)}, {@code CASE ... END}) up to a comparison, AND, a clause word, an alias or the end;
     * {@code i} where it has an ESCAPE already, is {@code LIKE ANY (...)} or cannot be told.
     */
    private int likePatternEnd(int i, int to) {
        if (i + 1 >= to || tokens.get(i + 1).isWord("ANY") || tokens.get(i + 1).isWord("SOME") || tokens.get(i + 1).isWord("ALL")) {
            return i;
        }
        int depth = 0;
        for (int j = i + 1; j < to; j++) {
            Token t = tokens.get(j);
            if (t.isSymbol("(") || t.isSymbol("[") || t.isWord("CASE")) {
                depth++;
            } else if (depth > 0) {
                if (t.isSymbol(")") || t.isSymbol("]") || t.isWord("END")) {
                    depth--;
                }
            } else if (t.isWord("ESCAPE")) {
                return i;
            } else if (t.kind() == TokenKind.END || t.kind() == TokenKind.SYMBOL && AFTER_LIKE_SYMBOLS.contains(t.text())
                    || t.kind() == TokenKind.IDENTIFIER && AFTER_LIKE_PATTERN.contains(t.upper())
                    || t.isName() && j > i + 1 && valueEnd(tokens.get(j - 1))) {
                return j; // the last is an alias: SELECT x LIKE 'a%' starts_with_a
            }
        }
        return depth == 0 ? to : i;
    }

    /** Whether {@code token} may end a value, so that a name after it is an alias, not an operand. */
    private static boolean valueEnd(Token token) {
        return token.kind() == TokenKind.STRING || token.kind() == TokenKind.NUMBER || token.kind() == TokenKind.BYTES || token.isName()
                || token.isSymbol(")") || token.isSymbol("]");
    }

    /** A hex integer literal's decimal text; refused, as BigQuery does, without digits or beyond INT64 (2^63 for -0x...). */
    private static String hexInteger(Token token) {
        String digits = token.text().substring(2);
        java.math.BigInteger value = digits.isEmpty() ? null : new java.math.BigInteger(digits, 16);
        if (value == null || value.bitLength() > 64 || value.bitLength() == 64 && value.bitCount() > 1) {
            throw Tokenizer.syntaxError(token.position(), "invalid hex integer literal " + token.text() + ": INT64 takes 1 to 16 hex"
                    + " digits, at most 0x7FFFFFFFFFFFFFFF");
        }
        return value.toString();
    }

    /** The text of {@code tokens[from, to)} rewritten, as a string (nested arguments). */
    private String rewriteNested(int from, int to) {
        return rewriteNested(from, to, "an argument of a preprocessing function");
    }

    /** As {@link #rewriteNested(int, int)}, where a table function would be misplaced in {@code context}. */
    private String rewriteNested(int from, int to, String context) {
        DuckDbRewriter nested = new DuckDbRewriter(source, origin, tokens, comments, functions, renderer,
                Optional.of(tableFunctionContext.orElse(context))).catalog(catalog);
        String sql = nested.rewrite(from, to).sql();
        askedCatalog |= nested.askedCatalog;
        return sql;
    }

    /**
     * BigQuery's struct constructor {@code STRUCT(x AS a, y)} as DuckDB's {@code struct_pack(a := x, y)} (a field without a
     * name is named after its column, as in BigQuery); returns the index of its ")".
     */
    private int rewriteStruct(int i, int to) {
        int close = TokenCursor.matching(tokens, i + 1);
        if (close >= to) {
            throw TokenCursor.expected("')' closing STRUCT(", tokens.get(to));
        }
        List<String> fields = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int[] argument : TokenCursor.splitAtCommas(tokens, i + 2, close)) {
            int end = argument[1];
            boolean named = end - argument[0] >= 3 && tokens.get(end - 2).isWord("AS")
                    && (tokens.get(end - 1).kind() == TokenKind.IDENTIFIER || tokens.get(end - 1).kind() == TokenKind.QUOTED_IDENTIFIER);
            String value = rewriteNested(argument[0], named ? end - 2 : end, "STRUCT(...)");
            // a lone TRUE, NULL or CURRENT_DATE is a value, not a column (probe uc F6: DuckDB's "Need named argument")
            boolean path = !named && (end - argument[0]) % 2 == 1 && java.util.stream.IntStream.range(argument[0], end)
                    .allMatch(k -> (k - argument[0]) % 2 == 0 ? tokens.get(k).isName() : tokens.get(k).isSymbol("."))
                    && !(end - argument[0] == 1 && tokens.get(argument[0]).kind() == TokenKind.IDENTIFIER
                            && VALUE_WORDS.contains(tokens.get(argument[0]).upper()));
            // a field without a name that is no column is anonymous in BigQuery (shown as _field_1, _field_2, ...); DuckDB's
            // struct_pack wants a name for it (STRUCT(3, 4) failed)
            String name = named || path ? tokens.get(end - 1).value() : "_field_" + (fields.size() + 1);
            requireNewField(names, name, tokens.get(named || path ? end - 1 : argument[0]), "STRUCT(...)");
            fields.add(named ? quoteIdentifier(name) + " := " + value : path ? value : quoteIdentifier(name) + " := " + value);
        }
        appendReplacement("struct_pack(" + String.join(", ", fields) + ")", tokens.get(i).start(), tokens.get(close).end());
        return close;
    }

    /**
     * Refuses a STRUCT field whose name an earlier field has (case aside): GoogleSQL allows duplicate field names, but a
     * DuckDB STRUCT cannot hold them (its binder said only "Duplicate struct entry name").
     */
    private static void requireNewField(Set<String> names, String name, Token at, String constructor) {
        if (!names.add(name.toLowerCase(Locale.ROOT))) {
            throw new LatheException(ErrorCode.UNSUPPORTED, constructor + " at " + at.position() + " has a second field named " + name
                    + ": BigQuery allows duplicate field names, but the warehouse's STRUCTs cannot hold them; give each field its own"
                    + " name (x AS " + name + "_2)");
        }
    }

    /** Words that stand for a value alone, without parentheses, where a column name could stand. */
    private static final java.util.Set<String> VALUE_WORDS = java.util.Set.of("TRUE", "FALSE", "NULL", "CURRENT_DATE", "CURRENT_TIME",
            "CURRENT_TIMESTAMP", "CURRENT_DATETIME");

    /** Words that end a SELECT list at its own depth. */
    private static final java.util.Set<String> AFTER_SELECT_LIST = java.util.Set.of("FROM", "WHERE", "GROUP", "HAVING", "QUALIFY",
            "WINDOW", "ORDER", "LIMIT", "UNION", "EXCEPT", "INTERSECT");

    /** For SELECT [DISTINCT | ALL] AS {STRUCT | VALUE}, the index of AS; else -1. */
    private int selectAsAt(int i, int to) {
        int k = i + 1;
        if (k < to && (tokens.get(k).isWord("DISTINCT") || tokens.get(k).isWord("ALL"))) {
            k++;
        }
        return k + 1 < to && tokens.get(k).isWord("AS") && (tokens.get(k + 1).isWord("STRUCT") || tokens.get(k + 1).isWord("VALUE")) ? k : -1;
    }

    /**
     * {@code SELECT [DISTINCT] AS STRUCT list} as {@code SELECT [DISTINCT] struct_pack(list)}, {@code SELECT AS VALUE x} as
     * {@code SELECT x}; returns the last index done. A field is named by its alias (with AS or without), else by its column,
     * else {@code _field_n} (BigQuery leaves it anonymous, which a DuckDB struct cannot be).
     */
    private int rewriteSelectAs(int i, int to) {
        int as = selectAsAt(i, to);
        String select = "SELECT" + (as > i + 1 ? " " + tokens.get(i + 1).upper() : "");
        if (tokens.get(as + 1).isWord("VALUE")) {
            appendReplacement(select, tokens.get(i).start(), tokens.get(as + 1).end());
            return as + 1;
        }
        int start = as + 2;
        int end = start;
        int depth = 0;
        for (; end < to; end++) {
            Token t = tokens.get(end);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                if (depth-- == 0) {
                    break;
                }
            } else if (depth == 0 && (t.isSymbol(";") || t.kind() == TokenKind.IDENTIFIER && AFTER_SELECT_LIST.contains(t.upper()))) {
                break;
            }
        }
        if (end == start) {
            throw TokenCursor.expected("the fields of SELECT AS STRUCT", tokens.get(end));
        }
        List<String> fields = new ArrayList<>();
        Set<String> names = new java.util.HashSet<>();
        for (int[] item : TokenCursor.splitAtCommas(tokens, start, end)) {
            int first = item[0];
            int last = item[1];
            if (last - first == 1 && tokens.get(first).isSymbol("*")) {
                throw Tokenizer.syntaxError(tokens.get(first).position(), "SELECT AS STRUCT * is not supported; name the fields"
                        + " (SELECT AS STRUCT a, b ...)");
            }
            boolean withAs = last - first >= 3 && tokens.get(last - 2).isWord("AS") && tokens.get(last - 1).isName();
            boolean implicit = !withAs && last - first >= 2 && tokens.get(last - 1).isName() && aliasAfter(tokens.get(last - 2));
            int valueEnd = withAs ? last - 2 : implicit ? last - 1 : last;
            String value = rewriteNested(first, valueEnd, "SELECT AS STRUCT");
            String name = withAs || implicit ? quoteIdentifier(tokens.get(last - 1).value())
                    : valueEnd - first == 1 && tokens.get(first).isName() ? null
                    : valueEnd - first == 3 && tokens.get(first).isName() && tokens.get(first + 1).isSymbol(".") && tokens.get(first + 2).isName()
                            ? null : quoteIdentifier("_field_" + (fields.size() + 1));
            Token nameToken = name == null || withAs || implicit ? tokens.get(last - 1) : tokens.get(first);
            requireNewField(names, name == null || withAs || implicit ? nameToken.value() : "_field_" + (fields.size() + 1), nameToken,
                    "SELECT AS STRUCT");
            fields.add(name == null ? value : name + " := " + value);
        }
        appendReplacement(select + " struct_pack(" + String.join(", ", fields) + ")", tokens.get(i).start(), tokens.get(end - 1).end());
        return end - 1;
    }

    /** Whether an implicit alias may follow {@code previous}, the token before it: the end of a value, not an operator. */
    private static boolean aliasAfter(Token previous) {
        return previous.isName() && !previous.isWord("AND") && !previous.isWord("OR") && !previous.isWord("NOT")
                && !previous.isWord("CASE") && !previous.isWord("WHEN") && !previous.isWord("THEN") && !previous.isWord("ELSE")
                || previous.kind() == TokenKind.NUMBER || previous.kind() == TokenKind.STRING || previous.isSymbol(")")
                || previous.isSymbol("]") || previous.isWord("END");
    }

    /** Type names a column definition or a function parameter spells otherwise in DuckDB. */
    private static final Set<String> COLUMN_TYPES = Set.of("BYTES", "NUMERIC", "DECIMAL", "BIGNUMERIC", "BIGDECIMAL", "INT", "INTEGER",
            "SMALLINT", "TINYINT", "BYTEINT");

    /**
     * Whether {@code tokens[i]} is the type of a parameter of CREATE [TEMP] FUNCTION f(x type, ...): right after a name that
     * follows the parameter list's "(" or a ",".
     */
    private boolean functionParameterType(int i, int from) {
        int kind = createdKind(from, i);
        if (kind < 0 || !tokens.get(kind).isWord("FUNCTION") || i < from + 2 || !tokens.get(i - 1).isName()
                || !(tokens.get(i - 2).isSymbol("(") || tokens.get(i - 2).isSymbol(","))) {
            return false;
        }
        int k = kind + 1; // the function's (dotted) name, then its parameter list
        while (k + 2 < i && tokens.get(k).isName() && tokens.get(k + 1).isSymbol(".")) {
            k += 2;
        }
        if (k + 1 >= i || !tokens.get(k).isName() || !tokens.get(k + 1).isSymbol("(")) {
            return false;
        }
        int depth = 0; // the "," before the name at the list's own level, not in a NUMERIC(10, 2)
        for (int j = k + 2; j < i; j++) {
            depth += tokens.get(j).isSymbol("(") ? 1 : tokens.get(j).isSymbol(")") ? -1 : 0;
            if (depth < 0) {
                return false;
            }
        }
        return depth == 0;
    }

    /** Whether the statement in {@code tokens[from, i)} begins CREATE [OR REPLACE] [TEMP | TEMPORARY] FUNCTION. */
    private boolean createsFunction(int from, int i) {
        int kind = createdKind(from, i);
        return kind >= 0 && tokens.get(kind).isWord("FUNCTION");
    }

    /** The index of the object kind after CREATE [OR REPLACE] [TEMP | TEMPORARY] at {@code from}, below {@code to}; else -1. */
    private int createdKind(int from, int to) {
        int k = from;
        if (k >= to || !tokens.get(k++).isWord("CREATE")) {
            return -1;
        }
        if (k + 1 < to && tokens.get(k).isWord("OR") && tokens.get(k + 1).isWord("REPLACE")) {
            k += 2;
        }
        if (k < to && (tokens.get(k).isWord("TEMP") || tokens.get(k).isWord("TEMPORARY"))) {
            k++;
        }
        return k < to ? k : -1;
    }

    /** The first index in {@code [from, to)} outside parentheses (relative to {@code from}) whose token {@code stop} accepts; else {@code to}. */
    private int firstOutsideParentheses(int from, int to, java.util.function.IntPredicate stop) {
        int depth = 0;
        for (int j = from; j < to; j++) {
            Token t = tokens.get(j);
            if (t.isSymbol("(")) {
                depth++;
            } else if (t.isSymbol(")")) {
                depth--;
            } else if (depth == 0 && stop.test(j)) {
                return j;
            }
        }
        return to;
    }

    /** Whether {@code tokens[i]} starts BigQuery's {@code SAFE.f(...)}, a call that gives NULL where it would fail. */
    private boolean safePrefix(int i, int from, int to) {
        return tokens.get(i).isWord("SAFE") && !qualified(i, from) && i + 3 < to && tokens.get(i + 1).isSymbol(".")
                && tokens.get(i + 2).kind() == TokenKind.IDENTIFIER && tokens.get(i + 3).isSymbol("(")
                && TokenCursor.matching(tokens, i + 3) < to;
    }

    /** Words DuckDB's grammar takes for an interval's unit after a value ({@code SELECT 3 days} is a parser error there). */
    private static final Set<String> DATE_PART_WORDS = Set.of("MICROSECOND", "MICROSECONDS", "MILLISECOND", "MILLISECONDS", "SECOND",
            "SECONDS", "MINUTE", "MINUTES", "HOUR", "HOURS", "DAY", "DAYS", "WEEK", "WEEKS", "MONTH", "MONTHS", "QUARTER", "QUARTERS",
            "YEAR", "YEARS", "DECADE", "DECADES", "CENTURY", "CENTURIES", "MILLENNIUM", "MILLENNIA");

    /**
     * Whether the word at {@code tokens[i]} is an alias without AS in a SELECT list: it follows the end of a value, ends the
     * item (a comma, FROM, a ")" or the end follows), the item has no INTERVAL that could own it as its unit, and the list's
     * SELECT is the nearest clause word before it at its depth.
     */
    private boolean implicitAlias(int i, int from, int to) {
        Token previous = i > from ? tokens.get(i - 1) : null;
        if (previous == null || qualified(i, from) || !aliasAfter(previous) || previous.kind() == TokenKind.IDENTIFIER
                && (NOT_VALUE_END.contains(previous.upper()) || AFTER_SELECT_LIST.contains(previous.upper()))) {
            return false;
        }
        if (i + 1 < to && !(tokens.get(i + 1).isSymbol(",") || tokens.get(i + 1).isSymbol(")") || tokens.get(i + 1).isSymbol(";")
                || tokens.get(i + 1).isWord("FROM"))) {
            return false;
        }
        int depth = 0;
        boolean sameItem = true;
        for (int k = i - 1; k >= from; k--) {
            Token t = tokens.get(k);
            if (t.isSymbol(")") || t.isSymbol("]")) {
                depth++;
            } else if (t.isSymbol("(") || t.isSymbol("[")) {
                if (depth-- == 0) {
                    return false;
                }
            } else if (depth > 0) {
                continue;
            } else if (t.isSymbol(",")) {
                sameItem = false;
            } else if (sameItem && t.isWord("INTERVAL")) {
                return false;
            } else if (t.isWord("SELECT")) {
                return true;
            } else if (t.kind() == TokenKind.IDENTIFIER && (AFTER_SELECT_LIST.contains(t.upper()) || NOT_SELECT_LIST.contains(t.upper()))) {
                return false;
            }
        }
        return false;
    }

    /** Words that end no value: a date part after them is no alias ({@code SELECT DISTINCT year}, {@code BY day}). */
    private static final Set<String> NOT_VALUE_END = Set.of("SELECT", "DISTINCT", "ALL", "AS", "BY", "IS", "IN", "LIKE", "BETWEEN",
            "INTERVAL", "ON", "USING", "SET", "VALUES", "OVER", "PARTITION", "JOIN", "WITH", "RETURNS");
    /** Clause words, besides those after a SELECT list, that show a word is not in a SELECT list. */
    private static final Set<String> NOT_SELECT_LIST = Set.of("BY", "ON", "USING", "SET", "VALUES", "JOIN");

    /** Whether {@code tokens[i]} follows a dot ({@code schema.f}, {@code ML.F}): a qualified name, not a builtin. */
    private static final java.util.Set<String> INTERVAL_PARTS = java.util.Set.of("MICROSECOND", "MILLISECOND", "SECOND", "MINUTE",
            "HOUR", "DAY", "WEEK", "MONTH", "QUARTER", "YEAR");

    /**
     * For {@code INTERVAL <count> <part>} whose count DuckDB does not take bare (a column, {@code t.col}, a negative
     * number or column), the index just past the count; else {@code i}.
     */
    private int intervalCountEnd(int i, int to) {
        // BigQuery takes any INT64 expression before the part (INTERVAL n * 7 DAY, INTERVAL CAST(x AS INT64) DAY; probe pv).
        // The expression is names, numbers, arithmetic and bracketed or CASE ... END groups up to the part word; anything
        // else at its level (a clause word, a comparison, a string, another INTERVAL) means this is not one, and DuckDB's own
        // forms (INTERVAL '2 day', x::INTERVAL) are left alone (probe pw: a later ORDER BY day was taken for the part).
        if (i > 0 && tokens.get(i - 1).isSymbol("::") || i + 1 < to && tokens.get(i + 1).kind() == TokenKind.STRING) {
            return i;
        }
        int depth = 0;
        int j = i + 1;
        for (; j < to; j++) {
            Token t = tokens.get(j);
            if (t.isSymbol("(") || t.isSymbol("[") || t.isWord("CASE")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]") || t.isWord("END") && depth > 0) {
                if (depth == 0) {
                    return i;
                }
                depth--;
            } else if (depth > 0) {
                continue;
            } else if (j > i + 1 && t.kind() == TokenKind.IDENTIFIER && INTERVAL_PARTS.contains(t.upper())) {
                break;
            } else if (t.kind() == TokenKind.NUMBER || t.kind() == TokenKind.QUOTED_IDENTIFIER
                    || t.kind() == TokenKind.IDENTIFIER && !INTERVAL_STOP.contains(t.upper())
                    || t.kind() == TokenKind.SYMBOL && INTERVAL_OPERATORS.contains(t.text())) {
                continue;
            } else {
                return i;
            }
        }
        if (j >= to || depth != 0) {
            return i;
        }
        Token first = tokens.get(i + 1);
        boolean literal = j == i + 2 && first.kind() == TokenKind.NUMBER; // DuckDB reads INTERVAL 3 DAY itself
        boolean parenthesized = first.isSymbol("(") && TokenCursor.matching(tokens, i + 1) == j - 1;
        return literal || parenthesized ? i : j;
    }

    /** Symbols an INTERVAL's count expression may hold at its own level. */
    private static final java.util.Set<String> INTERVAL_OPERATORS = java.util.Set.of("+", "-", "*", "/", "%", ".", "||");
    /** Words that cannot be part of an INTERVAL's count expression at its own level. */
    private static final java.util.Set<String> INTERVAL_STOP = java.util.Set.of("INTERVAL", "AND", "OR", "NOT", "AS", "IS", "IN", "LIKE",
            "BETWEEN", "FROM", "WHERE", "GROUP", "ORDER", "BY", "HAVING", "LIMIT", "OFFSET", "UNION", "EXCEPT", "INTERSECT", "JOIN",
            "ON", "WHEN", "THEN", "ELSE", "END", "SELECT", "QUALIFY", "WINDOW", "ASC", "DESC", "NULLS");

    private boolean qualified(int i, int from) {
        return i > from && tokens.get(i - 1).isSymbol(".");
    }

    /**
     * Where the header of CREATE [OR REPLACE] [TEMP] TABLE ... ends: its first AS outside parentheses, or the statement's
     * end; -1 for any other statement.
     */
    private int createTableHeaderEnd(int from, int to) {
        int kind = createdKind(from, to);
        if (kind < 0 || !tokens.get(kind).isWord("TABLE")) {
            return -1;
        }
        return firstOutsideParentheses(kind + 1, to, j -> tokens.get(j).isWord("AS"));
    }

    /** The end (exclusive) of a PARTITION BY, CLUSTER BY or OPTIONS(...) clause of a CREATE TABLE header starting at {@code i}; else i. */
    private int tableClauseEnd(int i, int headerEnd) {
        Token token = tokens.get(i);
        if (token.isWord("OPTIONS") && i + 1 < headerEnd && tokens.get(i + 1).isSymbol("(")) {
            return TokenCursor.matching(tokens, i + 1) + 1;
        }
        if (!(token.isWord("PARTITION") || token.isWord("CLUSTER")) || i + 1 >= headerEnd || !tokens.get(i + 1).isWord("BY")) {
            return i;
        }
        return firstOutsideParentheses(i + 2, headerEnd, j -> (tokens.get(j).isWord("CLUSTER") || tokens.get(j).isWord("OPTIONS")
                || tokens.get(j).isWord("PARTITION")) && j + 1 < headerEnd && (tokens.get(j + 1).isWord("BY") || tokens.get(j + 1).isSymbol("(")));
    }

    /**
     * Whether {@code tokens[i]} is the type of a column in CREATE [OR REPLACE] [TEMP] TABLE name (column type, ...): right
     * after a column name that follows the list's "(" or a ",".
     */
    private boolean columnDefinitionType(int i, int from) {
        if (i < from + 2 || !tokens.get(i - 1).isName() || !(tokens.get(i - 2).isSymbol("(") || tokens.get(i - 2).isSymbol(","))) {
            return false;
        }
        int depth = 0;
        int open = -1;
        for (int k = i - 1; k >= from; k--) {
            Token t = tokens.get(k);
            if (t.isSymbol(")")) {
                depth++;
            } else if (t.isSymbol("(") && depth-- == 0) {
                open = k;
                break;
            }
        }
        if (open < 0) {
            return false;
        }
        int k = open - 1; // the table's (dotted) name, then TABLE
        while (k > from && tokens.get(k).isName() && tokens.get(k - 1).isSymbol(".")) {
            k -= 2;
        }
        if (k <= from || !tokens.get(k).isName() || !tokens.get(k - 1).isWord("TABLE")) {
            return false;
        }
        return tokens.get(from).isWord("CREATE");
    }

    /**
     * The index of the {@code >} (or {@code >>}) that closes the parameterized type starting at {@code tokens[i]} (ARRAY or
     * STRUCT, then {@code <}); {@code i} itself when the angle brackets do not close before a comma, parenthesis or
     * semicolon at their own level (a comparison, not a type).
     */
    private int typeEnd(int i, int to) {
        // Between the angle brackets only a type's tokens: names (types, field names), commas, nested brackets and a
        // scalar's (precision, scale). Anything else (a number or a keyword right inside, an AND) is a comparison of a
        // column named struct or array (probe pw: "struct < 5 and y > 3" was taken for a type).
        int depth = 0;
        int parentheses = 0;
        for (int j = i + 1; j < to; j++) {
            Token t = tokens.get(j);
            if (parentheses > 0) {
                if (t.isSymbol(")")) {
                    parentheses--;
                } else if (!(t.kind() == TokenKind.NUMBER || t.isSymbol(","))) {
                    return i;
                }
            } else if (t.isSymbol("<")) {
                depth++;
                if (j + 1 >= to || !tokens.get(j + 1).isName()) {
                    return i;
                }
            } else if (t.isSymbol(">") || t.isSymbol(">>")) {
                depth -= t.text().length();
                if (depth <= 0) {
                    return depth == 0 ? j : i;
                }
            } else if (t.isSymbol("(")) {
                parentheses++;
            } else if (!(t.isSymbol(",") || t.isName() && !TYPE_STOP.contains(t.upper()))) {
                return i;
            }
        }
        return i;
    }

    /** Words that cannot stand in a type between angle brackets. */
    private static final java.util.Set<String> TYPE_STOP = java.util.Set.of("AND", "OR", "NOT", "AS", "IS", "IN", "LIKE", "BETWEEN",
            "FROM", "WHERE", "SELECT", "THEN", "ELSE", "WHEN", "END", "CASE", "NULL", "TRUE", "FALSE");

    /** DuckDB's text of the BigQuery type written by {@code tokens[from..to)}, parameterized or not. */
    private String duckDbType(int from, int to) {
        List<String> atoms = new ArrayList<>();
        for (int k = from; k < to; k++) {
            Token t = tokens.get(k);
            if (t.isSymbol(">>")) {
                atoms.add(">");
                atoms.add(">");
            } else {
                atoms.add(t.kind() == TokenKind.QUOTED_IDENTIFIER ? quoteIdentifier(t.value()) : t.text());
            }
        }
        int[] at = {0};
        return type(atoms, at);
    }

    private static String type(List<String> atoms, int[] at) {
        String word = atoms.get(at[0]++);
        String upper = word.toUpperCase(Locale.ROOT);
        if (at[0] < atoms.size() && atoms.get(at[0]).equals("<") && (upper.equals("ARRAY") || upper.equals("STRUCT"))) {
            at[0]++;
            if (upper.equals("ARRAY")) {
                String element = type(atoms, at);
                at[0]++; // >
                return element + "[]";
            }
            List<String> fields = new ArrayList<>();
            while (at[0] < atoms.size() && !atoms.get(at[0]).equals(">")) {
                String next = at[0] + 1 < atoms.size() ? atoms.get(at[0] + 1) : ">";
                boolean named = !next.equals(",") && !next.equals(">") && !next.equals("<") && !next.equals("(");
                String name = named ? atoms.get(at[0]++) : "_field_" + (fields.size() + 1);
                fields.add(name + " " + type(atoms, at));
                if (at[0] < atoms.size() && atoms.get(at[0]).equals(",")) {
                    at[0]++;
                }
            }
            at[0]++; // >
            return "STRUCT(" + String.join(", ", fields) + ")";
        }
        Optional<String> known = upper.equals("FLOAT64") ? Optional.of("DOUBLE") : GoogleSqlFunctions.castType(upper);
        StringBuilder scalar = new StringBuilder(known.orElse(word));
        if (at[0] < atoms.size() && atoms.get(at[0]).equals("(")) { // STRING(10), NUMERIC(10, 2): DuckDB's own text
            if (known.isPresent()) {
                scalar = new StringBuilder(known.get().startsWith("DECIMAL") ? "DECIMAL" : word);
            }
            while (at[0] < atoms.size() && !atoms.get(at[0]).equals(")")) {
                scalar.append(atoms.get(at[0]++));
            }
            scalar.append(atoms.get(at[0]++));
        }
        return scalar.toString();
    }

    /**
     * Whether the word FLOAT64 at {@code tokens[i]} stands where a type does: a cast's target ({@code CAST(x AS FLOAT64[])},
     * {@code x::FLOAT64}), a column or parameter definition ({@code (name FLOAT64, ...)} outside a subquery's select list),
     * after RETURNS, {@code ADD COLUMN c}, {@code DECLARE x} or {@code SET DATA TYPE}. Anywhere else it is a name: an alias
     * or a column called float64 (probe rf: {@code SELECT 1 AS float64} named its column DOUBLE).
     */
    private boolean float64Type(int i, int from, int to) {
        if (qualified(i, from) || i + 1 < to && tokens.get(i + 1).isSymbol("(") || i == from) {
            return false;
        }
        Token previous = tokens.get(i - 1);
        if (previous.isSymbol("::") || previous.isWord("RETURNS") || previous.isWord("TYPE")) {
            return true;
        }
        if (previous.isWord("AS")) {
            int after = i + 1; // CAST(x AS FLOAT64[]): past the brackets, the cast's ")"
            while (after + 1 < to && tokens.get(after).isSymbol("[") && tokens.get(after + 1).isSymbol("]")) {
                after += 2;
            }
            int open = after < to && tokens.get(after).isSymbol(")") ? opening(after, from) : -1;
            return open > from && (tokens.get(open - 1).isWord("CAST") || tokens.get(open - 1).isWord("SAFE_CAST")
                    || tokens.get(open - 1).isWord("TRY_CAST"));
        }
        if (!previous.isName() || i - 2 < from) {
            return false;
        }
        Token before = tokens.get(i - 2);
        if (before.isWord("COLUMN") || before.isWord("DECLARE") || before.isWord("EXISTS")) {
            return true;
        }
        if (!before.isSymbol("(") && !before.isSymbol(",")) {
            return false;
        }
        int depth = 0; // the "(" of the list the name stands in: a table's columns, a function's parameters, not a subquery
        for (int k = i - 2; k >= from; k--) {
            Token t = tokens.get(k);
            if (t.isSymbol(")")) {
                depth++;
            } else if (t.isSymbol("(") && depth-- == 0) {
                return k + 1 < to && !tokens.get(k + 1).isWord("SELECT") && !tokens.get(k + 1).isWord("WITH");
            }
        }
        return false;
    }

    /** For {@code CAST(x AS TIMESTAMP)} (or SAFE_CAST, TRY_CAST) at {@code tokens[i]}, the index of its ")"; else -1. */
    private int timestampCastClose(int i, int from, int to) {
        return castClose(i, from, to, Set.of("TIMESTAMP"));
    }

    /** For a cast to one of {@code targets} (CAST, SAFE_CAST or TRY_CAST) at {@code tokens[i]}, the index of its ")"; else -1. */
    private int castClose(int i, int from, int to, Set<String> targets) {
        Token token = tokens.get(i);
        if (!(token.isWord("CAST") || token.isWord("SAFE_CAST") || token.isWord("TRY_CAST")) || qualified(i, from) || i + 4 >= to
                || !tokens.get(i + 1).isSymbol("(")) {
            return -1;
        }
        int close = TokenCursor.matching(tokens, i + 1);
        return close < to && close - 2 > i + 1 && targets.contains(tokens.get(close - 1).upper())
                && tokens.get(close - 1).kind() == TokenKind.IDENTIFIER && tokens.get(close - 2).isWord("AS") ? close : -1;
    }

    /** BigQuery's names of INT64, as a cast's target. */
    private static final Set<String> INT64_NAMES = Set.of("INT64", "INT", "INTEGER", "BIGINT", "SMALLINT", "TINYINT", "BYTEINT");

    /** For {@code CAST(x AS INT64)} (or an alias of INT64; SAFE_CAST, TRY_CAST) at {@code tokens[i]}, the index of its ")"; else -1. */
    private int integerCastClose(int i, int from, int to) {
        return castClose(i, from, to, INT64_NAMES);
    }

    /** Whether {@code tokens[i]} is a BigQuery type name DuckDB lacks, as the target of a CAST: {@code CAST(x AS FLOAT64)}. */
    private boolean castTarget(int i, int from, int to) {
        Token token = tokens.get(i);
        if (token.kind() != TokenKind.IDENTIFIER || GoogleSqlFunctions.castType(token.upper()).isEmpty() || i - 1 <= from
                || !tokens.get(i - 1).isWord("AS") || i + 1 >= to || !tokens.get(i + 1).isSymbol(")")) {
            return false;
        }
        int open = opening(i + 1, from); // the "(" this CAST's ")" closes, and the word before it
        if (open <= from) {
            return false;
        }
        Token function = tokens.get(open - 1);
        return function.isWord("CAST") || function.isWord("SAFE_CAST") || function.isWord("TRY_CAST");
    }

    private boolean isGoogleSqlCall(int i, int from, int to) {
        Token token = tokens.get(i);
        return token.kind() == TokenKind.IDENTIFIER && GoogleSqlFunctions.NAMES.contains(token.upper()) && i + 1 < to
                && tokens.get(i + 1).isSymbol("(") && !qualified(i, from);
    }

    /** Rewrites the call at {@code i} when {@link GoogleSqlFunctions} knows its form, else only its name; returns the last index done. */
    private int rewriteGoogleSqlCall(int i, int to) {
        Token name = tokens.get(i);
        int close = TokenCursor.matching(tokens, i + 1);
        if (close >= to) {
            throw TokenCursor.expected("')' closing " + name.text() + "(", tokens.get(to));
        }
        List<String> arguments = new ArrayList<>();
        List<Optional<String>> words = new ArrayList<>();
        for (int[] argument : TokenCursor.splitAtCommas(tokens, i + 2, close)) {
            arguments.add(rewriteNested(argument[0], argument[1], "an argument of " + name.upper()));
            boolean word = argument[1] - argument[0] == 1 && tokens.get(argument[0]).kind() == TokenKind.IDENTIFIER;
            // a date part WEEK(MONDAY) is one word, "WEEK(MONDAY)"
            boolean week = argument[1] - argument[0] == 4 && tokens.get(argument[0]).isWord("WEEK") && tokens.get(argument[0] + 1).isSymbol("(")
                    && tokens.get(argument[0] + 2).kind() == TokenKind.IDENTIFIER && tokens.get(argument[0] + 3).isSymbol(")");
            words.add(word ? Optional.of(tokens.get(argument[0]).upper())
                    : week ? Optional.of("WEEK(" + tokens.get(argument[0] + 2).upper() + ")") : Optional.empty());
        }
        Optional<String> rewritten = GoogleSqlFunctions.rewrite(name.upper(), arguments, words);
        Optional<String> unsupported = GoogleSqlFunctions.unsupportedPart(name.upper(), words);
        if (unsupported.isPresent()) {
            throw new LatheException(ErrorCode.UNSUPPORTED, name.upper() + " at " + name.position() + ": " + unsupported.get());
        }
        if (Set.of("REGEXP_EXTRACT", "REGEXP_SUBSTR", "REGEXP_EXTRACT_ALL").contains(name.upper()) && arguments.size() >= 2) {
            int groups = GoogleSqlFunctions.captureGroups(arguments.get(1));
            if (groups > 1 && groups != Integer.MAX_VALUE) { // BigQuery's error; DuckDB's gave the whole match
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, name.upper() + " at " + name.position() + ": the regular"
                        + " expression has " + groups + " capturing groups, and an extraction takes at most one (make the others"
                        + " non-capturing: (?:...))");
            }
        }
        if (rewritten.isEmpty() && (name.isWord("APPROX_QUANTILES") || name.isWord("APPROX_TOP_COUNT"))) {
            // no such DuckDB function to leave it to: "approx_quantiles does not exist! Did you mean APPROX_QUANTILES?" (probe pw)
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, name.upper() + " at " + name.position() + " takes a column and a"
                    + " literal number, " + (name.isWord("APPROX_QUANTILES") ? "of quantiles from 1 to 9999 (APPROX_QUANTILES(x, 4))"
                            : "of values from 1 to 999999 (APPROX_TOP_COUNT(x, 10))") + "; RESPECT NULLS is not supported");
        }
        if (rewritten.isEmpty() && name.isWord("CONTAINS_SUBSTR")) { // no DuckDB function of the name to leave it to
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "CONTAINS_SUBSTR at " + name.position() + " "
                    + GoogleSqlFunctions.containsSubstrForms());
        }
        if (rewritten.isEmpty()) {
            appendVerbatim(name.start(), name.end()); // a form left to DuckDB: the arguments are rewritten as any other text
            return i;
        }
        appendReplacement(rewritten.get(), name.start(), tokens.get(close).end());
        return close;
    }

    /** The index of FROM in {@code EXTRACT(part FROM x)} or {@code EXTRACT(WEEK(MONDAY) FROM x)} at {@code i}, else -1. */
    private int extractFrom(int i) {
        int at = tokens.get(i + 3).isSymbol("(") && i + 5 < tokens.size() && tokens.get(i + 4).kind() == TokenKind.IDENTIFIER
                && tokens.get(i + 5).isSymbol(")") ? i + 6 : i + 3;
        return at < tokens.size() && tokens.get(at).isWord("FROM") ? at : -1;
    }

    /**
     * {@code EXTRACT(part FROM x)} with BigQuery's meaning where DuckDB reads the part otherwise (DAYOFWEEK from 1 on Sunday,
     * WEEK starting on Sunday, ISOWEEK, DATE); any other part is left as written. Returns the last index done.
     */
    private int rewriteExtract(int i, int from, int to) {
        int close = TokenCursor.matching(tokens, i + 1);
        if (close >= to) {
            throw TokenCursor.expected("')' closing EXTRACT(", tokens.get(to));
        }
        Optional<String> weekday = from == i + 6 ? Optional.of(tokens.get(i + 4).upper()) : Optional.empty();
        // EXTRACT(part FROM t AT TIME ZONE z) reads the part in zone z (BigQuery); DuckDB's t AT TIME ZONE z took a plain
        // TIMESTAMP (Lathe's UTC) for z's wall clock and moved it the other way (probe rf: HOUR of 10:00 UTC in New York was
        // 15, not 5). timezone(z, instant) is z's wall clock, a TIMESTAMP or TIMESTAMPTZ t read as an instant in UTC.
        int at = firstOutsideParentheses(from + 1, close, j -> j + 2 < close && tokens.get(j).isWord("AT")
                && tokens.get(j + 1).isWord("TIME") && tokens.get(j + 2).isWord("ZONE"));
        String value = at < close && at > from + 1 && at + 3 < close
                ? "timezone(" + rewriteNested(at + 3, close, "an argument of EXTRACT") + ", CAST(" + rewriteNested(from + 1, at,
                        "an argument of EXTRACT") + " AS TIMESTAMPTZ))"
                : rewriteNested(from + 1, close, "an argument of EXTRACT");
        String part = tokens.get(i + 2).upper();
        Optional<String> rewritten = GoogleSqlFunctions.extract(part, weekday, value);
        if (rewritten.isEmpty() && at < close && weekday.isEmpty()) {
            rewritten = Optional.of("EXTRACT(" + tokens.get(i + 2).text() + " FROM " + value + ")");
        }
        if (rewritten.isEmpty()) {
            appendVerbatim(tokens.get(i).start(), tokens.get(i).end());
            return i;
        }
        appendReplacement(rewritten.get(), tokens.get(i).start(), tokens.get(close).end());
        return close;
    }

    /** Where BigQuery's clauses stand inside {@code ARRAY_AGG(...)}: each an index of the call's tokens, -1 when absent. */
    private record ArrayAggClauses(int close, int expressionStart, int nulls, boolean ignoreNulls, int orderBy, int limit) {}

    /**
     * The clauses of the ARRAY_AGG call at {@code i} when it has {@code IGNORE NULLS}, {@code RESPECT NULLS} or
     * {@code LIMIT n}, which DuckDB's array_agg does not take; null for any other call (left as written), or for an
     * analytic one ({@code OVER} follows).
     */
    private ArrayAggClauses arrayAggClauses(int i, int to) {
        int close = TokenCursor.matching(tokens, i + 1);
        if (close >= to || (close + 1 < to && tokens.get(close + 1).isWord("OVER"))) {
            return null;
        }
        int start = tokens.get(i + 2).isWord("DISTINCT") ? i + 3 : i + 2;
        int nulls = -1;
        int order = -1;
        int limit = -1;
        boolean ignore = false;
        int depth = 0;
        for (int k = start; k < close; k++) {
            Token t = tokens.get(k);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && (t.isWord("IGNORE") || t.isWord("RESPECT")) && tokens.get(k + 1).isWord("NULLS") && nulls < 0) {
                nulls = k;
                ignore = t.isWord("IGNORE");
            } else if (depth == 0 && t.isWord("ORDER") && tokens.get(k + 1).isWord("BY") && order < 0) {
                order = k;
            } else if (depth == 0 && t.isWord("LIMIT") && k + 2 == close && tokens.get(k + 1).kind() == TokenKind.NUMBER) {
                limit = k;
            }
        }
        return nulls < 0 && limit < 0 ? null : new ArrayAggClauses(close, start, nulls, ignore, order, limit);
    }

    /**
     * {@code ARRAY_AGG([DISTINCT] x [IGNORE | RESPECT NULLS] [ORDER BY ...] [LIMIT n])} as DuckDB's
     * {@code (array_agg([DISTINCT] x [ORDER BY ...]) FILTER (WHERE x IS NOT NULL))[1:n]}; returns the index of its ")".
     */
    private int rewriteArrayAgg(int i, ArrayAggClauses clauses) {
        int close = clauses.close();
        int expressionEnd = java.util.stream.IntStream.of(clauses.nulls(), clauses.orderBy(), clauses.limit(), close)
                .filter(k -> k >= 0).min().orElse(close);
        String expression = rewriteNested(clauses.expressionStart(), expressionEnd, "ARRAY_AGG");
        StringBuilder call = new StringBuilder("array_agg(");
        if (clauses.expressionStart() == i + 3) {
            call.append("DISTINCT ");
        }
        call.append(expression);
        if (clauses.orderBy() >= 0) {
            int orderEnd = clauses.limit() >= 0 ? clauses.limit() : close;
            call.append(' ').append(rewriteNested(clauses.orderBy(), orderEnd, "ARRAY_AGG"));
        }
        call.append(')');
        if (clauses.ignoreNulls()) {
            call.append(" FILTER (WHERE (").append(expression).append(") IS NOT NULL)");
        }
        String text = clauses.limit() >= 0 ? "(" + call + ")[1:" + tokens.get(clauses.limit() + 1).text() + "]" : call.toString();
        appendReplacement(text, tokens.get(i).start(), tokens.get(close).end());
        return close;
    }

    /**
     * For a call {@code f(x HAVING MAX y)} or {@code HAVING MIN} (GoogleSQL's aggregate clause) at {@code tokens[i]}, the index
     * of its HAVING; else 0. A subquery's HAVING clause, {@code EXISTS(SELECT ... HAVING MAX(b) > 1)}, is not one.
     */
    private int havingExtreme(int i, int to) {
        int close = TokenCursor.matching(tokens, i + 1);
        if (close >= to || close < i + 3 || tokens.get(i + 2).isWord("SELECT") || tokens.get(i + 2).isWord("WITH")) {
            return 0;
        }
        int depth = 0;
        for (int k = i + 2; k + 2 < close; k++) {
            Token t = tokens.get(k);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && t.isWord("HAVING") && (tokens.get(k + 1).isWord("MAX") || tokens.get(k + 1).isWord("MIN"))) {
                return k;
            }
        }
        return 0;
    }

    /**
     * {@code ANY_VALUE(x HAVING MAX y)}: x of a row whose y is the group's greatest (least for MIN), NULLs of y ignored unless
     * every y is NULL (then of any row), and, as ANY_VALUE ignores NULLs, a non-NULL x where such a row has one. DuckDB has
     * no such clause (a parser error): {@code CASE WHEN count(y) = 0 THEN any_value(x) ELSE arg_max_null(x, CASE WHEN y IS
     * NOT NULL THEN struct_pack(v := y, n := x IS NOT NULL) END) END} (DuckDB's arg_max skips a NULL x, so it gave the x of
     * another row). Other aggregates with the clause are refused. Returns the index of the call's ")".
     */
    private int rewriteHavingExtreme(int i, int having, int to) {
        Token name = tokens.get(i);
        int close = TokenCursor.matching(tokens, i + 1);
        String clause = "HAVING " + tokens.get(having + 1).upper();
        if (!name.isWord("ANY_VALUE")) {
            throw new LatheException(ErrorCode.UNSUPPORTED, clause + " in " + name.text() + "(...) at " + tokens.get(having).position()
                    + " is not supported: Lathe takes it in ANY_VALUE(x " + clause + " y) only. Keep the rows with the extreme value in"
                    + " a subquery instead (WHERE y = (SELECT MAX(y) ...)), or use ANY_VALUE");
        }
        if (close + 1 < to && tokens.get(close + 1).isWord("OVER")) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "ANY_VALUE(x " + clause + " y) at " + name.position() + " is an aggregate"
                    + " here, not an analytic function: remove OVER (...), or use FIRST_VALUE(x) OVER (... ORDER BY y)");
        }
        String value = "(" + rewriteNested(i + 2, having, "ANY_VALUE") + ")";
        String key = "(" + rewriteNested(having + 2, close, "ANY_VALUE") + ")";
        boolean max = tokens.get(having + 1).isWord("MAX");
        String text = "(CASE WHEN count(" + key + ") = 0 THEN any_value(" + value + ") ELSE " + (max ? "arg_max_null(" : "arg_min_null(")
                + value + ", CASE WHEN " + key + " IS NOT NULL THEN struct_pack(v := " + key + ", n := " + value
                + (max ? " IS NOT NULL" : " IS NULL") + ") END) END)";
        appendReplacement(text, name.start(), tokens.get(close).end());
        return close;
    }

    /** Words that end a FROM item where an alias could stand: {@code UNNEST(x) WHERE ...} has no alias. */
    private static final Set<String> NOT_ALIASES = Set.of("WHERE", "ON", "USING", "JOIN", "INNER", "LEFT", "RIGHT",
            "FULL", "CROSS", "NATURAL", "GROUP", "HAVING", "QUALIFY", "WINDOW", "ORDER", "LIMIT", "OFFSET", "UNION", "INTERSECT", "EXCEPT",
            "WITH", "AS", "TABLESAMPLE", "PIVOT", "UNPIVOT", "POSITIONAL", "ASOF", "SEMI", "ANTI", "LATERAL");

    /**
     * Whether {@code tokens[i]} is the alias of an {@code UNNEST(...)} in a FROM clause: BigQuery's {@code UNNEST(a) AS x} names
     * the element x, DuckDB's a table x whose column is "unnest", so the alias gains a column list, {@code AS x(x)}.
     */
    private boolean unnestAlias(int i, int from, int to) {
        Token alias = tokens.get(i);
        if (alias.kind() != TokenKind.IDENTIFIER && alias.kind() != TokenKind.QUOTED_IDENTIFIER
                || alias.kind() == TokenKind.IDENTIFIER && NOT_ALIASES.contains(alias.upper())
                || i + 1 < to && (tokens.get(i + 1).isSymbol("(") || tokens.get(i + 1).isSymbol("."))) {
            return false;
        }
        int close = tokens.get(i - 1 > from ? i - 1 : i).isWord("AS") ? i - 2 : i - 1;
        if (close <= from || !tokens.get(close).isSymbol(")")) {
            return false;
        }
        int open = opening(close, from);
        if (open < 0 || open - 1 < from || !tokens.get(open - 1).isWord("UNNEST") || qualified(open - 1, from)) {
            return false;
        }
        return inFromClause(open - 1, from);
    }

    /**
     * For BigQuery's {@code UNNEST(a) [AS] x WITH OFFSET [[AS] o]} in a FROM clause starting at {@code i}, the index of its
     * last token; else 0.
     */
    private int unnestWithOffsetEnd(int i, int from, int to) {
        if (!tokens.get(i).isWord("UNNEST") || i + 1 >= to || !tokens.get(i + 1).isSymbol("(") || qualified(i, from)) {
            return 0;
        }
        int close = TokenCursor.matching(tokens, i + 1);
        int alias = close + 1 < to && tokens.get(close + 1).isWord("AS") ? close + 2 : close + 1;
        if (alias + 2 >= to || !isAlias(tokens.get(alias)) || !tokens.get(alias + 1).isWord("WITH")
                || !tokens.get(alias + 2).isWord("OFFSET") || !inFromClause(i, from)) {
            return 0;
        }
        int end = alias + 2;
        int offsetAlias = end + 1 < to && tokens.get(end + 1).isWord("AS") ? end + 2 : end + 1;
        return offsetAlias < to && isAlias(tokens.get(offsetAlias)) ? offsetAlias : end;
    }

    /**
     * For BigQuery's {@code UNNEST(a) [WITH OFFSET [[AS] o]]} without an element alias in a FROM clause starting at
     * {@code i}, the index of its last token; else 0. DuckDB's forms ({@code UNNEST(a, ...)} with named arguments) are
     * left alone.
     */
    private int bareUnnestEnd(int i, int from, int to) {
        if (!tokens.get(i).isWord("UNNEST") || i + 1 >= to || !tokens.get(i + 1).isSymbol("(") || qualified(i, from)) {
            return 0;
        }
        int close = TokenCursor.matching(tokens, i + 1);
        if (close >= to || close == i + 2 || TokenCursor.splitAtCommas(tokens, i + 2, close).size() != 1
                || close + 1 < to && (tokens.get(close + 1).isWord("AS") || isAlias(tokens.get(close + 1)))
                || !inFromClause(i, from)) {
            return 0;
        }
        if (close + 2 >= to || !tokens.get(close + 1).isWord("WITH") || !tokens.get(close + 2).isWord("OFFSET")) {
            return close;
        }
        int end = close + 2;
        int offsetAlias = end + 1 < to && tokens.get(end + 1).isWord("AS") ? end + 2 : end + 1;
        return offsetAlias < to && isAlias(tokens.get(offsetAlias)) ? offsetAlias : end;
    }

    /**
     * {@code UNNEST(a) [WITH OFFSET [AS o]]} without an element alias as a lateral subquery,
     * {@code (SELECT unnest(a, max_depth := 2) AS "unnest"[, generate_subscripts(a, 1) - 1 AS o])}: as in BigQuery, an
     * array of STRUCTs gives a column per field (DuckDB's UNNEST gave one column "unnest" holding the STRUCT, so
     * {@code (SELECT prob FROM UNNEST(probs) WHERE label = 'x')} found no column "label"; probe vp F1), any other array one
     * column; returns the index of its last token.
     */
    private int rewriteBareUnnest(int i, int end) {
        int close = TokenCursor.matching(tokens, i + 1);
        String array = rewriteNested(i + 2, close, "UNNEST(...)");
        appendReplacement(fieldsUnnest(array, "\"unnest\"", close, end), tokens.get(i).start(), tokens.get(end).end());
        return end;
    }

    /**
     * {@code (SELECT unnest(array, max_depth := 2) AS column[, generate_subscripts(array, 1) - 1 AS o])}: a STRUCT's fields as
     * columns, any other element as {@code column}; the offset's column where {@code tokens[elementEnd, end]} holds
     * {@code WITH OFFSET [[AS] o]}.
     */
    private String fieldsUnnest(String array, String column, int elementEnd, int end) {
        StringBuilder text = new StringBuilder("(SELECT unnest(").append(array).append(", max_depth := 2) AS ").append(column);
        if (end > elementEnd) {
            String offset = tokens.get(end).isWord("OFFSET") ? "\"offset\"" : aliasText(tokens.get(end));
            text.append(", generate_subscripts(").append(array).append(", 1) - 1 AS ").append(offset);
        }
        return text.append(')').toString();
    }

    /**
     * For BigQuery's array path {@code r.a[.b ...] [[AS] x] [WITH OFFSET [[AS] o]]} as a FROM item starting at {@code i}, whose
     * first name is a range variable defined before it in a FROM clause ({@code FROM t AS p, p.arr AS x}, {@code FROM t,
     * t.arr}, {@code CROSS JOIN p.arr}), the index of its last token; else 0. A path whose first name is no such variable is a
     * table ({@code FROM t, dataset.table}), and so is one that names a table of the {@link #catalog} ({@link #mayBeTable}).
     */
    private int arrayPathEnd(int i, int from, int to) {
        Token first = tokens.get(i);
        if (i == from || !isAlias(first) || qualified(i, from)
                || !(tokens.get(i - 1).isSymbol(",") || tokens.get(i - 1).isWord("JOIN") || tokens.get(i - 1).isWord("FROM"))) {
            return 0;
        }
        int last = i;
        while (last + 2 < to && tokens.get(last + 1).isSymbol(".") && tokens.get(last + 2).isName()) {
            last += 2;
        }
        if (last == i || last + 1 < to && (tokens.get(last + 1).isSymbol("(") || tokens.get(last + 1).isSymbol("."))
                || !inFromClause(i, from) || !rangeVariableBefore(first.value(), i) || mayBeTable(i, last)) {
            return 0;
        }
        int end = last;
        int alias = end + 1 < to && tokens.get(end + 1).isWord("AS") ? end + 2 : end + 1;
        if (alias < to && isAlias(tokens.get(alias))) {
            end = alias;
        }
        if (end + 2 < to && tokens.get(end + 1).isWord("WITH") && tokens.get(end + 2).isWord("OFFSET")) {
            end += 2;
            int offsetAlias = end + 1 < to && tokens.get(end + 1).isWord("AS") ? end + 2 : end + 1;
            if (offsetAlias < to && isAlias(tokens.get(offsetAlias))) {
                end = offsetAlias;
            }
        }
        return end;
    }

    /**
     * Whether the path {@code tokens[i, last]} may also name a table, {@code dataset.table} or {@code project.dataset.table}:
     * in Lathe a dataset is often named as one of its tables or as an alias ({@code FROM d.d, d.u}, {@code FROM d.t AS d,
     * d.u}), which BigQuery would read as an array path of the range variable d. A table that exists wins, as before array
     * paths were read (probe vr 1); a path of four or more names is no table.
     */
    private boolean mayBeTable(int i, int last) {
        int names = (last - i) / 2 + 1;
        if (names > 3) {
            return false;
        }
        askedCatalog = true;
        return catalog.mayExist(tokens.get(last - 2).value(), tokens.get(last).value());
    }

    /**
     * Whether {@code name} is a range variable in scope at {@code tokens[i]}: a name in a FROM clause of the same query
     * before i, or of a query around it (anywhere in that query: a subquery in its select list sees its FROM), that no "."
     * or "(" follows (an alias, or a table's last part: its implicit alias). Other subqueries and the other queries of a
     * UNION are out of scope.
     */
    private boolean rangeVariableBefore(String name, int i) {
        int depth = 0;
        boolean skipping = false; // before a set operation at this level: another query's FROM
        for (int k = i - 1; k >= statementFrom; k--) {
            Token token = tokens.get(k);
            if (token.isSymbol(")") || token.isSymbol("]")) {
                depth++;
            } else if (token.isSymbol("(") || token.isSymbol("[")) {
                if (depth-- == 0) {
                    depth = 0; // out to the query around this one: its FROM may follow (not a FROM item's own alias)
                    skipping = false;
                    if (!inFromClause(k, statementFrom) && rangeVariableAfter(name, TokenCursor.matching(tokens, k) + 1)) {
                        return true;
                    }
                }
            } else if (depth == 0 && !skipping && setOperation(k)) {
                skipping = true;
            } else if (depth == 0 && !skipping && definesRangeVariable(k, name)) {
                return true;
            }
        }
        return false;
    }

    /** Whether a FROM clause of the query that goes on at {@code tokens[k]} defines {@code name}, from k to that query's end. */
    private boolean rangeVariableAfter(String name, int k) {
        int depth = 0;
        for (int j = k; j < statementTo; j++) {
            Token token = tokens.get(j);
            if (token.isSymbol("(") || token.isSymbol("[")) {
                depth++;
            } else if (token.isSymbol(")") || token.isSymbol("]")) {
                if (depth-- == 0) {
                    return false;
                }
            } else if (depth == 0 && setOperation(j)) {
                return false;
            } else if (depth == 0 && definesRangeVariable(j, name)) {
                return true;
            }
        }
        return false;
    }

    private boolean setOperation(int k) {
        Token token = tokens.get(k);
        return token.isWord("UNION") || token.isWord("INTERSECT") || token.isWord("EXCEPT") && !tokens.get(k + 1).isSymbol("(");
    }

    /** Whether {@code tokens[k]} is {@code name} as a range variable: in a FROM clause, and no "." or "(" after it. */
    private boolean definesRangeVariable(int k, String name) {
        Token token = tokens.get(k);
        return token.isName() && token.value().equalsIgnoreCase(name) && k + 1 < tokens.size() && !tokens.get(k + 1).isSymbol(".")
                && !tokens.get(k + 1).isSymbol("(") && inFromClause(k, statementFrom);
    }

    /**
     * BigQuery's array path {@code r.a AS x} as DuckDB's {@code UNNEST(r.a) AS x(x)}; with {@code WITH OFFSET [AS o]}, the
     * lateral subquery of an aliased UNNEST WITH OFFSET. Without an alias, the element's implicit alias is the path's last
     * name a, which is also r's column: {@code (SELECT unnest(r.a, max_depth := 2) AS a) AS a}, so that {@code a.field}
     * names a STRUCT's field (with {@code UNNEST(r.a) AS a(a)}, DuckDB found a.field ambiguous). Returns the index of its
     * last token.
     */
    private int rewriteArrayPath(int i, int end) {
        int last = i;
        while (last + 2 <= end && tokens.get(last + 1).isSymbol(".") && tokens.get(last + 2).isName()) {
            last += 2;
        }
        String path = rewriteNested(i, last + 1, "an array path");
        int with = last + 1;
        while (with <= end && !tokens.get(with).isWord("WITH")) {
            with++;
        }
        Token alias = with - 1 > last ? tokens.get(with - 1) : tokens.get(last);
        String element = aliasText(alias);
        String text;
        if (with - 1 == last) {
            text = fieldsUnnest(path, element, last, end) + " AS " + element;
        } else if (with > end) {
            text = "UNNEST(" + path + ") AS " + element + "(" + element + ")";
        } else {
            String offset = tokens.get(end).isWord("OFFSET") ? "\"offset\"" : aliasText(tokens.get(end));
            text = unnestWithOffset(path, element, offset, alias.value());
        }
        appendReplacement(text, tokens.get(i).start(), tokens.get(end).end());
        return end;
    }

    /**
     * The index of the last token of a wildcard table's name starting at {@code tokens[i]} ({@code `dataset.prefix*`},
     * {@code `project.dataset.prefix*`}, {@code dataset.`prefix*`}: a dotted name in a FROM clause whose last part ends with
     * {@code *}); else -1.
     */
    private int wildcardTableEnd(int i, int from, int to) {
        Token token = tokens.get(i);
        if (!token.isName() || i > from && tokens.get(i - 1).isSymbol(".") || !inFromClause(i, from)) {
            return -1;
        }
        int end = i;
        while (end + 2 < to && tokens.get(end + 1).isSymbol(".") && tokens.get(end + 2).isName()) {
            end += 2;
        }
        Token last = tokens.get(end);
        return last.kind() == TokenKind.QUOTED_IDENTIFIER && last.value().endsWith("*") ? end : -1;
    }

    /**
     * BigQuery's wildcard table (probe vp F2): its name is kept, DuckDB-quoted, and listed in {@link #wildcards} with its span;
     * the executor puts the union of the matching tables there when the statement runs. Returns {@code end}.
     */
    private int rewriteWildcardTable(int i, int end) {
        Token first = tokens.get(i);
        String written = source.substring(first.start(), tokens.get(end).end());
        List<String> parts = nameParts(i, end);
        String table = parts.getLast();
        if (tableFunctionContext.isPresent()) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "The wildcard table " + written + " at " + first.position()
                    + " cannot be used in " + tableFunctionContext.get() + "; use it in the FROM clause of a query");
        }
        if (i >= statementFrom + 2 && tokens.get(i - 1).isWord("FROM") && tokens.get(i - 2).isWord("DELETE")) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The wildcard table " + written + " at " + first.position()
                    + " cannot be the target of DELETE, as in BigQuery: a wildcard table is read only; name one table");
        }
        if (parts.size() < 2 || table.indexOf('*') != table.length() - 1) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The wildcard table " + written + " at " + first.position()
                    + " needs a dataset and one * at the end of the table's name, as in `dataset.prefix*`");
        }
        String dataset = parts.get(parts.size() - 2);
        String prefix = table.substring(0, table.length() - 1);
        int start = out.length();
        appendReplacement(quoteIdentifier(dataset) + "." + quoteIdentifier(table), first.start(), tokens.get(end).end());
        wildcards.add(new WildcardTable(dataset, prefix, written, start, out.length(), first.position()));
        return end;
    }

    /**
     * Whether the {@code *} at {@code i} is a select list's star over a wildcard table of its FROM clause ({@code *}, or
     * {@code alias.*} where alias names a wildcard table): 0 if not, else the index of the ")" of the {@code EXCEPT (...)}
     * that follows it, or -1 if none does.
     */
    private int wildcardStar(int i, int from, int to) {
        int item = i;
        String qualifier = null;
        if (i >= from + 2 && tokens.get(i - 1).isSymbol(".") && tokens.get(i - 2).isName()) {
            qualifier = tokens.get(i - 2).value();
            item = i - 2;
        }
        if (item == from || !(tokens.get(item - 1).isWord("SELECT") || tokens.get(item - 1).isWord("DISTINCT")
                || tokens.get(item - 1).isWord("ALL") || tokens.get(item - 1).isSymbol(","))) {
            return 0;
        }
        int k = i + 1;
        int depth = 0;
        while (k < to && !(depth == 0 && tokens.get(k).isWord("FROM"))) { // the FROM of this select
            if (tokens.get(k).isSymbol("(") || tokens.get(k).isSymbol("[")) {
                depth++;
            } else if (tokens.get(k).isSymbol(")") || tokens.get(k).isSymbol("]")) {
                if (depth-- == 0) {
                    return 0;
                }
            } else if (depth == 0 && (tokens.get(k).isWord("UNION") || tokens.get(k).isWord("INTERSECT"))) {
                return 0;
            }
            k++;
        }
        boolean over = false;
        for (k++; k < to && !over; k++) {
            Token token = tokens.get(k);
            if (token.isSymbol("(") || token.isSymbol("[")) {
                depth++;
            } else if (token.isSymbol(")") || token.isSymbol("]")) {
                if (depth-- == 0) {
                    break;
                }
            } else if (depth == 0 && token.kind() == TokenKind.IDENTIFIER && FROM_CLAUSE_ENDS.contains(token.upper())) {
                break;
            } else if (depth == 0 && token.isName() && !tokens.get(k - 1).isSymbol(".")) {
                int end = wildcardTableEnd(k, statementFrom, to);
                if (end >= k) {
                    int alias = end + 1 < to && tokens.get(end + 1).isWord("AS") ? end + 2 : end + 1;
                    over = qualifier == null || alias < to && isAlias(tokens.get(alias)) && tokens.get(alias).value().equalsIgnoreCase(qualifier);
                    k = end;
                }
            }
        }
        if (!over) {
            return 0;
        }
        return i + 2 < to && tokens.get(i + 1).isWord("EXCEPT") && tokens.get(i + 2).isSymbol("(")
                ? TokenCursor.matching(tokens, i + 2) : -1;
    }

    /** Words that end a FROM clause at its level. */
    private static final Set<String> FROM_CLAUSE_ENDS = Set.of("WHERE", "GROUP", "HAVING", "QUALIFY", "WINDOW", "ORDER", "LIMIT",
            "UNION", "INTERSECT", "EXCEPT");

    private static boolean isAlias(Token token) {
        return token.kind() == TokenKind.QUOTED_IDENTIFIER || token.kind() == TokenKind.IDENTIFIER && !NOT_ALIASES.contains(token.upper());
    }

    /**
     * {@code UNNEST(a) AS x WITH OFFSET AS o} as a lateral subquery of the element and its 0-based position:
     * {@code (SELECT unnest(a) AS x, generate_subscripts(a, 1) - 1 AS o) AS "__lathe_unnest_x"}; o defaults to offset.
     */
    private int rewriteUnnestWithOffset(int i, int end) {
        int close = TokenCursor.matching(tokens, i + 1);
        String array = rewriteNested(i + 2, close, "UNNEST(...)");
        int alias = tokens.get(close + 1).isWord("AS") ? close + 2 : close + 1;
        String element = aliasText(tokens.get(alias));
        String offset = tokens.get(end).isWord("OFFSET") ? "\"offset\"" : aliasText(tokens.get(end));
        appendReplacement(unnestWithOffset(array, element, offset, tokens.get(alias).value()), tokens.get(i).start(), tokens.get(end).end());
        return end;
    }

    /** The lateral subquery of {@code UNNEST(array) AS element WITH OFFSET AS offset}, named after {@code name}. */
    private static String unnestWithOffset(String array, String element, String offset, String name) {
        return "(SELECT unnest(" + array + ") AS " + element + ", generate_subscripts(" + array + ", 1) - 1 AS " + offset + ") AS "
                + quoteIdentifier("__lathe_unnest_" + name);
    }

    private String aliasText(Token alias) {
        return alias.kind() == TokenKind.QUOTED_IDENTIFIER ? quoteName(alias.value()) : alias.text();
    }

    /** The index of the "(" that the ")" at {@code close} closes, or -1. */
    private int opening(int close, int from) {
        int open = openingOf(close, from);
        return open >= 0 && tokens.get(open).isSymbol("(") ? open : -1;
    }

    /** Whether the token at {@code i} stands in a FROM clause: the nearest clause word before it, at its depth, is FROM or JOIN. */
    private boolean inFromClause(int i, int from) {
        int depth = 0;
        for (int k = i - 1; k >= from; k--) {
            Token token = tokens.get(k);
            if (token.isSymbol(")") || token.isSymbol("]")) {
                depth++;
            } else if (token.isSymbol("(") || token.isSymbol("[")) {
                if (depth-- == 0) {
                    return false; // the start of a subquery or call: no FROM of this level before it
                }
            } else if (depth == 0 && token.kind() == TokenKind.IDENTIFIER) {
                switch (token.upper()) {
                    case "FROM", "JOIN" -> {
                        return true;
                    }
                    case "SELECT", "WHERE", "ON", "GROUP", "HAVING", "ORDER", "QUALIFY", "WINDOW", "LIMIT", "SET", "VALUES", "IN" -> {
                        return false;
                    }
                    default -> { }
                }
            }
        }
        return false;
    }

    /** Words that stand before a value rather than end one: a "[" or "(" after them opens a literal or a group. */
    /**
     * Words of {@link #BEFORE_VALUE} that name a column when a subscript follows them ({@code returns[0]}: GoogleSQL does not
     * reserve them, and no value follows them in a "[" of its own); probe uc F4: the subscript kept DuckDB's 1-based meaning.
     */
    private static final Set<String> NAMES_BEFORE_SUBSCRIPT = Set.of("VALUES", "RETURNS", "OFFSET");

    private static final Set<String> BEFORE_VALUE = Set.of("SELECT", "DISTINCT", "WHERE", "AND", "OR", "NOT", "WHEN", "THEN", "ELSE",
            "CASE", "ON", "HAVING", "BY", "QUALIFY", "RETURN", "IS", "LIKE", "BETWEEN", "AS", "IN", "VALUES", "ARRAY", "ALL", "ANY",
            "SOME", "DEFAULT", "SET", "FROM", "USING", "EXISTS", "UNNEST", "INTERVAL", "WITH", "RETURNS", "END", "LIMIT", "OFFSET");

    /**
     * For a bare BigQuery subscript {@code a[i]} whose "[" is {@code tokens[i]}, the index of its "]"; else -1. Not a subscript:
     * an array literal, {@code [OFFSET(i)]} and its kin, a name in quotes ({@code j['key']}: JSON, a STRUCT's field, a MAP's
     * key), DuckDB's slice {@code a[1:2]} and a type's {@code []}.
     */
    private int bareSubscriptClose(int i, int from, int to) {
        if (!tokens.get(i).isSymbol("[") || i == from || subscriptStart(i, to)) {
            return -1;
        }
        Token before = tokens.get(i - 1);
        if (!(before.isSymbol(")") || before.isSymbol("]") || before.kind() == TokenKind.QUOTED_IDENTIFIER
                || before.kind() == TokenKind.IDENTIFIER && (!BEFORE_VALUE.contains(before.upper()) || NAMES_BEFORE_SUBSCRIPT.contains(before.upper())
                        || i - 2 >= from && tokens.get(i - 2).isSymbol(".") || before.isWord("END")))) {
            return -1;
        }
        int close = TokenCursor.matching(tokens, i);
        if (close >= to || close == i + 1 || close == i + 2 && tokens.get(i + 1).kind() == TokenKind.STRING
                || subscriptBaseStart(i, from) < 0) {
            return -1;
        }
        int depth = 0;
        for (int k = i + 1; k < close; k++) {
            Token t = tokens.get(k);
            if (t.isSymbol("(") || t.isSymbol("[")) {
                depth++;
            } else if (t.isSymbol(")") || t.isSymbol("]")) {
                depth--;
            } else if (depth == 0 && t.isSymbol(":")) {
                return -1;
            }
        }
        return close;
    }

    /**
     * The index of the first token of the value that the subscript opened at {@code tokens[i]} applies to: a (dotted) name, a
     * call, a group, an array literal, each with the subscripts and field accesses after it; -1 where it cannot be told.
     */
    private int subscriptBaseStart(int i, int from) {
        int k = i - 1;
        while (k >= from) {
            Token t = tokens.get(k);
            if (t.isWord("END") && !(k - 1 >= from && tokens.get(k - 1).isSymbol("."))) {
                return caseStart(k, from); // CASE ... END[i]
            }
            if (t.isSymbol(")") || t.isSymbol("]")) {
                int open = openingOf(k, from);
                if (open < 0) {
                    return -1;
                }
                k = open;
                Token previous = k > from ? tokens.get(k - 1) : null;
                boolean word = previous != null && previous.kind() == TokenKind.IDENTIFIER;
                if (tokens.get(k).isSymbol("[")) {
                    if (previous != null && (previous.isSymbol(")") || previous.isSymbol("]") || previous.kind() == TokenKind.QUOTED_IDENTIFIER
                            || word && !BEFORE_VALUE.contains(previous.upper()))) {
                        k--; // the "[" is a subscript of the value before it
                        continue;
                    }
                    if (word && previous.isWord("ARRAY")) {
                        k--;
                    }
                } else if (word && !BEFORE_VALUE.contains(previous.upper()) || previous != null && previous.kind() == TokenKind.QUOTED_IDENTIFIER
                        || word && previous.isWord("ARRAY")) {
                    k--; // a call's name, or ARRAY(SELECT ...)'s (its typeof is the array's, not its element's: probe uc F4)
                }
            } else if (!t.isName()) {
                return -1;
            }
            if (k - 2 >= from && tokens.get(k - 1).isSymbol(".")) {
                k -= 2;
                continue;
            }
            return k;
        }
        return -1;
    }

    /**
     * Names the SELECT list's item {@code s[...].x} (the subscript of {@code tokens[start, subscriptEnd]}, then fields, alone in
     * its item and without an alias) x, as BigQuery and DuckDB name a field's column: DuckDB named it by the subscript's
     * rewritten text (probe uc F7: {@code s[0].x}; probe vr 2: {@code [OFFSET(0)].prob}, hundreds of characters).
     */
    private void nameField(int start, int subscriptEnd, int from, int to, java.util.TreeMap<Integer, String> suffixes) {
        int itemEnd = subscriptEnd;
        while (itemEnd + 2 < to && tokens.get(itemEnd + 1).isSymbol(".") && tokens.get(itemEnd + 2).isName()) {
            itemEnd += 2;
        }
        if (itemEnd > subscriptEnd && !itemAlias(start, itemEnd, from, to).isEmpty()) {
            suffixes.merge(itemEnd, " AS " + quoteIdentifier(tokens.get(itemEnd).value()), (earlier, later) -> later + earlier);
        }
    }

    /**
     * " AS name" naming a SELECT list's item {@code tokens[start, end]} (a subscripted value, alone in its item and without an
     * alias) after its text as written, as DuckDB names a column it does not rewrite; else "". Without it the column would be
     * named after the rewritten subscript ({@code a[CASE WHEN typeof(a) ...]}).
     */
    private String itemAlias(int start, int end, int from, int to) {
        if (names.containsKey(end)) {
            return ""; // an anonymous column, named as BigQuery names it
        }
        if (start <= from || end + 1 < to && !(tokens.get(end + 1).isSymbol(",") || tokens.get(end + 1).isSymbol(")")
                || tokens.get(end + 1).isSymbol(";") || tokens.get(end + 1).isWord("FROM"))) {
            return "";
        }
        Token before = tokens.get(start - 1);
        if (!(before.isSymbol(",") || before.isWord("SELECT") || before.isWord("DISTINCT") || before.isWord("ALL"))) {
            return "";
        }
        int depth = 0;
        for (int k = start - 1; k >= from; k--) {
            Token t = tokens.get(k);
            if (t.isSymbol(")") || t.isSymbol("]")) {
                depth++;
            } else if (t.isSymbol("(") || t.isSymbol("[")) {
                if (depth-- == 0) {
                    return "";
                }
            } else if (depth == 0 && t.isWord("SELECT")) {
                return " AS " + quoteIdentifier(source.substring(tokens.get(start).start(), tokens.get(end).end()));
            } else if (depth == 0 && t.kind() == TokenKind.IDENTIFIER && (AFTER_SELECT_LIST.contains(t.upper())
                    || NOT_SELECT_LIST.contains(t.upper()))) {
                return "";
            }
        }
        return "";
    }

    /** The index of the CASE that the END at {@code end} closes (CASEs nested in it skipped), or -1. */
    private int caseStart(int end, int from) {
        int depth = 0;
        int nested = 0;
        for (int k = end; k >= from; k--) {
            Token token = tokens.get(k);
            if (token.isSymbol(")") || token.isSymbol("]")) {
                depth++;
            } else if (token.isSymbol("(") || token.isSymbol("[")) {
                if (--depth < 0) {
                    return -1;
                }
            } else if (depth == 0 && token.isWord("END") && !(k - 1 >= from && tokens.get(k - 1).isSymbol("."))) {
                nested++;
            } else if (depth == 0 && token.isWord("CASE") && --nested == 0) {
                return k;
            }
        }
        return -1;
    }

    /** The index of the "(" or "[" that the ")" or "]" at {@code close} closes, or -1. */
    private int openingOf(int close, int from) {
        int depth = 0;
        for (int k = close; k >= from; k--) {
            Token token = tokens.get(k);
            if (token.isSymbol(")") || token.isSymbol("]")) {
                depth++;
            } else if ((token.isSymbol("(") || token.isSymbol("[")) && --depth == 0) {
                return k;
            }
        }
        return -1;
    }

    /** Whether {@code tokens[i]} opens a BigQuery subscript, {@code [OFFSET(} (or ORDINAL, SAFE_...) closed by {@code )]}. */
    private boolean subscriptStart(int i, int to) {
        if (!tokens.get(i).isSymbol("[") || i + 3 >= to || !tokens.get(i + 2).isSymbol("(")) {
            return false;
        }
        Token word = tokens.get(i + 1);
        if (!(word.isWord("OFFSET") || word.isWord("ORDINAL") || word.isWord("SAFE_OFFSET") || word.isWord("SAFE_ORDINAL"))) {
            return false;
        }
        int close = TokenCursor.matching(tokens, i + 2);
        return close + 1 < to && tokens.get(close + 1).isSymbol("]");
    }

    private boolean isMlCall(int i, int to) {
        return tokens.get(i).isWord("ML") && i + 3 < to && tokens.get(i + 1).isSymbol(".")
                && tokens.get(i + 2).kind() == TokenKind.IDENTIFIER && tokens.get(i + 3).isSymbol("(")
                && (i == 0 || !tokens.get(i - 1).isSymbol("."));
    }

    /** Rewrites the call starting at {@code i}; returns the index of its last token. */
    private int rewriteMlCall(int i, int to) {
        Token ml = tokens.get(i);
        Token name = tokens.get(i + 2);
        String upper = name.upper();
        int close = TokenCursor.matching(tokens, i + 3);
        if (close >= to) {
            throw TokenCursor.expected("')' closing ML." + upper + "(", tokens.get(to));
        }
        if (MlFunctionCatalog.isTableFunction(upper)) {
            if (tableFunctionContext.isPresent()) {
                throw new LatheException(ErrorCode.UNSUPPORTED, "Table function ML." + upper + " at " + ml.position()
                        + " cannot be used in " + tableFunctionContext.get() + "; use it in FROM of a query");
            }
            int start = out.length();
            appendVerbatim(ml.start(), tokens.get(close).end());
            calls.add(tableFunctionCall(ml, upper, i + 4, close, start, out.length()));
            return close;
        }
        PreprocessingFunction function = functions.preprocessing(upper).orElseThrow(() -> functions.unknown(ml, name));
        List<String> arguments = new ArrayList<>();
        for (int[] argument : TokenCursor.splitAtCommas(tokens, i + 4, close)) {
            if (argument[0] == argument[1]) {
                throw TokenCursor.expected("an argument of ML." + upper, tokens.get(argument[1]));
            }
            arguments.add(rewriteNested(argument[0], argument[1]));
        }
        int last = close;
        Optional<String> over = Optional.empty();
        if (close + 2 < to && tokens.get(close + 1).isWord("OVER") && tokens.get(close + 2).isSymbol("(")) {
            last = TokenCursor.matching(tokens, close + 2);
            if (last >= to) {
                throw TokenCursor.expected("')' closing OVER(", tokens.get(to));
            }
            over = Optional.of(rewriteNested(close + 2, last + 1));
        }
        if (function.analytic() && over.isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML." + upper + " at " + ml.position()
                    + " is an analytic function and needs an OVER clause, e.g. ML." + upper + "(x) OVER()");
        }
        if (!function.analytic() && over.isPresent()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML." + upper + " at " + ml.position()
                    + " is a scalar function and takes no OVER clause; remove OVER" + over.get());
        }
        appendReplacement(renderer.render(function, arguments, over, ml), ml.start(), tokens.get(last).end());
        return last;
    }

    private TableFunctionCall tableFunctionCall(Token ml, String function, int from, int close, int start, int end) {
        Optional<ObjectName> model = Optional.empty();
        Optional<ObjectName> inputTable = Optional.empty();
        Optional<String> inputQuery = Optional.empty();
        Position inputQueryPosition = Position.UNKNOWN;
        Optional<OptionValue.StructValue> settings = Optional.empty();
        List<String> extra = new ArrayList<>();
        boolean first = true;
        for (int[] argument : TokenCursor.splitAtCommas(tokens, from, close)) {
            int a = argument[0];
            int b = argument[1];
            if (a == b) {
                throw TokenCursor.expected("an argument of ML." + function, tokens.get(b));
            }
            Token head = tokens.get(a);
            boolean hasData = inputTable.isPresent() || inputQuery.isPresent();
            if (head.isWord("MODEL") && b > a + 1 && model.isEmpty()) {
                TokenCursor cursor = new TokenCursor(tokens, a + 1, b);
                model = Optional.of(ObjectNames.parse(cursor, "a model name after MODEL"));
                cursor.expectEnd("',' or ')' after the model name");
            } else if (head.isWord("TABLE") && b > a + 1 && tokens.get(a + 1).isName() && !hasData) {
                TokenCursor cursor = new TokenCursor(tokens, a + 1, b);
                inputTable = Optional.of(ObjectNames.parse(cursor, "a table name after TABLE"));
                cursor.expectEnd("',' or ')' after the table name");
                Optional<CommonTables> ctes = CommonTables.visibleAt(tokens, statementFrom, statementTo, from);
                if (b == a + 2 && ctes.isPresent() && ctes.get().names().contains(tokens.get(a + 1).value().toLowerCase(Locale.ROOT))) {
                    // TABLE c naming a CTE of the statement: its query, with the CTEs it reads
                    inputQuery = Optional.of(ctes.get().prefix(source, tokens, List.of(tokens.get(a + 1)), head.start())
                            + "SELECT * FROM " + tokens.get(a + 1).text());
                    inputQueryPosition = ctes.get().position(tokens);
                    inputTable = Optional.empty();
                }
            } else if (head.isSymbol("(") && TokenCursor.matching(tokens, a) == b - 1 && b - a > 2 && !hasData) {
                inputQuery = Optional.of(source.substring(tokens.get(a + 1).start(), tokens.get(b - 2).end()));
                inputQueryPosition = tokens.get(a + 1).position();
                Optional<CommonTables> ctes = CommonTables.visibleAt(tokens, statementFrom, statementTo, from);
                if (ctes.isPresent()) {
                    // (query) reading CTEs of the statement, as BigQuery allows: the query under a WITH of those it reads
                    List<Token> body = tokens.subList(a + 1, b - 1);
                    String prefix = ctes.get().prefix(source, tokens, body, tokens.get(a + 1).start());
                    if (!prefix.isEmpty()) {
                        String query = inputQuery.get();
                        if (tokens.get(a + 1).isWord("WITH") && !tokens.get(a + 2).isWord("RECURSIVE")) {
                            query = "," + " ".repeat(3) + query.substring(4); // its own CTEs join the list, at the same columns
                        }
                        inputQuery = Optional.of(prefix + query);
                        inputQueryPosition = ctes.get().position(tokens);
                    }
                }
            } else if (head.isWord("STRUCT") && settings.isEmpty()) {
                TokenCursor cursor = new TokenCursor(tokens, a, b);
                if (!(LiteralParser.parse(cursor) instanceof OptionValue.StructValue struct)) {
                    throw TokenCursor.expected("STRUCT(value AS name, ...)", head);
                }
                cursor.expectEnd("',' or ')' after the STRUCT settings");
                settings = Optional.of(struct);
            } else {
                extra.add(source.substring(head.start(), tokens.get(b - 1).end()));
            }
            if (first && model.isEmpty() && !MlFunctionCatalog.WITHOUT_MODEL.contains(function)) {
                throw TokenCursor.expected("MODEL <name> as the first argument of ML." + function, head);
            }
            first = false;
        }
        if (first && !MlFunctionCatalog.WITHOUT_MODEL.contains(function)) {
            throw TokenCursor.expected("MODEL <name> as the first argument of ML." + function, tokens.get(close));
        }
        if (first) {
            throw TokenCursor.expected("TABLE <name> or (query) as the first argument of ML." + function, tokens.get(close));
        }
        return new TableFunctionCall(function, model, inputTable, inputQuery, settings, extra, start, end, ml.position(),
                inputQueryPosition);
    }

    /**
     * If {@code tokens[i]} starts an unquoted dashed project id followed by {@code .dataset.table}, the
     * index of the dot after the project; else -1.
     */
    private int dashedProjectEnd(int i, int from, int to) {
        Token token = tokens.get(i);
        if (token.kind() != TokenKind.IDENTIFIER || (i > from && tokens.get(i - 1).isSymbol("."))) {
            return -1;
        }
        int j = i;
        boolean dashed = false;
        while (j + 2 < to && tokens.get(j + 1).isSymbol("-") && tokens.get(j + 1).start() == tokens.get(j).end()
                && tokens.get(j + 2).start() == tokens.get(j + 1).end()
                && (tokens.get(j + 2).kind() == TokenKind.IDENTIFIER || tokens.get(j + 2).kind() == TokenKind.NUMBER)) {
            j += 2;
            dashed = true;
        }
        boolean followedByTwoParts = j + 4 < to && tokens.get(j + 1).isSymbol(".") && tokens.get(j + 2).isName()
                && tokens.get(j + 3).isSymbol(".") && tokens.get(j + 4).isName();
        return dashed && followedByTwoParts ? j + 1 : -1;
    }

    private static final java.util.Set<String> RELATION_CONTEXT = java.util.Set.of("FROM", "JOIN", "INTO", "TABLE", "UPDATE", "VIEW",
            "EXISTS", "SCHEMA");

    /**
     * The index of the last token of a dotted name in a relation's place (after FROM, JOIN, INTO, TABLE, SCHEMA, ...) that
     * is written with backticks and has a project part to drop: three parts for a table, two after SCHEMA; else -1.
     * A single backtick token is left to {@link #quoteName}, which handles it alone.
     */
    private int relationNameEnd(int i, int from, int to) {
        int end = dottedRelationEnd(i, from, to);
        if (end < 0) {
            return -1;
        }
        boolean backticks = false;
        int parts = 0;
        for (int k = i; k <= end; k += 2) {
            backticks |= tokens.get(k).kind() == TokenKind.QUOTED_IDENTIFIER;
            parts += tokens.get(k).kind() == TokenKind.QUOTED_IDENTIFIER ? tokens.get(k).value().split("\\.", -1).length : 1;
        }
        int wanted = schemaName(i) ? 1 : 2;
        return backticks && parts > wanted && (end > i || wanted == 1) ? end : -1;
    }

    /** The index of the last token of the dotted name starting at {@code tokens[i]} in a relation's place (after FROM, ...); else -1. */
    private int dottedRelationEnd(int i, int from, int to) {
        if (!tokens.get(i).isName() || i == from || qualified(i, from) || !RELATION_CONTEXT.contains(tokens.get(i - 1).upper())
                || tokens.get(i - 1).kind() != TokenKind.IDENTIFIER) {
            return -1;
        }
        int end = i;
        while (end + 2 < to && tokens.get(end + 1).isSymbol(".") && tokens.get(end + 2).isName()) {
            end += 2;
        }
        return end;
    }

    /** The INFORMATION_SCHEMA views a dataset qualifies in BigQuery, each to its dataset's rows by its table_schema column. */
    private static final java.util.Set<String> DATASET_VIEWS = java.util.Set.of("TABLES", "COLUMNS", "VIEWS");
    /** Words after a relation that start a clause, not an alias. */
    private static final java.util.Set<String> AFTER_RELATION = java.util.Set.of("WHERE", "ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET",
            "JOIN", "LEFT", "RIGHT", "INNER", "FULL", "CROSS", "NATURAL", "POSITIONAL", "ASOF", "ANTI", "SEMI", "ON", "USING", "UNION",
            "EXCEPT", "INTERSECT", "WINDOW", "QUALIFY", "TABLESAMPLE", "PIVOT", "UNPIVOT", "FETCH", "FOR", "RETURNING");

    /**
     * The index of the last token of {@code dataset.INFORMATION_SCHEMA.TABLES} (or COLUMNS, VIEWS; backticks or not, a
     * project part before it) in a relation's place; else -1. DuckDB read {@code a.information_schema.tables} as a catalog
     * a, and the backtick form, its project part dropped, listed every dataset's tables (probe pv).
     */
    private int informationSchemaEnd(int i, int from, int to) {
        int end = dottedRelationEnd(i, from, to);
        if (end < 0) {
            return -1;
        }
        List<String> parts = nameParts(i, end);
        int n = parts.size();
        // `region-us`.INFORMATION_SCHEMA.TABLES is every dataset's (BigQuery's region qualifier), as it was (probe pw)
        return n >= 3 && parts.get(n - 2).equalsIgnoreCase("INFORMATION_SCHEMA") && DATASET_VIEWS.contains(parts.get(n - 1).toUpperCase(Locale.ROOT))
                && !parts.get(n - 3).toLowerCase(Locale.ROOT).startsWith("region-") ? end : -1;
    }

    /** The dataset's rows of the INFORMATION_SCHEMA view {@code tokens[i..end]} names, aliased as the view unless an alias follows. */
    private String informationSchema(int i, int end, int to) {
        List<String> parts = nameParts(i, end);
        String view = parts.get(parts.size() - 1);
        String dataset = parts.get(parts.size() - 3);
        String rows = "(SELECT * FROM information_schema." + view.toLowerCase(Locale.ROOT) + " WHERE lower(table_schema) = lower('"
                + dataset.replace("'", "''") + "'))";
        boolean aliased = end + 1 < to && (tokens.get(end + 1).isWord("AS") || tokens.get(end + 1).kind() == TokenKind.QUOTED_IDENTIFIER
                || tokens.get(end + 1).kind() == TokenKind.IDENTIFIER && !AFTER_RELATION.contains(tokens.get(end + 1).upper()));
        return aliased ? rows : rows + " AS " + quoteIdentifier(view);
    }

    /** The parts of the dotted name {@code tokens[i..end]}, a backtick token split at its dots. */
    private List<String> nameParts(int i, int end) {
        List<String> parts = new ArrayList<>();
        for (int k = i; k <= end; k += 2) {
            Token part = tokens.get(k);
            parts.addAll(part.kind() == TokenKind.QUOTED_IDENTIFIER ? List.of(part.value().split("\\.", -1)) : List.of(part.text()));
        }
        return parts;
    }

    /** Whether {@code tokens[i]} names a schema: after SCHEMA, or SCHEMA IF [NOT] EXISTS. */
    private boolean schemaName(int i) {
        int k = i - 1;
        while (k > 0 && (tokens.get(k).isWord("IF") || tokens.get(k).isWord("NOT") || tokens.get(k).isWord("EXISTS"))) {
            k--;
        }
        return k >= 0 && tokens.get(k).isWord("SCHEMA");
    }

    /** The name of {@code tokens[i..end]} without its project part, as DuckDB identifiers. */
    private String relationName(int i, int end) {
        List<String> parts = nameParts(i, end);
        int keep = schemaName(i) ? 1 : 2;
        return parts.subList(parts.size() - keep, parts.size()).stream().map(DuckDbRewriter::quoteIdentifier)
                .collect(java.util.stream.Collectors.joining("."));
    }

    /** {@code a.b.c} (one backtick token) as DuckDB parts: the project of a three-part name is dropped. */
    static String quoteName(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        int first = parts.length >= 3 ? parts.length - 2 : 0;
        StringBuilder quoted = new StringBuilder();
        for (int i = first; i < parts.length; i++) {
            if (i > first) {
                quoted.append('.');
            }
            quoted.append(quoteIdentifier(parts[i]));
        }
        return quoted.toString();
    }

    static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private void appendGap(int start, int end) {
        int cursor = start;
        for (Comment comment : comments) {
            if (comment.hash() && comment.start() >= start && comment.start() < end) {
                appendVerbatim(cursor, comment.start());
                appendReplacement("--", comment.start(), comment.start() + 1);
                cursor = comment.start() + 1;
            }
        }
        appendVerbatim(cursor, end);
    }

    private void appendVerbatim(int start, int end) {
        if (end <= start) {
            return;
        }
        int outputStart = out.length();
        out.append(source, start, end);
        if (!segments.isEmpty()) {
            SourceMap.Segment last = segments.getLast();
            if (last.verbatim() && last.sourceEnd() == start && last.outputEnd() == outputStart) {
                segments.set(segments.size() - 1, new SourceMap.Segment(last.outputStart(), out.length(), last.sourceStart(), end, true));
                return;
            }
        }
        segments.add(new SourceMap.Segment(outputStart, out.length(), start, end, true));
    }

    private void appendReplacement(String text, int sourceStart, int sourceEnd) {
        int outputStart = out.length();
        out.append(text);
        segments.add(new SourceMap.Segment(outputStart, out.length(), sourceStart, sourceEnd, false));
    }
}
