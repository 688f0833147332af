package dev.lathe.engine;

import dev.lathe.core.DataType;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.features.FeaturePipeline;
import dev.lathe.imported.ImportedColumn;
import dev.lathe.imported.ImportedFamily;
import dev.lathe.imported.ImportedSignature;
import dev.lathe.registry.EvaluationData;
import dev.lathe.registry.ModelFiles;
import dev.lathe.registry.ModelManifest;
import dev.lathe.registry.Registry;
import dev.lathe.sql.ColumnDefinition;
import dev.lathe.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * CREATE MODEL for imported models (model_type ONNX, XGBOOST): no training query; the model file is
 * read, validated against INPUT/OUTPUT, and copied into a new version with an identity feature
 * pipeline, so prediction runs the shared path. Nothing is stored unless every check passes.
 */
final class ModelImporter {
    private final Registry registry;

    ModelImporter(Registry registry) {
        this.registry = registry;
    }

    String create(Statement.CreateModel statement, ImportedFamily family, String dataset, Instant startTime) {
        String model = dataset + "." + statement.name().name();
        String type = family.modelType();
        if (statement.query().isPresent()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "CREATE MODEL " + model + " with model_type " + type
                    + " imports a model file and takes no AS query; remove the AS clause (model_path names the file)");
        }
        if (statement.transform().isPresent()) {
            throw new LatheException(ErrorCode.INVALID_ARGUMENT, "CREATE MODEL " + model + " with model_type " + type
                    + " takes no TRANSFORM clause; imported models read their input columns as they are");
        }
        ModelOptions options = family.validate(ModelOptions.resolve(statement.options(), family.options(), type));
        String path = options.optionalString(ImportedFamily.MODEL_PATH).orElseThrow(() -> new LatheException(
                ErrorCode.INVALID_OPTION, "CREATE MODEL " + model + " with model_type " + type + " needs OPTIONS(model_path = '...'),"
                        + " the path of the model file to import"));
        ImportedFamily.Imported imported = family.importFile(path, columns(statement.inputColumns(), "INPUT"),
                columns(statement.outputColumns(), "OUTPUT"));
        ImportedSignature signature = imported.estimator().signature();

        // Every input is read as DOUBLE (NULL as NaN); the model converts to its tensor types.
        List<Field> fields = new ArrayList<>();
        for (ImportedColumn input : signature.inputs()) {
            fields.add(Field.of(input.name(), DataType.FLOAT64));
        }
        FeaturePipeline pipeline = FeaturePipeline.identity(fields);
        int version = registry.nextVersion(dataset, statement.name().name());
        Map<String, Object> effective = new LinkedHashMap<>(options.values());
        ModelManifest manifest = new ModelManifest(
                ModelManifest.FORMAT_VERSION,
                dataset.toLowerCase(Locale.ROOT),
                statement.name().name(),
                version,
                type,
                family.task().name(),
                manifestColumns(signature.inputs()),
                manifestColumns(signature.inputs()),
                null,
                List.of(),
                effective,
                List.copyOf(options.explicit()),
                false,
                "",
                statement.text(),
                new ModelManifest.Fingerprint(0, 0, 0, "sha256:" + imported.sha256()),
                Map.of(),
                List.of(),
                new ModelManifest.Timings(startTime.toString(), Instant.now().toString(), 0, 0, 0, 0),
                Version.current(),
                new ModelManifest.ImportedFile(path, imported.sha256(), imported.sizeBytes(), manifestColumns(signature.outputs())));
        registry.save(new ModelFiles(manifest, pipeline.toJson(), java.util.Optional.empty(), imported.payload(),
                new EvaluationData(0, new double[0], new double[0])));
        return String.format(Locale.ROOT, "Created model %s (version %d): imported %s from %s (%d bytes); inputs: %s; outputs: %s",
                model, version, type, path, imported.sizeBytes(), names(signature.inputs()), names(signature.outputs()));
    }

    private static List<ImportedColumn> columns(List<ColumnDefinition> definitions, String clause) {
        List<ImportedColumn> columns = new ArrayList<>();
        for (ColumnDefinition definition : definitions) {
            try {
                columns.add(new ImportedColumn(definition.name(), definition.type()));
            } catch (LatheException e) {
                throw new LatheException(e.code(), clause + " at " + definition.position() + ": " + e.getMessage(), e);
            }
        }
        return columns;
    }

    private static List<ModelManifest.Column> manifestColumns(List<ImportedColumn> columns) {
        return columns.stream().map(c -> new ModelManifest.Column(c.name(), c.type(), c.duckDbType())).toList();
    }

    private static String names(List<ImportedColumn> columns) {
        return String.join(", ", columns.stream().map(ImportedColumn::toString).toList());
    }
}
