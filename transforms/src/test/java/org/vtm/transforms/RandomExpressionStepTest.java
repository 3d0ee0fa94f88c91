package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RandomExpressionStepTest {

    @Test
    void valuesAndDerivativesStayFiniteWithinTheInputBound() {
        SplittableRandom rng = new SplittableRandom(123L);
        for (long seed = 0; seed < 60; seed++) {
            Step step = RandomExpressionStep.generate(4, 4, 60, seed);
            double[][] pts = new double[16][4];
            for (double[] p : pts) {
                for (int i = 0; i < 4; i++) {
                    p[i] = rng.nextDouble(-2, 2);
                }
            }
            for (TensorSeries s : Expander.expand(List.of(step), pts, 3)) {
                for (double c : s.coefficients()) {
                    assertTrue(Double.isFinite(c), step.text() + " gave " + c + " at " + Arrays.toString(s.point()));
                }
            }
        }
    }

    @Test
    void sameSeedSameStepDifferentSeedDifferentStep() {
        double[] x = {0.3, -0.7, 0.1};
        TensorSeries a = Expander.expand(List.of(RandomExpressionStep.generate(3, 2, 25, 9L)), x, 2);
        TensorSeries b = Expander.expand(List.of(RandomExpressionStep.generate(3, 2, 25, 9L)), x, 2);
        TensorSeries c = Expander.expand(List.of(RandomExpressionStep.generate(3, 2, 25, 10L)), x, 2);
        assertArrayEquals(a.coefficients(), b.coefficients(), 0.0);
        assertFalse(Arrays.equals(a.coefficients(), c.coefficients()));
        assertEquals("<random expression d=3 m=2 ops=25 seed=9>", RandomExpressionStep.generate(3, 2, 25, 9L).text());
        assertThrows(IllegalArgumentException.class, () -> RandomExpressionStep.generate(0, 1, 3, 1L));
        assertThrows(IllegalArgumentException.class, () -> RandomExpressionStep.generate(2, 1, -1, 1L));
    }

    @Test
    void prunedStepHasTheSameValuesAndDerivativesWithFewerOperations() {
        RandomExpressionStep full = RandomExpressionStep.generate(3, 2, 40, 5L);
        RandomExpressionStep pruned = full.pruned();
        assertTrue(pruned.operations() < full.operations(), pruned.text());
        assertTrue(pruned.text().contains("ops=40") && pruned.text().contains("pruned to " + pruned.operations()),
                pruned.text());
        assertEquals(pruned.operations(), pruned.pruned().operations());
        double[][] pts = {{0.3, -0.7, 0.1}, {-1.2, 0.4, 0.9}};
        // the interpreted path computes every operation, so this compares the kept ones' arithmetic
        TensorSeries[] a = Expander.expandInterpreted(List.of(full), pts, 3, 32);
        TensorSeries[] b = Expander.expandInterpreted(List.of(pruned), pts, 3, 32);
        for (int p = 0; p < pts.length; p++) {
            assertArrayEquals(a[p].coefficients(), b[p].coefficients());
        }
    }
}
