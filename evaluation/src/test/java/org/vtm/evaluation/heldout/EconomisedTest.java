package org.vtm.evaluation.heldout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.interpreter.NextOrderProjection;
import org.vtm.interpreter.StepInputs;
import org.vtm.interpreter.TfxSource;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.LeastSquares;
import org.vtm.transforms.Oracle;
import org.vtm.transforms.Program;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EconomisedTest {
    static final double[] POINT = {0.3, -0.2};
    static final double RADIUS = 0.5;

    static double[][] samples(FunctionSet set) {
        Oracle o = Oracle.of(set);
        double[] u = o.points();
        double[][] pts = new double[o.pointCount()][2];
        for (int s = 0; s < pts.length; s++) {
            pts[s][0] = u[2 * s];
            pts[s][1] = u[2 * s + 1];
        }
        return pts;
    }

    /** The least-squares fit in F of the program's exact values at the sample points, computed directly. */
    static double[] directFit(FunctionSet set, double[][] pts, Program p) {
        int m = set.size();
        LeastSquares ls = LeastSquares.of(set.designMatrix(pts), pts.length, m);
        double[] c = new double[2 * m];
        for (int o = 0; o < 2; o++) {
            double[] y = new double[pts.length];
            for (int s = 0; s < pts.length; s++) {
                y[s] = p.execute(new double[] {POINT[0] + RADIUS * pts[s][0], POINT[1] + RADIUS * pts[s][1]})[o];
            }
            System.arraycopy(ls.solve(y), 0, c, o * m, m);
        }
        return c;
    }

    static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        double scale = 0;
        for (double v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * scale, what + " coefficient " + i);
        }
    }

    /**
     * On a program that is itself a polynomial of degree n+1, the order-(n+1) Taylor polynomial is the
     * program, so economised_n1 = Π p_{n+1} = Π g: the direct least-squares fit of the exact values,
     * which is the oracle.
     */
    @Test
    void economisedN1IsTheOracleOnAProgramOfDegreeNPlusOne() {
        for (String family : new String[] {"chebyshev", "legendre", "fourier"}) {
            FunctionSet set = FunctionSet.of(FunctionFamily.byName(family), 2, 3);
            double[][] pts = samples(set);
            Program p = Program.parse("(x, y) -> (x^4 + 2*x*y^3 - y^2 + 1, x^2*y^2 + 3*x - y^4)");
            double[] econ = Economised.of(set, pts, 1).coefficients(p, POINT, RADIUS)[0];
            assertClose(directFit(set, pts, p), econ, 1e-10, family + " economised_n1 vs direct least squares");
            double[] oracle = Oracle.of(set).fit(p, POINT, RADIUS).coefficients();
            assertClose(oracle, econ, 1e-10, family + " economised_n1 vs the oracle");
        }
    }

    /** Degree n+2 needs economised_n2; economised_n1 then differs from the oracle (the test can fail). */
    @Test
    void economisedN2IsTheOracleOnDegreeNPlusTwoAndN1IsNot() {
        FunctionSet set = FunctionSet.of(FunctionFamily.byName("chebyshev"), 2, 3);
        double[][] pts = samples(set);
        Program p = Program.parse("(x, y) -> (x^5 - x*y^4 + y, x^3*y^2 + x)");
        double[] direct = directFit(set, pts, p);
        assertClose(direct, Economised.of(set, pts, 2).coefficients(p, POINT, RADIUS)[0], 1e-10, "economised_n2");
        double[] n1 = Economised.of(set, pts, 1).coefficients(p, POINT, RADIUS)[0];
        double diff = 0;
        for (int i = 0; i < n1.length; i++) {
            diff = Math.max(diff, Math.abs(n1[i] - direct[i]));
        }
        assertTrue(diff > 1e-3, "economised_n1 misses the degree-5 terms: " + diff);
    }

    /** For a polynomial F, economised_n1 is T_FX·a + Q*·a⁺ (the next-order projection), on any program. */
    @Test
    void economisedN1EqualsTfxPlusQStarForPolynomialSets() {
        FunctionSet set = FunctionSet.of(FunctionFamily.byName("chebyshev"), 2, 3);
        double[][] pts = samples(set);
        Program p = Program.parse("(x, y) -> (exp(x) * sin(y), 1 / (2 + x*y))");
        double[] econ = Economised.of(set, pts, 1).coefficients(p, POINT, RADIUS)[0];
        double[] a = StepInputs.of(p, POINT, RADIUS, 3).prefixExpansion()[0];
        double[] next = StepInputs.nextOrderTerms(p, POINT, RADIUS, 3);
        double[] tq = NextOrderProjection.fit(set, pts).coefficients(TfxSource.computed().tfx("chebyshev", 2, 3), a, next);
        assertClose(tq, econ, 1e-9, "T_FX·a + Q*·a⁺");
    }
}
