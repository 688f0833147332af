package dev.lathe.features;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lathe.core.Batch;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.testing.BatchBuilder;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.WeekFields;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampFeaturesTest {
    /** BigQuery's EXTRACT(WEEK): weeks start on Sunday, days before the year's first Sunday are week 0. */
    private static final WeekFields BIGQUERY_WEEKS = WeekFields.of(DayOfWeek.SUNDAY, 7);

    @ParameterizedTest
    @ValueSource(strings = {"2024-03-10T13:45:30Z", "2022-01-01T00:00:00Z", "2023-01-01T23:59:59Z", "2024-12-31T06:07:00Z",
            "2021-01-02T12:00:00Z", "1969-12-31T23:00:00Z", "2020-02-29T00:30:00Z"})
    void plainComponentsMatchBigQueryExtractRules(String instant) {
        Batch train = BatchBuilder.create().timestamps("ts", instant).build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, EncodingPolicy.trees(CategoryEncoding.LABEL_ENCODING),
                Optional.empty());
        DenseMatrix matrix = pipeline.transform(train);

        ZonedDateTime time = Instant.parse(instant).atZone(ZoneOffset.UTC);
        int sundayFirstDayOfWeek = time.getDayOfWeek() == DayOfWeek.SUNDAY ? 1 : time.getDayOfWeek().getValue() + 1;
        assertThat(matrix.columnNames()).containsExactly("ts", "_TS_DOM_ts", "_TS_DOW_ts", "_TS_MOY_ts", "_TS_HOD_ts",
                "_TS_MOH_ts", "_TS_WOY_ts", "_TS_YEAR_ts");
        assertThat(matrix.data()).containsExactly(Instant.parse(instant).getEpochSecond(), time.getDayOfMonth(),
                sundayFirstDayOfWeek, time.getMonthValue(), time.getHour(), time.getMinute(),
                time.get(BIGQUERY_WEEKS.weekOfYear()), time.getYear());
    }

    @Test
    void sundayIsDayOneAndStartsWeekOne() {
        // 2023-01-01 was a Sunday: EXTRACT(DAYOFWEEK) = 1, EXTRACT(WEEK) = 1; 2022-01-01 was a Saturday in week 0.
        Batch train = BatchBuilder.create().timestamps("t", "2023-01-01T10:00:00Z", "2022-01-01T10:00:00Z").build();

        DenseMatrix matrix = FeaturePipeline.fit(train, EncodingPolicy.trees(CategoryEncoding.LABEL_ENCODING),
                Optional.empty()).transform(train);

        assertThat(matrix.get(0, 2)).isEqualTo(1);
        assertThat(matrix.get(0, 6)).isEqualTo(1);
        assertThat(matrix.get(1, 2)).isEqualTo(7);
        assertThat(matrix.get(1, 6)).isEqualTo(0);
    }

    @Test
    void linearModelsOneHotEachComponentWithItsOwnNullCategory() {
        Batch train = BatchBuilder.create()
                .timestamps("ts", "2024-03-10T13:45:00Z", "2024-03-11T09:45:00Z", null).build();

        FeaturePipeline pipeline = FeaturePipeline.fit(train, EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING),
                Optional.empty());
        DenseMatrix matrix = pipeline.transform(train);

        List<EncodedColumn> dayOfWeek = pipeline.layout().columns().stream()
                .filter(column -> column.processedInput().equals("_TS_DOW_ts")).toList();
        assertThat(dayOfWeek).extracting(EncodedColumn::category)
                .containsExactly(Optional.of("1"), Optional.of("2"), Optional.empty());
        assertThat(dayOfWeek).allSatisfy(column -> assertThat(column.kind()).isEqualTo(EncodedColumn.Kind.ONE_HOT));
        int sunday = matrix.columnNames().indexOf("_TS_DOW_ts_1");
        int monday = matrix.columnNames().indexOf("_TS_DOW_ts_2");
        int nullDay = matrix.columnNames().indexOf("_TS_DOW_ts");
        assertThat(new double[] {matrix.get(0, sunday), matrix.get(0, monday), matrix.get(0, nullDay)})
                .containsExactly(1, 0, 0);
        assertThat(new double[] {matrix.get(2, sunday), matrix.get(2, monday), matrix.get(2, nullDay)})
                .containsExactly(0, 0, 1);
        // Unix seconds are standardized and a NULL time becomes the mean, which standardizes to 0.
        assertThat(matrix.columnNames().getFirst()).isEqualTo("ts");
        assertThat(matrix.get(2, 0)).isEqualTo(0.0);
        assertThat(matrix.get(0, 0)).isNegative();
        // Hours 13 and 9 seen: the hour group is 9, 13 in numeric order, then NULL.
        assertThat(pipeline.layout().columns().stream().filter(c -> c.processedInput().equals("_TS_HOD_ts"))
                .map(EncodedColumn::category).toList())
                .containsExactly(Optional.of("9"), Optional.of("13"), Optional.empty());
    }
}
