package org.vtm.interpreter.engine.stm;

import java.util.Arrays;

/**
 * Dense kernels over caller-owned row-major {@code double[]} with offsets: the three matrix products a
 * layer's forward and backward pass need, each with an axpy-shaped inner loop over a contiguous row (which the
 * JIT vectorises). They serve the small products (the Θ head, a partial segment); the LSTM cells and the output
 * layer put their large products through the backend's BLAS ({@link NdStage}), which a profile showed to take
 * 70 % of an update when done here. A zero in the left operand skips its row of the right one.
 */
final class Dense {
    private Dense() {
    }

    /** {@code c[m×n] (+)= a[m×k]·b[k×n]}; {@code c} must not alias {@code a} or {@code b}. */
    static void mul(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n,
            boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ci = co + i * n;
            if (!accumulate) {
                Arrays.fill(c, ci, ci + n, 0.0);
            }
            int ai = ao + i * k;
            for (int p = 0; p < k; p++) {
                double s = a[ai + p];
                if (s == 0.0) {
                    continue;
                }
                int bp = bo + p * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += s * b[bp + j];
                }
            }
        }
    }

    /** {@code c[m×n] (+)= aᵀ·b} with {@code a[k×m]}, {@code b[k×n]}; {@code c} must not alias either. */
    static void mulTransA(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n,
            boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, co, co + m * n, 0.0);
        }
        for (int p = 0; p < k; p++) {
            int ap = ao + p * m;
            int bp = bo + p * n;
            for (int i = 0; i < m; i++) {
                double s = a[ap + i];
                if (s == 0.0) {
                    continue;
                }
                int ci = co + i * n;
                for (int j = 0; j < n; j++) {
                    c[ci + j] += s * b[bp + j];
                }
            }
        }
    }

    /** {@code c[m×n] (+)= a[m×k]·bᵀ} with {@code b[n×k]} (dot products; for small operands). */
    static void mulTransB(double[] a, int ao, double[] b, int bo, double[] c, int co, int m, int k, int n,
            boolean accumulate) {
        for (int i = 0; i < m; i++) {
            int ai = ao + i * k;
            for (int j = 0; j < n; j++) {
                int bj = bo + j * k;
                double s = 0;
                for (int p = 0; p < k; p++) {
                    s += a[ai + p] * b[bj + p];
                }
                c[co + i * n + j] = accumulate ? c[co + i * n + j] + s : s;
            }
        }
    }

    /** {@code out[cols×rows] = in[rows×cols]ᵀ}. */
    static void transpose(double[] in, int rows, int cols, double[] out) {
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out[c * rows + r] = in[r * cols + c];
            }
        }
    }

    /** {@code c[n] (+)= Σ_rows a[rows×n]} (column sums, e.g. a bias gradient). */
    static void columnSums(double[] a, int ao, int rows, int n, double[] c, boolean accumulate) {
        if (!accumulate) {
            Arrays.fill(c, 0, n, 0.0);
        }
        for (int r = 0; r < rows; r++) {
            int ar = ao + r * n;
            for (int j = 0; j < n; j++) {
                c[j] += a[ar + j];
            }
        }
    }

    static double sigmoid(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }
}
