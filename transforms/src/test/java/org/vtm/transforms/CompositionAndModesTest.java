package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.transforms.SeriesAssertions.assertAllClose;
import static org.vtm.transforms.SeriesAssertions.assertClose;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Composition of expansions against re-expansion of the composed program, and forward/reverse
 * mode against the full expansion. Tolerance 1e-11 norm-wise: composition sums O(M²) rounded
 * products in a different order than the direct expansion; a wrong substitution is O(1) off.
 */
class CompositionAndModesTest {

    private static final double RTOL = 1e-11;

    private static double[] point(SplittableRandom rng, int d) {
        double[] p = new double[d];
        for (int i = 0; i < d; i++) {
            p[i] = rng.nextDouble(-1, 1);
        }
        return p;
    }

    @Test
    void compositionEqualsReExpansion() {
        SplittableRandom rng = new SplittableRandom(11L);
        for (int trial = 0; trial < 30; trial++) {
            int d = 1 + rng.nextInt(3);
            int mid = 1 + rng.nextInt(3);
            int m = 1 + rng.nextInt(3);
            int nInner = rng.nextInt(6);
            int nOuter = rng.nextInt(6);
            Step inner = RandomExpressionStep.generate(d, mid, 4 + rng.nextInt(15), rng.nextLong());
            Step outer = RandomExpressionStep.generate(mid, m, 4 + rng.nextInt(15), rng.nextLong(), 50.0);
            double[] x = point(rng, d);
            TensorSeries si = Expander.expand(List.of(inner), x, nInner);
            TensorSeries so = Expander.expand(List.of(outer), si.values(), nOuter);
            TensorSeries composed = so.compose(si);
            int r = Math.min(nInner, nOuter);
            assertEquals(r, composed.order(), "order of the composition is min(m, n)");
            assertEquals(d, composed.inputDim());
            assertEquals(m, composed.outputDim());
            TensorSeries direct = Expander.expand(List.of(inner, outer), x, r);
            assertAllClose(direct.coefficients(), composed.coefficients(), RTOL,
                    "trial " + trial + " orders (" + nOuter + " after " + nInner + ")");
        }
    }

    @Test
    void compositionRefusesAMismatchedPoint() {
        Step inner = RandomExpressionStep.generate(2, 2, 8, 1L);
        Step outer = RandomExpressionStep.generate(2, 1, 8, 2L);
        TensorSeries si = Expander.expand(List.of(inner), new double[] {0.1, 0.2}, 3);
        TensorSeries so = Expander.expand(List.of(outer), new double[] {5.0, 5.0}, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> so.compose(si));
        assertTrue(e.getMessage().contains("[5.0, 5.0]") && e.getMessage().contains("inner's values"),
                e.getMessage());
        TensorSeries wrongDim = Expander.expand(List.of(RandomExpressionStep.generate(3, 1, 4, 3L)),
                new double[] {0, 0, 0}, 2);
        assertThrows(IllegalArgumentException.class, () -> wrongDim.compose(si));
    }

    @Test
    void forwardAndReverseModeMatchTheFullExpansion() {
        SplittableRandom rng = new SplittableRandom(3L);
        for (int trial = 0; trial < 20; trial++) {
            int d = 1 + rng.nextInt(4);
            int m = 1 + rng.nextInt(3);
            int n = 1 + rng.nextInt(5);
            Step step = RandomExpressionStep.generate(d, m, 20, rng.nextLong());
            TensorSeries s = Expander.expand(List.of(step), point(rng, d), n);
            double[] v = point(rng, d);
            double[] u = point(rng, m);
            MultiIndexSet set = s.multiIndices();
            // directional derivatives of every order: k! Σ_{|α|=k} c[α] v^α
            for (int k = 0; k <= n; k++) {
                double[] expected = new double[m];
                double kf = 1;
                for (int i = 2; i <= k; i++) {
                    kf *= i;
                }
                for (int a = 0; a < set.size(); a++) {
                    if (set.degree(a) != k) {
                        continue;
                    }
                    double mono = 1;
                    for (int j = 0; j < d; j++) {
                        mono *= Math.pow(v[j], set.alphaComponent(a, j));
                    }
                    for (int o = 0; o < m; o++) {
                        expected[o] += kf * s.coefficient(o, a) * mono;
                    }
                }
                assertAllClose(expected, Modes.directional(s, v, k), RTOL, "directional k=" + k);
            }
            // jvp = J v ; vjp = u^T J from the plain first derivatives
            double[] jv = new double[m];
            double[] uj = new double[d];
            for (int o = 0; o < m; o++) {
                for (int j = 0; j < d; j++) {
                    jv[o] += s.d(o, j) * v[j];
                    uj[j] += u[o] * s.d(o, j);
                }
            }
            assertAllClose(jv, Modes.jvp(s, v), RTOL, "jvp");
            assertAllClose(uj, Modes.vjp(s, u), RTOL, "vjp");
            // the pulled-back series is the u-combination of the outputs at every order
            TensorSeries pb = Modes.pullback(s, u);
            double[] comb = new double[set.size()];
            for (int a = 0; a < set.size(); a++) {
                for (int o = 0; o < m; o++) {
                    comb[a] += u[o] * s.coefficient(o, a);
                }
            }
            assertAllClose(comb, pb.coefficients(), RTOL, "pullback");
        }
    }

    @Test
    void gradientOfAScalarVar() {
        Space sp = Space.of(2, 2);
        Var x = sp.variable(0, 1.5);
        Var y = sp.variable(1, -0.5);
        TensorSeries s = x.mul(x).mul(y).add(y.sin()).series();
        double[] g = Modes.gradient(s);
        assertClose(2 * 1.5 * -0.5, g[0], 1e-15, 0, "df/dx");
        assertClose(1.5 * 1.5 + Math.cos(-0.5), g[1], 1e-15, 0, "df/dy");
        TensorSeries along = Modes.along(s, new double[] {1, 0});
        assertEquals(1, along.inputDim());
        assertClose(-0.5, along.coefficient(0, 2), 1e-15, 0, "(1/2) d2/dt2 along x = y");
    }

    @Test
    void fullTensorViewAndContraction() {
        SplittableRandom rng = new SplittableRandom(8L);
        int d = 3;
        int n = 4;
        Step step = RandomExpressionStep.generate(d, 2, 15, 4L);
        TensorSeries s = Expander.expand(List.of(step), point(rng, d), n);
        double[] h = point(rng, d);
        double[] sum = new double[2];
        for (int k = 0; k <= n; k++) {
            double[] w = s.fullTensor(k);
            int width = (int) Math.pow(d, k);
            assertEquals(2 * width, w.length);
            double kf = 1;
            for (int i = 2; i <= k; i++) {
                kf *= i;
            }
            int[] tuple = new int[k];
            for (int t = 0; t < width; t++) {
                // decode the row-major tuple
                for (int p = k - 1, rest = t; p >= 0; p--, rest /= d) {
                    tuple[p] = rest % d;
                }
                double hp = 1;
                for (int j : tuple) {
                    hp *= h[j];
                }
                for (int o = 0; o < 2; o++) {
                    double entry = w[o * width + t];
                    // w_k[i][j1..jk] = ∂_{j1..jk} P_i / k!
                    assertClose(s.d(o, tuple) / kf, entry, 1e-14, 1e-14, "w_" + k + " entry " + t);
                    sum[o] += entry * hp;
                }
            }
        }
        assertAllClose(s.evaluate(h), sum, 1e-13, "Σ_k w_k h^k == W(h)");
        assertThrows(IllegalArgumentException.class, () -> s.fullTensor(n + 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.fullTensor(4, 100));
        assertTrue(e.getMessage().contains("w_4") && e.getMessage().contains("bytes"), e.getMessage());
    }
}
