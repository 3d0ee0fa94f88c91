package org.vtm.transforms;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link Algebra} of {@link SeriesBatch}es: a step expands at {@code P} points at once. Each
 * operation runs one flat kernel over {@code [M][P]} arrays with the compiled tables of the
 * {@link MultiIndexSet}; branches ({@link #select}) are decided per point with a mask; a Java
 * step ({@link #call}) runs per point over {@link Var}s built from the point's coefficients.
 *
 * <p>An instance reuses internal work space and must be confined to one thread (the
 * {@link Expander} creates one per block of points).
 */
public final class BatchAlgebra implements Algebra<SeriesBatch> {

    private final MultiIndexSet set;
    private final int points;
    private final int size;
    /** Horner work space, reused by every operation of this algebra (so it is not thread-safe). */
    private double[] scratch0;
    private double[] scratch1;

    /** An algebra over blocks of {@code points} points in the series space of {@code set}. */
    public BatchAlgebra(MultiIndexSet set, int points) {
        this.set = SeriesChecks.notNull("multi-index set", set);
        if (points < 1) {
            throw new IllegalArgumentException("points must be >= 1, got " + points);
        }
        this.points = points;
        this.size = set.size() * points;
    }

    public int points() {
        return points;
    }

    public MultiIndexSet multiIndices() {
        return set;
    }

    /** Variable {@code index} at {@code values[p]} for each point {@code p}. */
    public SeriesBatch variable(int index, double[] values) {
        SeriesChecks.index("variable", index, set.dim());
        SeriesChecks.length("values of variable " + index, values.length, points);
        double[] d = new double[size];
        System.arraycopy(values, 0, d, 0, points);
        if (set.order() >= 1) {
            int base = set.unitIndex(index) * points;
            for (int p = 0; p < points; p++) {
                d[base + p] = 1.0;
            }
        }
        return new SeriesBatch(set, points, d);
    }

    private void check(SeriesBatch a) {
        if (a.multiIndices() != set || a.points() != points) {
            throw new IllegalArgumentException("batch of " + a.points() + " points in " + a.multiIndices()
                    + " used with an algebra of " + points + " points in " + set);
        }
    }

    private SeriesBatch dense(double[] d) {
        return new SeriesBatch(set, points, d);
    }

    @Override
    public SeriesBatch constant(double c) {
        return new SeriesBatch(set, points, c);
    }

    @Override
    public SeriesBatch add(SeriesBatch a, SeriesBatch b) {
        check(a);
        check(b);
        if (a.isConstant() && b.isConstant()) {
            return constant(a.constantValue() + b.constantValue());
        }
        if (a.isConstant() || b.isConstant()) {
            SeriesBatch s = a.isConstant() ? b : a;
            double c = a.isConstant() ? a.constantValue() : b.constantValue();
            double[] r = s.data().clone();
            for (int p = 0; p < points; p++) {
                r[p] += c;
            }
            return dense(r);
        }
        double[] r = new double[size];
        SeriesKernels.add(a.data(), b.data(), r);
        return dense(r);
    }

    @Override
    public SeriesBatch sub(SeriesBatch a, SeriesBatch b) {
        check(a);
        check(b);
        if (a.isConstant() || b.isConstant()) {
            return add(a, neg(b));
        }
        double[] r = new double[size];
        SeriesKernels.sub(a.data(), b.data(), r);
        return dense(r);
    }

    @Override
    public SeriesBatch mul(SeriesBatch a, SeriesBatch b) {
        check(a);
        check(b);
        if (a.isConstant() && b.isConstant()) {
            return constant(a.constantValue() * b.constantValue());
        }
        if (a.isConstant() || b.isConstant()) {
            SeriesBatch s = a.isConstant() ? b : a;
            double c = a.isConstant() ? a.constantValue() : b.constantValue();
            return scale(c, s);
        }
        double[] r = new double[size];
        SeriesKernels.mul(set, points, a.data(), b.data(), r);
        return dense(r);
    }

    private SeriesBatch scale(double c, SeriesBatch s) {
        if (s.isConstant()) {
            return constant(c * s.constantValue());
        }
        double[] r = new double[size];
        SeriesKernels.scale(c, s.data(), r);
        return dense(r);
    }

    @Override
    public SeriesBatch div(SeriesBatch a, SeriesBatch b) {
        check(a);
        check(b);
        if (b.isConstant()) {
            return a.isConstant() ? constant(a.constantValue() / b.constantValue())
                    : scale(1.0 / b.constantValue(), a);
        }
        double[] r = new double[size];
        SeriesKernels.div(set, points, a.dense(), b.data(), r);
        return dense(r);
    }

    @Override
    public SeriesBatch neg(SeriesBatch a) {
        check(a);
        return scale(-1.0, a);
    }

    @Override
    public SeriesBatch pow(SeriesBatch a, double p) {
        check(a);
        if (a.isConstant()) {
            return constant(Math.pow(a.constantValue(), p));
        }
        if (p == 1.0) {
            return a;
        }
        if (p == 2.0) {
            return mul(a, a);
        }
        int n = set.order();
        double[] f = new double[(n + 1) * points];
        double[] d = a.data();
        for (int q = 0; q < points; q++) {
            UnivariateTaylor.power(d[q], p, n, f, q, points);
        }
        return horner(f, d);
    }

    @Override
    public SeriesBatch pow(SeriesBatch a, SeriesBatch b) {
        check(a);
        check(b);
        if (b.isConstant()) {
            return pow(a, b.constantValue());
        }
        return apply(UnaryFunction.EXP, mul(b, apply(UnaryFunction.LOG, a)));
    }

    @Override
    public SeriesBatch apply(UnaryFunction f, SeriesBatch a) {
        check(a);
        SeriesChecks.notNull("function", f);
        if (a.isConstant()) {
            return constant(f.apply(a.constantValue()));
        }
        double[] d = a.data();
        if (f == UnaryFunction.EXP) {
            double[] r = new double[size];
            SeriesKernels.exp(set, points, d, r);
            return dense(r);
        }
        int n = set.order();
        double[] coeffs = new double[(n + 1) * points];
        for (int q = 0; q < points; q++) {
            UnivariateTaylor.coefficients(f, d[q], n, coeffs, q, points);
        }
        return horner(coeffs, d);
    }

    /** A user-defined elementary function, per point. */
    public SeriesBatch apply(Elementary f, SeriesBatch a) {
        check(a);
        double[] d = a.dense();
        int n = set.order();
        double[] coeffs = new double[(n + 1) * points];
        for (int q = 0; q < points; q++) {
            f.coefficients(d[q], n, coeffs, q, points);
        }
        return horner(coeffs, d);
    }

    private SeriesBatch horner(double[] coeffs, double[] d) {
        double[] r = new double[size];
        if (scratch0 == null) {
            int n = set.order();
            scratch0 = new double[Math.max(1, set.countUpToDegree(n - 1)) * points];
            scratch1 = new double[scratch0.length];
        }
        SeriesKernels.horner(set, points, coeffs, d, r, scratch0, scratch1);
        return dense(r);
    }

    @Override
    public SeriesBatch select(Comparison cmp, SeriesBatch a, SeriesBatch b, SeriesBatch then,
                              SeriesBatch otherwise) {
        check(a);
        check(b);
        check(then);
        check(otherwise);
        if (then == otherwise) {
            return then;
        }
        boolean[] mask = new boolean[points];
        int taken = 0;
        for (int p = 0; p < points; p++) {
            mask[p] = cmp.test(a.value(p), b.value(p));
            if (mask[p]) {
                taken++;
            }
        }
        if (taken == points) {
            return then;
        }
        if (taken == 0) {
            return otherwise;
        }
        double[] t = then.dense();
        double[] o = otherwise.dense();
        double[] r = new double[size];
        int M = set.size();
        for (int g = 0; g < M; g++) {
            int base = g * points;
            for (int p = 0; p < points; p++) {
                r[base + p] = mask[p] ? t[base + p] : o[base + p];
            }
        }
        return dense(r);
    }

    @Override
    public List<SeriesBatch> call(VarFunction f, int outputDim, List<SeriesBatch> inputs) {
        SeriesChecks.notNull("function", f);
        for (SeriesBatch s : inputs) {
            check(s);
        }
        Space space = Space.of(set.dim(), set.order());
        int M = set.size();
        double[][] in = new double[inputs.size()][];
        for (int i = 0; i < in.length; i++) {
            in[i] = inputs.get(i).dense();
        }
        double[][] out = new double[outputDim][size];
        Var[] args = new Var[in.length];
        for (int p = 0; p < points; p++) {
            for (int i = 0; i < in.length; i++) {
                double[] c = new double[M];
                for (int g = 0; g < M; g++) {
                    c[g] = in[i][g * points + p];
                }
                args[i] = new Var(space, c, null);
            }
            Var[] res = f.apply(args.clone());
            VarAlgebra.checkOutputs(res, outputDim, space);
            for (int o = 0; o < outputDim; o++) {
                double[] c = res[o].raw();
                for (int g = 0; g < M; g++) {
                    out[o][g * points + p] = c[g];
                }
            }
        }
        List<SeriesBatch> r = new ArrayList<>(outputDim);
        for (int o = 0; o < outputDim; o++) {
            r.add(dense(out[o]));
        }
        return r;
    }
}
