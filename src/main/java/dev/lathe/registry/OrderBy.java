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
 * ({@code create_time}) or as the JSON does ({@code createTime}). A list in a requested order pages by position: its page
 * token carries the order and the count of items already listed, and is refused with another order (AIP-158).
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

    /** The order in one canonical text, as tokens carry it. */
    String canonical() {
        return String.join(",", terms.stream().map(t -> t.field() + (t.descending() ? " desc" : "")).toList())
                + (context.isEmpty() ? "" : " #" + Integer.toHexString(context.hashCode()));
    }

    /** The page token of the page that starts after {@code listed} items. */
    public String token(int listed) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString((TOKEN_PREFIX + canonical() + "\n" + listed).getBytes(StandardCharsets.UTF_8));
    }

    /** How many items the pages before {@code token}'s listed: 0 without one; a token of another order or list is refused. */
    public int offset(Optional<String> token) {
        if (token.isEmpty()) {
            return 0;
        }
        String text;
        try {
            text = new String(Base64.getUrlDecoder().decode(token.get()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            text = "";
        }
        int newline = text.lastIndexOf('\n');
        if (!text.startsWith(TOKEN_PREFIX) || newline < 0 || !text.substring(TOKEN_PREFIX.length(), newline).equals(canonical())
                || !text.substring(newline + 1).matches("\\d{1,9}")) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Page token '" + token.get() + "' is not valid for this list in this"
                    + " order; pass the nextPageToken of the previous page unchanged, with the same orderBy and filter, or no token"
                    + " for the first page");
        }
        return Integer.parseInt(text.substring(newline + 1));
    }

    /** Whether decoded token text is one of {@link #token}'s, which a list in its own order must not take for a key. */
    static boolean isOrderToken(String decoded) {
        return decoded.startsWith(TOKEN_PREFIX);
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
