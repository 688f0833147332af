package dev.lathe.sql;

import dev.lathe.core.options.Position;
import java.util.List;
import java.util.Optional;

/** One item of a TRANSFORM select list. */
public sealed interface SelectItem {
    Position position();

    /** {@code *}, {@code * EXCEPT(a, b)}, {@code * REPLACE(expr AS a)}. */
    record Star(List<String> except, List<Expression> replace, Position position) implements SelectItem {
        public Star {
            except = List.copyOf(except);
            replace = List.copyOf(replace);
        }
    }

    /**
     * {@code expression [AS alias]}. {@code sql} is the expression as written (BigQuery dialect, ML
     * functions unexpanded). A bare column reference has no alias and {@code columnReference} set.
     */
    record Expression(String sql, Optional<String> alias, Optional<String> columnReference, Position position)
            implements SelectItem {
        /** The output column name: the alias, else the referenced column. */
        public Optional<String> outputName() {
            return alias.or(() -> columnReference);
        }
    }
}
