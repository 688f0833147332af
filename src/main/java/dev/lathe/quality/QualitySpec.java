package dev.lathe.quality;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import java.util.Optional;

/**
 * What to evaluate: the predictions one endpoint (optionally one of its deployed models) logged, against labels
 * from {@code groundTruth}. Ground-truth columns default to {@code request_id}, the model's label column name
 * (else {@code label}) and {@code instance_index} (optional; without it a label addresses a request's only
 * instance). {@code threshold} is ML.EVALUATE's binary threshold, applied to the logged probabilities.
 */
public record QualitySpec(String endpoint, Optional<String> deployedModelId, GroundTruth groundTruth, String requestIdColumn,
        Optional<String> labelColumn, Optional<String> instanceIndexColumn, double threshold, TableName logTable) {
    public static final String DEFAULT_REQUEST_ID_COLUMN = "request_id";
    public static final String DEFAULT_LABEL_COLUMN = "label";
    public static final String DEFAULT_INSTANCE_INDEX_COLUMN = "instance_index";
    public static final double DEFAULT_THRESHOLD = 0.5;

    public QualitySpec {
        requireNonNull(endpoint, "endpoint is null");
        requireNonNull(deployedModelId, "deployedModelId is null");
        requireNonNull(groundTruth, "groundTruth is null");
        requireNonNull(requestIdColumn, "requestIdColumn is null");
        requireNonNull(labelColumn, "labelColumn is null");
        requireNonNull(instanceIndexColumn, "instanceIndexColumn is null");
        requireNonNull(logTable, "logTable is null");
        if (endpoint.isBlank()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "endpoint is empty; give the id of the endpoint whose predictions to evaluate");
        }
        if (!(threshold >= 0 && threshold <= 1)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "threshold is " + threshold + " but must be in [0, 1]");
        }
        for (String column : new String[] {requestIdColumn, labelColumn.orElse("x"), instanceIndexColumn.orElse("x")}) {
            if (column.isBlank()) {
                throw new LatheException(ErrorCode.INVALID_ARGUMENT, "A ground-truth column name is empty; name a column of the ground truth");
            }
        }
    }

    /** The predictions of {@code endpoint} against {@code groundTruth}, with every default. */
    public static QualitySpec of(String endpoint, GroundTruth groundTruth) {
        return new QualitySpec(endpoint, Optional.empty(), groundTruth, DEFAULT_REQUEST_ID_COLUMN, Optional.empty(), Optional.empty(),
                DEFAULT_THRESHOLD, TableName.PREDICTION_LOG);
    }

    public QualitySpec withDeployedModelId(String id) {
        return new QualitySpec(endpoint, Optional.of(id), groundTruth, requestIdColumn, labelColumn, instanceIndexColumn, threshold, logTable);
    }

    public QualitySpec withRequestIdColumn(String column) {
        return new QualitySpec(endpoint, deployedModelId, groundTruth, column, labelColumn, instanceIndexColumn, threshold, logTable);
    }

    public QualitySpec withLabelColumn(String column) {
        return new QualitySpec(endpoint, deployedModelId, groundTruth, requestIdColumn, Optional.of(column), instanceIndexColumn, threshold, logTable);
    }

    public QualitySpec withInstanceIndexColumn(String column) {
        return new QualitySpec(endpoint, deployedModelId, groundTruth, requestIdColumn, labelColumn, Optional.of(column), threshold,
                logTable);
    }

    public QualitySpec withThreshold(double value) {
        return new QualitySpec(endpoint, deployedModelId, groundTruth, requestIdColumn, labelColumn, instanceIndexColumn, value, logTable);
    }

    /** Reads another table with the log's columns (an archive, or one written by hand). */
    public QualitySpec withLogTable(TableName table) {
        return new QualitySpec(endpoint, deployedModelId, groundTruth, requestIdColumn, labelColumn, instanceIndexColumn, threshold, table);
    }

    public QualitySpec withGroundTruth(GroundTruth truth) {
        return new QualitySpec(endpoint, deployedModelId, truth, requestIdColumn, labelColumn, instanceIndexColumn, threshold, logTable);
    }

    /** "endpoint 'e'" or "endpoint 'e', deployed model 'd'", for messages. */
    String describe() {
        return "endpoint '" + endpoint + "'" + deployedModelId.map(id -> ", deployed model '" + id + "'").orElse("");
    }
}
