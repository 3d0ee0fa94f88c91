package org.vtm.interpreter.engine;

import org.vtm.interpreter.engine.ParameterSet.Param;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * A forward LSTM over a padded batch {@code x} [B, T, F] (batch-major, like ND4J's {@code lstmLayer}
 * with the NTS format), zero initial state, returning every step's hidden state [B, T, H]:
 * <pre>
 *   z_t = x_t·W + h_{t-1}·R + b            W [F, 4H], R [H, 4H], b [4H]
 *   i = σ(z[0:H])  f = σ(z[H:2H])  g = tanh(z[2H:3H])  o = σ(z[3H:4H])
 *   c_t = f ⊙ c_{t-1} + i ⊙ g             h_t = o ⊙ tanh(c_t)
 * </pre>
 * The gate blocks are in ND4J's {@code lstmLayer} order (input, forget, cell, output), so the saved
 * {@code lstm_W}, {@code lstm_R}, {@code lstm_b} of a SameDiff model mean the same here
 * (LstmLayerTest compares against {@code lstmLayer}). Every step is computed, also padded ones; the
 * loss masks those.
 *
 * <p>Internally time-major: the input projection of all steps is one gemm, each step one gemm with
 * {@code R} and a few element-wise operations on views of buffers allocated once per (B, T) and reused
 * while the shape stays the same. The backward pass first forms, for all steps at once, each gate's
 * activation derivative times the factor its gradient is multiplied by ({@code K}, below), so the
 * recurrence itself costs one gemm and seven element-wise operations per step.
 */
public final class LstmLayer {
    private final Param w;
    private final Param r;
    private final Param b;
    private final int features;
    private final int hidden;
    private final DataType dtype;

    private int batch = -1;
    private int steps = -1;
    // time-major buffers, rows t·B + b
    private INDArray xT;        // [T·B, F] input
    private INDArray act;       // [T·B, 4H] pre-activations, overwritten by the activations (i f g o)
    private INDArray k;         // [T·B, 4H] ∂h or ∂c factor of each gate times its activation derivative
    private INDArray cell;      // [T·B, H] c_t
    private INDArray tanhCell;  // [T·B, H] tanh(c_t)
    private INDArray outDeriv;  // [T·B, H] o ⊙ (1 − tanh²c_t): ∂h_t/∂c_t
    private INDArray hT;        // [T·B, H] h_t
    private INDArray hOut;      // [B, T, H] h, batch-major (the output)
    private INDArray dhT;       // [T·B, H] ∂L/∂h_t (upstream, then plus the recurrent part)
    private INDArray dz;        // [T·B, 4H] ∂L/∂z_t
    private INDArray dc;        // [B, H]
    private INDArray dcCarry;   // [B, H] ∂L/∂c_t through c_{t+1}
    private INDArray tmp;       // [B, H]
    private INDArray ones;      // [T·B, 1]
    private INDArray dxT;       // [T·B, F]
    private INDArray dxOut;     // [B, T, F]
    // views made once per shape
    private INDArray xTasBatchMajor;   // xT as [B, T, F]
    private INDArray hTasBatchMajor;   // hT as [B, T, H]
    private INDArray dhTasBatchMajor;  // dhT as [B, T, H]
    private INDArray dxTasBatchMajor;  // dxT as [B, T, F]
    private INDArray[] actBlock;       // act's i, f, g, o blocks over all steps [T·B, H]
    private INDArray[] kBlock;         // k's blocks
    private INDArray kFirstF;          // k's f block, step 0
    private INDArray kLaterF;          // k's f block, steps 1..T-1
    private INDArray cellEarlier;      // cell, steps 0..T-2
    private INDArray hEarlier;         // hT, steps 0..T-2
    private INDArray dzLater;          // dz, steps 1..T-1
    private INDArray[] gateI;
    private INDArray[] gateIF;
    private INDArray[] gateF;
    private INDArray[] gateG;
    private INDArray[] gateO;
    private INDArray[] actT;
    private INDArray[] cellT;
    private INDArray[] tanhCellT;
    private INDArray[] outDerivT;
    private INDArray[] hStep;
    private INDArray[] dhStep;
    private INDArray[] dzT;
    private INDArray[] dzI;
    private INDArray[] dzF;
    private INDArray[] dzG;
    private INDArray[] dzO;
    private INDArray[] kI;
    private INDArray[] kF;
    private INDArray[] kG;
    private INDArray[] kO;

    /** Declares {@code <prefix>W}, {@code <prefix>R}, {@code <prefix>b} in {@code params} (allocate the set before use). */
    public LstmLayer(ParameterSet params, String prefix, int features, int hidden) {
        if (features < 1 || hidden < 1) {
            throw new IllegalArgumentException("LSTM needs features ≥ 1 and hidden ≥ 1, got " + features + ", " + hidden);
        }
        this.features = features;
        this.hidden = hidden;
        this.dtype = params.dtype();
        this.w = params.declare(prefix + "W", features, 4L * hidden);
        this.r = params.declare(prefix + "R", hidden, 4L * hidden);
        this.b = params.declare(prefix + "b", 4L * hidden);
    }

    private INDArray biasRowView;      // b as [1, 4H]
    private INDArray biasGradRowView;

    public int features() {
        return features;
    }

    public int hidden() {
        return hidden;
    }

    private void ensure(int bsz, int t) {
        if (biasRowView == null) {
            biasRowView = Ops.reshape(b.value(), 1, 4L * hidden);
            biasGradRowView = Ops.reshape(b.grad(), 1, 4L * hidden);
        }
        if (bsz == batch && t == steps) {
            return;
        }
        batch = bsz;
        steps = t;
        long n = (long) bsz * t;
        int h = hidden;
        xT = Nd4j.create(dtype, n, features);
        act = Nd4j.create(dtype, n, 4L * h);
        k = Nd4j.create(dtype, n, 4L * h);
        cell = Nd4j.create(dtype, n, h);
        tanhCell = Nd4j.create(dtype, n, h);
        outDeriv = Nd4j.create(dtype, n, h);
        hT = Nd4j.create(dtype, n, h);
        hOut = Nd4j.create(dtype, bsz, t, h);
        dhT = Nd4j.create(dtype, n, h);
        dz = Nd4j.create(dtype, n, 4L * h);
        dc = Nd4j.create(dtype, bsz, h);
        dcCarry = Nd4j.create(dtype, bsz, h);
        tmp = Nd4j.create(dtype, bsz, h);
        ones = Nd4j.ones(dtype, n, 1);
        dxT = null;
        dxOut = null;
        xTasBatchMajor = Ops.reshape(xT, t, bsz, features).permute(1, 0, 2);
        hTasBatchMajor = Ops.reshape(hT, t, bsz, h).permute(1, 0, 2);
        dhTasBatchMajor = Ops.reshape(dhT, t, bsz, h).permute(1, 0, 2);
        actBlock = new INDArray[4];
        kBlock = new INDArray[4];
        for (int g = 0; g < 4; g++) {
            actBlock[g] = cols(act, (long) g * h, (long) (g + 1) * h);
            kBlock[g] = cols(k, (long) g * h, (long) (g + 1) * h);
        }
        // rows first, then columns: in ND4J 1.0.0-M2.1 a row interval taken of a column view addressed the wrong
        // elements (LayerGradientTest caught it)
        kFirstF = cols(rows(k, 0, bsz), h, 2 * h);
        kLaterF = t > 1 ? cols(rows(k, bsz, n), h, 2 * h) : null;
        cellEarlier = t > 1 ? rows(cell, 0, n - bsz) : null;
        hEarlier = t > 1 ? rows(hT, 0, n - bsz) : null;
        dzLater = t > 1 ? rows(dz, bsz, n) : null;
        actT = new INDArray[t];
        gateI = new INDArray[t];
        gateIF = new INDArray[t];
        gateF = new INDArray[t];
        gateG = new INDArray[t];
        gateO = new INDArray[t];
        cellT = new INDArray[t];
        tanhCellT = new INDArray[t];
        outDerivT = new INDArray[t];
        hStep = new INDArray[t];
        dhStep = new INDArray[t];
        dzT = new INDArray[t];
        dzI = new INDArray[t];
        dzF = new INDArray[t];
        dzG = new INDArray[t];
        dzO = new INDArray[t];
        kI = new INDArray[t];
        kF = new INDArray[t];
        kG = new INDArray[t];
        kO = new INDArray[t];
        for (int s = 0; s < t; s++) {
            long lo = (long) s * bsz;
            long hi = lo + bsz;
            actT[s] = rows(act, lo, hi);
            gateI[s] = cols(actT[s], 0, h);
            gateF[s] = cols(actT[s], h, 2 * h);
            gateIF[s] = cols(actT[s], 0, 2 * h);
            gateG[s] = cols(actT[s], 2 * h, 3 * h);
            gateO[s] = cols(actT[s], 3 * h, 4 * h);
            INDArray ks = rows(k, lo, hi);
            kI[s] = cols(ks, 0, h);
            kF[s] = cols(ks, h, 2 * h);
            kG[s] = cols(ks, 2 * h, 3 * h);
            kO[s] = cols(ks, 3 * h, 4 * h);
            cellT[s] = rows(cell, lo, hi);
            tanhCellT[s] = rows(tanhCell, lo, hi);
            outDerivT[s] = rows(outDeriv, lo, hi);
            hStep[s] = rows(hT, lo, hi);
            dhStep[s] = rows(dhT, lo, hi);
            dzT[s] = rows(dz, lo, hi);
            dzI[s] = cols(dzT[s], 0, h);
            dzF[s] = cols(dzT[s], h, 2 * h);
            dzG[s] = cols(dzT[s], 2 * h, 3 * h);
            dzO[s] = cols(dzT[s], 3 * h, 4 * h);
        }
    }

    private static INDArray rows(INDArray a, long lo, long hi) {
        return a.get(NDArrayIndex.interval(lo, hi), NDArrayIndex.all());
    }

    private static INDArray cols(INDArray a, long lo, long hi) {
        return a.get(NDArrayIndex.all(), NDArrayIndex.interval(lo, hi));
    }

    /**
     * Runs the LSTM over {@code x} [B, T, F] and returns the hidden states [B, T, H] (a buffer owned by
     * this layer, overwritten by the next call).
     */
    public INDArray forward(INDArray x) {
        if (x.rank() != 3 || x.size(2) != features) {
            throw new IllegalArgumentException("LSTM input must be [B, T, " + features + "], got "
                    + java.util.Arrays.toString(x.shape()));
        }
        int bsz = (int) x.size(0);
        int t = (int) x.size(1);
        ensure(bsz, t);
        xTasBatchMajor.assign(x);
        // input projection of every step at once, plus the bias (a rank-1 gemm)
        Ops.gemm(xT, w.value(), act, false, false, 1, 0);
        Ops.gemm(ones, biasRowView, act, false, false, 1, 1);
        INDArray rv = r.value();
        for (int s = 0; s < t; s++) {
            if (s > 0) {
                Ops.gemm(hStep[s - 1], rv, actT[s], false, false, 1, 1);
            }
            Ops.sigmoid(gateIF[s], gateIF[s]);
            Ops.tanh(gateG[s], gateG[s]);
            Ops.sigmoid(gateO[s], gateO[s]);
            INDArray c = cellT[s];
            if (s > 0) {
                Ops.mul(gateF[s], cellT[s - 1], c);
                Ops.mul(gateI[s], gateG[s], tmp);
                Ops.add(c, tmp, c);
            } else {
                Ops.mul(gateI[s], gateG[s], c);
            }
            Ops.tanh(c, tanhCellT[s]);
            Ops.mul(gateO[s], tanhCellT[s], hStep[s]);
        }
        hOut.assign(hTasBatchMajor);
        return hOut;
    }

    /**
     * Back-propagates {@code dh} [B, T, H] (∂L/∂h of the last {@link #forward}) and sets the gradients
     * of W, R and b (overwriting them).
     *
     * @param needInputGradient also compute ∂L/∂x
     * @return ∂L/∂x [B, T, F] (a buffer owned by this layer) or null
     */
    public INDArray backward(INDArray dh, boolean needInputGradient) {
        int bsz = batch;
        int t = steps;
        if (bsz < 0 || dh.rank() != 3 || dh.size(0) != bsz || dh.size(1) != t || dh.size(2) != hidden) {
            throw new IllegalArgumentException("LSTM output gradient must be [" + bsz + ", " + t + ", " + hidden
                    + "] after a forward pass, got " + java.util.Arrays.toString(dh.shape()));
        }
        // K, for all steps at once: each gate's activation derivative (σ' = a − a², tanh' = 1 − g²) times the
        // factor of its gradient: ∂c/∂i = g, ∂c/∂f = c_{t-1} (0 at t = 0), ∂c/∂g = i, ∂h/∂o = tanh c
        Ops.mul(act, act, k);
        Ops.sub(act, k, k);
        Ops.mul(actBlock[2], actBlock[2], kBlock[2]);
        Ops.rsub(kBlock[2], 1, kBlock[2]);
        Ops.mul(kBlock[0], actBlock[2], kBlock[0]);
        if (t > 1) {
            Ops.mul(kLaterF, cellEarlier, kLaterF);
        }
        kFirstF.assign(0);
        Ops.mul(kBlock[2], actBlock[0], kBlock[2]);
        Ops.mul(kBlock[3], tanhCell, kBlock[3]);
        // ∂h_t/∂c_t = o ⊙ (1 − tanh² c_t)
        Ops.mul(tanhCell, tanhCell, outDeriv);
        Ops.rsub(outDeriv, 1, outDeriv);
        Ops.mul(outDeriv, actBlock[3], outDeriv);

        dhTasBatchMajor.assign(dh);
        INDArray rv = r.value();
        for (int s = t - 1; s >= 0; s--) {
            INDArray dhs = dhStep[s];
            if (s < t - 1) {
                Ops.gemm(dzT[s + 1], rv, dhs, false, true, 1, 1);
            }
            Ops.mul(dhs, kO[s], dzO[s]);
            Ops.mul(dhs, outDerivT[s], dc);
            if (s < t - 1) {
                Ops.add(dc, dcCarry, dc);
            }
            Ops.mul(dc, kI[s], dzI[s]);
            Ops.mul(dc, kF[s], dzF[s]);
            Ops.mul(dc, kG[s], dzG[s]);
            if (s > 0) {
                Ops.mul(dc, gateF[s], dcCarry);
            }
        }
        Ops.gemm(xT, dz, w.grad(), true, false, 1, 0);
        if (t > 1) {
            Ops.gemm(hEarlier, dzLater, r.grad(), true, false, 1, 0);
        } else {
            r.grad().assign(0);
        }
        Ops.gemm(ones, dz, biasGradRowView, true, false, 1, 0);
        if (!needInputGradient) {
            return null;
        }
        if (dxT == null) {
            dxT = Nd4j.create(dtype, (long) bsz * t, features);
            dxOut = Nd4j.create(dtype, bsz, t, features);
            dxTasBatchMajor = Ops.reshape(dxT, t, bsz, features).permute(1, 0, 2);
        }
        Ops.gemm(dz, w.value(), dxT, false, true, 1, 0);
        dxOut.assign(dxTasBatchMajor);
        return dxOut;
    }
}
