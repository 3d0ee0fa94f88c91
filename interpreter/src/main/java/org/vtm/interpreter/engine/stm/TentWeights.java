package org.vtm.interpreter.engine.stm;

/**
 * The bilinear sampling weights of {@code SpatialSampler} in sparse form. The tent
 * {@code w(k) = max(0, 1 − |pos − k|)} of a position is non-zero on at most two cells, {@code floor(pos)} and
 * {@code floor(pos)+1}, so for each (slot, batch row, word cell) this keeps the first cell's index, the two
 * weights (0 for a cell outside the memory: zero padding) and their derivatives with respect to the position,
 * for the column (x) and the row (y) coordinate. The kernel is {@code K[p,(a,c)] = wy[p,a]·wx[p,c]}.
 *
 * <p>Derivatives follow the subgradients SameDiff uses for {@code relu(1 − |d|)}: {@code −sign(d)} where
 * {@code 1 − |d| > 0}, with {@code sign(0) = 0}, and 0 where the tent is 0 (so also at {@code |d| = 1}).
 * Also holds ∂L/∂px and ∂L/∂py, accumulated by the read and the write.
 */
public final class TentWeights {
    final int[] ix;
    final int[] iy;
    final double[] wx0;
    final double[] wx1;
    final double[] wy0;
    final double[] wy1;
    final double[] gx0;
    final double[] gx1;
    final double[] gy0;
    final double[] gy1;
    final double[] dpx;
    final double[] dpy;

    TentWeights(int n) {
        ix = new int[n];
        iy = new int[n];
        wx0 = new double[n];
        wx1 = new double[n];
        wy0 = new double[n];
        wy1 = new double[n];
        gx0 = new double[n];
        gx1 = new double[n];
        gy0 = new double[n];
        gy1 = new double[n];
        dpx = new double[n];
        dpy = new double[n];
    }

    /** Sets entry {@code e} from positions {@code px} (columns, {@code cols} cells) and {@code py} (rows). */
    void set(int e, double px, double py, int cols, int rows) {
        ix[e] = first(px, cols);
        iy[e] = first(py, rows);
        int x = ix[e];
        int y = iy[e];
        wx0[e] = weight(px, x, cols);
        wx1[e] = weight(px, x + 1, cols);
        gx0[e] = slope(px, x, cols);
        gx1[e] = slope(px, x + 1, cols);
        wy0[e] = weight(py, y, rows);
        wy1[e] = weight(py, y + 1, rows);
        gy0[e] = slope(py, y, rows);
        gy1[e] = slope(py, y + 1, rows);
        dpx[e] = 0;
        dpy[e] = 0;
    }

    /** floor(pos), clamped to [-2, size] so that far-away positions (all weights 0) stay representable. */
    private static int first(double pos, int size) {
        if (!(pos > -2)) {
            return -2;
        }
        if (pos > size) {
            return size;
        }
        return (int) Math.floor(pos);
    }

    private static double weight(double pos, int k, int size) {
        if (k < 0 || k >= size) {
            return 0.0;
        }
        double w = 1.0 - Math.abs(pos - k);
        return w > 0 ? w : 0.0;
    }

    private static double slope(double pos, int k, int size) {
        if (k < 0 || k >= size) {
            return 0.0;
        }
        double d = pos - k;
        return 1.0 - Math.abs(d) > 0 ? -Math.signum(d) : 0.0;
    }

    /**
     * Adds the access maps Σ_p K_p of {@code batch} consecutive rows of {@code wordCells} entries each, starting at
     * entry {@code from}, into {@code map} ([batch, rows·cols] from {@code mo}).
     */
    public void addAccess(int from, int batch, int wordCells, double[] map, int mo, int cols, int rows) {
        int cells = rows * cols;
        for (int r = 0; r < batch; r++) {
            int o = mo + r * cells;
            for (int e = from + r * wordCells; e < from + (r + 1) * wordCells; e++) {
                int x = ix[e];
                int y = iy[e];
                for (int i = 0; i < 2; i++) {
                    int a = y + i;
                    double wy = i == 0 ? wy0[e] : wy1[e];
                    if (a < 0 || a >= rows || wy == 0.0) {
                        continue;
                    }
                    for (int j = 0; j < 2; j++) {
                        int cc = x + j;
                        double wx = j == 0 ? wx0[e] : wx1[e];
                        if (cc < 0 || cc >= cols || wx == 0.0) {
                            continue;
                        }
                        map[o + a * cols + cc] += wy * wx;
                    }
                }
            }
        }
    }
}
