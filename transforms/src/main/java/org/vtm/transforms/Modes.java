package org.vtm.transforms;

/**
 * Forward and reverse mode as special cases of composition of expansions. Forward mode composes
 * {@code P} after the line {@code t -> v0 + t v}; reverse mode composes the linear functional
 * {@code y -> u·y} after {@code P}. Both only read the series, never re-run a program.
 */
public final class Modes {

    private Modes() {
    }

    /** The expansion, in one variable {@code t} at {@code t = 0}, of the line {@code t -> v0 + t v}. */
    public static TensorSeries line(double[] v0, double[] v, int order) {
        SeriesChecks.notNull("v0", v0);
        SeriesChecks.notNull("v", v);
        SeriesChecks.length("direction v", v.length, v0.length);
        SeriesChecks.order(order);
        int M = order + 1; // C(1+n, n)
        double[] c = new double[v0.length * M];
        for (int j = 0; j < v0.length; j++) {
            c[j * M] = v0[j];
            if (order >= 1) {
                c[j * M + 1] = v[j];
            }
        }
        return TensorSeries.of(new double[] {0.0}, order, v0.length, c);
    }

    /** {@code t -> P(v0 + t v)} as a one-variable series at {@code t = 0}, of the series' order. */
    public static TensorSeries along(TensorSeries series, double[] v) {
        SeriesChecks.notNull("series", series);
        return series.compose(line(series.point(), v, series.order()));
    }

    /** Forward mode: the Jacobian-vector product {@code J v} (length {@code m}). */
    public static double[] jvp(TensorSeries series, double[] v) {
        return directional(series, v, 1);
    }

    /**
     * The directional derivative of order {@code k}, {@code d^k/dt^k P(v0 + t v)} at {@code t = 0}
     * (length {@code m}), from the series composed with the line at order {@code k}.
     */
    public static double[] directional(TensorSeries series, double[] v, int k) {
        SeriesChecks.notNull("series", series);
        if (k < 0 || k > series.order()) {
            throw new IllegalArgumentException("directional derivative order " + k + " outside [0, "
                    + series.order() + "]");
        }
        TensorSeries t = series.compose(line(series.point(), v, k));
        double fact = 1;
        for (int i = 2; i <= k; i++) {
            fact *= i;
        }
        double[] r = new double[series.outputDim()];
        for (int i = 0; i < r.length; i++) {
            r[i] = t.coefficient(i, k) * fact;
        }
        return r;
    }

    /**
     * The expansion of the linear functional {@code y -> u·y} (one output) at {@code at}, to
     * {@code order} (its higher coefficients are zero).
     */
    public static TensorSeries linearFunctional(double[] u, double[] at, int order) {
        SeriesChecks.notNull("u", u);
        SeriesChecks.notNull("at", at);
        SeriesChecks.length("point of the functional", at.length, u.length);
        MultiIndexSet set = MultiIndexSet.of(u.length, order);
        double[] c = new double[set.size()];
        double value = 0;
        for (int j = 0; j < u.length; j++) {
            value += u[j] * at[j];
            if (order >= 1) {
                c[set.unitIndex(j)] = u[j];
            }
        }
        c[0] = value;
        return TensorSeries.of(at, order, 1, c);
    }

    /** Reverse mode: the scalar series {@code u·P} at {@code v0}, of the series' order. */
    public static TensorSeries pullback(TensorSeries series, double[] u) {
        SeriesChecks.notNull("series", series);
        SeriesChecks.notNull("u", u);
        SeriesChecks.length("cotangent u", u.length, series.outputDim());
        return linearFunctional(u, series.values(), series.order()).compose(series);
    }

    /** Reverse mode: the vector-Jacobian product {@code u^T J} (length {@code d}). */
    public static double[] vjp(TensorSeries series, double[] u) {
        requireOrder1(series);
        TensorSeries s = pullback(series, u);
        double[] g = new double[series.inputDim()];
        for (int j = 0; j < g.length; j++) {
            g[j] = s.coefficient(0, 1 + j);
        }
        return g;
    }

    /** The gradient of a scalar series ({@code outputDim == 1}). */
    public static double[] gradient(TensorSeries series) {
        SeriesChecks.notNull("series", series);
        if (series.outputDim() != 1) {
            throw new IllegalArgumentException("gradient needs a scalar series, this one has "
                    + series.outputDim() + " outputs (use vjp)");
        }
        return vjp(series, new double[] {1.0});
    }

    private static void requireOrder1(TensorSeries series) {
        SeriesChecks.notNull("series", series);
        if (series.order() < 1) {
            throw new IllegalArgumentException("first derivatives need order >= 1, the series has order 0");
        }
    }
}
