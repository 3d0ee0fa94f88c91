package org.vtm.transforms;

/**
 * A program's local behaviour expressed in a {@link FunctionSet}: {@code P_i(v0 + r·u) ≈
 * Σ_β b[i][β] Φ_β(u)} for {@code u ∈ [-1,1]^d}. Produced by {@link BasisTransform#apply} (the
 * fixed {@code T_FX} path) or by the least-squares {@link Oracle}.
 *
 * <p>Immutable: arrays are copied in and out. Coefficients are output-major: {@code [out*|F| +
 * i]} with {@code i} the function's position in the set (canonical multi-index order).
 */
public final class FunctionSeries {

    /** Where the coefficients come from. */
    public enum Origin {
        /** {@code T_FX = T_XF^{-1}} applied to an expansion. */
        EXACT_TRANSFORM,
        /** Minimum-norm least-squares {@code T_FX} applied to an expansion. */
        LEAST_SQUARES_TRANSFORM,
        /** Least-squares fit of the program's values (the {@link Oracle}). */
        ORACLE_FIT,
        /** Predicted by a learned interpreter (an input-dependent {@code T}). */
        LEARNED
    }

    /**
     * Coefficients computed elsewhere (e.g. by a learned interpreter), output-major
     * {@code [out*|F| + i]}; arrays are copied.
     */
    public static FunctionSeries of(FunctionSet set, Origin origin, double[] point, double radius, int outputDim,
            double[] coefficients) {
        java.util.Objects.requireNonNull(set, "set");
        java.util.Objects.requireNonNull(origin, "origin");
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new IllegalArgumentException("radius must be positive and finite, got " + radius);
        }
        if (outputDim < 1) {
            throw new IllegalArgumentException("outputDim must be at least 1, got " + outputDim);
        }
        return new FunctionSeries(set, origin, point, radius, outputDim, coefficients);
    }

    private final FunctionSet set;
    private final Origin origin;
    private final double[] point;
    private final double radius;
    private final int outputDim;
    private final double[] coefficients;

    FunctionSeries(FunctionSet set, Origin origin, double[] point, double radius, int outputDim, double[] coefficients) {
        if (point.length != set.dim()) {
            throw new IllegalArgumentException("dimension mismatch: set has " + set.dim() + " variables, point has "
                    + point.length);
        }
        if (coefficients.length != outputDim * set.size()) {
            throw new IllegalArgumentException("expected " + outputDim + " x " + set.size() + " coefficients, got "
                    + coefficients.length);
        }
        this.set = set;
        this.origin = origin;
        this.point = point.clone();
        this.radius = radius;
        this.outputDim = outputDim;
        this.coefficients = coefficients.clone();
    }

    public FunctionFamily family() {
        return set.family();
    }

    public FunctionSet functionSet() {
        return set;
    }

    public Origin origin() {
        return origin;
    }

    /** The expansion point {@code v0} (a copy). */
    public double[] point() {
        return point.clone();
    }

    /** The radius {@code r}: {@code u = (x - v0) / r}. */
    public double radius() {
        return radius;
    }

    /** Output-major coefficients {@code [out*|F| + i]} (a copy). */
    public double[] coefficients() {
        return coefficients.clone();
    }

    public double coefficient(int out, int function) {
        if (out < 0 || out >= outputDim || function < 0 || function >= set.size()) {
            throw new IndexOutOfBoundsException("coefficient (" + out + ", " + function + ") outside "
                    + outputDim + " x " + set.size());
        }
        return coefficients[out * set.size() + function];
    }

    public int outputDim() {
        return outputDim;
    }

    public int inputDim() {
        return set.dim();
    }

    /** The truncation order {@code n} of the set. */
    public int order() {
        return set.order();
    }

    /** {@code Σ_β b[i][β] Φ_β(u)} for each output {@code i}, at scaled coordinates {@code u}. */
    public double[] evaluate(double[] u) {
        int k = set.size();
        double[] phi = new double[k];
        set.evaluateAll(u, phi);
        double[] out = new double[outputDim];
        for (int o = 0; o < outputDim; o++) {
            double s = 0.0;
            int base = o * k;
            for (int i = 0; i < k; i++) {
                s += coefficients[base + i] * phi[i];
            }
            out[o] = s;
        }
        return out;
    }

    /** {@link #evaluate} at the unscaled point {@code x}, i.e. at {@code u = (x - v0) / r}. */
    public double[] evaluateAt(double[] x) {
        if (x.length != point.length) {
            throw new IllegalArgumentException("dimension mismatch: series has " + point.length + " inputs, x has "
                    + x.length);
        }
        double[] u = new double[x.length];
        for (int l = 0; l < x.length; l++) {
            u[l] = (x[l] - point[l]) / radius;
        }
        return evaluate(u);
    }

    @Override
    public String toString() {
        return "FunctionSeries[" + set + ", " + origin + ", r=" + radius + ", outputs=" + outputDim + "]";
    }
}
