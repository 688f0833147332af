package dev.lathe.train.boosted;

import dev.lathe.core.model.ModelTask;

/** XGBoost's learning objective per task, and the evaluation metric ML.TRAINING_INFO reports as loss. */
enum Objective {
    REGRESSION("reg:squarederror", "rmse"),
    BINARY("binary:logistic", "logloss"),
    MULTICLASS("multi:softprob", "mlogloss");

    private final String xgboostName;
    private final String metric;

    Objective(String xgboostName, String metric) {
        this.xgboostName = xgboostName;
        this.metric = metric;
    }

    static Objective of(ModelTask task, int numClasses) {
        return switch (task) {
            case REGRESSION -> REGRESSION;
            case CLASSIFICATION -> numClasses == 2 ? BINARY : MULTICLASS;
            case CLUSTERING -> throw new IllegalArgumentException("tree models do not cluster");
        };
    }

    String xgboostName() {
        return xgboostName;
    }

    String metric() {
        return metric;
    }

    ModelTask task() {
        return this == REGRESSION ? ModelTask.REGRESSION : ModelTask.CLASSIFICATION;
    }

    /** BigQuery ML reports mean squared error for regression; XGBoost evaluates its square root. */
    double lossFromMetric(double value) {
        return this == REGRESSION ? value * value : value;
    }
}
