package dev.lathe.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.Batch;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.Parallel;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.TimestampColumn;
import dev.lathe.testing.BatchBuilder;
import java.util.BitSet;
import org.junit.jupiter.api.Test;

class BatchesTest {
    @Test
    void filterKeepsTheChosenRowsOfEveryColumnKindInOrder() {
        for (int rows : new int[] {7, 20_000}) { // on the calling thread, and shared out by column (Parallel.worthIt)
            Double[] numbers = new Double[rows];
            String[] strings = new String[rows];
            String[] instants = new String[rows];
            String[][] arrays = new String[rows][];
            BitSet keep = new BitSet(rows);
            for (int i = 0; i < rows; i++) {
                numbers[i] = i % 5 == 0 ? null : i * 0.5;
                strings[i] = i % 7 == 0 ? null : "s" + (i % 3);
                instants[i] = i % 11 == 0 ? null : "2001-01-01T00:00:" + String.format("%02d", i % 60) + "Z";
                arrays[i] = i % 13 == 0 ? null : new String[] {"a" + (i % 2)};
                if (i % 3 != 1) {
                    keep.set(i);
                }
            }
            Batch batch = BatchBuilder.create().numbers("n", numbers).strings("s", strings).timestamps("t", instants)
                    .stringArrays("a", arrays).build();
            assertThat(Parallel.worthIt(keep.cardinality(), 4)).isEqualTo(rows > 100);

            Batch kept = Batches.filter(batch, keep);

            assertThat(kept.rowCount()).isEqualTo(keep.cardinality());
            int at = 0;
            for (int row = keep.nextSetBit(0); row >= 0; row = keep.nextSetBit(row + 1), at++) {
                DoubleColumn n = (DoubleColumn) kept.column(0);
                assertThat(n.isNull(at)).isEqualTo(numbers[row] == null);
                if (numbers[row] != null) {
                    assertThat(n.get(at)).isEqualTo(numbers[row]);
                }
                assertThat(((StringColumn) kept.column(1)).get(at)).isEqualTo(strings[row]);
                TimestampColumn t = (TimestampColumn) kept.column(2);
                TimestampColumn original = (TimestampColumn) batch.column(2);
                assertThat(t.isNull(at)).isEqualTo(original.isNull(row));
                assertThat(t.epochMicros()[at]).isEqualTo(original.epochMicros()[row]);
                StringArrayColumn a = (StringArrayColumn) kept.column(3);
                StringArrayColumn originalArrays = (StringArrayColumn) batch.column(3);
                assertThat(a.isNull(at)).isEqualTo(originalArrays.isNull(row));
                assertThat(elements(a, at)).isEqualTo(elements(originalArrays, row));
            }
        }
    }

    private static java.util.List<String> elements(StringArrayColumn column, int row) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (int e = column.offsets()[row]; e < column.offsets()[row + 1]; e++) {
            values.add(column.codes()[e] < 0 ? null : column.dictionary().get(column.codes()[e]));
        }
        return values;
    }
}
