package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vtm.transforms.SeriesAssertions.assertAllClose;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The batched kernel against the single-point Var path, over several chunks (a partial last
 * chunk included) with branches taken differently per point. The two paths run the same kernels in
 * the same order, so they agree to rounding (1e-14 norm-wise; in practice bit for bit).
 */
class BatchPathTest {

    private static double[][] points(long seed, int count, int d, double r) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] p = new double[count][d];
        for (double[] row : p) {
            for (int i = 0; i < d; i++) {
                row[i] = rng.nextDouble(-r, r);
            }
        }
        return p;
    }

    @Test
    void batchEqualsVarPathAcrossChunksAndBranches() {
        List<Step> steps = List.of(TestSteps.BRANCHY,
                RandomExpressionStep.generate(2, 3, 20, 99L));
        double[][] pts = points(1L, 2 * Expander.DEFAULT_CHUNK + 37, 2, 1.5);
        TensorSeries[] batch = Expander.expand(steps, pts, 4);
        assertEquals(pts.length, batch.length);
        int taken = 0;
        for (int p = 0; p < pts.length; p++) {
            if (pts[p][0] < pts[p][1]) {
                taken++;
            }
            TensorSeries one = TestSteps.viaVar(steps, pts[p], 4);
            assertArrayEquals(pts[p], batch[p].point());
            assertAllClose(one.coefficients(), batch[p].coefficients(), 1e-14, "point " + p);
        }
        assertTrue(taken > 50 && taken < pts.length - 50, "both branches exercised: " + taken);
    }

    @Test
    void javaStepsRunPerPointInTheBatch() {
        Elementary cube = Elementary.of("cube", x -> x * x * x, v -> v.mul(v).mul(3.0));
        Step java = TestSteps.java(2, 2, in -> {
            Var x = in[0];
            Var y = in[1];
            // a loop and a branch on values, as user code would have
            Var acc = x;
            for (int i = 0; i < 3; i++) {
                acc = acc.mul(y).sin().add(x);
            }
            Var second = x.value() > 0 ? x.apply(cube).add(y) : y.exp().mul(x);
            return new Var[] {acc, second};
        });
        List<Step> steps = List.of(java, RandomExpressionStep.generate(2, 2, 10, 3L));
        double[][] pts = points(2L, 300, 2, 1.0);
        TensorSeries[] batch = Expander.expand(steps, pts, 3);
        for (int p = 0; p < pts.length; p++) {
            TensorSeries one = TestSteps.viaVar(steps, pts[p], 3);
            assertAllClose(one.coefficients(), batch[p].coefficients(), 1e-14, "point " + p);
        }
        // and against Hipparchus for the branch x > 0: d/dx of cube(x) + y is 3x^2
        TensorSeries s = Expander.expand(List.of(java), new double[] {0.5, 0.25}, 3);
        SeriesAssertions.assertClose(0.75, s.d(1, 0), 1e-15, 0, "d cube/dx");
        SeriesAssertions.assertClose(3.0, s.d(1, 0, 0), 1e-15, 0, "d2 cube/dx2");
        SeriesAssertions.assertClose(6.0, s.d(1, 0, 0, 0), 1e-15, 0, "d3 cube/dx3");
    }

    @Test
    void refusesMismatchedPoints() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Expander.expand(List.of(TestSteps.BRANCHY), new double[][] {{1, 2}, {1, 2, 3}}, 2));
        assertTrue(e.getMessage().contains("point 1 has 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Expander.expand(List.of(TestSteps.BRANCHY, TestSteps.ALL_FUNCTIONS), new double[] {1, 2}, 2));
    }
}
