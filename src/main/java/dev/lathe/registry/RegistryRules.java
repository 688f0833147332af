package dev.lathe.registry;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Name rules of the registry (Vertex AI's) and the cheap extraction of source tables from training SQL. */
final class RegistryRules {
    static final String DEFAULT_ALIAS = "default";
    private static final Pattern ALIAS = Pattern.compile("[a-z][a-zA-Z0-9-]{0,126}[a-z0-9]");
    private static final Pattern TABLE_REFERENCE = Pattern.compile(
            "(?i)\\b(?:FROM|JOIN)\\s+(`[^`]+`|\"[^\"]+\"(?:\\.\"[^\"]+\")*|[A-Za-z_][\\w]*(?:\\.[A-Za-z_][\\w]*){0,2})(\\s*\\()?");
    private static final Pattern CTE_NAME = Pattern.compile("(?i)(?:\\bWITH|,)\\s+(?:RECURSIVE\\s+)?([A-Za-z_]\\w*)\\s+AS\\s*\\(");
    private static final int MAX_DESCRIPTION = 8_192;

    private RegistryRules() {}

    static void requireValidAlias(String alias) {
        if (alias == null || !ALIAS.matcher(alias).matches()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Alias '" + alias + "' is not valid: an alias matches "
                    + "[a-z][a-zA-Z0-9-]{0,126}[a-z0-9] (a lowercase letter first, then letters, digits or '-', a lowercase "
                    + "letter or digit last, 2 to 128 characters), so it can never be read as a version number; e.g. champion, "
                    + "challenger-2");
        }
    }

    static void requireValidLabels(Map<String, String> labels) {
        for (Map.Entry<String, String> label : labels.entrySet()) {
            dev.lathe.core.ResourceLabels.problem(label.getKey(), label.getValue()).ifPresent(problem -> {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, Character.toUpperCase(problem.charAt(0)) + problem.substring(1));
            });
        }
    }

    /** At most {@link #MAX_DESCRIPTION} characters, counted as labels are, by code point (an emoji is one, not two). */
    static void requireValidDescription(String description) {
        if (description == null || description.codePointCount(0, description.length()) > MAX_DESCRIPTION) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "A version description has at most " + MAX_DESCRIPTION
                    + " characters, but got " + (description == null ? "null" : description.codePointCount(0, description.length())));
        }
        if (dev.lathe.core.StoredText.hasNul(description)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "A description " + dev.lathe.core.StoredText.NO_NUL);
        }
    }

    /**
     * The tables a training query reads, by a scan of FROM and JOIN clauses: best effort (no parser), skipping
     * table functions and the query's own WITH names. Backticks and quotes are removed; a dataset is lower-cased.
     */
    static List<String> sourceTables(String sql) {
        Set<String> ctes = new LinkedHashSet<>();
        Matcher cte = CTE_NAME.matcher(sql);
        while (cte.find()) {
            ctes.add(cte.group(1).toLowerCase(java.util.Locale.ROOT));
        }
        Set<String> tables = new LinkedHashSet<>();
        Set<String> seen = new java.util.HashSet<>(); // the warehouse's names are case-insensitive: P.Isl is p.isl
        boolean[] inCall = insideFunctionCalls(sql);
        Matcher reference = TABLE_REFERENCE.matcher(sql);
        while (reference.find()) {
            // TRIM(BOTH ' ' FROM sex), EXTRACT(YEAR FROM DATE '...'), SUBSTRING(s FROM 2): a function's FROM names no table
            if (reference.group(2) != null || inCall[reference.start()]) {
                continue;
            }
            String name = reference.group(1).replace("`", "").replace("\"", "");
            if (ctes.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                continue;
            }
            String[] parts = name.split("\\.");
            if (parts.length == 3) {
                parts = new String[] {parts[1], parts[2]};
            }
            if (parts.length == 2) {
                name = parts[0].toLowerCase(java.util.Locale.ROOT) + "." + parts[1];
            }
            if (seen.add(name.toLowerCase(java.util.Locale.ROOT))) {
                tables.add(name);
            }
        }
        return new ArrayList<>(tables);
    }

    /** Words before a parenthesis that open no function call's arguments (a subquery, a list, a join's condition). */
    private static final Set<String> NOT_FUNCTIONS = Set.of("IN", "EXISTS", "FROM", "JOIN", "AS", "ANY", "ALL", "SOME", "ON", "WHERE",
            "AND", "OR", "NOT", "SELECT", "LATERAL", "USING", "WITH", "RECURSIVE", "UNION", "INTERSECT", "EXCEPT", "THEN", "ELSE",
            "WHEN", "HAVING", "BY", "OVER", "VALUES");

    /**
     * For each character of {@code sql}, whether it lies directly inside a function call's parentheses (a word that is no
     * keyword right before the opening one), not in a subquery nested there; string literals and quoted names skipped.
     */
    private static boolean[] insideFunctionCalls(String sql) {
        boolean[] inCall = new boolean[sql.length() + 1];
        java.util.ArrayDeque<Boolean> stack = new java.util.ArrayDeque<>();
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = sql.indexOf(c, i + 1);
                end = end < 0 ? sql.length() : end + 1;
                java.util.Arrays.fill(inCall, i, end, !stack.isEmpty() && stack.peek());
                i = end;
                continue;
            }
            if (c == '(') {
                int j = i - 1;
                while (j >= 0 && Character.isWhitespace(sql.charAt(j))) {
                    j--;
                }
                int wordEnd = j + 1;
                while (j >= 0 && (Character.isLetterOrDigit(sql.charAt(j)) || sql.charAt(j) == '_')) {
                    j--;
                }
                String word = sql.substring(j + 1, wordEnd).toUpperCase(java.util.Locale.ROOT);
                int k = i + 1;
                while (k < sql.length() && Character.isWhitespace(sql.charAt(k))) {
                    k++;
                }
                boolean subquery = sql.regionMatches(true, k, "SELECT", 0, 6) || sql.regionMatches(true, k, "WITH", 0, 4);
                stack.push(!word.isEmpty() && !NOT_FUNCTIONS.contains(word) && !subquery);
            } else if (c == ')' && !stack.isEmpty()) {
                stack.pop();
            }
            inCall[i] = !stack.isEmpty() && stack.peek();
            i++;
        }
        return inCall;
    }
}
