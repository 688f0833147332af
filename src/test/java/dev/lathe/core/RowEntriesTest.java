package dev.lathe.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RowEntriesTest {
    @Test
    void rowsAreSortedByColumnAndAColumnSetTwiceKeepsTheLaterValue() {
        RowEntries.Builder builder = new RowEntries.Builder(3);
        builder.add(7, 1.5);
        builder.add(2, -1);
        builder.add(7, 2.5); // later: kept
        builder.endRow();
        builder.endRow(); // an empty row
        builder.add(4, -0.0);
        builder.endRow();
        RowEntries entries = builder.build();
        assertThat(entries.offsets()).containsExactly(0, 2, 2, 3);
        assertThat(entries.columns()).containsExactly(2, 7, 4);
        assertThat(entries.values()).containsExactly(-1, 2.5, -0.0);
        assertThat(Double.doubleToRawLongBits(entries.values()[2])).isEqualTo(Double.doubleToRawLongBits(-0.0));
    }

    /** Long rows (past the insertion sort) against a map that keeps each column's last value. */
    @Test
    void longRowsMatchWhatTheLastWriteOfEachColumnLeaves() {
        Random random = new Random(7);
        int rows = 50;
        RowEntries.Builder builder = new RowEntries.Builder(rows);
        List<TreeMap<Integer, Double>> expected = new ArrayList<>();
        for (int row = 0; row < rows; row++) {
            expected.add(new TreeMap<>());
            int entries = random.nextInt(200);
            for (int i = 0; i < entries; i++) {
                int column = random.nextInt(120);
                double value = random.nextGaussian();
                builder.add(column, value);
                expected.get(row).put(column, value);
            }
            builder.endRow();
        }
        RowEntries built = builder.build();
        for (int row = 0; row < rows; row++) {
            TreeMap<Integer, Double> got = new TreeMap<>();
            for (int j = built.offsets()[row]; j < built.offsets()[row + 1]; j++) {
                if (j > built.offsets()[row]) {
                    assertThat(built.columns()[j]).isGreaterThan(built.columns()[j - 1]);
                }
                got.put(built.columns()[j], built.values()[j]);
            }
            assertThat(got).as("row %d", row).isEqualTo(expected.get(row));
        }
    }
}
