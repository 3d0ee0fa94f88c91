package org.vtm.interpreter.engine;

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
 * while the shape stays the same.
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
    private INDArray deriv;     // [T·B, 4H] derivative of each activation at its pre-activation
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
    private INDArray dxT;       // [T·B, F]
    private INDArray dxOut;     // [B, T, F]
    // per-step views
    private INDArray[] actT;
    private INDArray[] gateI;
    private INDArray[] gateIF;
    private INDArray[] gateF;
    private INDArray[] gateG;
    private INDArray[] gateO;
    private INDArray[] derivT;
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

    /** Declares {@code <prefix>W}, {@code <prefix>R}, {@code <prefix>b} in {@code params}. */
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

    public int features() {
        return features;
    }

    public int hidden() {
        return hidden;
    }

    private void ensure(int bsz, int t) {
        if (bsz == batch && t == steps) {
            return;
        }
        batch = bsz;
        steps = t;
        long n = (long) bsz * t;
        int h = hidden;
        xT = Nd4j.create(dtype, n, features);
        act = Nd4j.create(dtype, n, 4L * h);
        deriv = Nd4j.create(dtype, n, 4L * h);
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
        dxT = null;
        dxOut = null;
        actT = new INDArray[t];
        gateI = new INDArray[t];
        gateIF = new INDArray[t];
        gateF = new INDArray[t];
        gateG = new INDArray[t];
        gateO = new INDArray[t];
        derivT = new INDArray[t];
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
        for (int s = 0; s < t; s++) {
            long lo = (long) s * bsz;
            long hi = lo + bsz;
            actT[s] = rows(act, lo, hi);
            gateI[s] = cols(actT[s], 0, h);
            gateF[s] = cols(actT[s], h, 2 * h);
            gateIF[s] = cols(actT[s], 0, 2 * h);
            gateG[s] = cols(actT[s], 2 * h, 3 * h);
            gateO[s] = cols(actT[s], 3 * h, 4 * h);
            derivT[s] = rows(deriv, lo, hi);
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
        xT.reshape('c', t, bsz, features).assign(x.permute(1, 0, 2));
        // input projection of every step at once, plus the bias
        Ops.gemm(xT, w.value(), act, false, false, 1, 0);
        act.addiRowVector(b.value());
        INDArray rv = r.value();
        for (int s = 0; s < t; s++) {
            INDArray z = actT[s];
            if (s > 0) {
                Ops.gemm(hStep[s - 1], rv, z, false, false, 1, 1);
            }
            Ops.sigmoid(gateIF[s], gateIF[s]);
            Ops.tanh(gateG[s], gateG[s]);
            Ops.sigmoid(gateO[s], gateO[s]);
            INDArray c = cellT[s];
            if (s > 0) {
                gateF[s].mul(cellT[s - 1], c);
                gateI[s].mul(gateG[s], tmp);
                c.addi(tmp);
            } else {
                gateI[s].mul(gateG[s], c);
            }
            Ops.tanh(c, tanhCellT[s]);
            gateO[s].mul(tanhCellT[s], hStep[s]);
        }
        hOut.assign(hT.reshape('c', t, bsz, hidden).permute(1, 0, 2));
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
        int h = hidden;
        // activation derivatives of all steps at once: σ' = a − a², tanh' = 1 − g²
        act.mul(act, deriv);
        act.sub(deriv, deriv);
        INDArray gAll = act.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h));
        INDArray dgAll = deriv.get(NDArrayIndex.all(), NDArrayIndex.interval(2 * h, 3 * h));
        gAll.mul(gAll, dgAll);
        dgAll.rsubi(1);
        // ∂h_t/∂c_t = o ⊙ (1 − tanh² c_t)
        tanhCell.mul(tanhCell, outDeriv);
        outDeriv.rsubi(1);
        outDeriv.muli(act.get(NDArrayIndex.all(), NDArrayIndex.interval(3 * h, 4 * h)));

        dhT.reshape('c', t, bsz, h).assign(dh.permute(1, 0, 2));
        INDArray rv = r.value();
        for (int s = t - 1; s >= 0; s--) {
            INDArray dhs = dhStep[s];
            if (s < t - 1) {
                Ops.gemm(dzT[s + 1], rv, dhs, false, true, 1, 1);
            }
            dhs.mul(tanhCellT[s], dzO[s]);
            dhs.mul(outDerivT[s], dc);
            if (s < t - 1) {
                dc.addi(dcCarry);
            }
            dc.mul(gateG[s], dzI[s]);
            if (s > 0) {
                dc.mul(cellT[s - 1], dzF[s]);
                dc.mul(gateF[s], dcCarry);
            } else {
                dzF[s].assign(0);
            }
            dc.mul(gateI[s], dzG[s]);
            dzT[s].muli(derivT[s]);
        }
        Ops.gemm(xT, dz, w.grad(), true, false, 1, 0);
        if (t > 1) {
            long n = (long) bsz * t;
            Ops.gemm(hT.get(NDArrayIndex.interval(0, n - bsz), NDArrayIndex.all()),
                    dz.get(NDArrayIndex.interval(bsz, n), NDArrayIndex.all()), r.grad(), true, false, 1, 0);
        } else {
            r.grad().assign(0);
        }
        dz.sum(b.grad(), 0);
        if (!needInputGradient) {
            return null;
        }
        if (dxT == null) {
            dxT = Nd4j.create(dtype, (long) bsz * t, features);
            dxOut = Nd4j.create(dtype, bsz, t, features);
        }
        Ops.gemm(dz, w.value(), dxT, false, true, 1, 0);
        dxOut.assign(dxT.reshape('c', t, bsz, features).permute(1, 0, 2));
        return dxOut;
    }
}
