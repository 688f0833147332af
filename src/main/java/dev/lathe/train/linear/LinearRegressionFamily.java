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

/** LINEAR_REG: least squares by the normal equation or batch gradient descent (spec 1.3). */
public final class LinearRegressionFamily implements ModelFamily {
    /** The LGLM payload (estimator.bin) format version this build writes; it reads 1 to this one (LOGISTIC_REG too). */
    public static final int PAYLOAD_VERSION = GlmPayload.VERSION;
    public static final String MODEL_TYPE = "LINEAR_REG";

    private final List<OptionSpec> options = GlmOptions.specs(false);

    @Override
    public String modelType() {
        return MODEL_TYPE;
    }

    @Override
    public ModelTask task() {
        return ModelTask.REGRESSION;
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
        ModelOptions validated = validate(options);
        String strategy = GlmOptions.chooseStrategy(validated, data.train().cols(), data.train().rows());
        GlmTrainer trainer = new GlmTrainer(Link.IDENTITY, GlmSettings.from(validated));
        GlmEstimator estimator = strategy.equals(GlmOptions.NORMAL_EQUATION)
                ? trainer.normalEquation(data, listener)
                : trainer.gradientDescent(data, listener);
        return new Trained(estimator, validated.with(GlmOptions.OPTIMIZE_STRATEGY, strategy));
    }

    /** Batch gradient descent from the previous weights (AUTO_STRATEGY picks it for a warm start; NORMAL_EQUATION is refused). */
    @Override
    public Trained warmStart(TrainingSet data, ModelOptions options, TrainingListener listener, Estimator previous) {
        ModelOptions validated = validate(options);
        GlmEstimator estimator = new GlmTrainer(Link.IDENTITY, GlmSettings.from(validated)).gradientDescent(data, listener,
                (GlmEstimator) previous);
        return new Trained(estimator, validated.with(GlmOptions.OPTIMIZE_STRATEGY, GlmOptions.BATCH_GRADIENT_DESCENT));
    }

    @Override
    public Estimator load(byte[] payload) {
        GlmEstimator estimator = GlmPayload.read(payload, MODEL_TYPE);
        if (estimator.link() != Link.IDENTITY) {
            throw new LatheException(ErrorCode.INCOMPATIBLE_FORMAT,
                    "The stored payload is a " + estimator.link() + " (logistic) model, not a LINEAR_REG model");
        }
        return estimator;
    }
}
