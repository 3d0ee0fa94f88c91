package org.vtm.interpreter.stm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.autodiff.samediff.SDIndex;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A character model: a stack of STM layers sharing one memory (or, for comparison, a plain
 * stacked LSTM) followed by a softmax over the alphabet. The parameters live here; {@link #segment}
 * builds a pure-SameDiff graph unrolled over a segment of {@code T} steps whose recurrent state
 * (all hidden/cell states and the shared memory) is an input and an output, so truncated BPTT
 * carries it from segment to segment.
 *
 * <p>One STM layer (seed eq. 4–7) at step t, with input {@code x_t} (the character for layer 0,
 * the previous layer's {@code h} otherwise):
 * <pre>
 *   h1_t, c1_t = L1([x_t, h1_{t-1}], c1_{t-1})              controller LSTM
 *   Θ_t       = base_l + act(h1_t W_θ + b_θ)                 identity-biased affine parameters
 *   C'_t      = read(Θ_t, M)                                  bilinear word read (STN)
 *   h2_t, C_t = L2([x_t, h2_{t-1}], C'_t)                    the read word is L2's previous cell
 *   M         = write(Θ_t, M, C_t)                            nearest or bilinear write-back
 * </pre>
 * Layers run in order within a step and all use the same memory {@code M}, so a later layer sees
 * what an earlier one wrote in the same step.
 */
public final class CharNetwork {

    /** Model family. */
    public enum Kind { STM, LSTM }

    private final Kind kind;
    private final StmConfig config;
    private final int lstmHidden;
    private final int vocab;
    private final int layers;
    private final DataType type;
    private final Map<String, INDArray> params = new LinkedHashMap<>();

    private CharNetwork(Kind kind, StmConfig config, int vocab, int layers, int lstmHidden, DataType type,
            long seed, boolean init) {
        this.kind = kind;
        this.config = config;
        this.vocab = vocab;
        this.layers = layers;
        this.lstmHidden = lstmHidden;
        this.type = type;
        if (init) {
            initParams(new SplittableRandom(seed));
        }
    }

    /** A stack of STM layers with freshly initialised parameters. */
    public static CharNetwork stm(StmConfig config, DataType type) {
        return new CharNetwork(Kind.STM, config, config.vocab(), config.layers(), 0, type, config.seed(), true);
    }

    /** A plain stacked LSTM with freshly initialised parameters. */
    public static CharNetwork lstm(int vocab, int layers, int hidden, long seed, DataType type) {
        if (vocab <= 0 || layers <= 0 || hidden <= 0) {
            throw new IllegalArgumentException("vocab, layers and hidden must be positive, got " + vocab + ", "
                    + layers + ", " + hidden);
        }
        return new CharNetwork(Kind.LSTM, null, vocab, layers, hidden, type, seed, true);
    }

    /** The same architecture with the given parameter arrays (copied), e.g. from a checkpoint. */
    public CharNetwork withParams(Map<String, INDArray> values) {
        CharNetwork n = new CharNetwork(kind, config, vocab, layers, lstmHidden, type, 0, false);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            INDArray v = values.get(e.getKey());
            if (v == null || !java.util.Arrays.equals(v.shape(), e.getValue().shape())) {
                throw new IllegalArgumentException("parameter " + e.getKey() + " missing or of wrong shape");
            }
            n.params.put(e.getKey(), v.castTo(type).dup());
        }
        return n;
    }

    /**
     * The same architecture and parameter values in data type {@code newType} (a copy; float values widen
     * exactly to double). Scoring uses a double copy so that the state carried from segment to segment is not
     * rounded to float between segments.
     */
    public CharNetwork withDataType(DataType newType) {
        CharNetwork n = new CharNetwork(kind, config, vocab, layers, lstmHidden, newType, 0, false);
        for (Map.Entry<String, INDArray> e : params.entrySet()) {
            n.params.put(e.getKey(), e.getValue().castTo(newType).dup());
        }
        return n;
    }

    /** The STM hidden size of a plain LSTM with about {@code target} parameters and the given shape. */
    public static int lstmHiddenForParameters(int vocab, int layers, long target) {
        int best = 1;
        for (int h = 1; h <= 4096; h++) {
            if (lstmParameterCount(vocab, layers, h) <= target) {
                best = h;
            }
        }
        return best;
    }

    static long lstmParameterCount(int vocab, int layers, int h) {
        long n = 0;
        for (int l = 0; l < layers; l++) {
            int in = l == 0 ? vocab : h;
            n += (long) (in + h) * 4 * h + 4L * h;
        }
        return n + (long) h * vocab + vocab;
    }

    public Kind kind() {
        return kind;
    }

    /** The STM configuration (null for an LSTM). */
    public StmConfig config() {
        return config;
    }

    public int vocab() {
        return vocab;
    }

    public int layers() {
        return layers;
    }

    public int lstmHidden() {
        return lstmHidden;
    }

    public DataType dataType() {
        return type;
    }

    /** The live parameter arrays by name (the trainer updates them in place). */
    public Map<String, INDArray> params() {
        return params;
    }

    public long parameterCount() {
        long n = 0;
        for (INDArray a : params.values()) {
            n += a.length();
        }
        return n;
    }

    private int outSize() {
        return kind == Kind.STM ? config.wordCells() : lstmHidden;
    }

    private void initParams(SplittableRandom r) {
        for (int l = 0; l < layers; l++) {
            if (kind == Kind.STM) {
                int in = l == 0 ? vocab : config.wordCells();
                int h1 = config.controllerHidden();
                int p = config.wordCells();
                lstmParams("l" + l + "_c", in, h1, r);
                int f = config.thetaForm().size();
                params.put("l" + l + "_thW", uniform(new long[] {h1, f}, config.thetaInit(), r));
                params.put("l" + l + "_thb", Nd4j.zeros(type, 1, f));
                lstmParams("l" + l + "_m", in, p, r);
            } else {
                int in = l == 0 ? vocab : lstmHidden;
                lstmParams("l" + l, in, lstmHidden, r);
            }
        }
        int o = outSize();
        params.put("outW", uniform(new long[] {o, vocab}, 1.0 / Math.sqrt(o), r));
        params.put("outb", Nd4j.zeros(type, 1, vocab));
    }

    private void lstmParams(String name, int in, int hidden, SplittableRandom r) {
        params.put(name + "W", uniform(new long[] {in + hidden, 4L * hidden}, 1.0 / Math.sqrt(in + hidden), r));
        INDArray b = Nd4j.zeros(type, 1, 4L * hidden);
        // forget-gate bias 1 (gate order i, f, g, o)
        b.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(hidden, 2L * hidden)).assign(1.0);
        params.put(name + "b", b);
    }

    private INDArray uniform(long[] shape, double half, SplittableRandom r) {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        double[] v = new double[(int) n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (2 * r.nextDouble() - 1) * half;
        }
        return Nd4j.create(v, shape, type);
    }

    /** Names of the recurrent state arrays, in a fixed order. */
    public List<String> stateNames() {
        List<String> names = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            if (kind == Kind.STM) {
                names.add("s" + l + "_h1");
                names.add("s" + l + "_c1");
                names.add("s" + l + "_h2");
            } else {
                names.add("s" + l + "_h");
                names.add("s" + l + "_c");
            }
        }
        if (kind == Kind.STM) {
            names.add("mem");
        }
        return names;
    }

    /** The state at the start of a stream: zero hidden states and the configured memory fill. */
    public Map<String, INDArray> initialState(int batch, SplittableRandom r) {
        Map<String, INDArray> s = new LinkedHashMap<>();
        for (String name : stateNames()) {
            if (name.equals("mem")) {
                INDArray m = Nd4j.zeros(type, batch, config.memRows(), config.memCols());
                if (config.memoryInit() == StmConfig.MemoryInit.UNIFORM) {
                    m = uniform(new long[] {batch, config.memRows(), config.memCols()}, config.memoryInitScale(), r);
                }
                s.put(name, m);
            } else {
                s.put(name, Nd4j.zeros(type, batch, stateSize(name)));
            }
        }
        return s;
    }

    private long stateSize(String name) {
        if (kind == Kind.LSTM) {
            return lstmHidden;
        }
        return name.endsWith("_h2") ? config.wordCells() : config.controllerHidden();
    }

    /** Builds the graph of a segment of {@code steps} steps for {@code batch} parallel streams. */
    public Segment segment(int batch, int steps) {
        return new Segment(this, batch, steps);
    }

    /**
     * One unrolled segment. Placeholders: {@code x} and {@code y} (one-hot [B,T,V], y only for the
     * loss) and {@code in_<state>}; outputs: {@code loss} (mean cross-entropy in nats per
     * character), {@code logits_t} [B,V], {@code out_<state>}, and for STM the access maps
     * {@code read_l<l>_t<t>} / {@code write_l<l>_t<t>} [B,H,W] (the summed sampling weights).
     */
    public static final class Segment {
        private final CharNetwork net;
        private final SameDiff sd;
        private final int batch;
        private final int steps;

        Segment(CharNetwork net, int batch, int steps) {
            if (batch <= 0 || steps <= 0) {
                throw new IllegalArgumentException("batch and steps must be positive, got " + batch + ", " + steps);
            }
            this.net = net;
            this.batch = batch;
            this.steps = steps;
            this.sd = SameDiff.create();
            build();
        }

        public SameDiff sameDiff() {
            return sd;
        }

        public int batch() {
            return batch;
        }

        public int steps() {
            return steps;
        }

        public CharNetwork network() {
            return net;
        }

        /** Copies the network's current parameter values into this graph (no-op when shared). */
        public void syncParams() {
            for (Map.Entry<String, INDArray> e : net.params.entrySet()) {
                INDArray mine = sd.getArrForVarName(e.getKey());
                if (mine != e.getValue()) {
                    mine.assign(e.getValue());
                }
            }
        }

        /** Makes the network's parameter arrays those of this graph, so in-place updates need no copy. */
        public void adoptParams() {
            for (String name : new ArrayList<>(net.params.keySet())) {
                net.params.put(name, sd.getArrForVarName(name));
            }
        }

        private void build() {
            DataType t = net.type;
            int v = net.vocab;
            SDVariable x = sd.placeHolder("x", t, batch, steps, v);
            SDVariable y = sd.placeHolder("y", t, batch, steps, v);
            Map<String, SDVariable> state = new LinkedHashMap<>();
            for (String name : net.stateNames()) {
                long[] shape = name.equals("mem")
                        ? new long[] {batch, net.config.memRows(), net.config.memCols()}
                        : new long[] {batch, net.stateSize(name)};
                state.put(name, sd.placeHolder("in_" + name, t, shape));
            }
            Map<String, SDVariable> p = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : net.params.entrySet()) {
                p.put(e.getKey(), sd.var(e.getKey(), e.getValue().dup()));
            }
            SDVariable[] bases = new SDVariable[net.layers];
            if (net.kind == Kind.STM) {
                for (int l = 0; l < net.layers; l++) {
                    double[] b = net.config.baseTheta(l);
                    bases[l] = sd.constant("base" + l, Nd4j.create(b, new long[] {1, b.length}, t));
                }
            }
            SDVariable total = null;
            for (int s = 0; s < steps; s++) {
                SDVariable in = x.get(SDIndex.all(), SDIndex.point(s), SDIndex.all());
                for (int l = 0; l < net.layers; l++) {
                    if (net.kind == Kind.STM) {
                        in = stmStep(l, s, in, state, p, bases[l]);
                    } else {
                        SDVariable[] hc = lstmCell(in, state.get("s" + l + "_h"), state.get("s" + l + "_c"),
                                p.get("l" + l + "W"), p.get("l" + l + "b"), net.lstmHidden);
                        state.put("s" + l + "_h", hc[0]);
                        state.put("s" + l + "_c", hc[1]);
                        in = hc[0];
                    }
                }
                SDVariable logits = sd.mmul(in, p.get("outW")).add("logits_" + s, p.get("outb"));
                SDVariable target = y.get(SDIndex.all(), SDIndex.point(s), SDIndex.all());
                SDVariable ce = target.mul(sd.nn().logSoftmax(logits)).sum();
                total = total == null ? ce : total.add(ce);
            }
            total.mul("loss", -1.0 / ((double) batch * steps));
            for (Map.Entry<String, SDVariable> e : state.entrySet()) {
                sd.identity("out_" + e.getKey(), e.getValue());
            }
            sd.setLossVariables("loss");
        }

        private SDVariable stmStep(int l, int s, SDVariable in, Map<String, SDVariable> state,
                Map<String, SDVariable> p, SDVariable base) {
            StmConfig c = net.config;
            String k = "s" + l;
            SDVariable[] hc1 = lstmCell(in, state.get(k + "_h1"), state.get(k + "_c1"),
                    p.get("l" + l + "_cW"), p.get("l" + l + "_cb"), c.controllerHidden());
            SDVariable head = sd.mmul(hc1[0], p.get("l" + l + "_thW")).add(p.get("l" + l + "_thb"));
            if (c.thetaActivation() == StmConfig.ThetaActivation.TANH) {
                head = sd.math().tanh(head);
            }
            SDVariable theta = head.add("theta_l" + l + "_t" + s, base);
            SDVariable mem = state.get("mem");
            String n = "l" + l + "t" + s;
            SDVariable[] w = SpatialSampler.weights(sd, n + "r", theta, c.thetaForm(), c.wordRows(), c.wordCols(),
                    c.memRows(), c.memCols(), false, net.type);
            SDVariable word = SpatialSampler.read(sd, w, mem);
            SDVariable readMap = sd.identity("read_l" + l + "_t" + s, SpatialSampler.access(sd, w));
            SDVariable[] hc2 = lstmCell(in, state.get(k + "_h2"), word,
                    p.get("l" + l + "_mW"), p.get("l" + l + "_mb"), c.wordCells());
            SDVariable[] ww = w;
            SDVariable writeMap = readMap;
            if (c.writeMode() == StmConfig.WriteMode.NEAREST) {
                ww = SpatialSampler.weights(sd, n + "w", theta, c.thetaForm(), c.wordRows(), c.wordCols(),
                        c.memRows(), c.memCols(), true, net.type);
                writeMap = SpatialSampler.access(sd, ww);
            }
            sd.identity("write_l" + l + "_t" + s, writeMap);
            state.put("mem", SpatialSampler.write(sd, ww, mem, hc2[1], writeMap));
            state.put(k + "_h1", hc1[0]);
            state.put(k + "_c1", hc1[1]);
            state.put(k + "_h2", hc2[0]);
            return hc2[0];
        }

        private SDVariable[] lstmCell(SDVariable in, SDVariable h, SDVariable c, SDVariable w, SDVariable b,
                int hidden) {
            SDVariable z = sd.mmul(sd.concat(1, in, h), w).add(b);
            // one sigmoid and one tanh over all gates, then slices (fewer ops: per-op overhead dominates)
            SDVariable sig = sd.nn().sigmoid(z);
            SDVariable i = gate(sig, 0, hidden);
            SDVariable f = gate(sig, 1, hidden);
            SDVariable g = sd.math().tanh(gate(z, 2, hidden));
            SDVariable o = gate(sig, 3, hidden);
            SDVariable cNew = f.mul(c).add(i.mul(g));
            SDVariable hNew = o.mul(sd.math().tanh(cNew));
            return new SDVariable[] {hNew, cNew};
        }

        private static SDVariable gate(SDVariable z, int k, int hidden) {
            return z.get(SDIndex.all(), SDIndex.interval((long) k * hidden, (long) (k + 1) * hidden));
        }

        /** Placeholder map for one call: x, y (may be null) and the state (keys without prefix). */
        public Map<String, INDArray> feed(INDArray x, INDArray y, Map<String, INDArray> state) {
            Map<String, INDArray> f = new LinkedHashMap<>();
            f.put("x", x);
            f.put("y", y != null ? y : Nd4j.zeros(net.type, batch, steps, net.vocab));
            for (Map.Entry<String, INDArray> e : state.entrySet()) {
                f.put("in_" + e.getKey(), e.getValue());
            }
            return f;
        }

        /** Names of the state outputs. */
        public List<String> stateOutputs() {
            List<String> out = new ArrayList<>();
            for (String s : net.stateNames()) {
                out.add("out_" + s);
            }
            return out;
        }

        /** Extracts the next state (detached copies) from an output map. */
        public Map<String, INDArray> nextState(Map<String, INDArray> outputs) {
            Map<String, INDArray> s = new LinkedHashMap<>();
            for (String name : net.stateNames()) {
                s.put(name, outputs.get("out_" + name).dup());
            }
            return s;
        }
    }
}
