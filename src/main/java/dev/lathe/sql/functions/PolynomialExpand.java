package dev.lathe.sql.functions;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * ML.POLYNOMIAL_EXPAND: the original fields and every product of up to degree fields (with repetition), as
 * DOUBLE, named by joining field names with '_' in BigQuery's order: f1, f1_f1, f1_f2, f2, f2_f2.
 */
final class PolynomialExpand extends ScalarFunction {
    @Override
    public String name() {
        return "POLYNOMIAL_EXPAND";
    }

    @Override
    String render(Arguments arguments) {
        arguments.requireCount(1, 2, "POLYNOMIAL_EXPAND(struct_numerical_features [, degree])");
        StructFields fields = StructFields.parse(arguments, 0, "struct_numerical_features", FeatureCross.MAXIMUM_FIELDS);
        int degree = (int) arguments.integer(1, "degree", 2, 1, 4);
        List<List<Integer>> terms = new ArrayList<>();
        FeatureCross.combinations(fields.names().size(), degree, 0, new ArrayList<>(), terms, true);
        return terms.stream()
                .map(t -> SqlLiterals.identifier(t.stream().map(fields.names()::get).collect(Collectors.joining("_"))) + " := "
                        + t.stream().map(i -> "CAST(" + fields.expressions().get(i) + " AS DOUBLE)").collect(Collectors.joining(" * ")))
                .collect(Collectors.joining(", ", "struct_pack(", ")"));
    }
}
