package dev.lathe.sql;

import dev.lathe.core.LatheException;
import dev.lathe.sql.functions.PreprocessingFunction;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Test-only preprocessing functions, so these tests do not depend on the real registry: SCALER (a
 * z-score, analytic) and PAIR (a scalar returning a STRUCT, like ML.FEATURE_CROSS).
 */
final class TestFunctions {
    private TestFunctions() {}

    static Optional<PreprocessingFunction> find(String upperName) {
        return switch (upperName) {
            case "SCALER" -> Optional.of(new Scaler());
            case "PAIR" -> Optional.of(new Pair());
            default -> Optional.empty();
        };
    }

    static final List<String> NAMES = List.of("SCALER", "PAIR");

    static Parser parser() {
        return new Parser(TestFunctions::find, NAMES);
    }

    static final class Scaler implements PreprocessingFunction {
        @Override
        public String name() {
            return "SCALER";
        }

        @Override
        public boolean analytic() {
            return true;
        }

        @Override
        public String renderWindow(List<String> arguments, String overClause) {
            String x = arguments.getFirst();
            return "((" + x + ") - AVG(" + x + ") OVER " + overClause + ") / STDDEV_SAMP(" + x + ") OVER " + overClause;
        }

        @Override
        public Fitted fit(List<String> arguments, String inputRelation, Connection connection) {
            String x = arguments.getFirst();
            String sql = "SELECT AVG(" + x + "), STDDEV_SAMP(" + x + ") FROM (" + inputRelation + ") AS input";
            try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
                result.next();
                double mean = result.getDouble(1);
                double sd = result.getDouble(2);
                return new Fitted("((" + x + ") - " + mean + ") / " + sd, Map.of("mean", mean, "stddev", sd));
            } catch (SQLException e) {
                throw LatheException.internal("scaler fit failed", e);
            }
        }
    }

    static final class Pair implements PreprocessingFunction {
        @Override
        public String name() {
            return "PAIR";
        }

        @Override
        public boolean analytic() {
            return false;
        }

        @Override
        public String renderWindow(List<String> arguments, String overClause) {
            return "{'first': " + arguments.get(0) + ", 'second': " + arguments.get(1) + "}";
        }

        @Override
        public Fitted fit(List<String> arguments, String inputRelation, Connection connection) {
            return new Fitted(renderWindow(arguments, ""), Map.of());
        }
    }
}
