package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BasisTransformTest {

    // ------------------------------------------------------------ closed forms (1-D, column k = u^k in F)

    static double binomial(int n, int k) {
        double r = 1.0;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }

    static double factorial(int n) {
        double r = 1.0;
        for (int i = 2; i <= n; i++) {
            r *= i;
        }
        return r;
    }

    static double doubleFactorial(int n) {
        double r = 1.0;
        for (int i = n; i > 1; i -= 2) {
            r *= i;
        }
        return r;
    }

    /** u^k = 2^{1-k} Σ_{j ≤ k/2} C(k,j) T_{k-2j}, the j = k/2 term (k even) halved. */
    static double[] monomialInChebyshev(int k, int size) {
        double[] c = new double[size];
        for (int j = 0; 2 * j <= k; j++) {
            double t = Math.pow(2.0, 1 - k) * binomial(k, j);
            if (2 * j == k) {
                t /= 2.0;
            }
            c[k - 2 * j] += t;
        }
        return c;
    }

    /** u^k = Σ_{l = k, k-2, …} (2l+1) k! / (2^{(k-l)/2} ((k-l)/2)! (k+l+1)!!) P_l. */
    static double[] monomialInLegendre(int k, int size) {
        double[] c = new double[size];
        for (int l = k; l >= 0; l -= 2) {
            int h = (k - l) / 2;
            c[l] = (2 * l + 1) * factorial(k) / (Math.pow(2.0, h) * factorial(h) * doubleFactorial(k + l + 1));
        }
        return c;
    }

    /** u^k = Σ_m k! / (2^m m! (k-2m)!) He_{k-2m}. */
    static double[] monomialInHermite(int k, int size) {
        double[] c = new double[size];
        for (int m = 0; 2 * m <= k; m++) {
            c[k - 2 * m] = factorial(k) / (Math.pow(2.0, m) * factorial(m) * factorial(k - 2 * m));
        }
        return c;
    }

    interface ClosedForm {
        double[] column(int k, int size);
    }

    private static void assertMatchesClosedForm(FunctionFamily f, ClosedForm cf, int maxOrder, double relTol) {
        for (int n = 0; n <= maxOrder; n++) {
            BasisTransform t = BasisTransform.of(FunctionSet.of(f, 1, n));
            assertTrue(t.isExact());
            assertSame(BasisTransform.Solver.STRUCTURED, t.solver());
            for (int k = 0; k <= n; k++) {
                double[] expected = cf.column(k, n + 1);
                for (int i = 0; i <= n; i++) {
                    double tol = relTol * Math.max(1.0, Math.abs(expected[i]));
                    assertEquals(expected[i], t.tfx(i, k), tol, f + " n=" + n + " T_FX[" + i + "][" + k + "]");
                }
            }
        }
    }

    @Test
    void monomialToChebyshevMatchesClosedForm() {
        // entries are ≤ 1 and built from a few exact binary fractions: 1e-12 leaves room for
        // the back substitution's rounding over ≤ 13 terms
        assertMatchesClosedForm(FunctionFamily.chebyshev(), BasisTransformTest::monomialInChebyshev, 12, 1e-12);
    }

    @Test
    void monomialToLegendreMatchesClosedForm() {
        assertMatchesClosedForm(FunctionFamily.legendre(), BasisTransformTest::monomialInLegendre, 12, 1e-12);
    }

    @Test
    void monomialToHermiteMatchesClosedForm() {
        // entries grow like k!/(2^m m!(k-2m)!) (~1e4 at k=12); tolerance relative to the entry
        assertMatchesClosedForm(FunctionFamily.hermite(), BasisTransformTest::monomialInHermite, 12, 1e-12);
    }

    @Test
    void monomialFamilyIsTheIdentity() {
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.monomial(), 3, 4));
        int m = t.monomialCount();
        double[] tfx = t.tfx();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(i == j ? 1.0 : 0.0, tfx[i * m + j], 0.0);
            }
        }
        assertEquals(1.0, t.condition(), 0.0);
    }

    @Test
    void multivariateClosedFormIsProductOfOneDimensionalColumns() {
        // T_FX[β][α] = Π_l (u^{α_l} in Chebyshev)[β_l] — checked against the closed form through the GENERAL path,
        // so neither the Kronecker shortcut nor the triangular solve is used
        int d = 2;
        int n = 6;
        FunctionSet set = FunctionSet.of(FunctionFamily.chebyshev(), d, n);
        BasisTransform t = BasisTransform.of(set, BasisTransform.Solver.GENERAL, BasisTransform.DEFAULT_MAX_CONDITION);
        MultiIndexSet xs = set.monomials();
        for (int b = 0; b < set.size(); b++) {
            int[] beta = set.beta(b);
            for (int a = 0; a < xs.size(); a++) {
                int[] alpha = xs.alpha(a);
                double expected = 1.0;
                for (int l = 0; l < d; l++) {
                    expected *= monomialInChebyshev(alpha[l], n + 1)[beta[l]];
                }
                assertEquals(expected, t.tfx(b, a), 1e-12, "beta " + b + " alpha " + a);
            }
        }
    }

    // ------------------------------------------------------------ invariants

    private static void assertInverse(BasisTransform t, double tol) {
        int m = t.monomialCount();
        double[] p = new double[m * m];
        Dense.multiply(t.tfx(), m, m, t.txf(), m, p);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(i == j ? 1.0 : 0.0, p[i * m + j], tol, t + " (T_FX·T_XF)[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void tfxTimesTxfIsIdentity() {
        for (String name : FunctionFamily.BUILT_IN) {
            FunctionFamily f = FunctionFamily.byName(name);
            for (int d = 1; d <= 3; d++) {
                for (int n = 0; n <= (d == 1 ? 10 : 6); n++) {
                    BasisTransform t = BasisTransform.of(FunctionSet.of(f, d, n));
                    // κ_1 ≤ ~1e5 for these sets; 1e-10 absolute leaves a margin for entries up to ~1e3
                    assertInverse(t, 1e-10);
                    assertEquals(t.monomialCount(), t.rank());
                }
            }
        }
    }

    @Test
    void structuredEqualsGeneralSolve() {
        for (String name : new String[] {"monomial", "chebyshev", "legendre", "hermite"}) {
            FunctionFamily f = FunctionFamily.byName(name);
            for (int d = 1; d <= 4; d++) {
                for (int n = 0; n <= 6; n++) {
                    FunctionSet set = FunctionSet.of(f, d, n);
                    BasisTransform s = BasisTransform.of(set, BasisTransform.Solver.STRUCTURED, 1e12);
                    BasisTransform g = BasisTransform.of(set, BasisTransform.Solver.GENERAL, 1e12);
                    assertSame(BasisTransform.Solver.STRUCTURED, s.solver());
                    assertSame(BasisTransform.Solver.GENERAL, g.solver());
                    double[] a = s.tfx();
                    double[] b = g.tfx();
                    for (int i = 0; i < a.length; i++) {
                        // relative to the entry size: hermite entries reach ~1e2 at n = 6
                        assertEquals(b[i], a[i], 1e-11 * Math.max(1.0, Math.abs(b[i])), set + " entry " + i);
                    }
                    assertEquals(g.condition(), s.condition(), 1e-9 * g.condition());
                }
            }
        }
    }

    @Test
    void structuredSolverRefusesNonPolynomialFamily() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BasisTransform.of(FunctionSet.of(FunctionFamily.fourier(), 1, 3), BasisTransform.Solver.STRUCTURED, 1e12));
        assertTrue(e.getMessage().contains("fourier"), e.getMessage());
    }

    @Test
    void accessorsCopy() {
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 2, 3));
        double[] a = t.tfx();
        a[0] = 42;
        assertEquals(1.0, t.tfx()[0], 0.0);
        double[] b = t.txf();
        b[0] = 42;
        assertEquals(1.0, t.txf(0, 0), 0.0);
    }

    // ------------------------------------------------------------ Fourier

    @Test
    void paperFourierExampleTxfColumns() {
        // F = {1, sin u, cos u, sin 2u, cos 2u}, n = 4: columns are the Taylor coefficients
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.fourier(), 1, 4));
        double[][] expectedColumns = {
            {1, 0, 0, 0, 0},
            {0, 1, 0, -1.0 / 6, 0},
            {1, 0, -0.5, 0, 1.0 / 24},
            {0, 2, 0, -8.0 / 6, 0},
            {1, 0, -2, 0, 16.0 / 24},
        };
        for (int k = 0; k < 5; k++) {
            for (int j = 0; j < 5; j++) {
                assertEquals(expectedColumns[k][j], t.txf(j, k), 1e-15, "T_XF[" + j + "][" + k + "]");
            }
        }
        assertSame(BasisTransform.Solver.GENERAL, t.solver());
    }

    /** The largest n at which the 1-D Fourier set is accepted with the default limit 1e12. */
    @Test
    void fourierBecomesNumericallySingularAroundOrder24() {
        // measured: κ_1 grows by roughly ×3 per order (×~12 per frequency): 1-D n = 22 → 1.4e11,
        // n = 26 → 1.9e13; the limit 1e12 is crossed between n = 23 and n = 25
        int lastAccepted = -1;
        for (int n = 1; n <= 30; n++) {
            try {
                BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.fourier(), 1, n));
                assertTrue(t.condition() <= 1e12);
                lastAccepted = n;
            } catch (BasisTransform.SingularBasisException e) {
                assertTrue(e.condition() > 1e12);
                assertEquals("fourier", e.family());
                assertEquals(1, e.dim());
                assertEquals(n, e.order());
                String msg = e.getMessage();
                assertTrue(msg.contains("'fourier'") && msg.contains("d=1") && msg.contains("n=" + n)
                        && msg.contains("condition"), msg);
                assertTrue(msg.contains(String.format(java.util.Locale.ROOT, "%.3e", e.condition())), msg);
                break;
            }
        }
        assertTrue(lastAccepted >= 23 && lastAccepted <= 25, "last accepted order " + lastAccepted);
        // condition grows monotonically in n (within the accepted range)
        double prev = 0;
        for (int n = 1; n <= lastAccepted; n++) {
            double c = BasisTransform.of(FunctionSet.of(FunctionFamily.fourier(), 1, n)).condition();
            assertTrue(c >= prev, "n=" + n);
            prev = c;
        }
    }

    @Test
    void fourierMultivariateRefusalNamesDimension() {
        // a deliberately strict limit makes the refusal reachable at small sizes
        BasisTransform.SingularBasisException e = assertThrows(BasisTransform.SingularBasisException.class,
                () -> BasisTransform.of(FunctionSet.of(FunctionFamily.fourier(), 2, 6), BasisTransform.Solver.AUTO, 100));
        assertTrue(e.getMessage().contains("d=2") && e.getMessage().contains("n=6"), e.getMessage());
        assertTrue(e.condition() > 100);
    }

    /** A family whose members are all even functions u^{2k}: T_XF has zero rows, an exact zero pivot. */
    static final class EvenPowers extends FunctionFamily {
        EvenPowers() {
            super("even-powers");
        }

        @Override
        public double value(int k, double u) {
            return Math.pow(u, 2 * k);
        }

        @Override
        public double[] taylor(int k, int order) {
            double[] t = new double[order + 1];
            if (2 * k <= order) {
                t[2 * k] = 1;
            }
            return t;
        }

        @Override
        public boolean isPolynomial() {
            return false;
        }
    }

    @Test
    void exactlySingularSetIsRefused() {
        BasisTransform.SingularBasisException e = assertThrows(BasisTransform.SingularBasisException.class,
                () -> BasisTransform.of(FunctionSet.of(new EvenPowers(), 1, 3)));
        assertTrue(Double.isInfinite(e.condition()));
        assertTrue(e.getMessage().contains("'even-powers'") && e.getMessage().contains("d=1")
                && e.getMessage().contains("n=3") && e.getMessage().contains("singular"), e.getMessage());
    }

    @Test
    void hermiteIsRefusedAtHighOrder() {
        // He_k coefficients grow like factorials, κ_1 passes 1e12 near n = 14 (measured 5.7e12)
        assertThrows(BasisTransform.SingularBasisException.class,
                () -> BasisTransform.of(FunctionSet.of(FunctionFamily.hermite(), 1, 16)));
        BasisTransform ok = BasisTransform.of(FunctionSet.of(FunctionFamily.hermite(), 1, 16),
                BasisTransform.Solver.AUTO, Double.POSITIVE_INFINITY);
        assertTrue(ok.condition() > 1e12);
    }

    // ------------------------------------------------------------ least squares

    @Test
    void nonSquareLeastSquaresIsLabelledAndSatisfiesNormalEquations() {
        FunctionSet[] sets = {
            FunctionSet.totalIndex(FunctionFamily.chebyshev(), 1, 4, 7),
            FunctionSet.totalIndex(FunctionFamily.fourier(), 2, 3, 5),
            FunctionSet.perVariable(FunctionFamily.legendre(), 2, 3, 3),
        };
        SplittableRandom rnd = new SplittableRandom(20240611L);
        for (FunctionSet set : sets) {
            assertFalse(set.isSquare());
            BasisTransform t = BasisTransform.of(set);
            assertSame(BasisTransform.Kind.LEAST_SQUARES, t.kind());
            assertFalse(t.isExact());
            assertEquals(2, t.conditionNorm());
            int m = t.monomialCount();
            int k = t.functionCount();
            assertTrue(k > m, set.toString());
            assertEquals(m, t.rank());
            double[] txf = t.txf();
            double[] tfx = t.tfx();
            for (int trial = 0; trial < 5; trial++) {
                double[] a = new double[m];
                for (int i = 0; i < m; i++) {
                    a[i] = rnd.nextDouble(-1, 1);
                }
                double[] b = new double[k];
                Dense.multiply(tfx, k, m, a, 1, b);
                // full row rank: the residual T_XF b - a vanishes, so the normal equations
                // T_XFᵀ (T_XF b - a) = 0 hold; the minimum-norm property: b ∈ range(T_XFᵀ), checked
                // by b == T_XFᵀ y with y = (T_XF T_XFᵀ)^{-1} a (an independent solve)
                double[] r = new double[m];
                Dense.multiply(txf, m, k, b, 1, r);
                double[] residual = new double[m];
                for (int i = 0; i < m; i++) {
                    residual[i] = r[i] - a[i];
                }
                double[] normal = new double[k];
                Dense.multiply(Dense.transpose(txf, m, k), k, m, residual, 1, normal);
                for (int j = 0; j < k; j++) {
                    assertEquals(0.0, normal[j], 1e-10, set + " normal equation " + j);
                }
                double[] gram = new double[m * m];
                Dense.multiply(txf, m, k, Dense.transpose(txf, m, k), m, gram);
                double[] y = new double[m];
                Dense.multiply(Dense.invert(gram, m), m, m, a, 1, y);
                double[] bMin = new double[k];
                Dense.multiply(Dense.transpose(txf, m, k), k, m, y, 1, bMin);
                for (int j = 0; j < k; j++) {
                    assertEquals(bMin[j], b[j], 1e-9 * Math.max(1.0, Math.abs(bMin[j])), set + " min-norm " + j);
                }
            }
        }
    }

    // ------------------------------------------------------------ applying to expansions

    @Test
    void paperFourierExampleCoefficients() {
        // exp at 0, n = 4: c = 1/k!; r = 1; expected (5/2, 5/3, -5/3, -1/3, 1/6) (seed/issue)
        double[] c = {1, 1, 0.5, 1.0 / 6, 1.0 / 24};
        TensorSeries e = TensorSeries.of(new double[] {0}, 4, 1, c);
        FunctionSeries fs = BasisTransform.of(FunctionSet.of(FunctionFamily.fourier(), 1, 4)).apply(e, 1.0);
        assertArrayEquals(new double[] {2.5, 5.0 / 3, -5.0 / 3, -1.0 / 3, 1.0 / 6}, fs.coefficients(), 1e-13);
        assertSame(FunctionSeries.Origin.EXACT_TRANSFORM, fs.origin());
        assertEquals("fourier", fs.family().name());
    }

    @Test
    void polynomialFamiliesReproduceTheTaylorPolynomial() {
        SplittableRandom rnd = new SplittableRandom(7L);
        for (String name : new String[] {"monomial", "chebyshev", "legendre", "hermite"}) {
            for (int d = 1; d <= 3; d++) {
                int n = 5;
                int outputs = 2;
                int m = MultiIndexSet.of(d, n).size();
                double[] c = new double[outputs * m];
                for (int i = 0; i < c.length; i++) {
                    c[i] = rnd.nextDouble(-1, 1);
                }
                double[] v0 = new double[d];
                for (int l = 0; l < d; l++) {
                    v0[l] = rnd.nextDouble(-2, 2);
                }
                double r = 0.7;
                TensorSeries e = TensorSeries.of(v0, n, outputs, c);
                FunctionSeries fs = BasisTransform.of(FunctionSet.of(FunctionFamily.byName(name), d, n)).apply(e, r);
                assertEquals(outputs, fs.outputDim());
                assertEquals(d, fs.inputDim());
                assertEquals(n, fs.order());
                for (int trial = 0; trial < 20; trial++) {
                    double[] u = new double[d];
                    double[] h = new double[d];
                    for (int l = 0; l < d; l++) {
                        u[l] = rnd.nextDouble(-1, 1);
                        h[l] = r * u[l];
                    }
                    // the same polynomial in two bases; |coefficients| ≤ 1, values O(10)
                    assertArrayEquals(e.evaluate(h), fs.evaluate(u), 1e-12, name + " d=" + d);
                    double[] x = new double[d];
                    for (int l = 0; l < d; l++) {
                        x[l] = v0[l] + h[l];
                    }
                    assertArrayEquals(e.evaluate(h), fs.evaluateAt(x), 1e-12, name + " d=" + d);
                }
            }
        }
    }

    @Test
    void batchApplyEqualsOneByOne() {
        SplittableRandom rnd = new SplittableRandom(99L);
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.legendre(), 2, 4));
        int m = t.monomialCount();
        TensorSeries[] es = new TensorSeries[70];
        for (int e = 0; e < es.length; e++) {
            int outputs = 1 + e % 3;
            double[] c = new double[outputs * m];
            for (int i = 0; i < c.length; i++) {
                c[i] = rnd.nextDouble(-1, 1);
            }
            es[e] = TensorSeries.of(new double[] {e, -e}, 4, outputs, c);
        }
        FunctionSeries[] batch = t.apply(es, 0.5);
        double[] tfx = t.tfx();
        for (int e = 0; e < es.length; e++) {
            double[] c = es[e].coefficients();
            double[] expected = new double[es[e].outputDim() * m];
            for (int o = 0; o < es[e].outputDim(); o++) {
                for (int b = 0; b < m; b++) {
                    double s = 0;
                    for (int a = 0; a < m; a++) {
                        s += tfx[b * m + a] * c[o * m + a] * Math.pow(0.5, es[e].multiIndices().degree(a));
                    }
                    expected[o * m + b] = s;
                }
            }
            assertArrayEquals(expected, batch[e].coefficients(), 1e-13, "expansion " + e);
            assertArrayEquals(new double[] {e, -e}, batch[e].point(), 0.0);
        }
    }

    @Test
    void applyValidatesItsInput() {
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 2, 3));
        TensorSeries wrongDim = TensorSeries.of(new double[] {0}, 3, 1, new double[4]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.apply(wrongDim, 1.0));
        assertTrue(e.getMessage().contains("d=2") && e.getMessage().contains("1"), e.getMessage());
        TensorSeries lowOrder = TensorSeries.of(new double[] {0, 0}, 2, 1, new double[6]);
        assertThrows(IllegalArgumentException.class, () -> t.apply(lowOrder, 1.0));
        TensorSeries ok = TensorSeries.of(new double[] {0, 0}, 3, 1, new double[10]);
        e = assertThrows(IllegalArgumentException.class, () -> t.apply(ok, -1.0));
        assertTrue(e.getMessage().contains("-1.0"), e.getMessage());
    }

    @Test
    void higherOrderExpansionIsTruncated() {
        // order-5 expansion of exp(u) applied with an n = 3 transform equals the order-3 one
        double[] c5 = {1, 1, 0.5, 1.0 / 6, 1.0 / 24, 1.0 / 120};
        double[] c3 = {1, 1, 0.5, 1.0 / 6};
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 1, 3));
        assertArrayEquals(t.apply(TensorSeries.of(new double[] {0}, 3, 1, c3), 1.0).coefficients(),
                t.apply(TensorSeries.of(new double[] {0}, 5, 1, c5), 1.0).coefficients(), 0.0);
    }
}
