package dev.lathe.train.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.Capabilities.CategoryWeight;
import dev.lathe.core.model.Capabilities.WeightRow;
import dev.lathe.core.model.ModelFamily.Trained;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingIteration;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LinearRegressionTest {
    private static final List<String> NUMERIC = List.of("bill_length_mm", "bill_depth_mm", "flipper_length_mm");
    private static final List<String> CATEGORICAL = List.of("species", "island", "sex");

    private final LinearRegressionFamily family = new LinearRegressionFamily();
    private final List<Map<String, String>> rows = PenguinsFixture.rows(row -> !row.get("body_mass_g").isEmpty());
    private final PenguinsFixture.Encoded encoded = PenguinsFixture.encode(rows, NUMERIC, CATEGORICAL, true);
    private final double[] bodyMass = rows.stream().mapToDouble(row -> Double.parseDouble(row.get("body_mass_g"))).toArray();
    private final TrainingSet data = PenguinsFixture.trainingSet(encoded, bodyMass, List.of());

    private Trained train(Map<String, Object> options) {
        return family.train(data, PenguinsFixture.options(family, options), TrainingListener.NONE);
    }

    private double[] predict(Trained trained) {
        return ((Predictions.Values) trained.estimator().predict(encoded.matrix())).values();
    }

    @Test
    void matchesReferenceInSampleFitOnPenguinsWithNormalEquation() {
        Trained trained = train(Map.of());

        // Reference (baselines.md section 2, sklearn/statsmodels OLS, in-sample): MAE 227.10, R2 0.8724.
        // Any least-squares solution gives the same fitted values, so only rounding of the reference is allowed for.
        double[] predicted = predict(trained);
        assertThat(rows).hasSize(342);
        assertThat(meanAbsoluteError(predicted)).isCloseTo(227.10, within(0.01));
        assertThat(rSquared(predicted)).isCloseTo(0.8724, within(0.00005));
        assertThat(trained.effectiveOptions().getString("optimize_strategy")).isEqualTo("NORMAL_EQUATION");
        assertThat(trained.estimator().trainingInfo()).singleElement()
                .satisfies(row -> assertThat(row.loss()).isCloseTo(meanSquaredError(predicted), within(1e-6)));
    }

    @Test
    void gradientDescentApproachesTheLeastSquaresFit() {
        double best = meanSquaredError(predict(train(Map.of())));
        Trained trained = train(Map.of("optimize_strategy", "BATCH_GRADIENT_DESCENT", "early_stop", false, "max_iterations", 300));

        assertThat(meanSquaredError(predict(trained))).isCloseTo(best, within(best * 0.01));
        assertThat(trained.estimator().trainingInfo()).hasSize(300).allSatisfy(row -> assertThat(row.learningRate()).isPositive());
    }

    @Test
    void autoStrategyUsesGradientDescentWhenL1IsSet() {
        Trained trained = train(Map.of("l1_reg", 10.0));

        assertThat(trained.effectiveOptions().getString("optimize_strategy")).isEqualTo("BATCH_GRADIENT_DESCENT");
    }

    @Test
    void autoStrategyUsesGradientDescentWhenRowsAreFewerThanTenTimesTheCardinality() {
        TrainingSet small = PenguinsFixture.trainingSet(
                new PenguinsFixture.Encoded(encoded.matrix().rows(0, 100), encoded.layout()), java.util.Arrays.copyOf(bodyMass, 100), List.of());

        Trained trained = family.train(small, PenguinsFixture.options(family, Map.of()), TrainingListener.NONE);

        assertThat(encoded.matrix().cols() * 10).isGreaterThan(100);
        assertThat(trained.effectiveOptions().getString("optimize_strategy")).isEqualTo("BATCH_GRADIENT_DESCENT");
    }

    @Test
    void rejectsNormalEquationWithL1() {
        assertThatThrownBy(() -> PenguinsFixture.options(family, Map.of("optimize_strategy", "NORMAL_EQUATION", "l1_reg", 1.0)))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION))
                .hasMessageContaining("l1_reg");
    }

    @Test
    void rejectsLearnRateWithLineSearch() {
        assertThatThrownBy(() -> PenguinsFixture.options(family, Map.of("learn_rate", 0.5)))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_OPTION))
                .hasMessageContaining("LINE_SEARCH");
    }

    @Test
    void constantLearnRateIsUsedAsGiven() {
        Trained trained = train(Map.of("optimize_strategy", "BATCH_GRADIENT_DESCENT", "learn_rate_strategy", "CONSTANT", "learn_rate", 0.05,
                "early_stop", false, "max_iterations", 5));

        assertThat(trained.estimator().trainingInfo()).extracting(TrainingIteration::learningRate).containsOnly(0.05);
    }

    @Test
    void l1ProducesExactZeros() {
        GlmEstimator plain = (GlmEstimator) train(Map.of("optimize_strategy", "BATCH_GRADIENT_DESCENT", "early_stop", false,
                "max_iterations", 200)).estimator();
        GlmEstimator lasso = (GlmEstimator) train(Map.of("l1_reg", 40_000.0, "early_stop", false, "max_iterations", 200)).estimator();

        long plainZeros = zeroWeights(plain);
        long lassoZeros = zeroWeights(lasso);
        assertThat(lassoZeros).isGreaterThan(plainZeros).isLessThan(plain.features());
    }

    @Test
    void earlyStopEndsAtTheFirstIterationBelowMinRelativeProgress() {
        List<TrainingIteration> info = train(Map.of("optimize_strategy", "BATCH_GRADIENT_DESCENT", "max_iterations", 200)).estimator()
                .trainingInfo();

        assertThat(info.size()).isLessThan(200);
        for (int i = 1; i < info.size() - 1; i++) {
            assertThat(GradientDescent.relativeImprovement(info.get(i - 1).loss(), info.get(i).loss())).isGreaterThanOrEqualTo(0.01);
        }
        int last = info.size() - 1;
        assertThat(GradientDescent.relativeImprovement(info.get(last - 1).loss(), info.get(last).loss())).isLessThan(0.01);
    }

    @Test
    void weightsOnTheInputScaleReproducePredictionsFromRawValues() {
        Trained trained = train(Map.of());
        List<WeightRow> weights = ((GlmEstimator) trained.estimator()).weights(encoded.layout(), false);
        double[] predicted = predict(trained);

        assertThat(weights).extracting(WeightRow::processedInput)
                .containsExactly("bill_length_mm", "bill_depth_mm", "flipper_length_mm", "species", "island", "sex", "__INTERCEPT__");
        assertThat(weights.get(5).categoryWeights()).extracting(CategoryWeight::category)
                .containsExactly(Optional.of("female"), Optional.of("male"), Optional.empty());
        double intercept = weights.get(6).weight().orElseThrow();
        for (int i = 0; i < rows.size(); i++) {
            Map<String, String> row = rows.get(i);
            double value = intercept;
            for (WeightRow weight : weights.subList(0, 6)) {
                String raw = row.get(weight.processedInput());
                if (weight.weight().isPresent()) {
                    value += weight.weight().get() * (raw.isEmpty() ? columnMean(weight.processedInput()) : Double.parseDouble(raw));
                } else {
                    Optional<String> category = raw.isEmpty() ? Optional.empty() : Optional.of(raw);
                    value += weight.categoryWeights().stream().filter(c -> c.category().equals(category)).mapToDouble(CategoryWeight::weight).sum();
                }
            }
            assertThat(value).isCloseTo(predicted[i], within(1e-6 * Math.abs(predicted[i])));
        }
    }

    @Test
    void dummyEncodingListsTheDroppedCategoryWithZeroWeight() {
        dev.lathe.core.model.FeatureLayout withDropped = new dev.lathe.core.model.FeatureLayout(encoded.layout().columns(),
                Map.of("island", Optional.of("Biscoe")));

        List<WeightRow> weights = ((GlmEstimator) train(Map.of()).estimator()).weights(withDropped, false);

        assertThat(weights.get(4).categoryWeights()).last().isEqualTo(new CategoryWeight(Optional.of("Biscoe"), 0.0));
    }

    @Test
    void standardizedWeightsAreTheEncodedScaleWeights() {
        GlmEstimator model = (GlmEstimator) train(Map.of()).estimator();

        List<WeightRow> weights = model.weights(encoded.layout(), true);

        assertThat(weights.get(0).weight()).contains(model.weight(0, 0));
        assertThat(weights.get(6).weight()).contains(model.intercept(0));
    }

    @Test
    void predictsSameAfterReload() {
        Trained trained = train(Map.of("optimize_strategy", "BATCH_GRADIENT_DESCENT"));

        var reloaded = family.load(trained.estimator().save());

        assertThat(((Predictions.Values) reloaded.predict(encoded.matrix())).values()).containsExactly(predict(trained));
        assertThat(reloaded.trainingInfo()).isEqualTo(trained.estimator().trainingInfo());
    }

    @Test
    void rejectsAnUnknownFormatVersionNamingBoth() {
        byte[] payload = train(Map.of()).estimator().save();
        ByteBuffer.wrap(payload).putInt(4, 99);

        assertThatThrownBy(() -> family.load(payload))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT))
                .hasMessageContaining("GLM format version 99").hasMessageContaining("reads up to GLM format version " + GlmPayload.VERSION)
                .hasMessageContaining("a newer Lathe wrote it"); // not damage (probe ua F4)
    }

    private double columnMean(String name) {
        return rows.stream().filter(r -> !r.get(name).isEmpty()).mapToDouble(r -> Double.parseDouble(r.get(name))).average().orElseThrow();
    }

    private static long zeroWeights(GlmEstimator model) {
        long zeros = 0;
        for (int j = 0; j < model.features(); j++) {
            if (model.weight(0, j) == 0.0) {
                zeros++;
            }
        }
        return zeros;
    }

    private double meanAbsoluteError(double[] predicted) {
        double sum = 0;
        for (int i = 0; i < predicted.length; i++) {
            sum += Math.abs(predicted[i] - bodyMass[i]);
        }
        return sum / predicted.length;
    }

    private double meanSquaredError(double[] predicted) {
        double sum = 0;
        for (int i = 0; i < predicted.length; i++) {
            sum += (predicted[i] - bodyMass[i]) * (predicted[i] - bodyMass[i]);
        }
        return sum / predicted.length;
    }

    private double rSquared(double[] predicted) {
        double mean = java.util.Arrays.stream(bodyMass).average().orElseThrow();
        double total = 0;
        for (double y : bodyMass) {
            total += (y - mean) * (y - mean);
        }
        return 1 - meanSquaredError(predicted) * predicted.length / total;
    }
}
