package org.vtm.transforms;

/**
 * Small dense linear-algebra kernels on flat row-major {@code double[]} matrices, used by the
 * basis transforms and the least-squares oracle. Plain Java, no dependencies; sized for matrices
 * up to a few thousand rows and a few hundred columns.
 */
final class Dense {

    private Dense() {
    }

    /** Thrown by {@link #invert} when partial pivoting meets an exactly zero pivot. */
    static final class SingularMatrixException extends ArithmeticException {
        private static final long serialVersionUID = 1L;
        final int column;

        SingularMatrixException(int column) {
            super("exact zero pivot in column " + column);
            this.column = column;
        }
    }

    /**
     * Inverse of the square {@code n × n} matrix {@code a} by LU decomposition with partial
     * pivoting. {@code a} is not modified.
     *
     * @throws SingularMatrixException on an exactly zero pivot
     */
    static double[] invert(double[] a, int n) {
        double[] lu = a.clone();
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int k = 0; k < n; k++) {
            int p = k;
            double best = Math.abs(lu[k * n + k]);
            for (int i = k + 1; i < n; i++) {
                double v = Math.abs(lu[i * n + k]);
                if (v > best) {
                    best = v;
                    p = i;
                }
            }
            if (best == 0.0 || !Double.isFinite(best)) {
                throw new SingularMatrixException(k);
            }
            if (p != k) {
                swapRows(lu, n, p, k);
                int t = perm[p];
                perm[p] = perm[k];
                perm[k] = t;
            }
            double pivot = lu[k * n + k];
            for (int i = k + 1; i < n; i++) {
                double f = lu[i * n + k] / pivot;
                lu[i * n + k] = f;
                if (f != 0.0) {
                    int ri = i * n;
                    int rk = k * n;
                    for (int j = k + 1; j < n; j++) {
                        lu[ri + j] -= f * lu[rk + j];
                    }
                }
            }
        }
        // Solve L U X = P I column block by column block: build P I then forward/back substitute
        // on all columns at once (row operations, inner loop over columns).
        double[] x = new double[n * n];
        for (int i = 0; i < n; i++) {
            x[i * n + perm[i]] = 1.0;
        }
        for (int i = 0; i < n; i++) {
            int ri = i * n;
            for (int k = 0; k < i; k++) {
                double f = lu[ri + k];
                if (f != 0.0) {
                    int rk = k * n;
                    for (int j = 0; j < n; j++) {
                        x[ri + j] -= f * x[rk + j];
                    }
                }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            int ri = i * n;
            for (int k = i + 1; k < n; k++) {
                double f = lu[ri + k];
                if (f != 0.0) {
                    int rk = k * n;
                    for (int j = 0; j < n; j++) {
                        x[ri + j] -= f * x[rk + j];
                    }
                }
            }
            double inv = 1.0 / lu[ri + i];
            for (int j = 0; j < n; j++) {
                x[ri + j] *= inv;
            }
        }
        return x;
    }

    private static void swapRows(double[] a, int n, int p, int k) {
        int rp = p * n;
        int rk = k * n;
        for (int j = 0; j < n; j++) {
            double t = a[rp + j];
            a[rp + j] = a[rk + j];
            a[rk + j] = t;
        }
    }

    /**
     * Inverse of an upper-triangular {@code n × n} matrix by back substitution.
     *
     * @throws SingularMatrixException on a zero diagonal entry
     */
    static double[] invertUpperTriangular(double[] u, int n) {
        double[] x = new double[n * n];
        for (int i = n - 1; i >= 0; i--) {
            double d = u[i * n + i];
            if (d == 0.0 || !Double.isFinite(d)) {
                throw new SingularMatrixException(i);
            }
            // row i of X: X[i][j] = (δ_ij - Σ_{k>i} U[i][k] X[k][j]) / U[i][i]
            int ri = i * n;
            x[ri + i] = 1.0;
            for (int k = i + 1; k < n; k++) {
                double f = u[ri + k];
                if (f != 0.0) {
                    int rk = k * n;
                    for (int j = k; j < n; j++) {
                        x[ri + j] -= f * x[rk + j];
                    }
                }
            }
            double inv = 1.0 / d;
            for (int j = i; j < n; j++) {
                x[ri + j] *= inv;
            }
        }
        return x;
    }

    /** The matrix 1-norm: the largest absolute column sum. */
    static double norm1(double[] a, int rows, int cols) {
        double[] sums = new double[cols];
        for (int i = 0; i < rows; i++) {
            int r = i * cols;
            for (int j = 0; j < cols; j++) {
                sums[j] += Math.abs(a[r + j]);
            }
        }
        double max = 0.0;
        for (double s : sums) {
            max = Math.max(max, s);
        }
        return max;
    }

    /** Transpose of a {@code rows × cols} matrix. */
    static double[] transpose(double[] a, int rows, int cols) {
        double[] t = new double[rows * cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    private static final int BLOCK = 64;

    /**
     * {@code out = a · b} for {@code a} ({@code rows × inner}) and {@code b} ({@code inner ×
     * cols}), blocked over rows and the inner dimension; the innermost loop runs along a row of
     * {@code b} and {@code out}. {@code out} (length {@code rows*cols}) is overwritten and must not
     * alias {@code a} or {@code b}.
     */
    static void multiply(double[] a, int rows, int inner, double[] b, int cols, double[] out) {
        if (out == a || out == b) {
            throw new IllegalArgumentException("output array aliases an input");
        }
        java.util.Arrays.fill(out, 0, rows * cols, 0.0);
        for (int i0 = 0; i0 < rows; i0 += BLOCK) {
            int i1 = Math.min(rows, i0 + BLOCK);
            for (int k0 = 0; k0 < inner; k0 += BLOCK) {
                int k1 = Math.min(inner, k0 + BLOCK);
                for (int i = i0; i < i1; i++) {
                    int ra = i * inner;
                    int ro = i * cols;
                    for (int k = k0; k < k1; k++) {
                        double f = a[ra + k];
                        if (f == 0.0) {
                            continue;
                        }
                        int rb = k * cols;
                        for (int j = 0; j < cols; j++) {
                            out[ro + j] += f * b[rb + j];
                        }
                    }
                }
            }
        }
    }

    /** A thin singular value decomposition {@code A = U diag(s) Vᵀ} of an {@code m × n}, m ≥ n matrix. */
    static final class Svd {
        final int m;
        final int n;
        /** m × n row-major, orthonormal columns (a column with s = 0 is zero). */
        final double[] u;
        /** n singular values, descending. */
        final double[] s;
        /** n × n row-major, orthogonal. */
        final double[] v;

        Svd(int m, int n, double[] u, double[] s, double[] v) {
            this.m = m;
            this.n = n;
            this.u = u;
            this.s = s;
            this.v = v;
        }

        /** {@code s[0] / s[n-1]}; infinite when the smallest singular value is zero. */
        double condition() {
            return s[n - 1] == 0.0 ? Double.POSITIVE_INFINITY : s[0] / s[n - 1];
        }

        /** Default rank tolerance {@code max(m,n) · ulp(1) · s[0]}. */
        double defaultTolerance() {
            return Math.max(m, n) * Math.ulp(1.0) * s[0];
        }

        int rank(double tol) {
            int r = 0;
            while (r < n && s[r] > tol) {
                r++;
            }
            return r;
        }

        /** The pseudo-inverse {@code V diag(1/s) Uᵀ} ({@code n × m}), dropping {@code s ≤ tol}. */
        double[] pseudoInverse(double tol) {
            int r = rank(tol);
            double[] p = new double[n * m];
            // the columns of U made contiguous (the same values, the same products and sums in the
            // same order as reading u[j * n + k] in place, without a stride of n through U)
            double[] uk = new double[m];
            for (int k = 0; k < r; k++) {
                for (int j = 0; j < m; j++) {
                    uk[j] = u[j * n + k];
                }
                double inv = 1.0 / s[k];
                for (int i = 0; i < n; i++) {
                    double f = v[i * n + k] * inv;
                    if (f == 0.0) {
                        continue;
                    }
                    int rp = i * m;
                    for (int j = 0; j < m; j++) {
                        p[rp + j] += f * uk[j];
                    }
                }
            }
            return p;
        }
    }

    private static final int MAX_SWEEPS = 80;

    /**
     * One-sided (Hestenes) Jacobi SVD of an {@code m × n} matrix with {@code m ≥ n}: plane
     * rotations orthogonalise the columns; the column norms are the singular values. Accurate to
     * high relative precision in the singular values, cost {@code O(m n²)} per sweep.
     */
    static Svd svd(double[] a, int m, int n) {
        if (m < n) {
            throw new IllegalArgumentException("svd needs rows >= columns, got " + m + " x " + n);
        }
        double[][] g = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                g[j][i] = a[i * n + j];
            }
        }
        double[][] vc = new double[n][n];
        for (int j = 0; j < n; j++) {
            vc[j][j] = 1.0;
        }
        double eps = Math.ulp(1.0);
        for (int sweep = 0; sweep < MAX_SWEEPS; sweep++) {
            if (!sweep(g, vc, m, n, eps)) {
                break;
            }
        }
        double[] sv = new double[n];
        for (int j = 0; j < n; j++) {
            double ss = 0.0;
            for (int i = 0; i < m; i++) {
                ss += g[j][i] * g[j][i];
            }
            sv[j] = Math.sqrt(ss);
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
        double[] u = new double[m * n];
        double[] s = new double[n];
        double[] v = new double[n * n];
        for (int k = 0; k < n; k++) {
            int j = order[k];
            s[k] = sv[j];
            double inv = sv[j] == 0.0 ? 0.0 : 1.0 / sv[j];
            for (int i = 0; i < m; i++) {
                u[i * n + k] = g[j][i] * inv;
            }
            for (int i = 0; i < n; i++) {
                v[i * n + k] = vc[j][i];
            }
        }
        return new Svd(m, n, u, s, v);
    }

    /** Rows of pairs a sweep walks together (see {@link #sweep}). */
    private static final int WAVE = 4;

    /**
     * One cyclic-by-row sweep over the pairs {@code (p, q)}, {@code p < q}: the rotations of
     * {@link #svd}, in an order that gives the same bits as taking the pairs one by one row by row.
     * Rows {@code p, …, p+WAVE-1} are walked together as a wavefront: at step {@code t} row {@code p+j}
     * takes column {@code p+1+t-j} (once {@code t ≥ 2j}). The pairs of one step touch different
     * columns, and every pair that precedes one of them in row order and shares a column with it ran
     * at an earlier step ({@code (p+i, c)} for {@code i < j} runs {@code j-i} steps before
     * {@code (p+j, c)}, and {@code (p+i, p+j)} at step {@code i+j-1 < 2j}), so each rotation sees exactly
     * the columns it sees in row order and computes the same sums in the same order. A step's sums run
     * in one pass over the rows (independent additions instead of one chain), and a column read by
     * row {@code p} is read again by the next rows while it is still in cache.
     *
     * @return whether any pair was rotated
     */
    private static boolean sweep(double[][] g, double[][] vc, int m, int n, double eps) {
        boolean rotated = false;
        int[] ps = new int[WAVE];
        int[] qs = new int[WAVE];
        for (int p = 0; p < n - 1; p += WAVE) {
            int rows = Math.min(WAVE, n - 1 - p);
            for (int t = 0; ; t++) {
                int active = 0;
                boolean more = false;
                for (int j = 0; j < rows; j++) {
                    int c = p + 1 + t - j;
                    if (t >= 2 * j && c <= n - 1) {
                        ps[active] = p + j;
                        qs[active] = c;
                        active++;
                    }
                    if (c <= n - 1) {
                        more = true;
                    }
                }
                if (!more) {
                    break;
                }
                int k = 0;
                for (; k + 3 < active; k += 4) {
                    if (rotateFour(g, vc, ps, qs, k, m, n, eps)) {
                        rotated = true;
                    }
                }
                for (; k + 1 < active; k += 2) {
                    if (rotateTwo(g, vc, ps[k], qs[k], ps[k + 1], qs[k + 1], m, n, eps)) {
                        rotated = true;
                    }
                }
                if (k < active && rotateOne(g, vc, ps[k], qs[k], m, n, eps)) {
                    rotated = true;
                }
            }
        }
        return rotated;
    }

    /** Four pairs on eight different columns: each pair's sums as in {@link #rotateOne}, in one pass. */
    private static boolean rotateFour(double[][] g, double[][] vc, int[] ps, int[] qs, int k, int m, int n,
                                      double eps) {
        double[] x0 = g[ps[k]];
        double[] y0 = g[qs[k]];
        double[] x1 = g[ps[k + 1]];
        double[] y1 = g[qs[k + 1]];
        double[] x2 = g[ps[k + 2]];
        double[] y2 = g[qs[k + 2]];
        double[] x3 = g[ps[k + 3]];
        double[] y3 = g[qs[k + 3]];
        double a0 = 0.0, b0 = 0.0, c0 = 0.0;
        double a1 = 0.0, b1 = 0.0, c1 = 0.0;
        double a2 = 0.0, b2 = 0.0, c2 = 0.0;
        double a3 = 0.0, b3 = 0.0, c3 = 0.0;
        for (int i = 0; i < m; i++) {
            double u0 = x0[i];
            double v0 = y0[i];
            double u1 = x1[i];
            double v1 = y1[i];
            double u2 = x2[i];
            double v2 = y2[i];
            double u3 = x3[i];
            double v3 = y3[i];
            a0 += u0 * u0;
            b0 += v0 * v0;
            c0 += u0 * v0;
            a1 += u1 * u1;
            b1 += v1 * v1;
            c1 += u1 * v1;
            a2 += u2 * u2;
            b2 += v2 * v2;
            c2 += u2 * v2;
            a3 += u3 * u3;
            b3 += v3 * v3;
            c3 += u3 * v3;
        }
        boolean r0 = rotate(g, vc, ps[k], qs[k], a0, b0, c0, m, n, eps);
        boolean r1 = rotate(g, vc, ps[k + 1], qs[k + 1], a1, b1, c1, m, n, eps);
        boolean r2 = rotate(g, vc, ps[k + 2], qs[k + 2], a2, b2, c2, m, n, eps);
        boolean r3 = rotate(g, vc, ps[k + 3], qs[k + 3], a3, b3, c3, m, n, eps);
        return r0 || r1 || r2 || r3;
    }

    /** Pair {@code (p, q)} of the sweep: its three sums, then {@link #rotate}. */
    private static boolean rotateOne(double[][] g, double[][] vc, int p, int q, int m, int n, double eps) {
        double[] gp = g[p];
        double[] gq = g[q];
        double alpha = 0.0;
        double beta = 0.0;
        double gamma = 0.0;
        for (int i = 0; i < m; i++) {
            alpha += gp[i] * gp[i];
            beta += gq[i] * gq[i];
            gamma += gp[i] * gq[i];
        }
        return rotate(g, vc, p, q, alpha, beta, gamma, m, n, eps);
    }

    /**
     * Two pairs {@code (p, q)} and {@code (r, t)} on four different columns: each pair's sums as in
     * {@link #rotateOne}, computed in one pass, then their rotations.
     */
    private static boolean rotateTwo(double[][] g, double[][] vc, int p, int q, int r, int t, int m, int n,
                                     double eps) {
        double[] gp = g[p];
        double[] gq = g[q];
        double[] gr = g[r];
        double[] gt = g[t];
        double alpha0 = 0.0;
        double beta0 = 0.0;
        double gamma0 = 0.0;
        double alpha1 = 0.0;
        double beta1 = 0.0;
        double gamma1 = 0.0;
        for (int i = 0; i < m; i++) {
            double x0 = gp[i];
            double y0 = gq[i];
            double x1 = gr[i];
            double y1 = gt[i];
            alpha0 += x0 * x0;
            beta0 += y0 * y0;
            gamma0 += x0 * y0;
            alpha1 += x1 * x1;
            beta1 += y1 * y1;
            gamma1 += x1 * y1;
        }
        boolean first = rotate(g, vc, p, q, alpha0, beta0, gamma0, m, n, eps);
        boolean second = rotate(g, vc, r, t, alpha1, beta1, gamma1, m, n, eps);
        return first || second;
    }

    /** Rotates columns {@code p, q} (and their columns of V) unless they are already orthogonal enough. */
    private static boolean rotate(double[][] g, double[][] vc, int p, int q, double alpha, double beta, double gamma,
                                  int m, int n, double eps) {
        if (gamma == 0.0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) {
            return false;
        }
        double zeta = (beta - alpha) / (2.0 * gamma);
        double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
        if (zeta == 0.0) {
            t = 1.0;
        }
        double c = 1.0 / Math.sqrt(1.0 + t * t);
        double s = c * t;
        double[] gp = g[p];
        double[] gq = g[q];
        for (int i = 0; i < m; i++) {
            double x = gp[i];
            double y = gq[i];
            gp[i] = c * x - s * y;
            gq[i] = s * x + c * y;
        }
        double[] vp = vc[p];
        double[] vq = vc[q];
        for (int i = 0; i < n; i++) {
            double x = vp[i];
            double y = vq[i];
            vp[i] = c * x - s * y;
            vq[i] = s * x + c * y;
        }
        return true;
    }
}
