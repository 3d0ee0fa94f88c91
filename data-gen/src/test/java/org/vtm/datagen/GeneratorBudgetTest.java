package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.transforms.BasisBudget;
import org.vtm.transforms.ExpansionBudget;

/**
 * Corpus generation is sized before anything is allocated: the basis matrices, the oracle and the
 * per-thread and per-record buffers go through the one expansion budget.
 */
@Timeout(30)
class GeneratorBudgetTest {

    @Test
    void overBudgetConfigurationsAreRefusedBeforeAllocating() {
        // d=9, n=9 used to end in NegativeArraySizeException (M·M overflows an int), d=8, n=10 in OutOfMemoryError
        for (int[] dn : new int[][] {{9, 9}, {8, 10}}) {
            GeneratorConfig config = GeneratorConfig.defaults(dn[0], dn[1], "chebyshev", 1, 4);
            ExpansionBudget.Exceeded e = assertThrows(ExpansionBudget.Exceeded.class, config::checkBudget);
            String msg = e.getMessage();
            assertTrue(msg.startsWith("corpus generation for d=" + dn[0] + ", n=" + dn[1] + ", family chebyshev"), msg);
            long m = BasisBudget.monomialCount(dn[0], dn[1]);
            assertTrue(msg.contains("M=" + m) && msg.contains(m + " × " + m)
                    && msg.contains(ExpansionBudget.describeBytes(ExpansionBudget.defaultBytes())), msg);
            assertThrows(ExpansionBudget.Exceeded.class, () -> new CorpusGenerator(config, 1));
            CorpusJob job = new CorpusJob("unused", config, 1, 10, 5, ShardWriter.DEFAULT_BATCH_RECORDS);
            assertThrows(ExpansionBudget.Exceeded.class, () -> job.checkBudget(1));
        }
    }

    @Test
    void usualConfigurationsPassAndThreadsAndRecordsInFlightCount() {
        assertDoesNotThrow(() -> GeneratorConfig.defaults(2, 4, "chebyshev", 1, 4).checkBudget(8, 256));
        assertDoesNotThrow(() -> GeneratorConfig.defaults(4, 6, "legendre", 1, 4).checkBudget(2, 256));
        GeneratorConfig c = GeneratorConfig.defaults(3, 5, "chebyshev", 1, 4);
        long one = c.bytesNeeded(1, 1);
        assertTrue(c.bytesNeeded(2, 1) > one && c.bytesNeeded(1, 2) > one, "threads and records in flight cost memory");
        assertTrue(c.bytesNeeded(1, 1) >= BasisBudget.basisBytes(org.vtm.transforms.FunctionFamily.chebyshev(), 3, 5, true));
        String old = System.getProperty(ExpansionBudget.PROPERTY);
        try {
            System.setProperty(ExpansionBudget.PROPERTY, Long.toString(one));
            assertDoesNotThrow(() -> c.checkBudget(1, 1));
            ExpansionBudget.Exceeded e = assertThrows(ExpansionBudget.Exceeded.class, () -> c.checkBudget(4, 256));
            assertTrue(e.getMessage().contains("4 thread(s), 256 records in flight"), e.getMessage());
        } finally {
            if (old == null) {
                System.clearProperty(ExpansionBudget.PROPERTY);
            } else {
                System.setProperty(ExpansionBudget.PROPERTY, old);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> c.checkBudget(0, 1));
    }
}
