package org.vtm.transforms;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Kernels restructured for speed must keep every rounding: each is compared bit for bit with the
 * straightforward loop it replaced (kept here as the reference), on random finite data with exact
 * zeros and negative zeros.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SeriesKernelsBitsTest {

    /** The exp recurrence one pair per pass, as before the fused kernel. */
    private static void expReference(MultiIndexSet set, int P, double[] a, double[] out) {
        int M = set.size();
        int[] start = set.pairStart();
        int[] left = set.pairLeft();
        int[] right = set.pairRight();
        int[] deg = set.degreesArray();
        for (int p = 0; p < P; p++) {
            out[p] = Math.exp(a[p]);
        }
        for (int g = 1; g < M; g++) {
            int base = g * P;
            double invDeg = 1.0 / deg[g];
            for (int p = 0; p < P; p++) {
                out[base + p] = a[base + p] * out[p];
            }
            for (int s = start[g], e = start[g + 1]; s < e; s++) {
                int le = left[s] * P;
                int ra = right[s] * P;
                double w = deg[right[s]] * invDeg;
                for (int p = 0; p < P; p++) {
                    out[base + p] += w * a[ra + p] * out[le + p];
                }
            }
        }
    }

    @Test
    void fusedExpEqualsThePairByPairRecurrence() {
        SplittableRandom rng = new SplittableRandom(5L);
        for (int d = 1; d <= 5; d++) {
            for (int n = 0; n <= 6; n++) {
                MultiIndexSet set = MultiIndexSet.of(d, n);
                for (int P : new int[] {1, 3, 8, 33}) {
                    double[] a = new double[set.size() * P];
                    for (int i = 0; i < a.length; i++) {
                        int kind = rng.nextInt(6);
                        a[i] = kind == 0 ? 0.0 : kind == 1 ? -0.0 : rng.nextDouble(-2, 2);
                    }
                    double[] expected = new double[a.length];
                    double[] actual = new double[a.length];
                    expReference(set, P, a, expected);
                    SeriesKernels.exp(set, P, a, actual);
                    for (int i = 0; i < a.length; i++) {
                        if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                            throw new AssertionError("d=" + d + " n=" + n + " P=" + P + " entry " + i + ": "
                                    + expected[i] + " vs " + actual[i]);
                        }
                    }
                }
            }
        }
    }
}
