package dev.lathe.sql.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * ML.FEATURE_CROSS: every combination of 2..degree distinct fields, named and valued by joining with '_'
 * ({@code f1_f2 = f1 || '_' || f2}), in lexicographic order of field positions (f1_f2, f1_f2_f3, f1_f3, f2_f3).
 */
final class FeatureCross extends ScalarFunction {
    static final int MAXIMUM_FIELDS = 10;

    @Override
    public String name() {
        return "FEATURE_CROSS";
    }

    @Override
    String render(Arguments arguments) {
        arguments.requireCount(1, 2, "FEATURE_CROSS(struct_categorical_features [, degree])");
        StructFields fields = StructFields.parse(arguments, 0, "struct_categorical_features", MAXIMUM_FIELDS);
        if (fields.names().size() < 2 || fields.names().stream().map(n -> n.toLowerCase(java.util.Locale.ROOT)).distinct().count()
                < fields.names().size()) { // one field crosses nothing: it was DuckDB's "Can't pack nothing into a struct" (probe rg)
            throw arguments.invalid("struct_categorical_features", "must have 2 to " + MAXIMUM_FIELDS + " fields of distinct names to cross",
                    arguments.raw(0), "STRUCT(a, b [, ...])");
        }
        int degree = (int) arguments.integer(1, "degree", 2, 2, 4);
        List<List<Integer>> crosses = new ArrayList<>();
        combinations(fields.names().size(), degree, 0, new ArrayList<>(), crosses, false);
        return crosses.stream()
                .map(c -> SqlLiterals.identifier(c.stream().map(fields.names()::get).collect(Collectors.joining("_"))) + " := "
                        + c.stream().map(i -> "CAST(" + fields.expressions().get(i) + " AS VARCHAR)").collect(Collectors.joining(" || '_' || ")))
                .collect(Collectors.joining(", ", "struct_pack(", ")"));
    }

    /**
     * Index combinations of size 2..maximum in depth-first order; {@code repeat} allows a field to be reused
     * (with replacement), for polynomial terms.
     */
    static void combinations(int fields, int maximum, int from, List<Integer> prefix, List<List<Integer>> out, boolean repeat) {
        for (int i = from; i < fields; i++) {
            prefix.add(i);
            if (prefix.size() >= (repeat ? 1 : 2)) {
                out.add(List.copyOf(prefix));
            }
            if (prefix.size() < maximum) {
                combinations(fields, maximum, repeat ? i : i + 1, prefix, out, repeat);
            }
            prefix.remove(prefix.size() - 1);
        }
    }
}
