package dev.lathe.sql.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreprocessingFunctionsTest {
    @Test
    void registersEveryFunctionOfSpecSection32() {
        assertThat(PreprocessingFunctions.names()).containsExactlyInAnyOrder("STANDARD_SCALER", "MIN_MAX_SCALER", "MAX_ABS_SCALER",
                "ROBUST_SCALER", "NORMALIZER", "DISTANCE", "LP_NORM", "BUCKETIZE", "QUANTILE_BUCKETIZE", "HASH_BUCKETIZE", "ONE_HOT_ENCODER",
                "MULTI_HOT_ENCODER", "LABEL_ENCODER", "IMPUTER", "FEATURE_CROSS", "POLYNOMIAL_EXPAND", "NGRAMS", "BAG_OF_WORDS",
                "TF_IDF");
        assertThat(PreprocessingFunctions.names()).allSatisfy(n -> assertThat(PreprocessingFunctions.find(n)).isPresent()
                .get().extracting(PreprocessingFunction::name).isEqualTo(n));
    }

    @Test
    void namesAreImmutable() {
        assertThatThrownBy(() -> PreprocessingFunctions.names().add("X")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void findsNothingForUnknownNames() {
        assertThat(PreprocessingFunctions.find("STANDARD_SCALAR")).isEmpty();
    }

    @Test
    void marksOverFunctionsAsAnalytic() {
        assertThat(PreprocessingFunctions.names().stream().filter(n -> PreprocessingFunctions.find(n).orElseThrow().analytic()))
                .containsExactlyInAnyOrder("STANDARD_SCALER", "MIN_MAX_SCALER", "MAX_ABS_SCALER", "ROBUST_SCALER",
                        "QUANTILE_BUCKETIZE", "ONE_HOT_ENCODER", "MULTI_HOT_ENCODER", "LABEL_ENCODER", "IMPUTER", "BAG_OF_WORDS", "TF_IDF");
    }

    @Test
    void rejectsAWrongArgumentCountWithTheUsage() {
        assertThatThrownBy(() -> PreprocessingFunctions.find("STANDARD_SCALER").orElseThrow().renderWindow(List.of("a", "b"), "()"))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("ML.STANDARD_SCALER takes 1 arguments but got 2")
                .hasMessageContaining("usage: ML.STANDARD_SCALER(numerical_expression) OVER()");
    }
}
