package org.vtm.interpreter.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Adam (Kingma and Ba) applied in place to named parameters, with its whole state (first and
 * second moments, step count) exportable for checkpoints, so a resumed run takes exactly the steps
 * an uninterrupted run would.
 */
public final class AdamState {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long step;

    public AdamState(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    public AdamState(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** One Adam step: {@code params[k] -= lr·m̂/(√v̂+ε)} for every gradient. */
    public void apply(Map<String, INDArray> params, Map<String, INDArray> grads) {
        apply(params, grads, 1);
    }

    /** One Adam step with the learning rate multiplied by {@code lrScale} (warm-up). */
    public void apply(Map<String, INDArray> params, Map<String, INDArray> grads, double lrScale) {
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        for (Map.Entry<String, INDArray> e : grads.entrySet()) {
            INDArray g = e.getValue();
            INDArray p = params.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("gradient for unknown parameter " + e.getKey());
            }
            INDArray mk = m.computeIfAbsent(e.getKey(), k -> Nd4j.zeros(g.dataType(), g.shape()));
            INDArray vk = v.computeIfAbsent(e.getKey(), k -> Nd4j.zeros(g.dataType(), g.shape()));
            mk.muli(beta1).addi(g.mul(1 - beta1));
            vk.muli(beta2).addi(g.mul(g).muli(1 - beta2));
            INDArray denom = Transforms.sqrt(vk.div(c2), false).addi(epsilon);
            p.subi(mk.div(c1).divi(denom).muli(learningRate * lrScale));
        }
    }

    public long step() {
        return step;
    }

    /** The state as named arrays ({@code adam.m/<name>}, {@code adam.v/<name>}, {@code adam.step}). */
    public Map<String, INDArray> export() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put("adam.step", Nd4j.scalar((double) step));
        m.forEach((k, a) -> out.put("adam.m/" + k, a));
        v.forEach((k, a) -> out.put("adam.v/" + k, a));
        return out;
    }

    /** Restores the state written by {@link #export()} (other entries are ignored). */
    public void restore(Map<String, INDArray> arrays) {
        m.clear();
        v.clear();
        INDArray s = arrays.get("adam.step");
        step = s == null ? 0 : Math.round(s.getDouble(0));
        arrays.forEach((k, a) -> {
            if (k.startsWith("adam.m/")) {
                m.put(k.substring(7), a.dup());
            } else if (k.startsWith("adam.v/")) {
                v.put(k.substring(7), a.dup());
            }
        });
    }
}
