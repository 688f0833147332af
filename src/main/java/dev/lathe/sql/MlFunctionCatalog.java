package dev.lathe.sql;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import dev.lathe.sql.functions.PreprocessingFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The ML.* names the parser knows: the table-valued functions the executor computes, and the
 * preprocessing functions found through {@code lookup} (upper-case name without {@code ML.}).
 */
record MlFunctionCatalog(Function<String, Optional<PreprocessingFunction>> lookup, List<String> preprocessingNames) {
    /** Table-valued functions the executor computes (spec section 4.1). */
    static final List<String> TABLE_FUNCTIONS = List.of("PREDICT", "EVALUATE", "CONFUSION_MATRIX", "ROC_CURVE", "TRAINING_INFO",
            "FEATURE_INFO", "WEIGHTS", "ADVANCED_WEIGHTS", "CENTROIDS", "FEATURE_IMPORTANCE", "TRANSFORM", "EXPLAIN_PREDICT",
            "GLOBAL_EXPLAIN", "PRINCIPAL_COMPONENTS", "PRINCIPAL_COMPONENT_INFO", "FORECAST", "EXPLAIN_FORECAST", "ARIMA_EVALUATE",
            "ARIMA_COEFFICIENTS", "DETECT_ANOMALIES", "RECOMMEND", "RECONSTRUCTION_LOSS", "TRIAL_INFO", "DESCRIBE_DATA",
            "VALIDATE_DATA_SKEW", "VALIDATE_DATA_DRIFT", "GENERATE_TEXT", "GENERATE_EMBEDDING", "EVALUATE_PREDICTION_LOG");

    /** BigQuery ML's functions that call a Google Cloud AI service (spec 1, remote models): a near name is no help there. */
    private static final Set<String> CLOUD_SERVICES = Set.of("TRANSLATE", "UNDERSTAND_TEXT", "TRANSCRIBE", "PROCESS_DOCUMENT",
            "ANNOTATE_IMAGE");
    /** BigQuery ML's other functions Lathe does not have (spec 4): named as such rather than matched to a near name. */
    private static final Set<String> NOT_PROVIDED = Set.of("TFDV_DESCRIBE", "TFDV_VALIDATE", "GET_INSIGHTS", "HOLIDAY_INFO",
            "DECODE_IMAGE", "RESIZE_IMAGE", "CONVERT_COLOR_SPACE", "CONVERT_IMAGE_TYPE", "GENERATE_TABLE");

    /** Table functions whose first argument is data, not a model. */
    static final Set<String> WITHOUT_MODEL = Set.of("DESCRIBE_DATA", "VALIDATE_DATA_DRIFT", "EVALUATE_PREDICTION_LOG");

    MlFunctionCatalog {
        requireNonNull(lookup, "lookup is null");
        preprocessingNames = List.copyOf(preprocessingNames);
    }

    static boolean isTableFunction(String upperName) {
        return TABLE_FUNCTIONS.contains(upperName);
    }

    Optional<PreprocessingFunction> preprocessing(String upperName) {
        return lookup.apply(upperName);
    }

    /** FUNCTION_NOT_FOUND for {@code ML.<name>} written at {@code ml}, with the nearest known name. */
    LatheException unknown(Token ml, Token name) {
        List<String> candidates = new ArrayList<>();
        TABLE_FUNCTIONS.forEach(n -> candidates.add("ML." + n));
        preprocessingNames.forEach(n -> candidates.add("ML." + n));
        String written = "ML." + name.upper();
        if (CLOUD_SERVICES.contains(name.upper())) {
            return new LatheException(ErrorCode.UNSUPPORTED, written + " at " + ml.position() + " is BigQuery ML's call to a Google"
                    + " Cloud AI service through a remote model; Lathe runs models on this machine and has no such service");
        }
        if (NOT_PROVIDED.contains(name.upper())) {
            return new LatheException(ErrorCode.UNSUPPORTED, written + " at " + ml.position() + " is a BigQuery ML function Lathe"
                    + " does not provide; its table functions are " + String.join(", ", TABLE_FUNCTIONS.stream().map(n -> "ML." + n).toList()));
        }
        String hint = Suggestions.nearest(written, candidates).map(s -> "; did you mean " + s + "?").orElse("");
        return new LatheException(ErrorCode.FUNCTION_NOT_FOUND, "Unknown function " + written + " at " + ml.position() + hint);
    }
}
