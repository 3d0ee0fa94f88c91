package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.hipparchus.analysis.polynomials.PolynomialFunction;
import org.hipparchus.analysis.polynomials.PolynomialsUtils;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.SingularValueDecomposition;
import org.junit.jupiter.api.Test;

class FunctionFamilyTest {

    @Test
    void lookupByName() {
        assertSame(FunctionFamily.chebyshev(), FunctionFamily.byName(" Chebyshev "));
        for (String n : FunctionFamily.BUILT_IN) {
            assertEquals(n, FunctionFamily.byName(n).name());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FunctionFamily.byName("wavelet"));
        assertTrue(e.getMessage().contains("'wavelet'") && e.getMessage().contains("monomial, chebyshev, legendre, hermite, fourier"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FunctionFamily.custom("fourier", (u, k) -> u));
    }

    @Test
    void polynomialTaylorCoefficientsMatchHipparchus() {
        for (int k = 0; k <= 15; k++) {
            check(FunctionFamily.chebyshev(), k, PolynomialsUtils.createChebyshevPolynomial(k).getCoefficients());
            check(FunctionFamily.legendre(), k, PolynomialsUtils.createLegendrePolynomial(k).getCoefficients());
            // Hipparchus has the physicists' H_k; He_k(u) = 2^{-k/2} H_k(u/√2)
            double[] h = PolynomialsUtils.createHermitePolynomial(k).getCoefficients();
            double[] he = new double[h.length];
            for (int j = 0; j < h.length; j++) {
                he[j] = h[j] * Math.pow(2.0, -k / 2.0) * Math.pow(2.0, -j / 2.0);
            }
            check(FunctionFamily.hermite(), k, he);
            double[] mono = new double[k + 1];
            mono[k] = 1;
            check(FunctionFamily.monomial(), k, mono);
        }
    }

    private static void check(FunctionFamily f, int k, double[] expected) {
        double[] t = f.taylor(k, k + 2);
        for (int j = 0; j <= k + 2; j++) {
            double e = j < expected.length ? expected[j] : 0.0;
            assertEquals(e, t[j], 1e-12 * Math.max(1, Math.abs(e)), f + " k=" + k + " u^" + j);
        }
        double[] trunc = f.taylor(k, 1);
        assertEquals(2, trunc.length);
        assertEquals(t[1], trunc[1], 0.0);
        // values agree with the polynomial
        PolynomialFunction p = new PolynomialFunction(expected);
        for (double u = -1; u <= 1; u += 0.25) {
            assertEquals(p.value(u), f.value(k, u), 1e-12 * Math.max(1, Math.abs(p.value(u))), f + " k=" + k + " u=" + u);
        }
    }

    @Test
    void valuesMatchClosedForms() {
        SplittableRandom rnd = new SplittableRandom(3L);
        double[] out = new double[21];
        for (int trial = 0; trial < 50; trial++) {
            double u = rnd.nextDouble(-1, 1);
            FunctionFamily.chebyshev().values(20, u, out);
            for (int k = 0; k <= 20; k++) {
                assertEquals(Math.cos(k * Math.acos(u)), out[k], 1e-13, "T_" + k);
                assertEquals(out[k], FunctionFamily.chebyshev().value(k, u), 1e-14);
            }
            FunctionFamily.fourier().values(20, u, out);
            for (int k = 0; k <= 20; k++) {
                double expected = k == 0 ? 1 : (k % 2 == 1 ? Math.sin((k + 1) / 2 * u) : Math.cos(k / 2 * u));
                assertEquals(expected, out[k], 1e-15, "fourier " + k);
            }
        }
    }

    @Test
    void fourierTaylorCoefficients() {
        double[] s3 = FunctionFamily.fourier().taylor(5, 7); // sin 3u
        assertArrayEquals(new double[] {0, 3, 0, -27.0 / 6, 0, 243.0 / 120, 0, -2187.0 / 5040}, s3, 1e-13);
        double[] c2 = FunctionFamily.fourier().taylor(4, 6); // cos 2u
        assertArrayEquals(new double[] {1, 0, -2, 0, 16.0 / 24, 0, -64.0 / 720}, c2, 1e-14);
        // series sums converge to the value
        double[] t = FunctionFamily.fourier().taylor(7, 40); // sin 4u
        double s = 0;
        for (int j = t.length - 1; j >= 0; j--) {
            s = s * 0.3 + t[j];
        }
        assertEquals(Math.sin(1.2), s, 1e-14);
    }

    @Test
    void jacobiSvdMatchesHipparchus() {
        SplittableRandom rnd = new SplittableRandom(11L);
        int m = 17;
        int n = 9;
        double[] a = new double[m * n];
        double[][] a2 = new double[m][n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = a2[i][j] = rnd.nextDouble(-1, 1);
            }
        }
        Dense.Svd svd = Dense.svd(a, m, n);
        double[] ref = new SingularValueDecomposition(MatrixUtils.createRealMatrix(a2)).getSingularValues();
        assertArrayEquals(ref, svd.s, 1e-13);
        // reconstruction U S Vᵀ
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int k = 0; k < n; k++) {
                    s += svd.u[i * n + k] * svd.s[k] * svd.v[j * n + k];
                }
                assertEquals(a[i * n + j], s, 1e-13);
            }
        }
        // pseudo-inverse matches Hipparchus
        double[][] pinvRef = new SingularValueDecomposition(MatrixUtils.createRealMatrix(a2)).getSolver().getInverse().getData();
        double[] pinv = svd.pseudoInverse(svd.defaultTolerance());
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                assertEquals(pinvRef[i][j], pinv[i * m + j], 1e-12);
            }
        }
    }

    @Test
    void luInverseAndBlockedMultiply() {
        SplittableRandom rnd = new SplittableRandom(5L);
        int n = 130; // larger than one block of the multiply kernel
        double[] a = new double[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextDouble(-1, 1);
        }
        double[] inv = Dense.invert(a, n);
        double[] p = new double[n * n];
        Dense.multiply(a, n, n, inv, n, p);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(i == j ? 1 : 0, p[i * n + j], 1e-10);
            }
        }
        double[][] ref = MatrixUtils.inverse(MatrixUtils.createRealMatrix(toRows(a, n))).getData();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                assertEquals(ref[i][j], inv[i * n + j], 1e-9 * Math.max(1, Math.abs(ref[i][j])));
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Dense.multiply(a, n, n, a, n, a));
    }

    private static double[][] toRows(double[] a, int n) {
        double[][] r = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a, i * n, r[i], 0, n);
        }
        return r;
    }
}
