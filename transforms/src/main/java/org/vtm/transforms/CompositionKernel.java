package org.vtm.transforms;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Substitution of a series without constant term into a polynomial, {@code Σ_β w_β u^β}, for
 * {@link TensorSeries#compose}: the monomials {@code u^β = u^{pred(β)} · u_j} by degree of {@code β},
 * then the weighted sum.
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
 * <p>Per degree {@code k} of {@code β} the operands are first gathered so that the monomials of that degree are
 * contiguous: {@code A[α][β] = u^{pred β}[α]} and {@code Y[ρ][β] = u_{j(β)}[ρ]}. The product table, specialised
 * per {@code (d, D, n)}, is a flat program: per output {@code γ} its groups, per group its terms as the offsets of
 * two rows of {@code A} and {@code Y}. It runs for eight monomials at a time (eight independent sums sharing each
 * term's two index loads, operands at consecutive addresses), the degree's monomials padded to a multiple of four
 * (the padding lanes compute values nobody reads). The weighted sum is the reference's loop over the
 * {@code [β][γ]} monomials, vectorised over {@code γ}.
 *
 * <p>The tables depend only on the inner and the middle series spaces and are compiled once per pair
 * and cached; the work arrays are per thread.
 */
final class CompositionKernel {

    private static final ConcurrentHashMap<MultiIndexSet, CompositionKernel> CACHE = new ConcurrentHashMap<>();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private final MultiIndexSet set;
    private final ConcurrentHashMap<MultiIndexSet, Plan> plans = new ConcurrentHashMap<>();

    static CompositionKernel of(MultiIndexSet set) {
        CompositionKernel k = CACHE.get(set);
        return k != null ? k : CACHE.computeIfAbsent(set, CompositionKernel::new);
    }

    private CompositionKernel(MultiIndexSet set) {
        this.set = set;
    }

    /** Per-thread work arrays, grown on demand. */
    private static final class Scratch {
        double[] t = new double[0];
        double[] a = new double[0];
        double[] y = new double[0];
    }

    private Plan plan(MultiIndexSet mid) {
        Plan p = plans.get(mid);
        return p != null ? p : plans.computeIfAbsent(mid, m -> new Plan(set, m));
    }

    /**
     * Multiply-adds of one {@link #substitute} call with {@code outputs} outputs, the cost model:
     * every kept pair product of the monomials (one multiply-add each) and every term of the weighted
     * sum ({@code w_β · u^β[γ]} for {@code |β| ≤ |γ|}, the constant {@code w_0·1} included, zero weights too).
     * The padding lanes of {@link #monomials} are not counted.
     */
    double multiplyAdds(MultiIndexSet mid, int outputs) {
        Plan p = plan(mid);
        return p.monomialMultiplyAdds + (double) outputs * p.weightedTermsPerOutput;
    }

    /**
     * {@code out[i*M + γ] = Σ_β w[i*outerM + β] · (u^β)[γ]} for {@code i < outputs}, {@code β} over
     * the {@code mid.size()} monomials of {@code mid} (whose order equals this set's) and
     * {@code γ < M}; {@code u[j]} holds the series {@code u_j} (its constant ignored, treated as
     * zero). {@code out} must be zero on entry.
     */
    void substitute(MultiIndexSet mid, double[][] u, double[] w, int outerM, int outputs, double[] out) {
        Plan p = plan(mid);
        final int M = p.Mi;
        final int Mm = p.Mm;
        Scratch s = SCRATCH.get();
        if (s.t.length < p.tSize) {
            s.t = new double[p.tSize];
        }
        if (s.a.length < p.aSize) {
            s.a = new double[p.aSize];
        }
        if (s.y.length < p.ySize) {
            s.y = new double[p.ySize];
        }
        final double[] mono = s.t;
        final double[] A = s.a;
        final double[] Y = s.y;
        int[] pv = mid.predecessorVariableArray();
        mono[0] = 1.0;
        for (int b = 1; b < p.mid1; b++) {
            // 1·u_j: the reference's 1·u_j[γ] + u^0[γ]·u_j[0] + zeros
            System.arraycopy(u[pv[b]], 1, mono, b * M + 1, M - 1);
        }
        for (int k = 2; k <= p.order; k++) {
            monomials(p, k, u, mono, A, Y);
        }
        int[] midDeg = mid.degreesArray();
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
                for (int g = p.inEnd[midDeg[b] - 1]; g < M; g++) {
                    out[oi + g] += wb * mono[mb + g];
                }
            }
        }
    }

    /**
     * The monomials of degree {@code k}: gathers {@code A[α][β] = u^{pred β}[α]} and {@code Y[ρ][β] = u_{j(β)}[ρ]}
     * (contiguous in {@code β}), then runs the degree's group program for eight monomials at a time (then four,
     * then one): eight independent sums in the reference's groups and order, whose operands are two contiguous
     * runs per term.
     */
    private static void monomials(Plan p, int k, double[][] u, double[] mono, double[] A, double[] Y) {
        final int M = p.Mi;
        final int N = p.width[k];
        final int[] predM = p.predTimesM[k];
        final int aLo = p.aLo[k];
        final int aHi = p.aHi[k];
        for (int l = aLo; l < aHi; l++) {
            final int row = (l - aLo) * N;
            for (int b = 0; b < N; b++) {
                A[row + b] = mono[predM[b] + l];
            }
        }
        // Y[ρ][β] = u_j[ρ] is constant over the runs of β with the same variable j
        final int[] runStart = p.runStart[k];
        final int[] runVar = p.runVariable[k];
        for (int q = 0; q < runVar.length; q++) {
            final double[] uj = u[runVar[q]];
            final int from = runStart[q];
            final int to = runStart[q + 1];
            for (int r = 1, yHi = p.yHi[k]; r < yHi; r++) {
                Arrays.fill(Y, (r - 1) * N + from, (r - 1) * N + to, uj[r]);
            }
        }
        final int[] prog = p.prog[k];
        final int dst = p.start[k] * M;
        // N is a multiple of four: the lanes past the degree's monomials compute values nobody reads (rows of the
        // next degree's monomials at outputs below that degree, or padding rows past the last monomial)
        int b = 0;
        for (; b + 7 < N; b += 8) {
            run8(prog, b, A, Y, mono, dst + b * M, M);
        }
        if (b < N) {
            run4(prog, b, A, Y, mono, dst + b * M, M);
        }
    }

    /** The group program for monomials {@code b0 .. b0+7} of one degree; results to {@code mono[base + i·M + γ]}. */
    private static void run8(int[] prog, int b0, double[] A, double[] Y, double[] mono, int base, int M) {
        int pc = 0;
        final int end = prog.length;
        while (pc < end) {
            final int groups = prog[pc];
            final int g = base + prog[pc + 1];
            pc += 2;
            double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0, c4 = 0.0, c5 = 0.0, c6 = 0.0, c7 = 0.0;
            for (int q = 0; q < groups; q++) {
                final int last = pc + 1 + 2 * prog[pc];
                int x = prog[pc + 1] + b0;
                int y = prog[pc + 2] + b0;
                double s0 = A[x] * Y[y], s1 = A[x + 1] * Y[y + 1], s2 = A[x + 2] * Y[y + 2], s3 = A[x + 3] * Y[y + 3];
                double s4 = A[x + 4] * Y[y + 4], s5 = A[x + 5] * Y[y + 5], s6 = A[x + 6] * Y[y + 6];
                double s7 = A[x + 7] * Y[y + 7];
                for (pc += 3; pc < last; pc += 2) {
                    x = prog[pc] + b0;
                    y = prog[pc + 1] + b0;
                    s0 += A[x] * Y[y];
                    s1 += A[x + 1] * Y[y + 1];
                    s2 += A[x + 2] * Y[y + 2];
                    s3 += A[x + 3] * Y[y + 3];
                    s4 += A[x + 4] * Y[y + 4];
                    s5 += A[x + 5] * Y[y + 5];
                    s6 += A[x + 6] * Y[y + 6];
                    s7 += A[x + 7] * Y[y + 7];
                }
                c0 += s0; c1 += s1; c2 += s2; c3 += s3; c4 += s4; c5 += s5; c6 += s6; c7 += s7;
            }
            mono[g] = c0;
            mono[g + M] = c1;
            mono[g + 2 * M] = c2;
            mono[g + 3 * M] = c3;
            mono[g + 4 * M] = c4;
            mono[g + 5 * M] = c5;
            mono[g + 6 * M] = c6;
            mono[g + 7 * M] = c7;
        }
    }

    /** {@link #run8} for four monomials. */
    private static void run4(int[] prog, int b0, double[] A, double[] Y, double[] mono, int base, int M) {
        int pc = 0;
        final int end = prog.length;
        while (pc < end) {
            final int groups = prog[pc];
            final int g = base + prog[pc + 1];
            pc += 2;
            double c0 = 0.0, c1 = 0.0, c2 = 0.0, c3 = 0.0;
            for (int q = 0; q < groups; q++) {
                final int last = pc + 1 + 2 * prog[pc];
                int x = prog[pc + 1] + b0;
                int y = prog[pc + 2] + b0;
                double s0 = A[x] * Y[y], s1 = A[x + 1] * Y[y + 1], s2 = A[x + 2] * Y[y + 2], s3 = A[x + 3] * Y[y + 3];
                for (pc += 3; pc < last; pc += 2) {
                    x = prog[pc] + b0;
                    y = prog[pc + 1] + b0;
                    s0 += A[x] * Y[y];
                    s1 += A[x + 1] * Y[y + 1];
                    s2 += A[x + 2] * Y[y + 2];
                    s3 += A[x + 3] * Y[y + 3];
                }
                c0 += s0; c1 += s1; c2 += s2; c3 += s3;
            }
            mono[g] = c0;
            mono[g + M] = c1;
            mono[g + 2 * M] = c2;
            mono[g + 3 * M] = c3;
        }
    }

    /**
     * The compiled tables for one pair (inner space {@code in}, middle space {@code mid}) of equal order
     * {@code n}. For each degree {@code k ≥ 2} of {@code β}: the {@code count[k]} monomials from
     * {@code start[k]}, their predecessors and variables; the rows {@code [aLo, aHi)} of {@code T} gathered
     * into {@code A}, the rows {@code [1, yHi)} of the {@code u_j} spread into {@code Y}; the outputs
     * {@code γ ≥ gLo}; and the group program {@code prog[k]}: per group {@code size, dst, (aOff, yOff)×size}.
     */
    private static final class Plan {
        final int order;
        final int Mi;
        final int Mm;
        final int mid1;
        final int[] inEnd;
        final int[] midEnd;
        final int[] start;
        final int[] count;
        /** count rounded up to a multiple of four: the row length of A and Y and the lanes computed. */
        final int[] width;
        final int[][] predTimesM;
        final int[][] runStart;
        final int[][] runVariable;
        final int[] aLo;
        final int[] aHi;
        final int[] yHi;
        final int[] gLo;
        final int[][] prog;
        final int tSize;
        final int aSize;
        final int ySize;
        final double monomialMultiplyAdds;
        final double weightedTermsPerOutput;

        Plan(MultiIndexSet in, MultiIndexSet mid) {
            if (in.order() != mid.order()) {
                throw new IllegalArgumentException("inner order " + in.order() + " != middle order " + mid.order());
            }
            int n = in.order();
            this.order = n;
            this.Mi = in.size();
            this.Mm = mid.size();
            this.mid1 = mid.countUpToDegree(1);
            inEnd = new int[n + 1];
            midEnd = new int[n + 1];
            for (int e = 0; e <= n; e++) {
                inEnd[e] = in.countUpToDegree(e);
                midEnd[e] = mid.countUpToDegree(e);
            }
            start = new int[n + 1];
            count = new int[n + 1];
            width = new int[n + 1];
            predTimesM = new int[n + 1][];
            runStart = new int[n + 1][];
            runVariable = new int[n + 1][];
            aLo = new int[n + 1];
            aHi = new int[n + 1];
            yHi = new int[n + 1];
            gLo = new int[n + 1];
            prog = new int[n + 1][];
            int[] pairStart = in.pairStart();
            int[] left = in.pairLeft();
            int[] right = in.pairRight();
            int[] deg = in.degreesArray();
            int[] midPred = mid.predecessorArray();
            int[] midVar = mid.predecessorVariableArray();
            int aMax = 0;
            int yMax = 0;
            double products = 0;
            for (int k = 2; k <= n; k++) {
                int st = mid.countUpToDegree(k - 1);
                int N = mid.countUpToDegree(k) - st;
                start[k] = st;
                count[k] = N;
                int W = (N + 3) & ~3;
                width[k] = W;
                predTimesM[k] = new int[W]; // padding lanes read row 0 (finite; their results are never read)
                IntList rs = new IntList();
                IntList rv = new IntList();
                for (int b = 0; b < N; b++) {
                    predTimesM[k][b] = midPred[st + b] * Mi;
                    if (b == 0 || midVar[st + b] != midVar[st + b - 1]) {
                        rs.add(b);
                        rv.add(midVar[st + b]);
                    }
                }
                rs.add(W); // the last run also covers the padding lanes
                runStart[k] = rs.toArray();
                runVariable[k] = rv.toArray();
                aLo[k] = in.countUpToDegree(k - 2);
                aHi[k] = in.countUpToDegree(n - 1);
                yHi[k] = in.countUpToDegree(n - k + 1);
                gLo[k] = in.countUpToDegree(k - 1);
                aMax = Math.max(aMax, (aHi[k] - aLo[k]) * W);
                yMax = Math.max(yMax, (yHi[k] - 1) * W);
                IntList code = new IntList();
                int[] terms = new int[8];
                for (int g = gLo[k]; g < Mi; g++) {
                    int from = pairStart[g];
                    int to = pairStart[g + 1];
                    // the reference's groups (SeriesKernels.assignPairs / accumulatePairs): the two constant-term
                    // products (always zero here) with the first two pairs, then fours, a two, a one
                    int first = to - from >= 2 ? 2 : 0;
                    int[] bounds = groupBounds(from, to, first);
                    int header = code.size();
                    code.add(0);
                    code.add(g);
                    int groups = 0;
                    for (int q = 0; q + 1 < bounds.length; q++) {
                        int size = 0;
                        for (int t = bounds[q]; t < bounds[q + 1]; t++) {
                            if (deg[left[t]] >= k - 1) { // right is never the constant in the strict table
                                if (left[t] >= aHi[k] || right[t] >= yHi[k]) {
                                    throw new AssertionError("pair outside the gathered rows");
                                }
                                terms[2 * size] = (left[t] - aLo[k]) * W;
                                terms[2 * size + 1] = (right[t] - 1) * W;
                                size++;
                            }
                        }
                        if (size > 0) {
                            code.add(size);
                            for (int x = 0; x < 2 * size; x++) {
                                code.add(terms[x]);
                            }
                            products += (double) size * N;
                            groups++;
                        }
                    }
                    code.set(header, groups);
                }
                prog[k] = code.toArray();
            }
            tSize = Mi * (Mm + 3); // room for the padding lanes of the last degree
            aSize = aMax;
            ySize = yMax;
            monomialMultiplyAdds = products;
            double weighted = 1; // w_0 · 1
            for (int g = 1; g < Mi; g++) {
                weighted += midEnd[in.degree(g)] - 1;
            }
            weightedTermsPerOutput = weighted;
        }

        /** Boundaries of the reference's groups over pairs [from, to): {@code first} pairs, then fours, a two, a one. */
        private static int[] groupBounds(int from, int to, int first) {
            IntList b = new IntList();
            b.add(from);
            int t = from + first;
            if (first > 0) {
                b.add(t);
            }
            while (t + 3 < to) {
                t += 4;
                b.add(t);
            }
            if (t + 1 < to) {
                t += 2;
                b.add(t);
            }
            if (t < to) {
                t += 1;
                b.add(t);
            }
            return b.toArray();
        }
    }

    /** A growable int array (compilation only). */
    private static final class IntList {
        private int[] a = new int[16];
        private int size;

        void add(int v) {
            if (size == a.length) {
                a = Arrays.copyOf(a, size * 2);
            }
            a[size++] = v;
        }

        int size() {
            return size;
        }

        void set(int i, int v) {
            a[i] = v;
        }

        int[] toArray() {
            return Arrays.copyOf(a, size);
        }
    }
}
