package org.vtm.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.transforms.TensorSeries;

/** Small configurations of both benchmarks: the two sides agree and the RESULT lines parse. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BenchmarkAgreementTest {

    private static final SteadyState.Settings QUICK = SteadyState.Settings.of(2, 1.0, 3);

    @Test
    void expandAgreesWithHipparchusAndPrintsMicrosPerPoint() {
        ExpandBenchmark.Result r = new ExpandBenchmark().run(3, 2, 4, 20, 64, 7L, QUICK);
        assertTrue(r.agrees(), r.describe());
        assertTrue(r.toLine().matches("RESULT expand vtm_us=[0-9.]+ hipparchus_us=[0-9.]+ ratio=[0-9.]+"), r.toLine());
        assertTrue(r.vtmMicros() > 0 && r.hipparchusMicros() > 0, r.toLine());
    }

    @Test
    void composeAgreesWithTaylorMapOnTheSameMaps() {
        for (int n : new int[] {1, 3, 5}) {
            ComposeBenchmark.Result r = new ComposeBenchmark().run(3, 2, n, 15, 16, 11L, QUICK);
            assertTrue(r.agrees(), r.describe());
            assertTrue(r.toLine().matches("RESULT compose vtm_us=[0-9.]+ hipparchus_us=[0-9.]+ ratio=[0-9.]+"),
                    r.toLine());
            assertEquals(TensorSeries.composeMultiplyAdds(3, 3, 2, n), r.multiplyAddsPerComposition(), r.describe());
            assertTrue(r.describe().contains(String.format(java.util.Locale.ROOT,
                    "cost model: %.0f multiply-adds per composition", r.multiplyAddsPerComposition())), r.describe());
        }
    }
}
