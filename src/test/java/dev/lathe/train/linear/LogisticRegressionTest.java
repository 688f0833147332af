package dev.lathe.train.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.Capabilities.WeightRow;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.FeatureLayout;
import dev.lathe.core.model.ModelFamily.Trained;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogisticRegressionTest {
    private final LogisticRegressionFamily family = new LogisticRegressionFamily();

    private static final double[] TRUTH = {-0.5, 1.5, -2.0, 0.0};

    /** Rows of three standard normal features and a label drawn from the logistic model {@link #TRUTH}. */
    private static TrainingSet synthetic(int n) {
        Random random = new Random(7);
        double[] data = new double[n * 3];
        double[] labels = new double[n];
        for (int i = 0; i < n; i++) {
            double score = TRUTH[0];
            for (int j = 0; j < 3; j++) {
                data[i * 3 + j] = random.nextGaussian();
                score += TRUTH[j + 1] * data[i * 3 + j];
            }
            labels[i] = random.nextDouble() < 1 / (1 + Math.exp(-score)) ? 1 : 0;
        }
        List<EncodedColumn> columns = new ArrayList<>();
        for (String name : List.of("a", "b", "c")) {
            columns.add(new EncodedColumn(name, name, EncodedColumn.Kind.NUMERIC, Optional.empty(), 0, 1));
        }
        FeatureLayout layout = new FeatureLayout(columns);
        double[] weights = new double[n];
        Arrays.fill(weights, 1);
        return new TrainingSet(new DenseMatrix(n, 3, data, layout.names()), labels, weights, Optional.empty(), new double[0],
                new double[0], List.of("0", "1"), layout, Optional.empty());
    }

    /**
     * EARLY_STOP compares an iteration with the one before it: a fresh model's first iteration has none (its starting
     * point, the best constant model, is not an iteration), a warm start's first has the model it starts from.
     */
    @Test
    void earlyStopNeverEndsAFreshModelAtItsFirstIteration() {
        TrainingSet set = synthetic(2_000);
        Map<String, Object> strict = Map.of("min_rel_progress", 0.99);
        Trained fresh = family.train(set, PenguinsFixture.options(family, strict), TrainingListener.NONE);
        assertThat(fresh.estimator().trainingInfo()).hasSize(2);
        Trained warm = family.warmStart(set, PenguinsFixture.options(family, strict), TrainingListener.NONE, fresh.estimator());
        assertThat(warm.estimator().trainingInfo()).hasSize(1);
    }

    @Test
    void recoversKnownCoefficientsOnSyntheticBinaryData() {
        double[] truth = TRUTH;
        TrainingSet set = synthetic(20_000);

        Trained trained = family.train(set, PenguinsFixture.options(family, Map.of("early_stop", false, "max_iterations", 300)),
                TrainingListener.NONE);

        GlmEstimator model = (GlmEstimator) trained.estimator();
        // Sampling noise on 20,000 rows gives standard errors of about 0.03 per coefficient.
        assertThat(model.intercept(0)).isCloseTo(truth[0], within(0.1));
        for (int j = 0; j < 3; j++) {
            assertThat(model.weight(0, j)).isCloseTo(truth[j + 1], within(0.1));
        }
        assertThat(trained.effectiveOptions().getString("optimize_strategy")).isEqualTo("BATCH_GRADIENT_DESCENT");
        Predictions.Probabilities probabilities = (Predictions.Probabilities) model.predict(set.train());
        assertThat(probabilities.classes()).isEqualTo(2);
        assertThat(probabilities.get(0, 0) + probabilities.get(0, 1)).isCloseTo(1.0, within(1e-12));
    }

    @Test
    void classifiesPenguinSpeciesWithHighAccuracy() {
        List<Map<String, String>> rows = PenguinsFixture.rows(row -> !row.get("body_mass_g").isEmpty());
        PenguinsFixture.Encoded encoded = PenguinsFixture.encode(rows,
                List.of("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"), List.of("island", "sex"), true);
        List<String> classes = List.of("Adelie", "Chinstrap", "Gentoo");
        double[] labels = rows.stream().mapToDouble(row -> classes.indexOf(row.get("species"))).toArray();

        Trained trained = family.train(PenguinsFixture.trainingSet(encoded, labels, classes), PenguinsFixture.options(family, Map.of()),
                TrainingListener.NONE);

        Predictions.Probabilities probabilities = (Predictions.Probabilities) trained.estimator().predict(encoded.matrix());
        int correct = 0;
        for (int i = 0; i < rows.size(); i++) {
            int best = 0;
            for (int k = 1; k < 3; k++) {
                if (probabilities.get(i, k) > probabilities.get(i, best)) {
                    best = k;
                }
            }
            correct += best == labels[i] ? 1 : 0;
        }
        // Species are nearly linearly separable on bill and flipper measurements; peer tools reach about 0.99.
        assertThat((double) correct / rows.size()).isGreaterThan(0.95);
        List<WeightRow> weights = ((GlmEstimator) trained.estimator()).weights(encoded.layout(), false);
        assertThat(weights).hasSize(3 * 7);
        assertThat(weights).extracting(w -> w.classLabel().orElseThrow()).containsOnly("Adelie", "Chinstrap", "Gentoo");
        assertThat(trained.estimator().trainingInfo()).extracting(row -> row.loss()).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    }

    @Test
    void predictsSameAfterReload() {
        List<Map<String, String>> rows = PenguinsFixture.rows(row -> !row.get("body_mass_g").isEmpty());
        PenguinsFixture.Encoded encoded = PenguinsFixture.encode(rows, List.of("bill_length_mm", "flipper_length_mm"), List.of("island"), true);
        double[] labels = rows.stream().mapToDouble(row -> row.get("sex").equals("male") ? 1 : 0).toArray();
        Trained trained = family.train(PenguinsFixture.trainingSet(encoded, labels, List.of("female", "male")),
                PenguinsFixture.options(family, Map.of("l2_reg", 1.0)), TrainingListener.NONE);

        var reloaded = family.load(trained.estimator().save());

        assertThat(((Predictions.Probabilities) reloaded.predict(encoded.matrix())).probabilities())
                .containsExactly(((Predictions.Probabilities) trained.estimator().predict(encoded.matrix())).probabilities());
    }
}
