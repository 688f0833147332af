package dev.lathe.train.boosted;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.lathe.core.model.Capabilities;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Accuracy on UCI Adult (official split) against /work/shared/reference/baselines.md. Adult may not be
 * copied into the project, so these tests read ${lathe.shared.dir}/datasets and are skipped without it.
 */
class AdultTreeAccuracyTest {
    private static final List<String> NUMERIC = List.of("age", "fnlwgt", "education_num", "capital_gain", "capital_loss",
            "hours_per_week");
    private static final List<String> CATEGORICAL = List.of("workclass", "education", "marital_status", "occupation",
            "relationship", "race", "sex", "native_country");

    private static TrainingSet training;
    private static Features features;
    private static Table test;

    @BeforeAll
    static void load() {
        Optional<Path> trainPath = Table.shared("adult_train.csv");
        Optional<Path> testPath = Table.shared("adult_test.csv");
        assumeTrue(trainPath.isPresent() && testPath.isPresent(),
                "UCI Adult not found under ${lathe.shared.dir}/datasets; skipping the Adult accuracy tests");
        Table train = Table.read(trainPath.get());
        test = Table.read(testPath.get());
        features = Features.labelEncoded(train, NUMERIC, CATEGORICAL);
        // No eval split: the reference models were fitted on all 32,561 training rows.
        training = TestData.trainingSet(features.encode(train), labels(train), Optional.empty(), new double[0],
                List.of("<=50K", ">50K"), features.layout());
    }

    private static double[] labels(Table table) {
        double[] labels = new double[table.size()];
        for (int row = 0; row < table.size(); row++) {
            labels[row] = table.value(row, "income").orElseThrow().equals(">50K") ? 1 : 0;
        }
        return labels;
    }

    private static double testAuc(Estimator estimator) {
        return TestData.auc(TestData.positiveScores(estimator.predict(features.encode(test))), labels(test));
    }

    /**
     * Reference: XGBoost 1.7.4 hist with native categoricals, 100 trees, test AUC 0.9240. BigQuery ML
     * label-encodes categoricals instead (alphabetical codes), which forces ordinal splits on nominal
     * values and can cost a few thousandths of AUC; XGBoost 2.x also differs from 1.7 in defaults such
     * as the estimated base score. Hence a floor of 0.918, 0.006 below the reference.
     */
    @Test
    void boostedTreeClassifierMatchesXgboostReferenceAuc() {
        TreeFamily family = TreeFamily.boostedTreeClassifier();
        Estimator estimator = family.train(training, TestData.options(family, Map.of("max_iterations", 100, "early_stop", false)),
                TrainingListener.NONE).estimator();

        assertThat(estimator.trainingInfo()).hasSize(100);
        assertThat(testAuc(estimator)).isGreaterThanOrEqualTo(0.918);
    }

    /**
     * Reference: scikit-learn RandomForestClassifier, 100 fully grown trees on ordinal-encoded data, test
     * AUC 0.9053. BigQuery ML's forest (100 trees, depth 15, 80% row and per-node column sampling) should
     * be at least as good, within 0.005.
     */
    @Test
    void randomForestClassifierReachesSklearnForestAuc() {
        TreeFamily family = TreeFamily.randomForestClassifier();
        Estimator estimator = family.train(training, TestData.options(family, Map.of()), TrainingListener.NONE).estimator();

        assertThat(estimator.trainingInfo()).hasSize(1);
        assertThat(testAuc(estimator)).isGreaterThanOrEqualTo(0.90);
    }

    @Test
    void adultImportanceRanksRelationshipOrMaritalStatusAmongTopFeatures() {
        TreeFamily family = TreeFamily.boostedTreeClassifier();
        Capabilities.HasFeatureImportance estimator = (Capabilities.HasFeatureImportance) family.train(training,
                TestData.options(family, Map.of()), TrainingListener.NONE).estimator();

        List<Capabilities.ImportanceRow> rows = estimator.featureImportance(features.layout());
        assertThat(rows).extracting(Capabilities.ImportanceRow::feature).containsExactlyElementsOf(features.layout().features());
        // The baseline's SHAP ranking has marital_status and relationship among the top three; by
        // average gain one of them should lead.
        String topByGain = rows.stream().max(java.util.Comparator.comparingDouble(Capabilities.ImportanceRow::importanceGain))
                .orElseThrow().feature();
        assertThat(topByGain).isIn("relationship", "marital_status");
    }
}
