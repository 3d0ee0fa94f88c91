package org.vtm.transforms;

import java.util.Arrays;

/**
 * A truncated Taylor series in the variables of a {@link Space}: the value of a computation and
 * all its partial derivatives up to the space's order, at one point (dCpp's {@code var}).
 * Immutable; every operation returns a new {@code Var}.
 *
 * <p>Coefficients are normalized, {@code c[α] = ∂^α f / α!}, in the canonical multi-index order
 * of {@link MultiIndexSet}. Elementary functions are applied through their univariate Taylor
 * coefficients at the value, composed with the non-constant part by Horner's scheme on the
 * compiled product tables. Comparisons in user code use {@link #value()} only, so derivatives are
 * those of the branch taken.
 */
public final class Var {

    private final Space space;
    private final double[] c;
    private final ExpansionPoint point;

    /** Takes ownership of {@code c}. */
    Var(Space space, double[] c, ExpansionPoint point) {
        this.space = space;
        this.c = c;
        this.point = point;
    }

    /**
     * A {@code Var} from its normalized coefficients in canonical order (copied). Its expansion
     * point is unknown, so {@link #series()} needs the point: use {@link #series(double[])}.
     */
    public static Var ofCoefficients(Space space, double[] coefficientsInCanonicalOrder) {
        SeriesChecks.notNull("space", space);
        SeriesChecks.notNull("coefficients", coefficientsInCanonicalOrder);
        SeriesChecks.length("coefficients of " + space, coefficientsInCanonicalOrder.length,
                space.multiIndices().size());
        return new Var(space, coefficientsInCanonicalOrder.clone(), null);
    }

    public Space space() {
        return space;
    }

    /** The value {@code f(v0)}. */
    public double value() {
        return c[0];
    }

    /**
     * The plain partial derivative {@code ∂^k f / ∂x_{j1} … ∂x_{jk}} (no factorial); {@code d()} is
     * the value, {@code d(0, 1)} the mixed second derivative in {@code x0, x1}.
     *
     * @throws IllegalArgumentException for a variable out of range or {@code k} above the order
     */
    public double d(int... indices) {
        int idx = derivativeIndex(space.set(), indices);
        return c[idx] * space.set().factorial(idx);
    }

    static int derivativeIndex(MultiIndexSet set, int[] indices) {
        SeriesChecks.notNull("indices", indices);
        if (indices.length > set.order()) {
            throw new IllegalArgumentException("derivative of order " + indices.length + " "
                    + Arrays.toString(indices) + " requested, but the expansion has order " + set.order());
        }
        int[] alpha = new int[set.dim()];
        for (int j : indices) {
            SeriesChecks.index("variable", j, set.dim());
            alpha[j]++;
        }
        return set.index(alpha);
    }

    /** The normalized coefficient at canonical {@code index}. */
    public double coefficient(int index) {
        SeriesChecks.index("coefficient index", index, c.length);
        return c[index];
    }

    /** All normalized coefficients in canonical order (a copy). */
    public double[] coefficients() {
        return c.clone();
    }

    /** The expansion of this function as a one-output series at the point of its variables. */
    public TensorSeries series() {
        return TensorSeries.of(this);
    }

    /** The expansion as a one-output series at an explicitly given point. */
    public TensorSeries series(double[] point) {
        return TensorSeries.of(point, space.order(), 1, c);
    }

    double[] raw() {
        return c;
    }

    ExpansionPoint point() {
        return point;
    }

    private void same(Var o) {
        SeriesChecks.notNull("operand", o);
        if (o.space.set() != space.set()) {
            throw new IllegalArgumentException("operands live in different spaces: " + space + " and " + o.space);
        }
    }

    private Var make(double[] r, Var o) {
        return new Var(space, r, ExpansionPoint.merge(point, o.point));
    }

    private Var make(double[] r) {
        return new Var(space, r, point);
    }

    public Var add(Var o) {
        same(o);
        double[] r = new double[c.length];
        SeriesKernels.add(c, o.c, r);
        return make(r, o);
    }

    public Var add(double o) {
        double[] r = c.clone();
        r[0] += o;
        return make(r);
    }

    public Var sub(Var o) {
        same(o);
        double[] r = new double[c.length];
        SeriesKernels.sub(c, o.c, r);
        return make(r, o);
    }

    public Var sub(double o) {
        return add(-o);
    }

    public Var mul(Var o) {
        same(o);
        double[] r = new double[c.length];
        SeriesKernels.mul(space.set(), 1, c, o.c, r);
        return make(r, o);
    }

    public Var mul(double o) {
        double[] r = new double[c.length];
        SeriesKernels.scale(o, c, r);
        return make(r);
    }

    public Var div(Var o) {
        same(o);
        double[] r = new double[c.length];
        SeriesKernels.div(space.set(), 1, c, o.c, r);
        return make(r, o);
    }

    public Var div(double o) {
        return mul(1.0 / o);
    }

    public Var neg() {
        return mul(-1.0);
    }

    /** {@code this^p} for a real exponent ({@code C(p,k) x^{p-k}} coefficients). */
    public Var pow(double p) {
        double[] f = new double[space.order() + 1];
        UnivariateTaylor.power(value(), p, space.order(), f, 0, 1);
        return horner(f);
    }

    /** {@code this^p = exp(p log this)}. */
    public Var pow(Var p) {
        same(p);
        return p.mul(log()).exp().withPoint(ExpansionPoint.merge(point, p.point));
    }

    private Var withPoint(ExpansionPoint pt) {
        return new Var(space, c, pt);
    }

    /** A built-in elementary function. */
    public Var apply(UnaryFunction f) {
        SeriesChecks.notNull("function", f);
        if (f == UnaryFunction.EXP) {
            double[] r = new double[c.length];
            SeriesKernels.exp(space.set(), 1, c, r);
            return make(r);
        }
        double[] coeffs = new double[space.order() + 1];
        UnivariateTaylor.coefficients(f, value(), space.order(), coeffs, 0, 1);
        return horner(coeffs);
    }

    /** A user-defined elementary function (dCpp's {@code tau}). */
    public Var apply(Elementary f) {
        SeriesChecks.notNull("elementary function", f);
        double[] coeffs = new double[space.order() + 1];
        f.coefficients(value(), space.order(), coeffs, 0, 1);
        return horner(coeffs);
    }

    private Var horner(double[] univariate) {
        double[] r = new double[c.length];
        SeriesKernels.horner(space.set(), 1, univariate, c, r);
        return make(r);
    }

    public Var sin() {
        return apply(UnaryFunction.SIN);
    }

    public Var cos() {
        return apply(UnaryFunction.COS);
    }

    public Var tan() {
        return apply(UnaryFunction.TAN);
    }

    public Var exp() {
        return apply(UnaryFunction.EXP);
    }

    public Var log() {
        return apply(UnaryFunction.LOG);
    }

    public Var sqrt() {
        return apply(UnaryFunction.SQRT);
    }

    public Var tanh() {
        return apply(UnaryFunction.TANH);
    }

    public Var sigmoid() {
        return apply(UnaryFunction.SIGMOID);
    }

    public Var sinh() {
        return apply(UnaryFunction.SINH);
    }

    public Var cosh() {
        return apply(UnaryFunction.COSH);
    }

    public Var atan() {
        return apply(UnaryFunction.ATAN);
    }

    public Var softplus() {
        return apply(UnaryFunction.SOFTPLUS);
    }

    @Override
    public String toString() {
        return "Var(value=" + value() + ", " + space + ")";
    }
}
