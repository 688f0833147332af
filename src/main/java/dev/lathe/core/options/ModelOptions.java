package dev.lathe.core.options;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The effective options of a model: every option its type accepts, with the value given or the
 * default. Keys are lower case. Values are Boolean, Long, Double, String, List, Map or absent.
 */
public final class ModelOptions {
    private final Map<String, Object> values;
    private final Set<String> explicit;

    private ModelOptions(Map<String, Object> values, Set<String> explicit) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.explicit = Collections.unmodifiableSet(new LinkedHashSet<>(explicit));
    }

    public static ModelOptions of(Map<String, Object> values, Set<String> explicit) {
        return new ModelOptions(values, explicit);
    }

    /**
     * Checks {@code assignments} against {@code specs} and fills in defaults. Unknown names get a
     * did-you-mean hint; wrong types and out-of-range values name the option, the value, the position
     * and what is accepted. {@code model_type} is skipped (the caller has used it to choose the specs).
     */
    public static ModelOptions resolve(List<OptionAssignment> assignments, List<OptionSpec> specs, String modelType) {
        Map<String, OptionSpec> byName = new LinkedHashMap<>();
        for (OptionSpec spec : specs) {
            byName.put(spec.name(), spec);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        Set<String> explicit = new LinkedHashSet<>();
        Set<String> given = new LinkedHashSet<>(); // NULL too, for the given-twice check
        values.put("model_type", modelType);
        for (OptionSpec spec : specs) {
            spec.defaultValue().ifPresent(v -> values.put(spec.name(), v));
        }
        boolean typeSeen = false;
        for (OptionAssignment assignment : assignments) {
            String name = assignment.name().toLowerCase(Locale.ROOT);
            if (name.equals("model_type")) {
                if (typeSeen) {
                    throw new LatheException(ErrorCode.INVALID_OPTION, "Option '" + assignment.name() + "' is given twice in OPTIONS (at "
                            + assignment.position() + ")");
                }
                typeSeen = true;
                continue;
            }
            OptionSpec spec = byName.get(name);
            if (spec == null) {
                List<String> names = new ArrayList<>(byName.keySet());
                throw new LatheException(ErrorCode.INVALID_OPTION, "Unknown option '" + assignment.name() + "' for model_type "
                        + modelType + " in OPTIONS at " + assignment.position()
                        + Suggestions.nearest(name, names).map(n -> "; did you mean '" + n + "'?").orElse(". Options are: "
                                + String.join(", ", names)));
            }
            if (!given.add(name)) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "Option '" + assignment.name() + "' is given twice in OPTIONS (at "
                        + assignment.position() + ")");
            }
            if (assignment.value() instanceof OptionValue.NullValue) {
                // NULL leaves the option unset: its default where it has one (l2_reg = NULL trained nothing before:
                // "Option 'l2_reg' has no value", after reading the data), else absent
                // "explicit" and the stored explicit options are what was given a value: max_iterations = NULL with the normal
                // equation was said not applied (probe ra)
                spec.defaultValue().ifPresentOrElse(d -> values.put(name, d), () -> values.remove(name));
                continue;
            }
            explicit.add(name);
            values.put(name, convert(spec, assignment));
        }
        return new ModelOptions(values, explicit);
    }

    private static Object convert(OptionSpec spec, OptionAssignment assignment) {
        OptionValue value = assignment.value();
        return switch (spec.type()) {
            case BOOL -> {
                if (value instanceof OptionValue.BoolValue b) {
                    yield b.value();
                }
                throw typeError(spec, assignment);
            }
            case INT64 -> {
                if (value instanceof OptionValue.NumberValue n && n.integral()) {
                    if (n.value().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0
                            || n.value().compareTo(java.math.BigDecimal.valueOf(Long.MIN_VALUE)) < 0) { // longValueExact's ArithmeticException was an "internal failure" (probe ra)
                        throw new LatheException(ErrorCode.INVALID_OPTION, "Option '" + spec.name() + "' at " + value.position()
                                + " is beyond the range of INT64; it must be a whole number" + (spec.rangeText().isEmpty() ? ""
                                : " in " + spec.rangeText()));
                    }
                    yield checkRange(spec, assignment, n.value().longValueExact());
                }
                throw typeError(spec, assignment);
            }
            case FLOAT64 -> {
                if (value instanceof OptionValue.NumberValue n) {
                    yield checkRange(spec, assignment, n.value().doubleValue());
                }
                throw typeError(spec, assignment);
            }
            case STRING -> {
                if (value instanceof OptionValue.StringValue s) {
                    yield s.value();
                }
                throw typeError(spec, assignment);
            }
            case ENUM -> {
                if (value instanceof OptionValue.StringValue s) {
                    String upper = s.value().toUpperCase(Locale.ROOT);
                    if (!spec.allowedValues().contains(upper)) {
                        throw new LatheException(ErrorCode.INVALID_OPTION, "Invalid value '" + s.value() + "' for option '"
                                + spec.name() + "' at " + value.position()
                                + Suggestions.withChoices(upper, spec.allowedValues(), "Accepted values"));
                    }
                    yield upper;
                }
                throw typeError(spec, assignment);
            }
            case STRING_ARRAY -> {
                if (value instanceof OptionValue.StringValue s) {
                    yield List.of(s.value());
                }
                if (value instanceof OptionValue.ArrayValue a) {
                    List<String> strings = new ArrayList<>();
                    for (OptionValue element : a.elements()) {
                        if (!(element instanceof OptionValue.StringValue s)) {
                            throw typeError(spec, assignment);
                        }
                        strings.add(s.value());
                    }
                    yield List.copyOf(strings);
                }
                throw typeError(spec, assignment);
            }
            case INT64_ARRAY -> {
                if (value instanceof OptionValue.ArrayValue a) {
                    List<Long> longs = new ArrayList<>();
                    for (OptionValue element : a.elements()) {
                        if (!(element instanceof OptionValue.NumberValue n) || !n.integral()) {
                            throw typeError(spec, assignment);
                        }
                        longs.add(n.value().longValueExact());
                    }
                    yield List.copyOf(longs);
                }
                throw typeError(spec, assignment);
            }
            case STRING_FLOAT_MAP -> {
                if (value instanceof OptionValue.ArrayValue a) {
                    Map<String, Double> map = new LinkedHashMap<>();
                    for (OptionValue element : a.elements()) {
                        if (!(element instanceof OptionValue.StructValue s) || s.fields().size() != 2
                                || !(s.fields().get(1) instanceof OptionValue.NumberValue weight)) {
                            throw typeError(spec, assignment);
                        }
                        String key = switch (s.fields().get(0)) {
                            case OptionValue.StringValue str -> str.value();
                            case OptionValue.NumberValue num -> num.value().toPlainString();
                            case OptionValue.BoolValue bool -> Boolean.toString(bool.value());
                            default -> throw typeError(spec, assignment);
                        };
                        double w = weight.value().doubleValue();
                        if (!Double.isFinite(w) || w < 0) {
                            throw new LatheException(ErrorCode.INVALID_OPTION, "Option '" + spec.name() + "' gives class '" + key
                                    + "' the weight " + (Double.isFinite(w) ? weight.value().toPlainString() : "beyond FLOAT64's range") + " at " + weight.position()
                                    + "; class weights multiply each row's loss and must be finite and >= 0");
                        }
                        if (map.put(key, w) != null) {
                            throw new LatheException(ErrorCode.INVALID_OPTION, "Option '" + spec.name() + "' names class '" + key
                                    + "' twice (again at " + s.position() + "); give each class one weight");
                        }
                    }
                    if (!map.isEmpty() && map.values().stream().allMatch(w -> w == 0)) {
                        throw new LatheException(ErrorCode.INVALID_OPTION, "Option '" + spec.name() + "' at " + value.position()
                                + " gives every class the weight 0, which leaves nothing to fit; give at least one class a positive weight");
                    }
                    yield Collections.unmodifiableMap(map);
                }
                throw typeError(spec, assignment);
            }
        };
    }

    private static <T extends Number> T checkRange(OptionSpec spec, OptionAssignment assignment, T number) {
        double v = number.doubleValue();
        if (!Double.isFinite(v)) { // 1e400 reads as Infinity, which an open-ended range would let through
            throw new LatheException(ErrorCode.INVALID_OPTION, "Option '" + spec.name() + "' at " + assignment.value().position()
                    + " is beyond the range of FLOAT64 (it reads as infinity); it must be a finite number"
                    + (spec.rangeText().isEmpty() ? "" : " in " + spec.rangeText()));
        }
        boolean low = spec.min().isPresent() && (spec.minExclusive() ? v <= spec.min().get() : v < spec.min().get());
        boolean high = spec.max().isPresent() && (spec.maxExclusive() ? v >= spec.max().get() : v > spec.max().get());
        if (low || high) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "Option '" + spec.name() + "' is " + assignment.value().describe()
                    + " at " + assignment.value().position() + " but must be in " + spec.rangeText());
        }
        return number;
    }

    private static LatheException typeError(OptionSpec spec, OptionAssignment assignment) {
        String accepted = spec.type() == OptionType.ENUM
                ? "one of " + String.join(", ", spec.allowedValues())
                : "a value of type " + spec.type().sqlName();
        if (assignment.value() instanceof OptionValue.HparamValue hparam) {
            return new LatheException(ErrorCode.UNSUPPORTED, "Option '" + spec.name() + "' is " + hparam.function() + "(...) at "
                    + hparam.position() + ", a search space for hyperparameter tuning, which is not available yet; give "
                    + spec.name() + " " + accepted);
        }
        return new LatheException(ErrorCode.INVALID_OPTION, "Option '" + spec.name() + "' expects " + accepted + " but got "
                + assignment.value().describe() + " at " + assignment.value().position());
    }

    /** All effective values, keys lower case, in spec order. */
    public Map<String, Object> values() {
        return values;
    }

    /** Names the user set explicitly. */
    public Set<String> explicit() {
        return explicit;
    }

    public boolean isExplicit(String name) {
        return explicit.contains(name.toLowerCase(Locale.ROOT));
    }

    public boolean has(String name) {
        return values.containsKey(name.toLowerCase(Locale.ROOT));
    }

    public Optional<Object> get(String name) {
        return Optional.ofNullable(values.get(name.toLowerCase(Locale.ROOT)));
    }

    public boolean getBool(String name) {
        return (Boolean) require(name);
    }

    public long getLong(String name) {
        return ((Number) require(name)).longValue();
    }

    public double getDouble(String name) {
        return ((Number) require(name)).doubleValue();
    }

    public String getString(String name) {
        return (String) require(name);
    }

    public Optional<String> optionalString(String name) {
        return get(name).map(String.class::cast);
    }

    @SuppressWarnings("unchecked")
    public List<String> getStringList(String name) {
        return (List<String>) require(name);
    }

    @SuppressWarnings("unchecked")
    public Optional<Map<String, Double>> optionalWeights(String name) {
        return get(name).map(v -> (Map<String, Double>) v);
    }

    /** A copy with {@code name} set to {@code value}, e.g. a data-dependent default the trainer chose. */
    public ModelOptions with(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(name.toLowerCase(Locale.ROOT), value);
        return new ModelOptions(copy, explicit);
    }

    /** A copy with {@code name} set to {@code value} and counted as set by the user (WARM_START's carried-over options). */
    public ModelOptions withExplicit(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(name.toLowerCase(Locale.ROOT), value);
        Set<String> names = new java.util.LinkedHashSet<>(explicit);
        names.add(name.toLowerCase(Locale.ROOT));
        return new ModelOptions(copy, names);
    }

    private Object require(String name) {
        Object value = values.get(name.toLowerCase(Locale.ROOT));
        if (value == null) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "Option '" + name.toLowerCase(Locale.ROOT) + "' has no value");
        }
        return value;
    }

    /** Keeps BigDecimal out of stored options: numbers become Long or Double. */
    static Object normalize(Object value) {
        if (value instanceof BigDecimal b) {
            return b.scale() <= 0 ? (Object) b.longValueExact() : (Object) b.doubleValue();
        }
        return value;
    }
}
