package dev.lathe.sql.functions;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The registry of BigQuery ML preprocessing functions: one immutable list, looked up by upper-case name. */
public final class PreprocessingFunctions {
    private static final List<PreprocessingFunction> ALL = List.of(
            new StandardScaler(),
            new MinMaxScaler(),
            new MaxAbsScaler(),
            new RobustScaler(),
            new Normalizer(),
            new Distance(),
            new LpNorm(),
            new Bucketize(),
            new QuantileBucketize(),
            new HashBucketize(),
            new OneHotEncoder(),
            new MultiHotEncoder(),
            new LabelEncoder(),
            new Imputer(),
            new FeatureCross(),
            new PolynomialExpand(),
            new Ngrams(),
            new BagOfWords(),
            new TfIdf());

    private static final Map<String, PreprocessingFunction> BY_NAME =
            ALL.stream().collect(Collectors.toUnmodifiableMap(PreprocessingFunction::name, Function.identity()));

    private static final List<String> NAMES = ALL.stream().map(PreprocessingFunction::name).toList();

    private PreprocessingFunctions() {}

    /** The function named {@code upperName} (without the {@code ML.} prefix), e.g. {@code STANDARD_SCALER}. */
    public static Optional<PreprocessingFunction> find(String upperName) {
        return Optional.ofNullable(BY_NAME.get(upperName));
    }

    /** Every supported name, without the {@code ML.} prefix. */
    public static List<String> names() {
        return NAMES;
    }
}
