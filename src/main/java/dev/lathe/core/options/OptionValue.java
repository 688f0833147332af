package dev.lathe.core.options;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/** A literal as written in OPTIONS(...) or a STRUCT(...) argument, before it is checked against a spec. */
public sealed interface OptionValue {
    Position position();

    /** How the literal reads in an error message. */
    String describe();

    record StringValue(String value, Position position) implements OptionValue {
        public StringValue {
            requireNonNull(value, "value is null");
        }

        @Override
        public String describe() {
            return "'" + value + "'";
        }
    }

    record NumberValue(BigDecimal value, boolean integral, Position position) implements OptionValue {
        public NumberValue {
            requireNonNull(value, "value is null");
        }

        @Override
        public String describe() {
            return value.toPlainString();
        }
    }

    record BoolValue(boolean value, Position position) implements OptionValue {
        @Override
        public String describe() {
            return value ? "TRUE" : "FALSE";
        }
    }

    record NullValue(Position position) implements OptionValue {
        @Override
        public String describe() {
            return "NULL";
        }
    }

    record ArrayValue(List<OptionValue> elements, Position position) implements OptionValue {
        public ArrayValue {
            elements = List.copyOf(elements);
        }

        @Override
        public String describe() {
            return "[" + String.join(", ", elements.stream().map(OptionValue::describe).toList()) + "]";
        }
    }

    /** {@code STRUCT(a, b)}, {@code (a, b)} or {@code STRUCT(1 AS x)}; names are present where given. */
    record StructValue(List<OptionValue> fields, List<Optional<String>> names, Position position) implements OptionValue {
        public StructValue {
            fields = List.copyOf(fields);
            names = List.copyOf(names);
        }

        @Override
        public String describe() {
            return "STRUCT(" + String.join(", ", fields.stream().map(OptionValue::describe).toList()) + ")";
        }
    }

    /** {@code HPARAM_RANGE(lo, hi)} or {@code HPARAM_CANDIDATES([...])}, kept for hyperparameter tuning. */
    record HparamValue(String function, List<OptionValue> arguments, Position position) implements OptionValue {
        @Override
        public String describe() {
            return function + "(...)";
        }
    }
}
