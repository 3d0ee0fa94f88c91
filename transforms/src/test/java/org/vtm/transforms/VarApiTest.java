package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VarApiTest {

    @Test
    void plainDerivativesAndSeriesPoint() {
        Space s = Space.of(2, 3);
        Var x = s.variable(0, 2.0);
        Var y = s.variable(1, 3.0);
        Var f = x.mul(x).mul(x).mul(y.mul(y)); // x^3 y^2
        assertEquals(72.0, f.d());
        assertEquals(3 * 4 * 9.0, f.d(0));
        assertEquals(6 * 2 * 9.0, f.d(0, 0));
        assertEquals(3 * 4 * 2 * 3.0, f.d(1, 0));
        assertEquals(f.d(0, 1), f.d(1, 0));
        assertEquals(6 * 2 * 2 * 3.0, f.d(0, 0, 1)); // 6x · 2y
        assertEquals(6.0 * 9, f.d(0, 0, 0));
        TensorSeries w = TensorSeries.of(f, x.add(y));
        assertArrayEquals(new double[] {2, 3}, w.point());
        assertEquals(2, w.outputDim());
        assertEquals(1.0, w.d(1, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.d(0, 0, 0, 1));
        assertTrue(e.getMessage().contains("order 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.d(2));
    }

    @Test
    void valuesAreImmutable() {
        Space s = Space.of(1, 2);
        Var x = s.variable(0, 1.0);
        double[] c = x.coefficients();
        c[0] = 42;
        assertEquals(1.0, x.value());
        double[] in = {1, 2, 3};
        Var v = Var.ofCoefficients(s, in);
        in[0] = 99;
        assertEquals(1.0, v.value());
        TensorSeries t = v.series(new double[] {0.0});
        double[] tc = t.coefficients();
        tc[1] = 0;
        assertEquals(2.0, t.coefficient(0, 1));
    }

    @Test
    void pointBookkeepingErrors() {
        Space s = Space.of(2, 2);
        Var x = s.variable(0, 1.0);
        IllegalStateException unknown = assertThrows(IllegalStateException.class, () -> x.sin().series());
        assertTrue(unknown.getMessage().contains("variable(s) 1"), unknown.getMessage());
        Var x2 = s.variable(0, 2.0);
        IllegalStateException conflict = assertThrows(IllegalStateException.class,
                () -> x.add(x2).add(s.variable(1, 0)).series());
        assertTrue(conflict.getMessage().contains("two values"), conflict.getMessage());
        Var other = Space.of(3, 2).variable(0, 1.0);
        assertThrows(IllegalArgumentException.class, () -> x.add(other));
        assertThrows(IllegalArgumentException.class, () -> Var.ofCoefficients(s, new double[5]));
    }

    @Test
    void powOfVarIsExpOfLog() {
        Space s = Space.of(2, 4);
        Var a = s.variable(0, 1.7);
        Var b = s.variable(1, -0.6);
        Var p = a.pow(b);
        Var q = b.mul(a.log()).exp();
        SeriesAssertions.assertAllClose(q.coefficients(), p.coefficients(), 1e-15, "pow(Var)");
        assertEquals(Math.pow(1.7, -0.6), p.value(), 1e-15);
        // d/db a^b = a^b log a
        assertEquals(Math.pow(1.7, -0.6) * Math.log(1.7), p.d(1), 1e-14);
    }

    @Test
    void orderZeroAndOneDimensional() {
        Space s0 = Space.of(1, 0);
        Var x = s0.variable(0, 0.5);
        assertEquals(Math.tan(0.5), x.tan().value());
        assertEquals(1, x.coefficients().length);
        Space s1 = Space.of(1, 6);
        Var t = s1.variable(0, 0.0);
        // exp(t) at 0: coefficients 1/k!
        double[] c = t.exp().coefficients();
        double f = 1;
        for (int k = 0; k <= 6; k++) {
            if (k > 0) {
                f *= k;
            }
            assertEquals(1.0 / f, c[k], 1e-16);
        }
    }
}
