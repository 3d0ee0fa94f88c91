package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Oracle and diagram executor on plain-Java steps with hand-written (exact) expansions. */
class OracleAndDiagramTest {

    @Test
    void haltonPointsAreTheDocumentedOnes() {
        double[] p = Oracle.haltonPoints(2, 2);
        // index 20: base 2 → 10100 → 0.00101b = 0.15625; base 3 → 202 → 0.202₃ = 2/3 + 0 + 2/27
        assertEquals(2 * 0.15625 - 1, p[0], 1e-15);
        assertEquals(2 * (2.0 / 3 + 2.0 / 27) - 1, p[1], 1e-15);
        // index 21: base 2 → 10101 → 0.10101b = 1/2 + 1/8 + 1/32
        assertEquals(2 * (0.5 + 0.125 + 1.0 / 32) - 1, p[2], 1e-15);
        assertArrayEquals(new int[] {2, 3, 5, 7, 11, 13}, Oracle.firstPrimes(6));
        assertEquals(64, Oracle.defaultPointCount(10));
        assertEquals(400, Oracle.defaultPointCount(100));
    }

    @Test
    void oracleRecoversFunctionsInTheSpanAndSatisfiesNormalEquations() {
        FunctionSet set = FunctionSet.of(FunctionFamily.fourier(), 2, 3);
        Oracle oracle = Oracle.of(set);
        assertEquals(set.size(), oracle.rank());
        double[] v0 = {0.5, -1};
        double r = 0.3;
        // f(x) = 2 + 3 sin(u0) cos(u1) - cos(2 u1) with u = (x - v0)/r: inside span(F)
        Function<double[], double[]> f = x -> {
            double u0 = (x[0] - v0[0]) / r;
            double u1 = (x[1] - v0[1]) / r;
            return new double[] {2 + 3 * Math.sin(u0) * Math.cos(u1) - Math.cos(2 * u1)};
        };
        FunctionSeries fit = oracle.fit(f, 1, v0, r);
        // cos 2u1 has 1-D index 4, so |β| = 4 > 3 puts it outside the n = 3 set: that fit is inexact
        // (checked through the normal equations below); a set with K = 4 contains it and fits exactly
        FunctionSet big = FunctionSet.totalIndex(FunctionFamily.fourier(), 2, 3, 4);
        FunctionSeries fit2 = Oracle.of(big).fit(f, 1, v0, r);
        for (int i = 0; i < big.size(); i++) {
            int[] b = big.beta(i);
            double e = (b[0] == 0 && b[1] == 0) ? 2 : (b[0] == 1 && b[1] == 2) ? 3 : (b[0] == 0 && b[1] == 4) ? -1 : 0;
            assertEquals(e, fit2.coefficient(0, i), 1e-10, "beta " + b[0] + "," + b[1]);
        }
        assertEquals(FunctionSeries.Origin.ORACLE_FIT, fit2.origin());
        // normal equations for the inexact fit: Aᵀ(A b - y) = 0
        double[] u = oracle.points();
        double[] x = oracle.points(v0, r);
        int n = oracle.pointCount();
        double[] grad = new double[set.size()];
        double[] phi = new double[set.size()];
        for (int p = 0; p < n; p++) {
            double[] up = {u[2 * p], u[2 * p + 1]};
            double res = fit.evaluate(up)[0] - f.apply(new double[] {x[2 * p], x[2 * p + 1]})[0];
            set.evaluateAll(up, phi);
            for (int i = 0; i < phi.length; i++) {
                grad[i] += phi[i] * res;
            }
        }
        for (double g : grad) {
            assertEquals(0.0, g, 1e-10);
        }
    }

    private static int indexOf(FunctionSet set, int b0, int b1) {
        for (int i = 0; i < set.size(); i++) {
            int[] b = set.beta(i);
            if (b[0] == b0 && b[1] == b1) {
                return i;
            }
        }
        return 0;
    }

    /** exp(x0 + 2 x1) at v0: c[α] = e^{s} 2^{α1} / (α0! α1!), s = v0[0] + 2 v0[1]. */
    static TensorSeries expOfLinear(double[] v0, int n) {
        MultiIndexSet xs = MultiIndexSet.of(2, n);
        double[] c = new double[xs.size()];
        double e = Math.exp(v0[0] + 2 * v0[1]);
        for (int i = 0; i < c.length; i++) {
            int[] a = xs.alpha(i);
            c[i] = e * Math.pow(2, a[1]) / (BasisTransformTest.factorial(a[0]) * BasisTransformTest.factorial(a[1]));
        }
        return TensorSeries.of(v0, n, 1, c);
    }

    @Test
    void compareOrdersTheApproximations() {
        double[] v0 = {0.2, -0.1};
        Function<double[], double[]> f = x -> new double[] {Math.exp(x[0] + 2 * x[1])};
        for (String name : new String[] {"chebyshev", "legendre", "fourier"}) {
            for (int n = 2; n <= 5; n++) {
                FunctionSet set = FunctionSet.of(FunctionFamily.byName(name), 2, n);
                BasisTransform t = BasisTransform.of(set);
                ApproximationErrors errs = Oracle.of(set).compare(f, expOfLinear(v0, n), 0.5, t);
                // the oracle minimises the discrete L2 error over span(F) on these very points
                assertTrue(errs.oracle().relL2() <= errs.fixed().relL2() * (1 + 1e-9), name + " n=" + n + " " + errs);
                if (!name.equals("fourier")) {
                    // polynomial family: T_FX reproduces the Taylor polynomial, which lies in span(F)
                    assertEquals(errs.taylor().relL2(), errs.fixed().relL2(), 1e-12);
                    assertEquals(errs.taylor().maxAbs(), errs.fixed().maxAbs(), 1e-12);
                    assertTrue(errs.oracle().relL2() <= errs.taylor().relL2() * (1 + 1e-9));
                }
                assertTrue(errs.taylor().relL2() > 0 && errs.taylor().maxAbs() > 0);
            }
        }
    }

    @Test
    void taylorErrorShrinksWithOrder() {
        double[] v0 = {0, 0};
        Function<double[], double[]> f = x -> new double[] {Math.exp(x[0] + 2 * x[1])};
        double prev = Double.POSITIVE_INFINITY;
        for (int n = 1; n <= 6; n++) {
            FunctionSet set = FunctionSet.of(FunctionFamily.chebyshev(), 2, n);
            ApproximationErrors errs = Oracle.of(set).compare(f, expOfLinear(v0, n), 0.1, BasisTransform.of(set));
            // remainder ~ (3r)^{n+1}/(n+1)! with 3r = 0.3: each order gains at least a factor 2
            assertTrue(errs.taylor().relL2() < prev / 2, "n=" + n);
            prev = errs.taylor().relL2();
        }
    }

    @Test
    void errorMetricsDefinition() {
        ErrorMetrics m = ErrorMetrics.of(new double[] {1, 2, 3}, new double[] {1, 2, 5});
        assertEquals(2 / Math.sqrt(30), m.relL2(), 1e-15);
        assertEquals(2, m.maxAbs(), 0);
        assertEquals(0, ErrorMetrics.of(new double[2], new double[2]).relL2(), 0);
        assertEquals(Double.POSITIVE_INFINITY, ErrorMetrics.of(new double[] {1, 0}, new double[2]).relL2(), 0);
    }

    // ------------------------------------------------------------ diagram executor

    /** p0(x, y) = (x y, x + y): polynomial, expansion exact for order ≥ 2. */
    static final DiagramExecutor.Stage PRODUCT_SUM = new DiagramExecutor.Stage() {
        public int inputDim() {
            return 2;
        }

        public int outputDim() {
            return 2;
        }

        public double[] execute(double[] x) {
            return new double[] {x[0] * x[1], x[0] + x[1]};
        }

        public TensorSeries expand(double[] v, int n) {
            int m = MultiIndexSet.of(2, n).size();
            double[] c = new double[2 * m];
            c[0] = v[0] * v[1];
            c[m] = v[0] + v[1];
            if (n >= 1) {
                c[1] = v[1];
                c[2] = v[0];
                c[m + 1] = 1;
                c[m + 2] = 1;
            }
            if (n >= 2) {
                c[4] = 1; // x0 x1
            }
            return TensorSeries.of(v, n, 2, c);
        }
    };

    /** p1(a, b) = exp(a + 2 b). */
    static final DiagramExecutor.Stage EXP = new DiagramExecutor.Stage() {
        public int inputDim() {
            return 2;
        }

        public int outputDim() {
            return 1;
        }

        public double[] execute(double[] x) {
            return new double[] {Math.exp(x[0] + 2 * x[1])};
        }

        public TensorSeries expand(double[] v, int n) {
            return expOfLinear(v, n);
        }
    };

    @Test
    void pathsOnPolynomialStepsAreExact() {
        DiagramExecutor ex = new DiagramExecutor(List.of(PRODUCT_SUM, PRODUCT_SUM), FunctionFamily.legendre(), 3,
                new double[] {0.3, 0.4}, 0.5);
        double[] x = {0.5, 0.1};
        double[] plain = PRODUCT_SUM.execute(PRODUCT_SUM.execute(x));
        for (String path : new String[] {"E,E", "X,X", "T,T", "E,T", "T,X", "x, e"}) {
            DiagramExecutor.PathReport rep = ex.report(path, x);
            assertArrayEquals(plain, rep.output(), 1e-13, path);
            assertArrayEquals(plain, rep.reference(), 0.0);
            assertTrue(rep.pointMaxAbs() < 1e-13, path);
            assertTrue(rep.region().relL2() < 1e-13, path + " " + rep.region());
        }
        assertEquals(0.0, ex.report("E,E", x).region().maxAbs(), 0.0);
        assertEquals("X,E", ex.report("x, e", x).path());
        assertArrayEquals(PRODUCT_SUM.execute(new double[] {0.3, 0.4}), ex.referencePoint(1), 0.0);
    }

    @Test
    void expansionsAreAtReferencePointsAndExactThere() {
        double[] v0 = {0.3, -0.2};
        DiagramExecutor ex = new DiagramExecutor(List.of(PRODUCT_SUM, EXP), FunctionFamily.fourier(), 4, v0, 0.2);
        double[] exact = EXP.execute(PRODUCT_SUM.execute(v0));
        for (String path : new String[] {"E,X", "E,T", "X,T", "T,X", "T,T"}) {
            // at x = v0 every step is evaluated at its own reference point, where it is exact
            assertArrayEquals(exact, ex.run(path, v0), 1e-13, path);
        }
        // off the reference point X is a truncation: error ~ remainder of exp's series of order 4
        double[] x = {0.35, -0.25};
        DiagramExecutor.PathReport rep = ex.report("E,X", x);
        double[] z = PRODUCT_SUM.execute(x);
        double[] v1 = ex.referencePoint(1);
        double s = (z[0] - v1[0]) + 2 * (z[1] - v1[1]);
        double expected = Math.exp(v1[0] + 2 * v1[1]) * (s * s * s * s * s / 120); // leading remainder term
        assertEquals(Math.abs(expected), rep.pointMaxAbs(), 0.2 * Math.abs(expected));
        // region error of X decreases with the order
        double prev = Double.POSITIVE_INFINITY;
        for (int n = 1; n <= 5; n++) {
            double e = new DiagramExecutor(List.of(PRODUCT_SUM, EXP), FunctionFamily.chebyshev(), n, v0, 0.2)
                    .report("X,X", x).region().relL2();
            assertTrue(e < prev, "n=" + n);
            prev = e;
        }
    }

    @Test
    void badPathsAreReported() {
        DiagramExecutor ex = new DiagramExecutor(List.of(PRODUCT_SUM, EXP), FunctionFamily.chebyshev(), 2,
                new double[] {0, 0}, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ex.run("E,Q", new double[2]));
        assertTrue(e.getMessage().contains("position 2") && e.getMessage().contains("'Q'")
                && e.getMessage().contains("E (execute)") && e.getMessage().contains("T ("), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ex.run("E,X,T", new double[2]));
        assertTrue(e.getMessage().contains("3 letters") && e.getMessage().contains("2 steps"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ex.run("E,", new double[2]));
        assertTrue(e.getMessage().contains("position 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ex.run("E,E", new double[3]));
        assertTrue(e.getMessage().contains("3"), e.getMessage());
    }

    @Test
    void refusedBasisFailsOnlyWhenTIsUsed() {
        DiagramExecutor ex = new DiagramExecutor(List.of(EXP), FunctionFamily.hermite(), 16, new double[] {0, 0}, 0.1);
        assertTrue(ex.run("X", new double[] {0.01, 0.02})[0] > 0);
        assertThrows(BasisTransform.SingularBasisException.class, () -> ex.run("T", new double[2]));
    }
}
