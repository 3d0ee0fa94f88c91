package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FunctionSetTest {

    @Test
    void squareSetUsesCanonicalOrder() {
        for (int d = 1; d <= 4; d++) {
            for (int n = 0; n <= 5; n++) {
                FunctionSet s = FunctionSet.of(FunctionFamily.legendre(), d, n);
                MultiIndexSet x = MultiIndexSet.of(d, n);
                assertEquals(x.size(), s.size());
                assertEquals(x.size(), s.monomialCount());
                assertTrue(s.isSquare());
                for (int i = 0; i < s.size(); i++) {
                    assertArrayEquals(x.alpha(i), s.beta(i));
                }
            }
        }
        FunctionSet s = FunctionSet.of(FunctionFamily.chebyshev(), 2, 2);
        assertArrayEquals(new int[] {1, 1}, s.beta(4)); // 1, x0, x1, x0², x0x1, x1²
    }

    @Test
    void perVariableGridIsCanonicallySorted() {
        FunctionSet s = FunctionSet.perVariable(FunctionFamily.chebyshev(), 3, 2, 3);
        assertEquals(64, s.size());
        assertEquals(10, s.monomialCount());
        for (int i = 1; i < s.size(); i++) {
            assertTrue(FunctionSet.canonicalCompare(s.beta(i - 1), s.beta(i)) < 0, "position " + i);
        }
        // the grid's prefix of total index ≤ 3 equals the canonical set of order 3
        MultiIndexSet x = MultiIndexSet.of(3, 3);
        for (int i = 0; i < x.size(); i++) {
            assertArrayEquals(x.alpha(i), s.beta(i));
        }
        assertThrows(IllegalArgumentException.class, () -> FunctionSet.perVariable(FunctionFamily.chebyshev(), 2, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> FunctionSet.totalIndex(FunctionFamily.chebyshev(), 2, 3, 2));
    }

    @Test
    void evaluateIsTheTensorProduct() {
        SplittableRandom rnd = new SplittableRandom(1L);
        FunctionSet s = FunctionSet.totalIndex(FunctionFamily.fourier(), 3, 3, 5);
        double[] all = new double[s.size()];
        for (int trial = 0; trial < 10; trial++) {
            double[] u = {rnd.nextDouble(-1, 1), rnd.nextDouble(-1, 1), rnd.nextDouble(-1, 1)};
            s.evaluateAll(u, all);
            for (int i = 0; i < s.size(); i++) {
                int[] b = s.beta(i);
                double expected = 1;
                for (int l = 0; l < 3; l++) {
                    expected *= FunctionFamily.fourier().value(b[l], u[l]);
                }
                assertEquals(expected, all[i], 1e-15);
                assertEquals(expected, s.evaluate(i, u), 1e-15);
            }
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.evaluateAll(new double[2], all));
        assertTrue(e.getMessage().contains("3") && e.getMessage().contains("2"), e.getMessage());
    }

    @Test
    void designMatrixRowsAreTheSetAtEachPoint() {
        SplittableRandom rnd = new SplittableRandom(2L);
        FunctionSet s = FunctionSet.totalIndex(FunctionFamily.legendre(), 2, 2, 3);
        double[][] pts = new double[7][];
        for (int p = 0; p < pts.length; p++) {
            pts[p] = new double[] {rnd.nextDouble(-1, 1), rnd.nextDouble(-1, 1)};
        }
        double[] phi = s.designMatrix(pts);
        int m = s.size();
        assertEquals(pts.length * m, phi.length);
        for (int p = 0; p < pts.length; p++) {
            for (int i = 0; i < m; i++) {
                int[] b = s.beta(i);
                double expected = FunctionFamily.legendre().value(b[0], pts[p][0]) * FunctionFamily.legendre().value(b[1], pts[p][1]);
                assertEquals(expected, phi[p * m + i], 1e-15, "point " + p + ", function " + i);
            }
        }
        assertEquals(0, s.designMatrix(new double[0][]).length);
        double[][] bad = {pts[0], {0.1, 0.2, 0.3}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.designMatrix(bad));
        assertTrue(e.getMessage().contains("point 1 has 3"), e.getMessage());
    }
}
