package org.vtm.evaluation.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {

    @Test
    void quantilesInterpolateBetweenOrderStatistics() {
        // 1..10: type-7 median = 5.5, p90 = 1 + 0.9·9 = 9.1 (as R's quantile(type = 7) and numpy's default)
        double[] v = {7, 3, 10, 1, 5, 9, 2, 8, 6, 4};
        assertEquals(5.5, Metrics.quantile(v, 0.5), 0);
        assertEquals(9.1, Metrics.quantile(v, 0.9), 1e-12);
        assertEquals(3.0, Metrics.quantile(new double[] {3}, 0.9), 0);
        // NaN (method not evaluated on a program) is ignored, +∞ (zero truth) sorts last
        assertEquals(2.0, Metrics.quantile(new double[] {Double.NaN, 1, 2, 3}, 0.5), 0);
        assertEquals(Double.POSITIVE_INFINITY, Metrics.quantile(new double[] {1, Double.POSITIVE_INFINITY}, 1.0));
        assertTrue(Double.isNaN(Metrics.quantile(new double[] {Double.NaN}, 0.5)));
    }

    @Test
    void gapClosedIsZeroAtFixedAndOneAtTheOracle() {
        assertEquals(0.0, Metrics.gapClosed(1e-3, 1e-3, 1e-4), 0);
        assertEquals(1.0, Metrics.gapClosed(1e-3, 1e-4, 1e-4), 1e-12);
        assertEquals(0.5, Metrics.gapClosed(1.0, 0.6, 0.2), 1e-12);
        assertEquals(-1.0, Metrics.gapClosed(1.0, 1.8, 0.2), 1e-12);
        assertTrue(Double.isNaN(Metrics.gapClosed(1.0, 0.5, 1.0)), "no gap to close");
    }
}
