package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compiled kernel runs the same kernels in the same order as the interpreted batch algebra,
 * only into reused blocks: results must be equal bit for bit (compared as raw long bits, so even
 * the sign of zeros and NaN positions count), across chunks, orders, branches and constant folding.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ExpansionKernelTest {

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

    private static void assertBitIdentical(List<? extends Step> steps, double[][] pts, int order, int chunk) {
        TensorSeries[] compiled = Expander.expand(steps, pts, order, chunk);
        TensorSeries[] interpreted = Expander.expandInterpreted(steps, pts, order, chunk);
        assertEquals(interpreted.length, compiled.length);
        for (int p = 0; p < pts.length; p++) {
            double[] x = interpreted[p].coefficients();
            double[] y = compiled[p].coefficients();
            assertEquals(x.length, y.length);
            for (int i = 0; i < x.length; i++) {
                if (Double.doubleToRawLongBits(x[i]) != Double.doubleToRawLongBits(y[i])) {
                    throw new AssertionError("order " + order + ", chunk " + chunk + ", point " + p + ", coefficient "
                            + i + ": interpreted " + x[i] + ", compiled " + y[i] + " (" + steps + ")");
                }
            }
        }
    }

    private static ExpansionKernel compile(List<? extends Step> steps, int order) {
        return ExpansionKernel.compile(steps, steps.get(0).inputDim(),
                MultiIndexSet.of(steps.get(0).inputDim(), order));
    }

    @Test
    void randomProgramsAreBitIdenticalAtEveryOrderAndAcrossChunks() {
        for (long seed = 1; seed <= 12; seed++) {
            int d = 1 + (int) (seed % 4);
            int m = 1 + (int) (seed % 3);
            List<Step> steps = List.of(RandomExpressionStep.generate(d, m, 25, seed));
            double[][] pts = points(seed, 77, d, 1.0);
            for (int n = 0; n <= 6; n += 2) {
                assertNotNull(compile(steps, n), "random steps compile");
                assertBitIdentical(steps, pts, n, 32);
            }
            assertBitIdentical(steps, pts, 3, 7); // partial last chunk
        }
    }

    @Test
    void everyElementaryFunctionBranchesAndPipelinesAreBitIdentical() {
        Program parsed = Program.parse("(x, y) -> (x*y - 3, 2 - sin(y) / (1 + x^2), x^3 / y, 4 / (2 + x*x))"
                + " |> (a, b, c, w) -> (if(a < b, a * c, w - b), sqrt(2 + b) ^ w + a^0.5 * 0, exp(a) ^ b, 7)");
        List<Step> all = List.of(TestSteps.ALL_FUNCTIONS);
        List<Step> branchy = List.of(TestSteps.BRANCHY, RandomExpressionStep.generate(2, 3, 20, 99L));
        for (int n : new int[] {0, 1, 3, 5}) {
            assertNotNull(compile(all, n));
            assertBitIdentical(all, points(3L, 70, 3, 0.8), n, 32);
            assertBitIdentical(branchy, points(4L, 300, 2, 1.5), n, 64);
            assertBitIdentical(parsed.steps(), points(5L, 100, 2, 0.9), n, 32);
        }
    }

    @Test
    void constantOutputsAreMaterialized() {
        Program p = Program.parse("(x, y) -> (7, x + 1, y * 0 + 2)");
        assertBitIdentical(p.steps(), points(6L, 40, 2, 1.0), 3, 32);
        TensorSeries s = Expander.expand(p, new double[] {0.5, 0.25}, 2);
        assertEquals(7.0, s.coefficient(0, 0));
        assertEquals(0.0, s.coefficient(0, 1));
        assertEquals(1.0, s.coefficient(1, 1));
    }

    @Test
    void javaStepsFallBackToTheInterpretedPath() {
        Step java = TestSteps.java(2, 1, in -> new Var[] {in[0].mul(in[1]).sin()});
        assertNull(compile(List.of(java), 3));
        assertBitIdentical(List.of(java), points(7L, 50, 2, 1.0), 3, 32);
    }

    @Test
    void branchesWithConstantSidesMatchTheBatchAlgebraWhetherChunksTakeOneSideOrBoth() {
        // when every point of a chunk takes a constant side, the batch algebra returns that constant and later
        // operations fold it (scale instead of mul, no exp kernel, ...): the kernel must switch variants
        Program p = Program.parse("(x, y) -> (if(x < 0, 1, 2) * y + if(y < x, x, 3), exp(if(x < 0.5, 0, y)) * x,"
                + " if(x < 0, -1, 1) * if(y < 0, 2, 3))");
        assertNotNull(compile(p.steps(), 3));
        // points sorted by x: chunks all x < 0, then mixed, then all x >= 0.5
        double[][] pts = points(8L, 120, 2, 1.0);
        java.util.Arrays.sort(pts, java.util.Comparator.comparingDouble(r -> r[0]));
        for (int chunk : new int[] {1, 8, 16, 32, 200}) {
            assertBitIdentical(p.steps(), pts, 3, chunk);
        }
        assertBitIdentical(p.steps(), points(9L, 64, 2, 1.0), 0, 8);
    }

    @Test
    void deadOperationsAreDroppedAndBlocksReusedByLiveness() {
        RandomExpressionStep step = RandomExpressionStep.generate(4, 1, 200, 42L);
        RandomExpressionStep pruned = step.pruned();
        ExpansionKernel full = compile(List.of(step), 4);
        ExpansionKernel live = compile(List.of(pruned), 4);
        assertNotNull(full);
        // the kernel drops exactly what pruning drops: the operations no output reads
        assertEquals(live.operations(), full.operations());
        assertTrue(pruned.operations() < step.operations(), pruned.text());
        // every live operation but far fewer blocks than values
        assertTrue(full.operations() >= pruned.operations(), full.operations() + " operations");
        assertTrue(full.blocks() * 3 < full.operations(), full.blocks() + " blocks for " + full.operations()
                + " operations");
        assertBitIdentical(List.of(step), points(9L, 40, 4, 1.0), 4, 32);
        assertBitIdentical(List.of(pruned), points(9L, 40, 4, 1.0), 4, 32);
    }

    @Test
    void allCoefficientsWithinAgreesWithCheckingEveryExpansion() {
        Program compiled = Program.parse("(x, y) -> (exp(3*x) * y, if(x < 0, 1, y) / (1 + y^2))");
        Program java = Program.of(List.of(TestSteps.java(2, 2, in -> new Var[] {in[0].mul(3.0).exp().mul(in[1]),
                in[1].div(in[1].mul(in[1]).add(1.0))})));
        double[][] pts = points(10L, 300, 2, 1.0);
        for (Program p : List.of(compiled, java)) {
            double max = 0;
            for (TensorSeries s : Expander.expand(p, pts, 4)) {
                for (double c : s.coefficients()) {
                    max = Math.max(max, Math.abs(c));
                }
            }
            assertTrue(Expander.allCoefficientsWithin(p, pts, 4, max));
            assertTrue(!Expander.allCoefficientsWithin(p, pts, 4, Math.nextDown(max)));
            assertTrue(!Expander.allCoefficientsWithin(p, pts, 4, 1.0));
        }
        double[][] nan = {{0.1, 0.2}, {Double.NaN, 0.0}};
        assertTrue(!Expander.allCoefficientsWithin(compiled, nan, 2, 1e300));
    }

    @Test
    void aRejectionAtTheFirstPointsExpandsOnlyTheFirstSmallChunk() {
        Program p = Program.parse("(x, y) -> (exp(3*x) * y, y)");
        // 300 points in [-0.1, 0.1]^2: every coefficient is below 50 except where a point is moved to x = 2
        double[][] pts = points(11L, 300, 2, 0.1);
        assertEquals(-1, Expander.pointsExpandedUntilRejection(p, pts, 4, 50.0));
        double[][] first = pts.clone();
        first[0] = new double[] {2.0, 1.0};
        // chunks of 4, 8, 16, …: the offending first point ends the check after 4 points (a whole chunk of 256
        // before)
        assertEquals(Expander.FIRST_CHECK_CHUNK, Expander.pointsExpandedUntilRejection(p, first, 4, 50.0));
        double[][] later = pts.clone();
        later[200] = new double[] {2.0, 1.0};
        // chunks [0,4) [4,12) [12,28) [28,60) [60,124) [124,252): point 200 is found at the end of the sixth
        assertEquals(252, Expander.pointsExpandedUntilRejection(p, later, 4, 50.0));
        assertTrue(!Expander.allCoefficientsWithin(p, later, 4, 50.0));
    }
}
