package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The kernels' multiply-add counts (the cost model the benchmarks print) against hand counts on tiny
 * cases, where every product can be listed.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CostModelTest {

    @Test
    void compositionOfOneVariableOrderTwoCountsFiveMultiplyAdds() {
        // w0 + w1·u + w2·u², u = a·x + b·x²: u² = a·a x² (1 product); the weighted sum: x^0: w0·1, x^1: w1·a,
        // x^2: w1·b + w2·a² (4 terms)
        assertEquals(5.0, TensorSeries.composeMultiplyAdds(1, 1, 1, 2));
    }

    @Test
    void compositionOfTwoVariablesOrderTwoCountsFiftyTwoMultiplyAdds() {
        // u^β of degree 2 (u0², u0u1, u1²) on the degree-2 outputs x0² (1 pair: x0·x0), x0x1 (2 pairs), x1² (1 pair):
        // 3 monomials × 4 products = 12. Weighted sum per output: x^0: 1 term; x0, x1: w_{e0}, w_{e1} (2 each);
        // x0², x0x1, x1²: the two degree-1 and three degree-2 monomials (5 each): 1 + 4 + 15 = 20; two outputs: 40
        assertEquals(52.0, TensorSeries.composeMultiplyAdds(2, 2, 2, 2));
    }

    @Test
    void compositionCountAtTheDefaultBenchConfiguration() {
        // d = D = m = n = 4: the monomials of degree 2, 3, 4 take 356, 220 and 80 kept products (10, 20, 35 of
        // them) = 10,760; the weighted sum 1 + 4·4 + 10·14 + 20·34 + 35·69 = 3,252 terms per output
        assertEquals(10_760.0 + 4 * 3_252.0, TensorSeries.composeMultiplyAdds(4, 4, 4, 4));
    }

    @Test
    void productOfTwoVariablesAtOrderTwoCountsFifteenMultiplyAdds() {
        // (a·b)[0] = a0·b0 (1); every other γ of the six: a0·bγ + aγ·b0 (2 × 5); the strict pairs x0·x0, x0·x1,
        // x1·x0, x1·x1 (4): 15
        Program p = Program.parse("(x, y) -> (x*y)");
        assertEquals(15.0, Expander.multiplyAddsPerPoint(p.steps(), 2));
    }

    @Test
    void expOfOneVariableAtOrderTwoCountsThreeMultiplyAdds() {
        // e1 = a1·e0 (1), e2 = a2·e0 + (1/2)·a1·e1 (the strict pair x·x: 1) → (M−1) + pairs = 2 + 1 = 3;
        // the variable x itself costs nothing
        Program p = Program.parse("(x) -> (exp(x))");
        assertEquals(3.0, Expander.multiplyAddsPerPoint(p.steps(), 2));
    }
}
