package org.vtm.interpreter.engine.stm;

import java.util.Arrays;

/**
 * The STM's memory write (design §9), one step at a time over slots, as {@code SpatialSampler.write}:
 * <pre>
 *   A   = Σ_p K_p                           the access map
 *   M_t = M_{t-1} ⊙ (1 − clip(A, 0, 1)) + (Σ_p K_p C_p) ⊘ max(1, A)
 * </pre>
 * with the kernel of the given {@link TentWeights} (the read's bilinear weights, or the rounded ones of the
 * nearest write): a cell that several word cells land on gets their weighted mean (SpatialSampler's javadoc).
 * Backward follows SameDiff's subgradients: the clip passes the gradient only where {@code 0 < A < 1}, the
 * {@code max(1, A)} only where {@code A > 1} (∂/∂A of the add term: {@code −add/A²}). Only a bilinear write
 * sends a gradient to the sampling positions.
 */
public final class MemoryWrite {
    private final int rows;
    private final int cols;
    private final int p;
    private final int batch;
    private final boolean positionGradient;
    private final double[] access; // [slots·B, H·W]

    /**
     * @param positionGradient add ∂L/∂(px, py) into the weights (bilinear write); false for the nearest write
     */
    public MemoryWrite(int wordCells, int memRows, int memCols, int batch, int slots, boolean positionGradient) {
        this.rows = memRows;
        this.cols = memCols;
        this.p = wordCells;
        this.batch = batch;
        this.positionGradient = positionGradient;
        this.access = new double[slots * batch * memRows * memCols];
    }

    /** Access maps A of all slots, [slots·B, H·W]. */
    public double[] access() {
        return access;
    }

    /**
     * Step {@code s}: writes {@code word [B, P]} into {@code mem [B, H·W]} (at {@code mo}) with the weights of
     * slot s, giving {@code out} (at {@code oo}; must not overlap mem).
     */
    public void forward(int s, TentWeights k, double[] mem, int mo, double[] word, int wo, double[] out, int oo) {
        int cells = rows * cols;
        int ao = s * batch * cells;
        Arrays.fill(access, ao, ao + batch * cells, 0.0);
        k.addAccess(s * batch * p, batch, p, access, ao, cols, rows);
        double[] add = addScratch(cells);
        for (int r = 0; r < batch; r++) {
            int a0 = ao + r * cells;
            added(s, r, k, word, wo, add);
            for (int q = 0; q < cells; q++) {
                double av = access[a0 + q];
                double clip = av < 0 ? 0 : (av > 1 ? 1 : av);
                out[oo + r * cells + q] = mem[mo + r * cells + q] * (1.0 - clip) + add[q] / (av > 1 ? av : 1.0);
            }
        }
    }

    /** The add term Σ_p K_p C_p of batch row {@code r} at step {@code s} into {@code add [H·W]}. */
    private void added(int s, int r, TentWeights k, double[] word, int wo, double[] add) {
        Arrays.fill(add, 0, rows * cols, 0.0);
        int e0 = (s * batch + r) * p;
        for (int q = 0; q < p; q++) {
            scatter(k, e0 + q, add, 0, word[wo + r * p + q]);
        }
    }

    private void scatter(TentWeights k, int e, double[] out, int o, double v) {
        int x = k.ix[e];
        int y = k.iy[e];
        for (int i = 0; i < 2; i++) {
            int a = y + i;
            if (a < 0 || a >= rows) {
                continue;
            }
            double wy = i == 0 ? k.wy0[e] : k.wy1[e];
            for (int j = 0; j < 2; j++) {
                int c = x + j;
                if (c < 0 || c >= cols) {
                    continue;
                }
                double wx = j == 0 ? k.wx0[e] : k.wx1[e];
                out[o + a * cols + c] += wy * wx * v;
            }
        }
    }

    /**
     * Back-propagates step {@code s}: from ∂L/∂M_t {@code dOut} sets ∂L/∂M_{t-1} in {@code dMem} (at {@code dmo}),
     * accumulates ∂L/∂C into {@code dWord} and, for a bilinear write, ∂L/∂(px, py) into the weights.
     * {@code mem} and {@code word} are the forward inputs.
     */
    public void backward(int s, TentWeights k, double[] mem, int mo, double[] word, int wo, double[] dOut, int doo,
            double[] dMem, int dmo, double[] dWord, int dwo) {
        int cells = rows * cols;
        int ao = s * batch * cells;
        double[] dA = scratch(cells);
        double[] add = addScratch(cells);
        double[] dAdd = dAddScratch(cells);
        for (int r = 0; r < batch; r++) {
            int a0 = ao + r * cells;
            int go = doo + r * cells;
            added(s, r, k, word, wo, add);
            for (int q = 0; q < cells; q++) {
                double av = access[a0 + q];
                double clip = av < 0 ? 0 : (av > 1 ? 1 : av);
                double g = dOut[go + q];
                dMem[dmo + r * cells + q] = g * (1.0 - clip);
                double d = av > 0 && av < 1 ? -g * mem[mo + r * cells + q] : 0.0;
                if (av > 1) { // add / A: the gradient reaches A only where A > 1
                    d -= g * add[q] / (av * av);
                    dAdd[q] = g / av;
                } else {
                    dAdd[q] = g;
                }
                dA[q] = d;
            }
            int e0 = (s * batch + r) * p;
            for (int q = 0; q < p; q++) {
                int e = e0 + q;
                double v = word[wo + r * p + q];
                int x = k.ix[e];
                int y = k.iy[e];
                double dv = 0;
                double dpx = 0;
                double dpy = 0;
                for (int i = 0; i < 2; i++) {
                    int a = y + i;
                    if (a < 0 || a >= rows) {
                        continue;
                    }
                    double wy = i == 0 ? k.wy0[e] : k.wy1[e];
                    double gy = i == 0 ? k.gy0[e] : k.gy1[e];
                    for (int j = 0; j < 2; j++) {
                        int c = x + j;
                        if (c < 0 || c >= cols) {
                            continue;
                        }
                        double wx = j == 0 ? k.wx0[e] : k.wx1[e];
                        double gx = j == 0 ? k.gx0[e] : k.gx1[e];
                        double g = dAdd[a * cols + c];
                        dv += wy * wx * g;
                        double dk = g * v + dA[a * cols + c];
                        dpy += gy * wx * dk;
                        dpx += wy * gx * dk;
                    }
                }
                dWord[dwo + r * p + q] += dv;
                if (positionGradient) {
                    k.dpx[e] += dpx;
                    k.dpy[e] += dpy;
                }
            }
        }
    }

    private double[] dAScratch;
    private double[] addScratch;
    private double[] dAddScratch;

    private double[] addScratch(int n) {
        if (addScratch == null || addScratch.length < n) {
            addScratch = new double[n];
        }
        return addScratch;
    }

    private double[] dAddScratch(int n) {
        if (dAddScratch == null || dAddScratch.length < n) {
            dAddScratch = new double[n];
        }
        return dAddScratch;
    }

    private double[] scratch(int n) {
        if (dAScratch == null || dAScratch.length < n) {
            dAScratch = new double[n];
        }
        return dAScratch;
    }
}
