package dev.lathe.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.FeatureLayout;
import dev.lathe.core.model.Predictions;
import dev.lathe.core.model.TrainingIteration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SampledShapleyTest {
    /** f(a, b, c) = a * b + c: the exact Shapley values against a zero baseline are ab/2, ab/2 and c. */
    private static final class Product implements Estimator {
        @Override
        public Predictions predict(DenseMatrix x) {
            double[] out = new double[x.rows()];
            for (int i = 0; i < x.rows(); i++) {
                out[i] = x.get(i, 0) * x.get(i, 1) + x.get(i, 2);
            }
            return new Predictions.Values(out);
        }

        @Override
        public List<TrainingIteration> trainingInfo() {
            return List.of();
        }

        @Override
        public byte[] save() {
            return new byte[0];
        }
    }

    private static FeatureLayout layout() {
        return new FeatureLayout(List.of(column("a"), column("b"), column("c")));
    }

    private static EncodedColumn column(String name) {
        return new EncodedColumn(name, name, EncodedColumn.Kind.NUMERIC, Optional.empty(), 0, 1);
    }

    @Test
    void attributionsAddUpToPredictionMinusBaselineOnEveryPath() {
        Explanation e = new Explainer(new Product(), layout(), new double[3], 3)
                .explain(new DenseMatrix(1, 3, new double[] {2, 3, 5}, List.of("a", "b", "c")), new int[1]);
        assertThat(e.attribution(0, 0) + e.attribution(0, 1) + e.attribution(0, 2)).isCloseTo(11 - 0, within(1e-12));
        assertThat(e.predictions()[0]).isEqualTo(11);
        assertThat(e.baselines()[0]).isEqualTo(0);
        assertThat(e.attribution(0, 2)).isCloseTo(5, within(1e-12));
    }

    @Test
    void convergesToTheExactShapleyValuesWithEnoughPaths() {
        DenseMatrix row = new DenseMatrix(1, 3, new double[] {2, 3, 5}, List.of("a", "b", "c"));
        Explanation few = new Explainer(new Product(), layout(), new double[3], 2).explain(row, new int[1]);
        Explanation many = new Explainer(new Product(), layout(), new double[3], 50).explain(row, new int[1]);
        assertThat(many.attribution(0, 0)).isCloseTo(3, within(0.75));
        assertThat(many.attribution(0, 1)).isCloseTo(3, within(0.75));
        assertThat(many.approximationErrors()[0]).isLessThan(1.5);
        assertThat(many.approximationErrors()[0]).isLessThanOrEqualTo(few.approximationErrors()[0] + 1e-12);
    }
}
