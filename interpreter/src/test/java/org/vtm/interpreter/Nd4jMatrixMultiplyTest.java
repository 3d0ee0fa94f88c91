package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vtm.transforms.MatrixMultiply;

/** The ND4J product agrees with the Java kernel and is the one the transforms module picks here. */
class Nd4jMatrixMultiplyTest {

    @Test
    void agreesWithTheJavaKernelOnOddShapes() {
        SplittableRandom r = new SplittableRandom(3);
        int rows = 301;
        int inner = 70;
        int cols = 67;
        double[] a = r.doubles(rows * inner, -1, 1).toArray();
        double[] b = r.doubles(inner * cols, -1, 1).toArray();
        double[] want = new double[rows * cols];
        double[] got = new double[rows * cols];
        MatrixMultiply.JAVA.multiply(a, rows, inner, b, cols, want);
        new Nd4jMatrixMultiply().multiply(a, rows, inner, b, cols, got);
        for (int i = 0; i < want.length; i++) {
            // 70-term dot products of O(1) numbers: summation order differs, 1e-13 absolute is ~500 ulps of slack
            assertEquals(want[i], got[i], 1e-13, "entry " + i);
        }
    }

    @Test
    void isDiscoveredAsTheBestProvider() {
        assertTrue(MatrixMultiply.best() instanceof Nd4jMatrixMultiply, MatrixMultiply.best().name());
        assertTrue(MatrixMultiply.best().name().startsWith("nd4j-"), MatrixMultiply.best().name());
    }
}
