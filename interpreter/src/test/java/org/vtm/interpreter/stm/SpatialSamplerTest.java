package org.vtm.interpreter.stm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
