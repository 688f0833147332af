package dev.lathe.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.LatheException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfusionMatrixTest {
    @Test
    void countsActualRowsAgainstPredictedColumns() {
        ConfusionMatrix matrix = ConfusionMatrix.compute(new int[] {0, 0, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 0, 2}, 3);
        assertThat(matrix.classes()).isEqualTo(3);
        assertThat(matrix.count(0, 0)).isEqualTo(1);
        assertThat(matrix.count(0, 1)).isEqualTo(1);
        assertThat(matrix.count(1, 1)).isEqualTo(1);
        assertThat(matrix.count(2, 0)).isEqualTo(1);
        assertThat(matrix.count(2, 2)).isEqualTo(2);
        assertThat(matrix.count(1, 0)).isZero();
    }

    @Test
    void rejectsClassIndexOutOfRange() {
        assertThatThrownBy(() -> ConfusionMatrix.compute(new int[] {0, 3}, new int[] {0, 1}, 3))
                .isInstanceOf(LatheException.class).hasMessageContaining("actual[1] is 3");
    }

    @Test
    void sanitizesLabelsIntoUniqueLegalColumnNames() {
        assertThat(ConfusionMatrix.columnNames(List.of("0", "1"))).containsExactly("_0", "_1");
        assertThat(ConfusionMatrix.columnNames(List.of("<=50K", ">50K"))).containsExactly("__50K", "_50K");
        assertThat(ConfusionMatrix.columnNames(List.of("<50", ">50"))).containsExactly("_50", "_50_2");
        assertThat(ConfusionMatrix.columnNames(List.of("Adelie", "Chinstrap", "Gentoo"))).containsExactly("Adelie", "Chinstrap", "Gentoo");
        // a label whose characters stay keeps its name; the one whose characters were replaced gets the suffix, so _1 is
        // label 1 and A_B is label A_B (in label order, -1 took _1 and 'a b' took a_b: a reader read the wrong class)
        assertThat(ConfusionMatrix.columnNames(List.of("a b", "A_B", "", "expected_label")))
                .containsExactly("a_b_2", "A_B", "_", "expected_label_2");
        assertThat(ConfusionMatrix.columnNames(List.of("-1", "1"))).containsExactly("_1_2", "_1");
        assertThat(ConfusionMatrix.columnNames(List.of("-1", "0", "1"))).containsExactly("_1_2", "_0", "_1");
        // the empty label's '_' is invented, so the label '_' keeps its name (probe H)
        assertThat(ConfusionMatrix.columnNames(List.of("", "_"))).containsExactly("__2", "_");
    }
}
