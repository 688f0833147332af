package dev.lathe.sql;

import dev.lathe.core.options.OptionValue;
import dev.lathe.core.options.Position;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses the literals allowed in OPTIONS(...) and in a table function's STRUCT settings: strings (single
 * or double quoted), signed numbers, TRUE/FALSE, NULL, arrays ({@code [..]}, {@code ARRAY<T>[..]}),
 * structs ({@code STRUCT(1 AS a)}, {@code (a, b)}), typed literals ({@code TIMESTAMP '...'}) and
 * HPARAM_RANGE / HPARAM_CANDIDATES.
 */
final class LiteralParser {
    private static final String WHAT = "a literal (string, number, TRUE, FALSE, NULL, [array] or STRUCT(...))";

    private LiteralParser() {}

    static OptionValue parse(TokenCursor cursor) {
        if (cursor.atEnd()) {
            throw cursor.expected(WHAT);
        }
        Token token = cursor.peek();
        Position position = token.position();
        switch (token.kind()) {
            case STRING -> {
                cursor.next();
                return new OptionValue.StringValue(token.value(), position);
            }
            case NUMBER -> {
                cursor.next();
                return number(token, false, position);
            }
            case SYMBOL -> {
                if (token.isSymbol("-") || token.isSymbol("+")) {
                    cursor.next();
                    Token digits = cursor.peek();
                    if (digits.kind() != TokenKind.NUMBER) {
                        throw cursor.expected("a number after '" + token.text() + "'");
                    }
                    cursor.next();
                    return number(digits, token.isSymbol("-"), position);
                }
                if (token.isSymbol("[")) {
                    return array(cursor, position);
                }
                if (token.isSymbol("(")) {
                    cursor.next();
                    return structBody(cursor, position);
                }
                throw cursor.expected(WHAT);
            }
            case IDENTIFIER -> {
                return word(cursor, token, position);
            }
            case QUOTED_IDENTIFIER, BYTES, END -> throw cursor.expected(WHAT);
        }
        throw cursor.expected(WHAT);
    }

    private static OptionValue word(TokenCursor cursor, Token token, Position position) {
        String upper = token.upper();
        switch (upper) {
            case "TRUE", "FALSE" -> {
                cursor.next();
                return new OptionValue.BoolValue(upper.equals("TRUE"), position);
            }
            case "NULL" -> {
                cursor.next();
                return new OptionValue.NullValue(position);
            }
            case "ARRAY" -> {
                cursor.next();
                if (cursor.peek().isSymbol("<")) {
                    skipTypeParameters(cursor);
                }
                if (!cursor.peek().isSymbol("[")) {
                    throw cursor.expected("'[' starting the array elements");
                }
                return array(cursor, position);
            }
            case "STRUCT" -> {
                cursor.next();
                if (cursor.peek().isSymbol("<")) {
                    skipTypeParameters(cursor);
                }
                cursor.expectSymbol("(");
                return structBody(cursor, position);
            }
            case "HPARAM_RANGE", "HPARAM_CANDIDATES" -> {
                cursor.next();
                cursor.expectSymbol("(");
                List<OptionValue> arguments = new ArrayList<>();
                if (!cursor.peek().isSymbol(")")) {
                    do {
                        arguments.add(parse(cursor));
                    } while (cursor.acceptSymbol(","));
                }
                cursor.expectSymbol(")");
                return new OptionValue.HparamValue(upper, arguments, position);
            }
            case "DATE", "DATETIME", "TIME", "TIMESTAMP", "JSON", "NUMERIC", "BIGNUMERIC" -> {
                if (cursor.peek(1).kind() == TokenKind.STRING) {
                    cursor.next();
                    Token literal = cursor.next();
                    if (upper.endsWith("NUMERIC")) {
                        return number(literal, false, position);
                    }
                    return new OptionValue.StringValue(literal.value(), position);
                }
                throw cursor.expected(WHAT);
            }
            case "CAST", "SAFE_CAST" -> {
                // CAST(0.7 AS FLOAT64): a constant written as BigQuery users often do, taken as the typed literal
                cursor.next();
                cursor.expectSymbol("(");
                OptionValue value = parse(cursor);
                Token as = cursor.next();
                if (!as.isWord("AS")) {
                    throw TokenCursor.expected("AS and a type in CAST(...)", as);
                }
                Token type = cursor.next();
                cursor.expectSymbol(")");
                return cast(value, type, position);
            }
            default -> throw cursor.expected(WHAT);
        }
    }

    /** A literal cast to FLOAT64, NUMERIC, INT64, STRING or BOOL, as BigQuery's CAST of that constant gives it. */
    private static OptionValue cast(OptionValue value, Token type, Position position) {
        String target = type.upper();
        try {
            switch (target) {
                case "FLOAT64", "NUMERIC", "BIGNUMERIC", "DOUBLE" -> {
                    BigDecimal number = value instanceof OptionValue.NumberValue n ? n.value()
                            : value instanceof OptionValue.StringValue s ? new BigDecimal(s.value().strip()) : null;
                    if (number != null) {
                        return new OptionValue.NumberValue(number, false, position);
                    }
                }
                case "INT64", "INTEGER", "BIGINT" -> {
                    BigDecimal number = value instanceof OptionValue.NumberValue n ? n.value().setScale(0, java.math.RoundingMode.HALF_UP)
                            : value instanceof OptionValue.StringValue s ? new BigDecimal(s.value().strip()) : null;
                    if (number != null && number.stripTrailingZeros().scale() <= 0) {
                        return new OptionValue.NumberValue(number.setScale(0), true, position);
                    }
                }
                case "STRING" -> {
                    if (value instanceof OptionValue.StringValue s) {
                        return new OptionValue.StringValue(s.value(), position);
                    }
                    if (value instanceof OptionValue.NumberValue n) {
                        return new OptionValue.StringValue(n.value().toPlainString(), position);
                    }
                }
                case "BOOL", "BOOLEAN" -> {
                    if (value instanceof OptionValue.BoolValue b) {
                        return new OptionValue.BoolValue(b.value(), position);
                    }
                    if (value instanceof OptionValue.StringValue s && (s.value().equalsIgnoreCase("true") || s.value().equalsIgnoreCase("false"))) {
                        return new OptionValue.BoolValue(Boolean.parseBoolean(s.value()), position);
                    }
                }
                default -> {
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw TokenCursor.expected("a constant that CAST(... AS " + target + ") can read (a number, a string, TRUE or FALSE)", type);
    }

    private static OptionValue number(Token token, boolean negative, Position position) {
        String text = token.text();
        BigDecimal value;
        boolean integral;
        if (text.startsWith("0x") || text.startsWith("0X")) {
            value = new BigDecimal(new BigInteger(text.substring(2), 16));
            integral = true;
        } else {
            try {
                value = new BigDecimal(text.toLowerCase(Locale.ROOT));
            } catch (NumberFormatException e) {
                throw Tokenizer.syntaxError(position, "malformed number '" + text + "'");
            }
            integral = !text.contains(".") && !text.toLowerCase(Locale.ROOT).contains("e");
        }
        return new OptionValue.NumberValue(negative ? value.negate() : value, integral, position);
    }

    private static OptionValue array(TokenCursor cursor, Position position) {
        cursor.expectSymbol("[");
        List<OptionValue> elements = new ArrayList<>();
        if (!cursor.peek().isSymbol("]")) {
            do {
                elements.add(parse(cursor));
            } while (cursor.acceptSymbol(","));
        }
        if (!cursor.peek().isSymbol("]")) {
            throw cursor.expected("',' or ']'");
        }
        cursor.next();
        return new OptionValue.ArrayValue(elements, position);
    }

    /** After the opening parenthesis: {@code value [AS name], ...)}. */
    private static OptionValue structBody(TokenCursor cursor, Position position) {
        List<OptionValue> fields = new ArrayList<>();
        List<Optional<String>> names = new ArrayList<>();
        if (!cursor.peek().isSymbol(")")) {
            do {
                fields.add(parse(cursor));
                if (cursor.acceptWord("AS")) {
                    names.add(Optional.of(cursor.expectName("a field name after AS").value()));
                } else {
                    names.add(Optional.empty());
                }
            } while (cursor.acceptSymbol(","));
        }
        if (!cursor.peek().isSymbol(")")) {
            throw cursor.expected("',' or ')'");
        }
        cursor.next();
        return new OptionValue.StructValue(fields, names, position);
    }

    /** Skips {@code <...>} of a typed ARRAY or STRUCT; the element types are not checked. */
    private static void skipTypeParameters(TokenCursor cursor) {
        int depth = 0;
        do {
            Token token = cursor.next();
            if (token.kind() == TokenKind.END) {
                throw TokenCursor.expected("'>' closing the type parameters", token);
            }
            if (token.isSymbol("<")) {
                depth++;
            } else if (token.isSymbol(">")) {
                depth--;
            } else if (token.isSymbol(">>")) {
                depth -= 2;
            }
        } while (depth > 0);
    }
}
