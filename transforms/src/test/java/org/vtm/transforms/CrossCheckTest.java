package org.vtm.transforms;

import static org.vtm.transforms.SeriesAssertions.assertAllClose;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Our expansions (single-point Var path and batched path) against Hipparchus DerivativeStructure
 * running the same steps. Tolerance 1e-11 norm-wise per output: both libraries accumulate a
 * different order of O(M) rounded products, each within a few ulps of the coefficient scale; a
 * wrong table entry or recurrence is off by O(1) of the scale.
 */
class CrossCheckTest {

    private static final double RTOL = 1e-11;

    private static double[] randomPoint(SplittableRandom rng, int d) {
        double[] p = new double[d];
        for (int i = 0; i < d; i++) {
            p[i] = rng.nextDouble(-1, 1);
        }
        return p;
    }

    private static void compare(TensorSeries expected, TensorSeries actual, String what) {
        int M = expected.multiIndices().size();
        double[] e = expected.coefficients();
        double[] a = actual.coefficients();
        for (int o = 0; o < expected.outputDim(); o++) {
            // compare plain derivatives (Hipparchus' convention) per output
            double[] pe = new double[M];
            double[] pa = new double[M];
            for (int i = 0; i < M; i++) {
                double f = expected.multiIndices().factorial(i);
                pe[i] = e[o * M + i] * f;
                pa[i] = a[o * M + i] * f;
            }
            assertAllClose(pe, pa, RTOL, what + " output " + o);
        }
    }

    @Test
    void randomProgramsAgreeWithHipparchus() {
        SplittableRandom rng = new SplittableRandom(77L);
        for (int trial = 0; trial < 60; trial++) {
            int d = 1 + rng.nextInt(4);
            int n = rng.nextInt(7);
            int m = 1 + rng.nextInt(3);
            long seed = rng.nextLong();
            Step step = RandomExpressionStep.generate(d, m, 5 + rng.nextInt(25), seed);
            double[] x = randomPoint(rng, d);
            String what = "trial " + trial + " " + step.text() + " n=" + n;
            TensorSeries ref = TestSteps.hipparchus(List.of(step), x, n);
            compare(ref, TestSteps.viaVar(List.of(step), x, n), what + " (Var)");
            compare(ref, Expander.expand(List.of(step), x, n), what + " (batch)");
        }
    }

    @Test
    void everyElementaryFunctionAgreesWithHipparchus() {
        SplittableRandom rng = new SplittableRandom(5L);
        for (int n = 0; n <= 6; n++) {
            for (int trial = 0; trial < 4; trial++) {
                double[] x = randomPoint(rng, 3);
                List<Step> steps = List.of(TestSteps.ALL_FUNCTIONS);
                TensorSeries ref = TestSteps.hipparchus(steps, x, n);
                compare(ref, TestSteps.viaVar(steps, x, n), "all functions n=" + n + " (Var)");
                compare(ref, Expander.expand(steps, x, n), "all functions n=" + n + " (batch)");
            }
        }
    }

    @Test
    void branchesAgreeWithHipparchusOnBothSides() {
        for (double[] x : new double[][] {{0.2, 0.9}, {0.9, 0.2}, {-1.3, 2.0}, {2.5, -0.5}}) {
            List<Step> steps = List.of(TestSteps.BRANCHY);
            TensorSeries ref = TestSteps.hipparchus(steps, x, 5);
            compare(ref, TestSteps.viaVar(steps, x, 5), "branchy (Var)");
            compare(ref, Expander.expand(steps, x, 5), "branchy (batch)");
        }
    }
}
