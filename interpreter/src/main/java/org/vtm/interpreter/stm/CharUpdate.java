package org.vtm.interpreter.stm;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One full training update of a {@link CharNetwork}, as {@link CharTrainer} performs it per segment: the loss (mean
 * cross-entropy in nats per character) and its gradients from the carried recurrent state, global-norm clipping and
 * Adam ({@link CharUpdater}). The parameters are updated in place; the optimiser's moments live in the update object.
 *
 * <p>This is the seam between the VTM side of {@code vtm bench stm} and of the PyTorch parity test and the
 * implementation of the update: {@link CharUpdater#factory}, on the layer engine or the SameDiff graph.
 */
public interface CharUpdate {

    /** One update on the segment {@code x}, {@code y} (one-hot {@code [B,T,V]}) from {@code state}. */
    Step apply(INDArray x, INDArray y, Map<String, INDArray> state);

    /** The live parameter arrays by {@link CharNetwork}'s names (the values after the last update). */
    Map<String, INDArray> parameters();

    /** The loss of the segment (before the update) and the recurrent state after it (by {@link CharNetwork#stateNames()}). */
    record Step(double loss, Map<String, INDArray> state) {
    }

    /**
     * The optimiser's settings.
     *
     * @param learningRate Adam's learning rate ({@code > 0})
     * @param clipNorm     gradients are scaled by {@code min(1, clipNorm / |g|)} ({@code > 0})
     */
    record Settings(double learningRate, double clipNorm) {
        public Settings {
            if (!(learningRate > 0) || !Double.isFinite(learningRate) || !(clipNorm > 0) || !Double.isFinite(clipNorm)) {
                throw new IllegalArgumentException("learning rate and clip norm must be positive and finite, got "
                        + learningRate + " and " + clipNorm);
            }
        }
    }

    /** Makes the update of a network (its current parameters are the start) for segments of the given shape. */
    @FunctionalInterface
    interface Factory {
        CharUpdate create(CharNetwork net, int batch, int steps, Settings settings);
    }
}
