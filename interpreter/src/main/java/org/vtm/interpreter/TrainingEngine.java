package org.vtm.interpreter;

import java.util.Map;
import java.util.ServiceLoader;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What {@link Trainer} trains with ({@link TrainerConfig.Engine}): a model's parameters with their Adam state,
 * one training step and the loss of a batch. Every engine exchanges its state under the same names and
 * shapes — parameters and {@code T0} as {@link InterpreterModel#state}, Adam state as
 * {@code org.vtm.interpreter.train.AdamState#export} — so model files and checkpoints do not depend on
 * the engine that wrote them.
 *
 * <p>The SameDiff engine is the Trainer's own; the others are found through {@link ServiceLoader}
 * ({@link Provider}), because they live in packages that depend on this one (the layer engine,
 * {@code org.vtm.interpreter.engine}, uses {@link InterpreterModel}'s names and {@link ModelConfig}).
 */
public interface TrainingEngine {
    /**
     * One step on a batch of {@code ModelInputs.training}: gradients, clipping of their global norm to
     * {@code clipNorm} (when positive and exceeded), Adam with the learning rate scaled by {@code lrScale}.
     *
     * @return the batch loss before the step
     */
    double fit(Map<String, INDArray> batch, double clipNorm, double lrScale);

    /** The batch loss (forward only). */
    double loss(Map<String, INDArray> batch);

    /**
     * Sets the floor ε of the log loss (training and validation losses; not the coefficients). The default, for
     * engines whose loss is fixed, accepts only {@link InterpreterModel#LOG_EPS}.
     *
     * @throws IllegalArgumentException naming {@code --loss-eps} when this engine cannot use {@code eps}
     */
    default void lossEpsilon(double eps) {
        if (eps != InterpreterModel.LOG_EPS) {
            throw new IllegalArgumentException("--loss-eps other than " + InterpreterModel.LOG_EPS + " needs --engine layers");
        }
    }

    /**
     * The coefficients {@code c} [B·T, d, M] for the inputs of {@code ModelInputs.inputs} ({@code x}, {@code a} and,
     * for NEXT_ORDER, {@code next}): the model's prediction, forward only. The array may be a buffer of the engine,
     * valid until its next call.
     */
    INDArray coefficients(Map<String, INDArray> inputs);

    /** Adam steps taken so far. */
    long adamStep();

    /** Parameters and {@code T0} as {@link InterpreterModel#state} names and shapes them (for model files). */
    Map<String, INDArray> state();

    /** The Adam state under {@code AdamState}'s names. */
    Map<String, INDArray> adamState();

    /**
     * Copies saved parameters and {@code T0} in.
     *
     * @throws IllegalArgumentException naming the first missing or mis-shaped array
     */
    void restoreParameters(Map<String, INDArray> saved);

    /** Restores an Adam state saved under {@code AdamState}'s names. */
    void restoreAdam(Map<String, INDArray> saved);

    /** Makes the engines other than SameDiff (registered in {@code META-INF/services}). */
    interface Provider {
        /** The engine this provider makes. */
        TrainerConfig.Engine engine();

        /**
         * A new engine for {@code model}, initialised exactly as {@link InterpreterModel#newGraph} initialises the
         * graph for the same arguments (then rounded to {@code dtype}), with a fresh Adam state of
         * {@code learningRate}, computing in {@code dtype}.
         */
        TrainingEngine create(ModelConfig model, double[] tfx, double[][] samplePoints, long seed, double learningRate,
                TrainerConfig.Precision dtype);
    }

    /**
     * The registered provider of {@code engine}.
     *
     * @throws IllegalStateException if none is on the class path (a packaging error, not a user mistake)
     */
    static Provider provider(TrainerConfig.Engine engine) {
        for (Provider p : ServiceLoader.load(Provider.class, TrainingEngine.class.getClassLoader())) {
            if (p.engine() == engine) {
                return p;
            }
        }
        throw new IllegalStateException("no training engine " + engine + " on the class path (META-INF/services/"
                + Provider.class.getName() + " is missing from the build)");
    }
}
