package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The basis classes on real {@link Program}s, {@link Expander} and {@link Var}s: custom families
 * written in Var code, and program expansions through {@code T_FX}, the oracle and the diagram.
 */
class BasisIntegrationTest {

    @Test
    void customFamilyFromVarCodeMatchesBuiltIn() {
        // Chebyshev written as cos(k·acos u) is not in the Var algebra; use the recurrence in Var code
        FunctionFamily cheb = FunctionFamily.custom("my-chebyshev", (u, k) -> {
            Var prev = u.space().constant(1.0);
            if (k == 0) {
                return prev;
            }
            Var cur = u;
            for (int i = 1; i < k; i++) {
                Var next = u.mul(cur).mul(2.0).sub(prev);
                prev = cur;
                cur = next;
            }
            return cur;
        });
        for (int k = 0; k <= 8; k++) {
            assertArrayEquals(FunctionFamily.chebyshev().taylor(k, 8), cheb.taylor(k, 8), 1e-12, "k=" + k);
            assertEquals(FunctionFamily.chebyshev().value(k, 0.3), cheb.value(k, 0.3), 1e-14);
        }
        BasisTransform general = BasisTransform.of(FunctionSet.of(cheb, 2, 4));
        BasisTransform structured = BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 2, 4));
        assertEquals(BasisTransform.Solver.GENERAL, general.solver());
        assertArrayEquals(structured.tfx(), general.tfx(), 1e-12);
        // a sin-based custom family equals the built-in Fourier set
        FunctionFamily four = FunctionFamily.custom("my-fourier", (u, k) -> k == 0 ? u.space().constant(1)
                : (k % 2 == 1 ? u.mul((k + 1) / 2).sin() : u.mul(k / 2).apply(UnaryFunction.COS)));
        assertArrayEquals(FunctionFamily.fourier().taylor(5, 9), four.taylor(5, 9), 1e-12);
    }

    @Test
    void programExpansionThroughTfxReproducesTaylorAndPaperExample() {
        Program exp = Program.parse("(x) -> (exp(x))");
        TensorSeries e = Expander.expand(exp, new double[] {0}, 4);
        FunctionSeries fs = BasisTransform.of(FunctionSet.of(FunctionFamily.fourier(), 1, 4)).apply(e, 1.0);
        assertArrayEquals(new double[] {2.5, 5.0 / 3, -5.0 / 3, -1.0 / 3, 1.0 / 6}, fs.coefficients(), 1e-12);

        Program p = Program.parse("(x, y) -> (x*y, x + sin(y)) |> (u, v) -> (exp(u) / (1 + v^2), tanh(u - v))");
        double[] v0 = {0.3, -0.4};
        double r = 0.25;
        TensorSeries w = Expander.expand(p, v0, 5);
        FunctionSeries cheb = BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 2, 5)).apply(w, r);
        for (double[] u : new double[][] {{0.1, -0.7}, {-1, 1}, {0.5, 0.5}}) {
            assertArrayEquals(w.evaluate(new double[] {r * u[0], r * u[1]}), cheb.evaluate(u), 1e-12);
        }
        FunctionSet set = FunctionSet.of(FunctionFamily.legendre(), 2, 5);
        ApproximationErrors errs = Oracle.of(set).compare(p, v0, r, BasisTransform.of(set));
        assertTrue(errs.oracle().relL2() <= errs.fixed().relL2() * (1 + 1e-9), errs.toString());
        assertEquals(errs.taylor().relL2(), errs.fixed().relL2(), 1e-10);

        DiagramExecutor ex = DiagramExecutor.of(p, FunctionFamily.chebyshev(), 5, v0, r);
        assertArrayEquals(p.execute(v0), ex.run("T,X", v0), 1e-12);
        assertTrue(ex.report("X,T", new double[] {0.35, -0.3}).pointMaxAbs() < 1e-3);
        assertEquals(0.0, ex.report("E,E", new double[] {0.35, -0.3}).region().maxAbs(), 1e-15);
    }
}
