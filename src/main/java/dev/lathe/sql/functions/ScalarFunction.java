package dev.lathe.sql.functions;

import java.sql.Connection;
import java.util.List;
import java.util.Map;

/** A function without statistics: the live and the frozen SQL are the same expression. */
abstract class ScalarFunction implements PreprocessingFunction {

    /** Validates the arguments and renders the expression. */
    abstract String render(Arguments arguments);

    @Override
    public final boolean analytic() {
        return false;
    }

    @Override
    public String renderWindow(List<String> arguments, String overClause) {
        return render(Arguments.of(name(), arguments));
    }

    @Override
    public Fitted fit(List<String> arguments, String inputRelation, Connection connection) {
        return new Fitted(render(Arguments.of(name(), arguments)), Map.of());
    }
}
