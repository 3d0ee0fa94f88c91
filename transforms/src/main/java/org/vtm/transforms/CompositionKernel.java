package org.vtm.transforms;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Substitution of a series without constant term into a polynomial, {@code Σ_β w_β u^β}, for
 * {@link TensorSeries#compose}: the monomials {@code u^β = u^{pred(β)} · u_j} in canonical order of
 * {@code β}, then the weighted sum.
 *
 * <p>It performs exactly the floating-point operations of the dense reference (every product by
 * {@link SeriesKernels#mul} and a sum over all coefficients) minus those with a factor that is zero
 * by structure: {@code u^β} has no terms below degree {@code |β|} and {@code u} no constant, so for
 * {@code |β| = k} only pairs {@code (α, γ-α)} with {@code |α| ≥ k-1} and {@code |γ-α| ≥ 1} and only
 * outputs of degree {@code ≥ k} remain. The kept terms are summed in the reference's groups and
 * order (the reference adds up to four pair products per pass), so for finite inputs and outputs
 * every non-zero result is bit-identical: a dropped term is an exact {@code ±0}, which changes at
 * most the sign of a zero partial sum, and the final sums start at {@code +0.0}, which no sign of
 * zero can turn into {@code -0.0}. {@link TensorSeries#compose} falls back to the reference when an
 * input or output is not finite.
 *
 * <p>The tables depend only on the inner series space and are compiled once per {@code (d, n)} and
 * cached; the monomial work array is per thread.
 */
final class CompositionKernel {

    private static final ConcurrentHashMap<MultiIndexSet, CompositionKernel> CACHE = new ConcurrentHashMap<>();
    private static final ThreadLocal<double[]> SCRATCH = new ThreadLocal<>();

    private final MultiIndexSet set;
    /**
     * For degree k ≥ 2 (index k): output g in [countUpToDegree(k-1), M) has groups
     * [groupStart[k][g - lo], groupStart[k][g - lo + 1]) in groupEnd[k]; group q has terms
     * [q == first ? termStart : groupEnd[k][q-1], groupEnd[k][q]) of termLeft/termRight.
     */
    private final int[][] groupStart;
    private final int[][] groupEnd;
    private final int[][] termLeft;
    private final int[][] termRight;

    static CompositionKernel of(MultiIndexSet set) {
        CompositionKernel k = CACHE.get(set);
        return k != null ? k : CACHE.computeIfAbsent(set, CompositionKernel::new);
    }

    private CompositionKernel(MultiIndexSet set) {
        this.set = set;
        int n = set.order();
        int M = set.size();
        int[] start = set.pairStart();
        int[] left = set.pairLeft();
        int[] right = set.pairRight();
        int[] deg = set.degreesArray();
        groupStart = new int[n + 1][];
        groupEnd = new int[n + 1][];
        termLeft = new int[n + 1][];
        termRight = new int[n + 1][];
        for (int k = 2; k <= n; k++) {
            int lo = set.countUpToDegree(k - 1);
            IntList gs = new IntList();
            IntList ge = new IntList();
            IntList tl = new IntList();
            IntList tr = new IntList();
            for (int g = lo; g < M; g++) {
                gs.add(ge.size());
                int from = start[g];
                int to = start[g + 1];
                // the reference's groups (SeriesKernels.assignPairs / accumulatePairs): the two constant-term
                // products (always zero here) with the first two pairs, then fours, a two, a one
                int t = from;
                int first = to - from >= 2 ? 2 : 0;
                t = addGroup(k, deg, left, right, t, t + first, tl, tr, ge);
                while (t + 3 < to) {
                    t = addGroup(k, deg, left, right, t, t + 4, tl, tr, ge);
                }
                if (t + 1 < to) {
                    t = addGroup(k, deg, left, right, t, t + 2, tl, tr, ge);
                }
                if (t < to) {
                    t = addGroup(k, deg, left, right, t, t + 1, tl, tr, ge);
                }
            }
            gs.add(ge.size());
            groupStart[k] = gs.toArray();
            groupEnd[k] = ge.toArray();
            termLeft[k] = tl.toArray();
            termRight[k] = tr.toArray();
        }
    }

    /** Appends the non-zero terms of pairs [from, to) as one group (none if all vanish); returns to. */
    private static int addGroup(int k, int[] deg, int[] left, int[] right, int from, int to, IntList tl, IntList tr,
                                IntList ge) {
        int before = tl.size();
        for (int t = from; t < to; t++) {
            if (deg[left[t]] >= k - 1) { // right is never the constant in the strict table
                tl.add(left[t]);
                tr.add(right[t]);
            }
        }
        if (tl.size() > before) {
            ge.add(tl.size());
        }
        return to;
    }

    /**
     * {@code out[i*M + γ] = Σ_β w[i*outerM + β] · (u^β)[γ]} for {@code i < outputs}, {@code β} over
     * the {@code mid.size()} monomials of {@code mid} (whose order equals this set's) and
     * {@code γ < M}; {@code u[j]} holds the series {@code u_j} (its constant ignored, treated as
     * zero). {@code out} must be zero on entry.
     */
    void substitute(MultiIndexSet mid, double[][] u, double[] w, int outerM, int outputs, double[] out) {
        final int M = set.size();
        final int Mm = mid.size();
        double[] mono = SCRATCH.get();
        if (mono == null || mono.length < (long) Mm * M) {
            mono = new double[Mm * M];
            SCRATCH.set(mono);
        }
        int[] pred = mid.predecessorArray();
        int[] pv = mid.predecessorVariableArray();
        int[] midDeg = mid.degreesArray();
        mono[0] = 1.0;
        int lo1 = mid.countUpToDegree(0);
        int hi1 = mid.countUpToDegree(1);
        for (int b = lo1; b < hi1; b++) {
            // 1·u_j: the reference's 1·u_j[γ] + u^0[γ]·u_j[0] + zeros
            System.arraycopy(u[pv[b]], 1, mono, b * M + 1, M - 1);
        }
        for (int k = 2; k <= mid.order(); k++) {
            // the monomials of degree k all use the same terms; eight at a time give eight independent sums
            int b = mid.countUpToDegree(k - 1);
            int bEnd = mid.countUpToDegree(k);
            for (; b + 7 < bEnd; b += 8) {
                monomials8(k, b, pred, pv, u, mono, M);
            }
            for (; b + 3 < bEnd; b += 4) {
                monomials4(k, b, pred, pv, u, mono, M);
            }
            for (; b < bEnd; b++) {
                monomial(k, b, pred[b] * M, u[pv[b]], mono, M);
            }
        }
        for (int i = 0; i < outputs; i++) {
            int oi = i * M;
            int wi = i * outerM;
            for (int b = 0; b < Mm; b++) {
                double wb = w[wi + b];
                if (wb == 0) {
                    continue;
                }
                if (b == 0) {
                    out[oi] += wb * mono[0];
                    continue;
                }
                int mb = b * M;
                for (int g = set.countUpToDegree(midDeg[b] - 1); g < M; g++) {
                    out[oi + g] += wb * mono[mb + g];
                }
            }
        }
    }

    /** {@code mono[b] = mono[pred(b)] · u_j} on the outputs of degree {@code >= k}, the reference's groups. */
    private void monomial(int k, int b, int xb, double[] y, double[] mono, int M) {
        int lo = set.countUpToDegree(k - 1);
        int mb = b * M;
        int[] gs = groupStart[k];
        int[] ge = groupEnd[k];
        int[] tl = termLeft[k];
        int[] tr = termRight[k];
        int t = 0;
        for (int g = lo; g < M; g++) {
            double acc = 0.0;
            for (int q = gs[g - lo], qe = gs[g - lo + 1]; q < qe; q++) {
                int end = ge[q];
                double s = mono[xb + tl[t]] * y[tr[t]];
                for (t++; t < end; t++) {
                    s += mono[xb + tl[t]] * y[tr[t]];
                }
                acc += s;
            }
            mono[mb + g] = acc;
        }
    }

    /** {@link #monomial} for {@code b .. b+3} at once (each sum in its own order, so the same bits). */
    private void monomials4(int k, int b, int[] pred, int[] pv, double[][] u, double[] mono, int M) {
        int lo = set.countUpToDegree(k - 1);
        int x0 = pred[b] * M;
        int x1 = pred[b + 1] * M;
        int x2 = pred[b + 2] * M;
        int x3 = pred[b + 3] * M;
        double[] y0 = u[pv[b]];
        double[] y1 = u[pv[b + 1]];
        double[] y2 = u[pv[b + 2]];
        double[] y3 = u[pv[b + 3]];
        int m0 = b * M;
        int[] gs = groupStart[k];
        int[] ge = groupEnd[k];
        int[] tl = termLeft[k];
        int[] tr = termRight[k];
        int t = 0;
        for (int g = lo; g < M; g++) {
            double a0 = 0.0;
            double a1 = 0.0;
            double a2 = 0.0;
            double a3 = 0.0;
            for (int q = gs[g - lo], qe = gs[g - lo + 1]; q < qe; q++) {
                int end = ge[q];
                int l = tl[t];
                int r = tr[t];
                double s0 = mono[x0 + l] * y0[r];
                double s1 = mono[x1 + l] * y1[r];
                double s2 = mono[x2 + l] * y2[r];
                double s3 = mono[x3 + l] * y3[r];
                for (t++; t < end; t++) {
                    l = tl[t];
                    r = tr[t];
                    s0 += mono[x0 + l] * y0[r];
                    s1 += mono[x1 + l] * y1[r];
                    s2 += mono[x2 + l] * y2[r];
                    s3 += mono[x3 + l] * y3[r];
                }
                a0 += s0;
                a1 += s1;
                a2 += s2;
                a3 += s3;
            }
            mono[m0 + g] = a0;
            mono[m0 + M + g] = a1;
            mono[m0 + 2 * M + g] = a2;
            mono[m0 + 3 * M + g] = a3;
        }
    }

    /**
     * {@link #monomial} for {@code b .. b+7} at once: eight independent sums share each term's index loads
     * (each sum in its own order, so the same bits).
     */
    private void monomials8(int k, int b, int[] pred, int[] pv, double[][] u, double[] mono, int M) {
        int lo = set.countUpToDegree(k - 1);
        int x0 = pred[b] * M, x1 = pred[b + 1] * M, x2 = pred[b + 2] * M, x3 = pred[b + 3] * M;
        int x4 = pred[b + 4] * M, x5 = pred[b + 5] * M, x6 = pred[b + 6] * M, x7 = pred[b + 7] * M;
        double[] y0 = u[pv[b]], y1 = u[pv[b + 1]], y2 = u[pv[b + 2]], y3 = u[pv[b + 3]];
        double[] y4 = u[pv[b + 4]], y5 = u[pv[b + 5]], y6 = u[pv[b + 6]], y7 = u[pv[b + 7]];
        int m0 = b * M;
        int[] gs = groupStart[k];
        int[] ge = groupEnd[k];
        int[] tl = termLeft[k];
        int[] tr = termRight[k];
        int t = 0;
        for (int g = lo; g < M; g++) {
            double a0 = 0.0, a1 = 0.0, a2 = 0.0, a3 = 0.0, a4 = 0.0, a5 = 0.0, a6 = 0.0, a7 = 0.0;
            for (int q = gs[g - lo], qe = gs[g - lo + 1]; q < qe; q++) {
                int end = ge[q];
                int l = tl[t];
                int r = tr[t];
                double s0 = mono[x0 + l] * y0[r], s1 = mono[x1 + l] * y1[r], s2 = mono[x2 + l] * y2[r];
                double s3 = mono[x3 + l] * y3[r], s4 = mono[x4 + l] * y4[r], s5 = mono[x5 + l] * y5[r];
                double s6 = mono[x6 + l] * y6[r], s7 = mono[x7 + l] * y7[r];
                for (t++; t < end; t++) {
                    l = tl[t];
                    r = tr[t];
                    s0 += mono[x0 + l] * y0[r];
                    s1 += mono[x1 + l] * y1[r];
                    s2 += mono[x2 + l] * y2[r];
                    s3 += mono[x3 + l] * y3[r];
                    s4 += mono[x4 + l] * y4[r];
                    s5 += mono[x5 + l] * y5[r];
                    s6 += mono[x6 + l] * y6[r];
                    s7 += mono[x7 + l] * y7[r];
                }
                a0 += s0; a1 += s1; a2 += s2; a3 += s3; a4 += s4; a5 += s5; a6 += s6; a7 += s7;
            }
            mono[m0 + g] = a0;
            mono[m0 + M + g] = a1;
            mono[m0 + 2 * M + g] = a2;
            mono[m0 + 3 * M + g] = a3;
            mono[m0 + 4 * M + g] = a4;
            mono[m0 + 5 * M + g] = a5;
            mono[m0 + 6 * M + g] = a6;
            mono[m0 + 7 * M + g] = a7;
        }
    }

    /** A growable int array (compilation only). */
    private static final class IntList {
        private int[] a = new int[16];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = java.util.Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(a, size);
        }
    }
}
