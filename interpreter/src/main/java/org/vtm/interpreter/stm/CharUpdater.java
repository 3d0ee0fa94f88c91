package org.vtm.interpreter.stm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * One training update of a {@link CharNetwork} per truncated-BPTT segment: loss and gradients, global-norm
 * gradient clipping, then Adam with bias correction folded into the step size
 * ({@code lr·√(1−β₂ᵏ)/(1−β₁ᵏ)}, β₁ = 0.9, β₂ = 0.999, ε = 1e-8 added to √v), updating the network's parameter
 * arrays in place. The gradients come from the layer engine ({@link CharEngine}) or from the SameDiff graph
 * ({@link CharNetwork.Segment}); both give the same numbers (CharEngineParityTest), the layer engine faster.
 *
 * <p>The loss and the global gradient norm (before clipping) of each update are returned, so a caller can
 * check them right after the call. The Adam moments are live arrays of the network's type, for checkpoints.
 */
public final class CharUpdater {

    /** Where the gradients come from. */
    public enum Engine {
        /** The hand-derived layer engine ({@link CharEngine}). */
        LAYERS,
        /** The unrolled SameDiff graph ({@link CharNetwork.Segment}). */
        SAMEDIFF;

        /** The engine named {@code text} ({@code layers} or {@code samediff}). */
        public static Engine parse(String text, String option) {
            for (Engine e : values()) {
                if (e.name().toLowerCase(Locale.ROOT).equals(text == null ? "" : text.trim().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new IllegalArgumentException(option + " must be layers or samediff, got '" + text + "'");
        }
    }

    /** What one update did: the segment's loss (nats per character), the gradient norm before clipping, the next state. */
    public record Step(double loss, double gradientNorm, Map<String, INDArray> state) {
    }

    /** Adam's β₁. */
    public static final double BETA1 = 0.9;
    /** Adam's β₂. */
    public static final double BETA2 = 0.999;
    /** Adam's ε, added to √v (not to √(v/(1−β₂ᵏ)) as in {@code torch.optim.Adam}; the PyTorch port writes this formula out). */
    public static final double EPSILON = 1e-8;

    private final CharNetwork net;
    private double learningRate;
    private final double clipNorm;
    private final Engine engine;
    private final CharEngine layers;
    private final CharNetwork.Segment graph;
    private final List<String> graphOutputs;
    private final List<String> names;
    private final Map<String, INDArray> m = new LinkedHashMap<>();
    private final Map<String, INDArray> v = new LinkedHashMap<>();
    private long updates;

    /**
     * An updater for segments of {@code steps} steps of {@code batch} streams. With the SameDiff engine the
     * network's parameter arrays become the graph's (so {@link CharNetwork#params()} must be read after this).
     */
    public CharUpdater(CharNetwork net, int batch, int steps, double learningRate, double clipNorm, Engine engine) {
        if (!(learningRate > 0) || !(clipNorm > 0)) {
            throw new IllegalArgumentException("learning rate and clip norm must be positive, got " + learningRate
                    + ", " + clipNorm);
        }
        this.net = net;
        this.learningRate = learningRate;
        this.clipNorm = clipNorm;
        this.engine = engine;
        if (engine == Engine.SAMEDIFF) {
            graph = net.segment(batch, steps);
            graph.adoptParams();
            graphOutputs = new ArrayList<>(graph.stateOutputs());
            graphOutputs.add("loss");
            layers = null;
        } else {
            layers = new CharEngine(net, batch, steps);
            graph = null;
            graphOutputs = null;
        }
        names = new ArrayList<>(net.params().keySet());
        for (String n : names) {
            m.put(n, net.params().get(n).ulike().assign(0));
            v.put(n, net.params().get(n).ulike().assign(0));
        }
    }

    public Engine engine() {
        return engine;
    }

    /** Adam's first moments by parameter name (live arrays). */
    public Map<String, INDArray> firstMoments() {
        return Collections.unmodifiableMap(m);
    }

    /** Adam's second moments by parameter name (live arrays). */
    public Map<String, INDArray> secondMoments() {
        return Collections.unmodifiableMap(v);
    }

    /** Sets the learning rate of the following updates (a schedule changes it between updates). */
    public void setLearningRate(double rate) {
        if (!(rate > 0) || !Double.isFinite(rate)) {
            throw new IllegalArgumentException("learning rate must be positive and finite, got " + rate);
        }
        learningRate = rate;
    }

    /** Number of updates made (Adam's step count). */
    public long updates() {
        return updates;
    }

    /** Continues counting from {@code count} updates (after restoring the moments of a checkpoint). */
    public void resumeAt(long count) {
        if (count < 0) {
            throw new IllegalArgumentException("update count must be >= 0, got " + count);
        }
        updates = count;
    }

    /** Gradients of one segment (without updating): loss, gradients by name, next state. */
    public Gradients gradients(INDArray x, INDArray y, Map<String, INDArray> state) {
        if (layers != null) {
            double loss = layers.forwardBackward(x, y, state);
            return new Gradients(loss, layers.gradients(), layers.state());
        }
        OutAndGrad og = graph.sameDiff().calculateGradientsAndOutputs(graph.feed(x, y, state), graphOutputs, names);
        return new Gradients(og.getOutputs().get("loss").getDouble(0), og.getGradients(),
                graph.nextState(og.getOutputs()));
    }

    /** A segment's loss, its gradients by parameter name and the state after it. */
    public record Gradients(double loss, Map<String, INDArray> gradients, Map<String, INDArray> state) {
    }

    /** One update on segment {@code x → y} from {@code state}; the parameters change in place. */
    public Step update(INDArray x, INDArray y, Map<String, INDArray> state) {
        return update(x, y, state, (update, loss, norm2) -> { });
    }

    /**
     * Looks at an update's loss and gradient before Adam changes anything; throwing stops the update with the
     * parameters, moments and update count as they were.
     */
    @FunctionalInterface
    public interface Check {
        /** @param update the update's number (1-based), {@code gradNormSquared} the squared global norm before clipping */
        void accept(long update, double loss, double gradNormSquared);
    }

    /** As {@link #update(INDArray, INDArray, Map)}, with {@code check} called before the Adam step. */
    public Step update(INDArray x, INDArray y, Map<String, INDArray> state, Check check) {
        Gradients gr = gradients(x, y, state);
        Map<String, INDArray> g = gr.gradients();
        double norm2 = 0;
        for (String n : names) {
            double nn = g.get(n).norm2Number().doubleValue();
            norm2 += nn * nn;
        }
        check.accept(updates + 1, gr.loss(), norm2);
        double norm = Math.sqrt(norm2);
        double scale = Math.min(1.0, clipNorm / Math.max(1e-12, norm));
        updates++;
        double lr = learningRate * Math.sqrt(1 - Math.pow(BETA2, updates)) / (1 - Math.pow(BETA1, updates));
        Map<String, INDArray> params = net.params();
        for (String n : names) {
            INDArray d = g.get(n).mul(scale);
            m.get(n).muli(BETA1).addi(d.mul(1 - BETA1));
            v.get(n).muli(BETA2).addi(d.mul(d).muli(1 - BETA2));
            params.get(n).subi(m.get(n).div(Transforms.sqrt(v.get(n), true).addi(EPSILON)).muli(lr));
        }
        return new Step(gr.loss(), norm, gr.state());
    }

    /**
     * The {@link CharUpdate} seam (used by {@code vtm bench stm} and the PyTorch parity test) on this updater with
     * the given engine.
     */
    public static CharUpdate.Factory factory(Engine engine) {
        return (net, batch, steps, settings) -> {
            CharUpdater u = new CharUpdater(net, batch, steps, settings.learningRate(), settings.clipNorm(), engine);
            return new CharUpdate() {
                @Override
                public CharUpdate.Step apply(INDArray x, INDArray y, Map<String, INDArray> state) {
                    CharUpdater.Step s = u.update(x, y, state);
                    return new CharUpdate.Step(s.loss(), s.state());
                }

                @Override
                public Map<String, INDArray> parameters() {
                    return net.params();
                }
            };
        };
    }
}
