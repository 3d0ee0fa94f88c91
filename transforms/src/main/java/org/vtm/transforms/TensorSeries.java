package org.vtm.transforms;

import java.util.Arrays;
import java.util.Locale;

/**
 * The truncated expansion {@code e^{h∂}_n P} of a map {@code P : R^d -> R^m} at a point
 * {@code v0}: normalized coefficients {@code c[i][α] = ∂^α P_i(v0) / α!} for {@code |α| <= n},
 * stored output-major ({@code [i * M + index]}) in the canonical order of {@link MultiIndexSet}.
 * {@code P(v0 + h) ≈ Σ_α c[α] h^α = Σ_k w_k · h^{⊗k}}.
 *
 * <p>Immutable: arrays are copied in and out.
 */
public final class TensorSeries {

    /** Default tolerance of {@link #compose(TensorSeries)}: relative {@code 1e-9} (plus 1e-9 absolute). */
    public static final double DEFAULT_POINT_TOLERANCE = 1e-9;

    private final double[] point;
    private final int outputDim;
    private final MultiIndexSet set;
    private final double[] c;

    private TensorSeries(double[] point, int outputDim, MultiIndexSet set, double[] c) {
        this.point = point;
        this.outputDim = outputDim;
        this.set = set;
        this.c = c;
    }

    /** Takes ownership of the arrays (no validation beyond lengths); for internal producers. */
    static TensorSeries wrap(double[] point, int outputDim, MultiIndexSet set, double[] c) {
        return new TensorSeries(point, outputDim, set, c);
    }

    /**
     * A series from its parts (copied).
     *
     * @param point the expansion point {@code v0} (length {@code d >= 1})
     * @param coefficients output-major, length {@code outputDim * C(d+n, n)}
     */
    public static TensorSeries of(double[] point, int order, int outputDim, double[] coefficients) {
        SeriesChecks.notNull("point", point);
        SeriesChecks.notNull("coefficients", coefficients);
        if (outputDim < 1) {
            throw new IllegalArgumentException("outputDim must be >= 1, got " + outputDim);
        }
        MultiIndexSet set = MultiIndexSet.of(point.length, order);
        SeriesChecks.length("coefficients for outputDim=" + outputDim + ", d=" + point.length + ", n=" + order
                + " (outputDim * C(d+n, n))", coefficients.length, outputDim * set.size());
        return new TensorSeries(point.clone(), outputDim, set, coefficients.clone());
    }

    /**
     * The vector-valued expansion of {@code outputs} (one output each), all in one space, at the
     * point of their variables.
     *
     * @throws IllegalStateException if a variable's value is unknown or conflicting
     */
    public static TensorSeries of(Var... outputs) {
        SeriesChecks.notNull("outputs", outputs);
        if (outputs.length == 0) {
            throw new IllegalArgumentException("at least one output Var is needed");
        }
        Space space = SeriesChecks.notNull("outputs[0]", outputs[0]).space();
        ExpansionPoint pt = null;
        for (int i = 0; i < outputs.length; i++) {
            SeriesChecks.notNull("outputs[" + i + "]", outputs[i]);
            if (!outputs[i].space().equals(space)) {
                throw new IllegalArgumentException("outputs[" + i + "] lives in " + outputs[i].space()
                        + ", outputs[0] in " + space);
            }
            pt = ExpansionPoint.merge(pt, outputs[i].point());
        }
        double[] point = ExpansionPoint.resolve(pt, space.dim());
        return of(point, outputs);
    }

    /** As {@link #of(Var...)} with an explicit expansion point. */
    public static TensorSeries of(double[] point, Var... outputs) {
        SeriesChecks.notNull("point", point);
        Space space = outputs[0].space();
        SeriesChecks.length("point for " + space, point.length, space.dim());
        int M = space.multiIndices().size();
        double[] c = new double[outputs.length * M];
        for (int i = 0; i < outputs.length; i++) {
            if (!outputs[i].space().equals(space)) {
                throw new IllegalArgumentException("outputs[" + i + "] lives in " + outputs[i].space()
                        + ", outputs[0] in " + space);
            }
            System.arraycopy(outputs[i].raw(), 0, c, i * M, M);
        }
        return new TensorSeries(point.clone(), outputs.length, space.multiIndices(), c);
    }

    public int inputDim() {
        return set.dim();
    }

    public int outputDim() {
        return outputDim;
    }

    public int order() {
        return set.order();
    }

    /** The expansion point {@code v0} (a copy). */
    public double[] point() {
        return point.clone();
    }

    /** All coefficients, output-major {@code [out * M + index]} (a copy). */
    public double[] coefficients() {
        return c.clone();
    }

    /** The coefficients without a copy, for read-only use inside the package. */
    double[] rawCoefficients() {
        return c;
    }

    /** The normalized coefficient {@code c[out][index]}. */
    public double coefficient(int out, int index) {
        SeriesChecks.index("output", out, outputDim);
        SeriesChecks.index("coefficient index", index, set.size());
        return c[out * set.size() + index];
    }

    /** The values {@code P(v0)} (the constant terms). */
    public double[] values() {
        double[] v = new double[outputDim];
        for (int i = 0; i < outputDim; i++) {
            v[i] = c[i * set.size()];
        }
        return v;
    }

    public MultiIndexSet multiIndices() {
        return set;
    }

    /** The plain partial derivative {@code ∂^k P_out / ∂x_{j1} … ∂x_{jk}} at {@code v0}. */
    public double d(int out, int... indices) {
        SeriesChecks.index("output", out, outputDim);
        int idx = Var.derivativeIndex(set, indices);
        return c[out * set.size() + idx] * set.factorial(idx);
    }

    /** {@code W(h) = Σ_α c[α] h^α = Σ_k w_k · h^{⊗k}}, the truncated series at displacement {@code h}. */
    public double[] evaluate(double[] h) {
        SeriesChecks.notNull("h", h);
        SeriesChecks.length("displacement h", h.length, set.dim());
        int M = set.size();
        double[] mono = monomials(set, h);
        double[] r = new double[outputDim];
        for (int i = 0; i < outputDim; i++) {
            double s = 0;
            int base = i * M;
            for (int a = 0; a < M; a++) {
                s += c[base + a] * mono[a];
            }
            r[i] = s;
        }
        return r;
    }

    static double[] monomials(MultiIndexSet set, double[] h) {
        int M = set.size();
        int[] pred = set.predecessorArray();
        int[] pv = set.predecessorVariableArray();
        double[] mono = new double[M];
        mono[0] = 1;
        for (int a = 1; a < M; a++) {
            mono[a] = mono[pred[a]] * h[pv[a]];
        }
        return mono;
    }

    /** As {@link #fullTensor(int, long)} with the default budget. */
    public double[] fullTensor(int k) {
        return fullTensor(k, ExpansionBudget.defaultBytes());
    }

    /**
     * The seed's full tensor {@code w_k} of shape {@code m × d^k}, row-major:
     * {@code w_k[i][j1..jk] = c[i][α(j)] · α!/k!}, symmetric in the last {@code k} indices, so
     * that {@code Σ_k w_k · h^{⊗k} = W(h)}.
     *
     * @throws IllegalArgumentException if {@code k} is outside {@code [0, n]} or {@code m·d^k}
     *     doubles exceed {@code budgetBytes}
     */
    public double[] fullTensor(int k, long budgetBytes) {
        if (k < 0 || k > set.order()) {
            throw new IllegalArgumentException("tensor order k=" + k + " outside [0, " + set.order() + "]");
        }
        int d = set.dim();
        double bytes = 8.0 * outputDim * Math.pow(d, k);
        ExpansionBudget.check(bytes, budgetBytes, String.format(Locale.ROOT,
                "the full tensor w_%d (m=%d, d=%d: m*d^%d doubles)", k, outputDim, d, k));
        int width = 1;
        for (int i = 0; i < k; i++) {
            width *= d;
        }
        double kFact = 1;
        for (int i = 2; i <= k; i++) {
            kFact *= i;
        }
        // index of the multi-index of every tuple (same for all outputs)
        int[] tupleIndex = new int[width];
        int[] tuple = new int[k];
        int[] alpha = new int[d];
        for (int t = 0; t < width; t++) {
            Arrays.fill(alpha, 0);
            for (int j : tuple) {
                alpha[j]++;
            }
            tupleIndex[t] = set.index(alpha);
            for (int p = k - 1; p >= 0; p--) { // row-major odometer: last index fastest
                if (++tuple[p] < d) {
                    break;
                }
                tuple[p] = 0;
            }
        }
        int M = set.size();
        double[] w = new double[outputDim * width];
        for (int i = 0; i < outputDim; i++) {
            for (int t = 0; t < width; t++) {
                int a = tupleIndex[t];
                w[i * width + t] = c[i * M + a] * set.factorial(a) / kFact;
            }
        }
        return w;
    }

    /** As {@link #compose(TensorSeries, double)} with {@link #DEFAULT_POINT_TOLERANCE}. */
    public TensorSeries compose(TensorSeries inner) {
        return compose(inner, DEFAULT_POINT_TOLERANCE);
    }

    /**
     * The expansion of {@code this ∘ inner} at {@code inner.point()}, from the two expansions
     * alone: the non-constant part of {@code inner} is substituted into this polynomial. The result
     * has order {@code min(this.order(), inner.order())} and is exact to that order.
     *
     * @param tolerance relative tolerance (plus the same absolute) for
     *     {@code this.point() == inner's values}
     * @throws IllegalArgumentException on a dimension mismatch, or if this series is not expanded
     *     at inner's values
     */
    public TensorSeries compose(TensorSeries inner, double tolerance) {
        SeriesChecks.notNull("inner", inner);
        if (inner.outputDim != set.dim()) {
            throw new IllegalArgumentException("cannot compose: outer has " + set.dim()
                    + " inputs, inner has " + inner.outputDim + " outputs");
        }
        double[] innerValues = inner.values();
        for (int j = 0; j < innerValues.length; j++) {
            double a = point[j];
            double b = innerValues[j];
            if (!(Math.abs(a - b) <= tolerance * (1 + Math.max(Math.abs(a), Math.abs(b))))) {
                throw new IllegalArgumentException("cannot compose: outer is expanded at "
                        + Arrays.toString(point) + " but inner's values are " + Arrays.toString(innerValues)
                        + " (component " + j + " differs beyond tolerance " + tolerance + ")");
            }
        }
        int r = Math.min(set.order(), inner.set.order());
        MultiIndexSet in = MultiIndexSet.of(inner.set.dim(), r);
        MultiIndexSet mid = MultiIndexSet.of(set.dim(), r);
        int Mi = in.size();
        int Mm = mid.size();
        long budget = ExpansionBudget.defaultBytes();
        if (!(8.0 * Mi * Mm <= budget)) { // the message only when refusing
            ExpansionBudget.check(8.0 * Mi * Mm, budget,
                    "composition monomials (d=" + in.dim() + ", D=" + mid.dim() + ", n=" + r + ")");
        }
        // nilpotent parts of inner, truncated to order r (a prefix in canonical order)
        double[][] u = new double[mid.dim()][Mi];
        for (int j = 0; j < mid.dim(); j++) {
            System.arraycopy(inner.c, j * inner.set.size(), u[j], 0, Mi);
            u[j][0] = 0;
        }
        int outerM = set.size();
        if (finite(u, Mi) && finitePrefix(c, outputDim, outerM, Mm)) {
            double[] out = new double[outputDim * Mi];
            CompositionKernel.of(in).substitute(mid, u, c, outerM, outputDim, out);
            if (finite(out)) {
                return new TensorSeries(inner.point.clone(), outputDim, in, out);
            }
        }
        return new TensorSeries(inner.point.clone(), outputDim, in, substituteDense(in, mid, u, c, outerM, outputDim));
    }

    /**
     * Multiply-adds of one {@link #compose(TensorSeries)} of an outer series {@code R^D → R^m} with an inner
     * series {@code R^d → R^D}, both of order {@code n}: the cost model of the composition kernel. It counts
     * every product of the monomials {@code u^β} that is not zero by structure (one multiply-add each:
     * {@code u^{pred β}[α]·u_j[γ-α]} for {@code |α| ≥ |β|-1}, {@code |γ-α| ≥ 1}) and every term
     * {@code w_β·u^β[γ]} of the weighted sum with {@code |β| ≤ |γ|} (the constant {@code w_0·1} included; a zero
     * weight, whose terms the kernel skips, is counted like any other);
     * copies, finiteness checks and the gathers of the kernel are not counted.
     *
     * @param innerDim {@code d}
     * @param middleDim {@code D}
     * @param outputs {@code m}
     * @param order {@code n}
     */
    public static double composeMultiplyAdds(int innerDim, int middleDim, int outputs, int order) {
        if (outputs < 1) {
            throw new IllegalArgumentException("outputs must be >= 1, got " + outputs);
        }
        MultiIndexSet in = MultiIndexSet.of(innerDim, order);
        MultiIndexSet mid = MultiIndexSet.of(middleDim, order);
        return CompositionKernel.of(in).multiplyAdds(mid, outputs);
    }

    /**
     * The reference substitution {@code Σ_β c[β] u^β} with dense products; {@link CompositionKernel}
     * skips its structurally zero terms and is bit-identical to it whenever inputs and result are finite.
     */
    static double[] substituteDense(MultiIndexSet in, MultiIndexSet mid, double[][] u, double[] c, int outerM,
                                    int outputDim) {
        int Mi = in.size();
        int Mm = mid.size();
        // monomials u^β in canonical order of β
        double[] mono = new double[Mm * Mi];
        mono[0] = 1;
        int[] pred = mid.predecessorArray();
        int[] pv = mid.predecessorVariableArray();
        double[] left = new double[Mi];
        double[] prod = new double[Mi];
        for (int b = 1; b < Mm; b++) {
            System.arraycopy(mono, pred[b] * Mi, left, 0, Mi);
            SeriesKernels.mul(in, 1, left, u[pv[b]], prod);
            System.arraycopy(prod, 0, mono, b * Mi, Mi);
        }
        double[] out = new double[outputDim * Mi];
        for (int i = 0; i < outputDim; i++) {
            for (int b = 0; b < Mm; b++) {
                double w = c[i * outerM + b];
                if (w == 0) {
                    continue;
                }
                int mb = b * Mi;
                int oi = i * Mi;
                for (int g = 0; g < Mi; g++) {
                    out[oi + g] += w * mono[mb + g];
                }
            }
        }
        return out;
    }

    private static boolean finite(double[][] rows, int length) {
        for (double[] r : rows) {
            for (int i = 0; i < length; i++) {
                if (!Double.isFinite(r[i])) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean finite(double[] a) {
        for (double x : a) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the first {@code used} coefficients of every output are finite. */
    private static boolean finitePrefix(double[] c, int outputs, int stride, int used) {
        for (int i = 0; i < outputs; i++) {
            for (int j = 0; j < used; j++) {
                if (!Double.isFinite(c[i * stride + j])) {
                    return false;
                }
            }
        }
        return true;
    }

    /** This series truncated to a lower order {@code k <= n} (a prefix in canonical order). */
    public TensorSeries truncate(int k) {
        if (k < 0 || k > set.order()) {
            throw new IllegalArgumentException("truncation order " + k + " outside [0, " + set.order() + "]");
        }
        MultiIndexSet t = MultiIndexSet.of(set.dim(), k);
        int Mt = t.size();
        double[] r = new double[outputDim * Mt];
        for (int i = 0; i < outputDim; i++) {
            System.arraycopy(c, i * set.size(), r, i * Mt, Mt);
        }
        return new TensorSeries(point.clone(), outputDim, t, r);
    }

    @Override
    public String toString() {
        return "TensorSeries(d=" + set.dim() + ", m=" + outputDim + ", n=" + set.order()
                + ", at " + Arrays.toString(point) + ")";
    }
}
