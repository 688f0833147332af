package dev.lathe.engine;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.Schema;
import dev.lathe.core.options.OptionValue;
import dev.lathe.profile.ColumnProfile;
import dev.lathe.profile.Comparison;
import dev.lathe.profile.DataProfile;
import dev.lathe.registry.ModelManifest;
import dev.lathe.sql.Parser;
import dev.lathe.sql.Statement;
import dev.lathe.sql.TableFunctionCall;
import dev.lathe.warehouse.Sql;
import dev.lathe.warehouse.Warehouse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/**
 * The data-monitoring table functions: ML.DESCRIBE_DATA over any relation, ML.VALIDATE_DATA_SKEW (the model's
 * stored training profile vs new data) and ML.VALIDATE_DATA_DRIFT (one relation vs another). All compute
 * {@link DataProfile}s by streaming the relation, so tables larger than memory are fine; a TABLE argument is read in
 * place, a query argument computed once into a temporary table.
 */
final class DataFunctions {
    private static final Pattern TABLE_ARGUMENT = Pattern.compile("(?is)TABLE\\s+(.+)");

    private final DuckDBConnection connection;
    private final Function<TableFunctionCall, LoadedModel> models;
    private final QueryPreparer preparer;
    private final Parser parser;

    DataFunctions(DuckDBConnection connection, Function<TableFunctionCall, LoadedModel> models, QueryPreparer preparer, Parser parser) {
        this.connection = connection;
        this.models = models;
        this.preparer = preparer;
        this.parser = parser;
    }

    // ---- ML.DESCRIBE_DATA ------------------------------------------------------------------------

    String describe(TableFunctionCall call, Scope scope) {
        rejectExtra(call, 0);
        int quantiles = integer(call, "num_quantiles", 2, 1, 1000);
        int topK = integer(call, "top_k", 1, 1, 1000);
        DataProfile profile = profile(firstRelation(call, scope));
        List<ResultTable.ColumnSpec> columns = List.of(
                new ResultTable.ColumnSpec("name", "VARCHAR"),
                new ResultTable.ColumnSpec("num_rows", "BIGINT"),
                new ResultTable.ColumnSpec("num_nulls", "BIGINT"),
                new ResultTable.ColumnSpec("num_zeros", "BIGINT"),
                new ResultTable.ColumnSpec("min", "DOUBLE"),
                new ResultTable.ColumnSpec("max", "DOUBLE"),
                new ResultTable.ColumnSpec("mean", "DOUBLE"),
                new ResultTable.ColumnSpec("stddev", "DOUBLE"),
                new ResultTable.ColumnSpec("median", "DOUBLE"),
                new ResultTable.ColumnSpec("quantiles", "DOUBLE[]"),
                new ResultTable.ColumnSpec("unique", "BIGINT"),
                new ResultTable.ColumnSpec("avg_string_length", "DOUBLE"),
                new ResultTable.ColumnSpec("num_values", "BIGINT"),
                new ResultTable.ColumnSpec("top_values", "STRUCT(value VARCHAR, count BIGINT)[]"));
        List<List<Object>> rows = new ArrayList<>();
        for (ColumnProfile c : profile.columns()) {
            boolean numeric = c.kind() == ColumnProfile.Kind.NUMERIC;
            List<Object> row = new ArrayList<>();
            row.add(c.name());
            row.add(c.rows());
            row.add(c.nulls());
            row.add(numeric ? c.zeros() : null);
            row.add(boxed(c.min()));
            row.add(boxed(c.max()));
            row.add(boxed(c.mean()));
            row.add(boxed(c.stddev()));
            row.add(boxed(c.quantile(0.5)));
            row.add(numeric && c.values() > 0 ? c.quantiles(quantiles) : null);
            row.add(c.distinctCount());
            row.add(boxed(c.averageLength()));
            row.add(c.values());
            if (numeric) {
                row.add(null);
            } else {
                List<Object> top = new ArrayList<>();
                for (Map.Entry<String, Long> e : c.topValues(topK)) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("value", e.getKey());
                    entry.put("count", e.getValue());
                    top.add(entry);
                }
                row.add(top);
            }
            rows.add(row);
        }
        return table(scope, "describe_data", columns, rows);
    }

    // ---- ML.VALIDATE_DATA_SKEW, ML.VALIDATE_DATA_DRIFT -------------------------------------------

    String skew(TableFunctionCall call, Scope scope) {
        rejectExtra(call, 0);
        LoadedModel model = models.apply(call);
        DataProfile training = model.requireTrainingProfile("ML.VALIDATE_DATA_SKEW at " + call.position());
        DataProfile serving = profile(firstRelation(call, scope));
        List<String> features = features(model).stream().filter(f -> training.column(f).isPresent()).toList();
        return results(scope, "validate_data_skew", Comparison.compare(training, "the training data of model " + model.displayName()
                + " version " + model.manifest().version(), serving, "the input of ML.VALIDATE_DATA_SKEW", features,
                settings(call, 20)));
    }

    String drift(TableFunctionCall call, Scope scope) {
        if (call.extraArguments().isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML.VALIDATE_DATA_DRIFT at " + call.position() + " needs two relations: "
                    + "ML.VALIDATE_DATA_DRIFT(TABLE base, TABLE study) or ((SELECT ...), (SELECT ...))");
        }
        rejectExtra(call, 1);
        DataProfile base = profile(firstRelation(call, scope));
        DataProfile study = profile(relation(call.extraArguments().get(0), call, scope));
        List<String> features = call.model().isEmpty() ? List.of() : features(models.apply(call));
        int buckets = integer(call, "num_quantiles_histogram_buckets", Comparison.Settings.DEFAULT_BUCKETS, 2, 1000);
        return results(scope, "validate_data_drift", Comparison.compare(base, "the base data (first argument)", study,
                "the study data (second argument)", features, settings(call, buckets)));
    }

    private static List<String> features(LoadedModel model) {
        return model.rawFeatures().stream().map(ModelManifest.Column::name).toList();
    }

    private String results(Scope scope, String purpose, List<Comparison.FeatureResult> results) {
        List<ResultTable.ColumnSpec> columns = List.of(
                new ResultTable.ColumnSpec("input", "VARCHAR"),
                new ResultTable.ColumnSpec("metric", "VARCHAR"),
                new ResultTable.ColumnSpec("threshold", "DOUBLE"),
                new ResultTable.ColumnSpec("value", "DOUBLE"),
                new ResultTable.ColumnSpec("is_anomaly", "BOOLEAN"),
                new ResultTable.ColumnSpec("data_status", "VARCHAR"));
        List<List<Object>> rows = new ArrayList<>();
        for (Comparison.FeatureResult r : results) {
            List<Object> row = new ArrayList<>();
            row.add(r.input());
            row.add(r.metric().name());
            row.add(r.threshold());
            row.add(boxed(r.value()));
            row.add(r.isAnomaly().orElse(null));
            row.add(r.status().name());
            rows.add(row);
        }
        return table(scope, purpose, columns, rows);
    }

    private static Comparison.Settings settings(TableFunctionCall call, int buckets) {
        double categorical = number(call, "categorical_default_threshold").orElse(Comparison.Settings.DEFAULT_THRESHOLD);
        double numerical = number(call, "numerical_default_threshold").orElse(Comparison.Settings.DEFAULT_THRESHOLD);
        Comparison.Metric categoricalMetric = metric(call, "categorical_metric_type").orElse(Comparison.Metric.L_INFTY);
        Comparison.Metric numericalMetric = metric(call, "numerical_metric_type").orElse(Comparison.Metric.JENSEN_SHANNON_DIVERGENCE);
        Map<String, Double> thresholds = new LinkedHashMap<>();
        Optional<OptionValue> list = setting(call, "thresholds");
        if (list.isPresent()) {
            if (!(list.get() instanceof OptionValue.ArrayValue array)) {
                throw thresholdsError(list.get());
            }
            for (OptionValue element : array.elements()) {
                if (!(element instanceof OptionValue.StructValue pair) || pair.fields().size() != 2
                        || !(pair.fields().get(0) instanceof OptionValue.StringValue name)
                        || !(pair.fields().get(1) instanceof OptionValue.NumberValue value)) {
                    throw thresholdsError(element);
                }
                thresholds.put(name.value(), value.value().doubleValue());
            }
        }
        return new Comparison.Settings(categorical, categoricalMetric, numerical, numericalMetric, thresholds, buckets);
    }

    private static LatheException thresholdsError(OptionValue value) {
        return new LatheException(ErrorCode.INVALID_ARGUMENT, "thresholds at " + value.position() + " must be an array of "
                + "STRUCT('feature', threshold) pairs, e.g. [STRUCT('body_mass_g', 0.2)], got " + value.describe());
    }

    private static Optional<Comparison.Metric> metric(TableFunctionCall call, String name) {
        return setting(call, name).map(v -> {
            if (v instanceof OptionValue.StringValue s) {
                for (Comparison.Metric m : Comparison.Metric.values()) {
                    if (m.name().equalsIgnoreCase(s.value())) {
                        return m;
                    }
                }
            }
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, name + " at " + v.position() + " is " + v.describe()
                    + "; accepted: 'L_INFTY', 'JENSEN_SHANNON_DIVERGENCE'");
        });
    }

    // ---- relations -------------------------------------------------------------------------------

    /** Profiles a relation given as query text: a table read in place, or a query argument's temporary table. */
    private DataProfile profile(String relationSql) {
        Schema schema = Warehouse.describe(connection, relationSql);
        return DataProfile.of(connection, relationSql, schema);
    }

    private String firstRelation(TableFunctionCall call, Scope scope) {
        if (call.inputTable().isPresent()) {
            return Names.tableArgument(call.inputTable().get(), scope);
        }
        if (call.inputQuery().isPresent()) {
            return materialize(prepare(call.inputQuery().get(), call, call.inputQueryPosition(), scope), scope);
        }
        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML." + call.function() + " at " + call.position()
                + " needs input data: TABLE d.t or (SELECT ...)");
    }

    /** A further relation argument, which the parser leaves as text: {@code TABLE d.t} or {@code (SELECT ...)}. */
    private String relation(String text, TableFunctionCall call, Scope scope) {
        String trimmed = text.strip();
        Matcher table = TABLE_ARGUMENT.matcher(trimmed);
        if (table.matches()) {
            return prepare("SELECT * FROM " + table.group(1), call, call.position(), scope);
        }
        if (trimmed.startsWith("(") && trimmed.endsWith(")")) {
            return materialize(prepare(trimmed.substring(1, trimmed.length() - 1), call, call.position(), scope), scope);
        }
        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "Argument '" + trimmed + "' of ML." + call.function() + " at "
                + call.position() + " must be TABLE d.t or (SELECT ...)");
    }

    private String prepare(String sql, TableFunctionCall call, dev.lathe.core.options.Position position, Scope scope) {
        Statement statement = parser.parse(sql, position);
        if (!(statement instanceof Statement.Query query)) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "A relation argument of ML." + call.function() + " at " + position
                    + " must be a query (SELECT ...)");
        }
        return preparer.prepare(query, scope);
    }

    /**
     * A query argument's rows, computed once into a temporary table: profiling reads a relation twice (categories counted
     * in the warehouse, numbers streamed), and a query such as {@code SELECT ... LIMIT 100} may give other rows each time.
     */
    private String materialize(String query, Scope scope) {
        String table = scope.table("data");
        Sql.execute(connection, "CREATE TEMP TABLE " + Sql.quote(table) + " AS " + query);
        return Sql.selectAll(table);
    }

    private static void rejectExtra(TableFunctionCall call, int allowed) {
        if (call.extraArguments().size() > allowed) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "ML." + call.function() + " at " + call.position()
                    + " got an unexpected argument '" + call.extraArguments().get(allowed) + "'");
        }
    }

    private String table(Scope scope, String purpose, List<ResultTable.ColumnSpec> columns, List<List<Object>> rows) {
        String table = scope.table(purpose);
        ResultTable.create(connection, table, columns, rows);
        return Sql.quote(table);
    }

    // ---- settings --------------------------------------------------------------------------------

    private static Optional<OptionValue> setting(TableFunctionCall call, String name) {
        if (call.settings().isEmpty()) {
            return Optional.empty();
        }
        OptionValue.StructValue settings = call.settings().get();
        for (int i = 0; i < settings.fields().size(); i++) {
            Optional<String> fieldName = settings.names().get(i);
            if (fieldName.isPresent() && fieldName.get().equalsIgnoreCase(name)) {
                return Optional.of(settings.fields().get(i));
            }
        }
        return Optional.empty();
    }

    private static Optional<Double> number(TableFunctionCall call, String name) {
        return setting(call, name).map(v -> {
            if (v instanceof OptionValue.NumberValue n) {
                return n.value().doubleValue();
            }
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' at " + v.position() + " must be a number, got "
                    + v.describe());
        });
    }

    private static int integer(TableFunctionCall call, String name, int fallback, int low, int high) {
        Optional<OptionValue> value = setting(call, name);
        if (value.isEmpty()) {
            return fallback;
        }
        if (value.get() instanceof OptionValue.NumberValue n && n.integral() && n.value().doubleValue() >= low
                && n.value().doubleValue() <= high) {
            return n.value().intValue();
        }
        throw new LatheException(ErrorCode.INVALID_ARGUMENT, "'" + name + "' at " + value.get().position() + " must be an integer in ["
                + low + ", " + high + "], got " + value.get().describe());
    }

    private static Double boxed(java.util.OptionalDouble value) {
        return value.isPresent() ? value.getAsDouble() : null;
    }
}
