package dev.lathe.registry;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A list call's order (AIP-132's {@code order_by}, spec 0 "List calls"): {@code "update_time desc, display_name"}, fields
 * separated by commas, each ascending unless followed by {@code desc}. Field names are taken as the spec writes them
 * ({@code create_time}) or as the JSON does ({@code createTime}). A list pages by key, in a requested order or its own
 * ({@link #NONE}): its page token carries the order, a digest of the filter and the last item's values, and is refused
 * with another order or filter (AIP-158).
 */
public record OrderBy(List<Term> terms, String context) {
    /** One field of the order. */
    public record Term(String field, boolean descending) {
        public Term {
            requireNonNull(field, "field is null");
        }
    }

    /** No order asked for: the list's own order, paged by key. */
    public static final OrderBy NONE = new OrderBy(List.of(), "");

    private static final Pattern TERM = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)(?:\\s+(asc|desc))?\\s*", Pattern.CASE_INSENSITIVE);
    private static final String TOKEN_PREFIX = "@order ";

    public OrderBy {
        terms = List.copyOf(terms);
        requireNonNull(context, "context is null");
    }

    /**
     * This order for a list narrowed by {@code context} (its filter, its dataset): a page token of the same order with
     * another filter is refused, where it skipped the filtered list's first items (probe pw).
     */
    public OrderBy within(String context) {
        return new OrderBy(terms, context);
    }

    /**
     * Parses {@code text}, whose fields must be among {@code fields} (snake_case); absent or blank is {@link #NONE}.
     * {@code parameter} names the request's parameter in errors.
     */
    public static OrderBy parse(Optional<String> text, List<String> fields, String parameter) {
        if (text.isEmpty() || text.get().isBlank()) {
            return NONE;
        }
        List<Term> terms = new ArrayList<>();
        for (String part : text.get().split(",", -1)) {
            Matcher term = TERM.matcher(part);
            String field = term.matches() ? snakeCase(term.group(1)) : "";
            if (!fields.contains(field)) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "'" + part.strip() + "' in " + parameter + " '" + text.get()
                        + "' is not a field to order by; accepted: " + String.join(", ", fields) + ", each optionally followed by asc"
                        + " or desc, separated by commas (e.g. \"" + fields.get(fields.size() - 1) + " desc\")");
            }
            if (terms.stream().anyMatch(t -> t.field().equals(field))) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, parameter + " '" + text.get() + "' names " + field + " twice; name each field once");
            }
            terms.add(new Term(field, term.group(2) != null && term.group(2).equalsIgnoreCase("desc")));
        }
        return new OrderBy(terms, "");
    }

    public boolean isNone() {
        return terms.isEmpty();
    }

    /**
     * The SQL ORDER BY list for this order, each field's expression from {@code columns}, then {@code tieBreak} (the
     * list's key, so that equal values keep one order from page to page).
     */
    public String sql(Map<String, String> columns, String tieBreak) {
        List<String> parts = new ArrayList<>();
        for (Term term : terms) {
            parts.add(requireNonNull(columns.get(term.field()), term.field()) + (term.descending() ? " DESC" : " ASC"));
        }
        parts.add(tieBreak);
        return String.join(", ", parts);
    }

    /**
     * The order in one canonical text, as tokens carry it, with a digest of the list's context: a token of another filter
     * is refused (a 32-bit hash let a filter of the same hash through, probe qe).
     */
    String canonical() {
        return String.join(",", terms.stream().map(t -> t.field() + (t.descending() ? " desc" : "")).toList())
                + (context.isEmpty() ? "" : " #" + digest(context));
    }

    private static String digest(String text) {
        try {
            byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(sha, 12));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }

    /** A column of the order or of the list's key: its SQL expression, and the SQL a parameter compared with it takes. */
    public record Column(String expression, String parameter) {
        public Column {
            requireNonNull(expression, "expression is null");
            requireNonNull(parameter, "parameter is null");
        }

        public static Column of(String expression) {
            return new Column(expression, "?");
        }
    }

    /**
     * The SQL condition that keeps the rows after the last one listed, each field's expression from {@code columns} (as
     * {@link #sql} takes them) (AIP-158: a token goes on after the last item, so an
     * item deleted between pages shifts nothing; position tokens skipped one, probe pw): for this order's columns, then
     * {@code keys} ascending, {@code (c1 > ?) OR (c1 = ? AND c2 < ?) OR ...} with each term's direction.
     * {@link #afterParameters} gives its parameters, in order.
     */
    public String afterSql(Map<String, String> columns, List<Column> keys) {
        List<Column> all = new ArrayList<>();
        List<Boolean> descending = new ArrayList<>();
        for (Term term : terms) {
            all.add(Column.of(requireNonNull(columns.get(term.field()), term.field())));
            descending.add(term.descending());
        }
        for (Column key : keys) {
            all.add(key);
            descending.add(false);
        }
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            List<String> parts = new ArrayList<>();
            for (int j = 0; j < i; j++) {
                parts.add(all.get(j).expression() + " = " + all.get(j).parameter());
            }
            parts.add(all.get(i).expression() + (descending.get(i) ? " < " : " > ") + all.get(i).parameter());
            alternatives.add("(" + String.join(" AND ", parts) + ")");
        }
        return "(" + String.join(" OR ", alternatives) + ")";
    }

    /** The parameters of {@link #afterSql} for the last listed row's {@code values} (the order's, then the key's). */
    public static List<String> afterParameters(List<String> values) {
        List<String> parameters = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            parameters.addAll(values.subList(0, i));
            parameters.add(values.get(i));
        }
        return parameters;
    }

    /** The page token of the page after the row whose values (the order's, then the key's) are {@code last}. */
    public String token(List<String> last) {
        String values = String.join(",", last.stream().map(v -> Base64.getUrlEncoder().withoutPadding()
                .encodeToString(v.getBytes(StandardCharsets.UTF_8))).toList());
        return Base64.getUrlEncoder().withoutPadding().encodeToString((TOKEN_PREFIX + canonical() + "\n" + values).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The last listed row's values a token carries ({@code count} of them), empty without a token; a token of another
     * order, filter or list is refused.
     */
    public Optional<List<String>> after(Optional<String> token, int count) {
        if (token.isEmpty()) {
            return Optional.empty();
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8);
            int newline = text.lastIndexOf('\n');
            if (text.startsWith(TOKEN_PREFIX) && newline >= 0 && text.substring(TOKEN_PREFIX.length(), newline).equals(canonical())) {
                List<String> values = new ArrayList<>();
                for (String value : text.substring(newline + 1).split(",", -1)) {
                    values.add(new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8));
                }
                if (values.size() == count) {
                    return Optional.of(values);
                }
            }
        } catch (IllegalArgumentException e) {
            // not a token: refused below
        }
        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "pageToken '" + token.get() + "' is not valid for this list in this"
                + " order; pass the nextPageToken of the previous page unchanged, with the same orderBy and filter, or no token"
                + " for the first page");
    }

    /** {@code createTime} as {@code create_time}; snake_case unchanged. */
    static String snakeCase(String name) {
        StringBuilder snake = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                snake.append('_').append(Character.toLowerCase(c));
            } else {
                snake.append(c);
            }
        }
        return snake.toString().toLowerCase(Locale.ROOT);
    }
}
