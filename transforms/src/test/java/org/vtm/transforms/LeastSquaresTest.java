package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class LeastSquaresTest {

    /** A consistent system is solved exactly; an inconsistent one gives a residual orthogonal to the columns. */
    @Test
    void solvesConsistentSystemsAndProjectsInconsistentOnes() {
        SplittableRandom rnd = new SplittableRandom(3L);
        int rows = 9;
        int cols = 4;
        double[] a = new double[rows * cols];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextDouble(-1, 1);
        }
        LeastSquares ls = LeastSquares.of(a, rows, cols);
        assertEquals(cols, ls.rank());
        double[] x = {0.5, -2, 3, 0.25};
        double[] b = new double[rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                b[r] += a[r * cols + c] * x[c];
            }
        }
        double[] got = ls.solve(b);
        for (int c = 0; c < cols; c++) {
            assertEquals(x[c], got[c], 1e-12, "x[" + c + "]");
        }
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            y[r] = rnd.nextDouble(-1, 1);
        }
        double[] fit = ls.solve(y);
        for (int c = 0; c < cols; c++) {
            double dot = 0;
            for (int r = 0; r < rows; r++) {
                double res = y[r];
                for (int k = 0; k < cols; k++) {
                    res -= a[r * cols + k] * fit[k];
                }
                dot += a[r * cols + c] * res;
            }
            assertEquals(0, dot, 1e-12, "residual against column " + c);
        }
    }

    @Test
    void aRankDeficientMatrixGivesTheMinimumNormSolution() {
        // two equal columns: x0 + x1 = 1 at every row, minimum norm is (1/2, 1/2)
        double[] a = {1, 1, 2, 2, 3, 3};
        LeastSquares ls = LeastSquares.of(a, 3, 2);
        assertEquals(1, ls.rank());
        double[] x = ls.solve(new double[] {1, 2, 3});
        assertEquals(0.5, x[0], 1e-14);
        assertEquals(0.5, x[1], 1e-14);
    }

    @Test
    void refusesBadShapesAndValues() {
        IllegalArgumentException wide = assertThrows(IllegalArgumentException.class, () -> LeastSquares.of(new double[6], 2, 3));
        assertTrue(wide.getMessage().contains("2 x 3"), wide.getMessage());
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class, () -> LeastSquares.of(new double[5], 3, 2));
        assertTrue(len.getMessage().contains("5 entries"), len.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> LeastSquares.of(new double[] {1, 0, 0, Double.NaN, 1, 1}, 3, 2));
        assertTrue(nan.getMessage().contains("(1, 1)"), nan.getMessage());
        LeastSquares ls = LeastSquares.of(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
        IllegalArgumentException rhs = assertThrows(IllegalArgumentException.class, () -> ls.solve(new double[2]));
        assertTrue(rhs.getMessage().contains("2 values") && rhs.getMessage().contains("3 rows"), rhs.getMessage());
    }
}
