package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The one budget check for dense basis matrices: sizes in saturating long arithmetic, refusal
 * before allocation (d=9, n=9 used to overflow {@code M·M} into a negative array size; d=8, n=10
 * used to run out of memory), messages naming the sizes, the limit and the remedy.
 */
@Timeout(30)
class ExpansionBudgetTest {

    @Test
    void sizesSaturateInsteadOfOverflowing() {
        assertEquals(6, ExpansionBudget.times(2, 3));
        assertEquals(Long.MAX_VALUE, ExpansionBudget.times(1L << 32, 1L << 32));
        assertEquals(Long.MAX_VALUE, ExpansionBudget.times(Long.MAX_VALUE, 2));
        assertEquals(Long.MAX_VALUE, ExpansionBudget.plus(Long.MAX_VALUE, 1));
        assertEquals(8L * 48620 * 48620, ExpansionBudget.doubles(48620, 48620)); // 18.9e9: no int overflow
        assertThrows(IllegalArgumentException.class, () -> ExpansionBudget.times(-1, 2));
        assertEquals(48620, BasisBudget.monomialCount(9, 9));
        assertEquals(43758, BasisBudget.monomialCount(8, 10));
    }

    @Test
    void theDefaultBudgetIsHalfTheHeapAndAtLeast512MiB() {
        // the build pins the property for tests (root pom); without it the heap decides
        String pinned = System.getProperty(ExpansionBudget.PROPERTY);
        System.clearProperty(ExpansionBudget.PROPERTY);
        try {
            long heap = Runtime.getRuntime().maxMemory(); // surefire: -Xmx3g, so half of it is over 512 MiB
            assertEquals(Math.max(512L << 20, heap / 2), ExpansionBudget.defaultBytes());
            assertTrue(ExpansionBudget.defaultBytes() > ExpansionBudget.DEFAULT_BYTES, "3 GiB heap: a 1.5 GiB budget");
        } finally {
            if (pinned != null) {
                System.setProperty(ExpansionBudget.PROPERTY, pinned);
            }
        }
    }

    @Test
    void basisChangesOverTheBudgetAreRefusedWithTheirSizes() {
        for (int[] dn : new int[][] {{9, 9}, {8, 10}}) {
            int d = dn[0];
            int n = dn[1];
            long m = BasisBudget.monomialCount(d, n);
            ExpansionBudget.Exceeded e = assertThrows(ExpansionBudget.Exceeded.class,
                    () -> BasisBudget.checkBasis(FunctionFamily.chebyshev(), d, n, false));
            String msg = e.getMessage();
            assertTrue(msg.contains("d=" + d + ", n=" + n) && msg.contains("M=" + m) && msg.contains(m + " × " + m), msg);
            assertTrue(msg.contains("GiB") && msg.contains(ExpansionBudget.describeBytes(ExpansionBudget.defaultBytes())), msg);
            // M·M fits a Java array for (8, 10) but not for (9, 9): only the former is told to raise the budget
            boolean fitsAnArray = ExpansionBudget.times(m, m) <= ExpansionBudget.MAX_ARRAY_LENGTH;
            assertEquals(fitsAnArray, msg.contains("VTM_JAVA_OPTS=\"-D" + ExpansionBudget.PROPERTY + "=BYTES"), msg);
            assertEquals(!fitsAnArray, msg.contains("no budget allows this") && msg.contains(Long.toString(m * m)), msg);
            assertEquals(ExpansionBudget.defaultBytes(), e.budgetBytes());
            assertTrue(e.bytesNeeded() >= 3 * ExpansionBudget.doubles(m, m), "at least T_XF, T_FX and its transpose");
            assertFalse(msg.contains("\n"), "one line");
        }
    }

    @Test
    void theLibraryRefusesBeforeAllocatingOnEveryEntryPoint() {
        // these used to throw NegativeArraySizeException (M·M overflows an int) and OutOfMemoryError
        FunctionSet big = FunctionSet.of(FunctionFamily.chebyshev(), 9, 9);
        ExpansionBudget.Exceeded e = assertThrows(ExpansionBudget.Exceeded.class, () -> BasisTransform.of(big));
        assertTrue(e.getMessage().contains("48620 × 48620"), e.getMessage());
        FunctionSet large = FunctionSet.of(FunctionFamily.legendre(), 8, 10);
        assertThrows(ExpansionBudget.Exceeded.class, () -> BasisTransform.of(large));
        assertThrows(ExpansionBudget.Exceeded.class, () -> Oracle.of(large));
        FunctionSet fourier = FunctionSet.of(FunctionFamily.fourier(), 8, 10); // general (LU) solver
        assertThrows(ExpansionBudget.Exceeded.class,
                () -> BasisTransform.of(fourier, BasisTransform.Solver.GENERAL, BasisTransform.DEFAULT_MAX_CONDITION));
    }

    @Test
    void aBudgetLargeEnoughForTheBytesStillCannotExceedAJavaArray() {
        withBudget(Long.toString(1L << 50), () -> {
            ExpansionBudget.Exceeded e = assertThrows(ExpansionBudget.Exceeded.class,
                    () -> BasisBudget.checkBasis(FunctionFamily.chebyshev(), 9, 9, false));
            assertTrue(e.getMessage().contains("more than a Java array can hold"), e.getMessage());
            assertTrue(e.getMessage().contains(Long.toString(48620L * 48620)), e.getMessage());
            assertThrows(ExpansionBudget.Exceeded.class,
                    () -> BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 9, 9)));
        });
        // over both limits: the message says no budget helps instead of suggesting a larger one
        ExpansionBudget.Exceeded both = assertThrows(ExpansionBudget.Exceeded.class,
                () -> BasisBudget.checkBasis(FunctionFamily.chebyshev(), 9, 9, false));
        assertTrue(both.getMessage().contains("no budget allows this"), both.getMessage());
    }

    @Test
    void smallSetsPassAndTheBudgetPropertyIsHonoured() {
        long bytes = BasisBudget.checkBasis(FunctionFamily.chebyshev(), 2, 4, true);
        long m = 15;
        assertTrue(bytes >= 3 * 8 * m * m, "3 square matrices at least: " + bytes);
        withBudget(Long.toString(bytes - 1), () -> {
            assertThrows(ExpansionBudget.Exceeded.class,
                    () -> BasisBudget.checkBasis(FunctionFamily.chebyshev(), 2, 4, true));
        });
        FunctionSet small = FunctionSet.of(FunctionFamily.chebyshev(), 2, 4);
        withBudget(Long.toString(Oracle.bytesNeeded(64, 15) - 1), () -> assertThrows(ExpansionBudget.Exceeded.class,
                () -> Oracle.of(small)));
        withBudget(Long.toString(bytes), () -> BasisBudget.checkBasis(FunctionFamily.chebyshev(), 2, 4, true));
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.chebyshev(), 2, 4));
        assertEquals(15, t.monomialCount());
    }

    static void withBudget(String bytes, Runnable body) {
        String old = System.getProperty(ExpansionBudget.PROPERTY);
        try {
            System.setProperty(ExpansionBudget.PROPERTY, bytes);
            body.run();
        } finally {
            if (old == null) {
                System.clearProperty(ExpansionBudget.PROPERTY);
            } else {
                System.setProperty(ExpansionBudget.PROPERTY, old);
            }
        }
    }
}
