package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The sparse substitution skips only structurally zero terms and keeps the reference's groups, so
 * it must equal the dense reference bit for bit (raw bits, signs of zeros included) on finite
 * inputs — including exact zeros and negative zeros in the inputs, which make partial sums zero.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CompositionKernelTest {

    private static double draw(SplittableRandom rng) {
        switch (rng.nextInt(8)) {
            case 0: return 0.0;
            case 1: return -0.0;
            case 2: return rng.nextInt(-3, 4); // small integers: exact cancellations
            default: return rng.nextDouble(-2, 2) * Math.pow(10, rng.nextInt(-3, 4));
        }
    }

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + ", coefficient " + i + ": reference " + expected[i] + ", kernel "
                        + actual[i]);
            }
        }
    }

    @Test
    void sparseSubstitutionIsBitIdenticalToTheDenseReference() {
        SplittableRandom rng = new SplittableRandom(17L);
        int cases = 0;
        for (int d = 1; d <= 4; d++) {
            for (int D = 1; D <= 4; D++) {
                for (int r = 0; r <= 6; r++) {
                    if (MultiIndexSet.sizeOf(d, r) * MultiIndexSet.sizeOf(D, r) > 3e5) {
                        continue;
                    }
                    MultiIndexSet in = MultiIndexSet.of(d, r);
                    MultiIndexSet mid = MultiIndexSet.of(D, r);
                    int outerOrder = r + rng.nextInt(2); // the outer series may have a higher order
                    int outerM = MultiIndexSet.of(D, outerOrder).size();
                    int m = 1 + rng.nextInt(3);
                    for (int rep = 0; rep < 3; rep++) {
                        double[][] u = new double[D][in.size()];
                        for (double[] row : u) {
                            for (int i = 1; i < row.length; i++) {
                                row[i] = draw(rng);
                            }
                        }
                        double[] c = new double[m * outerM];
                        for (int i = 0; i < c.length; i++) {
                            c[i] = draw(rng);
                        }
                        double[] expected = TensorSeries.substituteDense(in, mid, u, c, outerM, m);
                        double[] actual = new double[m * in.size()];
                        CompositionKernel.of(in).substitute(mid, u, c, outerM, m, actual);
                        assertBits(expected, actual, "d=" + d + " D=" + D + " r=" + r + " rep " + rep);
                        cases++;
                    }
                }
            }
        }
        assertTrue(cases > 150, cases + " cases");
    }

    @Test
    void composeOfExpansionsEqualsTheReferenceAtDimensionEight() {
        Step inner = RandomExpressionStep.generate(8, 8, 40, 3L);
        Step outer = RandomExpressionStep.generate(8, 8, 40, 4L);
        double[] x = {0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8};
        TensorSeries a = Expander.expand(java.util.List.of(inner), x, 4);
        TensorSeries b = Expander.expand(java.util.List.of(outer), a.values(), 4);
        MultiIndexSet in = a.multiIndices();
        double[][] u = new double[8][in.size()];
        for (int j = 0; j < 8; j++) {
            for (int i = 1; i < in.size(); i++) {
                u[j][i] = a.coefficient(j, i);
            }
        }
        assertBits(TensorSeries.substituteDense(in, in, u, b.coefficients(), in.size(), 8), b.compose(a).coefficients(),
                "d=8, n=4");
    }

    @Test
    void nonFiniteInputsUseTheReference() {
        MultiIndexSet set = MultiIndexSet.of(2, 3);
        double[] innerC = new double[2 * set.size()];
        double[] outerC = new double[set.size()];
        for (int i = 0; i < innerC.length; i++) {
            innerC[i] = 0.25 * (i % 5) - 0.5;
        }
        for (int i = 0; i < outerC.length; i++) {
            outerC[i] = i + 1;
        }
        innerC[set.size() + 4] = Double.POSITIVE_INFINITY; // an infinite second-order coefficient
        TensorSeries inner = TensorSeries.of(new double[] {0, 0}, 3, 2, innerC);
        TensorSeries outer = TensorSeries.of(inner.values(), 3, 1, outerC);
        double[][] u = new double[2][set.size()];
        for (int j = 0; j < 2; j++) {
            System.arraycopy(innerC, j * set.size(), u[j], 0, set.size());
            u[j][0] = 0;
        }
        double[] expected = TensorSeries.substituteDense(set, set, u, outerC, set.size(), 1);
        assertTrue(java.util.Arrays.stream(expected).anyMatch(v -> !Double.isFinite(v)), "the case is not finite");
        assertBits(expected, outer.compose(inner).coefficients(), "with an infinite inner coefficient");
    }

    @Test
    void aZeroWeightOnAnOverflowingMonomialGivesTheReferencesFiniteResult() {
        // u = 1e200·x: u² overflows to +inf, but the outer series has no x² term, so the composition is finite
        // (1 + 2e200·x); the kernel's weighted sum does not skip zero weights (0·inf = NaN), so compose must fall
        // back to the reference, which does
        TensorSeries inner = TensorSeries.of(new double[] {0}, 2, 1, new double[] {0.5, 1e200, 0});
        TensorSeries outer = TensorSeries.of(new double[] {0.5}, 2, 1, new double[] {1, 2, 0});
        double[] composed = outer.compose(inner).coefficients();
        assertBits(new double[] {1, 2e200, 0}, composed, "1 + 2u with u = 1e200·x");
    }
}
