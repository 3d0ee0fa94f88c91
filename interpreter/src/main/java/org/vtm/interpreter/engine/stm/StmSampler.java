package org.vtm.interpreter.engine.stm;

/**
 * The STM's addressing and read (seed eq. 5–6), one step at a time over slots:
 * <pre>
 *   Θ = base + act(h·W_θ + b_θ)              act = tanh or identity
 *   (px, py) = Θ·proj + offset                the word grid under Θ, in memory-cell units
 *   C'_p = Σ_{a,c} wy[p,a]·wx[p,c]·M[a,c]     bilinear tents (see {@link TentWeights})
 * </pre>
 * with the conventions of {@code org.vtm.interpreter.stm.SpatialSampler}: word cell {@code p = i·wordCols + j}
 * at {@code x = −1 + 2j/(wordCols−1)}, {@code y = −1 + 2i/(wordRows−1)}, mapped by Θ in the full
 * {@code [a,b,tx,c,d,ty]} or the scale-shift {@code [sx,sy,tx,ty]} form, then {@code px = (x_s+1)(W−1)/2},
 * {@code py = (y_s+1)(H−1)/2}. For the nearest write it also forms the rounded weights
 * ({@code floor(pos + 0.5)}, no gradient). Backward: the read's gradient and whatever a write added to
 * ∂L/∂(px, py) go back through the affine map and the head to ∂L/∂h, W_θ and b_θ.
 */
public final class StmSampler {
    private final Tensor w;
    private final Tensor b;
    private final boolean tanh;
    private final double[] base;
    private final int hidden;
    private final int f;
    private final int p;
    private final int rows;
    private final int cols;
    private final int batch;
    private final double[] projX; // [F, P]
    private final double[] projY; // [F, P]
    private final double[] offX;  // [P]
    private final double[] offY;  // [P]
    private final double[] theta; // [slots·B, F]
    private final double[] head;  // [slots·B, F] act(h W + b)
    private final double[] hIn;   // [slots·B, H] the controller state the head saw
    private final double[] word;  // [slots·B, P] the read word
    private final double[] dTheta; // [B, F]
    private final TentWeights weights;
    private final TentWeights nearest;

    /**
     * A sampler with head parameters {@code w [hidden, |Θ|]}, {@code b [1, |Θ|]} and the layer's base Θ, for a
     * word of {@code wordRows×wordCols} cells over a {@code memRows×memCols} memory.
     *
     * @param fullForm    the 6-parameter form (else scale-shift, 4 parameters)
     * @param tanh        Θ = base + tanh(…) (else the identity)
     * @param withNearest also form the rounded (nearest-write) weights
     */
    public StmSampler(Tensor w, Tensor b, boolean fullForm, boolean tanh, double[] base, int hidden, int wordRows, int wordCols, int memRows, int memCols, int batch, int slots,
            boolean withNearest) {
        this.f = fullForm ? 6 : 4;
        if (w.size() != hidden * f || b.size() != f || base.length != f) {
            throw new IllegalArgumentException("sampler parameters " + w.name() + ", " + b.name() + " or the base Θ ("
                    + base.length + " values) do not fit hidden " + hidden + " and " + f + " Θ parameters");
        }
        this.w = w;
        this.b = b;
        this.tanh = tanh;
        this.base = base.clone();
        this.hidden = hidden;
        this.p = wordRows * wordCols;
        this.rows = memRows;
        this.cols = memCols;
        this.batch = batch;
        
        double sx = (memCols - 1) / 2.0;
        double sy = (memRows - 1) / 2.0;
        projX = new double[f * p];
        projY = new double[f * p];
        offX = new double[p];
        offY = new double[p];
        for (int q = 0; q < p; q++) {
            double x = -1.0 + 2.0 * (q % wordCols) / (wordCols - 1);
            double y = -1.0 + 2.0 * (q / wordCols) / (wordRows - 1);
            if (fullForm) { // [a, b, tx, c, d, ty]
                projX[q] = x * sx;
                projX[p + q] = y * sx;
                projX[2 * p + q] = sx;
                projY[3 * p + q] = x * sy;
                projY[4 * p + q] = y * sy;
                projY[5 * p + q] = sy;
            } else { // [sx, sy, tx, ty]
                projX[q] = x * sx;
                projY[p + q] = y * sy;
                projX[2 * p + q] = sx;
                projY[3 * p + q] = sy;
            }
            offX[q] = sx;
            offY[q] = sy;
        }
        int n = slots * batch;
        theta = new double[n * f];
        head = new double[n * f];
        hIn = new double[n * hidden];
        word = new double[n * p];
        dTheta = new double[batch * f];
        weights = new TentWeights(n * p);
        nearest = withNearest ? new TentWeights(n * p) : null;
    }

    /** The bilinear weights of every slot (entry {@code (s·B + b)·P + p}). */
    public TentWeights weights() {
        return weights;
    }

    /** The rounded weights of the nearest write (null unless asked for). */
    public TentWeights nearestWeights() {
        return nearest;
    }

    /** Θ of all slots, [slots·B, |Θ|]. */
    public double[] theta() {
        return theta;
    }

    /** Read words of all slots, [slots·B, P]; slot s at {@code s·B·P}. */
    public double[] word() {
        return word;
    }

    /** Step {@code s}: Θ and the sampling weights from the controller state {@code h [B, hidden]}. */
    public void address(int s, double[] h, int ho) {
        int r0 = s * batch;
        System.arraycopy(h, ho, hIn, r0 * hidden, batch * hidden);
        int to = r0 * f;
        for (int r = 0; r < batch; r++) {
            System.arraycopy(b.value, 0, head, to + r * f, f);
        }
        Dense.mul(h, ho, w.value, 0, head, to, batch, hidden, f, true);
        for (int k = 0; k < batch * f; k++) {
            double u = tanh ? Math.tanh(head[to + k]) : head[to + k];
            head[to + k] = u;
            theta[to + k] = u + base[k % f];
        }
        for (int r = 0; r < batch; r++) {
            int tr = to + r * f;
            int e0 = (r0 + r) * p;
            for (int q = 0; q < p; q++) {
                double px = 0;
                double py = 0;
                for (int k = 0; k < f; k++) {
                    px += theta[tr + k] * projX[k * p + q];
                    py += theta[tr + k] * projY[k * p + q];
                }
                px += offX[q];
                py += offY[q];
                weights.set(e0 + q, px, py, cols, rows);
                if (nearest != null) {
                    nearest.set(e0 + q, Math.floor(px + 0.5), Math.floor(py + 0.5), cols, rows);
                }
            }
        }
    }

    /** Step {@code s}: reads the word [B, P] (kept in {@link #word()}) from memory [B, H·W] at {@code mo}. */
    public void read(int s, double[] mem, int mo) {
        int r0 = s * batch;
        int cells = rows * cols;
        for (int r = 0; r < batch; r++) {
            int m = mo + r * cells;
            int e0 = (r0 + r) * p;
            for (int q = 0; q < p; q++) {
                int e = e0 + q;
                int x = weights.ix[e];
                int y = weights.iy[e];
                double sum = 0;
                for (int i = 0; i < 2; i++) {
                    int a = y + i;
                    if (a < 0 || a >= rows) {
                        continue;
                    }
                    double wy = i == 0 ? weights.wy0[e] : weights.wy1[e];
                    for (int j = 0; j < 2; j++) {
                        int c = x + j;
                        if (c < 0 || c >= cols) {
                            continue;
                        }
                        double wx = j == 0 ? weights.wx0[e] : weights.wx1[e];
                        sum += wy * wx * mem[m + a * cols + c];
                    }
                }
                word[e] = sum;
            }
        }
    }

    /**
     * Back-propagates the read of step {@code s}: ∂L/∂C' {@code dWord [B, P]} against the memory that was read
     * ({@code mem} at {@code mo}); accumulates ∂L/∂M into {@code dMem} and ∂L/∂(px, py) into the weights.
     */
    public void readBackward(int s, double[] dWord, int dwo, double[] mem, int mo, double[] dMem, int dmo) {
        int r0 = s * batch;
        int cells = rows * cols;
        for (int r = 0; r < batch; r++) {
            int m = mo + r * cells;
            int dm = dmo + r * cells;
            int e0 = (r0 + r) * p;
            for (int q = 0; q < p; q++) {
                int e = e0 + q;
                double g = dWord[dwo + r * p + q];
                if (g == 0.0) {
                    continue;
                }
                int x = weights.ix[e];
                int y = weights.iy[e];
                double dpx = 0;
                double dpy = 0;
                for (int i = 0; i < 2; i++) {
                    int a = y + i;
                    if (a < 0 || a >= rows) {
                        continue;
                    }
                    double wy = i == 0 ? weights.wy0[e] : weights.wy1[e];
                    double gy = i == 0 ? weights.gy0[e] : weights.gy1[e];
                    for (int j = 0; j < 2; j++) {
                        int c = x + j;
                        if (c < 0 || c >= cols) {
                            continue;
                        }
                        double wx = j == 0 ? weights.wx0[e] : weights.wx1[e];
                        double gx = j == 0 ? weights.gx0[e] : weights.gx1[e];
                        double mv = mem[m + a * cols + c];
                        dMem[dm + a * cols + c] += g * wy * wx;
                        dpy += gy * wx * mv;
                        dpx += wy * gx * mv;
                    }
                }
                weights.dpx[e] += g * dpx;
                weights.dpy[e] += g * dpy;
            }
        }
    }

    /**
     * Back-propagates ∂L/∂(px, py) of step {@code s} (read and bilinear write done) through Θ and the head:
     * accumulates ∂L/∂h into {@code dh [B, hidden]} and the gradients of W_θ and b_θ.
     */
    public void thetaBackward(int s, double[] dh, int dho) {
        int r0 = s * batch;
        java.util.Arrays.fill(dTheta, 0.0);
        for (int r = 0; r < batch; r++) {
            int e0 = (r0 + r) * p;
            int dr = r * f;
            for (int k = 0; k < f; k++) {
                double sum = 0;
                int kp = k * p;
                for (int q = 0; q < p; q++) {
                    sum += weights.dpx[e0 + q] * projX[kp + q] + weights.dpy[e0 + q] * projY[kp + q];
                }
                double u = head[(r0 + r) * f + k];
                dTheta[dr + k] = tanh ? sum * (1 - u * u) : sum;
            }
        }
        Dense.mulTransA(hIn, r0 * hidden, dTheta, 0, w.grad, 0, hidden, batch, f, true);
        Dense.columnSums(dTheta, 0, batch, f, b.grad, true);
        Dense.mulTransB(dTheta, 0, w.value, 0, dh, dho, batch, f, hidden, true);
    }
}
