package org.vtm.interpreter.engine;

import org.vtm.interpreter.Initialisers;
import org.vtm.interpreter.engine.ParameterSet.Param;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;

/**
 * The learned interpreter's network on the layer engine: the same model, parameters (by the names of
 * {@link InterpreterModel#PARAMETERS} and {@link InterpreterModel#NEXT_PARAMETER}), initialisation,
 * inputs and loss as the SameDiff graph of {@link InterpreterModel#build}, with hand-derived backward
 * passes over buffers allocated once per (batch, steps) shape:
 * <pre>
 *   (structure inputs: trees → StructureEncoder → last columns of x)
 *   x [B,T,F] → LstmLayer → hidden [N,H] → Head (transform, direct or tail) → c [N,d,M]
 *             (+ NextOrderTerm: c += a⁺·Q) → SampleValues: values = c·Φᵀ → LossLayer → L
 * </pre>
 * Batches are the maps of {@code ModelInputs.training} (x, a, y, w, mask, next); they are copied into
 * the network's own buffers in its data type. Not thread-safe: one network per training thread.
 */
public final class Network {
    private final ModelConfig config;
    private final DataType dtype;
    private final ParameterSet params;
    private final LstmLayer lstm;
    private final Head head;
    private final TransformHead transformHead;
    private final NextOrderTerm nextTerm;
    private final StructureEncoder encoder;
    private final SampleValues values;
    private LossLayer loss;

    private final ViewCache hidden2 = new ViewCache(h -> Ops.reshape(h, h.size(0) * h.size(1), h.size(2)));
    private final ViewCache dh3 = new ViewCache(d -> Ops.reshape(d, this.batch, this.steps, d.size(1)));
    private int batch = -1;
    private int steps = -1;
    private INDArray x;     // [B, T, F]
    private INDArray a;     // [N, d, M]
    private INDArray next;  // [N, d, K]
    private INDArray y;     // [N, d, S]
    private INDArray w;     // [N, 1, 1]
    private INDArray mask;  // [N]
    private INDArray structure; // [nodes, 5] (structure inputs)

    private Network(ModelConfig config, double[] t0, double[] tailQ, double[] phi, DataType dtype) {
        this.config = config;
        this.dtype = dtype;
        this.params = new ParameterSet(dtype);
        int d = config.dim();
        int m = config.terms();
        int h = config.hidden();
        this.lstm = new LstmLayer(params, "lstm_", config.features(), h);
        if (config.head() == ModelConfig.Head.TRANSFORM) {
            transformHead = new TransformHead(params, h, d, m, config.headScale(), t0);
            head = transformHead;
        } else if (config.head() == ModelConfig.Head.TAIL) {
            transformHead = new TransformHead(params, h, d, m, config.headScale(), t0);
            head = new TailHead(params, transformHead, h, d, m, config.nextTerms(), tailQ);
        } else {
            transformHead = null;
            head = new DirectHead(params, h, d, m);
        }
        nextTerm = config.inputs() == ModelConfig.Inputs.NEXT_ORDER ? new NextOrderTerm(params, d, config.nextTerms(), m)
                : null;
        encoder = config.structure() ? new StructureEncoder(params, config.structureWidth()) : null;
        params.allocate();
        values = new SampleValues(phi, d, m, dtype);
        loss = config.loss() == ModelConfig.Loss.LOG_REL ? LossLayer.logRelative(dtype) : LossLayer.squaredError(dtype);
    }

    /**
     * Sets the floor ε of the log loss ({@link LossLayer#logRelative(DataType, double)}); training only, the
     * coefficients do not depend on it.
     *
     * @throws IllegalArgumentException for a model trained with another loss than LOG_REL
     */
    public void lossEpsilon(double eps) {
        if (!loss.needsMask()) {
            throw new IllegalArgumentException("--loss-eps applies to --loss log_rel only");
        }
        loss = LossLayer.logRelative(dtype, eps);
    }

    /**
     * A new network initialised exactly as {@link InterpreterModel#build(ModelConfig, double[], double[], double[], long)}
     * initialises the graph for the same arguments (the same random draws in the same order).
     *
     * @param tfx {@code T_FX}, {@code M×M} row-major
     * @param phi {@code Φ}, {@code S×M} row-major
     * @param qInit start of {@code Q} ({@code K×M}) for NEXT_ORDER, or null (zero)
     * @throws IllegalArgumentException for a {@link ModelConfig.Head#TAIL} model (it needs {@code Q*}: use the
     *     overload with {@code tailQ})
     */
    public static Network create(ModelConfig config, double[] tfx, double[] phi, double[] qInit, long seed, DataType dtype) {
        return create(config, tfx, phi, qInit, null, seed, dtype);
    }

    /**
     * As above; {@code tailQ} is {@code Q*} ({@code K×M}, {@code InterpreterModel.tailProjection}) of a
     * {@link ModelConfig.Head#TAIL} model (a constant kept in {@link #state()}), null for the other heads. The tail
     * head draws no random numbers: its model starts with the parameters of the transform head's for the same seed.
     */
    public static Network create(ModelConfig config, double[] tfx, double[] phi, double[] qInit, double[] tailQ, long seed,
            DataType dtype) {
        int d = config.dim();
        int m = config.terms();
        int f = config.features();
        int h = config.hidden();
        if (tfx.length != m * m) {
            throw new IllegalArgumentException("T_FX has " + tfx.length + " entries, expected M·M = " + m * m);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] lstmW = Initialisers.xavier(random, f, 4 * h);
        double[] lstmR = Initialisers.xavier(random, h, 4 * h);
        double[] headW;
        double[] t0 = null;
        if (config.head() != ModelConfig.Head.DIRECT) {
            boolean fixed = config.init() != ModelConfig.Init.RANDOM;
            headW = fixed ? new double[h * m * m] : Initialisers.xavier(random, h, m * m);
            t0 = fixed ? tfx.clone() : Initialisers.randomLike(tfx, random);
        } else {
            headW = Initialisers.xavier(random, h, d * m);
        }
        if (config.head() == ModelConfig.Head.TAIL && tailQ == null) {
            throw new IllegalArgumentException("the tail head needs Q* (InterpreterModel.tailProjection)");
        }
        Network net = new Network(config, t0, config.head() == ModelConfig.Head.TAIL ? tailQ : null, phi, dtype);
        net.set("lstm_W", lstmW);
        net.set("lstm_R", lstmR);
        net.set("head_W", headW);
        if (net.nextTerm != null && qInit != null) {
            net.set(InterpreterModel.NEXT_PARAMETER, qInit);
        }
        if (net.encoder != null) {
            // drawn after everything the SameDiff graph draws, so the other parameters stay the graph's
            int hs = config.structureWidth();
            net.set(StructureEncoder.E, Initialisers.xavier(random, net.encoder.vocabulary(), hs));
            net.set(StructureEncoder.W, Initialisers.xavier(random, hs, hs));
            net.set(StructureEncoder.U, Initialisers.xavier(random, 1, hs));
            net.set(StructureEncoder.V, Initialisers.xavier(random, StructureEncoder.VARIABLES, hs));
        }
        return net;
    }

    /**
     * A network holding saved parameters and {@code T_0} (the arrays of {@link #state()} or of a SameDiff model's
     * {@code InterpreterModel.state}).
     *
     * @throws IllegalArgumentException naming the first missing or mis-shaped array
     */
    public static Network of(ModelConfig config, double[] phi, Map<String, INDArray> saved, DataType dtype) {
        double[] t0 = null;
        double[] tailQ = null;
        if (config.head() != ModelConfig.Head.DIRECT) {
            t0 = savedArray(saved, InterpreterModel.T0);
        }
        if (config.head() == ModelConfig.Head.TAIL) {
            tailQ = savedArray(saved, InterpreterModel.TAIL_Q);
        }
        Network net = new Network(config, t0, tailQ, phi, dtype);
        net.restore(saved);
        return net;
    }

    private static double[] savedArray(Map<String, INDArray> saved, String name) {
        INDArray t = saved.get(name);
        if (t == null) {
            throw new IllegalArgumentException("array '" + name + "' is missing");
        }
        return t.castTo(DataType.DOUBLE).dup('c').data().asDouble();
    }

    private void set(String name, double[] v) {
        Param p = params.get(name);
        if (v.length != p.length()) {
            throw new IllegalArgumentException(name + " has " + v.length + " values, expected " + p.length());
        }
        p.value().assign(Nd4j.createFromArray(v).castTo(dtype).reshape(p.shape()));
    }

    public ModelConfig config() {
        return config;
    }

    public DataType dtype() {
        return dtype;
    }

    public ParameterSet parameterSet() {
        return params;
    }

    /** The trainable parameters by name (live views, in the network's data type). */
    public Map<String, INDArray> parameters() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Param p : params.params()) {
            out.put(p.name(), p.value());
        }
        return out;
    }

    /** The gradients of the last {@link #forwardBackward} by parameter name (live views). */
    public Map<String, INDArray> gradients() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Param p : params.params()) {
            out.put(p.name(), p.grad());
        }
        return out;
    }

    /** The parameter names, in {@link InterpreterModel#parameterNames} order. */
    public List<String> parameterNames() {
        return params.params().stream().map(Param::name).toList();
    }

    /**
     * Parameters and (transform and tail heads) {@code T_0} as fresh double-precision arrays, with the names and shapes
     * of {@code InterpreterModel.state} ({@code T0} is [1, M, M]), so a model file written from them loads either way;
     * a tail head's {@code Q*} as {@link InterpreterModel#TAIL_Q} [K, M].
     */
    public Map<String, INDArray> state() {
        Map<String, INDArray> out = new LinkedHashMap<>();
        for (Param p : params.params()) {
            out.put(p.name(), p.value().castTo(DataType.DOUBLE).dup());
        }
        if (transformHead != null) {
            int m = config.terms();
            out.put(InterpreterModel.T0, transformHead.t0().castTo(DataType.DOUBLE).dup().reshape(1, m, m));
        }
        if (head instanceof TailHead tail) {
            out.put(InterpreterModel.TAIL_Q, tail.qStar().castTo(DataType.DOUBLE).dup());
        }
        return out;
    }

    /**
     * Copies saved parameters, {@code T_0} and (tail head) {@code Q*} into this network (cast to its data type).
     *
     * @throws IllegalArgumentException naming the first missing or mis-shaped array
     */
    public void restore(Map<String, INDArray> saved) {
        for (Param p : params.params()) {
            INDArray from = saved.get(p.name());
            if (from == null) {
                throw new IllegalArgumentException("array '" + p.name() + "' is missing");
            }
            if (!Arrays.equals(from.shape(), p.shape())) {
                throw new IllegalArgumentException("array '" + p.name() + "' has shape " + Arrays.toString(from.shape())
                        + ", the model needs " + Arrays.toString(p.shape()));
            }
            p.value().assign(from.castTo(dtype));
        }
        if (transformHead != null) {
            INDArray from = saved.get(InterpreterModel.T0);
            if (from == null) {
                throw new IllegalArgumentException("array '" + InterpreterModel.T0 + "' is missing");
            }
            long mm = (long) config.terms() * config.terms();
            if (from.length() != mm) {
                throw new IllegalArgumentException("array '" + InterpreterModel.T0 + "' has shape "
                        + Arrays.toString(from.shape()) + ", the model needs [1, " + config.terms() + ", " + config.terms() + "]");
            }
            transformHead.t0().assign(from.castTo(dtype).reshape(mm));
        }
        if (head instanceof TailHead tail) {
            INDArray from = saved.get(InterpreterModel.TAIL_Q);
            if (from == null) {
                throw new IllegalArgumentException("array '" + InterpreterModel.TAIL_Q + "' is missing");
            }
            if (!Arrays.equals(from.shape(), tail.qStar().shape())) {
                throw new IllegalArgumentException("array '" + InterpreterModel.TAIL_Q + "' has shape "
                        + Arrays.toString(from.shape()) + ", the model needs " + Arrays.toString(tail.qStar().shape()));
            }
            tail.qStar().assign(from.castTo(dtype));
        }
    }

    private void load(Map<String, INDArray> in, boolean training) {
        INDArray xi = require(in, InterpreterModel.X);
        if (xi.rank() != 3 || xi.size(2) != config.features()) {
            throw new IllegalArgumentException("'x' must be [B, T, " + config.features() + "], got " + Arrays.toString(xi.shape()));
        }
        int b = (int) xi.size(0);
        int t = (int) xi.size(1);
        long n = (long) b * t;
        int d = config.dim();
        int m = config.terms();
        if (b != batch || t != steps) {
            batch = b;
            steps = t;
            x = Nd4j.create(dtype, b, t, config.features());
            a = Nd4j.create(dtype, n, d, m);
            next = nextTerm == null ? null : Nd4j.create(dtype, n, d, config.nextTerms());
            y = Nd4j.create(dtype, n, d, values.samples());
            w = Nd4j.create(dtype, n, 1, 1);
            mask = Nd4j.create(dtype, n);
        }
        x.assign(xi);
        if (encoder != null) {
            structure = require(in, InterpreterModel.STRUCTURE);
        }
        a.assign(shaped(in, InterpreterModel.A, a.shape()));
        if (nextTerm != null) {
            next.assign(shaped(in, InterpreterModel.NEXT, next.shape()));
        }
        if (training) {
            y.assign(shaped(in, InterpreterModel.Y, y.shape()));
            w.assign(shaped(in, InterpreterModel.W, w.shape()));
            if (loss.needsMask()) {
                mask.assign(shaped(in, InterpreterModel.MASK, mask.shape()));
            }
        }
    }

    private static INDArray require(Map<String, INDArray> in, String name) {
        INDArray v = in.get(name);
        if (v == null) {
            throw new IllegalArgumentException("the batch has no '" + name + "'");
        }
        return v;
    }

    private static INDArray shaped(Map<String, INDArray> in, String name, long[] shape) {
        INDArray v = require(in, name);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        if (v.length() != n) {
            throw new IllegalArgumentException("'" + name + "' has shape " + Arrays.toString(v.shape()) + ", expected "
                    + n + " values as " + Arrays.toString(shape));
        }
        return Arrays.equals(v.shape(), shape) ? v : v.reshape(shape);
    }

    /** With structure inputs: encodes the batch's trees into the last columns of {@code x}. */
    private void encodeStructure() {
        if (encoder == null) {
            return;
        }
        int f = config.features();
        int hs = encoder.width();
        int n = batch * steps;
        double[] s = encoder.forward(structure, n);
        org.nd4j.linalg.api.buffer.DataBuffer buf = x.data();
        long base = x.offset();
        for (int r = 0; r < n; r++) {
            long at = base + (long) r * f + f - hs;
            for (int j = 0; j < hs; j++) {
                buf.put(at + j, s[r * hs + j]);
            }
        }
        Nd4j.getAffinityManager().tagLocation(x, org.nd4j.linalg.api.concurrency.AffinityManager.Location.HOST);
    }

    /** With structure inputs: back-propagates the LSTM's input gradient {@code dx} [B, T, F] into the encoder. */
    private void backwardStructure(INDArray dx) {
        int f = config.features();
        int hs = encoder.width();
        int n = batch * steps;
        double[] ds = new double[n * hs];
        INDArray dxc = dx.isView() || dx.ordering() != 'c' ? dx.dup('c') : dx;
        org.nd4j.linalg.api.buffer.DataBuffer buf = dxc.data();
        long base = dxc.offset();
        for (int r = 0; r < n; r++) {
            long at = base + (long) r * f + f - hs;
            for (int j = 0; j < hs; j++) {
                ds[r * hs + j] = buf.getDouble(at + j);
            }
        }
        encoder.backward(ds);
    }

    private INDArray forwardCoefficients() {
        encodeStructure();
        INDArray hidden = lstm.forward(x);
        INDArray h2 = hidden2.of(hidden);
        INDArray c = head.forward(h2, a);
        if (nextTerm != null) {
            nextTerm.addInPlace(c, next);
        }
        return c;
    }

    /**
     * The coefficients {@code c} [N, d, M] for the inputs {@code x}, {@code a} (and {@code next}) of {@code in}: a
     * buffer of the network, valid until the next call.
     */
    public INDArray coefficients(Map<String, INDArray> in) {
        load(in, false);
        return forwardCoefficients();
    }

    /** The loss of a training batch (forward only). */
    public double loss(Map<String, INDArray> in) {
        load(in, true);
        INDArray v = values.forward(forwardCoefficients());
        return loss.forward(v, y, w, mask);
    }

    /** Forward and backward over a training batch: sets every parameter's gradient and returns the loss. */
    public double forwardBackward(Map<String, INDArray> in) {
        return forwardBackward(in, null);
    }

    private static final String[] PHASES = {"load batch", "lstm forward", "head forward", "next-order forward",
        "values forward", "loss forward", "loss backward", "values backward", "next-order backward", "head backward",
        "lstm backward"};

    /** As above; adds the nanoseconds of each phase ({@link #PHASES}) to {@code nanos} when it is not null. */
    private double forwardBackward(Map<String, INDArray> in, long[] nanos) {
        long t = nanos == null ? 0 : System.nanoTime();
        load(in, true);
        t = lap(nanos, 0, t);
        encodeStructure();
        INDArray hidden = lstm.forward(x);
        t = lap(nanos, 1, t);
        INDArray c = head.forward(hidden2.of(hidden), a);
        t = lap(nanos, 2, t);
        if (nextTerm != null) {
            nextTerm.addInPlace(c, next);
        }
        t = lap(nanos, 3, t);
        INDArray v = values.forward(c);
        t = lap(nanos, 4, t);
        double l = loss.forward(v, y, w, mask);
        t = lap(nanos, 5, t);
        INDArray dv = loss.backward();
        t = lap(nanos, 6, t);
        INDArray dc = values.backward(dv);
        t = lap(nanos, 7, t);
        if (nextTerm != null) {
            nextTerm.backward(dc);
        }
        t = lap(nanos, 8, t);
        INDArray dh = head.backward(dc);
        t = lap(nanos, 9, t);
        INDArray dx = lstm.backward(dh3.of(dh), encoder != null);
        if (encoder != null) {
            backwardStructure(dx);
        }
        lap(nanos, 10, t);
        return l;
    }

    private static long lap(long[] nanos, int phase, long since) {
        if (nanos == null) {
            return 0;
        }
        long now = System.nanoTime();
        nanos[phase] += now - since;
        return now;
    }

    /**
     * Wall time per phase of {@link #forwardBackward} averaged over {@code iterations} calls, as text (for
     * benchmarks; on the CPU backend ND4J ops run synchronously, so the times are the phases' own).
     */
    public String profile(Map<String, INDArray> in, int iterations) {
        long[] nanos = new long[PHASES.length];
        for (int i = 0; i < iterations; i++) {
            forwardBackward(in, nanos);
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < PHASES.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(PHASES[i]).append(' ')
                    .append(String.format(java.util.Locale.ROOT, "%.3f", nanos[i] / 1e6 / iterations));
        }
        return sb.toString();
    }
}
