import dev.lathe.core.Batch;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.Field;
import dev.lathe.core.Schema;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.features.ClassLabels;
import dev.lathe.features.EncodingTarget;
import dev.lathe.features.FeaturePipeline;
import dev.lathe.features.Labels;
import dev.lathe.train.linear.LogisticRegressionFamily;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The LOGISTIC_REG comparison point: the estimator alone. Builds, untimed, the TrainingSet CREATE MODEL
 * would build from {@code adult_train.csv} (same AUTO_SPLIT rows by the same hash rule, Lathe's own
 * FeaturePipeline, default options), then times only {@code LogisticRegressionFamily.train}. The
 * difference to CREATE MODEL's wall time is Lathe's SQL, reading, encoding, evaluation and storing.
 * {@code DirectLogistic <adult_train.csv> <label> [repeats]}: with repeats &gt; 1 the training runs again in this JVM
 * and {@code warm_ms} is the median of runs 2..repeats.
 */
public final class DirectLogistic {
    public static void main(String[] args) throws Exception {
        Prepared prepared = prepare(args[0], args[1]);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        long[] wall = new long[repeats];
        String first = "";
        for (int run = 0; run < repeats; run++) {
            long start = System.nanoTime();
            ModelFamily.Trained trained = prepared.train();
            long trainMs = Proc.msSince(start);
            wall[run] = trainMs;
            if (run > 0) {
                continue;
            }
            var info = trained.estimator().trainingInfo();
            System.out.printf("  direct: LogisticRegressionFamily.train on %d x %d, %d iterations, last loss %.6f%n",
                    prepared.data().train().rows(), prepared.data().train().cols(), info.size(), info.get(info.size() - 1).loss());
            first = "wall_ms=" + trainMs + " iterations=" + info.size();
        }
        Proc.result("direct_logistic_train", first + (repeats > 1 ? " warm_ms=" + Proc.warmMedian(wall) : ""));
    }

    /** The family, its default options and the TrainingSet CREATE MODEL builds; {@link #train} times only the estimator. */
    record Prepared(LogisticRegressionFamily family, ModelOptions options, TrainingSet data) {
        ModelFamily.Trained train() {
            return family.train(data, options, iteration -> { });
        }
    }

    /** Builds, untimed, what CREATE MODEL trains on from {@code csv} with {@code label} (see the class comment). */
    static Prepared prepare(String csv, String label) throws Exception {
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:"); Statement st = duck.createStatement()) {
            st.execute("CREATE TABLE raw AS SELECT * FROM read_csv(['" + csv.replace("'", "''") + "'], auto_detect = true)");
            Schema schema = Warehouse.describe(duck, "SELECT * FROM raw");
            List<String> parts = new ArrayList<>();
            for (Field field : schema.fields()) {
                parts.add(Sql.quote(field.name()));
            }
            // Lathe's AUTO_SPLIT for 500..50,000 rows: 20 % evaluation, flagged by the row hash.
            st.execute("CREATE TABLE split AS SELECT *, CASE WHEN hash(" + String.join(", ", parts)
                    + ") % 1000000 < 200000 THEN 1 ELSE 0 END AS __eval FROM raw");
            List<Field> features = new ArrayList<>();
            Field labelField = null;
            for (Field field : schema.fields()) {
                if (field.name().equalsIgnoreCase(label)) {
                    labelField = field;
                } else {
                    features.add(field);
                }
            }
            List<Field> read = new ArrayList<>(features);
            read.add(labelField);
            List<String> featureNames = features.stream().map(Field::name).toList();
            Batch all = BatchReader.readAll(duck, "SELECT * FROM split", read);
            Batch train = BatchReader.readAll(duck, "SELECT * FROM split WHERE __eval = 0", read);
            Batch eval = BatchReader.readAll(duck, "SELECT * FROM split WHERE __eval = 1", read);
            LogisticRegressionFamily family = new LogisticRegressionFamily();
            ClassLabels classes = Labels.classification(all.column(features.size()), labelField, family.modelType(), 50);
            int[] trainClasses = classes.indexOf(train.column(features.size()));
            double[] trainLabels = Arrays.stream(trainClasses).asDoubleStream().toArray();
            double[] evalLabels = Arrays.stream(classes.indexOf(eval.column(features.size()))).asDoubleStream().toArray();
            ModelOptions options = family.validate(ModelOptions.resolve(List.of(), family.options(), family.modelType()));
            FeaturePipeline pipeline = FeaturePipeline.fit(train.select(featureNames), family.encoding(options),
                    Optional.of(new EncodingTarget.Classes(trainClasses, classes.classes())));
            // encoded as CREATE MODEL encodes them for this family (one-hot rows for linear models, since 2026-12-06)
            DenseMatrix trainMatrix = family.trainsOnOneHotRows() ? pipeline.transformOneHot(train.select(featureNames))
                    : pipeline.transform(train.select(featureNames));
            DenseMatrix evalMatrix = family.trainsOnOneHotRows() ? pipeline.transformOneHot(eval.select(featureNames))
                    : pipeline.transform(eval.select(featureNames));
            // no weights, as CREATE MODEL passes them without class or instance weights (since 2026-12-06; before, arrays of ones)
            TrainingSet data = new TrainingSet(trainMatrix, trainLabels, TrainingSet.UNWEIGHTED, Optional.of(evalMatrix), evalLabels,
                    TrainingSet.UNWEIGHTED, classes.classes(), pipeline.layout(), Optional.empty());
            return new Prepared(family, options, data);
        }
    }
}
