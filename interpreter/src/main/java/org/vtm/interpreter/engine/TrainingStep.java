package org.vtm.interpreter.engine;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.TrainingDivergedException;

/**
 * One training step on the engine with the semantics of {@code Trainer.fit}: gradients, clipping of the
 * global gradient norm to {@code clipNorm} (when positive and exceeded: every gradient times
 * {@code clipNorm/‖g‖}), then Adam with the learning rate scaled by {@code lrScale}.
 */
public final class TrainingStep {
    private TrainingStep() {
    }

    /**
     * @return the batch loss before the step
     * @throws TrainingDivergedException if the loss or the global gradient norm is not finite (no parameter changes)
     */
    public static double fit(Network net, Adam adam, Map<String, INDArray> batch, double clipNorm, double lrScale) {
        double loss = net.forwardBackward(batch);
        double norm = net.parameterSet().flatGradients().norm2Number().doubleValue();
        TrainingDivergedException.check(adam.step() + 1, loss, norm * norm, ""); // before Adam touches anything
        clip(net.parameterSet(), clipNorm);
        adam.apply(lrScale);
        return loss;
    }

    /** Scales all gradients of {@code params} to global norm {@code clipNorm} if it is positive and exceeded. */
    public static void clip(ParameterSet params, double clipNorm) {
        if (clipNorm > 0) {
            INDArray g = params.flatGradients();
            double norm = g.norm2Number().doubleValue();
            if (norm > clipNorm) {
                Ops.scale(g, clipNorm / norm, g);
            }
        }
    }
}
