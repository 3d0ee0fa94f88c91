package org.vtm.transforms;

/**
 * Flat kernels for truncated multivariate Taylor series, batched over points.
 *
 * <p>Every series argument is a {@code double[]} of length {@code M * P} in coefficient-major
 * layout {@code [M][P]}: coefficient {@code γ} of point {@code p} at {@code γ * P + p}. A single
 * series is the case {@code P = 1}. Coefficients are normalized ({@code c[α] = ∂^α f / α!}).
 * Output arrays are written, never aliased with inputs (callers guarantee it), and are the only
 * arguments modified.
 */
final class SeriesKernels {

    private SeriesKernels() {
    }

    /** {@code out = a * b} truncated to total degree {@code n}. */
    static void mul(MultiIndexSet set, int points, double[] a, double[] b, double[] out) {
        mulUpTo(set, points, a, b, out, set.size());
    }

    /** {@code out[γ] = (a * b)[γ]} for {@code γ < end}; entries at and beyond {@code end} untouched. */
    static void mulUpTo(MultiIndexSet set, int points, double[] a, double[] b, double[] out, int end) {
        final int P = points;
        final int[] start = set.pairStart();
        final int[] left = set.pairLeft();
        final int[] right = set.pairRight();
        for (int p = 0; p < P; p++) {
            out[p] = a[p] * b[p];
        }
        for (int g = 1; g < end; g++) {
            final int base = g * P;
            for (int p = 0; p < P; p++) {
                out[base + p] = a[p] * b[base + p] + a[base + p] * b[p];
            }
            for (int t = start[g], e = start[g + 1]; t < e; t++) {
                final int la = left[t] * P;
                final int rb = right[t] * P;
                for (int p = 0; p < P; p++) {
                    out[base + p] += a[la + p] * b[rb + p];
                }
            }
        }
    }

    /** {@code out = a / b} by the recurrence {@code b * q = a}, solved in canonical order. */
    static void div(MultiIndexSet set, int points, double[] a, double[] b, double[] out) {
        final int P = points;
        final int M = set.size();
        final int[] start = set.pairStart();
        final int[] left = set.pairLeft();
        final int[] right = set.pairRight();
        double[] inv = new double[P];
        for (int p = 0; p < P; p++) {
            inv[p] = 1.0 / b[p];
            out[p] = a[p] * inv[p];
        }
        for (int g = 1; g < M; g++) {
            final int base = g * P;
            for (int p = 0; p < P; p++) {
                out[base + p] = a[base + p] - b[base + p] * out[p];
            }
            for (int t = start[g], e = start[g + 1]; t < e; t++) {
                final int lq = left[t] * P;
                final int rb = right[t] * P;
                for (int p = 0; p < P; p++) {
                    out[base + p] -= out[lq + p] * b[rb + p];
                }
            }
            for (int p = 0; p < P; p++) {
                out[base + p] *= inv[p];
            }
        }
    }

    /**
     * {@code out = Σ_k f_k u^k} where {@code u} is {@code a} without its constant term and
     * {@code f} holds, per point, the univariate Taylor coefficients {@code f_k}, layout
     * {@code [n+1][P]}. Horner's scheme; the partial result multiplied by {@code u^k} later is
     * only computed to degree {@code n - k}.
     */
    static void horner(MultiIndexSet set, int points, double[] f, double[] a, double[] out) {
        final int P = points;
        final int n = set.order();
        final int[] start = set.pairStart();
        final int[] left = set.pairLeft();
        final int[] right = set.pairRight();
        if (n == 0) {
            System.arraycopy(f, 0, out, 0, P);
            return;
        }
        // double buffer; the final step (k = 0) writes into out
        double[] r = new double[set.countUpToDegree(n - 1) * P];
        double[] t = new double[r.length];
        System.arraycopy(f, n * P, r, 0, P);
        for (int k = n - 1; k >= 0; k--) {
            final double[] dst = k == 0 ? out : t;
            final int end = set.countUpToDegree(n - k);
            final int fk = k * P;
            for (int p = 0; p < P; p++) {
                dst[p] = f[fk + p];
            }
            for (int g = 1; g < end; g++) {
                final int base = g * P;
                for (int p = 0; p < P; p++) {
                    dst[base + p] = r[p] * a[base + p];
                }
                for (int s = start[g], e = start[g + 1]; s < e; s++) {
                    final int lr = left[s] * P;
                    final int ra = right[s] * P;
                    for (int p = 0; p < P; p++) {
                        dst[base + p] += r[lr + p] * a[ra + p];
                    }
                }
            }
            if (k > 0) {
                double[] swap = r;
                r = t;
                t = swap;
            }
        }
    }

    /**
     * {@code out = exp(a)} by the recurrence {@code |γ| e_γ = Σ_{α+β=γ} |β| a_β e_α} (from
     * {@code E exp(a) = exp(a) E a}, with {@code E} the Euler operator), one pass over the table.
     */
    static void exp(MultiIndexSet set, int points, double[] a, double[] out) {
        final int P = points;
        final int M = set.size();
        final int[] start = set.pairStart();
        final int[] left = set.pairLeft();
        final int[] right = set.pairRight();
        final int[] deg = set.degreesArray();
        for (int p = 0; p < P; p++) {
            out[p] = Math.exp(a[p]);
        }
        for (int g = 1; g < M; g++) {
            final int base = g * P;
            final double invDeg = 1.0 / deg[g];
            for (int p = 0; p < P; p++) {
                out[base + p] = a[base + p] * out[p];
            }
            for (int s = start[g], e = start[g + 1]; s < e; s++) {
                final int le = left[s] * P;
                final int ra = right[s] * P;
                final double w = deg[right[s]] * invDeg;
                for (int p = 0; p < P; p++) {
                    out[base + p] += w * a[ra + p] * out[le + p];
                }
            }
        }
    }

    /** {@code out = a + b}. */
    static void add(double[] a, double[] b, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /** {@code out = a - b}. */
    static void sub(double[] a, double[] b, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = a[i] - b[i];
        }
    }

    /** {@code out = s * a}. */
    static void scale(double s, double[] a, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = s * a[i];
        }
    }
}
