package org.vtm.evaluation.heldout;

import java.util.Objects;
import org.vtm.datagen.CorpusRecord;
import org.vtm.interpreter.StepInputs;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.LeastSquares;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Program;

/**
 * {@code economised_k}: the least-squares projection {@code Π p_{n+k}} onto a function set F (order
 * {@code n}) of the exact order-{@code (n+k)} Taylor polynomial of a program, fitted at the
 * corpus' sample points with the oracle's least-squares machinery. For a polynomial F and
 * {@code k = 1} this is {@code T_FX·a + Q*·a⁺}; it is defined for every function family. The
 * projection of each monomial of degree ≤ {@code n+k} is computed once ({@code E}, {@code M × M'}),
 * so a program costs its order-{@code (n+k)} expansion and one {@code M × M'} product per output.
 * Immutable.
 */
public final class Economised {
    private final int extra;
    private final int order;
    private final int terms;
    private final int upTerms;
    private final double[] e; // M × M'

    private Economised(int extra, int order, int terms, int upTerms, double[] e) {
        this.extra = extra;
        this.order = order;
        this.terms = terms;
        this.upTerms = upTerms;
        this.e = e;
    }

    /**
     * The projection of the order-{@code (n+extra)} Taylor polynomial onto {@code set} at {@code points}.
     *
     * @throws IllegalArgumentException if {@code extra < 0} or there are fewer points than functions
     */
    public static Economised of(FunctionSet set, double[][] points, int extra) {
        Objects.requireNonNull(set, "set");
        if (extra < 0) {
            throw new IllegalArgumentException("economised order needs extra >= 0, got " + extra);
        }
        int m = set.size();
        if (points.length < m) {
            throw new IllegalArgumentException("economised_" + extra + " needs at least M = " + m + " sample points, got "
                    + points.length);
        }
        LeastSquares ls = LeastSquares.of(set.designMatrix(points), points.length, m);
        MultiIndexSet up = MultiIndexSet.of(set.dim(), set.order() + extra);
        int mu = up.size();
        double[] e = new double[m * mu];
        double[] mono = new double[points.length];
        for (int j = 0; j < mu; j++) {
            int[] alpha = up.alpha(j);
            for (int s = 0; s < points.length; s++) {
                double v = 1;
                for (int l = 0; l < alpha.length; l++) {
                    v *= Math.pow(points[s][l], alpha[l]);
                }
                mono[s] = v;
            }
            double[] c = ls.solve(mono);
            for (int i = 0; i < m; i++) {
                e[i * mu + j] = c[i];
            }
        }
        return new Economised(extra, set.order(), m, mu, e);
    }

    /** {@code k}: the orders beyond {@code n} expanded. */
    public int extra() {
        return extra;
    }

    /**
     * F-coefficients ({@code d·M}, output-major) of the projected polynomial whose scaled monomial
     * coefficients are {@code up} ({@code d·M'}, output-major, degree ≤ {@code n+k}).
     */
    public double[] project(double[] up) {
        if (up.length % upTerms != 0) {
            throw new IllegalArgumentException("expansion has " + up.length + " coefficients, expected a multiple of M' = "
                    + upTerms);
        }
        int d = up.length / upTerms;
        double[] c = new double[d * terms];
        for (int o = 0; o < d; o++) {
            for (int i = 0; i < terms; i++) {
                double v = 0;
                for (int j = 0; j < upTerms; j++) {
                    v += e[i * upTerms + j] * up[o * upTerms + j];
                }
                c[o * terms + i] = v;
            }
        }
        return c;
    }

    /** The F-coefficients of every prefix of {@code program} at {@code point}, {@code radius}. */
    public double[][] coefficients(Program program, double[] point, double radius) {
        double[][] up = StepInputs.of(program, point, radius, order + extra).prefixExpansion();
        double[][] out = new double[up.length][];
        for (int t = 0; t < up.length; t++) {
            out[t] = project(up[t]);
        }
        return out;
    }

    /** As a {@link HeldOutEvaluator.Coefficients} method (one expansion per program, cached for its prefixes). */
    public HeldOutEvaluator.Coefficients method() {
        return new HeldOutEvaluator.Coefficients() {
            private CorpusRecord last;
            private double[][] cached;

            @Override
            public synchronized double[] of(CorpusRecord record, int step) {
                if (record != last) {
                    cached = coefficients(Program.parse(record.program()), record.point(), record.radius());
                    last = record;
                }
                return cached[step];
            }
        };
    }
}
