package dev.lathe.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.evaluate.ClassificationMetrics;
import dev.lathe.evaluate.RegressionMetrics;
import dev.lathe.quality.GroundTruth;
import dev.lathe.quality.TableName;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class QualityMetricsTest {
    private static PredictionQualityConfig config(String metric, double threshold, Duration delay) {
        return new PredictionQualityConfig(new GroundTruth.Table(new TableName("d", "labels")), Optional.empty(), Optional.empty(), Optional.empty(),
                OptionalDouble.empty(), metric, threshold, delay);
    }

    @Test
    void everyMlEvaluateMetricHasADirection() {
        assertThat(QualityMetrics.NAMES).containsAll(ClassificationMetrics.COLUMN_NAMES).containsAll(RegressionMetrics.COLUMN_NAMES);
        for (String score : List.of("accuracy", "precision", "recall", "f1_score", "roc_auc", "r2_score", "explained_variance")) {
            assertThat(QualityMetrics.isWorse(score, 0.7, 0.8)).as(score).isTrue();
            assertThat(QualityMetrics.isWorse(score, 0.8, 0.8)).as(score + " at the threshold").isFalse();
        }
        for (String error : List.of("log_loss", "mean_absolute_error", "mean_squared_error", "mean_squared_log_error", "median_absolute_error")) {
            assertThat(QualityMetrics.isWorse(error, 0.9, 0.8)).as(error).isTrue();
            assertThat(QualityMetrics.isWorse(error, 0.7, 0.8)).as(error).isFalse();
        }
    }

    @Test
    void theScheduleWaitsForTheLongestLabelDelay() {
        ObjectiveSpec skew = new ObjectiveSpec(ObjectiveType.RAW_FEATURE_SKEW, 0.3, Map.of());
        MonitorSpec plain = new MonitorSpec("w", "shop", List.of(new ObjectiveConfig(Optional.empty(), List.of(skew))), Duration.ofHours(1),
                Duration.ofHours(1), 1, Optional.empty());
        assertThat(plain.labelDelay()).isZero();
        MonitorSpec quality = new MonitorSpec("w", "shop", List.of(
                new ObjectiveConfig(Optional.empty(), List.of(skew, ObjectiveSpec.predictionQuality(config("accuracy", 0.8, Duration.ofHours(2))))),
                new ObjectiveConfig(Optional.of("7"), List.of(ObjectiveSpec.predictionQuality(config("r2_score", 0.5, Duration.ofHours(6)))))),
                Duration.ofHours(1), Duration.ofHours(1), 1, Optional.empty());
        assertThat(quality.labelDelay()).isEqualTo(Duration.ofHours(6));
    }

    @Test
    void aQualityConfigIsValidatedWhereItIsBuilt() {
        assertThatThrownBy(() -> config("auc", 0.8, Duration.ZERO)).hasMessageContaining("unknown metric 'auc'");
        assertThatThrownBy(() -> config("accuracy", Double.NaN, Duration.ZERO)).hasMessageContaining("finite");
        assertThatThrownBy(() -> config("accuracy", 0.8, Duration.ofSeconds(-1))).hasMessageContaining("labelDelay");
        assertThatThrownBy(() -> new ObjectiveSpec(ObjectiveType.PREDICTION_QUALITY, 0.8, Map.of())).hasMessageContaining("needs a prediction quality");
    }
}
