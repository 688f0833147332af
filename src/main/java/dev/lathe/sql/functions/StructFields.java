package dev.lathe.sql.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The named fields of a STRUCT literal argument. The output field names of ML.FEATURE_CROSS and
 * ML.POLYNOMIAL_EXPAND derive from the input names, which must be known when the SQL is rendered, so the
 * argument must be written as {@code STRUCT(a AS f1, ...)}, {@code struct_pack(f1 := a, ...)} or
 * {@code {'f1': a, ...}} (a bare column {@code STRUCT(f1, ...)} is named after the column).
 */
record StructFields(List<String> names, List<String> expressions) {
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*|\"[^\"]+\"|`[^`]+`");

    StructFields {
        names = List.copyOf(names);
        expressions = List.copyOf(expressions);
    }

    static StructFields parse(Arguments arguments, int index, String name, int maximumFields) {
        String text = arguments.raw(index);
        String lower = text.toLowerCase(Locale.ROOT);
        String body;
        if ((lower.startsWith("struct(") || lower.startsWith("struct_pack(") || lower.startsWith("row(")) && text.endsWith(")")) {
            body = text.substring(text.indexOf('(') + 1, text.length() - 1);
        } else if (text.startsWith("{") && text.endsWith("}")) {
            body = text.substring(1, text.length() - 1);
        } else {
            throw arguments.invalid(name, "must be a STRUCT literal with named fields", text, "STRUCT(expression AS name, ...)");
        }
        List<String> names = new ArrayList<>();
        List<String> expressions = new ArrayList<>();
        for (String field : SqlSplitter.splitTopLevel(body, ',')) {
            int as = SqlSplitter.lastTopLevelKeyword(field, "AS");
            int walrus = field.indexOf(":=");
            String fieldName;
            String expression;
            if (as > 0) {
                fieldName = field.substring(as + 2).trim();
                expression = field.substring(0, as).trim();
            } else if (walrus > 0) {
                fieldName = field.substring(0, walrus).trim();
                expression = field.substring(walrus + 2).trim();
            } else if (field.startsWith("'") && field.indexOf("':") > 0) {
                fieldName = field.substring(1, field.indexOf("':"));
                expression = field.substring(field.indexOf("':") + 2).trim();
            } else if (IDENTIFIER.matcher(field).matches()) {
                fieldName = field;
                expression = field;
            } else {
                throw arguments.invalid(name, "has a field without a name (" + field + ")", text, "STRUCT(expression AS name, ...)");
            }
            names.add(unquote(fieldName));
            expressions.add("(" + expression + ")");
        }
        if (names.isEmpty() || names.size() > maximumFields) {
            throw arguments.invalid(name, "must have 1 to " + maximumFields + " named fields", text,
                    "at most " + maximumFields + " fields, such as STRUCT(a AS f1, b AS f2)");
        }
        return new StructFields(names, expressions);
    }

    private static String unquote(String name) {
        boolean quoted = name.length() >= 2 && (name.startsWith("\"") && name.endsWith("\"") || name.startsWith("`") && name.endsWith("`"));
        return quoted ? name.substring(1, name.length() - 1) : name;
    }
}
