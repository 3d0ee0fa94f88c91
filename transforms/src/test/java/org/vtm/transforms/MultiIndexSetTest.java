package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MultiIndexSetTest {

    private static long binomial(int a, int b) {
        long r = 1;
        for (int i = 0; i < b; i++) {
            r = r * (a - i) / (i + 1);
        }
        return r;
    }

    @Test
    void sizeIsBinomial() {
        for (int d = 1; d <= 7; d++) {
            for (int n = 0; n <= 8; n++) {
                assertEquals(binomial(d + n, n), MultiIndexSet.of(d, n).size(), "d=" + d + " n=" + n);
            }
        }
    }

    @Test
    void canonicalOrderForTwoVariables() {
        MultiIndexSet s = MultiIndexSet.of(2, 3);
        int[][] expected = {{0, 0}, {1, 0}, {0, 1}, {2, 0}, {1, 1}, {0, 2}, {3, 0}, {2, 1}, {1, 2}, {0, 3}};
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], s.alpha(i), "index " + i);
        }
    }

    @Test
    void canonicalOrderIsDegreeThenLexDescending() {
        for (int d = 1; d <= 5; d++) {
            MultiIndexSet s = MultiIndexSet.of(d, 5);
            for (int i = 1; i < s.size(); i++) {
                int[] a = s.alpha(i - 1);
                int[] b = s.alpha(i);
                int da = Arrays.stream(a).sum();
                int db = Arrays.stream(b).sum();
                assertEquals(da, s.degree(i - 1));
                assertTrue(da < db || (da == db && Arrays.compare(a, b) > 0),
                        Arrays.toString(a) + " before " + Arrays.toString(b));
            }
        }
    }

    @Test
    void indexAlphaRoundTripAndFactorials() {
        for (int d = 1; d <= 6; d++) {
            for (int n = 0; n <= 6; n++) {
                MultiIndexSet s = MultiIndexSet.of(d, n);
                for (int i = 0; i < s.size(); i++) {
                    int[] a = s.alpha(i);
                    assertEquals(i, s.index(a));
                    double f = 1;
                    for (int v : a) {
                        for (int k = 2; k <= v; k++) {
                            f *= k;
                        }
                    }
                    assertEquals(f, s.factorial(i));
                }
                for (int k = 0; k <= n; k++) {
                    assertEquals(binomial(d + k, k), s.countUpToDegree(k));
                }
            }
        }
    }

    @Test
    void truncationIsAPrefix() {
        MultiIndexSet big = MultiIndexSet.of(3, 7);
        MultiIndexSet small = MultiIndexSet.of(3, 4);
        for (int i = 0; i < small.size(); i++) {
            assertArrayEquals(small.alpha(i), big.alpha(i));
        }
    }

    @Test
    void productTableHoldsExactlyTheSplits() {
        MultiIndexSet s = MultiIndexSet.of(3, 5);
        int[] start = s.pairStart();
        for (int g = 0; g < s.size(); g++) {
            int[] gamma = s.alpha(g);
            long expected = 1;
            for (int v : gamma) {
                expected *= v + 1;
            }
            expected = g == 0 ? 0 : expected - 2;
            assertEquals(expected, start[g + 1] - start[g], "pairs of " + Arrays.toString(gamma));
            for (int t = start[g]; t < start[g + 1]; t++) {
                int[] a = s.alpha(s.pairLeft()[t]);
                int[] b = s.alpha(s.pairRight()[t]);
                for (int j = 0; j < 3; j++) {
                    assertEquals(gamma[j], a[j] + b[j]);
                }
                assertTrue(s.pairLeft()[t] != 0 && s.pairRight()[t] != 0);
            }
        }
    }

    @Test
    void cachedPerDimAndOrder() {
        assertSame(MultiIndexSet.of(4, 4), MultiIndexSet.of(4, 4));
    }

    @Test
    void refusesBadArguments() {
        MultiIndexSet s = MultiIndexSet.of(2, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.index(2, 1));
        assertTrue(e.getMessage().contains("degree 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> s.index(1));
        assertThrows(IllegalArgumentException.class, () -> s.index(-1, 0));
        assertThrows(IllegalArgumentException.class, () -> MultiIndexSet.of(0, 2));
        assertThrows(IllegalArgumentException.class, () -> MultiIndexSet.of(2, -1));
    }

    @Test
    void refusesOverBudgetBeforeAllocating() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MultiIndexSet.of(40, 12));
        assertTrue(e.getMessage().contains("d=40") && e.getMessage().contains("n=12")
                && e.getMessage().contains("bytes"), e.getMessage());
        // an explicit small budget refuses even a modest set
        assertThrows(IllegalArgumentException.class, () -> MultiIndexSet.of(4, 4, 1000));
        String old = System.getProperty(ExpansionBudget.PROPERTY);
        try {
            System.setProperty(ExpansionBudget.PROPERTY, "100");
            assertThrows(IllegalArgumentException.class, () -> Space.of(3, 3));
            System.setProperty(ExpansionBudget.PROPERTY, "oops");
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> Space.of(3, 3));
            assertTrue(bad.getMessage().contains("oops"));
        } finally {
            if (old == null) {
                System.clearProperty(ExpansionBudget.PROPERTY);
            } else {
                System.setProperty(ExpansionBudget.PROPERTY, old);
            }
        }
    }
}
