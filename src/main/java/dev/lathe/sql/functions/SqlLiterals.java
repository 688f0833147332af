package dev.lathe.sql.functions;

import java.util.List;
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

    /** A double-quoted identifier (struct field names such as {@code f1_f2}). */
    static String identifier(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
