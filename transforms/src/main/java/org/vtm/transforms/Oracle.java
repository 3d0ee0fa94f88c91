package org.vtm.transforms;

import java.util.Objects;
import java.util.function.Function;

/**
 * The least-squares yardstick: the coefficients in a {@link FunctionSet} that best fit a program's
 * values over the region {@code v0 + r·[-1,1]^d}, in the discrete 2-norm over a fixed
 * quasi-random point set. It is the best any {@code T} can do with that basis (on those points).
 *
 * <p><b>Point set.</b> Point {@code p = 0, 1, …, N-1} has scaled coordinates {@code u_p[l] = 2 ·
 * h_{b_l}(p + }{@value #HALTON_SKIP}{@code ) - 1}, where {@code h_b(i)} is the radical inverse of
 * {@code i} in base {@code b} (the digits of {@code i} in base {@code b} mirrored behind the point)
 * and {@code b_l} is the {@code (l+1)}-th prime (2, 3, 5, 7, …). The first {@value #HALTON_SKIP}
 * Halton points (including index 0, the centre) are skipped. The default {@code N} is
 * {@code max(4·|F|, 64)}; the program is evaluated at {@code x_p = v0 + r·u_p}.
 *
 * <p><b>Fit.</b> The design matrix {@code A[p][i] = Φ_i(u_p)} is decomposed once (one-sided Jacobi
 * SVD); the fit is the minimum-norm least-squares solution {@code pinv(A) · y}, with singular
 * values below {@code max(N,|F|)·ulp(1)·σ_max} dropped. Immutable and reusable for any program
 * and region.
 */
public final class Oracle {

    /** Halton indices skipped at the start of the sequence. */
    public static final int HALTON_SKIP = 20;

    /** Lower bound on the default number of points. */
    public static final int MIN_POINTS = 64;

    private final FunctionSet set;
    private final int count;
    private final double[] u; // count × d
    private final double[] pinvT; // count × |F|
    private final int rank;

    private Oracle(FunctionSet set, int count) {
        long functions = set.size();
        String what = "the oracle for " + set + " (design matrix " + count + " × " + functions + " doubles)";
        ExpansionBudget.check(bytesNeeded(count, functions), ExpansionBudget.times(count, functions),
                ExpansionBudget.defaultBytes(), what);
        this.set = set;
        this.count = count;
        int d = set.dim();
        int k = set.size();
        this.u = haltonPoints(d, count);
        double[][] rows = new double[count][];
        for (int p = 0; p < count; p++) {
            rows[p] = java.util.Arrays.copyOfRange(u, p * d, (p + 1) * d);
        }
        double[] a = set.designMatrix(rows);
        Dense.Svd svd = Dense.svd(a, count, k);
        double tol = svd.defaultTolerance();
        this.rank = svd.rank(tol);
        this.pinvT = Dense.transpose(svd.pseudoInverse(tol), k, count);
    }

    /** An oracle for {@code set} with the default {@link #defaultPointCount(int)} points. */
    public static Oracle of(FunctionSet set) {
        Objects.requireNonNull(set, "set");
        return new Oracle(set, defaultPointCount(set.size()));
    }

    /** An oracle for {@code set} with {@code pointCount ≥ |F|} points. */
    public static Oracle of(FunctionSet set, int pointCount) {
        Objects.requireNonNull(set, "set");
        if (pointCount < set.size()) {
            throw new IllegalArgumentException("the oracle needs at least |F| = " + set.size()
                    + " points for " + set + ", got " + pointCount);
        }
        return new Oracle(set, pointCount);
    }

    /** {@code max(4·functions, }{@value #MIN_POINTS}{@code )}. */
    public static int defaultPointCount(int functions) {
        long count = defaultPointCount((long) functions);
        if (count > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("the oracle for " + functions + " functions would need " + count
                    + " points, more than an int can count");
        }
        return (int) count;
    }

    /** {@link #defaultPointCount(int)} in long arithmetic (saturating), for sizing before building. */
    public static long defaultPointCount(long functions) {
        return Math.max(ExpansionBudget.times(4, functions), MIN_POINTS);
    }

    /**
     * Bytes the oracle holds while it is built for {@code points × functions}: the design matrix,
     * the SVD's two {@code points × functions} factors and two {@code functions²} factors, the
     * pseudo-inverse and its transpose. Saturating long arithmetic.
     */
    static long bytesNeeded(long points, long functions) {
        return ExpansionBudget.plus(ExpansionBudget.times(ExpansionBudget.doubles(points, functions), 5),
                ExpansionBudget.times(ExpansionBudget.doubles(functions, functions), 2));
    }

    /**
     * The first {@code count} points of the documented Halton set in {@code [-1,1]^dim}, flat
     * {@code count × dim} row-major.
     */
    public static double[] haltonPoints(int dim, int count) {
        if (dim < 1 || count < 0) {
            throw new IllegalArgumentException("need dim >= 1 and count >= 0, got dim=" + dim + ", count=" + count);
        }
        int[] primes = firstPrimes(dim);
        double[] pts = new double[count * dim];
        for (int p = 0; p < count; p++) {
            long index = (long) p + HALTON_SKIP;
            for (int l = 0; l < dim; l++) {
                pts[p * dim + l] = 2.0 * radicalInverse(index, primes[l]) - 1.0;
            }
        }
        return pts;
    }

    static double radicalInverse(long i, int base) {
        double result = 0.0;
        double f = 1.0 / base;
        while (i > 0) {
            result += f * (i % base);
            i /= base;
            f /= base;
        }
        return result;
    }

    static int[] firstPrimes(int count) {
        int[] primes = new int[count];
        int found = 0;
        for (int c = 2; found < count; c++) {
            boolean prime = true;
            for (int j = 0; j < found && primes[j] * primes[j] <= c; j++) {
                if (c % primes[j] == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                primes[found++] = c;
            }
        }
        return primes;
    }

    public FunctionSet set() {
        return set;
    }

    public int pointCount() {
        return count;
    }

    /** Numerical rank of the design matrix ({@code |F|} unless the set is degenerate on the points). */
    public int rank() {
        return rank;
    }

    /** The scaled points {@code u_p}, flat {@code pointCount × d} (a copy). */
    public double[] points() {
        return u.clone();
    }

    /** The unscaled points {@code v0 + r·u_p}, flat {@code pointCount × d}. */
    public double[] points(double[] point, double radius) {
        checkRegion(point, radius);
        int d = set.dim();
        double[] x = new double[count * d];
        for (int p = 0; p < count; p++) {
            for (int l = 0; l < d; l++) {
                x[p * d + l] = point[l] + radius * u[p * d + l];
            }
        }
        return x;
    }

    /**
     * The fit from values already computed at the points: {@code values[p*outputDim + o]} is output
     * {@code o} of the program at {@code v0 + r·u_p}.
     */
    public FunctionSeries fit(double[] values, int outputDim, double[] point, double radius) {
        checkRegion(point, radius);
        if (outputDim < 1 || values.length != count * outputDim) {
            throw new IllegalArgumentException("expected " + count + " x " + outputDim + " values, got "
                    + values.length);
        }
        int k = set.size();
        double[] yT = Dense.transpose(values, count, outputDim); // outputDim × count
        double[] coef = new double[outputDim * k];
        Dense.multiply(yT, outputDim, count, pinvT, k, coef);
        return new FunctionSeries(set, FunctionSeries.Origin.ORACLE_FIT, point, radius, outputDim, coef);
    }

    /** The fit of {@code program} over {@code v0 + r·[-1,1]^d}. */
    public FunctionSeries fit(Program program, double[] point, double radius) {
        Objects.requireNonNull(program, "program");
        checkProgram(program.inputDim());
        return fit(program::execute, program.outputDim(), point, radius);
    }

    /** The fit of a plain function {@code f: R^d -> R^outputDim}. */
    public FunctionSeries fit(Function<double[], double[]> f, int outputDim, double[] point, double radius) {
        return fit(values(f, outputDim, point, radius), outputDim, point, radius);
    }

    private double[] values(Function<double[], double[]> f, int outputDim, double[] point, double radius) {
        double[] x = points(point, radius);
        int d = set.dim();
        double[] y = new double[count * outputDim];
        for (int p = 0; p < count; p++) {
            double[] out = f.apply(java.util.Arrays.copyOfRange(x, p * d, (p + 1) * d));
            if (out.length != outputDim) {
                throw new IllegalArgumentException("function returned " + out.length + " outputs, expected " + outputDim);
            }
            System.arraycopy(out, 0, y, p * outputDim, outputDim);
        }
        return y;
    }

    /**
     * Compares, for one program over {@code v0 + r·[-1,1]^d}: the Taylor polynomial of order
     * {@code transform.order()}, the fixed-{@code T_FX} series and the oracle fit, each against
     * plain execution on this oracle's points.
     */
    public ApproximationErrors compare(Program program, double[] point, double radius, BasisTransform transform) {
        Objects.requireNonNull(program, "program");
        Objects.requireNonNull(transform, "transform");
        checkProgram(program.inputDim());
        TensorSeries expansion = Expander.expand(program, point.clone(), transform.order());
        return compare(program::execute, expansion, radius, transform);
    }

    /** {@link #compare(Program, double[], double, BasisTransform)} for a plain function and its expansion. */
    public ApproximationErrors compare(Function<double[], double[]> f, TensorSeries expansion, double radius,
            BasisTransform transform) {
        FunctionSet ts = transform.set();
        if (!ts.family().name().equals(set.family().name()) || ts.dim() != set.dim() || ts.order() != set.order()
                || ts.size() != set.size()) {
            throw new IllegalArgumentException("transform is for " + ts + " but this oracle is for " + set);
        }
        double[] point = expansion.point();
        int outputDim = expansion.outputDim();
        double[] truth = values(f, outputDim, point, radius);
        FunctionSeries fixed = transform.apply(expansion, radius);
        FunctionSeries best = fit(truth, outputDim, point, radius);
        int d = set.dim();
        double[] taylor = new double[truth.length];
        double[] fix = new double[truth.length];
        double[] orc = new double[truth.length];
        double[] up = new double[d];
        double[] h = new double[d];
        for (int p = 0; p < count; p++) {
            for (int l = 0; l < d; l++) {
                up[l] = u[p * d + l];
                h[l] = radius * up[l];
            }
            System.arraycopy(expansion.evaluate(h), 0, taylor, p * outputDim, outputDim);
            System.arraycopy(fixed.evaluate(up), 0, fix, p * outputDim, outputDim);
            System.arraycopy(best.evaluate(up), 0, orc, p * outputDim, outputDim);
        }
        return new ApproximationErrors(ErrorMetrics.of(taylor, truth), ErrorMetrics.of(fix, truth),
                ErrorMetrics.of(orc, truth));
    }

    private void checkProgram(int inputDim) {
        if (inputDim != set.dim()) {
            throw new IllegalArgumentException("dimension mismatch: oracle set has d=" + set.dim()
                    + ", program has " + inputDim + " inputs");
        }
    }

    private void checkRegion(double[] point, double radius) {
        Objects.requireNonNull(point, "point");
        if (point.length != set.dim()) {
            throw new IllegalArgumentException("dimension mismatch: oracle set has d=" + set.dim() + ", point has "
                    + point.length);
        }
        BasisTransform.checkRadius(radius);
    }
}
