package dev.lathe.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lathe.core.Batch;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.testing.BatchBuilder;
import dev.lathe.testing.CsvBatches;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class PipelineJsonTest {
    @ParameterizedTest
    @EnumSource(CategoryEncoding.class)
    void reloadedPipelineTransformsIdenticallyOnPenguins(CategoryEncoding encoding) {
        Batch penguins = CsvBatches.resource("datasets/penguins.csv");
        Batch features = penguins.select(List.of("island", "bill_length_mm", "bill_depth_mm", "flipper_length_mm", "sex",
                "year"));
        Optional<EncodingTarget> target = Optional.of(EncodingTarget.of(
                Labels.classification(penguins.column("species"), penguins.schema().field(0), 50)));

        for (EncodingPolicy policy : List.of(EncodingPolicy.linear(encoding), EncodingPolicy.trees(encoding))) {
            FeaturePipeline pipeline = FeaturePipeline.fit(features, policy, target);
            FeaturePipeline reloaded = FeaturePipeline.fromJson(pipeline.toJson());

            assertIdentical(pipeline, reloaded, penguins);
        }
    }

    @Test
    void reloadedPipelineTransformsTimestampsArraysAndVectorsIdentically() {
        Batch train = BatchBuilder.create()
                .timestamps("ts", "2024-03-10T13:45:00.123456Z", null, "1999-12-31T23:59:59Z")
                .stringArrays("tags", new String[] {"x", null}, null, new String[] {"y"})
                .sparseVectors("v", new double[] {0, 0.1, 3, 0.7}, null, new double[] {1, 1e-300})
                .numbers("n", 0.1, 0.2, null)
                .build();

        for (EncodingPolicy policy : List.of(EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING),
                EncodingPolicy.trees(CategoryEncoding.LABEL_ENCODING))) {
            FeaturePipeline pipeline = FeaturePipeline.fit(train, policy, Optional.empty());

            assertIdentical(pipeline, FeaturePipeline.fromJson(pipeline.toJson()), train);
        }
    }

    @Test
    void jsonCarriesFormatVersionOne() {
        FeaturePipeline pipeline = FeaturePipeline.fit(BatchBuilder.create().numbers("x", 1.0).build(),
                EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING), Optional.empty());

        assertThat(pipeline.toJson()).contains("\"format_version\" : 1");
    }

    @Test
    void rejectsAnUnknownFormatVersionNamingBothVersions() {
        FeaturePipeline pipeline = FeaturePipeline.fit(BatchBuilder.create().numbers("x", 1.0).build(),
                EncodingPolicy.linear(CategoryEncoding.ONE_HOT_ENCODING), Optional.empty());
        String future = pipeline.toJson().replace("\"format_version\" : 1", "\"format_version\" : 7");

        assertThatThrownBy(() -> FeaturePipeline.fromJson(future))
                .isInstanceOfSatisfying(LatheException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT))
                .hasMessageContaining("format_version 7").hasMessageContaining("format_version 2");
    }

    @Test
    void rejectsDamagedJsonAsIncompatible() {
        assertThatThrownBy(() -> FeaturePipeline.fromJson("{\"format_version\": 1, \"policy\": {}}"))
                .isInstanceOfSatisfying(LatheException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT));
        assertThatThrownBy(() -> FeaturePipeline.fromJson("not json"))
                .isInstanceOfSatisfying(LatheException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.INCOMPATIBLE_FORMAT));
    }

    private static void assertIdentical(FeaturePipeline pipeline, FeaturePipeline reloaded, Batch data) {
        DenseMatrix before = pipeline.transform(data);
        DenseMatrix after = reloaded.transform(data);
        assertThat(after.columnNames()).isEqualTo(before.columnNames());
        assertThat(after.data()).isEqualTo(before.data());
        assertThat(reloaded.layout()).isEqualTo(pipeline.layout());
        assertThat(reloaded.inputFields()).isEqualTo(pipeline.inputFields());
        assertThat(reloaded.featureInfo()).isEqualTo(pipeline.featureInfo());
        assertThat(reloaded.policy()).isEqualTo(pipeline.policy());
        assertThat(reloaded.toJson()).isEqualTo(pipeline.toJson());
    }
}
