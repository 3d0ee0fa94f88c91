package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Dense#svd} walks rows of pairs as a wavefront and {@link Dense.Svd#pseudoInverse} reads U's
 * columns from a contiguous copy; both must give the bits of the plain cyclic-by-row Jacobi SVD and
 * the in-place pseudo-inverse (the oracle's coefficients, and so every corpus record, depend on them).
 * The reference below is the implementation before that change.
 */
@Timeout(120)
class SvdBitsTest {

    /** The plain one-sided Jacobi SVD, pairs one by one, row by row: U, s, V as {@link Dense#svd}. */
    private static Dense.Svd reference(double[] a, int m, int n) {
        double[][] g = new double[n][m];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                g[j][i] = a[i * n + j];
            }
        }
        double[][] vc = new double[n][n];
        for (int j = 0; j < n; j++) {
            vc[j][j] = 1.0;
        }
        double eps = Math.ulp(1.0);
        for (int sweep = 0; sweep < 80; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < n - 1; p++) {
                double[] gp = g[p];
                for (int q = p + 1; q < n; q++) {
                    double[] gq = g[q];
                    double alpha = 0.0;
                    double beta = 0.0;
                    double gamma = 0.0;
                    for (int i = 0; i < m; i++) {
                        alpha += gp[i] * gp[i];
                        beta += gq[i] * gq[i];
                        gamma += gp[i] * gq[i];
                    }
                    if (gamma == 0.0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) {
                        continue;
                    }
                    rotated = true;
                    double zeta = (beta - alpha) / (2.0 * gamma);
                    double t = Math.signum(zeta) / (Math.abs(zeta) + Math.sqrt(1.0 + zeta * zeta));
                    if (zeta == 0.0) {
                        t = 1.0;
                    }
                    double c = 1.0 / Math.sqrt(1.0 + t * t);
                    double s = c * t;
                    for (int i = 0; i < m; i++) {
                        double x = gp[i];
                        double y = gq[i];
                        gp[i] = c * x - s * y;
                        gq[i] = s * x + c * y;
                    }
                    double[] vp = vc[p];
                    double[] vq = vc[q];
                    for (int i = 0; i < n; i++) {
                        double x = vp[i];
                        double y = vq[i];
                        vp[i] = c * x - s * y;
                        vq[i] = s * x + c * y;
                    }
                }
            }
            if (!rotated) {
                break;
            }
        }
        double[] sv = new double[n];
        for (int j = 0; j < n; j++) {
            double ss = 0.0;
            for (int i = 0; i < m; i++) {
                ss += g[j][i] * g[j][i];
            }
            sv[j] = Math.sqrt(ss);
        }
        Integer[] order = new Integer[n];
        for (int j = 0; j < n; j++) {
            order[j] = j;
        }
        java.util.Arrays.sort(order, (x, y) -> Double.compare(sv[y], sv[x]));
        double[] u = new double[m * n];
        double[] s = new double[n];
        double[] v = new double[n * n];
        for (int k = 0; k < n; k++) {
            int j = order[k];
            s[k] = sv[j];
            double inv = sv[j] == 0.0 ? 0.0 : 1.0 / sv[j];
            for (int i = 0; i < m; i++) {
                u[i * n + k] = g[j][i] * inv;
            }
            for (int i = 0; i < n; i++) {
                v[i * n + k] = vc[j][i];
            }
        }
        return new Dense.Svd(m, n, u, s, v);
    }

    /** The pseudo-inverse reading U in place, as before. */
    private static double[] referencePseudoInverse(Dense.Svd svd, double tol) {
        int m = svd.m;
        int n = svd.n;
        int r = svd.rank(tol);
        double[] p = new double[n * m];
        for (int k = 0; k < r; k++) {
            double inv = 1.0 / svd.s[k];
            for (int i = 0; i < n; i++) {
                double f = svd.v[i * n + k] * inv;
                if (f == 0.0) {
                    continue;
                }
                int rp = i * m;
                for (int j = 0; j < m; j++) {
                    p[rp + j] += f * svd.u[j * n + k];
                }
            }
        }
        return p;
    }

    private static void assertSameBits(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + ": entry " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    private static void check(String what, double[] a, int m, int n) {
        Dense.Svd expected = reference(a.clone(), m, n);
        Dense.Svd actual = Dense.svd(a.clone(), m, n);
        assertSameBits(what + " s", expected.s, actual.s);
        assertSameBits(what + " U", expected.u, actual.u);
        assertSameBits(what + " V", expected.v, actual.v);
        double tol = expected.defaultTolerance();
        assertSameBits(what + " pinv", referencePseudoInverse(expected, tol), actual.pseudoInverse(tol));
    }

    @Test
    void randomMatricesGiveTheBitsOfPairByPairRotation() {
        SplittableRandom random = new SplittableRandom(18);
        // column counts odd and even, 1..3 (the schedule's edge cases) and larger; square and tall
        int[][] shapes = {{1, 1}, {2, 1}, {2, 2}, {3, 3}, {5, 3}, {4, 4}, {7, 5}, {9, 6}, {12, 7}, {30, 8}, {40, 17},
                          {64, 15}, {90, 30}, {45, 45}, {140, 35}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            double[] a = new double[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(-8, 9));
            }
            check("random " + m + "x" + n, a, m, n);
        }
    }

    @Test
    void rankDeficientAndZeroColumnsGiveTheSameBits() {
        SplittableRandom random = new SplittableRandom(7);
        int m = 40;
        int n = 11;
        double[] a = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                a[i * n + j] = random.nextDouble() - 0.5;
            }
            a[i * n + 3] = 2.0 * a[i * n + 1]; // a repeated direction
            a[i * n + 6] = 0.0; // a zero column
            a[i * n + 9] = a[i * n + 0] - a[i * n + 2]; // a combination
        }
        check("rank-deficient", a, m, n);
        double[] pinv = Dense.svd(a, m, n).pseudoInverse(Dense.svd(a, m, n).defaultTolerance());
        assertTrue(Double.isFinite(pinv[0]));
    }

    @Test
    void theOraclesDesignMatricesGiveTheSameBits() {
        for (int[] dn : new int[][] {{1, 6}, {2, 4}, {3, 3}, {4, 2}}) {
            for (String family : new String[] {"chebyshev", "legendre"}) {
                FunctionSet set = FunctionSet.of(FunctionFamily.byName(family), dn[0], dn[1]);
                int count = Oracle.defaultPointCount(set.size());
                double[] u = Oracle.haltonPoints(dn[0], count);
                double[][] rows = new double[count][];
                for (int p = 0; p < count; p++) {
                    rows[p] = java.util.Arrays.copyOfRange(u, p * dn[0], (p + 1) * dn[0]);
                }
                check(family + " d=" + dn[0] + " n=" + dn[1], set.designMatrix(rows), count, set.size());
            }
        }
    }
}
