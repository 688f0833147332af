package dev.lathe.features;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.Batch;
import dev.lathe.core.Column;
import dev.lathe.core.DenseMatrix;
import dev.lathe.core.DoubleColumn;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.FloatSink;
import dev.lathe.core.LatheException;
import dev.lathe.core.OneHotRows;
import dev.lathe.core.Parallel;
import dev.lathe.core.RowEntries;
import dev.lathe.core.Schema;
import dev.lathe.core.SparseVectorColumn;
import dev.lathe.core.StringArrayColumn;
import dev.lathe.core.StringColumn;
import dev.lathe.core.Suggestions;
import dev.lathe.core.TimestampColumn;
import dev.lathe.core.model.CategoryEncoding;
import dev.lathe.core.model.EncodedColumn;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.core.model.FeatureLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * BigQuery ML's automatic preprocessing, fitted once on the training features and frozen: {@link #transform}
 * applies exactly the training statistics to any later batch.
 *
 * <p>Per input type (spec section 2):
 * <ul>
 *   <li>numbers: NULL becomes the training mean, then, if the policy standardizes, {@code (x - mean) / sd} with the
 *       sample standard deviation of the non-NULL training values; one column named after the feature;
 *   <li>categories (STRING, BOOL, BYTES, DATE, DATETIME, TIME): per {@link CategoryEncoding}. One-hot columns are the
 *       training values in ascending order (Java string order) followed by the NULL category; DUMMY_ENCODING omits
 *       the most frequent value (ties: alphabetically first), see {@link #droppedCategory};
 *   <li>TIMESTAMP: Unix seconds (as a number), then {@code _TS_DOM_, _TS_DOW_, _TS_MOY_, _TS_HOD_, _TS_MOH_, _TS_WOY_,
 *       _TS_YEAR_} in that order, each one-hot (training values in numeric order, then NULL) when the policy asks for
 *       timestamp components, else a number (standardized when the policy standardizes, NULL as the mean);
 *   <li>ARRAY&lt;STRING&gt;: multi-hot, sorted elements then a NULL-array column;
 *   <li>ARRAY of numbers: element i as feature i, each a number as above (NULL element or array: the element's mean);
 *       its length is fixed at training ({@link NumericArrayEncoder});
 *   <li>sparse vectors: the values at indices 0 .. dimension-1.
 * </ul>
 * Features appear in the matrix in input order. Instances are immutable and thread-safe.
 */
public final class FeaturePipeline {
    /** The pipeline.json format_version this build writes and reads. */
    public static final int FORMAT_VERSION = PipelineJson.FORMAT_VERSION;
    /**
     * transformFloats encodes features in parallel only while all their double buffers together stay within this, so
     * two buffers alive at once never add more than it to the float matrix (wide one-hot features go one at a time).
     */
    private static final long PARALLEL_BUFFERS_BYTES = 256L << 20;

    private final EncodingPolicy policy;
    private final List<Field> inputFields;
    private final List<FeatureEncoder> encoders;
    private final List<FeatureInfo> featureInfo;
    private final FeatureLayout layout;
    private final List<String> layoutNames; // the matrix's column names, made once, not per transform
    private final int[] widths;
    private final int widest;
    /** Whether every input field's encoder encodes one value alone ({@link #encodeRow}). */
    private final boolean encodesRows;

    FeaturePipeline(EncodingPolicy policy, List<Field> inputFields, List<FeatureEncoder> encoders, List<FeatureInfo> featureInfo) {
        this.policy = requireNonNull(policy, "policy is null");
        this.inputFields = List.copyOf(inputFields);
        this.encoders = List.copyOf(encoders);
        this.featureInfo = List.copyOf(featureInfo);
        if (this.encoders.size() != this.inputFields.size() || this.featureInfo.size() != this.inputFields.size()) {
            throw new IllegalArgumentException("one encoder and one feature info per input field expected");
        }
        List<EncodedColumn> columns = new ArrayList<>();
        this.widths = new int[this.encoders.size()];
        for (int i = 0; i < widths.length; i++) {
            List<EncodedColumn> encoded = this.encoders.get(i).columns();
            widths[i] = encoded.size();
            columns.addAll(encoded);
        }
        this.widest = Arrays.stream(widths).max().orElse(0);
        this.encodesRows = this.encoders.stream().allMatch(FeatureEncoder::encodesOne)
                && this.inputFields.stream().allMatch(field -> field.type().isNumeric() || field.type().isCategorical());
        java.util.Map<String, Optional<String>> dropped = new java.util.LinkedHashMap<>();
        for (FeatureEncoder encoder : this.encoders) {
            if (encoder instanceof OneHotEncoder oneHot && oneHot.dropped().isPresent()) {
                dropped.put(oneHot.feature(), oneHot.dropped());
            }
        }
        this.layout = new FeatureLayout(columns, dropped);
        this.layoutNames = layout.names();
    }

    /**
     * Fits the preprocessing on the training features (every column of {@code features} is a feature).
     *
     * @param target the training label; required with TARGET_ENCODING, ignored otherwise
     */
    public static FeaturePipeline fit(Batch features, EncodingPolicy policy, Optional<EncodingTarget> target) {
        requireNonNull(features, "features is null");
        requireNonNull(policy, "policy is null");
        requireNonNull(target, "target is null");
        if (features.rowCount() == 0) {
            throw LatheException.invalidData("The training data has no rows; a model needs at least one training row."
                    + " Check the WHERE clause and the data split of the training query");
        }
        if (policy.categoryEncoding() == CategoryEncoding.TARGET_ENCODING && target.isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "CATEGORY_ENCODING_METHOD 'TARGET_ENCODING' needs the label column to encode"
                    + " categories; it is only accepted for supervised models");
        }
        target.ifPresent(t -> {
            if (t.size() != features.rowCount()) {
                throw new IllegalArgumentException("target has " + t.size() + " rows, features " + features.rowCount());
            }
        });
        rejectDuplicateNames(features.schema());
        // Columns are fitted independently, so in parallel when large; a failure is reported as in column order.
        int columns = features.columns().size();
        IntFunction<Fitted> fit = i -> fitColumn(features.schema().field(i), features.column(i), policy, target);
        List<Fitted> fitted = Parallel.map(Parallel.worthIt(features.rowCount(), columns), columns, fit);
        return new FeaturePipeline(policy, features.schema().fields(), fitted.stream().map(Fitted::encoder).toList(),
                fitted.stream().map(Fitted::info).toList());
    }

    private record Fitted(FeatureEncoder encoder, FeatureInfo info) {}

    /**
     * Fails, naming the column, its rows and what to do, where a numeric feature holds +/-Infinity: its mean and
     * standard deviation are not numbers, so every weight, centroid or tree of the model would be NaN.
     */
    private static void rejectInfinite(String name, DoubleColumn numbers) {
        double[] values = numbers.values();
        long infinite = 0;
        int first = -1;
        for (int row = 0; row < values.length; row++) {
            if (Double.isInfinite(values[row]) && !numbers.isNull(row)) {
                infinite++;
                first = first < 0 ? row : first;
            }
        }
        if (infinite > 0) {
            throw LatheException.invalidData("Feature column '" + name + "' is infinite in " + infinite + " training "
                    + (infinite == 1 ? "row" : "rows") + " (first at row " + (first + 1) + "); numeric features must be finite"
                    + " (NULL and NaN are replaced by the mean). Filter them out or replace them, e.g. WHERE NOT IS_INF(" + name
                    + ") or IF(IS_INF(" + name + "), NULL, " + name + ")");
        }
        throw LatheException.invalidData("Feature column '" + name + "' has values too large to average (their sum overflows a"
                + " FLOAT64); scale it down, e.g. " + name + " / 1e300");
    }

    /**
     * Fails, naming the column, its rows and the element, where a sparse vector holds NaN or +/-Infinity: one such element
     * made every weight or centroid of a linear model or k-means NaN, and training said it succeeded (probe rc).
     */
    private static void rejectNonFiniteElements(String name, SparseVectorColumn vectors) {
        rejectElements(name, vectors, false);
    }

    /** As {@link #rejectNonFiniteElements}, for an ARRAY of numbers, whose NaN elements, as its NULL ones, are the element's mean. */
    private static void rejectInfiniteElements(String name, SparseVectorColumn vectors) {
        rejectElements(name, vectors, true);
    }

    private static void rejectElements(String name, SparseVectorColumn vectors, boolean nanIsMissing) {
        long rows = 0;
        int firstRow = -1;
        int firstIndex = -1;
        double firstValue = 0;
        for (int row = 0; row < vectors.size(); row++) {
            if (vectors.isNull(row)) {
                continue;
            }
            for (int i = vectors.offsets()[row]; i < vectors.offsets()[row + 1]; i++) {
                double value = vectors.values()[i];
                if (nanIsMissing ? Double.isInfinite(value) : !Double.isFinite(value)) {
                    if (rows++ == 0) {
                        firstRow = row;
                        firstIndex = vectors.indices()[i];
                        firstValue = value;
                    }
                    break;
                }
            }
        }
        if (rows > 0) {
            throw LatheException.invalidData("Feature column '" + name + "' holds " + (nanIsMissing ? "an infinite number" : "NaN or an"
                    + " infinite number") + " in " + rows + " training " + (rows == 1 ? "row" : "rows") + " (first at row " + (firstRow + 1)
                    + ", element " + firstIndex + ": " + firstValue + "); " + (nanIsMissing ? "the elements of a numeric array are"
                    + " numeric features and must be finite (NULL and NaN elements are replaced by the element's mean)"
                    : "the elements of an array feature go to the model as they are and must be finite") + ". Filter those rows out or"
                    + " replace the elements, e.g. list_transform(" + name + ", x -> if(isfinite(x), x, " + (nanIsMissing ? "NULL" : "0")
                    + "))");
        }
    }

    private static Fitted fitColumn(Field field, Column column, EncodingPolicy policy, Optional<EncodingTarget> target) {
        String name = field.name();
        if (FeatureStatistics.nullCount(column) == column.size()) {
            // NaN counts as NULL: a TRANSFORM's scaler over a column holding a NaN makes every output NaN (probe rg: "NULL" alone)
            throw LatheException.invalidData("Feature column '" + name + "' is NULL " + (column instanceof DoubleColumn ? "or NaN " : "")
                    + "in every training row; remove it or fill it" + (column instanceof DoubleColumn ? " (a TRANSFORM's scaler gives NaN"
                    + " on every row once its input column holds a NaN or an infinite value: filter or replace those)" : ""));
        }
        if (column instanceof DoubleColumn numbers) { // one computation of the moments for the encoder and FEATURE_INFO
            NumericEncoder.Moments moments = NumericEncoder.Moments.of(numbers);
            if (moments.count() > 0 && !Double.isFinite(moments.mean())) {
                rejectInfinite(name, numbers);
            }
            NumericEncoder encoder = NumericEncoder.of(name, name, moments, policy.standardizeNumeric());
            return new Fitted(policy.standardizeNumeric() && !policy.centerNumeric() ? encoder.uncentered() : encoder,
                    FeatureStatistics.numeric(name, numbers, moments));
        }
        if (column instanceof SparseVectorColumn vectors && field.type() == dev.lathe.core.DataType.ARRAY_FLOAT64) {
            rejectInfiniteElements(name, vectors); // NaN, as NULL, is the element's mean, as a scalar's is
            return new Fitted(NumericArrayEncoder.fit(name, vectors, policy.standardizeNumeric(), policy.centerNumeric()),
                    FeatureStatistics.of(name, column));
        }
        if (column instanceof SparseVectorColumn vectors) {
            rejectNonFiniteElements(name, vectors);
        }
        FeatureEncoder encoder = fitEncoder(name, column, policy, target);
        if (policy.standardizeNumeric() && !policy.centerNumeric() && encoder instanceof TimestampEncoder timestamps) {
            encoder = timestamps.uncentered();
        }
        return new Fitted(encoder, FeatureStatistics.of(name, column));
    }

    /**
     * A pipeline fitted on nothing: each numeric field passes through as one column, NULL as NaN. Imported
     * models (ONNX, XGBoost) were trained elsewhere and take their inputs as they are; NaN is how both
     * runtimes see a missing value.
     */
    public static FeaturePipeline identity(List<Field> fields) {
        rejectDuplicateNames(new Schema(fields));
        List<FeatureEncoder> encoders = new ArrayList<>();
        List<FeatureInfo> info = new ArrayList<>();
        for (Field field : fields) {
            if (!field.type().isNumeric()) {
                throw new IllegalArgumentException("identity pipeline takes numeric fields, got " + field);
            }
            encoders.add(new NumericEncoder(field.name(), field.name(), Double.NaN, 0, 1));
            info.add(FeatureInfo.nonNumeric(field.name(), Optional.empty(), 0, Optional.empty()));
        }
        return new FeaturePipeline(EncodingPolicy.trees(CategoryEncoding.LABEL_ENCODING), fields, encoders, info);
    }

    /** The encoded matrix of {@code input}'s rows; columns are found by name (any case), extra columns ignored. */
    public DenseMatrix transform(Batch input) {
        int stride = layout.size();
        int rows = requireNonNull(input, "input is null").rowCount();
        requireDenseFits(rows, Runtime.getRuntime().maxMemory());
        double[] data = new double[rows * stride];
        encodeFeatures(input, false, (index, encoder, column, offset, width) -> encoder.encode(column, data, stride, offset));
        return new DenseMatrix(input.rowCount(), stride, data, layoutNames);
    }

    /**
     * Fails with RESOURCE_EXHAUSTED, before anything is allocated, when {@code rows} rows encoded as {@link #transform}'s
     * dense doubles would not fit in a Java array or in a heap of {@code maxHeap} bytes. KMEANS on a categorical column of
     * 100,000 values over 200,000 rows ended in an internal failure (integer overflow), and of 10,000 values in a 16 GB
     * allocation and an out-of-memory error (probe ud F3); the message names the width, its widest feature and the way out.
     */
    void requireDenseFits(int rows, long maxHeap) {
        int stride = layout.size();
        long cells = (long) rows * stride;
        long bytes = cells * Double.BYTES;
        if (cells <= Integer.MAX_VALUE - 8 && bytes <= maxHeap) {
            return;
        }
        int wide = 0;
        for (int i = 1; i < widths.length; i++) {
            wide = widths[i] > widths[wide] ? i : wide;
        }
        throw new LatheException(ErrorCode.RESOURCE_EXHAUSTED, String.format(Locale.ROOT,
                "The features encode to a dense matrix of %,d rows x %,d columns, about %.1f GB of doubles%s, and this process's"
                        + " Java heap holds at most %.1f GB; the widest feature is %s (%,d columns: one per category of a one-hot"
                        + " feature, per term of an ML.BAG_OF_WORDS or ML.MULTI_HOT_ENCODER dictionary): group its rare values"
                        + " (or lower top_k, raise frequency_threshold), leave it out, or use fewer rows", rows, stride,
                bytes / 1e9, cells > Integer.MAX_VALUE - 8 ? " (more cells than a Java array holds)" : "", maxHeap / 1e9,
                encoders.isEmpty() ? "none" : inputFields.get(wide).name(), widths.length == 0 ? 0 : widths[wide]));
    }

    /**
     * As {@link #transform}, with each one-hot feature held as the column a row sets ({@link DenseMatrix#ofOneHotRows}),
     * a timestamp whose parts are one-hot as its seconds and the column each part sets, a multi-hot array or a sparse
     * vector as the columns it sets with their values, and every other feature's columns as values: for linear models,
     * whose training reads a row's set columns only. Its {@link DenseMatrix#data} equals {@code transform(input).data()}.
     * Without any of those, {@link #transform}'s.
     */
    public DenseMatrix transformOneHot(Batch input) {
        int groups = 0;
        int valueCount = 0;
        int lists = 0;
        // Per feature: how it is held, its first value slot, its first group, its list.
        Holding[] holding = new Holding[encoders.size()];
        int[] slot = new int[encoders.size()];
        int[] group = new int[encoders.size()];
        int[] list = new int[encoders.size()];
        int parts = TimestampPart.values().length;
        for (int i = 0; i < encoders.size(); i++) {
            holding[i] = Holding.of(encoders.get(i));
            switch (holding[i]) {
                case GROUP -> group[i] = groups++;
                case LIST -> list[i] = lists++;
                case TIMESTAMP -> {
                    slot[i] = valueCount++;
                    group[i] = groups;
                    groups += parts;
                }
                case VALUES -> {
                    slot[i] = valueCount;
                    valueCount += widths[i];
                }
            }
        }
        if (groups == 0 && lists == 0) {
            return transform(input);
        }
        int rows = requireNonNull(input, "input is null").rowCount();
        int[] terms = new int[valueCount + groups + lists];
        int[] valueColumns = new int[valueCount];
        for (int i = 0, offset = 0, term = 0; i < encoders.size(); offset += widths[i], i++) {
            switch (holding[i]) {
                case GROUP -> terms[term++] = -group[i] - 1;
                case LIST -> terms[term++] = -(groups + list[i]) - 1;
                case TIMESTAMP -> {
                    valueColumns[slot[i]] = offset; // the seconds, then the parts' columns
                    terms[term++] = slot[i];
                    for (int k = 0; k < parts; k++) {
                        terms[term++] = -(group[i] + k) - 1;
                    }
                }
                case VALUES -> {
                    for (int c = 0; c < widths[i]; c++) {
                        valueColumns[slot[i] + c] = offset + c;
                        terms[term++] = slot[i] + c;
                    }
                }
            }
        }
        double[] values = new double[Math.multiplyExact(rows, valueCount)];
        int[] hot = new int[Math.multiplyExact(rows, groups)];
        int stride = valueCount;
        int groupStride = groups;
        RowEntries[] entries = new RowEntries[lists];
        encodeFeatures(input, false, (index, encoder, column, offset, width) -> {
            switch (holding[index]) {
                case GROUP -> ((OneHotEncoder) encoder).encodeColumns(column, hot, groupStride, group[index], offset);
                case LIST -> entries[list[index]] = encoder instanceof MultiHotEncoder multiHot ? multiHot.encodeList(column, offset)
                        : ((SparseVectorEncoder) encoder).encodeList(column, offset);
                case TIMESTAMP -> ((TimestampEncoder) encoder).encodeOneHot(column, values, stride, slot[index], hot, groupStride,
                        group[index], offset);
                case VALUES -> encoder.encode(column, values, stride, slot[index]);
            }
        });
        return DenseMatrix.ofOneHotRows(layout.size(), new OneHotRows(rows, terms, valueColumns, groups, values, hot,
                List.of(entries)), layoutNames);
    }

    /** How {@link #transformOneHot} holds a feature's columns. */
    private enum Holding {
        /** A one-hot feature: the column a row sets. */
        GROUP,
        /** A multi-hot array or a sparse vector: the columns a row sets, with their values. */
        LIST,
        /** A timestamp whose parts are one-hot (a linear model's): its seconds as a value, each part a group. */
        TIMESTAMP,
        /** Anything else: every column a value. */
        VALUES;

        static Holding of(FeatureEncoder encoder) {
            return switch (encoder) {
                case OneHotEncoder ignored -> GROUP;
                case MultiHotEncoder ignored -> LIST;
                case SparseVectorEncoder ignored -> LIST;
                case TimestampEncoder timestamp when timestamp.partsOneHot() -> TIMESTAMP;
                default -> VALUES;
            };
        }
    }

    /**
     * As {@link #transform}, held as floats ({@link DenseMatrix#ofFloats}): each feature is encoded into a buffer of its
     * own columns and narrowed into the matrix, so no double matrix of all columns exists. Values equal
     * {@code transform(input).toFloats()}.
     */
    public DenseMatrix transformFloats(Batch input) {
        return transformFloats(input, true);
    }

    /**
     * As {@link #transformFloats(Batch)}; with {@code mayFork} false the features are encoded in order on the calling
     * thread whatever the batch's size, for callers that already run on every core (DuckDB's worker threads calling
     * ML.PREDICT's function, each with its own chunk of the table).
     */
    public DenseMatrix transformFloats(Batch input, boolean mayFork) {
        int rows = requireNonNull(input, "input is null").rowCount();
        float[] data = new float[Math.multiplyExact(rows, layout.size())];
        writeFloats(input, mayFork, FloatSink.of(data));
        return DenseMatrix.ofFloats(rows, layout.size(), data, layoutNames);
    }

    /**
     * As {@link #transformFloats(Batch)}, held as its encoding ({@link DenseMatrix#ofFloatEncoding}): the features are
     * encoded when the matrix is written into a sink, for a tree model's training straight into XGBoost's native
     * memory, so the training rows' floats are never a Java array as well. {@code input} must not change meanwhile.
     * {@code encoded} runs after each encoding (ModelCreator starts the training profile then).
     */
    public DenseMatrix floatEncoding(Batch input, Runnable encoded) {
        int rows = requireNonNull(input, "input is null").rowCount();
        requireNonNull(encoded, "encoded is null");
        return DenseMatrix.ofFloatEncoding(rows, layout.size(), sink -> {
            writeFloats(input, true, sink);
            encoded.run();
        }, layoutNames);
    }

    /** Encodes {@code input} into {@code data}, which holds its rows times the layout's columns. */
    private void writeFloats(Batch input, boolean mayFork, FloatSink data) {
        int rows = input.rowCount();
        int stride = layout.size();
        // A large batch's features are encoded in parallel, each into a buffer of its own and only into its own columns
        // of the matrix; a small one's (an online prediction), or one whose buffers would together pass
        // PARALLEL_BUFFERS_BYTES (wide one-hot features), in order through one reused buffer. Buffers hold zeros where
        // encode does not write, as it expects.
        // Numbers, label encoding and numeric timestamp parts are written into the matrix as floats directly
        // (encodeFloats): a tree model's features need no buffer of doubles at all.
        boolean parallel = mayFork && Parallel.worthIt(rows, stride) && (long) rows * stride * Double.BYTES <= PARALLEL_BUFFERS_BYTES;
        double[][] shared = new double[1][]; // made on first use, when not parallel
        encodeFeatures(input, parallel, (index, encoder, column, offset, width) -> {
            if (encoder.encodeFloats(column, data, stride, offset)) {
                return;
            }
            double[] encoded;
            if (parallel) {
                encoded = new double[Math.multiplyExact(rows, width)];
            } else {
                if (shared[0] == null) {
                    shared[0] = new double[Math.multiplyExact(rows, widest)];
                }
                encoded = shared[0];
                Arrays.fill(encoded, 0, rows * width, 0.0);
            }
            encoder.encode(column, encoded, width, 0);
            for (int row = 0; row < rows; row++) {
                long at = (long) row * stride + offset;
                for (int c = 0; c < width; c++) {
                    data.set(at + c, (float) encoded[row * width + c]);
                }
            }
        });
    }

    /**
     * Whether {@link #encodeRow} takes this pipeline's rows: every input field numeric or categorical, encoded by an
     * encoder that takes one value alone (numbers, one-hot and label encoding; not timestamps, arrays, vectors or target
     * encoding).
     */
    public boolean encodesRows() {
        return encodesRows;
    }

    /**
     * One row of the input fields, encoded: {@code values[i]} for {@code inputFields().get(i)}, a Double (NaN for NULL)
     * for a numeric field and a String (null for NULL) for a categorical one, as a one-row batch of those fields
     * carries them. The matrix row equals what {@link #transform} and {@link #transformFloats} make of that batch, without
     * building columns: for online prediction, one instance per request. Only where {@link #encodesRows}.
     */
    public DenseMatrix encodeRow(Object[] values, boolean floats) {
        if (!encodesRows || values.length != encoders.size()) {
            throw new IllegalStateException(encodesRows ? encoders.size() + " values expected, got " + values.length
                    : "this pipeline encodes whole columns only");
        }
        double[] row = new double[layout.size()];
        for (int i = 0, offset = 0; i < values.length; offset += widths[i], i++) {
            encoders.get(i).encodeOne(values[i], row, offset);
        }
        if (!floats) {
            return new DenseMatrix(1, row.length, row, layoutNames);
        }
        float[] narrowed = new float[row.length];
        for (int c = 0; c < row.length; c++) {
            narrowed[c] = (float) row[c];
        }
        return DenseMatrix.ofFloats(1, row.length, narrowed, layoutNames);
    }

    /** One feature's encoding step: its position, its encoder, its input column, and where its {@code width} columns start. */
    private interface FeatureStep {
        void encode(int index, FeatureEncoder encoder, InputColumn column, int offset, int width);
    }

    /**
     * Calls {@code step} for each input field, with the column of {@code input} found by name (any case): in matrix
     * order, or in parallel (a failure reported as in matrix order) when {@code parallel} and the steps write apart.
     */
    private void encodeFeatures(Batch input, boolean parallel, FeatureStep step) {
        int[] offsets = new int[inputFields.size()];
        InputColumn[] columns = new InputColumn[inputFields.size()];
        for (int i = 0, offset = 0; i < inputFields.size(); offset += widths[i], i++) {
            Field trained = inputFields.get(i);
            int index = input.schema().indexOf(trained.name()).orElseThrow(() -> missingColumn(trained.name(), input.schema()));
            columns[i] = new InputColumn(input.column(index), input.schema().field(index), trained);
            offsets[i] = offset;
        }
        Parallel.forEach(parallel, columns.length, i -> step.encode(i, encoders.get(i), columns[i], offsets[i], widths[i]));
    }

    public FeatureLayout layout() {
        return layout;
    }

    /** The training feature columns, in matrix order, with their training types. */
    public List<Field> inputFields() {
        return inputFields;
    }

    /**
     * Every value the encoding of input field {@code index} tells apart, when it is categorical: the pipeline
     * encodes any other non-NULL value of that field as it encodes a value unseen in training, so a caller may
     * hand such values over as one stand-in. Empty for numbers, timestamps, arrays and vectors.
     */
    public Optional<List<String>> vocabulary(int index) {
        return encoders.get(index).vocabulary();
    }

    /** ML.FEATURE_INFO: one row per input feature, computed over the training rows. */
    public List<FeatureInfo> featureInfo() {
        return featureInfo;
    }

    public EncodingPolicy policy() {
        return policy;
    }

    /**
     * With DUMMY_ENCODING, the category of {@code feature} that has no column (the most frequent in training);
     * ML.WEIGHTS reports weight 0 for it. Empty for other encodings and non-categorical features.
     */
    public Optional<String> droppedCategory(String feature) {
        for (FeatureEncoder encoder : encoders) {
            if (encoder instanceof OneHotEncoder oneHot && oneHot.feature().equalsIgnoreCase(feature)) {
                return oneHot.dropped();
            }
        }
        return Optional.empty();
    }

    /** The pipeline as JSON with {@code "format_version": 1}; {@link #fromJson} reads it back. */
    public String toJson() {
        return PipelineJson.write(this);
    }

    /** Reads what {@link #toJson} wrote; an unknown format version fails with INCOMPATIBLE_FORMAT. */
    public static FeaturePipeline fromJson(String json) {
        return PipelineJson.read(json);
    }

    List<FeatureEncoder> encoders() {
        return encoders;
    }

    private static FeatureEncoder fitEncoder(String name, Column column, EncodingPolicy policy, Optional<EncodingTarget> target) {
        return switch (column) {
            case DoubleColumn numbers -> NumericEncoder.fit(name, name, numbers, policy.standardizeNumeric());
            case StringColumn strings -> fitCategorical(name, strings, policy.categoryEncoding(), target);
            case TimestampColumn timestamps -> TimestampEncoder.fit(name, timestamps, policy.standardizeNumeric(),
                    policy.timestampComponents());
            case StringArrayColumn arrays -> MultiHotEncoder.fit(name, arrays);
            case SparseVectorColumn vectors -> SparseVectorEncoder.fit(name, vectors);
        };
    }

    private static FeatureEncoder fitCategorical(String name, StringColumn values, CategoryEncoding encoding,
            Optional<EncodingTarget> target) {
        // Counted by dictionary code first: one array increment per row instead of a sorted-map update.
        long[] codeCounts = new long[values.dictionary().size()];
        for (int code : values.codes()) {
            if (code >= 0) {
                codeCounts[code]++;
            }
        }
        TreeMap<String, Long> counts = new TreeMap<>();
        for (int code = 0; code < codeCounts.length; code++) {
            if (codeCounts[code] > 0) {
                counts.merge(values.dictionary().get(code), codeCounts[code], Long::sum);
            }
        }
        List<String> sorted = List.copyOf(counts.keySet());
        return switch (encoding) {
            case ONE_HOT_ENCODING -> new OneHotEncoder(name, name, sorted, Optional.empty());
            case DUMMY_ENCODING -> {
                String mostFrequent = mostFrequent(counts);
                List<String> kept = sorted.stream().filter(value -> !value.equals(mostFrequent)).toList();
                yield new OneHotEncoder(name, name, kept, Optional.of(mostFrequent));
            }
            case LABEL_ENCODING -> new LabelEncoder(name, sorted);
            case TARGET_ENCODING -> TargetEncoder.fit(name, values, target.orElseThrow());
        };
    }

    /** BigQuery breaks ties at random; the alphabetically first keeps training reproducible. */
    private static String mostFrequent(TreeMap<String, Long> counts) {
        String best = counts.firstKey();
        for (Map.Entry<String, Long> entry : counts.entrySet()) {
            if (entry.getValue() > counts.get(best)) {
                best = entry.getKey();
            }
        }
        return best;
    }

    private static void rejectDuplicateNames(Schema schema) {
        Set<String> seen = new HashSet<>();
        for (String name : schema.names()) {
            if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                throw LatheException.invalidData("Feature column '" + name + "' appears more than once in the training"
                        + " query (names are case-insensitive); give each column a distinct alias");
            }
        }
    }

    private LatheException missingColumn(String name, Schema schema) {
        List<String> needed = inputFields.stream().map(Field::name).toList();
        return new LatheException(ErrorCode.COLUMN_NOT_FOUND, "Column '" + name + "' required by the model is not in the"
                + " input" + Suggestions.didYouMeanOrStop(name, schema.names()) + " The model needs: " + String.join(", ", needed)
                + "; the input has: " + String.join(", ", schema.names()));
    }
}
