package org.vtm.interpreter.engine;

import org.vtm.interpreter.engine.ParameterSet.Param;
import java.util.LinkedHashMap;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Adam over a {@link ParameterSet}, in place over its flat buffers, with the arithmetic of
 * {@code org.vtm.interpreter.train.AdamState} ({@code m ← β1·m + (1−β1)·g}, {@code v ← β2·v + (1−β2)·g²},
 * {@code p ← p − lr·s·(m/c1)/(√(v/c2) + ε)} with {@code c_i = 1 − β_i^step} and {@code s} the warm-up
 * scale), and the same exported state names ({@code adam.step}, {@code adam.m/<name>},
 * {@code adam.v/<name>}) so checkpoints move between the two.
 */
public final class Adam {
    private final ParameterSet params;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final INDArray m;
    private final INDArray v;
    private final INDArray t1;
    private final INDArray t2;
    private long step;

    public Adam(ParameterSet params, double learningRate) {
        this(params, learningRate, 0.9, 0.999, 1e-8);
    }

    public Adam(ParameterSet params, double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning rate must be positive, got " + learningRate);
        }
        this.params = params;
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        long n = params.flatValues().length();
        DataType dt = params.dtype();
        m = Nd4j.zeros(dt, n);
        v = Nd4j.zeros(dt, n);
        t1 = Nd4j.create(dt, n);
        t2 = Nd4j.create(dt, n);
    }

    public long step() {
        return step;
    }

    /** One step with the learning rate scaled by {@code lrScale} (warm-up), from the set's current gradients. */
    public void apply(double lrScale) {
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        INDArray g = params.flatGradients();
        INDArray p = params.flatValues();
        Ops.scale(m, beta1, m);
        Ops.scale(g, 1 - beta1, t1);
        Ops.add(m, t1, m);
        Ops.scale(v, beta2, v);
        Ops.mul(g, g, t1);
        Ops.scale(t1, 1 - beta2, t1);
        Ops.add(v, t1, v);
        Ops.divScalar(v, c2, t1);
        Ops.sqrt(t1, t1);
        Ops.addScalar(t1, epsilon, t1);
        Ops.divScalar(m, c1, t2);
        Ops.div(t2, t1, t2);
        Ops.scale(t2, learningRate * lrScale, t2);
        Ops.sub(p, t2, p);
    }

    /** The learning-rate scale of the Trainer's linear warm-up for the next step: {@code min(1, (step+1)/warmup)}. */
    public double warmupScale(int warmupSteps) {
        return warmupSteps > 0 ? Math.min(1.0, (step + 1.0) / warmupSteps) : 1;
    }

    /** The state as named double arrays, in AdamState's export format. */
    public Map<String, INDArray> export() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        out.put("adam.step", Nd4j.scalar((double) step));
        for (Param p : params.params()) {
            out.put("adam.m/" + p.name(), slice(m, p));
        }
        for (Param p : params.params()) {
            out.put("adam.v/" + p.name(), slice(v, p));
        }
        return out;
    }

    private static INDArray slice(INDArray flat, Param p) {
        return flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(p.offset(), p.offset() + p.length()))
                .castTo(DataType.DOUBLE).dup().reshape(p.shape());
    }

    /** Restores a state written by {@link #export()} or by AdamState (missing moments are zero, as in AdamState). */
    public void restore(Map<String, INDArray> arrays) {
        INDArray s = arrays.get("adam.step");
        step = s == null ? 0 : Math.round(s.getDouble(0));
        m.assign(0);
        v.assign(0);
        for (Param p : params.params()) {
            copyIn(arrays.get("adam.m/" + p.name()), m, p);
            copyIn(arrays.get("adam.v/" + p.name()), v, p);
        }
    }

    private void copyIn(INDArray from, INDArray flat, Param p) {
        if (from == null) {
            return;
        }
        if (from.length() != p.length()) {
            throw new IllegalArgumentException("Adam state for '" + p.name() + "' has " + from.length() + " values, expected "
                    + p.length());
        }
        flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(p.offset(), p.offset() + p.length()))
                .assign(from.castTo(params.dtype()).reshape(p.length()));
    }
}
