package dev.lathe.engine;

import dev.lathe.core.Column;
import dev.lathe.core.ErrorCode;
import dev.lathe.core.Field;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.features.ClassLabels;
import dev.lathe.features.FeaturePipeline;
import dev.lathe.registry.ModelManifest;
import dev.lathe.registry.Registry;
import dev.lathe.sql.FittedTransform;
import dev.lathe.sql.Parser;
import dev.lathe.sql.SelectItem;
import dev.lathe.sql.Statement;
import dev.lathe.train.CommonOptions;
import dev.lathe.train.ModelFamilies;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * WARM_START (spec 1.1): a new version trained from the current default version's parameters. MODEL_TYPE, the label
 * and the training schema must stay as they were; options the previous version set explicitly carry over unless this
 * statement sets them; the previous version's fitted preprocessing is reused, so the parameters keep their meaning
 * (a category first seen in the new data encodes as unseen, as ML.PREDICT would encode it); ML.TRAINING_INFO keeps
 * the earlier runs, and this run's iterations get the next {@code training_run}, restarting at iteration 0.
 */
final class WarmStart {
    private final ModelFamily family;
    private final LoadedModel previous;

    private WarmStart(ModelFamily family, LoadedModel previous) {
        this.family = family;
        this.previous = previous;
    }

    /** The warm start WARM_START = TRUE asks for, or empty; fails clearly when there is nothing to start from. */
    static Optional<WarmStart> of(ModelFamily family, ModelOptions options, Registry registry, ModelFamilies families,
            dev.lathe.sql.TransformCheck check, String dataset, String name) {
        if (!options.has(CommonOptions.WARM_START) || !options.getBool(CommonOptions.WARM_START)) {
            return Optional.empty();
        }
        if (!registry.exists(dataset, name)) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "warm_start = TRUE retrains an existing model from its weights, but model "
                    + dataset + "." + name + " does not exist; create it first without warm_start");
        }
        int version = registry.resolve(dataset, name, Optional.empty());
        LoadedModel previous = LoadedModel.load(registry.modelStore(), families, check, dataset, name, version);
        String was = previous.manifest().modelType();
        if (!was.equals(family.modelType())) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "warm_start = TRUE needs the same model_type as the model it starts from: "
                    + dataset + "." + name + " version " + version + " is " + was + ", not " + family.modelType()
                    + "; retrain without warm_start to change the model type");
        }
        return Optional.of(new WarmStart(family, previous));
    }

    /**
     * Row-weighting options that exclude one another: a statement that sets one of them chooses the weighting afresh, so
     * the previous version's other choice is not carried over beside it (it would be refused as a combination the
     * statement never wrote).
     */
    private static final List<String> WEIGHTING_OPTIONS = List.of(CommonOptions.CLASS_WEIGHTS, CommonOptions.AUTO_CLASS_WEIGHTS,
            CommonOptions.INSTANCE_WEIGHT_COL);

    /**
     * {@code options} plus every option the previous version set explicitly and this statement does not, options without
     * a default (class_weights, data_split_col, kmeans_init_col, instance_weight_col) included.
     */
    ModelOptions carryOver(ModelOptions options) {
        ModelOptions merged = options;
        ModelManifest manifest = previous.manifest();
        boolean weightingRestated = WEIGHTING_OPTIONS.stream().anyMatch(options::isExplicit);
        for (String name : manifest.explicitOptions()) {
            Object value = manifest.options().get(name);
            boolean accepted = family.options().stream().anyMatch(spec -> spec.name().equalsIgnoreCase(name));
            boolean replaced = weightingRestated && WEIGHTING_OPTIONS.contains(name);
            // the aliases name the version that statement created; carried over they would move to this one
            boolean versionAliases = name.equals(Registry.CREATION_ALIASES_OPTION);
            if (!options.isExplicit(name) && accepted && !replaced && !versionAliases && value != null) {
                merged = merged.withExplicit(name, value);
            }
        }
        return merged;
    }

    /** Options a warm start cannot change: they shaped the reused preprocessing or the parameters' meaning. */
    private static final List<String> FIXED_OPTIONS = List.of("category_encoding_method", "fit_intercept", "standardize_features");

    /**
     * Fails, naming the option, where {@code options} (already carried over) changes one of {@link #FIXED_OPTIONS}: the
     * previous version's preprocessing is reused as it was, so the new value would be recorded but not applied.
     */
    void requireFixedOptions(ModelOptions options) {
        ModelManifest manifest = previous.manifest();
        for (String name : FIXED_OPTIONS) {
            Object before = manifest.options() == null ? null : manifest.options().get(name);
            if (before != null && options.has(name) && !String.valueOf(before).equalsIgnoreCase(String.valueOf(options.get(name).orElse(null)))) {
                throw new LatheException(ErrorCode.INVALID_OPTION, "warm_start = TRUE keeps " + manifest.dataset() + "." + manifest.name()
                        + " version " + manifest.version() + "'s " + name + " = " + before + ", not " + options.get(name).orElse(null)
                        + ": it shaped the preprocessing and parameters the warm start reuses; retrain without warm_start to change it");
            }
        }
    }

    /** The label and the (post-TRANSFORM) feature columns must be those of the previous version, by name and type. */
    void requireSameSchema(Optional<Field> label, List<Field> features) {
        ModelManifest manifest = previous.manifest();
        String where = " (warm_start = TRUE needs the training schema of " + manifest.dataset() + "." + manifest.name() + " version "
                + manifest.version() + "; retrain without warm_start to change it)";
        Optional<String> before = Optional.ofNullable(manifest.label()).map(ModelManifest.Column::name);
        if (!before.map(b -> b.toLowerCase(Locale.ROOT)).equals(label.map(f -> f.name().toLowerCase(Locale.ROOT)))) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "The label column is " + label.map(Field::name).orElse("(none)")
                    + " but was " + before.orElse("(none)") + where);
        }
        List<String> differences = new ArrayList<>();
        List<ModelManifest.Column> was = manifest.featureColumns();
        for (ModelManifest.Column column : was) {
            Optional<Field> now = features.stream().filter(f -> f.name().equalsIgnoreCase(column.name())).findFirst();
            if (now.isEmpty()) {
                differences.add("column " + column.name() + " is missing");
            } else if (!now.get().type().name().equals(column.type())) {
                differences.add("column " + column.name() + " is " + now.get().type().bigQueryName() + ", was " + column.type());
            }
        }
        for (Field field : features) {
            if (was.stream().noneMatch(c -> c.name().equalsIgnoreCase(field.name()))) {
                differences.add("column " + field.name() + " is new");
            }
        }
        if (!differences.isEmpty()) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "The training columns differ from the model's: " + String.join("; ", differences)
                    + where);
        }
    }

    /**
     * The previous version's fitted TRANSFORM, reused with the statistics it was fitted with (its scalers' means, its
     * vocabularies, its bucket boundaries), as its automatic preprocessing is: fitted again on the new rows they would
     * move, and the parameters, laid out by them, would apply to other values (a vocabulary refitted without one category
     * gave each remaining category the next one's weight). Empty when neither version has a TRANSFORM clause. The
     * statement's TRANSFORM must be the previous one, item for item (whitespace aside), else this fails naming both.
     */
    Optional<FittedTransform> transform(Optional<List<SelectItem>> now) {
        ModelManifest manifest = previous.manifest();
        Optional<List<SelectItem>> before = previousTransformClause();
        if (!before.map(WarmStart::signature).equals(now.map(WarmStart::signature))) {
            throw new LatheException(ErrorCode.INVALID_OPTION, "warm_start = TRUE reuses the TRANSFORM of " + manifest.dataset() + "."
                    + manifest.name() + " version " + manifest.version() + " with the statistics it was fitted with, so the TRANSFORM"
                    + " clause must be the same; it was " + before.map(WarmStart::describe).orElse("(none)") + ", this statement has "
                    + now.map(WarmStart::describe).orElse("(none)") + "; give the same TRANSFORM, or retrain without warm_start");
        }
        return before.isPresent() ? previous.transform() : Optional.empty();
    }

    private Optional<List<SelectItem>> previousTransformClause() {
        ModelManifest manifest = previous.manifest();
        if (!manifest.hasTransform()) {
            return Optional.empty();
        }
        try {
            if (new Parser().parse(manifest.statementSql()) instanceof Statement.CreateModel create) {
                return create.transform();
            }
        } catch (RuntimeException e) {
            // below: a version whose statement no longer parses cannot show its TRANSFORM
        }
        throw new LatheException(ErrorCode.INVALID_OPTION, "warm_start = TRUE cannot reuse the TRANSFORM of " + manifest.dataset() + "."
                + manifest.name() + " version " + manifest.version() + ": its statement could not be read back; retrain without warm_start");
    }

    /** The items as written, positions and runs of white space aside. */
    private static List<String> signature(List<SelectItem> items) {
        return items.stream().map(WarmStart::itemText).toList();
    }

    private static String describe(List<SelectItem> items) {
        return "TRANSFORM(" + String.join(", ", signature(items)) + ")";
    }

    private static String itemText(SelectItem item) {
        return switch (item) {
            case SelectItem.Star star -> "*" + (star.except().isEmpty() ? "" : " EXCEPT (" + String.join(", ", star.except()) + ")")
                    + (star.replace().isEmpty() ? "" : " REPLACE (" + String.join(", ", star.replace().stream().map(WarmStart::itemText)
                            .toList()) + ")");
            case SelectItem.Expression expression -> expression.sql().strip().replaceAll("\\s+", " ")
                    + expression.alias().map(a -> " AS " + a).orElse("");
        };
    }

    /** The previous version's fitted preprocessing, reused so the previous parameters apply unchanged. */
    FeaturePipeline pipeline() {
        return previous.pipeline();
    }

    dev.lathe.core.model.Estimator estimator() {
        return previous.estimator();
    }

    /** The previous classes, in their order (the parameters are laid out by them). */
    List<String> classLabels() {
        return previous.manifest().classLabels();
    }

    /** Class indices of {@code label} in the previous classes; a value the previous version never saw fails, naming it. */
    int[] classIndices(Column label, String labelName) {
        List<String> classes = classLabels();
        int[] indices = new ClassLabels(labelName, classes, new int[0]).indexOf(label);
        for (int row = 0; row < indices.length; row++) {
            if (indices[row] < 0 && !label.isNull(row)) {
                String value = label instanceof dev.lathe.core.StringColumn s ? s.get(row)
                        : label instanceof dev.lathe.core.DoubleColumn d ? Double.toString(d.get(row)) : "?";
                throw new LatheException(ErrorCode.INVALID_DATA, "Label value '" + value + "' of " + labelName + " is not one of the"
                        + " classes of " + previous.manifest().dataset() + "." + previous.manifest().name() + " " + classes
                        + "; warm_start = TRUE keeps the classes; retrain without warm_start to add one");
            }
        }
        return indices;
    }

    /** ML.TRAINING_INFO of the earlier runs, then this run's iterations as the next training_run. */
    List<ModelManifest.Iteration> history(List<ModelManifest.Iteration> thisRun) {
        List<ModelManifest.Iteration> earlier = previous.manifest().trainingInfo();
        int run = earlier.stream().mapToInt(ModelManifest.Iteration::trainingRun).max().orElse(-1) + 1;
        List<ModelManifest.Iteration> all = new ArrayList<>(earlier);
        for (ModelManifest.Iteration i : thisRun) {
            all.add(new ModelManifest.Iteration(run, i.iteration(), i.loss(), i.evalLoss(), i.learningRate(), i.durationMs(), i.clusterInfo()));
        }
        return all;
    }
}
