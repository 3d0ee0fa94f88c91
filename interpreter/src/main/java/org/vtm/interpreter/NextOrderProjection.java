package org.vtm.interpreter;

import java.util.Objects;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.LeastSquares;
import org.vtm.transforms.MultiIndexSet;

/**
 * {@code Q*} ({@code K×M}): the least-squares coefficients in a function set F ({@code M}
 * functions, order {@code n}) of each of the {@code K} monomials of degree exactly {@code n+1},
 * fitted at given sample points (scaled coordinates). It is the non-learned use of the degree-(n+1)
 * terms {@code a⁺} of an expansion: {@code c = T_FX·a + Q*·a⁺}, and the start of the learned map
 * {@code Q} of a {@link ModelConfig.Init#PROJECTION} model. Row {@code j} belongs to the monomial
 * {@code MultiIndexSet.of(d, n+1).alpha(M + j)}. Immutable.
 */
public final class NextOrderProjection {
    private final int terms;
    private final int nextTerms;
    private final double[] q; // K × M

    private NextOrderProjection(int terms, int nextTerms, double[] q) {
        this.terms = terms;
        this.nextTerms = nextTerms;
        this.q = q;
    }

    /**
     * Fits {@code Q*} for the square set {@code set} at {@code points} ({@code S ≥ M} points of
     * {@code d} coordinates each).
     *
     * @throws IllegalArgumentException if there are fewer points than functions or a point has the wrong length
     */
    public static NextOrderProjection fit(FunctionSet set, double[][] points) {
        Objects.requireNonNull(set, "set");
        Objects.requireNonNull(points, "points");
        int m = set.size();
        if (points.length < m) {
            throw new IllegalArgumentException("Q* needs at least M = " + m + " sample points for " + set + ", got "
                    + points.length);
        }
        LeastSquares ls = LeastSquares.of(set.designMatrix(points), points.length, m);
        MultiIndexSet up = MultiIndexSet.of(set.dim(), set.order() + 1);
        int k = up.size() - m;
        double[] q = new double[k * m];
        double[] mono = new double[points.length];
        for (int j = 0; j < k; j++) {
            int[] alpha = up.alpha(m + j);
            for (int s = 0; s < points.length; s++) {
                double v = 1;
                for (int l = 0; l < alpha.length; l++) {
                    v *= Math.pow(points[s][l], alpha[l]);
                }
                mono[s] = v;
            }
            System.arraycopy(ls.solve(mono), 0, q, j * m, m);
        }
        return new NextOrderProjection(m, k, q);
    }

    /** {@code M}. */
    public int terms() {
        return terms;
    }

    /** {@code K}. */
    public int nextTerms() {
        return nextTerms;
    }

    /** {@code Q*}, {@code K×M} row-major (a copy). */
    public double[] matrix() {
        return q.clone();
    }

    /**
     * {@code c[o] = T_FX·a[o] + Q*ᵀ·a⁺[o]} for every output {@code o}.
     *
     * @param tfx {@code T_FX}, {@code M×M} row-major
     * @param prefix {@code a}: {@code d·M} scaled monomial coefficients of one prefix, output-major
     * @param next {@code a⁺}: {@code d·K} degree-(n+1) scaled coefficients of the same prefix, output-major
     * @return F-coefficients, {@code d·M}, output-major
     */
    public double[] coefficients(double[] tfx, double[] prefix, double[] next) {
        int m = terms;
        int k = nextTerms;
        if (tfx.length != m * m || prefix.length % m != 0 || next.length != prefix.length / m * k) {
            throw new IllegalArgumentException("shapes do not fit M = " + m + ", K = " + k + ": T_FX " + tfx.length
                    + ", a " + prefix.length + ", a+ " + next.length + " values");
        }
        int d = prefix.length / m;
        double[] c = new double[d * m];
        for (int o = 0; o < d; o++) {
            for (int b = 0; b < m; b++) {
                double v = 0;
                for (int a = 0; a < m; a++) {
                    v += tfx[b * m + a] * prefix[o * m + a];
                }
                for (int j = 0; j < k; j++) {
                    v += q[j * m + b] * next[o * k + j];
                }
                c[o * m + b] = v;
            }
        }
        return c;
    }
}
