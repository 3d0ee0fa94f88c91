package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.interpreter.stm.StmConfig.ThetaForm;

/** Hand-computed sampling cases, and the SameDiff ops against the plain-Java reference. */
class SpatialSamplerTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** M[a][c] = 10a + c on a 5×5 memory, flattened row-major. */
    private static double[] ramp() {
        double[] m = new double[25];
        for (int a = 0; a < 5; a++) {
            for (int c = 0; c < 5; c++) {
                m[a * 5 + c] = 10 * a + c;
            }
        }
        return m;
    }

    private static double[] readPlain(double[] theta, ThetaForm form, double[] mem) {
        double[][] pos = SpatialSampler.positions(theta, form, 3, 3, 5, 5);
        return SpatialSampler.read(SpatialSampler.kernel(pos, 5, 5, false), mem);
    }

    @Test
    void identityReadsTheCornerAlignedGrid() {
        // word 3×3 over memory 5×5: normalised x ∈ {-1,0,1} -> cells {0,2,4} (corners aligned)
        double[] expected = {0, 2, 4, 20, 22, 24, 40, 42, 44};
        assertArrayEquals(expected, readPlain(new double[] {1, 0, 0, 0, 1, 0}, ThetaForm.FULL, ramp()), 1e-12);
        assertArrayEquals(expected, readPlain(new double[] {1, 1, 0, 0}, ThetaForm.SCALE_SHIFT, ramp()), 1e-12);
    }

    @Test
    void scaleAndShiftMoveTheWindow() {
        // sx=sy=0.5, tx=0.5: x_s ∈ {0,0.5,1} -> columns {2,3,4}; y_s ∈ {-0.5,0,0.5} -> rows {1,2,3}
        double[] expected = {12, 13, 14, 22, 23, 24, 32, 33, 34};
        assertArrayEquals(expected, readPlain(new double[] {0.5, 0.5, 0.5, 0}, ThetaForm.SCALE_SHIFT, ramp()), 1e-12);
        assertArrayEquals(expected, readPlain(new double[] {0.5, 0, 0.5, 0, 0.5, 0}, ThetaForm.FULL, ramp()), 1e-12);
        // a further quarter (= half a cell) to the right: columns {2.5,3.5,4.5}; 4.5 is half outside
        // the memory, so with zero padding it reads 0.5·M[a][4]
        double[] half = {12.5, 13.5, 7, 22.5, 23.5, 12, 32.5, 33.5, 17};
        assertArrayEquals(half, readPlain(new double[] {0.5, 0.5, 0.75, 0}, ThetaForm.SCALE_SHIFT, ramp()), 1e-12);
        // the full form can transpose: x_s = y, y_s = x reads M[c][a] at the identity grid
        double[] transposed = {0, 20, 40, 2, 22, 42, 4, 24, 44};
        assertArrayEquals(transposed, readPlain(new double[] {0, 1, 0, 1, 0, 0}, ThetaForm.FULL, ramp()), 1e-12);
    }

    @Test
    void bilinearWriteThenReadReturnsTheWordWhereSamplingIsExact() {
        double[] theta = {0.5, 0.5, 0.5, 0};
        double[][] k = SpatialSampler.kernel(SpatialSampler.positions(theta, ThetaForm.SCALE_SHIFT, 3, 3, 5, 5), 5, 5,
                false);
        double[] word = {1, -2, 3, -4, 5, -6, 7, -8, 9};
        double[] mem = SpatialSampler.write(k, ramp(), word);
        assertArrayEquals(word, SpatialSampler.read(k, mem), 1e-12);
        // cells outside the window keep their value
        assertEquals(ramp()[0], mem[0], 0.0);
        assertEquals(ramp()[4 * 5 + 4], mem[24], 0.0);
        // the nearest write agrees with the bilinear one at integer-aligned positions
        double[][] kn = SpatialSampler.kernel(SpatialSampler.positions(theta, ThetaForm.SCALE_SHIFT, 3, 3, 5, 5), 5, 5,
                true);
        assertArrayEquals(mem, SpatialSampler.write(kn, ramp(), word), 0.0);
    }

    @Test
    void nearestRoundsToTheClosestCell() {
        // positions 2.4 -> 2 and 2.6 -> 3
        double[][] pos = {{2.4, 2.6}, {0.0, 0.0}};
        double[][] k = SpatialSampler.kernel(pos, 5, 5, true);
        assertEquals(1.0, k[0][2], 0.0);
        assertEquals(1.0, k[1][3], 0.0);
        assertEquals(1.0, java.util.Arrays.stream(k[0]).sum(), 0.0);
    }

    @Test
    void sameDiffOpsMatchThePlainReference() {
        SplittableRandom r = new SplittableRandom(3);
        for (ThetaForm form : ThetaForm.values()) {
            for (boolean nearest : new boolean[] {false, true}) {
                int b = 2;
                int wr = 3;
                int wc = 4;
                int h = 5;
                int w = 6;
                double[][] theta = new double[b][form.size()];
                double[][] mem = new double[b][h * w];
                double[][] word = new double[b][wr * wc];
                for (int i = 0; i < b; i++) {
                    double[] base = form == ThetaForm.FULL ? new double[] {0.6, 0, 0, 0, 0.6, 0}
                            : new double[] {0.6, 0.6, 0, 0};
                    for (int j = 0; j < form.size(); j++) {
                        theta[i][j] = base[j] + 0.4 * (r.nextDouble() - 0.5);
                    }
                    for (int j = 0; j < h * w; j++) {
                        mem[i][j] = r.nextDouble() - 0.5;
                    }
                    for (int j = 0; j < wr * wc; j++) {
                        word[i][j] = r.nextDouble() - 0.5;
                    }
                }
                SameDiff sd = SameDiff.create();
                SDVariable th = sd.constant("theta", Nd4j.create(theta).castTo(DataType.DOUBLE));
                SDVariable m = sd.constant("mem", Nd4j.create(mem).castTo(DataType.DOUBLE).reshape(b, h, w));
                SDVariable c = sd.constant("word", Nd4j.create(word).castTo(DataType.DOUBLE));
                SDVariable[] wts = SpatialSampler.weights(sd, "k", th, form, wr, wc, h, w, nearest, DataType.DOUBLE);
                SpatialSampler.read(sd, wts, m).rename("read");
                SDVariable acc = SpatialSampler.access(sd, wts);
                SpatialSampler.write(sd, wts, m, c, acc).rename("written");
                java.util.Map<String, INDArray> out = sd.output(java.util.Map.of(), "read", "written");
                for (int i = 0; i < b; i++) {
                    double[][] k = SpatialSampler.kernel(SpatialSampler.positions(theta[i], form, wr, wc, h, w), h, w,
                            nearest);
                    assertArrayEquals(SpatialSampler.read(k, mem[i]), out.get("read").getRow(i).toDoubleVector(), 1e-12,
                            form + " nearest=" + nearest);
                    assertArrayEquals(SpatialSampler.write(k, mem[i], word[i]),
                            out.get("written").get(org.nd4j.linalg.indexing.NDArrayIndex.point(i)).reshape(-1)
                                    .toDoubleVector(), 1e-12, form + " nearest=" + nearest);
                }
            }
        }
    }

    /**
     * Issue 17: where Θ shrinks the word, several word cells land on one memory cell. The write gives that
     * cell their K-weighted mean (the add divided by max(1, A), A = Σ_p K_p), so each new cell is a convex
     * combination of the old cell and word cells and max|M| never exceeds max(max|M|, max|C|). The first
     * version added their sum: with Θ = 0 the default 10×10 word lands on the 4 centre cells of the 20×20
     * memory with access 25 each, so a word of ones wrote 25 there, and the default run's memory grew
     * geometrically until float32 overflowed. Plain Java and the SameDiff ops, both write modes.
     */
    @Test
    void aShrunkWordWritesTheMeanOfItsCellsNotTheirSum() {
        double[] collapsed = {0, 0, 0, 0, 0, 0};
        double[] mem = new double[400];
        java.util.Arrays.fill(mem, 0.5);
        double[] ones = new double[100];
        java.util.Arrays.fill(ones, 1.0);
        double[][] k = SpatialSampler.kernel(SpatialSampler.positions(collapsed, ThetaForm.FULL, 10, 10, 20, 20), 20,
                20, false);
        double[] written = SpatialSampler.write(k, mem, ones);
        for (int q : new int[] {9 * 20 + 9, 9 * 20 + 10, 10 * 20 + 9, 10 * 20 + 10}) {
            double access = 0;
            for (double[] row : k) {
                access += row[q];
            }
            assertEquals(25.0, access, 1e-12, "access of cell " + q);
            assertEquals(1.0, written[q], 1e-12, "cell " + q);
        }
        assertEquals(0.5, written[0], 0.0);

        SplittableRandom r = new SplittableRandom(17);
        for (int trial = 0; trial < 40; trial++) {
            boolean nearest = trial % 2 == 1;
            double[] theta = new double[6];
            double shrink = trial < 20 ? 0.05 : 1.0; // near-singular maps, then arbitrary ones
            for (int j = 0; j < 6; j++) {
                theta[j] = shrink * (2 * r.nextDouble() - 1) * 1.5;
            }
            double[] m = new double[400];
            double[] word = new double[100];
            for (int j = 0; j < m.length; j++) {
                m[j] = 2 * r.nextDouble() - 1;
            }
            for (int j = 0; j < word.length; j++) {
                word[j] = 3 * (2 * r.nextDouble() - 1);
            }
            double bound = Math.max(maxAbs(m), maxAbs(word));
            double[][] kk = SpatialSampler.kernel(SpatialSampler.positions(theta, ThetaForm.FULL, 10, 10, 20, 20), 20,
                    20, nearest);
            double[] plain = SpatialSampler.write(kk, m, word);
            assertTrue(maxAbs(plain) <= bound + 1e-12, "trial " + trial + ": " + maxAbs(plain) + " > " + bound);
            SameDiff sd = SameDiff.create();
            SDVariable th = sd.constant("theta", Nd4j.create(new double[][] {theta}).castTo(DataType.DOUBLE));
            SDVariable sm = sd.constant("mem", Nd4j.create(m, new long[] {1, 20, 20}, DataType.DOUBLE));
            SDVariable c = sd.constant("word", Nd4j.create(new double[][] {word}).castTo(DataType.DOUBLE));
            SDVariable[] wts = SpatialSampler.weights(sd, "k", th, ThetaForm.FULL, 10, 10, 20, 20, nearest,
                    DataType.DOUBLE);
            SpatialSampler.write(sd, wts, sm, c, SpatialSampler.access(sd, wts)).rename("written");
            assertArrayEquals(plain, sd.output(java.util.Map.of(), "written").get("written").reshape(-1)
                    .toDoubleVector(), 1e-12, "trial " + trial);
        }
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
