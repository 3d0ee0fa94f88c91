package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;

class NextOrderProjectionTest {

    /** x² on {1, x} at symmetric points: the fit is the mean of x² (0.5 here) and no x term. */
    @Test
    void projectsTheNextDegreeMonomialsByLeastSquares() {
        FunctionSet set = FunctionSet.of(FunctionFamily.chebyshev(), 1, 1);
        double[][] pts = {{-1}, {-0.5}, {0}, {0.5}, {1}};
        NextOrderProjection q = NextOrderProjection.fit(set, pts);
        assertEquals(2, q.terms());
        assertEquals(1, q.nextTerms());
        assertArrayEquals(new double[] {0.5, 0}, q.matrix(), 1e-15);
        // c = T_FX·a + Q*ᵀ·a⁺ for a = (1, 2) (the polynomial 1 + 2x), a⁺ = 3 (3x²), T_FX = identity (T0 = 1, T1 = x)
        assertArrayEquals(new double[] {1 + 1.5, 2}, q.coefficients(new double[] {1, 0, 0, 1}, new double[] {1, 2},
                new double[] {3}), 1e-15);
    }

    @Test
    void refusesTooFewPointsAndMismatchedShapes() {
        FunctionSet set = FunctionSet.of(FunctionFamily.chebyshev(), 2, 2);
        IllegalArgumentException few = assertThrows(IllegalArgumentException.class,
                () -> NextOrderProjection.fit(set, new double[5][2]));
        assertTrue(few.getMessage().contains("M = 6") && few.getMessage().contains("got 5"), few.getMessage());
        NextOrderProjection q = NextOrderProjection.fit(FunctionSet.of(FunctionFamily.chebyshev(), 1, 1),
                new double[][] {{-1}, {0}, {1}});
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> q.coefficients(new double[4], new double[2], new double[2]));
        assertTrue(shape.getMessage().contains("K = 1"), shape.getMessage());
    }
}
