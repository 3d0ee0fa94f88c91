package org.vtm.interpreter.engine.stm;

import java.util.Arrays;

/**
 * One LSTM step at a time with the state carried by the caller, in {@code CharNetwork}'s layout: one weight
 * {@code W [(in+H), 4H]} over the concatenation {@code [x, h_{t-1}]}, bias {@code b [1, 4H]}, gate order
 * (input, forget, cell, output):
 * <pre>
 *   z = [x, h_prev]·W + b     i, f, o = σ(z_i, z_f, z_o)   g = tanh(z_g)
 *   c = f ⊙ c_prev + i ⊙ g    h = o ⊙ tanh(c)
 * </pre>
 * The previous cell {@code c_prev} is an input like any other, so the STM's word LSTM passes the read word
 * there. Each call works on a slot (the step index within a segment) whose activations are kept for the
 * backward pass; slots are walked forwards by {@link #forward} and backwards by {@link #backward}, and
 * {@link #finish} then forms the weight gradients of all slots in one product.
 */
public final class LstmCell {
    private final Tensor w;
    private final Tensor b;
    private final int in;
    private final int hidden;
    private final int batch;
    private final int slots;
    private final int cols;      // in + hidden
    private final double[] xh;   // [slots·B, in+H]
    private final double[] act;  // [slots·B, 4H] activations i f g o
    private final double[] cPrev; // [slots·B, H]
    private final double[] c;    // [slots·B, H]
    private final double[] tc;   // [slots·B, H] tanh(c)
    private final double[] h;    // [slots·B, H]
    private final double[] dz;   // [slots·B, 4H]
    private final double[] dxh;  // [B, in+H]
    // BLAS staging: W, one slot's [x, h_prev], z or ∂z, ∂[x, h_prev]; all slots' [x, h_prev] and ∂z; ∂W
    private final NdStage wNd;
    private final NdStage xhNd;
    private final NdStage zNd;
    private final NdStage dxhNd;
    private final NdStage xhAllNd;
    private final NdStage dzAllNd;
    private final NdStage dwNd;
    private int used;

    /** A cell over parameters {@code w [(in+hidden)·4·hidden]} and {@code b [4·hidden]} for {@code slots} steps. */
    public LstmCell(Tensor w, Tensor b, int in, int hidden, int batch, int slots) {
        if (in < 1 || hidden < 1 || batch < 1 || slots < 1) {
            throw new IllegalArgumentException("LSTM cell needs positive sizes, got in " + in + ", hidden " + hidden
                    + ", batch " + batch + ", slots " + slots);
        }
        if (w.size() != (in + hidden) * 4 * hidden || b.size() != 4 * hidden) {
            throw new IllegalArgumentException("LSTM cell parameters " + w.name() + ", " + b.name() + " do not fit in "
                    + in + ", hidden " + hidden);
        }
        this.w = w;
        this.b = b;
        this.in = in;
        this.hidden = hidden;
        this.batch = batch;
        this.slots = slots;
        this.cols = in + hidden;
        int n = slots * batch;
        xh = new double[n * cols];
        act = new double[n * 4 * hidden];
        cPrev = new double[n * hidden];
        c = new double[n * hidden];
        tc = new double[n * hidden];
        h = new double[n * hidden];
        dz = new double[n * 4 * hidden];
        dxh = new double[batch * cols];
        wNd = new NdStage(cols, 4 * hidden);
        xhNd = new NdStage(batch, cols);
        zNd = new NdStage(batch, 4 * hidden);
        dxhNd = new NdStage(batch, cols);
        xhAllNd = new NdStage(n, cols);
        dzAllNd = new NdStage(n, 4 * hidden);
        dwNd = new NdStage(cols, 4 * hidden);
    }

    public int hidden() {
        return hidden;
    }

    /** Hidden states of all slots, [slots·B, H]; slot s starts at {@link #offset}(s). */
    public double[] h() {
        return h;
    }

    /** Cell states of all slots, [slots·B, H]. */
    public double[] c() {
        return c;
    }

    /** Offset of slot {@code s} in {@link #h()} and {@link #c()}. */
    public int offset(int s) {
        return s * batch * hidden;
    }

    /** Call once per pass, after the parameter values changed. */
    public void prepare() {
        wNd.load(w.value, 0);
        used = 0;
    }

    /** Step {@code s}: from x [B, in], h_prev and c_prev [B, H] (at the given offsets) to slot s's h and c. */
    public void forward(int s, double[] x, int xo, double[] hp, int hpo, double[] cp, int cpo) {
        int hd = hidden;
        int g4 = 4 * hd;
        int base = s * batch;
        for (int r = 0; r < batch; r++) {
            int row = (base + r) * cols;
            System.arraycopy(x, xo + r * in, xh, row, in);
            System.arraycopy(hp, hpo + r * hd, xh, row + in, hd);
        }
        System.arraycopy(cp, cpo, cPrev, base * hd, batch * hd);
        int ao = base * g4;
        xhNd.load(xh, base * cols);
        NdStage.gemm(xhNd, wNd, zNd, false, false);
        zNd.store(act, ao);
        double[] bias = b.value;
        for (int r = 0; r < batch; r++) {
            int a = ao + r * g4;
            int k = (base + r) * hd;
            for (int j = 0; j < hd; j++) {
                double ig = Dense.sigmoid(act[a + j] + bias[j]);
                double fg = Dense.sigmoid(act[a + hd + j] + bias[hd + j]);
                double gg = Math.tanh(act[a + 2 * hd + j] + bias[2 * hd + j]);
                double og = Dense.sigmoid(act[a + 3 * hd + j] + bias[3 * hd + j]);
                act[a + j] = ig;
                act[a + hd + j] = fg;
                act[a + 2 * hd + j] = gg;
                act[a + 3 * hd + j] = og;
                double cn = fg * cPrev[k + j] + ig * gg;
                c[k + j] = cn;
                double t = Math.tanh(cn);
                tc[k + j] = t;
                h[k + j] = og * t;
            }
        }
        used = Math.max(used, s + 1);
    }

    /**
     * Back-propagates slot {@code s} (walk the slots in reverse order). {@code dh} is ∂L/∂h of this slot,
     * {@code dc} (may be null) an extra ∂L/∂c from outside the cell (e.g. from the carried state or a memory
     * write). Accumulates ∂L/∂x into {@code dx}, ∂L/∂h_prev into {@code dhp} and ∂L/∂c_prev into {@code dcp}
     * (each may be null when not needed).
     */
    public void backward(int s, double[] dh, int dho, double[] dc, int dco, double[] dx, int dxo, double[] dhp,
            int dhpo, double[] dcp, int dcpo) {
        int hd = hidden;
        int g4 = 4 * hd;
        int base = s * batch;
        for (int r = 0; r < batch; r++) {
            int a = (base + r) * g4;
            int k = (base + r) * hd;
            for (int j = 0; j < hd; j++) {
                double ig = act[a + j];
                double fg = act[a + hd + j];
                double gg = act[a + 2 * hd + j];
                double og = act[a + 3 * hd + j];
                double t = tc[k + j];
                double d = dh[dho + r * hd + j];
                double dct = d * og * (1 - t * t);
                if (dc != null) {
                    dct += dc[dco + r * hd + j];
                }
                dz[a + j] = dct * gg * ig * (1 - ig);
                dz[a + hd + j] = dct * cPrev[k + j] * fg * (1 - fg);
                dz[a + 2 * hd + j] = dct * ig * (1 - gg * gg);
                dz[a + 3 * hd + j] = d * t * og * (1 - og);
                if (dcp != null) {
                    dcp[dcpo + r * hd + j] += dct * fg;
                }
            }
        }
        if (dx == null && dhp == null) {
            return;
        }
        zNd.load(dz, base * g4);
        NdStage.gemm(zNd, wNd, dxhNd, false, true);
        dxhNd.store(dxh, 0);
        for (int r = 0; r < batch; r++) {
            int row = r * cols;
            if (dx != null) {
                int o = dxo + r * in;
                for (int j = 0; j < in; j++) {
                    dx[o + j] += dxh[row + j];
                }
            }
            if (dhp != null) {
                int o = dhpo + r * hd;
                for (int j = 0; j < hd; j++) {
                    dhp[o + j] += dxh[row + in + j];
                }
            }
        }
    }

    /** Sets the gradients of W and b from the slots of the last pass (overwriting them). */
    public void finish() {
        int n = used * batch;
        if (used == slots) {
            xhAllNd.load(xh, 0);
            dzAllNd.load(dz, 0);
            NdStage.gemm(xhAllNd, dzAllNd, dwNd, true, false);
            dwNd.store(w.grad, 0);
        } else {
            Dense.mulTransA(xh, 0, dz, 0, w.grad, 0, cols, n, 4 * hidden, false);
        }
        Dense.columnSums(dz, 0, n, 4 * hidden, b.grad, false);
    }

    int slots() {
        return slots;
    }

    static void zero(double[] a) {
        Arrays.fill(a, 0.0);
    }
}
