package dev.lathe.train.linear;

import dev.lathe.core.ErrorCode;
import dev.lathe.core.LatheException;
import dev.lathe.core.model.EncodingPolicy;
import dev.lathe.core.model.Estimator;
import dev.lathe.core.model.ModelFamily;
import dev.lathe.core.model.ModelTask;
import dev.lathe.core.model.TrainingListener;
import dev.lathe.core.model.TrainingSet;
import dev.lathe.core.options.ModelOptions;
import dev.lathe.core.options.OptionSpec;
import java.util.List;

/**
 * LOGISTIC_REG: binary (sigmoid, log loss) or multiclass (softmax, cross-entropy) logistic regression,
 * always by batch gradient descent. Class weights arrive as row weights in the training set.
 */
public final class LogisticRegressionFamily implements ModelFamily {
    public static final String MODEL_TYPE = "LOGISTIC_REG";
    /** BigQuery ML's limit on distinct labels for logistic regression. */
    public static final int MAX_CLASSES = 50;

    private final List<OptionSpec> options = GlmOptions.specs(true);

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    @Override
    public ModelTask task() {
        return ModelTask.CLASSIFICATION;
    }

    @Override
    public List<OptionSpec> options() {
        return options;
    }

    @Override
    public ModelOptions validate(ModelOptions options) {
        return GlmOptions.validate(options, MODEL_TYPE);
    }

    @Override
    public boolean trainsOnOneHotRows() {
        return true;
    }

    @Override
    public EncodingPolicy encoding(ModelOptions options) {
        // without an intercept the features are only scaled: centering them would put an intercept back on the raw scale
        return EncodingPolicy.linear(GlmOptions.encoding(options)).centering(options.getBool(GlmOptions.FIT_INTERCEPT));
    }

    @Override
    public Trained train(TrainingSet data, ModelOptions options, TrainingListener listener) {
        return fit(data, options, listener, null);
    }

    @Override
    public Trained warmStart(TrainingSet data, ModelOptions options, TrainingListener listener, Estimator previous) {
        return fit(data, options, listener, (GlmEstimator) previous);
    }

    private Trained fit(TrainingSet data, ModelOptions options, TrainingListener listener, GlmEstimator previous) {
        ModelOptions validated = validate(options);
        int classes = data.numClasses();
        if (classes < 2 || classes > MAX_CLASSES) {
            throw new LatheException(ErrorCode.INVALID_DATA, "LOGISTIC_REG needs between 2 and " + MAX_CLASSES
                    + " distinct label values in the training data, but found " + classes);
        }
        Link link = classes == 2 ? Link.LOGIT : Link.SOFTMAX;
        GlmEstimator estimator = new GlmTrainer(link, GlmSettings.from(validated)).gradientDescent(data, listener, previous);
        return new Trained(estimator, validated.with(GlmOptions.OPTIMIZE_STRATEGY, GlmOptions.BATCH_GRADIENT_DESCENT));
    }

    @Override
    public Estimator load(byte[] payload) {
        GlmEstimator estimator = GlmPayload.read(payload, MODEL_TYPE);
        if (estimator.link() == Link.IDENTITY) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT, "The stored payload is a LINEAR_REG model, not a LOGISTIC_REG model");
        }
        return estimator;
    }
}
