package dev.lathe.sql.functions;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** DuckDB literal text for values frozen into a TRANSFORM expression. */
final class SqlLiterals {
    private SqlLiterals() {}

    /**
     * A DOUBLE literal that DuckDB reads back bit for bit. A bare {@code 0.0036446298831652236} is parsed as
     * DECIMAL and loses the last digit on conversion, so the shortest round-trip text is cast from a string.
     */
    static String doubleLiteral(double value) {
        if (Double.isNaN(value)) {
            return "CAST('NaN' AS DOUBLE)";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "CAST('Infinity' AS DOUBLE)" : "CAST('-Infinity' AS DOUBLE)";
        }
        return "CAST('" + Double.toString(value) + "' AS DOUBLE)";
    }

    static String stringLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String doubleList(List<Double> values) {
        return "CAST([" + values.stream().map(SqlLiterals::doubleLiteral).collect(Collectors.joining(", "))
                + "] AS DOUBLE[])";
    }

    static String stringList(List<String> values) {
        return "CAST([" + values.stream().map(SqlLiterals::stringLiteral).collect(Collectors.joining(", "))
                + "] AS VARCHAR[])";
    }

    /**
     * A fitted dictionary (distinct strings in index order) as a VARCHAR[] literal that {@link #enumType} recovers an ENUM type
     * from: {@code enum_range(CAST(NULL AS ENUM('a', 'b')))}. DuckDB casts a string to an ENUM by a hash lookup, where
     * {@code list_position} over a list literal compares the string with every entry: with 32,000 terms (the encoders'
     * default top_k) a document of a few hundred tokens took ~0.1 s. An empty dictionary is a plain empty list (an ENUM
     * needs a value).
     */
    static String dictionary(List<String> terms) {
        if (terms.isEmpty()) {
            return stringList(terms);
        }
        return ENUM_RANGE + "ENUM(" + terms.stream().map(SqlLiterals::stringLiteral).collect(Collectors.joining(", ")) + "))";
    }

    /** The ENUM type of a {@link #dictionary} literal, empty for any other list expression. */
    static Optional<String> enumType(String list) {
        return list.startsWith(ENUM_RANGE) && list.endsWith("))")
                ? Optional.of(list.substring(ENUM_RANGE.length(), list.length() - 1))
                : Optional.empty();
    }

    private static final String ENUM_RANGE = "enum_range(CAST(NULL AS ";

    /** A double-quoted identifier (struct field names such as {@code f1_f2}). */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
