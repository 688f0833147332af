package dev.lathe.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.Batch;
import dev.lathe.core.DataType;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.testing.BatchBuilder;
import dev.lathe.testing.CsvBatches;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LabelsTest {
    @Test
    void regressionLabelsAreTheValues() {
        Batch batch = BatchBuilder.create().numbers("y", 1.5, -2.0).build();

        assertThat(Labels.regression(batch.column(0), "y").values()).containsExactly(1.5, -2.0);
    }

    @Test
    void regressionRejectsNullNanAndInfinityCountingRowsAndNamingTheFirst() {
        Batch batch = BatchBuilder.create().numbers("body_mass_g", 1.0, 2.0, null, Double.NaN, Double.POSITIVE_INFINITY).build();

        assertThatThrownBy(() -> Labels.regression(batch.column(0), "body_mass_g"))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA))
                .hasMessageContaining("'body_mass_g'").hasMessageContaining("3 training rows")
                .hasMessageContaining("first at row 3").hasMessageContaining("WHERE body_mass_g IS NOT NULL");
    }

    @Test
    void regressionRejectsATextLabel() {
        Batch batch = BatchBuilder.create().strings("y", "a").build();

        assertThatThrownBy(() -> Labels.regression(batch.column(0), "y")).isInstanceOf(LatheException.class)
                .hasMessageContaining("numeric");
    }

    @Test
    void numericClassesSortNumericallyAndRenderIntegersWithoutFraction() {
        Batch batch = BatchBuilder.create().numbers("k", DataType.INT64, 10.0, 2.0, 10.0, -1.0).build();

        ClassLabels labels = Labels.classification(batch.column(0), batch.schema().field(0), 50);

        assertThat(labels.classes()).containsExactly("-1", "2", "10");
        assertThat(labels.indices()).containsExactly(2, 1, 2, 0);
        assertThat(labels.indicesAsDoubles()).containsExactly(2, 1, 2, 0);
    }

    /** Probe H: INT64 labels beyond 2^53 arrived rounded, as classes that never occurred; refused, naming the cast. */
    @Test
    void integerClassLabelsBeyondTwoToThe53AreRefused() {
        Batch batch = BatchBuilder.create().numbers("id", DataType.INT64, 1.0, 9007199254740993.0).build();

        assertThatThrownBy(() -> Labels.classification(batch.column(0), batch.schema().field(0), 50))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA))
                .hasMessage("Label column 'id' holds about 9007199254740992 (training row 2), an INT64 class label beyond 2^53, which"
                        + " Lathe's classifiers cannot keep exact; give the label as text: CAST(id AS STRING)");
        Batch below = BatchBuilder.create().numbers("id", DataType.INT64, 1.0, 9007199254740991.0).build();
        assertThat(Labels.classification(below.column(0), below.schema().field(0), 50).classes()).containsExactly("1", "9007199254740991");
    }

    /**
     * Text labels are classified from their codes: a dictionary shared with rows filtered away (the training split's
     * columns share the read's dictionary) contributes only the values these rows use, and a repeated dictionary value
     * is one class.
     */
    @Test
    void textClassesAreTheValuesTheRowsUseInTextOrder() {
        dev.lathe.core.StringColumn column = new dev.lathe.core.StringColumn(new int[] {2, 0, 2, 3, 0},
                java.util.List.of("b", "unused", "a", "b"));
        dev.lathe.core.Field field = dev.lathe.core.Field.of("y", DataType.STRING);

        ClassLabels labels = Labels.classification(column, field, 50);

        assertThat(labels.classes()).containsExactly("a", "b");
        assertThat(labels.indices()).containsExactly(0, 1, 0, 1, 1);
        assertThat(labels.indexOf(column)).containsExactly(0, 1, 0, 1, 1);
        assertThatThrownBy(() -> Labels.classification(new dev.lathe.core.StringColumn(new int[] {0, -1, 1, -1},
                java.util.List.of("a", "b")), field, 50)).hasMessageContaining("2 training rows").hasMessageContaining("first at row 2");
        assertThatThrownBy(() -> Labels.classification(new dev.lathe.core.StringColumn(new int[] {1, 1}, java.util.List.of("a", "b")),
                field, 50)).hasMessageContaining("1 distinct value ('b')");
    }

    @Test
    void boolClassesPutFalseFirstSoTrueIsThePositiveClass() {
        Batch batch = BatchBuilder.create().bools("b", true, false, true).build();

        ClassLabels labels = Labels.classification(batch.column(0), batch.schema().field(0), 50);

        assertThat(labels.classes()).containsExactly("false", "true");
        assertThat(labels.indices()).containsExactly(1, 0, 1);
    }

    @Test
    void penguinSpeciesAreThreeClassesInLexicographicOrder() {
        Batch penguins = CsvBatches.resource("datasets/penguins.csv");

        ClassLabels labels = Labels.classification(penguins.column("species"), penguins.schema().field(0), "LOGISTIC_REG", 50);

        assertThat(labels.classes()).containsExactly("Adelie", "Chinstrap", "Gentoo");
        assertThat(labels.indices()).hasSize(344);
    }

    @Test
    void rejectsASingleClass() {
        Batch batch = BatchBuilder.create().strings("c", "a", "a").build();

        assertThatThrownBy(() -> Labels.classification(batch.column(0), batch.schema().field(0), 50))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA))
                .hasMessageContaining("at least 2 classes");
    }

    @Test
    void rejectsMoreClassesThanTheModelTypeSupports() {
        String[] values = IntStream.range(0, 73).mapToObj(i -> "c" + i).toArray(String[]::new);
        Batch batch = BatchBuilder.create().strings("x", values).build();

        assertThatThrownBy(() -> Labels.classification(batch.column(0), batch.schema().field(0), "LOGISTIC_REG", 50))
                .isInstanceOf(LatheException.class)
                .hasMessage("Label column 'x' has 73 distinct values; LOGISTIC_REG supports at most 50 classes");
    }

    @Test
    void rejectsNullClassLabels() {
        Batch batch = BatchBuilder.create().strings("c", "a", null, "b", null).build();

        assertThatThrownBy(() -> Labels.classification(batch.column(0), batch.schema().field(0), 50))
                .isInstanceOf(LatheException.class)
                .hasMessageContaining("2 training rows").hasMessageContaining("first at row 2")
                .hasMessageContaining("WHERE c IS NOT NULL");
    }

    @Test
    void indexOfNewLabelsGivesMinusOneForUnknownAndNull() {
        Batch train = BatchBuilder.create().numbers("k", DataType.INT64, 1.0, 0.0).build();
        ClassLabels labels = Labels.classification(train.column(0), train.schema().field(0), 50);

        Batch fresh = BatchBuilder.create().numbers("k", DataType.INT64, 1.0, 7.0, null, 0.0).build();
        Batch asText = BatchBuilder.create().strings("k", "1", "one").build();

        assertThat(labels.indexOf(fresh.column(0))).containsExactly(1, -1, -1, 0);
        assertThat(labels.indexOf(asText.column(0))).containsExactly(1, -1);
    }
}
