package org.vtm.transforms.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.transforms.cli.CliAssertions.doubles;
import static org.vtm.transforms.cli.CliAssertions.ints;
import static org.vtm.transforms.cli.CliAssertions.num;
import static org.vtm.transforms.cli.CliAssertions.usageError;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vtm.transforms.MultiIndexSet;

class BasisCommandTest {

    static final List<String> KEYS = List.of("format", "family", "dim", "order", "alphas", "matrix", "condition",
            "kind", "condition_norm");

    static double binomial(int n, int k) {
        double b = 1;
        for (int i = 1; i <= k; i++) {
            b = b * (n - k + i) / i;
        }
        return b;
    }

    /** Coefficient of T_j in u^k: 2^{1-k} C(k, (k-j)/2) for j > 0, 2^{-k} C(k, k/2) for j = 0. */
    static double chebOfPower(int j, int k) {
        if (j > k || (k - j) % 2 != 0) {
            return 0.0;
        }
        double c = binomial(k, (k - j) / 2) * Math.pow(2, -k);
        return j == 0 ? c : 2 * c;
    }

    /** Coefficient of u^j in T_k, from the recurrence T_{k+1} = 2u T_k - T_{k-1} (independent of the above). */
    static double[][] chebPolys(int n) {
        double[][] t = new double[n + 1][n + 1];
        t[0][0] = 1;
        if (n >= 1) {
            t[1][1] = 1;
        }
        for (int k = 1; k < n; k++) {
            for (int j = 0; j <= n; j++) {
                t[k + 1][j] = (j > 0 ? 2 * t[k][j - 1] : 0) - t[k - 1][j];
            }
        }
        return t;
    }

    @Test
    void chebyshevMatrixMatchesClosedFormAndInvertsTxf() {
        int d = 2;
        int n = 4;
        Map<String, Object> m = CliAssertions.json(KEYS, "basis", "--family", "chebyshev", "--dim", "2", "--order",
                "4", "--format", "json");
        assertEquals("vtm.basis/1", m.get("format"));
        assertEquals("chebyshev", m.get("family"));
        assertEquals(2.0, num(m.get("dim")));
        assertEquals(4.0, num(m.get("order")));
        assertEquals("exact_inverse", m.get("kind"));
        assertEquals(1.0, num(m.get("condition_norm")));
        MultiIndexSet set = MultiIndexSet.of(d, n);
        int size = set.size();
        List<?> alphas = (List<?>) m.get("alphas");
        List<?> rows = (List<?>) m.get("matrix");
        assertEquals(size, alphas.size());
        assertEquals(size, rows.size());
        double[][] tfx = new double[size][];
        for (int i = 0; i < size; i++) {
            assertArrayEquals(set.alpha(i), ints(alphas.get(i)));
            tfx[i] = doubles(rows.get(i));
            assertEquals(size, tfx[i].length);
        }
        for (int r = 0; r < size; r++) {
            int[] b = set.alpha(r);
            for (int c = 0; c < size; c++) {
                int[] a = set.alpha(c);
                double expected = chebOfPower(b[0], a[0]) * chebOfPower(b[1], a[1]);
                // dyadic rationals: the structured inverse is exact
                assertEquals(expected, tfx[r][c], 0.0, "T_FX[" + r + "][" + c + "]");
            }
        }
        // T_XF from the recurrence; T_FX · T_XF = I and the 1-norm condition is ||T_XF||_1 ||T_FX||_1
        double[][] t = chebPolys(n);
        double[][] txf = new double[size][size];
        for (int r = 0; r < size; r++) {
            for (int c = 0; c < size; c++) {
                int[] a = set.alpha(r);
                int[] b = set.alpha(c);
                txf[r][c] = t[b[0]][a[0]] * t[b[1]][a[1]];
            }
        }
        for (int i = 0; i < size; i++) {
            for (int j = 0; j < size; j++) {
                double s = 0;
                for (int k = 0; k < size; k++) {
                    s += tfx[i][k] * txf[k][j];
                }
                assertEquals(i == j ? 1.0 : 0.0, s, 1e-15);
            }
        }
        assertEquals(norm1(txf) * norm1(tfx), num(m.get("condition")), 1e-12 * num(m.get("condition")));
    }

    static double norm1(double[][] a) {
        double max = 0;
        for (int c = 0; c < a.length; c++) {
            double s = 0;
            for (double[] row : a) {
                s += Math.abs(row[c]);
            }
            max = Math.max(max, s);
        }
        return max;
    }

    @Test
    void tableShowsTheMatrixAndCondition() {
        String out = CliAssertions.ok("basis", "--family", "chebyshev", "--dim", "1", "--order", "3");
        // u^3 = (3 T_1 + T_3) / 4; u^2 = (T_0 + T_2) / 2; ||T_XF||_1 = 7 (column T_3 = 4u^3 - 3u) and
        // ||T_FX||_1 = 1 (columns u^2: 1/2 + 1/2, u^3: 3/4 + 1/4), so the condition is 7
        assertTrue(out.contains("1-norm condition 7.000e+00"), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\[1]\\s+0\\s+1\\.0\\s+0\\s+0\\.75")), out);
        assertTrue(out.lines().anyMatch(l -> l.matches("\\[3]\\s+0\\s+0\\s+0\\s+0\\.25")), out);
        assertTrue(out.contains("u0^2"), out);
    }

    @Test
    void familyNamesAreCaseInsensitive() {
        Map<String, Object> m = CliAssertions.json(KEYS, "basis", "--family", "Legendre", "--dim", "1", "--order",
                "2", "--format", "JSON");
        // columns are 1, u, u^2 = (P_0 + 2 P_2) / 3: row P_0 = (1, 0, 1/3), row P_2 = (0, 0, 2/3)
        List<?> rows = (List<?>) m.get("matrix");
        assertArrayEquals(new double[] {1, 0, 1.0 / 3}, doubles(rows.get(0)), 1e-16);
        assertArrayEquals(new double[] {0, 1, 0}, doubles(rows.get(1)), 1e-16);
        assertArrayEquals(new double[] {0, 0, 2.0 / 3}, doubles(rows.get(2)), 1e-16);
        assertEquals("legendre", m.get("family"));
    }

    @Test
    void badInputsExitTwoWithOneLine() {
        usageError("valid names: monomial, chebyshev, legendre, hermite, fourier", "basis", "--family", "bessel");
        String e = usageError("'fourier' with d=1, n=24 is numerically singular", "basis", "--family", "fourier",
                "--dim", "1", "--order", "24");
        assertTrue(e.matches(".*condition estimate \\d\\.\\d{3}e\\+12 exceeds.*\\s*"), e);
        usageError("'fourier' with d=1, n=6", "basis", "--family", "fourier", "--dim", "1", "--order", "6",
                "--max-condition", "100");
        usageError("--dim must be >= 1, got 0", "basis", "--dim", "0");
        usageError("--order must be >= 0, got -2", "basis", "--order", "-2");
        usageError("--max-condition must be >= 1", "basis", "--max-condition", "0.5");
        usageError("budget", "basis", "--dim", "6", "--order", "12");
    }
}
