package org.vtm.interpreter.engine.stm;

/**
 * {@code y = x·W + b} one step at a time over slots ({@code W [in, out]}, {@code b [1, out]}); the inputs are kept
 * so that {@link #finish} forms the weight gradient of all slots in one product.
 */
public final class Linear {
    private final Tensor w;
    private final Tensor b;
    private final int in;
    private final int out;
    private final int batch;
    private final double[] x;   // [slots·B, in]
    private final double[] y;   // [slots·B, out]
    private final double[] dy;  // [slots·B, out]
    private final int slots;
    private final NdStage wNd;
    private final NdStage xNd;    // one slot's x, or ∂x
    private final NdStage yNd;    // one slot's y, or ∂y
    private final NdStage xAllNd;
    private final NdStage dyAllNd;
    private final NdStage dwNd;
    private final double[] dxStep;
    private int used;

    public Linear(Tensor w, Tensor b, int in, int out, int batch, int slots) {
        if (w.size() != in * out || b.size() != out) {
            throw new IllegalArgumentException("linear parameters " + w.name() + ", " + b.name() + " do not fit "
                    + in + " -> " + out);
        }
        this.w = w;
        this.b = b;
        this.in = in;
        this.out = out;
        this.batch = batch;
        x = new double[slots * batch * in];
        y = new double[slots * batch * out];
        dy = new double[slots * batch * out];
        this.slots = slots;
        wNd = new NdStage(in, out);
        xNd = new NdStage(batch, in);
        yNd = new NdStage(batch, out);
        xAllNd = new NdStage(slots * batch, in);
        dyAllNd = new NdStage(slots * batch, out);
        dwNd = new NdStage(in, out);
        dxStep = new double[batch * in];
    }

    /** Outputs of all slots, [slots·B, out]; slot s at {@code s·B·out}. */
    public double[] y() {
        return y;
    }

    /** ∂L/∂y of all slots (the caller writes slot s before {@link #backward}). */
    public double[] dy() {
        return dy;
    }

    public void prepare() {
        wNd.load(w.value, 0);
        used = 0;
    }

    public void forward(int s, double[] src, int so) {
        int xo = s * batch * in;
        int yo = s * batch * out;
        System.arraycopy(src, so, x, xo, batch * in);
        xNd.load(x, xo);
        NdStage.gemm(xNd, wNd, yNd, false, false);
        yNd.store(y, yo);
        for (int r = 0; r < batch; r++) {
            for (int j = 0; j < out; j++) {
                y[yo + r * out + j] += b.value[j];
            }
        }
        used = Math.max(used, s + 1);
    }

    /** Accumulates ∂L/∂x of slot s (from {@link #dy()}) into {@code dx}. */
    public void backward(int s, double[] dx, int dxo) {
        yNd.load(dy, s * batch * out);
        NdStage.gemm(yNd, wNd, xNd, false, true);
        xNd.store(dxStep, 0);
        for (int i = 0; i < dxStep.length; i++) {
            dx[dxo + i] += dxStep[i];
        }
    }

    /** Sets the gradients of W and b from all slots of the last pass. */
    public void finish() {
        int n = used * batch;
        if (used == slots) {
            xAllNd.load(x, 0);
            dyAllNd.load(dy, 0);
            NdStage.gemm(xAllNd, dyAllNd, dwNd, true, false);
            dwNd.store(w.grad, 0);
        } else {
            Dense.mulTransA(x, 0, dy, 0, w.grad, 0, in, n, out, false);
        }
        Dense.columnSums(dy, 0, n, out, b.grad, false);
    }
}
