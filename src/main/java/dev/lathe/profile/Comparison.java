package dev.lathe.profile;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Compares a baseline profile with a study profile feature by feature: ML.VALIDATE_DATA_SKEW (training vs serving)
 * and ML.VALIDATE_DATA_DRIFT (one window vs another) both produce these rows.
 */
public final class Comparison {
    private Comparison() {}

    /** The metrics BigQuery ML accepts. */
    public enum Metric { JENSEN_SHANNON_DIVERGENCE, L_INFTY }

    /** Whether both sides had values to compare. */
    public enum DataStatus { OK, NO_BASELINE_DATA, NO_STUDY_DATA }

    /**
     * How features are compared.
     *
     * @param thresholds per-feature thresholds by feature name (case-insensitive), overriding the defaults
     * @param buckets histogram buckets for numeric features, binned on the baseline's quantiles
     */
    public record Settings(double categoricalThreshold, Metric categoricalMetric, double numericalThreshold, Metric numericalMetric,
            Map<String, Double> thresholds, int buckets) {
        public static final double DEFAULT_THRESHOLD = 0.3;
        public static final int DEFAULT_BUCKETS = 10;

        public Settings {
            requireNonNull(categoricalMetric, "categoricalMetric is null");
            requireNonNull(numericalMetric, "numericalMetric is null");
            thresholds = Map.copyOf(thresholds);
            if (numericalMetric != Metric.JENSEN_SHANNON_DIVERGENCE) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "numerical_metric_type is " + numericalMetric
                        + " but numeric features accept only JENSEN_SHANNON_DIVERGENCE");
            }
            checkThreshold("categorical_default_threshold", categoricalThreshold);
            checkThreshold("numerical_default_threshold", numericalThreshold);
            thresholds.forEach((name, value) -> checkThreshold("the threshold of '" + name + "'", value));
            if (buckets < 2 || buckets > 1000) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "num_quantiles_histogram_buckets is " + buckets
                        + " but must be between 2 and 1000");
            }
        }

        public static Settings defaults() {
            return new Settings(DEFAULT_THRESHOLD, Metric.L_INFTY, DEFAULT_THRESHOLD, Metric.JENSEN_SHANNON_DIVERGENCE, Map.of(),
                    DEFAULT_BUCKETS);
        }

        private static void checkThreshold(String what, double value) {
            if (!(value >= 0 && value <= 1)) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, what + " is " + value + " but must be in [0, 1]");
            }
        }
    }

    /** One output row; {@code value} and {@code isAnomaly} are empty when a side has no values ({@code status}). */
    public record FeatureResult(String input, Metric metric, double threshold, OptionalDouble value, Optional<Boolean> isAnomaly,
            DataStatus status) {
        public FeatureResult {
            requireNonNull(input, "input is null");
            requireNonNull(metric, "metric is null");
            requireNonNull(value, "value is null");
            requireNonNull(isAnomaly, "isAnomaly is null");
            requireNonNull(status, "status is null");
        }
    }

    /**
     * Compares {@code features} (all of the baseline's columns when empty). A feature missing from either side, or
     * numeric on one side and categorical on the other, is an error naming it; {@code baselineName} and
     * {@code studyName} say which data each side is in those messages.
     */
    public static List<FeatureResult> compare(DataProfile baseline, String baselineName, DataProfile study, String studyName,
            List<String> features, Settings settings) {
        List<String> names = features.isEmpty() ? baseline.columns().stream().map(ColumnProfile::name).toList() : features;
        for (String name : settings.thresholds().keySet()) {
            if (names.stream().noneMatch(n -> n.equalsIgnoreCase(name))) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "thresholds names feature '" + name
                        + "', which is not compared" + Suggestions.withChoices(name, names, "Compared features"));
            }
        }
        List<FeatureResult> results = new ArrayList<>();
        for (String name : names) {
            ColumnProfile base = baseline.column(name).orElseThrow(() -> missing(name, baselineName, baseline));
            ColumnProfile target = study.column(name).orElseThrow(() -> missing(name, studyName, study));
            if (base.kind() != target.kind()) {
                throw new LatheException(ErrorCode.INVALID_DATA, "Feature '" + base.name() + "' is " + base.type().bigQueryName()
                        + " in " + baselineName + " but " + target.type().bigQueryName() + " in " + studyName
                        + "; both sides must be numeric or both categorical (CAST one side)");
            }
            results.add(compare(base, target, settings));
        }
        return results;
    }

    private static FeatureResult compare(ColumnProfile base, ColumnProfile target, Settings settings) {
        boolean numeric = base.kind() == ColumnProfile.Kind.NUMERIC;
        Metric metric = numeric ? settings.numericalMetric() : settings.categoricalMetric();
        double threshold = settings.thresholds().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(base.name()))
                .map(Map.Entry::getValue).findFirst()
                .orElse(numeric ? settings.numericalThreshold() : settings.categoricalThreshold());
        if (base.values() == 0 || target.values() == 0) {
            DataStatus status = base.values() == 0 ? DataStatus.NO_BASELINE_DATA : DataStatus.NO_STUDY_DATA;
            return new FeatureResult(base.name(), metric, threshold, OptionalDouble.empty(), Optional.empty(), status);
        }
        double value;
        if (numeric) {
            double[] edges = Distances.edges(base, settings.buckets());
            value = Distances.jensenShannon(base.mass(edges), target.mass(edges));
        } else if (metric == Metric.L_INFTY) {
            value = Distances.lInfinity(Distances.shares(base), Distances.shares(target));
        } else {
            value = Distances.jensenShannon(Distances.shares(base), Distances.shares(target));
        }
        return new FeatureResult(base.name(), metric, threshold, OptionalDouble.of(value), Optional.of(value > threshold),
                DataStatus.OK);
    }

    private static LatheException missing(String name, String where, DataProfile profile) {
        List<String> columns = profile.columns().stream().map(ColumnProfile::name).toList();
        return new LatheException(ErrorCode.COLUMN_NOT_FOUND, "Feature '" + name + "' is not in " + where
                + Suggestions.withChoices(name.toLowerCase(Locale.ROOT), columns, "Columns there"));
    }
}
