package org.vtm.transforms;

import java.util.Arrays;

/**
 * What a {@link Var} knows about the point it is expanded at: the values of the variables it was
 * built from ({@code NaN} = not involved). Merged on binary operations; identity-shared in the
 * common case so the merge costs nothing. A conflict (one variable created at two values) is
 * remembered and reported when a series is requested.
 */
final class ExpansionPoint {

    private final double[] values;
    private final String conflict;

    private ExpansionPoint(double[] values, String conflict) {
        this.values = values;
        this.conflict = conflict;
    }

    static ExpansionPoint ofVariable(int dim, int index, double value) {
        double[] v = new double[dim];
        Arrays.fill(v, Double.NaN);
        v[index] = value;
        return new ExpansionPoint(v, null);
    }

    static ExpansionPoint merge(ExpansionPoint a, ExpansionPoint b) {
        if (a == b || b == null) {
            return a;
        }
        if (a == null) {
            return b;
        }
        if (a.conflict != null) {
            return a;
        }
        if (b.conflict != null) {
            return b;
        }
        double[] v = a.values.clone();
        boolean changed = false;
        for (int i = 0; i < v.length; i++) {
            double x = b.values[i];
            if (Double.isNaN(x)) {
                continue;
            }
            if (Double.isNaN(v[i])) {
                v[i] = x;
                changed = true;
            } else if (Double.compare(v[i], x) != 0) {
                return new ExpansionPoint(v, "variable " + i + " was created at two values, "
                        + v[i] + " and " + x);
            }
        }
        return changed ? new ExpansionPoint(v, null) : a;
    }

    /** The point; unknown components are an error naming them. */
    static double[] resolve(ExpansionPoint p, int dim) {
        if (p != null && p.conflict != null) {
            throw new IllegalStateException("no single expansion point: " + p.conflict);
        }
        double[] v = p == null ? null : p.values.clone();
        StringBuilder missing = new StringBuilder();
        for (int i = 0; i < dim; i++) {
            if (v == null || Double.isNaN(v[i])) {
                missing.append(missing.length() == 0 ? "" : ", ").append(i);
            }
        }
        if (missing.length() > 0) {
            throw new IllegalStateException("the expansion point is unknown for variable(s) " + missing
                    + " (the value does not depend on them or was built from coefficients);"
                    + " pass the point explicitly with series(double[] point)");
        }
        return v;
    }
}
