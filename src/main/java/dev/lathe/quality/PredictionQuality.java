package dev.lathe.quality;

import static java.util.Objects.requireNonNull;

import dev.lathe.core.Batch;
import dev.lathe.core.DataType;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.Suggestions;
import dev.lathe.registry.ModelManifest;
import dev.lathe.registry.ModelStore;
import dev.lathe.serve.store.DeployedModel;
import dev.lathe.serve.store.Endpoint;
import dev.lathe.serve.store.EndpointStore;
import dev.lathe.sql.Parser;
import dev.lathe.sql.Statement;
import dev.lathe.warehouse.BatchReader;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Scores an endpoint's logged predictions against ground truth that arrived later: per window of
 * {@code logging_time}, the instances logged, those matched with a label, those without one, and ML.EVALUATE's
 * metrics over the matched ones (the model type's columns, the same formulas: {@link dev.lathe.evaluate}).
 *
 * <p>Predictions are read from the request-response log as the server wrote them (Vertex {@code :predict} and
 * {@code :rawPredict}, and Open Inference Protocol {@code infer}); a label addresses one instance by request id
 * and 0-based instance index, and a label without an index addresses a request that had exactly one instance.
 * The join runs in DuckDB; only the labelled predictions of one window at a time reach Java, as primitive arrays.
 * A window with nothing to score is reported with a status and a reason, never as zeros.
 */
public final class PredictionQuality {
    private static final List<String> LOG_COLUMNS = List.of("endpoint", "deployed_model_id", "logging_time", "request_id", "request_payload",
            "response_payload", "model", "model_version");

    private final Warehouse warehouse;
    private final ModelStore models;
    private final EndpointStore endpoints;
    private final Parser parser = new Parser();

    public PredictionQuality(Warehouse warehouse, ModelStore models, EndpointStore endpoints) {
        this.warehouse = requireNonNull(warehouse, "warehouse is null");
        this.models = requireNonNull(models, "models is null");
        this.endpoints = requireNonNull(endpoints, "endpoints is null");
    }

    /**
     * ML.EVALUATE's metric names for the predictions of {@code manifest}'s model (regression's or classification's);
     * an error saying why when its predictions cannot be scored against labels (KMEANS, imported models).
     */
    public static List<String> metricNames(ModelManifest manifest) {
        return PredictionShape.of(manifest).metricNames();
    }

    /**
     * Checks, without reading labels, that {@code truth} can be evaluated: a table exists, a query parses as a query
     * without ML functions; the error says what is wrong (what a monitor asks when it is created).
     */
    public void checkGroundTruth(GroundTruth truth) {
        requireNonNull(truth, "truth is null");
        switch (truth) {
            case GroundTruth.Table table -> {
                try (Connection connection = warehouse.connect()) {
                    requireTable(connection, table.name());
                } catch (SQLException e) {
                    throw LatheException.internal("Closing a warehouse connection failed: " + e.getMessage(), e);
                }
            }
            case GroundTruth.Query query -> groundTruthQuery(query.sql());
            case GroundTruth.Relation relation -> {
                // Handed over by the SQL function after running its argument: nothing left to check.
            }
        }
    }

    private static void requireTable(Connection connection, TableName name) {
        if (!Warehouse.relationExists(connection, name.dataset(), name.table())) {
            throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Ground-truth table " + name + " not found");
        }
    }

    private Statement.Query groundTruthQuery(String sql) {
        Statement statement = parser.parse(sql);
        if (!(statement instanceof Statement.Query select)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The ground-truth query must be a query (SELECT ...)");
        }
        if (!select.calls().isEmpty()) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "The ground-truth query calls ML." + select.calls().getFirst().function()
                    + "; here it may use plain SQL only (ML.EVALUATE_PREDICTION_LOG in SQL takes any query)");
        }
        if (!select.wildcards().isEmpty()) {
            throw new LatheException(ErrorCode.UNSUPPORTED, "The ground-truth query reads the wildcard table " + select.wildcards().getFirst().text()
                    + " (at " + select.wildcards().getFirst().position() + "), which it cannot yet; keep its rows with CREATE TABLE"
                    + " dataset.name AS SELECT ... and name that table");
        }
        return select;
    }

    /** One window, {@code [windowStart, windowEnd)}: what a monitor run asks. */
    public WindowQuality evaluate(QualitySpec spec, Instant windowStart, Instant windowEnd) {
        return evaluate(spec, Windows.single(windowStart, windowEnd)).windows().getFirst();
    }

    /** Every window of {@code windows}, on a connection of its own. */
    public QualityReport evaluate(QualitySpec spec, Windows windows) {
        try (Connection connection = warehouse.connect()) {
            return evaluate(connection, spec, windows);
        } catch (SQLException e) {
            throw LatheException.internal("Closing a warehouse connection failed: " + e.getMessage(), e);
        }
    }

    /** As {@link #evaluate(QualitySpec, Windows)} on {@code connection} (a SQL session's, so its temporary tables are visible). */
    public QualityReport evaluate(Connection connection, QualitySpec spec, Windows windows) {
        requireNonNull(connection, "connection is null");
        requireNonNull(spec, "spec is null");
        requireNonNull(windows, "windows is null");
        List<String> temporary = new ArrayList<>();
        try {
            return new Run(connection, spec, windows, temporary).report();
        } finally {
            for (String table : temporary) {
                Sql.execute(connection, "DROP TABLE IF EXISTS temp.main." + Sql.quote(table));
            }
        }
    }

    /** One evaluation's state: the connection, what was asked, and the temporary tables to drop. */
    private final class Run {
        private final Connection connection;
        private final QualitySpec spec;
        private final Windows windows;
        private final List<String> temporary;
        private final Optional<Endpoint> endpoint;
        private final boolean logExists;

        Run(Connection connection, QualitySpec spec, Windows windows, List<String> temporary) {
            this.connection = connection;
            this.spec = spec;
            this.windows = windows;
            this.temporary = temporary;
            this.endpoint = endpoints.get(spec.endpoint());
            this.logExists = checkLog();
        }

        QualityReport report() {
            requireKnownEndpoint();
            List<String> served = servedModels();
            Optional<PredictionShape> shape = shape(served);
            if (shape.isEmpty()) {
                List<WindowQuality> empty = new ArrayList<>();
                for (int w = 0; w < windows.count(); w++) {
                    empty.add(window(w, 0, 0, 0, Map.of(), List.of()));
                }
                return new QualityReport(List.of(), served, empty);
            }
            String truth = groundTruth();
            LoggedInstances.TruthColumns columns = truthColumns(truth, shape.get());
            requireOneLabelPerInstance(truth, columns);
            long[][] counts = new long[3][windows.count()];
            Map<Integer, Map<String, Double>> metrics = Map.of();
            if (logExists) {
                String table = temporaryTable("instances");
                createInstances(table, shape.get(), truth, columns);
                counts = counts(table);
                metrics = scores(table, shape.get());
            }
            List<WindowQuality> result = new ArrayList<>();
            for (int w = 0; w < windows.count(); w++) {
                result.add(window(w, counts[0][w], counts[1][w], counts[2][w], metrics.getOrDefault(w, Map.of()), shape.get().metricNames()));
            }
            return new QualityReport(shape.get().metricNames(), served, result);
        }

        private WindowQuality window(int w, long logged, long labelled, long undecoded, Map<String, Double> metrics, List<String> names) {
            long matched = labelled - undecoded;
            WindowQuality.Status status;
            Optional<String> reason;
            if (logged == 0) {
                status = WindowQuality.Status.NO_PREDICTIONS;
                reason = Optional.of("No prediction of " + spec.describe() + " was logged in this window" + loggingHint());
            } else if (matched == 0) {
                status = WindowQuality.Status.NO_LABELS;
                reason = Optional.of(logged + " predicted instance" + (logged == 1 ? " was" : "s were") + " logged but none has a label in"
                        + " the ground truth" + (undecoded > 0 ? " and a prediction in its logged response (" + undecoded + " labelled"
                        + " instances were logged without their prediction)" : " (labels match on request id and instance index)"));
            } else {
                status = WindowQuality.Status.OK;
                reason = Optional.empty();
            }
            if (status == WindowQuality.Status.OK && metrics.size() != names.size()) {
                throw new IllegalStateException("window " + w + " has " + matched + " matched rows but metrics " + metrics);
            }
            return new WindowQuality(windows.start(w), windows.end(w), logged, matched, logged - labelled, undecoded, status, reason,
                    status == WindowQuality.Status.OK ? metrics : Map.of());
        }

        private String loggingHint() {
            if (!logExists) {
                return "; no prediction has been logged at all yet (" + spec.logTable() + " does not exist): turn request-response "
                        + "logging on with predictRequestResponseLoggingConfig";
            }
            if (endpoint.isPresent() && endpoint.get().loggingRate() == 0) {
                return endpoint.get().loggingEnabled() ? "; the endpoint logs no requests (its sampling rate is 0): set"
                        + " predictRequestResponseLoggingConfig.samplingRate" : "; the endpoint logs no requests (its logging is off):"
                        + " set predictRequestResponseLoggingConfig.enabled to true, with a samplingRate";
            }
            return "";
        }

        // ---- the log and the endpoint ----------------------------------------------------------------

        private boolean checkLog() {
            TableName log = spec.logTable();
            if (!Warehouse.relationExists(connection, log.dataset(), log.table())) {
                if (!log.equals(TableName.PREDICTION_LOG)) {
                    throw new LatheException(ErrorCode.TABLE_NOT_FOUND, "Prediction log table " + log + " not found; give a table with"
                            + " the columns of " + TableName.PREDICTION_LOG + ": " + String.join(", ", LOG_COLUMNS));
                }
                return false;
            }
            List<String> present = Warehouse.describe(connection, "SELECT * FROM " + log.sql()).names();
            List<String> missing = LOG_COLUMNS.stream().filter(c -> present.stream().noneMatch(c::equalsIgnoreCase)).toList();
            if (!missing.isEmpty()) {
                throw new LatheException(ErrorCode.COLUMN_NOT_FOUND, "Prediction log table " + log + " lacks column" + (missing.size() > 1
                        ? "s " : " ") + String.join(", ", missing) + "; it has " + String.join(", ", present) + ", and a prediction log has "
                        + String.join(", ", LOG_COLUMNS));
            }
            return true;
        }

        private void requireKnownEndpoint() {
            if (endpoint.isEmpty() && !logged(false)) {
                Set<String> known = new LinkedHashSet<>();
                endpoints.all().forEach(e -> known.add(e.id()));
                known.addAll(distinct("endpoint", false));
                throw new LatheException(ErrorCode.ENDPOINT_NOT_FOUND, "Endpoint '" + spec.endpoint() + "' not found: no endpoint has that id"
                        + " and " + spec.logTable() + " holds no prediction of it" + (known.isEmpty() ? " (there are no endpoints yet)"
                                : Suggestions.withChoices(spec.endpoint(), known, "Endpoints")));
            }
            if (spec.deployedModelId().isPresent() && endpoint.flatMap(e -> e.deployedModel(spec.deployedModelId().get())).isEmpty()
                    && !logged(true)) {
                Set<String> known = new LinkedHashSet<>();
                endpoint.ifPresent(e -> e.deployedModels().forEach(d -> known.add(d.id())));
                known.addAll(distinct("deployed_model_id", true));
                throw new LatheException(ErrorCode.DEPLOYED_MODEL_NOT_FOUND, "Endpoint '" + spec.endpoint() + "' has no deployed model '"
                        + spec.deployedModelId().get() + "' and " + spec.logTable() + " holds no prediction of one; deployed model ids of"
                        + " the endpoint are: " + (known.isEmpty() ? "(none)" : String.join(", ", known)));
            }
        }

        /** Whether the log has a row of the endpoint (and of the deployed model, when {@code byDeployedModel}). */
        private boolean logged(boolean byDeployedModel) {
            if (!logExists) {
                return false;
            }
            String sql = "SELECT 1 FROM " + spec.logTable().sql() + " WHERE endpoint = ?" + (byDeployedModel ? " AND deployed_model_id = ?" : "")
                    + " LIMIT 1";
            return !query(sql, byDeployedModel ? List.of(spec.endpoint(), spec.deployedModelId().get()) : List.of(spec.endpoint())).isEmpty();
        }

        /** Up to 100 distinct values of a log column (of the endpoint's rows when {@code ofEndpoint}), for hints. */
        private List<String> distinct(String column, boolean ofEndpoint) {
            if (!logExists) {
                return List.of();
            }
            String sql = "SELECT DISTINCT " + Sql.quote(column) + " FROM " + spec.logTable().sql() + (ofEndpoint ? " WHERE endpoint = ?" : "")
                    + " ORDER BY 1 LIMIT 100";
            return query(sql, ofEndpoint ? List.of(spec.endpoint()) : List.of()).stream().map(row -> String.valueOf(row.get(0))).toList();
        }

        /** The model versions ({@code dataset.model@version}) whose predictions the range holds. */
        private List<String> servedModels() {
            if (!logExists) {
                return List.of();
            }
            String sql = "SELECT DISTINCT model || '@' || model_version FROM " + spec.logTable().sql() + " WHERE endpoint = ?"
                    + (spec.deployedModelId().isPresent() ? " AND deployed_model_id = ?" : "")
                    + " AND logging_time >= make_timestamp(?) AND logging_time < make_timestamp(?) ORDER BY 1";
            List<Object> parameters = new ArrayList<>(List.of(spec.endpoint()));
            spec.deployedModelId().ifPresent(parameters::add);
            parameters.add(windows.startMicros());
            parameters.add(windows.endMicros());
            return query(sql, parameters).stream().map(row -> String.valueOf(row.get(0))).toList();
        }

        /**
         * What the served models predict; all must agree. When nothing was served in the range, the model of the
         * endpoint's latest logged prediction, else its deployed models, give the metric columns.
         */
        private Optional<PredictionShape> shape(List<String> served) {
            PredictionShape shape = null;
            String first = null;
            for (String model : served) {
                PredictionShape next = PredictionShape.of(manifest(model));
                if (shape != null && !shape.equals(next)) {
                    throw new LatheException(ErrorCode.INVALID_ARGUMENT, "The predictions of " + spec.describe() + " in this range are of"
                            + " different kinds: " + first + " predicts " + shape.describe() + ", " + model + " predicts " + next.describe()
                            + "; evaluate one deployed model at a time (deployed model id)");
                }
                shape = next;
                first = first == null ? model : first;
            }
            if (shape != null) {
                return Optional.of(shape);
            }
            List<String> candidates = new ArrayList<>();
            if (logExists) {
                String sql = "SELECT model || '@' || model_version FROM " + spec.logTable().sql() + " WHERE endpoint = ?"
                        + (spec.deployedModelId().isPresent() ? " AND deployed_model_id = ?" : "") + " ORDER BY logging_time DESC LIMIT 1";
                List<Object> parameters = new ArrayList<>(List.of(spec.endpoint()));
                spec.deployedModelId().ifPresent(parameters::add);
                query(sql, parameters).forEach(row -> candidates.add(String.valueOf(row.get(0))));
            }
            endpoint.ifPresent(e -> e.deployedModels().stream().filter(d -> spec.deployedModelId().map(d.id()::equals).orElse(true))
                    .map(DeployedModel::reference).forEach(candidates::add));
            for (String candidate : candidates) {
                try {
                    return Optional.of(PredictionShape.of(manifest(candidate)));
                } catch (LatheException e) {
                    // A model that cannot be scored or no longer exists only leaves this range's columns unknown.
                }
            }
            return Optional.empty();
        }

        private ModelManifest manifest(String model) {
            int at = model.lastIndexOf('@');
            int dot = model.indexOf('.');
            if (at < 0 || dot < 0 || dot > at) {
                throw new LatheException(ErrorCode.INVALID_DATA, "The prediction log names model '" + model + "', which is not"
                        + " dataset.model@version");
            }
            try {
                return models.manifest(model.substring(0, dot), model.substring(dot + 1, at), Integer.parseInt(model.substring(at + 1)));
            } catch (NumberFormatException | LatheException e) {
                throw new LatheException(ErrorCode.MODEL_NOT_FOUND, "The prediction log holds predictions of " + spec.describe() + " by model "
                        + model + ", which cannot be read (" + e.getMessage() + "); without it they cannot be decoded. Evaluate a range"
                        + " without them or another deployed model", e);
            }
        }

        // ---- the ground truth ------------------------------------------------------------------------

        /** The ground truth as a DuckDB relation; a query is run once into a temporary table. */
        private String groundTruth() {
            return switch (spec.groundTruth()) {
                case GroundTruth.Table table -> {
                    requireTable(connection, table.name());
                    yield "SELECT * FROM " + table.name().sql();
                }
                case GroundTruth.Query query -> {
                    Statement.Query select = groundTruthQuery(query.sql());
                    String table = temporaryTable("truth");
                    Sql.execute(connection, "CREATE TEMP TABLE " + Sql.quote(table) + " AS " + select.sql());
                    yield Sql.selectAll(table);
                }
                case GroundTruth.Relation relation -> relation.duckDbSql();
            };
        }

        private LoggedInstances.TruthColumns truthColumns(String truth, PredictionShape shape) {
            Schema schema = Warehouse.describe(connection, truth);
            Field requestId = column(schema, spec.requestIdColumn(), "request id", "request_id_column or requestIdColumn");
            if (!(requestId.type() == DataType.STRING || requestId.type() == DataType.INT64)) {
                throw new LatheException(ErrorCode.INVALID_DATA, "The ground-truth request id column '" + requestId.name() + "' is "
                        + requestId.duckDbType() + "; request ids are strings (or integers)");
            }
            Field label;
            if (spec.labelColumn().isPresent()) {
                label = column(schema, spec.labelColumn().get(), "label", "label_column or labelColumn");
            } else {
                label = find(schema, shape.label()).or(() -> find(schema, QualitySpec.DEFAULT_LABEL_COLUMN)).orElseThrow(() -> new LatheException(
                        ErrorCode.COLUMN_NOT_FOUND, "The ground truth has no label column: neither '" + shape.label() + "' (the model's label)"
                                + " nor '" + QualitySpec.DEFAULT_LABEL_COLUMN + "' is among its columns, which are: "
                                + String.join(", ", schema.names()) + "; choose it with label_column (labelColumn in REST)"));
            }
            if (!shape.accepts(label.type())) {
                throw new LatheException(ErrorCode.INVALID_DATA, "The ground-truth label column '" + label.name() + "' is " + label.duckDbType()
                        + ", but the model predicts " + shape.describe() + "; labels must be " + shape.expectedType());
            }
            Optional<Field> index = spec.instanceIndexColumn().isPresent()
                    ? Optional.of(column(schema, spec.instanceIndexColumn().get(), "instance index", "instance_index_column or instanceIndexColumn"))
                    : find(schema, QualitySpec.DEFAULT_INSTANCE_INDEX_COLUMN);
            if (index.isPresent() && index.get().type() != DataType.INT64) {
                throw new LatheException(ErrorCode.INVALID_DATA, "The ground-truth instance index column '" + index.get().name() + "' is "
                        + index.get().duckDbType() + "; an instance index is a 0-based integer (INT64)");
            }
            return new LoggedInstances.TruthColumns(requestId.name(), label.name(), index.map(Field::name));
        }

        private static Optional<Field> find(Schema schema, String name) {
            return schema.indexOf(name).map(schema::field);
        }

        private Field column(Schema schema, String name, String role, String setting) {
            return find(schema, name).orElseThrow(() -> new LatheException(ErrorCode.COLUMN_NOT_FOUND, "The ground truth lacks the " + role
                    + " column '" + name + "'" + Suggestions.withChoices(name, schema.names(), "Its columns") + " (choose another with "
                    + setting + ")"));
        }

        /** Two labels for one instance would count it twice: refused, naming the first such key. */
        private void requireOneLabelPerInstance(String truth, LoggedInstances.TruthColumns columns) {
            String index = columns.instanceIndex().map(c -> "COALESCE(CAST(" + Sql.quote(c) + " AS BIGINT), 0)").orElse("0");
            String sql = "SELECT CAST(" + Sql.quote(columns.requestId()) + " AS VARCHAR), " + index + ", count(*) FROM (" + truth
                    + ") AS __truth WHERE " + Sql.quote(columns.label()) + " IS NOT NULL GROUP BY 1, 2 HAVING count(*) > 1 ORDER BY 1, 2 LIMIT 1";
            List<List<Object>> duplicate = query(sql, List.of());
            if (!duplicate.isEmpty()) {
                List<Object> row = duplicate.getFirst();
                throw new LatheException(ErrorCode.INVALID_DATA, "The ground truth has " + row.get(2) + " labels for request_id '" + row.get(0)
                        + "' instance_index " + row.get(1) + " (a missing index counts as 0); each predicted instance takes at most one label");
            }
        }

        // ---- the join --------------------------------------------------------------------------------

        private void createInstances(String table, PredictionShape shape, String truth, LoggedInstances.TruthColumns columns) {
            String sql = LoggedInstances.create(table, spec.logTable(), spec.deployedModelId().isPresent(), shape, truth, columns);
            List<Object> parameters = new ArrayList<>(List.of(windows.startMicros(), windows.sizeMicros(), spec.endpoint(),
                    windows.startMicros(), windows.endMicros()));
            spec.deployedModelId().ifPresent(parameters::add);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                statement.execute();
            } catch (SQLException e) {
                throw Sql.error(e, sql);
            }
        }

        /** counts[0..2][window]: instances logged, labelled, labelled without a decodable prediction. */
        private long[][] counts(String table) {
            long[][] counts = new long[3][windows.count()];
            for (List<Object> row : query(LoggedInstances.counts(table), List.of())) {
                int w = ((Number) row.get(0)).intValue();
                for (int i = 0; i < 3; i++) {
                    counts[i][w] = ((Number) row.get(i + 1)).longValue();
                }
            }
            return counts;
        }

        /** The metrics of each window with labelled predictions, streamed in window order. */
        private Map<Integer, Map<String, Double>> scores(String table, PredictionShape shape) {
            WindowScores scores = new WindowScores(shape, spec.threshold());
            try (BatchReader reader = BatchReader.open(connection, LoggedInstances.scored(table), LoggedInstances.scoredFields(shape),
                    BatchReader.DEFAULT_BATCH_SIZE)) {
                Optional<Batch> batch;
                while ((batch = reader.next()).isPresent()) {
                    scores.add(batch.get());
                }
            }
            return scores.finish();
        }

        private String temporaryTable(String purpose) {
            String name = "__lathe_quality_" + purpose + "_" + UUID.randomUUID().toString().replace("-", "");
            temporary.add(name);
            return name;
        }

        /** A small query's rows (hints, counts, checks), with bound parameters. */
        private List<List<Object>> query(String sql, List<Object> parameters) {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                bind(statement, parameters);
                List<List<Object>> rows = new ArrayList<>();
                try (ResultSet result = statement.executeQuery()) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        List<Object> row = new ArrayList<>(columns);
                        for (int c = 1; c <= columns; c++) {
                            row.add(result.getObject(c));
                        }
                        rows.add(row);
                    }
                }
                return rows;
            } catch (SQLException e) {
                throw Sql.error(e, sql);
            }
        }

        private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
            for (int i = 0; i < parameters.size(); i++) {
                statement.setObject(i + 1, parameters.get(i));
            }
        }
    }
}
