package org.vtm.evaluation.heldout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vtm.transforms.Oracle;

class EvaluationPointsTest {

    /** The q-point rule integrates x^k exactly for k ≤ 2q−1: ∫_{-1}^{1} x^k dx = 2/(k+1) for even k, 0 for odd. */
    @Test
    void gaussLegendreIsExactUpToDegreeTwoQMinusOne() {
        for (int q = 1; q <= 16; q++) {
            double[][] r = EvaluationPoints.gaussLegendre1d(q);
            for (int k = 0; k <= 2 * q - 1; k++) {
                double s = 0;
                for (int i = 0; i < q; i++) {
                    s += r[1][i] * Math.pow(r[0][i], k);
                }
                assertEquals(k % 2 == 0 ? 2.0 / (k + 1) : 0.0, s, 1e-13, "q=" + q + ", k=" + k);
            }
        }
        // hand value: the 2-point rule is ±1/√3 with weights 1
        double[][] two = EvaluationPoints.gaussLegendre1d(2);
        assertEquals(-1 / Math.sqrt(3), two[0][0], 1e-15);
        assertEquals(1.0, two[1][1], 1e-15);
    }

    @Test
    void independentPointsAreAtLeastFourTimesTheSamplesAndNotTheSamples() {
        EvaluationPoints p2 = EvaluationPoints.independent(2, 64);
        assertEquals("gauss-legendre 16^2", p2.kind());
        assertEquals(256, p2.count());
        double w = 0;
        for (double x : p2.weights()) {
            w += x;
        }
        assertEquals(4.0, w, 1e-12, "weights integrate 1 over [-1,1]^2");
        // d > 3: Halton points past the samples, none repeated
        EvaluationPoints p4 = EvaluationPoints.independent(4, 100);
        assertEquals("halton", p4.kind());
        assertEquals(400, p4.count());
        double[] samples = Oracle.haltonPoints(4, 100);
        Set<List<Double>> seen = new HashSet<>();
        for (int s = 0; s < 100; s++) {
            seen.add(List.of(samples[4 * s], samples[4 * s + 1], samples[4 * s + 2], samples[4 * s + 3]));
        }
        for (double[] p : p4.points()) {
            assertTrue(seen.add(List.of(p[0], p[1], p[2], p[3])), "point repeated: " + List.of(p[0], p[1]));
        }
    }

    /** The weighted error is the L2 norm over the box: for e = x, y = 1 on [-1,1]: sqrt(∫x² / ∫1) = sqrt(1/3). */
    @Test
    void weightedErrorIsTheTrueL2Norm() {
        EvaluationPoints p = EvaluationPoints.gaussLegendre(1, 5);
        double[][] u = p.points();
        double[] approx = new double[u.length];
        double[] truth = new double[u.length];
        for (int i = 0; i < u.length; i++) {
            truth[i] = 1;
            approx[i] = 1 + u[i][0];
        }
        double[] e = p.errors(approx, truth, 1);
        assertEquals(Math.sqrt(1.0 / 3), e[0], 1e-14);
        assertEquals(u[u.length - 1][0], e[1], 1e-15, "L∞ = the largest |x| among the nodes");
    }
}
