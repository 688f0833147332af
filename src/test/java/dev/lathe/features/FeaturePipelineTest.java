package dev.lathe.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.lathe.core.Batch;
import dev.lathe.core.DataType;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.FloatSink;
import dev.lathe.core.LatheException;
import dev.lathe.core.Parallel;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.testing.BatchBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import ml.dmlc.xgboost4j.java.util.BigDenseMatrix;
import org.junit.jupiter.api.Test;

class FeaturePipelineTest {
    private static final EncodingPolicy LINEAR = EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING);
    private static final EncodingPolicy TREES = EncodingPolicy.trees(CategoryEncoding.LABEL_ENCODING);

    @Test
    void floatTransformEqualsTheDoubleTransformNarrowed() {
        Batch train = BatchBuilder.create()
                .numbers("x", 1.5, null, -3.25e7, 0.1)
                .strings("s", "pear", null, "apple", "fig")
                .timestamps("t", "2001-01-01T00:01:00Z", null, "2024-02-29T23:59:59Z", "1999-12-31T12:00:00Z")
                .stringArrays("tags", new String[] {"b", "a"}, null, new String[] {"c"}, new String[0])
                .build();
        for (EncodingPolicy policy : List.of(TREES, EncodingPolicy.trees(CategoryEncoding.ONE_HOT_ENCODING), LINEAR)) {
            FeaturePipeline pipeline = FeaturePipeline.fit(train, policy, Optional.empty());
            DenseMatrix doubles = pipeline.transform(train);
            DenseMatrix floats = pipeline.transformFloats(train);
            assertThat(floats.columnNames()).isEqualTo(doubles.columnNames());
            assertThat(floats.rows()).isEqualTo(doubles.rows());
            assertThat(floats.toFloats()).isEqualTo(doubles.toFloats());
            assertThat(floats.get(2, 0)).isEqualTo((double) (float) doubles.get(2, 0));
            assertThat(floats.rows(1, 3).toFloats()).isEqualTo(doubles.rows(1, 3).toFloats());
            assertEncodingWritesTheFloats(pipeline, train);
        }
    }

    @Test
    void aDenseMatrixBeyondTheHeapOrAJavaArrayIsRefusedNamingItsWidestFeature() {
        // probe ud F3: KMEANS on 100,000 categories x 200,000 rows failed with "integer overflow", 10,000 asked for 16 GB
        Batch train = BatchBuilder.create().numbers("x", 1.0, 2.0, 3.0).strings("c", "a", "b", "c").build();
        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty()); // x, c's 3 categories and its unseen/NULL column: 5
        assertThatThrownBy(() -> pipeline.requireDenseFits(1_000, 39_999))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.RESOURCE_EXHAUSTED))
                .hasMessageContaining("1,000 rows x 5 columns, about 0.0 GB of doubles")
                .hasMessageContaining("the widest feature is c (4 columns").hasMessageContaining("group its rare values");
        assertThatThrownBy(() -> pipeline.requireDenseFits(600_000_000, Long.MAX_VALUE))
                .hasMessageContaining("600,000,000 rows x 5 columns, about 24.0 GB of doubles (more cells than a Java array holds)");
        pipeline.requireDenseFits(1_000, 40_000);
        assertThat(pipeline.transform(train).rows()).isEqualTo(3);
    }

    @Test
    void oneHotRowsHoldTheDenseTransformsValues() {
        Batch train = BatchBuilder.create()
                .numbers("x", 1.5, null, -3.25e7, 0.1, 0.0)
                .strings("s", "pear", null, "apple", "fig", "pear")
                .timestamps("t", "2001-01-01T00:01:00Z", null, "2024-02-29T23:59:59Z", "1999-12-31T12:00:00Z", null)
                .stringArrays("tags", new String[] {"b", "a"}, null, new String[] {"c"}, new String[0], new String[] {"a"})
                .strings("u", "x", "y", "x", null, "z")
                .sparseVectors("v", new double[] {3, 0.5, 0, -2}, null, new double[] {1, 7}, new double[0], new double[] {0, 1, 0, -0.0})
                .build();
        // Fresh rows: an unseen category (no column set), NULLs (the NULL column set), repeated and unseen array
        // elements, a vector index repeated (the later value kept) and one past the training dimension (ignored).
        Batch rows = BatchBuilder.create()
                .numbers("x", 2.0, null, 0.1)
                .strings("s", "kiwi", null, "fig")
                .timestamps("t", null, "2001-01-01T00:01:00Z", "2024-02-29T23:59:59Z")
                .stringArrays("tags", new String[] {"a", "c", "a"}, null, new String[] {"d", "b"})
                .strings("u", "z", "w", null)
                .sparseVectors("v", new double[] {2, 1, 0, 4, 2, 3}, null, new double[] {9, 1, 3, -1})
                .build();
        for (EncodingPolicy policy : List.of(LINEAR, EncodingPolicy.linear(CategoryEncoding.DUMMY_ENCODING), TREES)) {
            FeaturePipeline pipeline = FeaturePipeline.fit(train, policy, Optional.empty());
            for (Batch batch : List.of(train, rows)) {
                DenseMatrix dense = pipeline.transform(batch);
                DenseMatrix cells = pipeline.transformOneHot(batch); // read cell by cell, never widened
                for (int row = 0; row < batch.rowCount(); row++) {
                    for (int col = 0; col < dense.cols(); col++) {
                        assertThat(cells.get(row, col)).as("%s, row %d, column %d", policy, row, col).isEqualTo(dense.get(row, col));
                    }
                }
                DenseMatrix oneHot = pipeline.transformOneHot(batch);
                assertThat(oneHot.oneHotRows()).as("%s: the lists at least", policy).isPresent();
                assertThat(oneHot.columnNames()).isEqualTo(dense.columnNames());
                assertThat(oneHot.data()).as("%s", policy).isEqualTo(dense.data());
                assertThat(oneHot.rows(1, 3).data()).isEqualTo(dense.rows(1, 3).data());
                assertThat(oneHot.toFloats(1, 2)).isEqualTo(dense.toFloats(1, 2));
                oneHot.oneHotRows().ifPresent(held -> {
                    // two one-hot features (s, u) and the timestamp's seven parts, two lists (tags, v), the rest values
                    // (the timestamp's seconds among them; for trees, labels and numeric parts too); a row's terms in
                    // column order
                    assertThat(held.groups()).isEqualTo(policy == TREES ? 0 : 2 + TimestampPart.values().length);
                    assertThat(held.lists()).isEqualTo(2);
                    assertThat(held.valueCount() + held.groups() + held.lists()).isEqualTo(held.terms().length);
                    double[] row = new double[dense.cols() + 2];
                    held.denseRow(1, row, 1, dense.cols());
                    assertThat(Arrays.copyOfRange(row, 1, dense.cols() + 1)).isEqualTo(dense.rows(1, 2).data());
                });
            }
        }
    }

    @Test
    void oneRowEncodedFromItsValuesEqualsTheTransformOfThatRow() {
        Batch train = BatchBuilder.create()
                .numbers("x", 1.5, null, -3.25e7, 0.1, 7.0)
                .strings("s", "pear", null, "apple", "fig", "pear")
                .numbers("y", -0.0, 2.0, 2.0, null, 1e-300)
                .build();
        // Fresh rows: training values, NULLs, an unseen category, values outside the training range.
        Batch rows = BatchBuilder.create()
                .numbers("x", 1.5, null, 9e9, -0.0, 0.1, null)
                .strings("s", "pear", "kiwi", null, "apple", "fig", null)
                .numbers("y", (Double) null, 2.0, -4.5, 1e-300, 0.0, null)
                .build();
        for (EncodingPolicy policy : List.of(TREES, EncodingPolicy.trees(CategoryEncoding.ONE_HOT_ENCODING), LINEAR,
                EncodingPolicy.linear(CategoryEncoding.DUMMY_ENCODING))) {
            FeaturePipeline pipeline = FeaturePipeline.fit(train, policy, Optional.empty());
            assertThat(pipeline.encodesRows()).as("%s", policy).isTrue();
            DenseMatrix doubles = pipeline.transform(rows);
            for (int row = 0; row < rows.rowCount(); row++) {
                Object[] values = new Object[3];
                for (int c = 0; c < 3; c++) {
                    values[c] = rows.column(c) instanceof dev.lathe.core.DoubleColumn d ? (Object) (d.isNull(row) ? Double.NaN : d.get(row))
                            : ((dev.lathe.core.StringColumn) rows.column(c)).get(row);
                }
                DenseMatrix one = pipeline.encodeRow(values, false);
                assertThat(one.columnNames()).isEqualTo(doubles.columnNames());
                assertThat(one.columnNames()).as("the pipeline's names, not a copy per row").isSameAs(pipeline.encodeRow(values, true).columnNames());
                assertThat(one.data()).as("%s, row %d", policy, row).isEqualTo(doubles.rows(row, row + 1).data());
                assertThat(pipeline.encodeRow(values, true).toFloats()).isEqualTo(doubles.rows(row, row + 1).toFloats());
            }
        }
        // Timestamps, arrays and target encoding encode whole columns only: callers take the column path.
        Batch stamped = BatchBuilder.create().numbers("x", 1.0, 2.0).timestamps("t", "2001-01-01T00:01:00Z", null).build();
        assertThat(FeaturePipeline.fit(stamped, LINEAR, Optional.empty()).encodesRows()).isFalse();
        Batch labelled = BatchBuilder.create().strings("s", "a", "b").build();
        assertThat(FeaturePipeline.fit(labelled, EncodingPolicy.trees(CategoryEncoding.TARGET_ENCODING),
                Optional.of(new EncodingTarget.Values(new double[] {1.0, 2.0}))).encodesRows()).isFalse();
    }

    @Test
    void floatMatrixEncodedInParallelEqualsTheDoubleMatrix() {
        int rows = 6_000; // enough cells to encode features in parallel (Parallel.worthIt)
        Double[] numbers = new Double[rows];
        String[] strings = new String[rows];
        String[] instants = new String[rows];
        for (int i = 0; i < rows; i++) {
            numbers[i] = i % 9 == 0 ? null : i * 1.25 - 300;
            strings[i] = i % 7 == 0 ? null : "v" + (i % 23);
            instants[i] = i % 11 == 0 ? null : "2001-0" + (1 + i % 9) + "-1" + (i % 10) + "T0" + (i % 10) + ":3" + (i % 10) + ":00Z";
        }
        Batch train = BatchBuilder.create().numbers("x", numbers).strings("s", strings).timestamps("t", instants).build();
        for (EncodingPolicy policy : List.of(TREES, EncodingPolicy.trees(CategoryEncoding.ONE_HOT_ENCODING), LINEAR)) {
            FeaturePipeline pipeline = FeaturePipeline.fit(train, policy, Optional.empty());
            assertThat(Parallel.worthIt(rows, pipeline.layout().size())).isTrue();
            assertThat(pipeline.transformFloats(train).toFloats()).isEqualTo(pipeline.transform(train).toFloats());
            assertThat(pipeline.transformFloats(train, false).toFloats()).as("in order on the caller's thread")
                    .isEqualTo(pipeline.transform(train).toFloats());
            assertEncodingWritesTheFloats(pipeline, train);
        }
    }

    /**
     * A tree model's training matrix is held as its encoding and written straight into XGBoost's native memory, which
     * nothing zeroes: every float must be written, and equal what transformFloats makes.
     */
    private static void assertEncodingWritesTheFloats(FeaturePipeline pipeline, Batch input) {
        float[] expected = pipeline.transformFloats(input).toFloats();
        int[] encodings = new int[1];
        DenseMatrix encoding = pipeline.floatEncoding(input, () -> encodings[0]++);
        BigDenseMatrix memory = new BigDenseMatrix(encoding.rows(), encoding.cols());
        try {
            for (int i = 0; i < expected.length; i++) {
                BigDenseMatrix.setDirect(memory.address + 4L * i, 12345.678f); // stands for whatever the memory held
            }
            encoding.writeFloats(FloatSink.atAddress(memory.address, expected.length));
            float[] written = new float[expected.length];
            for (int i = 0; i < written.length; i++) {
                written[i] = BigDenseMatrix.getDirect(memory.address + 4L * i);
            }
            assertThat(written).as("%s", pipeline.policy()).isEqualTo(expected);
            assertThat(encodings[0]).as("told after the encoding").isEqualTo(1);
        } finally {
            memory.dispose();
        }
        assertThat(encoding.toFloats()).isEqualTo(expected);
        assertThat(encoding.columnNames()).isEqualTo(pipeline.transformFloats(input).columnNames());
    }

    /** Timestamps written as floats block by block: days that last thousands of rows, across the blocks' edges. */
    @Test
    void floatTimestampsAcrossBlocksEqualTheDoubleMatrix() {
        int rows = 10_000;
        String[] instants = new String[rows];
        Double[] numbers = new Double[rows];
        for (int i = 0; i < rows; i++) {
            instants[i] = i % 997 == 0 ? null : "2001-03-0" + (1 + i / 3_000) + "T" + (10 + i % 14) + ":" + (10 + i % 50) + ":00Z";
            numbers[i] = i % 13 == 0 ? null : i / 7.0;
        }
        Batch train = BatchBuilder.create().timestamps("t", instants).numbers("x", numbers).build();
        for (EncodingPolicy policy : List.of(TREES, LINEAR)) {
            FeaturePipeline pipeline = FeaturePipeline.fit(train, policy, Optional.empty());
            float[] expected = pipeline.transform(train).toFloats();
            assertThat(pipeline.transformFloats(train).toFloats()).as("%s", policy).isEqualTo(expected);
            assertThat(pipeline.transformFloats(train, false).toFloats()).as("%s, in order", policy).isEqualTo(expected);
            assertEncodingWritesTheFloats(pipeline, train);
        }
    }

    @Test
    void standardizesWithTheSampleStandardDeviationLikeStandardScaler() {
        Batch train = BatchBuilder.create().numbers("x", 1.0, 2.0, 3.0, 4.0, 5.0).build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty());
        DenseMatrix matrix = pipeline.transform(train);

        // ML.STANDARD_SCALER's documented output for UNNEST([1, 2, 3, 4, 5]).
        assertThat(column(matrix, 0)).containsExactly(
                new double[] {-1.2649110640673518, -0.6324555320336759, 0.0, 0.6324555320336759, 1.2649110640673518},
                within(1e-15));
        EncodedColumn encoded = pipeline.layout().column(0);
        assertThat(encoded.kind()).isEqualTo(EncodedColumn.Kind.NUMERIC);
        assertThat(encoded.mean()).isEqualTo(3.0);
        assertThat(encoded.scale()).isCloseTo(Math.sqrt(2.5), within(1e-15));
    }

    @Test
    void replacesNullByTheTrainingMeanWithAndWithoutStandardization() {
        Batch train = BatchBuilder.create().numbers("x", 1.0, null, 5.0).build();
        Batch fresh = BatchBuilder.create().numbers("x", (Double) null).build();

        assertThat(FeaturePipeline.fit(train, TREES, Optional.empty()).transform(train).data())
                .containsExactly(1.0, 3.0, 5.0);
        assertThat(FeaturePipeline.fit(train, TREES, Optional.empty()).transform(fresh).data()).containsExactly(3.0);
        assertThat(FeaturePipeline.fit(train, LINEAR, Optional.empty()).transform(fresh).data()).containsExactly(0.0);
    }

    @Test
    void constantColumnIsCenteredWithScaleOne() {
        Batch train = BatchBuilder.create().numbers("x", 7.0, 7.0, 7.0).build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty());

        assertThat(pipeline.layout().column(0).scale()).isEqualTo(1.0);
        assertThat(pipeline.transform(BatchBuilder.create().numbers("x", 9.0).build()).data()).containsExactly(2.0);
    }

    @Test
    void oneHotHasSortedCategoriesThenNullAndUnseenValuesAreAllZeros() {
        Batch train = BatchBuilder.create().strings("fruit", "Banana", "Apple", null, "Banana").build();
        Batch fresh = BatchBuilder.create().strings("fruit", "Apple", "Cherry", null).build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty());
        DenseMatrix matrix = pipeline.transform(fresh);

        assertThat(pipeline.layout().columns()).extracting(EncodedColumn::category)
                .containsExactly(Optional.of("Apple"), Optional.of("Banana"), Optional.empty());
        assertThat(pipeline.layout().columns()).allSatisfy(column -> {
            assertThat(column.kind()).isEqualTo(EncodedColumn.Kind.ONE_HOT);
            assertThat(column.processedInput()).isEqualTo("fruit");
        });
        assertThat(matrix.columnNames()).containsExactly("fruit_Apple", "fruit_Banana", "fruit");
        assertThat(row(matrix, 0)).containsExactly(1, 0, 0);
        assertThat(row(matrix, 1)).containsExactly(0, 0, 0);
        assertThat(row(matrix, 2)).containsExactly(0, 0, 1);
    }

    @Test
    void dummyEncodingDropsTheMostFrequentCategoryAndBreaksTiesAlphabetically() {
        Batch skewed = BatchBuilder.create().strings("c", "b", "a", "b", "c").build();
        Batch tied = BatchBuilder.create().strings("c", "z", "y", "y", "z").build();
        EncodingPolicy dummy = EncodingPolicy.linear(CategoryEncoding.DUMMY_ENCODING);

        FeaturePipeline pipeline = FeaturePipeline.fit(skewed, dummy, Optional.empty());

        assertThat(pipeline.droppedCategory("C")).contains("b");
        assertThat(pipeline.layout().columns()).extracting(EncodedColumn::category)
                .containsExactly(Optional.of("a"), Optional.of("c"), Optional.empty());
        assertThat(pipeline.transform(BatchBuilder.create().strings("c", "b").build()).data()).containsExactly(0, 0, 0);
        assertThat(FeaturePipeline.fit(tied, dummy, Optional.empty()).droppedCategory("c")).contains("y");
        assertThat(FeaturePipeline.fit(skewed, LINEAR, Optional.empty()).droppedCategory("c")).isEmpty();
    }

    @Test
    void labelEncodingNumbersTheVocabularyAlphabeticallyFromOneWithZeroForNullAndUnseen() {
        Batch train = BatchBuilder.create().strings("s", "pear", "apple", "fig", null).build();
        Batch fresh = BatchBuilder.create().strings("s", "apple", "fig", "pear", "kiwi", null).build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, TREES, Optional.empty());

        assertThat(pipeline.transform(fresh).data()).containsExactly(1, 2, 3, 0, 0);
        assertThat(pipeline.layout().columns()).singleElement()
                .satisfies(column -> assertThat(column.kind()).isEqualTo(EncodedColumn.Kind.ORDINAL));
    }

    @Test
    void targetEncodingUsesTheMeanLabelPerCategoryAndTheGlobalMeanForUnseen() {
        // The documented example: (c1, 2), (c1, 3) encodes c1 as 2.5.
        Batch train = BatchBuilder.create().strings("c", "c1", "c1", "c2").build();
        EncodingTarget target = new EncodingTarget.Values(new double[] {2, 3, 7});
        Batch fresh = BatchBuilder.create().strings("c", "c1", "c2", "c9", null).build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, EncodingPolicy.trees(CategoryEncoding.TARGET_ENCODING),
                Optional.of(target));

        assertThat(pipeline.transform(fresh).data()).containsExactly(2.5, 7, 4, 4);
    }

    @Test
    void targetEncodingOfTwoClassesIsTheShareOfThePositiveClass() {
        Batch train = BatchBuilder.create().strings("c", "a", "a", "a", "b").build();
        EncodingTarget target = new EncodingTarget.Classes(new int[] {1, 0, 1, 0}, List.of("no", "yes"));

        FeaturePipeline pipeline = FeaturePipeline.fit(train, EncodingPolicy.trees(CategoryEncoding.TARGET_ENCODING),
                Optional.of(target));

        assertThat(pipeline.transform(BatchBuilder.create().strings("c", "a", "b", "z").build()).data())
                .containsExactly(new double[] {2.0 / 3, 0, 0.5}, within(1e-15));
    }

    @Test
    void targetEncodingRequiresTheLabel() {
        Batch train = BatchBuilder.create().strings("c", "a").build();

        assertThatThrownBy(() -> FeaturePipeline.fit(train, EncodingPolicy.trees(CategoryEncoding.TARGET_ENCODING),
                Optional.empty()))
                .isInstanceOf(LatheException.class).hasMessageContaining("TARGET_ENCODING");
    }

    @Test
    void multiHotSetsOneColumnPerTrainingElementAndANullArrayColumn() {
        Batch train = BatchBuilder.create().stringArrays("tags", new String[] {"b", "a"}, new String[] {"c"}, null).build();
        Batch fresh = BatchBuilder.create().stringArrays("tags", new String[] {"a", "c", "zzz"}, null).build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty());
        DenseMatrix matrix = pipeline.transform(fresh);

        assertThat(matrix.columnNames()).containsExactly("tags_a", "tags_b", "tags_c", "tags");
        assertThat(row(matrix, 0)).containsExactly(1, 0, 1, 0);
        assertThat(row(matrix, 1)).containsExactly(0, 0, 0, 1);
        assertThat(pipeline.featureInfo().getFirst().categoryCount()).contains(3L);
    }

    @Test
    void sparseVectorsKeepTheTrainingDimensionAndIgnoreLargerIndices() {
        Batch train = BatchBuilder.create().sparseVectors("v", new double[] {0, 1.5, 2, 4.0}, null).build();
        Batch fresh = BatchBuilder.create().sparseVectors("v", new double[] {1, 3.0, 7, 9.0}).build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty());

        assertThat(pipeline.transform(train).data()).containsExactly(1.5, 0, 4.0, 0, 0, 0);
        assertThat(pipeline.transform(fresh).data()).containsExactly(0, 3.0, 0);
        assertThat(pipeline.featureInfo().getFirst().dimension()).contains(3L);
    }

    @Test
    void featuresKeepInputOrderAndNewDataIsMatchedByNameInAnyCase() {
        Batch train = BatchBuilder.create().strings("Island", "x", "y").numbers("mass", 1.0, 3.0).build();
        Batch fresh = BatchBuilder.create().numbers("MASS", 2.0).strings("unused", "q").strings("island", "y").build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty());

        assertThat(pipeline.layout().features()).containsExactly("Island", "mass");
        assertThat(pipeline.transform(fresh).data()).containsExactly(0, 1, 0, 0);
    }

    @Test
    void missingFeatureColumnNamesItAndListsWhatTheModelNeeds() {
        Batch train = BatchBuilder.create().numbers("bill_length", 1.0, 2.0).strings("island", "a", "b").build();
        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty());

        assertThatThrownBy(() -> pipeline.transform(BatchBuilder.create().numbers("bill_lenght", 1.0).build()))
                .isInstanceOfSatisfying(LatheException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.COLUMN_NOT_FOUND))
                .hasMessageContaining("'bill_length'")
                .hasMessageContaining("did you mean 'bill_lenght'")
                .hasMessageContaining("The model needs: bill_length, island");
    }

    @Test
    void unconvertibleColumnTypeNamesTheColumnAndBothTypes() {
        Batch train = BatchBuilder.create().numbers("x", 1.0, 2.0).build();
        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty());

        assertThatThrownBy(() -> pipeline.transform(BatchBuilder.create().timestamps("x", "2024-01-01T00:00:00Z").build()))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA))
                .hasMessageContaining("'x'").hasMessageContaining("TIMESTAMP").hasMessageContaining("FLOAT64");
        assertThatThrownBy(() -> pipeline.transform(BatchBuilder.create().strings("x", "abc").build()))
                .isInstanceOf(LatheException.class).hasMessageContaining("'abc'");
        assertThat(pipeline.transform(BatchBuilder.create().strings("x", "2.5").build()).data()).hasSize(1);
    }

    @Test
    void numbersAreAcceptedForACategoricalFeatureAsTheirText() {
        Batch train = BatchBuilder.create().strings("code", "1", "2").build();
        FeaturePipeline pipeline = FeaturePipeline.fit(train, LINEAR, Optional.empty());

        assertThat(pipeline.transform(BatchBuilder.create().numbers("code", DataType.INT64, 2.0).build()).data())
                .containsExactly(0, 1, 0);
    }

    @Test
    void rejectsAFeatureThatIsNullInEveryTrainingRow() {
        Batch train = BatchBuilder.create().numbers("x", 1.0, 2.0).strings("empty", null, null).build();

        assertThatThrownBy(() -> FeaturePipeline.fit(train, LINEAR, Optional.empty()))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA))
                .hasMessage("Feature column 'empty' is NULL in every training row; remove it or fill it");
    }

    @Test
    void reportsTheFirstBadFeatureInColumnOrderThoughColumnsAreFittedInParallel() {
        int rows = 5_000; // enough cells to be fitted in parallel (Parallel.worthIt)
        Double[] numbers = new Double[rows];
        Arrays.fill(numbers, 1.0);
        Batch train = BatchBuilder.create().numbers("x", numbers).strings("first", new String[rows])
                .numbers("second", new Double[rows]).strings("third", new String[rows]).build();
        assertThat(Parallel.worthIt(rows, 4)).isTrue();

        for (int attempt = 0; attempt < 20; attempt++) {
            assertThatThrownBy(() -> FeaturePipeline.fit(train, LINEAR, Optional.empty()))
                    .hasMessage("Feature column 'first' is NULL in every training row; remove it or fill it");
        }
    }

    @Test
    void rejectsTrainingDataWithoutRows() {
        Batch train = BatchBuilder.create().numbers("x").build();

        assertThatThrownBy(() -> FeaturePipeline.fit(train, LINEAR, Optional.empty()))
                .isInstanceOfSatisfying(LatheException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_DATA))
                .hasMessageContaining("no rows");
    }

    static double[] column(DenseMatrix matrix, int column) {
        double[] values = new double[matrix.rows()];
        for (int row = 0; row < values.length; row++) {
            values[row] = matrix.get(row, column);
        }
        return values;
    }

    static double[] row(DenseMatrix matrix, int row) {
        double[] values = new double[matrix.cols()];
        for (int column = 0; column < values.length; column++) {
            values[column] = matrix.get(row, column);
        }
        return values;
    }
}
