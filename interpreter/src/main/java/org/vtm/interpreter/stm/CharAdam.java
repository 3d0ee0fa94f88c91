package org.vtm.interpreter.stm;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Global-norm clipping and Adam as {@link CharTrainer} applies them: the gradients are scaled by
 * {@code s = min(1, clip / max(1e-12, |g|))} (the norm over all tensors), then with {@code t} the update count
 * {@code m ← β1 m + (1−β1) g}, {@code v ← β2 v + (1−β2) g²} and {@code p ← p − lr_t m / (√v + 1e-8)} with
 * {@code lr_t = lr √(1−β2^t) / (1−β1^t)} (β1 0.9, β2 0.999). Note that this places ε differently from
 * {@code torch.optim.Adam}; the PyTorch port writes the same formula out.
 */
public final class CharAdam {
    public static final double BETA1 = 0.9;
    public static final double BETA2 = 0.999;
    public static final double EPSILON = 1e-8;

    private final List<String> names;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long step;

    /** Zero moments shaped like {@code params}. */
    public CharAdam(Map<String, INDArray> params) {
        this.names = List.copyOf(params.keySet());
        for (String n : names) {
            m.put(n, params.get(n).ulike().assign(0));
            v.put(n, params.get(n).ulike().assign(0));
        }
    }

    /** Updates done so far. */
    public long step() {
        return step;
    }

    /**
     * Clips {@code grads} (not modified) and updates {@code params} in place (modified) and the moments.
     *
     * @return the global gradient norm before clipping
     */
    public double applyInPlace(Map<String, INDArray> params, Map<String, INDArray> grads, double clipNorm,
            double learningRate) {
        double norm2 = 0;
        for (String n : names) {
            double nn = grads.get(n).norm2Number().doubleValue();
            norm2 += nn * nn;
        }
        double norm = Math.sqrt(norm2);
        double scale = Math.min(1.0, clipNorm / Math.max(1e-12, norm));
        step++;
        double lr = learningRate * Math.sqrt(1 - Math.pow(BETA2, step)) / (1 - Math.pow(BETA1, step));
        for (String n : names) {
            INDArray g = grads.get(n).mul(scale);
            m.get(n).muli(BETA1).addi(g.mul(1 - BETA1));
            v.get(n).muli(BETA2).addi(g.mul(g).muli(1 - BETA2));
            params.get(n).subi(m.get(n).div(Transforms.sqrt(v.get(n), true).addi(EPSILON)).muli(lr));
        }
        return norm;
    }
}
