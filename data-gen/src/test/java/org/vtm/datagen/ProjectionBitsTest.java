package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link CorpusGenerator#project} runs over the samples innermost, on a transposed basis; every value
 * must equal, bit for bit, the same sum taken alone left to right (the error columns of the records
 * depend on it).
 */
@Timeout(60)
class ProjectionBitsTest {

    /** The definition: one sum at a time, left to right over the basis functions. */
    private static double[] oneSumAtATime(double[] basis, double[] coef, int d) {
        int m = coef.length / d;
        int samples = basis.length / m;
        double[] values = new double[samples * d];
        for (int s = 0; s < samples; s++) {
            for (int out = 0; out < d; out++) {
                double v = 0;
                for (int j = 0; j < m; j++) {
                    v += basis[s * m + j] * coef[out * m + j];
                }
                values[s * d + out] = v;
            }
        }
        return values;
    }

    private static void assertSameBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + ": value " + i + " expected " + expected[i] + " got " + actual[i]);
            }
        }
    }

    @Test
    void everyValueEqualsTheSumTakenAloneBitForBit() {
        SplittableRandom random = new SplittableRandom(18);
        // odd and even sample counts, output counts below, at and above the four-wide block, sizes
        // whose sums cancel (mixed signs over many magnitudes) so a reordering would show
        for (int d = 1; d <= 9; d++) {
            for (int samples : new int[] {1, 2, 3, 7, 64, 301}) {
                for (int m : new int[] {1, 5, 70, 495}) {
                    double[] basis = new double[samples * m];
                    double[] coef = new double[d * m];
                    for (int i = 0; i < basis.length; i++) {
                        basis[i] = (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(-30, 31));
                    }
                    for (int i = 0; i < coef.length; i++) {
                        coef[i] = random.nextInt(8) == 0 ? (random.nextBoolean() ? 0.0 : -0.0) : (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(-30, 31));
                    }
                    double[] expected = oneSumAtATime(basis, coef, d);
                    double[] basisT = new double[basis.length];
                    for (int s = 0; s < samples; s++) {
                        for (int j = 0; j < m; j++) {
                            basisT[j * samples + s] = basis[s * m + j];
                        }
                    }
                    double[] actual = CorpusGenerator.project(basisT, samples, coef, d);
                    // several coefficient sets in one pass over the basis: each as if alone
                    double[] other = new double[coef.length];
                    for (int i = 0; i < other.length; i++) {
                        other[i] = (random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(-30, 31));
                    }
                    double[][] both = CorpusGenerator.project(basisT, samples, new double[][] {other, coef, other}, d);
                    assertSameBits(oneSumAtATime(basis, other, d), both[0], "set 0");
                    assertSameBits(expected, both[1], "set 1");
                    assertSameBits(oneSumAtATime(basis, other, d), both[2], "set 2");
                    assertEquals(expected.length, actual.length);
                    for (int i = 0; i < expected.length; i++) {
                        long e = Double.doubleToRawLongBits(expected[i]);
                        long a = Double.doubleToRawLongBits(actual[i]);
                        if (e != a) {
                            throw new AssertionError("d=" + d + " samples=" + samples + " m=" + m + " value " + i
                                    + " (sample " + i / d + ", output " + i % d + "): expected " + expected[i]
                                    + " got " + actual[i]);
                        }
                    }
                }
            }
        }
    }
}
