package dev.lathe.train.boosted;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.Capabilities.ImportanceRow;
import dev.lathe.core.model.FeatureLayout;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * XGBoost's importance per encoded column: number of splits, average gain and average cover.
 * Columns never split on have zeros.
 */
record ColumnImportance(double[] weight, double[] gain, double[] cover) {
    ColumnImportance {
        requireNonNull(weight, "weight is null");
        requireNonNull(gain, "gain is null");
        requireNonNull(cover, "cover is null");
        if (gain.length != weight.length || cover.length != weight.length) {
            throw new IllegalArgumentException("importance arrays differ in length: " + weight.length + ", " + gain.length + ", "
                    + cover.length);
        }
    }

    int columns() {
        return weight.length;
    }

    /**
     * One row per input feature, in layout order. Several encoded columns of one feature (a one-hot
     * group, timestamp parts) combine: splits add up, gain and cover are split-weighted averages, so
     * the result is what XGBoost would report had the feature been a single column.
     */
    List<ImportanceRow> byFeature(FeatureLayout layout) {
        if (layout.size() != columns()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Feature layout has " + layout.size()
                    + " encoded columns but the tree model was trained on " + columns() + "; pass the model's own layout");
        }
        Map<String, double[]> sums = new LinkedHashMap<>();
        for (String feature : layout.features()) {
            sums.put(feature, new double[3]);
        }
        for (int column = 0; column < columns(); column++) {
            double[] sum = sums.get(layout.column(column).feature());
            sum[0] += weight[column];
            sum[1] += weight[column] * gain[column];
            sum[2] += weight[column] * cover[column];
        }
        List<ImportanceRow> rows = new ArrayList<>();
        sums.forEach((feature, sum) -> rows.add(new ImportanceRow(feature, sum[0], sum[0] > 0 ? sum[1] / sum[0] : 0.0,
                sum[0] > 0 ? sum[2] / sum[0] : 0.0)));
        return List.copyOf(rows);
    }
}
