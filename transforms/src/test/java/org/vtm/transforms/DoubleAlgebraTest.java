package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class DoubleAlgebraTest {

    private final DoubleAlgebra a = DoubleAlgebra.INSTANCE;

    @Test
    void arithmeticIsPlainIeee() {
        assertEquals(2.5, a.constant(2.5), 0.0);
        assertEquals(0.1 + 0.2, a.add(0.1, 0.2), 0.0);
        assertEquals(0.1 - 0.2, a.sub(0.1, 0.2), 0.0);
        assertEquals(0.1 * 0.2, a.mul(0.1, 0.2), 0.0);
        assertEquals(0.1 / 0.2, a.div(0.1, 0.2), 0.0);
        assertEquals(-0.1, a.neg(0.1), 0.0);
        assertEquals(Double.POSITIVE_INFINITY, a.div(1.0, 0.0), 0.0);
        // (Double, double) selects pow(T, double) and (Double, Double) pow(T, T) without boxing
        assertEquals(8.0, a.pow((Double) 2.0, 3.0), 0.0);
        assertEquals(-8.0, a.pow((Double) (-2.0), 3.0), 0.0);
        assertEquals(-8.0, a.pow((Double) (-2.0), (Double) 3.0), 0.0);
        assertEquals(Double.NaN, a.pow((Double) (-8.0), 1.0 / 3), 0.0);
        // pow(a, b) agrees with exp(b log a) for a > 0 (to a few ulps: two roundings in the latter)
        assertEquals(Math.exp(0.7 * Math.log(3.3)), a.pow((Double) 3.3, (Double) 0.7), 4 * Math.ulp(2.3));
        for (UnaryFunction f : UnaryFunction.values()) {
            assertEquals(f.apply(0.42), a.apply(f, 0.42), 0.0, f.symbol());
        }
    }

    @Test
    void selectComparesValues() {
        assertEquals(1.0, a.select(Comparison.LT, 1.0, 2.0, 1.0, 2.0), 0.0);
        assertEquals(2.0, a.select(Comparison.LT, 2.0, 2.0, 1.0, 2.0), 0.0);
        assertEquals(1.0, a.select(Comparison.LE, 2.0, 2.0, 1.0, 2.0), 0.0);
        assertEquals(2.0, a.select(Comparison.GT, 2.0, 2.0, 1.0, 2.0), 0.0);
        assertEquals(1.0, a.select(Comparison.GE, 2.0, 2.0, 1.0, 2.0), 0.0);
        // NaN compares false, so the 'otherwise' branch is taken
        assertEquals(2.0, a.select(Comparison.GE, Double.NaN, 0.0, 1.0, 2.0), 0.0);
    }

    @Test
    void callRunsJavaCodeOnPlainValues() {
        VarFunction f = v -> new Var[] {v[0].mul(v[1]).add(v[0].sin()), v[1].exp(), v[0].pow(3.0)};
        List<Double> out = a.call(f, 3, List.of(0.5, -1.5));
        assertEquals(List.of(0.5 * -1.5 + Math.sin(0.5), Math.exp(-1.5), Math.pow(0.5, 3)), out);

        Program p = Program.ofJava("f", 2, 3, f).then(Program.parse("(a, b, c) -> (a + b + c)"));
        assertEquals(0.5 * -1.5 + Math.sin(0.5) + Math.exp(-1.5) + Math.pow(0.5, 3),
                p.execute(new double[] {0.5, -1.5})[0], 0.0);

        assertThrows(IllegalArgumentException.class, () -> a.call(v -> new Var[] {v[0]}, 2, List.of(1.0)));
        assertThrows(IllegalArgumentException.class, () -> a.call(v -> null, 1, List.of(1.0)));
    }
}
