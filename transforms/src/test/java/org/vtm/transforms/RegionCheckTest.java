package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The corpus's region check ({@link Expander#allCoefficientsWithin}: small first chunks, a stop at the
 * first offending chunk, workspaces that first hold only the first chunk) must accept and reject
 * exactly the programs that expanding every point and looking at every coefficient accepts and
 * rejects: records depend on which draws are rejected.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RegionCheckTest {

    private static double[][] region(SplittableRandom rng, int count, double[] centre, double r) {
        double[][] p = new double[count][centre.length];
        for (double[] row : p) {
            for (int i = 0; i < row.length; i++) {
                row[i] = centre[i] + rng.nextDouble(-r, r);
            }
        }
        return p;
    }

    /** The independent route: every point expanded on the interpreted path, every coefficient looked at. */
    private static boolean everyCoefficientWithin(Program program, double[][] pts, int order, double limit) {
        for (TensorSeries s : Expander.expandInterpreted(program.steps(), pts, order, 256)) {
            for (double c : s.rawCoefficients()) {
                if (!(Math.abs(c) <= limit)) {
                    return false;
                }
            }
        }
        return true;
    }

    @Test
    void acceptsAndRejectsExactlyWhatTheFullExpansionDoes() {
        SplittableRandom rng = new SplittableRandom(18);
        List<Program> programs = new ArrayList<>();
        for (long seed = 0; seed < 160; seed++) {
            int d = 2 + (int) (seed % 2);
            List<Step> steps = new ArrayList<>();
            for (int k = 0; k <= seed % 3; k++) {
                steps.add(RandomExpressionStep.generate(d, d, 12 + (int) (seed % 5) * 6, seed * 7 + k));
            }
            programs.add(Program.of(steps));
        }
        // up to d = 8 (the corpus's largest), outputs on a few of the variables (the split region check)
        for (long seed = 0; seed < 24; seed++) {
            int d = 4 + (int) (seed % 5);
            List<Step> steps = new ArrayList<>();
            for (int k = 0; k <= seed % 2; k++) {
                steps.add(RandomExpressionStep.generate(d, d, 10 + (int) (seed % 4) * 5, 1000 + seed * 7 + k));
            }
            programs.add(Program.of(steps));
        }
        // branches whose comparison reads a variable no side reads, and an output that reads no variable
        programs.add(Program.parse("(x, y, z) -> (if(z < 0.1, x * x, 1 / x), exp(y), 2.5)"));
        programs.add(Program.parse("(x, y, z) -> (if(z < x, y, 3), sqrt(y - 0.3) * x, log(z + 0.4))"));
        // poles, branch points and an essential growth placed inside, at the edge of and outside the regions
        for (String c : new String[] {"0", "0.05", "0.2", "0.5", "-0.3"}) {
            programs.add(Program.parse("(x, y) -> (1 / (x - " + c + "), y * exp(x))"));
            programs.add(Program.parse("(x, y) -> (log(x - " + c + " + 0.01) * y, sqrt(y - " + c + " + 0.02))"));
            programs.add(Program.parse("(x, y) -> (y / (x*x + y*y - " + c + "), tan(3*x + " + c + "))"));
        }
        int accepted = 0;
        int rejected = 0;
        int checked = 0;
        for (Program program : programs) {
            int d = program.inputDim();
            for (double r : new double[] {0.05, 0.3}) {
                for (double limit : new double[] {10.0, 1e4}) {
                    double[] centre = new double[d];
                    for (int i = 0; i < d; i++) {
                        centre[i] = rng.nextDouble(-0.5, 0.5);
                    }
                    // 300 points (past the first chunks, 4, 8, 16, …, into full chunks); 70 at d > 3
                    double[][] pts = region(rng, d > 3 ? 70 : 300, centre, r);
                    int order = 2 + (int) (checked % 3);
                    boolean expected = everyCoefficientWithin(program, pts, order, limit);
                    boolean actual = Expander.allCoefficientsWithin(program, pts, order, limit);
                    assertEquals(expected, actual, () -> program.text() + " at " + java.util.Arrays.toString(centre)
                            + " r=" + r + " limit=" + limit);
                    if (expected) {
                        accepted++;
                    } else {
                        rejected++;
                    }
                    checked++;
                }
            }
        }
        // the sample must exercise both answers
        assertTrue(accepted > 50 && rejected > 50, "accepted " + accepted + ", rejected " + rejected);
    }

    @Test
    void aRejectionAtTheFirstPointsAllocatesOnlyTheFirstChunksBlocks() {
        // d = 8, n = 4 (the corpus's largest configuration): a full chunk's block is M · 64 points · 8 bytes
        int d = 8;
        int order = 4;
        MultiIndexSet set = MultiIndexSet.of(d, order);
        long fullBlock = (long) set.size() * Expander.chunkFor(set.size()) * Double.BYTES;
        Program program = Program.of(List.of(RandomExpressionStep.generate(d, d, 40, 5L)));
        double[][] pts = region(new SplittableRandom(3), 600, new double[d], 0.2);
        double[][] bad = pts.clone();
        bad[0] = new double[] {1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6};
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        int blocks = ExpansionKernel.compile(program.steps(), d, set).workspace(1).block.length;
        assertTrue(blocks >= 4, "the program needs several blocks, got " + blocks);
        if (Expander.pointsExpandedUntilRejection(program, bad, order, 1.0) != Expander.FIRST_CHECK_CHUNK) {
            throw new AssertionError("the test program must be rejected at its first point");
        }
        long before = threads.getThreadAllocatedBytes(tid);
        int expanded = Expander.pointsExpandedUntilRejection(program, bad, order, 1.0);
        long allocated = threads.getThreadAllocatedBytes(tid) - before;
        assertEquals(Expander.FIRST_CHECK_CHUNK, expanded);
        // full-chunk workspaces would allocate `blocks` full blocks; first-chunk workspaces a sixteenth of that
        assertTrue(allocated < blocks * fullBlock / 2, "allocated " + allocated + " bytes for a rejection at the first "
                + "points; " + blocks + " full-chunk blocks are " + blocks * fullBlock);
    }
}
