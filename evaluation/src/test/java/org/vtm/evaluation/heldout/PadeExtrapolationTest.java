package org.vtm.evaluation.heldout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.interpreter.StepInputs;
import org.vtm.interpreter.TfxSource;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Oracle;
import org.vtm.transforms.Program;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PadeExtrapolationTest {

    static double[][] samples(FunctionSet set) {
        Oracle o = Oracle.of(set);
        double[] u = o.points();
        int d = set.dim();
        double[][] pts = new double[o.pointCount()][d];
        for (int s = 0; s < pts.length; s++) {
            for (int l = 0; l < d; l++) {
                pts[s][l] = u[d * s + l];
            }
        }
        return pts;
    }

    static double[] expansion(Program p, double[] point, double radius, int n) {
        double[][] a = StepInputs.of(p, point, radius, n).prefixExpansion();
        return a[a.length - 1];
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

    /** T_FX·a per output, the fixed path. */
    static double[] fixed(FunctionSet set, double[] a) {
        double[] t = TfxSource.computed().tfx(set.family().name(), set.dim(), set.order());
        int m = set.size();
        double[] c = new double[a.length];
        for (int o = 0; o < a.length / m; o++) {
            for (int i = 0; i < m; i++) {
                double v = 0;
                for (int j = 0; j < m; j++) {
                    v += t[i * m + j] * a[o * m + j];
                }
                c[o * m + i] = v;
            }
        }
        return c;
    }

    /**
     * 1-D geometric series (a pole): a_k = A·q^k, so a_n²/a_{n−1} = a_{n+1} exactly; the estimate is the
     * true next coefficient at every order, and pade equals economised_n1 (which is given the true one).
     */
    @Test
    void geometricSeriesIn1DIsExtrapolatedExactly() {
        Program p = Program.parse("(x) -> (1/(1 - 2*x))");
        double[] point = {0.1};
        double radius = 0.3; // g(u) = 1.25 / (1 − 0.75 u)
        for (int n = 1; n <= 6; n++) {
            FunctionSet set = FunctionSet.of(FunctionFamily.byName("chebyshev"), 1, n);
            double[][] pts = samples(set);
            PadeExtrapolation pade = PadeExtrapolation.of(set, pts);
            double[] a = expansion(p, point, radius, n);
            double[] exact = StepInputs.nextOrderTerms(p, point, radius, n);
            assertClose(exact, pade.nextTerms(a), 1e-12, "n=" + n + " a_{n+1}");
            assertEquals(1.25 * Math.pow(0.75, n + 1), pade.nextTerms(a)[0], 1e-12, "n=" + n + " closed form");
            double[] econ = Economised.of(set, pts, 1).coefficients(p, point, radius)[0];
            assertClose(econ, pade.coefficients(a), 1e-11, "n=" + n + " pade vs economised_n1");
            double[] fix = fixed(set, a);
            assertTrue(Math.abs(fix[0] - econ[0]) > 1e-6, "n=" + n + ": the tail changes the coefficients (the test can fail)");
        }
    }

    /**
     * An expansion that is a polynomial of degree < n has P_n ≡ 0 (t ≡ 0), and one of degree n with
     * P_{n−1} ≡ 0 triggers the guard: in both cases â⁺ = 0 and pade is exactly the fixed T_FX·a.
     */
    @Test
    void polynomialProgramsWithoutATailEstimateAreFixed() {
        for (String family : new String[] {"chebyshev", "legendre"}) {
            FunctionSet set = FunctionSet.of(FunctionFamily.byName(family), 2, 4);
            PadeExtrapolation pade = PadeExtrapolation.of(set, samples(set));
            Program low = Program.parse("(x, y) -> (x^3 + 2*x*y - y^2 + 1, x*y^2 - 3*y)");
            double[] a = expansion(low, new double[] {0.3, -0.2}, 0.5, 4);
            assertClose(new double[2 * 6], pade.nextTerms(a), 0, family + " degree 3: â⁺");
            assertClose(fixed(set, a), pade.coefficients(a), 1e-12, family + " degree 3: pade vs fixed");

            Program gap = Program.parse("(x, y) -> (x^4 + y^4 + 1, 2*x^2*y^2 - 3*x^4 + 2)"); // P_3 ≡ 0 at the origin
            double[] b = expansion(gap, new double[] {0, 0}, 0.7, 4);
            assertClose(new double[2 * 6], pade.nextTerms(b), 0, family + " P_{n-1} = 0: â⁺");
            assertClose(fixed(set, b), pade.coefficients(b), 1e-12, family + " P_{n-1} = 0: pade vs fixed");
        }
        FunctionSet zero = FunctionSet.of(FunctionFamily.byName("chebyshev"), 2, 0);
        PadeExtrapolation p0 = PadeExtrapolation.of(zero, samples(zero));
        assertFalse(p0.available(), "n = 0 has no P_{n-1}");
        assertTrue(p0.unavailableReason().contains("n = 0"), p0.unavailableReason());
    }

    /** Where the per-program fit would cost seconds (H > 128, e.g. d = 8) the method is unavailable, and says why. */
    @Test
    void largeLayoutsAreUnavailableRatherThanSlow() {
        FunctionSet d4 = FunctionSet.of(FunctionFamily.byName("chebyshev"), 4, 6); // H = C(10, 3) = 120
        assertTrue(PadeExtrapolation.of(d4, samples(d4)).available());
        FunctionSet d8 = FunctionSet.of(FunctionFamily.byName("chebyshev"), 8, 3); // H = C(11, 7) = 330
        PadeExtrapolation p = PadeExtrapolation.of(d8, samples(d8));
        assertFalse(p.available());
        assertTrue(p.unavailableReason().contains("H = 330") && p.unavailableReason().contains("128"), p.unavailableReason());
    }

    /**
     * d = 2, a separable product of two 1-D poles per output, g = 1/((1 − αu)(1 − βv)): P_k = Σ_i α^i β^{k−i}
     * u^i v^{k−i} in closed form. Oracle, independent of the class (no expansion, no SVD): t = P_n²/P_{n−1}
     * at the sample points, weighted normal equations Σ_s P_{n−1}²·(B − t)² solved by Gaussian elimination,
     * then the least-squares fit in F of p_n + B, again by normal equations.
     */
    @Test
    void separableProductOfPolesMatchesAnIndependentOracleIn2D() {
        int n = 4;
        FunctionSet set = FunctionSet.of(FunctionFamily.byName("chebyshev"), 2, n);
        double[][] pts = samples(set);
        PadeExtrapolation pade = PadeExtrapolation.of(set, pts);
        Program p = Program.parse("(x, y) -> (1/((1 - 2*x)*(1 - 3*y)), 1/((1 + x)*(1 - 0.5*y)))");
        double radius = 0.2;
        double[][] ab = {{2 * radius, 3 * radius}, {-radius, 0.5 * radius}};
        double[] a = expansion(p, new double[] {0, 0}, radius, n);
        double[] est = pade.nextTerms(a);
        double[] c = pade.coefficients(a);
        MultiIndexSet up = MultiIndexSet.of(2, n + 1);
        int m = set.size();
        int h = n + 2;
        double[] phi = set.designMatrix(pts);
        double[] exactNext = StepInputs.nextOrderTerms(p, new double[] {0, 0}, radius, n);
        for (int o = 0; o < 2; o++) {
            double al = ab[o][0];
            double be = ab[o][1];
            double[][] nb = new double[h][h];
            double[] rb = new double[h];
            for (double[] u : pts) {
                double pm = homogeneous(al, be, n - 1, u);
                double pn = homogeneous(al, be, n, u);
                double w = pm * pm;
                double t = pn * pn / pm;
                double[] mono = new double[h];
                for (int k = 0; k < h; k++) {
                    int[] alpha = up.alpha(m + k);
                    mono[k] = Math.pow(u[0], alpha[0]) * Math.pow(u[1], alpha[1]);
                }
                for (int i = 0; i < h; i++) {
                    rb[i] += w * mono[i] * t;
                    for (int j = 0; j < h; j++) {
                        nb[i][j] += w * mono[i] * mono[j];
                    }
                }
            }
            double[] b = gauss(nb, rb);
            double[] got = new double[h];
            System.arraycopy(est, o * h, got, 0, h);
            assertClose(b, got, 1e-8, "output " + o + " â⁺");
            double diff = 0;
            for (int k = 0; k < h; k++) {
                diff = Math.max(diff, Math.abs(b[k] - exactNext[o * h + k]));
            }
            assertTrue(diff > 1e-6 * Math.abs(exactNext[o * h]), "output " + o + ": a product is not a ridge, â⁺ ≠ a⁺ here");
            // least squares in F of p_n + B at the sample points
            double[][] nf = new double[m][m];
            double[] rf = new double[m];
            for (int s = 0; s < pts.length; s++) {
                double[] u = pts[s];
                double v = 0;
                for (int k = 0; k <= n; k++) {
                    v += homogeneous(al, be, k, u);
                }
                for (int k = 0; k < h; k++) {
                    int[] alpha = up.alpha(m + k);
                    v += b[k] * Math.pow(u[0], alpha[0]) * Math.pow(u[1], alpha[1]);
                }
                for (int i = 0; i < m; i++) {
                    rf[i] += phi[s * m + i] * v;
                    for (int j = 0; j < m; j++) {
                        nf[i][j] += phi[s * m + i] * phi[s * m + j];
                    }
                }
            }
            double[] want = gauss(nf, rf);
            double[] gotC = new double[m];
            System.arraycopy(c, o * m, gotC, 0, m);
            assertClose(want, gotC, 1e-8, "output " + o + " F-coefficients");
        }
    }

    /** P_k(u) = Σ_{i=0..k} α^i β^{k−i} u^i v^{k−i}: the degree-k part of 1/((1 − αu)(1 − βv)). */
    static double homogeneous(double al, double be, int k, double[] u) {
        double v = 0;
        for (int i = 0; i <= k; i++) {
            v += Math.pow(al * u[0], i) * Math.pow(be * u[1], k - i);
        }
        return v;
    }

    /** Gaussian elimination with partial pivoting (a small dense system; arguments are overwritten). */
    static double[] gauss(double[][] a, double[] b) {
        int n = b.length;
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            double[] tr = a[c];
            a[c] = a[piv];
            a[piv] = tr;
            double tb = b[c];
            b[c] = b[piv];
            b[piv] = tb;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                for (int k = c; k < n; k++) {
                    a[r][k] -= f * a[c][k];
                }
                b[r] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double v = b[r];
            for (int k = r + 1; k < n; k++) {
                v -= a[r][k] * x[k];
            }
            x[r] = v / a[r][r];
        }
        return x;
    }
}
