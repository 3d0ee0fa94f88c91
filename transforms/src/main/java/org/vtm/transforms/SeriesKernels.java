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
            assignPairs(P, a, b, out, base, true, start[g], start[g + 1], left, right);
        }
    }

    /**
     * {@code out[base + p] = x[p]·y[base + p] (+ x[base + p]·y[p] if twoSided) + Σ_t x[left[t]·P + p] ·
     * y[right[t]·P + p]}: the constant-term products are fused with the first two pairs so the
     * row {@code base} is written in the same pass.
     */
    private static void assignPairs(int P, double[] x, double[] y, double[] out, int base, boolean twoSided,
                                    int from, int to, int[] left, int[] right) {
        int t = from;
        if (t + 1 < to) {
            final int l0 = left[t] * P;
            final int r0 = right[t] * P;
            final int l1 = left[t + 1] * P;
            final int r1 = right[t + 1] * P;
            if (twoSided) {
                for (int p = 0; p < P; p++) {
                    out[base + p] = x[p] * y[base + p] + x[base + p] * y[p]
                            + x[l0 + p] * y[r0 + p] + x[l1 + p] * y[r1 + p];
                }
            } else {
                for (int p = 0; p < P; p++) {
                    out[base + p] = x[p] * y[base + p] + x[l0 + p] * y[r0 + p] + x[l1 + p] * y[r1 + p];
                }
            }
            t += 2;
        } else if (twoSided) {
            for (int p = 0; p < P; p++) {
                out[base + p] = x[p] * y[base + p] + x[base + p] * y[p];
            }
        } else {
            for (int p = 0; p < P; p++) {
                out[base + p] = x[p] * y[base + p];
            }
        }
        accumulatePairs(P, x, y, out, base, t, to, left, right);
    }

    /**
     * {@code out[base + p] += Σ_t x[left[t]·P + p] · y[right[t]·P + p]} for {@code t} in
     * {@code [from, to)}; four pairs per pass over the points so {@code out} is loaded and stored
     * once per four products.
     */
    private static void accumulatePairs(int P, double[] x, double[] y, double[] out, int base, int from, int to,
                                        int[] left, int[] right) {
        int t = from;
        for (; t + 3 < to; t += 4) {
            final int l0 = left[t] * P;
            final int r0 = right[t] * P;
            final int l1 = left[t + 1] * P;
            final int r1 = right[t + 1] * P;
            final int l2 = left[t + 2] * P;
            final int r2 = right[t + 2] * P;
            final int l3 = left[t + 3] * P;
            final int r3 = right[t + 3] * P;
            for (int p = 0; p < P; p++) {
                out[base + p] += x[l0 + p] * y[r0 + p] + x[l1 + p] * y[r1 + p]
                        + x[l2 + p] * y[r2 + p] + x[l3 + p] * y[r3 + p];
            }
        }
        for (; t + 1 < to; t += 2) {
            final int l0 = left[t] * P;
            final int r0 = right[t] * P;
            final int l1 = left[t + 1] * P;
            final int r1 = right[t + 1] * P;
            for (int p = 0; p < P; p++) {
                out[base + p] += x[l0 + p] * y[r0 + p] + x[l1 + p] * y[r1 + p];
            }
        }
        if (t < to) {
            final int l0 = left[t] * P;
            final int r0 = right[t] * P;
            for (int p = 0; p < P; p++) {
                out[base + p] += x[l0 + p] * y[r0 + p];
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
            // out[γ] = (a[γ] - b[γ] q0 - Σ q[α] b[β]) / b0, the sum over lower-degree α, β
            assignPairs(P, out, b, out, base, false, start[g], start[g + 1], left, right);
            for (int p = 0; p < P; p++) {
                out[base + p] = (a[base + p] - out[base + p]) * inv[p];
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
        horner(set, points, f, a, out, null, null);
    }

    /**
     * As {@link #horner(MultiIndexSet, int, double[], double[], double[])} with caller-owned
     * scratch arrays of at least {@code countUpToDegree(n-1) * P} entries (overwritten), or
     * {@code null} to allocate them.
     */
    static void horner(MultiIndexSet set, int points, double[] f, double[] a, double[] out,
                       double[] scratch0, double[] scratch1) {
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
        int scratch = set.countUpToDegree(n - 1) * P;
        double[] r = scratch0 != null && scratch0.length >= scratch ? scratch0 : new double[scratch];
        double[] t = scratch1 != null && scratch1.length >= scratch ? scratch1 : new double[scratch];
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
                assignPairs(P, r, a, dst, base, false, start[g], start[g + 1], left, right);
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
            // out[γ] = a[γ]·e_0 + Σ_s w_s·a[right_s]·e[left_s], summed left to right; up to four terms per
            // pass over the points (x + t0 + t1 + … is ((x + t0) + t1) + …: the same roundings as one pass
            // per term)
            int s = start[g];
            final int e = start[g + 1];
            if (e - s >= 3) {
                final int l0 = left[s] * P, r0 = right[s] * P;
                final int l1 = left[s + 1] * P, r1 = right[s + 1] * P;
                final int l2 = left[s + 2] * P, r2 = right[s + 2] * P;
                final double w0 = deg[right[s]] * invDeg;
                final double w1 = deg[right[s + 1]] * invDeg;
                final double w2 = deg[right[s + 2]] * invDeg;
                for (int p = 0; p < P; p++) {
                    out[base + p] = a[base + p] * out[p] + w0 * a[r0 + p] * out[l0 + p]
                            + w1 * a[r1 + p] * out[l1 + p] + w2 * a[r2 + p] * out[l2 + p];
                }
                s += 3;
            } else {
                for (int p = 0; p < P; p++) {
                    out[base + p] = a[base + p] * out[p];
                }
            }
            for (; s + 3 < e; s += 4) {
                final int l0 = left[s] * P, r0 = right[s] * P;
                final int l1 = left[s + 1] * P, r1 = right[s + 1] * P;
                final int l2 = left[s + 2] * P, r2 = right[s + 2] * P;
                final int l3 = left[s + 3] * P, r3 = right[s + 3] * P;
                final double w0 = deg[right[s]] * invDeg;
                final double w1 = deg[right[s + 1]] * invDeg;
                final double w2 = deg[right[s + 2]] * invDeg;
                final double w3 = deg[right[s + 3]] * invDeg;
                for (int p = 0; p < P; p++) {
                    out[base + p] = out[base + p] + w0 * a[r0 + p] * out[l0 + p] + w1 * a[r1 + p] * out[l1 + p]
                            + w2 * a[r2 + p] * out[l2 + p] + w3 * a[r3 + p] * out[l3 + p];
                }
            }
            for (; s < e; s++) {
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
        add(out.length, a, b, out);
    }

    /** {@code out[i] = a[i] + b[i]} for {@code i < length}. */
    static void add(int length, double[] a, double[] b, double[] out) {
        for (int i = 0; i < length; i++) {
            out[i] = a[i] + b[i];
        }
    }

    /** {@code out = a - b}. */
    static void sub(double[] a, double[] b, double[] out) {
        sub(out.length, a, b, out);
    }

    /** {@code out[i] = a[i] - b[i]} for {@code i < length}. */
    static void sub(int length, double[] a, double[] b, double[] out) {
        for (int i = 0; i < length; i++) {
            out[i] = a[i] - b[i];
        }
    }

    /** {@code out = s * a}. */
    static void scale(double s, double[] a, double[] out) {
        scale(out.length, s, a, out);
    }

    /** {@code out[i] = s * a[i]} for {@code i < length}. */
    static void scale(int length, double s, double[] a, double[] out) {
        for (int i = 0; i < length; i++) {
            out[i] = s * a[i];
        }
    }
}
