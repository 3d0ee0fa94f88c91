package org.vtm.interpreter.stm;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Affine grid + bilinear sampling of a 2-D memory (a spatial transformer over the memory), as
 * differentiable SameDiff ops, and the same computation in plain Java for tests and pictures.
 *
 * <p>Conventions. Word cell {@code p = i*wordCols + j} has normalised coordinates
 * {@code x = -1 + 2j/(wordCols-1)}, {@code y = -1 + 2i/(wordRows-1)} (corners at ±1). The
 * affine map Θ sends it to {@code (x_s, y_s)} (see {@link StmConfig.ThetaForm}); memory cell
 * {@code (a, c)} sits at normalised coordinates with the same corner convention, so the
 * fractional memory position is {@code px = (x_s+1)(W-1)/2}, {@code py = (y_s+1)(H-1)/2}.
 * Identity Θ therefore maps the word's corners onto the memory's corners.
 *
 * <p>Bilinear weights are the tent functions {@code wx[p,c] = max(0, 1-|px_p - c|)} and
 * {@code wy[p,a] = max(0, 1-|py_p - a|)}; the sampling matrix is
 * {@code K[p,(a,c)] = wy[p,a]·wx[p,c]} (zero padding outside the memory). Because K is a product
 * of a row factor and a column factor, read and write are done with batched matrix products
 * instead of materialising the {@code (word cells × memory cells)} matrix:
 * <ul>
 *   <li>read: {@code C'_p = Σ_{a,c} K[p,(a,c)] M[a,c]};
 *   <li>write (design §9), with the access map {@code A = Σ_p K_p} (per memory cell):
 *       <pre>
 *   M_t = M_{t-1} ⊙ (1 − min(1, A)) + (Σ_p K_p C_p) ⊘ max(1, A)
 *       </pre>
 *       The erase mask is clipped at 1 so that a memory cell touched by several word cells (the
 *       word denser than the memory) is erased at most once instead of being sign-flipped, and
 *       the add is divided by {@code max(1, A)} so that such a cell receives the K-weighted
 *       mean of the word cells that land on it, not their sum. Every new memory value is then
 *       a convex combination of the old value and the written word cells, so
 *       {@code max|M_t| ≤ max(max|M_{t-1}|, max|C|)}, and since a read is a convex combination
 *       of memory cells, {@code |C| ≤ max|M| + 1} (the LSTM cell update): the memory grows at
 *       most linearly, like an LSTM cell. Without the division (the first version) the memory
 *       grew geometrically wherever Θ shrank the word (det Θ → 0, access up to 10–70 on one
 *       cell) and the default run overflowed float32 at update 44 (issue 17). Where
 *       {@code A ≤ 1} (in particular where sampling is exact: every word cell lands on its own
 *       memory cell) the write is unchanged, and write then read returns the written word.
 *       Derivative of the add term with respect to {@code A}: {@code −(Σ_p K_p C_p)/A²} where
 *       {@code A > 1}, 0 where {@code A < 1} (the kink at {@code A = 1} takes 0).
 * </ul>
 * The nearest write uses the same formula with {@code px, py} rounded to the nearest cell
 * ({@code floor(p + 0.5)}, whose derivative is zero), so Θ gets no gradient through the write.
 */
public final class SpatialSampler {
    private SpatialSampler() {
    }

    /** Normalised x (row 0) and y (row 1) coordinates of the word cells, shape [2, P]. */
    public static double[][] wordGrid(int wordRows, int wordCols) {
        double[][] g = new double[2][wordRows * wordCols];
        for (int i = 0; i < wordRows; i++) {
            for (int j = 0; j < wordCols; j++) {
                g[0][i * wordCols + j] = -1.0 + 2.0 * j / (wordCols - 1);
                g[1][i * wordCols + j] = -1.0 + 2.0 * i / (wordRows - 1);
            }
        }
        return g;
    }

    /** Source positions (px, py) in memory-cell units for each word cell, plain Java; theta in the given form. */
    public static double[][] positions(double[] theta, StmConfig.ThetaForm form, int wordRows, int wordCols,
            int memRows, int memCols) {
        if (theta.length != form.size()) {
            throw new IllegalArgumentException("theta has " + theta.length + " values, the " + form
                    + " form needs " + form.size());
        }
        double[][] g = wordGrid(wordRows, wordCols);
        int n = wordRows * wordCols;
        double[][] pos = new double[2][n];
        for (int p = 0; p < n; p++) {
            double x = g[0][p];
            double y = g[1][p];
            double xs;
            double ys;
            if (form == StmConfig.ThetaForm.FULL) {
                xs = theta[0] * x + theta[1] * y + theta[2];
                ys = theta[3] * x + theta[4] * y + theta[5];
            } else {
                xs = theta[0] * x + theta[2];
                ys = theta[1] * y + theta[3];
            }
            pos[0][p] = (xs + 1.0) * (memCols - 1) / 2.0;
            pos[1][p] = (ys + 1.0) * (memRows - 1) / 2.0;
        }
        return pos;
    }

    /** The sampling matrix K [P][H*W] in plain Java (nearest = rounded positions). */
    public static double[][] kernel(double[][] positions, int memRows, int memCols, boolean nearest) {
        int n = positions[0].length;
        double[][] k = new double[n][memRows * memCols];
        for (int p = 0; p < n; p++) {
            double px = nearest ? Math.floor(positions[0][p] + 0.5) : positions[0][p];
            double py = nearest ? Math.floor(positions[1][p] + 0.5) : positions[1][p];
            for (int a = 0; a < memRows; a++) {
                double wy = Math.max(0.0, 1.0 - Math.abs(py - a));
                if (wy == 0.0) {
                    continue;
                }
                for (int c = 0; c < memCols; c++) {
                    k[p][a * memCols + c] = wy * Math.max(0.0, 1.0 - Math.abs(px - c));
                }
            }
        }
        return k;
    }

    /** Read C' = K·vec(M), plain Java. */
    public static double[] read(double[][] kernel, double[] memory) {
        double[] out = new double[kernel.length];
        for (int p = 0; p < kernel.length; p++) {
            double s = 0;
            for (int q = 0; q < memory.length; q++) {
                s += kernel[p][q] * memory[q];
            }
            out[p] = s;
        }
        return out;
    }

    /** Write M ⊙ (1 − min(1, A)) + (Σ_p K_p C_p) / max(1, A) with A = Σ_p K_p, plain Java (returns a new array). */
    public static double[] write(double[][] kernel, double[] memory, double[] word) {
        double[] out = new double[memory.length];
        for (int q = 0; q < memory.length; q++) {
            double erase = 0;
            double add = 0;
            for (int p = 0; p < kernel.length; p++) {
                erase += kernel[p][q];
                add += kernel[p][q] * word[p];
            }
            out[q] = memory[q] * (1.0 - Math.min(1.0, erase)) + add / Math.max(1.0, erase);
        }
        return out;
    }

    /**
     * Row and column weight factors of K in a SameDiff graph: {wy [B,P,H], wx [B,P,W]}.
     *
     * <p>The affine map and the conversion to memory-cell units are one matrix product with a
     * constant {@code [|Θ|, 2P]} matrix plus a constant offset (few large ops instead of many tiny
     * ones: the SameDiff cost of this graph is dominated by the per-op overhead).
     */
    public static SDVariable[] weights(SameDiff sd, String name, SDVariable theta, StmConfig.ThetaForm form,
            int wordRows, int wordCols, int memRows, int memCols, boolean nearest, DataType type) {
        int n = wordRows * wordCols;
        double[][] g = wordGrid(wordRows, wordCols);
        double sx = (memCols - 1) / 2.0;
        double sy = (memRows - 1) / 2.0;
        int f = form.size();
        double[] proj = new double[f * 2 * n]; // row-major [f, 2n]: columns 0..n-1 give px, n..2n-1 give py
        double[] offset = new double[2 * n];
        for (int p = 0; p < n; p++) {
            double x = g[0][p];
            double y = g[1][p];
            if (form == StmConfig.ThetaForm.FULL) { // [a, b, tx, c, d, ty]
                proj[0 * 2 * n + p] = x * sx;
                proj[1 * 2 * n + p] = y * sx;
                proj[2 * 2 * n + p] = sx;
                proj[3 * 2 * n + n + p] = x * sy;
                proj[4 * 2 * n + n + p] = y * sy;
                proj[5 * 2 * n + n + p] = sy;
            } else { // [sx, sy, tx, ty]
                proj[0 * 2 * n + p] = x * sx;
                proj[1 * 2 * n + n + p] = y * sy;
                proj[2 * 2 * n + p] = sx;
                proj[3 * 2 * n + n + p] = sy;
            }
            offset[p] = sx;
            offset[n + p] = sy;
        }
        SDVariable pm = sd.constant(name + "_proj", Nd4j.create(proj, new long[] {f, 2L * n}, type));
        SDVariable off = sd.constant(name + "_off", Nd4j.create(offset, new long[] {1, 2L * n}, type));
        SDVariable pos = sd.mmul(theta, pm).add(off); // [B, 2P] in memory-cell units
        if (nearest) {
            pos = sd.math().floor(pos.add(0.5));
        }
        SDVariable wx;
        SDVariable wy;
        if (memRows == memCols) { // one tent over both coordinates, then split
            SDVariable w = tent(sd, name + "_c", pos, memCols, type); // [B, 2P, S]
            wx = w.get(org.nd4j.autodiff.samediff.SDIndex.all(), org.nd4j.autodiff.samediff.SDIndex.interval(0, n),
                    org.nd4j.autodiff.samediff.SDIndex.all());
            wy = w.get(org.nd4j.autodiff.samediff.SDIndex.all(),
                    org.nd4j.autodiff.samediff.SDIndex.interval(n, 2 * n), org.nd4j.autodiff.samediff.SDIndex.all());
        } else {
            wx = tent(sd, name + "_cx", pos.get(org.nd4j.autodiff.samediff.SDIndex.all(),
                    org.nd4j.autodiff.samediff.SDIndex.interval(0, n)), memCols, type);
            wy = tent(sd, name + "_cy", pos.get(org.nd4j.autodiff.samediff.SDIndex.all(),
                    org.nd4j.autodiff.samediff.SDIndex.interval(n, 2 * n)), memRows, type);
        }
        return new SDVariable[] {wy, wx};
    }

    /** Read C'[B,P] from memory [B,H,W]: Σ_c (wy·M)[p,c] wx[p,c]. */
    public static SDVariable read(SameDiff sd, SDVariable[] w, SDVariable memory) {
        SDVariable g = sd.mmul(w[0], memory); // [B,P,H] x [B,H,W] -> [B,P,W]
        return g.mul(w[1]).sum(2);
    }

    /** Access map Σ_p K_p as [B,H,W] (the erase mask before clipping). */
    public static SDVariable access(SameDiff sd, SDVariable[] w) {
        return sd.mmul(w[0], w[1], true, false, false); // [B,H,P] x [B,P,W]
    }

    /**
     * Write word [B,P] into memory [B,H,W] given the access map {@code access} = Σ_p K_p [B,H,W];
     * returns {@code memory ⊙ (1 − min(1, access)) + add ⊘ max(1, access)} (see the class doc).
     */
    public static SDVariable write(SameDiff sd, SDVariable[] w, SDVariable memory, SDVariable word, SDVariable access) {
        SDVariable weighted = w[0].mul(sd.expandDims(word, 2)); // [B,P,H] * [B,P,1]
        SDVariable add = sd.mmul(weighted, w[1], true, false, false); // [B,H,W]
        SDVariable keep = sd.math().clipByValue(access, 0.0, 1.0).rsub(1.0);
        SDVariable crowd = sd.scalarMax(access, 1.0); // max(1, A): a cell hit by several word cells gets their mean
        return memory.mul(keep).add(add.div(crowd));
    }

    /** max(0, 1 − |pos − k|) for k = 0..size-1: [B,P] -> [B,P,size]. */
    private static SDVariable tent(SameDiff sd, String name, SDVariable pos, int size, DataType type) {
        double[] idx = new double[size];
        for (int k = 0; k < size; k++) {
            idx[k] = k;
        }
        SDVariable cells = sd.constant(name, Nd4j.create(idx, new long[] {1, 1, size}, type));
        SDVariable d = sd.expandDims(pos, 2).sub(cells);
        return sd.nn().relu(sd.math().abs(d).rsub(1.0), 0.0);
    }
}
