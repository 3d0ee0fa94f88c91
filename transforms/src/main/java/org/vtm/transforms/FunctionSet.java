package org.vtm.transforms;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A multivariate function set: tensor products {@code Φ_β(u) = Π_l φ_{β_l}(u_l)} of a
 * {@link FunctionFamily} over {@code d} scaled variables {@code u ∈ [-1,1]^d}, paired with the
 * monomial basis {@code X} of total degree {@code ≤ n} ({@code M = C(d+n, n)} monomials).
 *
 * <p>Three layouts:
 * <ul>
 *   <li>{@link #of}: total index {@code |β| ≤ n}, square ({@code |F| = |X| = M});</li>
 *   <li>{@link #totalIndex}: total index {@code |β| ≤ K} with {@code K ≥ n} (non-square,
 *       least-squares when {@code K > n});</li>
 *   <li>{@link #perVariable}: every {@code β_l ≤ K} (a full grid, {@code (K+1)^d} functions).</li>
 * </ul>
 * The functions are listed in the canonical multi-index order of {@link MultiIndexSet} (by total
 * index, then lexicographically descending); for {@link #perVariable} the grid is that order
 * restricted to {@code max β_l ≤ K}. Immutable.
 */
public final class FunctionSet {

    /** How the function multi-indices were chosen. */
    public enum Layout {
        /** {@code |β| ≤ K} (square when {@code K = n}). */
        TOTAL_INDEX,
        /** {@code β_l ≤ K} for every variable. */
        PER_VARIABLE
    }

    private final FunctionFamily family;
    private final int dim;
    private final int order;
    private final Layout layout;
    private final int bound;
    private final int[][] betas;
    private final int maxIndex1d;
    private final MultiIndexSet monomials;

    private FunctionSet(FunctionFamily family, int dim, int order, Layout layout, int bound, int[][] betas) {
        this.family = family;
        this.dim = dim;
        this.order = order;
        this.layout = layout;
        this.bound = bound;
        this.betas = betas;
        int max = 0;
        for (int[] b : betas) {
            for (int v : b) {
                max = Math.max(max, v);
            }
        }
        this.maxIndex1d = max;
        this.monomials = MultiIndexSet.of(dim, order);
    }

    /** The square set: {@code Φ_β} for {@code |β| ≤ order}. */
    public static FunctionSet of(FunctionFamily family, int dim, int order) {
        return totalIndex(family, dim, order, order);
    }

    /** Functions with total index {@code |β| ≤ maxTotalIndex}, {@code maxTotalIndex ≥ order}. */
    public static FunctionSet totalIndex(FunctionFamily family, int dim, int order, int maxTotalIndex) {
        check(family, dim, order);
        if (maxTotalIndex < order) {
            throw new IllegalArgumentException("maxTotalIndex must be >= order " + order
                    + " (fewer functions than monomials is not supported), got " + maxTotalIndex);
        }
        MultiIndexSet set = MultiIndexSet.of(dim, maxTotalIndex);
        int[][] betas = new int[set.size()][];
        for (int i = 0; i < betas.length; i++) {
            betas[i] = set.alpha(i);
        }
        return new FunctionSet(family, dim, order, Layout.TOTAL_INDEX, maxTotalIndex, betas);
    }

    /**
     * The full grid {@code β_l ≤ maxIndexPerVariable} for every {@code l}; needs
     * {@code (maxIndexPerVariable+1)^d ≥ M}.
     */
    public static FunctionSet perVariable(FunctionFamily family, int dim, int order, int maxIndexPerVariable) {
        check(family, dim, order);
        if (maxIndexPerVariable < order) {
            throw new IllegalArgumentException("maxIndexPerVariable must be >= order " + order
                    + " so every monomial of degree <= order can be represented, got " + maxIndexPerVariable);
        }
        long count = 1;
        for (int l = 0; l < dim; l++) {
            count *= (maxIndexPerVariable + 1);
            if (count > 1_000_000) {
                throw new IllegalArgumentException("per-variable grid too large: (" + (maxIndexPerVariable + 1)
                        + ")^" + dim + " functions (limit 1000000)");
            }
        }
        // enumerate the grid, then sort into canonical order: total index, then lexicographically
        // descending (the order MultiIndexSet uses)
        List<int[]> betas = new ArrayList<>((int) count);
        int[] b = new int[dim];
        for (long c = 0; c < count; c++) {
            betas.add(b.clone());
            for (int l = dim - 1; l >= 0; l--) {
                if (++b[l] <= maxIndexPerVariable) {
                    break;
                }
                b[l] = 0;
            }
        }
        betas.sort(FunctionSet::canonicalCompare);
        return new FunctionSet(family, dim, order, Layout.PER_VARIABLE, maxIndexPerVariable,
                betas.toArray(new int[0][]));
    }

    /** Canonical multi-index order: by total degree, then lexicographically descending. */
    static int canonicalCompare(int[] a, int[] b) {
        int sa = 0;
        int sb = 0;
        for (int l = 0; l < a.length; l++) {
            sa += a[l];
            sb += b[l];
        }
        if (sa != sb) {
            return Integer.compare(sa, sb);
        }
        for (int l = 0; l < a.length; l++) {
            if (a[l] != b[l]) {
                return Integer.compare(b[l], a[l]);
            }
        }
        return 0;
    }

    private static void check(FunctionFamily family, int dim, int order) {
        Objects.requireNonNull(family, "family");
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dim);
        }
        FunctionFamily.checkNonNegative("order", order);
    }

    public FunctionFamily family() {
        return family;
    }

    /** Number of variables {@code d}. */
    public int dim() {
        return dim;
    }

    /** Truncation order {@code n} of the monomial basis {@code X}. */
    public int order() {
        return order;
    }

    public Layout layout() {
        return layout;
    }

    /** {@code K}: the bound on {@code |β|} ({@link Layout#TOTAL_INDEX}) or on each {@code β_l}. */
    public int bound() {
        return bound;
    }

    /** Number of functions {@code |F|}. */
    public int size() {
        return betas.length;
    }

    /** Number of monomials {@code |X| = M = C(d+n, n)}. */
    public int monomialCount() {
        return monomials.size();
    }

    /** True when {@code |F| = |X|} (and the layout is the canonical total-index one). */
    public boolean isSquare() {
        return layout == Layout.TOTAL_INDEX && bound == order;
    }

    /** The monomial basis {@code X}: multi-indices {@code |α| ≤ n} in canonical order. */
    public MultiIndexSet monomials() {
        return monomials;
    }

    /** The multi-index {@code β} of function {@code i} (a copy). */
    public int[] beta(int i) {
        if (i < 0 || i >= betas.length) {
            throw new IndexOutOfBoundsException("function index " + i + " not in [0, " + betas.length + ")");
        }
        return betas[i].clone();
    }

    /** The largest 1-D index any function uses. */
    public int maxIndex1d() {
        return maxIndex1d;
    }

    /** {@code Φ_i(u)}. */
    public double evaluate(int i, double[] u) {
        checkPoint(u);
        int[] b = betas[i];
        double p = 1.0;
        for (int l = 0; l < dim; l++) {
            p *= family.value(b[l], u[l]);
        }
        return p;
    }

    /** Writes all {@code Φ_i(u)}, {@code i < size()}, to {@code out} (modified, length ≥ size()). */
    public void evaluateAll(double[] u, double[] out) {
        checkPoint(u);
        int k1 = maxIndex1d + 1;
        double[] table = new double[dim * k1];
        double[] row = new double[k1];
        for (int l = 0; l < dim; l++) {
            family.values(maxIndex1d, u[l], row);
            System.arraycopy(row, 0, table, l * k1, k1);
        }
        for (int i = 0; i < betas.length; i++) {
            int[] b = betas[i];
            double p = 1.0;
            for (int l = 0; l < dim; l++) {
                p *= table[l * k1 + b[l]];
            }
            out[i] = p;
        }
    }

    /**
     * The design matrix {@code Φ} of this set at {@code points}: {@code Φ[s·M + i] = Φ_i(u_s)},
     * row-major {@code S × M} with {@code S = points.length} and {@code M = size()}. Every row is
     * {@link #evaluateAll} at that point. {@code points} is not modified.
     *
     * @throws IllegalArgumentException naming the point whose length is not {@link #dim()}
     */
    public double[] designMatrix(double[][] points) {
        Objects.requireNonNull(points, "points");
        int m = betas.length;
        long entries = (long) points.length * m;
        if (entries > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("design matrix of " + points.length + " points × " + m
                    + " functions does not fit in one array");
        }
        double[] out = new double[(int) entries];
        double[] row = new double[m];
        for (int s = 0; s < points.length; s++) {
            if (points[s] == null || points[s].length != dim) {
                throw new IllegalArgumentException("dimension mismatch: function set has " + dim + " variables, point "
                        + s + " has " + (points[s] == null ? "none" : String.valueOf(points[s].length)));
            }
            evaluateAll(points[s], row);
            System.arraycopy(row, 0, out, s * m, m);
        }
        return out;
    }

    private void checkPoint(double[] u) {
        if (u.length != dim) {
            throw new IllegalArgumentException("dimension mismatch: function set has " + dim
                    + " variables, point has " + u.length);
        }
    }

    /** e.g. {@code "chebyshev d=2 n=3 (10 functions, 10 monomials)"}. */
    @Override
    public String toString() {
        return family.name() + " d=" + dim + " n=" + order
                + (isSquare() ? "" : " " + layout.name().toLowerCase(java.util.Locale.ROOT) + " K=" + bound)
                + " (" + size() + " functions, " + monomialCount() + " monomials)";
    }
}
