package org.vtm.interpreter.stm;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.interpreter.engine.stm.LstmCell;
import org.vtm.interpreter.engine.stm.Linear;
import org.vtm.interpreter.engine.stm.MemoryWrite;
import org.vtm.interpreter.engine.stm.SoftmaxCrossEntropy;
import org.vtm.interpreter.engine.stm.StmSampler;
import org.vtm.interpreter.engine.stm.Tensor;
import org.vtm.interpreter.engine.stm.TentWeights;

/**
 * A {@link CharNetwork} on the layer engine ({@code org.vtm.interpreter.engine.stm}): the forward and backward
 * pass of one truncated-BPTT segment of {@code T} steps for {@code B} streams, computing what
 * {@link CharNetwork.Segment}'s graph computes (loss, the gradient of every parameter under the same name and
 * shape, the carried state out, logits, Θ and the read/write access maps) without a graph: each layer keeps its
 * activations per step in buffers allocated once, and the backward pass walks the steps and layers in reverse.
 *
 * <p>Arithmetic is in double precision whatever the network's data type (parameters and inputs are converted on
 * the way in; gradients and states are returned in the network's type). An instance is tied to one network,
 * batch and segment length, is not thread-safe, and reads the network's parameter values at every call (so the
 * trainer may update them in place between calls).
 */
public final class CharEngine {
    private final CharNetwork net;
    private final boolean stm;
    private final int batch;
    private final int steps;
    private final int layers;
    private final int vocab;
    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final List<String> stateNames;
    private final double[] xs;   // [T·B, V] time-major
    private final double[] ys;
    private final Linear out;
    private final int outIn;
    // STM
    private LstmCell[] ctrl;
    private StmSampler[] samp;
    private LstmCell[] word;
    private MemoryWrite[] write;
    private double[] memSeq;     // [(T·L + 1)·B·H·W]: the memory before each layer-step, and the final one
    private int memCells;
    // LSTM
    private LstmCell[] cells;
    // carried state in (per state name)
    private final Map<String, double[]> stateIn = new LinkedHashMap<>();
    private double loss;
    private boolean haveBackward;

    /** An engine for {@code net} over segments of {@code steps} steps and {@code batch} streams. */
    public CharEngine(CharNetwork net, int batch, int steps) {
        if (batch <= 0 || steps <= 0) {
            throw new IllegalArgumentException("batch and steps must be positive, got " + batch + ", " + steps);
        }
        this.net = net;
        this.stm = net.kind() == CharNetwork.Kind.STM;
        this.batch = batch;
        this.steps = steps;
        this.layers = net.layers();
        this.vocab = net.vocab();
        for (Map.Entry<String, INDArray> e : net.params().entrySet()) {
            tensors.put(e.getKey(), new Tensor(e.getKey(), e.getValue().shape()));
        }
        this.stateNames = net.stateNames();
        xs = new double[steps * batch * vocab];
        ys = new double[steps * batch * vocab];
        if (stm) {
            StmConfig c = net.config();
            int h1 = c.controllerHidden();
            int p = c.wordCells();
            memCells = c.memCells();
            ctrl = new LstmCell[layers];
            samp = new StmSampler[layers];
            word = new LstmCell[layers];
            write = new MemoryWrite[layers];
            boolean nearest = c.writeMode() == StmConfig.WriteMode.NEAREST;
            for (int l = 0; l < layers; l++) {
                int in = l == 0 ? vocab : p;
                ctrl[l] = new LstmCell(t("l" + l + "_cW"), t("l" + l + "_cb"), in, h1, batch, steps);
                samp[l] = new StmSampler(t("l" + l + "_thW"), t("l" + l + "_thb"),
                        c.thetaForm() == StmConfig.ThetaForm.FULL, c.thetaActivation() == StmConfig.ThetaActivation.TANH,
                        c.baseTheta(l), h1, c.wordRows(), c.wordCols(), c.memRows(), c.memCols(), batch, steps, nearest);
                word[l] = new LstmCell(t("l" + l + "_mW"), t("l" + l + "_mb"), in, p, batch, steps);
                write[l] = new MemoryWrite(p, c.memRows(), c.memCols(), batch, steps, !nearest);
            }
            memSeq = new double[(steps * layers + 1) * batch * memCells];
            outIn = p;
        } else {
            int hd = net.lstmHidden();
            cells = new LstmCell[layers];
            for (int l = 0; l < layers; l++) {
                cells[l] = new LstmCell(t("l" + l + "W"), t("l" + l + "b"), l == 0 ? vocab : hd, hd, batch, steps);
            }
            outIn = hd;
        }
        out = new Linear(t("outW"), t("outb"), outIn, vocab, batch, steps);
        for (String name : stateNames) {
            stateIn.put(name, new double[batch * stateWidth(name)]);
        }
    }

    private Tensor t(String name) {
        Tensor x = tensors.get(name);
        if (x == null) {
            throw new IllegalStateException("the network has no parameter " + name);
        }
        return x;
    }

    private int stateWidth(String name) {
        if (name.equals("mem")) {
            return memCells;
        }
        if (!stm) {
            return net.lstmHidden();
        }
        return name.endsWith("_h2") ? net.config().wordCells() : net.config().controllerHidden();
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

    /**
     * Forward and backward pass of one segment: {@code x}, {@code y} one-hot [B, T, V] ({@code y} may be null:
     * loss 0, as in the graph with a zero target), {@code state} the carried state by {@link CharNetwork#stateNames()}.
     * Afterwards {@link #loss()}, {@link #gradient}, {@link #state()} and the per-step outputs hold this segment's values.
     *
     * @return the mean cross-entropy in nats per character
     */
    public double forwardBackward(INDArray x, INDArray y, Map<String, INDArray> state) {
        forward(x, y, state, true);
        backward();
        return loss;
    }

    /** Forward pass only (held-out evaluation, sampling): loss, state, logits and access maps. */
    public double forward(INDArray x, INDArray y, Map<String, INDArray> state) {
        forward(x, y, state, false);
        haveBackward = false;
        return loss;
    }

    public double loss() {
        return loss;
    }

    private void load(INDArray x, INDArray y, Map<String, INDArray> state) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            copy(net.params().get(e.getKey()), e.getValue().value(), "parameter " + e.getKey());
        }
        timeMajor(x, xs, "x");
        if (y == null) {
            Arrays.fill(ys, 0.0);
        } else {
            timeMajor(y, ys, "y");
        }
        for (String name : stateNames) {
            INDArray s = state.get(name);
            if (s == null) {
                throw new IllegalArgumentException("state " + name + " is missing");
            }
            double[] dst = stateIn.get(name);
            double[] v = doubles(s, dst.length, "state " + name);
            System.arraycopy(v, 0, dst, 0, dst.length);
        }
    }

    /**
     * Copies {@code a} into {@code dst} (same length) through a view of its memory when it is a plain float or
     * double array (no intermediate array: the parameters are copied at every pass).
     */
    private static void copy(INDArray a, double[] dst, String what) {
        boolean plain = a.length() == dst.length && a.ordering() == 'c' && !a.isView() && a.data().length() == a.length();
        if (plain && a.dataType() == DataType.DOUBLE) {
            a.data().asNioDouble().get(0, dst, 0, dst.length);
        } else if (plain && a.dataType() == DataType.FLOAT) {
            java.nio.FloatBuffer f = a.data().asNioFloat();
            for (int i = 0; i < dst.length; i++) {
                dst[i] = f.get(i);
            }
        } else {
            double[] v = doubles(a, dst.length, what);
            System.arraycopy(v, 0, dst, 0, dst.length);
        }
    }

    private static double[] doubles(INDArray a, int expected, String what) {
        if (a.length() != expected) {
            throw new IllegalArgumentException(what + " has " + a.length() + " values, expected " + expected);
        }
        INDArray c = a.ordering() == 'c' && !a.isView() && a.data().length() == a.length() ? a : a.dup('c');
        return c.data().asDouble();
    }

    private void timeMajor(INDArray a, double[] dst, String what) {
        if (a.rank() != 3 || a.size(0) != batch || a.size(1) != steps || a.size(2) != vocab) {
            throw new IllegalArgumentException(what + " must be [" + batch + ", " + steps + ", " + vocab + "], got "
                    + Arrays.toString(a.shape()));
        }
        double[] v = doubles(a, dst.length, what);
        for (int b = 0; b < batch; b++) {
            for (int s = 0; s < steps; s++) {
                System.arraycopy(v, (b * steps + s) * vocab, dst, (s * batch + b) * vocab, vocab);
            }
        }
    }

    private void forward(INDArray x, INDArray y, Map<String, INDArray> state, boolean keepGradient) {
        load(x, y, state);
        out.prepare();
        double scale = 1.0 / ((double) batch * steps);
        double total = 0;
        int bv = batch * vocab;
        if (stm) {
            int bm = batch * memCells;
            System.arraycopy(stateIn.get("mem"), 0, memSeq, 0, bm);
            boolean nearest = net.config().writeMode() == StmConfig.WriteMode.NEAREST;
            for (int l = 0; l < layers; l++) {
                ctrl[l].prepare();
                word[l].prepare();
            }
            for (int s = 0; s < steps; s++) {
                double[] in = xs;
                int io = s * bv;
                for (int l = 0; l < layers; l++) {
                    int k = s * layers + l;
                    LstmCell c1 = ctrl[l];
                    if (s == 0) {
                        c1.forward(s, in, io, stateIn.get("s" + l + "_h1"), 0, stateIn.get("s" + l + "_c1"), 0);
                    } else {
                        c1.forward(s, in, io, c1.h(), c1.offset(s - 1), c1.c(), c1.offset(s - 1));
                    }
                    StmSampler sp = samp[l];
                    sp.address(s, c1.h(), c1.offset(s));
                    sp.read(s, memSeq, k * bm);
                    LstmCell c2 = word[l];
                    int wo = s * batch * c2.hidden();
                    if (s == 0) {
                        c2.forward(s, in, io, stateIn.get("s" + l + "_h2"), 0, sp.word(), wo);
                    } else {
                        c2.forward(s, in, io, c2.h(), c2.offset(s - 1), sp.word(), wo);
                    }
                    TentWeights kw = nearest ? sp.nearestWeights() : sp.weights();
                    write[l].forward(s, kw, memSeq, k * bm, c2.c(), c2.offset(s), memSeq, (k + 1) * bm);
                    in = c2.h();
                    io = c2.offset(s);
                }
                out.forward(s, in, io);
                total += SoftmaxCrossEntropy.loss(out.y(), s * bv, ys, s * bv, batch, vocab, scale,
                        keepGradient ? out.dy() : null, s * bv);
            }
        } else {
            for (int l = 0; l < layers; l++) {
                cells[l].prepare();
            }
            for (int s = 0; s < steps; s++) {
                double[] in = xs;
                int io = s * bv;
                for (int l = 0; l < layers; l++) {
                    LstmCell c = cells[l];
                    if (s == 0) {
                        c.forward(s, in, io, stateIn.get("s" + l + "_h"), 0, stateIn.get("s" + l + "_c"), 0);
                    } else {
                        c.forward(s, in, io, c.h(), c.offset(s - 1), c.c(), c.offset(s - 1));
                    }
                    in = c.h();
                    io = c.offset(s);
                }
                out.forward(s, in, io);
                total += SoftmaxCrossEntropy.loss(out.y(), s * bv, ys, s * bv, batch, vocab, scale,
                        keepGradient ? out.dy() : null, s * bv);
            }
        }
        loss = total;
    }

    private void backward() {
        if (stm) {
            backwardStm();
        } else {
            backwardLstm();
        }
        out.finish();
        haveBackward = true;
    }

    private void backwardStm() {
        StmConfig c = net.config();
        int p = c.wordCells();
        int h1 = c.controllerHidden();
        int bm = batch * memCells;
        boolean nearest = c.writeMode() == StmConfig.WriteMode.NEAREST;
        for (int l = 0; l < layers; l++) {
            Arrays.fill(t("l" + l + "_thW").grad(), 0.0);
            Arrays.fill(t("l" + l + "_thb").grad(), 0.0);
        }
        double[] dMem = new double[bm];
        double[] dMemPrev = new double[bm];
        double[][] dh2Carry = new double[layers][batch * p];
        double[][] dh2Next = new double[layers][batch * p];
        double[][] dh1Carry = new double[layers][batch * h1];
        double[][] dh1Next = new double[layers][batch * h1];
        double[][] dc1Carry = new double[layers][batch * h1];
        double[][] dc1Next = new double[layers][batch * h1];
        double[] dh = new double[batch * p];
        double[] dBelow = new double[batch * p];
        double[] dc2 = new double[batch * p];
        double[] dRead = new double[batch * p];
        double[] dh1 = new double[batch * h1];
        for (int s = steps - 1; s >= 0; s--) {
            Arrays.fill(dh, 0.0);
            out.backward(s, dh, 0);
            for (int l = layers - 1; l >= 0; l--) {
                int k = s * layers + l;
                LstmCell c2 = word[l];
                StmSampler sp = samp[l];
                double[] carry = dh2Carry[l];
                for (int i = 0; i < dh.length; i++) {
                    dh[i] += carry[i];
                }
                Arrays.fill(dc2, 0.0);
                TentWeights kw = nearest ? sp.nearestWeights() : sp.weights();
                write[l].backward(s, kw, memSeq, k * bm, c2.c(), c2.offset(s), dMem, 0, dMemPrev, 0, dc2, 0);
                Arrays.fill(dRead, 0.0);
                Arrays.fill(dh2Next[l], 0.0);
                Arrays.fill(dBelow, 0.0);
                double[] below = l > 0 ? dBelow : null;
                c2.backward(s, dh, 0, dc2, 0, below, 0, dh2Next[l], 0, dRead, 0);
                sp.readBackward(s, dRead, 0, memSeq, k * bm, dMemPrev, 0);
                System.arraycopy(dh1Carry[l], 0, dh1, 0, dh1.length);
                sp.thetaBackward(s, dh1, 0);
                Arrays.fill(dh1Next[l], 0.0);
                Arrays.fill(dc1Next[l], 0.0);
                ctrl[l].backward(s, dh1, 0, dc1Carry[l], 0, below, 0, dh1Next[l], 0, dc1Next[l], 0);
                double[] sw = dh2Carry[l];
                dh2Carry[l] = dh2Next[l];
                dh2Next[l] = sw;
                sw = dh1Carry[l];
                dh1Carry[l] = dh1Next[l];
                dh1Next[l] = sw;
                sw = dc1Carry[l];
                dc1Carry[l] = dc1Next[l];
                dc1Next[l] = sw;
                sw = dMem;
                dMem = dMemPrev;
                dMemPrev = sw;
                if (l > 0) {
                    sw = dh;
                    dh = dBelow;
                    dBelow = sw;
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            ctrl[l].finish();
            word[l].finish();
        }
    }

    private void backwardLstm() {
        int hd = net.lstmHidden();
        double[][] dhCarry = new double[layers][batch * hd];
        double[][] dhNext = new double[layers][batch * hd];
        double[][] dcCarry = new double[layers][batch * hd];
        double[][] dcNext = new double[layers][batch * hd];
        double[] dh = new double[batch * hd];
        double[] dBelow = new double[batch * hd];
        for (int s = steps - 1; s >= 0; s--) {
            Arrays.fill(dh, 0.0);
            out.backward(s, dh, 0);
            for (int l = layers - 1; l >= 0; l--) {
                double[] carry = dhCarry[l];
                for (int i = 0; i < dh.length; i++) {
                    dh[i] += carry[i];
                }
                Arrays.fill(dhNext[l], 0.0);
                Arrays.fill(dcNext[l], 0.0);
                Arrays.fill(dBelow, 0.0);
                cells[l].backward(s, dh, 0, dcCarry[l], 0, l > 0 ? dBelow : null, 0, dhNext[l], 0, dcNext[l], 0);
                double[] sw = dhCarry[l];
                dhCarry[l] = dhNext[l];
                dhNext[l] = sw;
                sw = dcCarry[l];
                dcCarry[l] = dcNext[l];
                dcNext[l] = sw;
                if (l > 0) {
                    sw = dh;
                    dh = dBelow;
                    dBelow = sw;
                }
            }
        }
        for (int l = 0; l < layers; l++) {
            cells[l].finish();
        }
    }

    /** The gradient of parameter {@code name} of the last {@link #forwardBackward}, live (do not modify). */
    public double[] gradient(String name) {
        if (!haveBackward) {
            throw new IllegalStateException("no backward pass has run since the last forward pass");
        }
        return t(name).grad();
    }

    /** The gradients of the last {@link #forwardBackward} as new arrays of the network's type and shapes. */
    public Map<String, INDArray> gradients() {
        Map<String, INDArray> g = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            g.put(e.getKey(), Nd4j.create(gradient(e.getKey()), e.getValue().shape(), net.dataType()));
        }
        return g;
    }

    /** The state after the last pass, as new arrays of the network's type ({@code mem} as [B, H, W]). */
    public Map<String, INDArray> state() {
        Map<String, INDArray> s = new LinkedHashMap<>();
        int last = steps - 1;
        for (int l = 0; l < layers; l++) {
            if (stm) {
                s.put("s" + l + "_h1", rows(ctrl[l].h(), ctrl[l].offset(last), ctrl[l].hidden()));
                s.put("s" + l + "_c1", rows(ctrl[l].c(), ctrl[l].offset(last), ctrl[l].hidden()));
                s.put("s" + l + "_h2", rows(word[l].h(), word[l].offset(last), word[l].hidden()));
            } else {
                s.put("s" + l + "_h", rows(cells[l].h(), cells[l].offset(last), cells[l].hidden()));
                s.put("s" + l + "_c", rows(cells[l].c(), cells[l].offset(last), cells[l].hidden()));
            }
        }
        if (stm) {
            int bm = batch * memCells;
            double[] m = Arrays.copyOfRange(memSeq, steps * layers * bm, (steps * layers + 1) * bm);
            s.put("mem", Nd4j.create(m, new long[] {batch, net.config().memRows(), net.config().memCols()},
                    net.dataType()));
        }
        return s;
    }

    private INDArray rows(double[] a, int offset, int width) {
        return Nd4j.create(Arrays.copyOfRange(a, offset, offset + batch * width), new long[] {batch, width},
                net.dataType());
    }

    /** Logits of step {@code t} of the last pass, [B][V]. */
    public double[][] logits(int t) {
        checkStep(t);
        double[][] r = new double[batch][];
        for (int b = 0; b < batch; b++) {
            int o = (t * batch + b) * vocab;
            r[b] = Arrays.copyOfRange(out.y(), o, o + vocab);
        }
        return r;
    }

    /** Θ of layer {@code l} at step {@code t} of the last pass (STM only), [B][|Θ|]. */
    public double[][] theta(int l, int t) {
        checkStm(l, t);
        int f = net.config().thetaForm().size();
        double[][] r = new double[batch][];
        for (int b = 0; b < batch; b++) {
            int o = (t * batch + b) * f;
            r[b] = Arrays.copyOfRange(samp[l].theta(), o, o + f);
        }
        return r;
    }

    /** The read access map Σ_p K_p of layer {@code l} at step {@code t} (STM only), [B][H·W]. */
    public double[][] readMap(int l, int t) {
        checkStm(l, t);
        if (net.config().writeMode() == StmConfig.WriteMode.BILINEAR) {
            return writeMap(l, t);
        }
        double[] map = new double[batch * memCells];
        int p = net.config().wordCells();
        samp[l].weights().addAccess(t * batch * p, batch, p, map, 0, net.config().memCols(), net.config().memRows());
        return split(map, 0);
    }

    /** The write access map (the erase mask before clipping) of layer {@code l} at step {@code t}, [B][H·W]. */
    public double[][] writeMap(int l, int t) {
        checkStm(l, t);
        return split(write[l].access(), t * batch * memCells);
    }

    /**
     * The memory after layer {@code l} wrote at step {@code t} of the last pass (STM only), [B][H·W]: what layer
     * {@code l + 1} reads at step {@code t} (or layer 0 at step {@code t + 1}).
     */
    public double[][] memory(int l, int t) {
        checkStm(l, t);
        return split(memSeq, (t * layers + l + 1) * batch * memCells);
    }

    private double[][] split(double[] a, int offset) {
        double[][] r = new double[batch][];
        for (int b = 0; b < batch; b++) {
            int o = offset + b * memCells;
            r[b] = Arrays.copyOfRange(a, o, o + memCells);
        }
        return r;
    }

    private void checkStep(int t) {
        if (t < 0 || t >= steps) {
            throw new IllegalArgumentException("step " + t + " is outside 0.." + (steps - 1));
        }
    }

    private void checkStm(int l, int t) {
        checkStep(t);
        if (!stm || l < 0 || l >= layers) {
            throw new IllegalArgumentException(stm ? "layer " + l + " is outside 0.." + (layers - 1)
                    : "an LSTM has no memory maps");
        }
    }

    /** Names of the parameters, in the network's order. */
    public List<String> parameterNames() {
        return new ArrayList<>(tensors.keySet());
    }
}
